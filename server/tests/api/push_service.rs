//! A push service of the tests' own, standing in for FCM, Mozilla's and
//! Apple's: it takes messages at `/push/<device>`, checks each as they do
//! (the VAPID token's signature, audience, expiry and key; the content
//! coding and TTL), decrypts the payload with the device's own keys as its
//! browser would, and answers 201 — or what a test asks it to answer next
//! (404, 410, 429 with `Retry-After`, 500).

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use p256::SecretKey;
use serde_json::{Value, json};
use stille_server::push::webpush;

/// One message as a device received it.
#[derive(Clone, Debug)]
pub struct Received {
    pub device: String,
    /// The decrypted payload.
    pub payload: Value,
    pub ttl: String,
    pub urgency: String,
    pub topic: Option<String>,
}

#[derive(Default)]
struct Inner {
    keys: HashMap<String, (SecretKey, [u8; 16])>,
    answers: HashMap<String, VecDeque<(u16, Option<u64>)>>,
    received: Vec<Received>,
    /// Requests that a real push service would have refused, and why.
    faults: Vec<String>,
    /// The server's public key, which every token must be signed with.
    server_key: Option<String>,
}

#[derive(Clone)]
pub struct PushService {
    pub addr: SocketAddr,
    inner: Arc<Mutex<Inner>>,
}

impl PushService {
    pub async fn start() -> PushService {
        let inner = Arc::new(Mutex::new(Inner::default()));
        let app =
            axum::Router::new().route("/push/{device}", axum::routing::post(take)).with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind the push service");
        let addr = listener.local_addr().expect("its address");
        tokio::spawn(async move { axum::serve(listener, app).await });
        PushService { addr, inner }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// What `--push-services` must list for the server to send here.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Tokens must be signed with this key (the server's `GET /api/push/key`).
    pub fn expect_server_key(&self, key: &str) {
        self.lock().server_key = Some(key.to_owned());
    }

    /// A new device: the subscription its browser would hand the app.
    pub fn device(&self, name: &str, lang: &str) -> Value {
        let (secret, p256dh, auth, auth_text) = webpush::browser_keys().expect("device keys");
        self.lock().keys.insert(name.to_owned(), (secret, auth));
        json!({
            "endpoint": format!("{}/push/{name}", self.origin()),
            "expirationTime": null,
            "keys": { "p256dh": p256dh, "auth": auth_text },
            "lang": lang,
        })
    }

    /// The next answers for `device`, in order (then 201 again).
    pub fn answer(&self, device: &str, answers: &[(u16, Option<u64>)]) {
        self.lock().answers.entry(device.to_owned()).or_default().extend(answers.iter().copied());
    }

    /// Every message received since the last call.
    pub fn take_received(&self) -> Vec<Received> {
        std::mem::take(&mut self.lock().received)
    }

    pub fn faults(&self) -> Vec<String> {
        self.lock().faults.clone()
    }
}

async fn take(
    State(inner): State<Arc<Mutex<Inner>>>,
    Path(device): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut inner = inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    match check(&inner, &device, &headers, &body) {
        Ok(received) => {
            let answer = inner.answers.get_mut(&device).and_then(VecDeque::pop_front);
            match answer {
                Some((status, retry_after)) => {
                    let status = StatusCode::from_u16(status).expect("a status");
                    let mut response = status.into_response();
                    if let Some(seconds) = retry_after {
                        response.headers_mut().insert("Retry-After", seconds.into());
                    }
                    response
                }
                None => {
                    inner.received.push(received);
                    StatusCode::CREATED.into_response()
                }
            }
        }
        Err(fault) => {
            inner.faults.push(format!("{device}: {fault}"));
            (StatusCode::BAD_REQUEST, fault).into_response()
        }
    }
}

/// What a push service and the browser check of one request.
fn check(inner: &Inner, device: &str, headers: &HeaderMap, body: &[u8]) -> Result<Received, String> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let authorization = header("authorization").ok_or("no Authorization")?;
    let now_s = stille_server::now_ms() / 1000;
    let claims = webpush::verify_vapid(&authorization, now_s).map_err(|e| e.to_string())?;
    let host = header("host").ok_or("no Host")?;
    if claims.aud != format!("http://{host}") {
        return Err(format!("the token is for {}, not this service", claims.aud));
    }
    if inner.server_key.as_deref() != Some(claims.k.as_str()) {
        return Err("the token is signed with another key than the server's".into());
    }
    if header("content-encoding").as_deref() != Some("aes128gcm") {
        return Err("Content-Encoding is not aes128gcm".into());
    }
    let ttl = header("ttl").filter(|t| t.parse::<u32>().is_ok()).ok_or("no TTL in seconds")?;
    let urgency = header("urgency").unwrap_or_else(|| "normal".into());
    if !["very-low", "low", "normal", "high"].contains(&urgency.as_str()) {
        return Err(format!("Urgency {urgency:?}"));
    }
    let topic = header("topic");
    if topic.as_ref().is_some_and(|t| t.len() > 32) {
        return Err("Topic longer than 32 characters".into());
    }
    if body.len() > 4096 {
        return Err(format!("{} bytes of body (4096 at most)", body.len()));
    }
    let (secret, auth) = inner.keys.get(device).ok_or("no such device")?;
    let plain = webpush::decrypt(body, secret, auth).map_err(|e| e.to_string())?;
    let payload = serde_json::from_slice(&plain).map_err(|e| format!("the payload is not JSON: {e}"))?;
    Ok(Received { device: device.to_owned(), payload, ttl, urgency, topic })
}
