//! A Chrome DevTools Protocol connection of the test's own, beside
//! ChromeDriver's: ChromeDriver's `goog/cdp/execute` reaches only the page
//! and never passes on events, while a service worker is a target of its
//! own and its registration id comes as an event. Chromium writes the port
//! and path of its DevTools socket into `DevToolsActivePort` in the profile.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

#[derive(Debug)]
pub struct Devtools {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
    next_id: u64,
    /// Events received while waiting for answers, oldest first.
    events: Vec<Value>,
}

impl Devtools {
    /// Connects to the browser whose profile is `profile`.
    pub async fn connect(profile: &Path) -> Result<Devtools> {
        let file = profile.join("DevToolsActivePort");
        let started = Instant::now();
        let text = loop {
            match std::fs::read_to_string(&file) {
                Ok(text) if text.lines().count() >= 2 => break text,
                _ if started.elapsed() > Duration::from_secs(10) => {
                    bail!(
                        "Chromium wrote no {} (is it started with --remote-debugging-port?)",
                        file.display()
                    )
                }
                _ => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        };
        let mut lines = text.lines();
        let port = lines.next().context("a port")?.trim();
        let path = lines.next().context("a path")?.trim();
        let (socket, _) = tokio_tungstenite::connect_async(format!("ws://127.0.0.1:{port}{path}"))
            .await
            .context("connect to Chromium's DevTools socket")?;
        Ok(Devtools { socket, next_id: 1, events: Vec::new() })
    }

    /// Sends `method` (to the target `session`, or the browser) and gives
    /// back its result; an error answer is an error.
    pub async fn call(&mut self, method: &str, params: Value, session: Option<&str>) -> Result<Value> {
        let id = self.next_id;
        self.next_id += 1;
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        self.socket.send(Message::text(message.to_string())).await?;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            let next = tokio::time::timeout(remaining, self.socket.next())
                .await
                .with_context(|| format!("no answer to {method} in 30 s"))?;
            let Some(frame) = next else { bail!("the DevTools socket closed during {method}") };
            let Message::Text(text) = frame? else { continue };
            let value: Value = serde_json::from_str(&text)?;
            if value["id"] == json!(id) {
                if let Some(error) = value.get("error") {
                    bail!("{method}: {error}");
                }
                return Ok(value["result"].clone());
            }
            if value.get("method").is_some() {
                self.events.push(value);
            }
        }
    }

    /// Waits (up to `patience`) for an event named `method` whose params
    /// satisfy `matches`; its params.
    pub async fn event(
        &mut self,
        method: &str,
        matches: impl Fn(&Value) -> bool,
        patience: Duration,
    ) -> Result<Value> {
        let deadline = Instant::now() + patience;
        loop {
            if let Some(at) = self.events.iter().position(|e| e["method"] == method && matches(&e["params"]))
            {
                return Ok(self.events.remove(at)["params"].clone());
            }
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                bail!("no {method} event in {patience:?}");
            }
            let Ok(next) = tokio::time::timeout(remaining, self.socket.next()).await else { continue };
            let Some(frame) = next else { bail!("the DevTools socket closed waiting for {method}") };
            if let Message::Text(text) = frame? {
                let value: Value = serde_json::from_str(&text)?;
                if value.get("method").is_some() {
                    self.events.push(value);
                }
            }
        }
    }

    /// A session attached to the page at `origin` (the ServiceWorker domain
    /// lives on pages, not on the browser).
    pub async fn attach_to_page(&mut self, origin: &str) -> Result<String> {
        self.attach(origin, "page").await
    }

    /// The registration id of `origin`'s service worker, from the
    /// registrations DevTools reports once enabled in the page `session`.
    pub async fn registration_id(&mut self, session: &str, origin: &str) -> Result<String> {
        self.call("ServiceWorker.enable", json!({}), Some(session)).await?;
        let origin = origin.trim_end_matches('/').to_owned();
        let of_origin = |r: &Value| r["scopeURL"].as_str().is_some_and(|s| s.starts_with(&origin));
        let update = self
            .event(
                "ServiceWorker.workerRegistrationUpdated",
                |p| p["registrations"].as_array().is_some_and(|list| list.iter().any(of_origin)),
                Duration::from_secs(20),
            )
            .await?;
        let id = update["registrations"]
            .as_array()
            .and_then(|list| list.iter().find(|r| of_origin(r)))
            .and_then(|r| r["registrationId"].as_str())
            .context("a registration id")?;
        Ok(id.to_owned())
    }

    async fn attach(&mut self, origin: &str, kind: &str) -> Result<String> {
        let targets = self.call("Target.getTargets", json!({}), None).await?;
        let target = targets["targetInfos"]
            .as_array()
            .and_then(|list| {
                list.iter()
                    .find(|t| t["type"] == kind && t["url"].as_str().is_some_and(|u| u.starts_with(origin)))
            })
            .and_then(|t| t["targetId"].as_str())
            .with_context(|| format!("no {kind} of {origin} is open"))?
            .to_owned();
        let attached =
            self.call("Target.attachToTarget", json!({ "targetId": target, "flatten": true }), None).await?;
        Ok(attached["sessionId"].as_str().context("a session id")?.to_owned())
    }

    /// A session attached to `origin`'s running service worker, in which
    /// `Runtime.evaluate` runs in the worker.
    pub async fn attach_to_service_worker(&mut self, origin: &str) -> Result<String> {
        self.attach(origin, "service_worker").await
    }

    /// Runs `expression` in the target of `session` (awaiting a promise) and
    /// gives back its value.
    pub async fn evaluate(&mut self, session: &str, expression: &str) -> Result<Value> {
        let result = self
            .call(
                "Runtime.evaluate",
                json!({ "expression": expression, "awaitPromise": true, "returnByValue": true }),
                Some(session),
            )
            .await?;
        if let Some(exception) = result.get("exceptionDetails") {
            bail!("{expression}: {exception}");
        }
        Ok(result["result"]["value"].clone())
    }
}
