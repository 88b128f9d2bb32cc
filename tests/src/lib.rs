//! The end-to-end harness: the real server, started in this process on a free
//! port with a temporary data directory and the built app, and a browser at
//! a phone's size driven through WebDriver: Debian's Chromium (ChromeDriver,
//! touch emulated), WebKitGTK (WebKitWebDriver under Xvfb) or Firefox ESR
//! (geckodriver).
//!
//! The tests need the built site and a browser, so they are `#[ignore]`d in a
//! plain `cargo test`; `cargo xtask test` builds the site, finds Chromium and
//! runs them with `--include-ignored`, passing `STILLE_SITE_DIR`,
//! `STILLE_CHROMIUM` and `STILLE_CHROMEDRIVER`.
//!
//! Every page a test looks at is saved as `target/e2e/<name>.png` for review.

pub mod devtools;
pub mod flows;
pub mod lab;
pub mod load;
pub mod proxy;
pub mod sound;
pub mod tap;

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use stille_server::accounts::two_step::Policy;
use stille_server::{Application, Config};
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// How long to wait for the app to show something.
const PATIENCE: Duration = Duration::from_secs(30);

/// How long a click the driver has sent may take to reach a busy page.
const CLICK_ARRIVES: Duration = Duration::from_secs(5);

/// Waits (up to 2 s) until `arguments[0]` stands still over two looks 50 ms
/// apart (a page still laying out moves it under the pointer), then
/// watches the next click anywhere on the page: `window.__stilleClick`
/// becomes `'target'` when it reaches the element (or something inside
/// it), otherwise a short description of what it reached.
const SETTLE_AND_WATCH: &str = r#"
const el = arguments[0];
return (async () => {
const where = () => { const r = el.getBoundingClientRect(); return [r.x, r.y, r.width, r.height].join(); };
let last = where();
for (let i = 0; i < 40; i++) {
  await new Promise(resolve => setTimeout(resolve, 50));
  const now = where();
  if (now === last) break;
  last = now;
}
window.__stilleClick = null;
document.addEventListener('click', event => {
  const hit = event.target;
  const inert = !hit.closest('a, button, input, select, textarea, label, summary, details, [role], [tabindex], [contenteditable]');
  window.__stilleClick = (hit === el || el.contains(hit)) ? 'target'
    : `${inert ? 'inert ' : ''}<${hit.tagName.toLowerCase()} class="${hit.className}">${(hit.textContent || '').trim().slice(0, 40)}`;
}, { capture: true, once: true });
return true;
})();
"#;

/// A running Stille server with its own data directory.
#[derive(Debug)]
pub struct Stille {
    pub addr: SocketAddr,
    store: stille_server::Store,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
    /// Where its mail goes, when it sends mail ([`Stille::start_with_mail`]).
    pub mail: Option<smtp_sink::SmtpSink>,
    _data: TempDir,
}

impl Stille {
    /// Starts the server on a free port serving the site in `STILLE_SITE_DIR`.
    pub async fn start() -> Result<Stille> {
        Stille::start_with_site(env_path("STILLE_SITE_DIR")?).await
    }

    /// The built site, as `STILLE_SITE_DIR` names it (for tests that serve a changed copy).
    pub fn site_dir() -> Result<PathBuf> {
        env_path("STILLE_SITE_DIR")
    }

    /// Starts the server on a free port serving the site in `site`.
    pub async fn start_with_site(site: PathBuf) -> Result<Stille> {
        Stille::start_configured(site, None, Policy::Required, None).await
    }

    /// A server that sends reminders to the push services at `origins`
    /// (comma-separated), instead of the real ones; instructors need not sign
    /// in with two steps (tested in `account.rs`: the tests here are about what
    /// reaches a phone).
    pub async fn start_with_push_services(origins: &str) -> Result<Stille> {
        Stille::start_configured(
            env_path("STILLE_SITE_DIR")?,
            None,
            Policy::Optional,
            Some(origins.to_owned()),
        )
        .await
    }

    /// A server where instructors need not sign in with two steps: for the
    /// benchmarks, which measure the dashboard, not signing in.
    pub async fn start_two_step_optional() -> Result<Stille> {
        Stille::start_configured(env_path("STILLE_SITE_DIR")?, None, Policy::Optional, None).await
    }

    /// Starts a server that sends mail, to an SMTP sink (`stille.mail`);
    /// the links in it point at this server.
    pub async fn start_with_mail() -> Result<Stille> {
        let sink = smtp_sink::SmtpSink::start().await;
        Stille::start_configured(env_path("STILLE_SITE_DIR")?, Some(sink), Policy::Required, None).await
    }

    async fn start_configured(
        site: PathBuf,
        mail: Option<smtp_sink::SmtpSink>,
        two_step: Policy,
        push_services: Option<String>,
    ) -> Result<Stille> {
        let data = TempDir::new()?;
        let mut config = Config::for_data_dir(data.path());
        config.site_dir = Some(site);
        config.instructor_two_step = two_step;
        if let Some(origins) = push_services {
            config.push_services = origins;
            // The test sends what is due itself.
            config.push_every = None;
        }
        // The links in mail need the server's address before it starts: a
        // free port, found by binding and letting go.
        if let Some(sink) = &mail {
            let probe = std::net::TcpListener::bind("127.0.0.1:0")?;
            config.addr = probe.local_addr()?;
            drop(probe);
            config.smtp_url = Some(sink.url());
            config.mail_from = Some("Stille <stille@stille.test>".into());
            config.public_url = Some(format!("http://{}", config.addr));
        }
        let app = Application::build(&config).await?;
        let addr = app.local_addr()?;
        let store = app.store();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(app.run(async move {
            let _ = stopped.await;
        }));
        Ok(Stille { addr, store, stop: Some(stop), task: Some(task), mail, _data: data })
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Its store (for what the admin command does, beside the running server).
    pub fn store(&self) -> &stille_server::Store {
        &self.store
    }

    /// A bearer token for `email`'s account (the API as a native client uses it).
    pub async fn bearer_token(&self, email: &str, password: &str) -> Result<String> {
        let login: Value = reqwest::Client::new()
            .post(self.url("/api/sessions"))
            .json(&json!({ "email": email, "password": password, "token": true }))
            .send()
            .await?
            .json()
            .await?;
        Ok(login["token"].as_str().context("log-in answers with a bearer token")?.to_owned())
    }

    /// Makes an instructor account, as `stille-server admin create-instructor` does.
    pub async fn make_instructor(&self, email: &str, name: &str, password: &str) -> Result<()> {
        stille_server::accounts::create_instructor(
            &self.store,
            email,
            name,
            stille_server::accounts::Unverified::Refuse,
            || Ok(password.to_owned()),
        )
        .await?;
        Ok(())
    }

    /// Stops the server gracefully and waits until it has.
    pub async fn stop(mut self) -> Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await??;
        }
        Ok(())
    }
}

/// A page [`Browser::hide_page`] hid: its window, and where the window stood
/// (when minimized).
#[derive(Debug)]
pub struct HiddenPage {
    page: fantoccini::wd::WindowHandle,
    rect: Option<(u64, u64, u64, u64)>,
}

/// A browser engine the tests drive. Every iPhone browser is WebKit; Android
/// phones run Chromium and Firefox.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// Debian's Chromium through ChromeDriver (phone emulation, CDP).
    Chromium,
    /// Debian's WebKitGTK MiniBrowser through WebKitWebDriver, on the Xvfb
    /// display `cargo xtask test` starts (`STILLE_DISPLAY`).
    WebKit,
    /// Debian's Firefox ESR, headless, through geckodriver (from crates.io).
    Firefox,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Chromium => "chromium",
            Engine::WebKit => "webkit",
            Engine::Firefox => "firefox",
        }
    }
}

/// A browser window (through its own driver) with a fresh profile.
#[derive(Debug)]
pub struct Browser {
    pub client: Client,
    pub engine: Engine,
    driver: Child,
    _profile: TempDir,
}

/// The languages the browser says it prefers (Accept-Language and
/// `navigator.languages`).
#[derive(Clone, Copy, Debug)]
pub enum Locale {
    English,
    Danish,
}

/// The phone's viewport, in CSS px.
const PHONE: (u32, u32) = (412, 915);

impl Browser {
    /// A phone-sized (412 × 915 CSS px), touch-enabled headless Chromium.
    pub async fn phone(locale: Locale) -> Result<Browser> {
        Browser::open(Engine::Chromium, locale).await
    }

    /// A phone-sized Chromium whose microphone plays `wav` (and allows it
    /// without asking), as Chromium's fake capture device does.
    pub async fn phone_with_microphone(locale: Locale, wav: &std::path::Path) -> Result<Browser> {
        let flags = vec![
            "--use-fake-ui-for-media-stream".to_owned(),
            "--use-fake-device-for-media-stream".to_owned(),
            format!("--use-file-for-fake-audio-capture={}", wav.display()),
        ];
        Browser::open_with(Engine::Chromium, locale, flags).await
    }

    /// A phone-sized window of `engine` (412 × 915 CSS px; touch is emulated
    /// in Chromium only).
    pub async fn open(engine: Engine, locale: Locale) -> Result<Browser> {
        Browser::open_with(engine, locale, Vec::new()).await
    }

    /// A window of `engine` whose page is `width` × `height` CSS px, as a
    /// phone of that size shows under its browser's bars (Chromium
    /// emulates that phone; WebKit's and Firefox's window is that size).
    pub async fn open_sized(engine: Engine, locale: Locale, (width, height): (u32, u32)) -> Result<Browser> {
        Browser::open_as(engine, locale, Vec::new(), (width, height), None).await
    }

    /// A phone-sized WebKit that plays its sound into `sound` (where a
    /// test can record it), not into the machine's default output.
    pub async fn webkit_playing_into(sound: &sound::SoundServer, locale: Locale) -> Result<Browser> {
        Browser::open_as(Engine::WebKit, locale, Vec::new(), PHONE, Some(&sound.address)).await
    }

    /// As [`Browser::open`], with more command-line flags (Chromium only).
    async fn open_with(engine: Engine, locale: Locale, flags: Vec<String>) -> Result<Browser> {
        Browser::open_as(engine, locale, flags, PHONE, None).await
    }

    async fn open_as(
        engine: Engine,
        locale: Locale,
        flags: Vec<String>,
        size: (u32, u32),
        sound: Option<&str>,
    ) -> Result<Browser> {
        let port = free_port()?;
        let profile = TempDir::new()?;
        let (mut command, capabilities) = match engine {
            Engine::Chromium => chromium(port, locale, &profile, flags, size)?,
            Engine::WebKit => webkit(port, locale, sound)?,
            Engine::Firefox => firefox(port, locale)?,
        };
        // Its own process group: ending the test ends the browser the driver
        // started too (WebKitWebDriver leaves MiniBrowser running otherwise).
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let driver = command.stdout(Stdio::null()).stderr(Stdio::null()).spawn().with_context(|| {
            format!("cannot start the {} driver {:?}", engine.name(), command.get_program())
        })?;
        let Value::Object(capabilities) = capabilities else { bail!("capabilities are an object") };
        let webdriver = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector).capabilities(capabilities.clone()).connect(&webdriver).await {
                Ok(client) => break client,
                // The driver takes a moment to listen.
                Err(_) if started.elapsed() < Duration::from_secs(20) => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(error) => bail!("cannot start {} through its driver: {error}", engine.name()),
            }
        };
        let browser = Browser { client, engine, driver, _profile: profile };
        browser.phone_sized(size).await?;
        Ok(browser)
    }

    /// Chromium emulates the phone; WebKit and Firefox get a window of its
    /// size (Firefox's window is at least 500 px wide until its own style
    /// lets it be narrower).
    async fn phone_sized(&self, (width, height): (u32, u32)) -> Result<()> {
        match self.engine {
            Engine::Chromium => return Ok(()),
            Engine::WebKit => {}
            Engine::Firefox => {
                self.in_firefox_chrome(
                    "document.documentElement.style.minWidth = '0px'; \
                     document.documentElement.style.minHeight = '0px'; return true",
                )
                .await?;
            }
        }
        self.client.set_window_rect(0, 0, width, height).await?;
        Ok(())
    }

    /// Runs `script` in Firefox's own window (not the page), where the
    /// browser's network switch and window style are.
    async fn in_firefox_chrome(&self, script: &str) -> Result<Value> {
        self.client.issue_cmd(MozContext("chrome")).await.context("switching to Firefox's chrome context")?;
        let result = self.client.execute(script, vec![]).await;
        self.client.issue_cmd(MozContext("content")).await.context("switching back to the page")?;
        Ok(result?)
    }

    pub async fn goto(&self, url: &str) -> Result<()> {
        self.client.goto(url).await?;
        Ok(())
    }

    /// Whether the app has started: `index.html`'s first view (`#boot`, the
    /// same heading and header as plain HTML) is gone and the app's own
    /// screen, with every handler, is there.
    pub async fn app_started(&self) -> Result<bool> {
        Ok(self.eval("return document.getElementById('boot') === null").await? == Value::Bool(true))
    }

    /// Every element matching `css`, or none while the page is being drawn
    /// again under the driver: WebKit's driver now and then answers a find
    /// with "Stale element found when trying to create the node handle"
    /// when a node goes as it is found. A waiting loop then looks again.
    async fn find_settled(&self, css: &str) -> Result<Vec<Element>> {
        match self.client.find_all(Locator::Css(css)).await {
            Ok(elements) => Ok(elements),
            Err(error)
                if error.is_stale_element_reference() || error.to_string().contains("Stale element") =>
            {
                Ok(Vec::new())
            }
            Err(error) => Err(error.into()),
        }
    }

    /// Waits until an element matching `css` shows `text` in the app (not in
    /// the first view `index.html` shows before the wasm) and returns it.
    pub async fn wait_for_text(&self, css: &str, text: &str) -> Result<Element> {
        let started = Instant::now();
        loop {
            let elements = if self.app_started().await? { self.find_settled(css).await? } else { Vec::new() };
            for element in elements {
                if element.text().await.is_ok_and(|t| t.trim() == text) {
                    return Ok(element);
                }
            }
            if started.elapsed() > PATIENCE {
                let body = self.text("body").await.unwrap_or_default();
                bail!("no `{css}` showing {text:?} after {PATIENCE:?}; the page shows:\n{body}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until an element matching `css` shows text containing `part`,
    /// and returns that text.
    pub async fn wait_for_text_like(&self, css: &str, part: &str) -> Result<String> {
        let started = Instant::now();
        loop {
            let elements = if self.app_started().await? { self.find_settled(css).await? } else { Vec::new() };
            for element in elements {
                if let Ok(text) = element.text().await
                    && text.contains(part)
                {
                    return Ok(text.trim().to_owned());
                }
            }
            if started.elapsed() > PATIENCE {
                bail!("no `{css}` containing {part:?} after {PATIENCE:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Clicks the first element matching `css` and makes sure the page got
    /// the click ([`Browser::click_element`]). The page may draw the element
    /// anew between finding and clicking it (a list read again when records
    /// arrive): then it is found again, up to three times in all.
    pub async fn click(&self, css: &str) -> Result<()> {
        let mut attempt = 1;
        loop {
            let element =
                self.client.find(Locator::Css(css)).await.with_context(|| format!("no `{css}` to click"))?;
            match self.click_element(&element).await {
                Err(error) if attempt < 3 && is_stale(&error) => attempt += 1,
                done => return done.with_context(|| format!("clicking `{css}`")),
            }
        }
    }

    /// Clicks `element` as a finger would, once it has stopped moving, and
    /// makes sure the page got the click.
    ///
    /// WebKit's driver now and then loses a click on a busy page (Safari's
    /// driver has the same long-standing bug): the driver answers, and the
    /// page never sees a click. So the page is watched: a click that arrived
    /// nowhere, or on plain text (the page moved under the pointer; such a
    /// click does nothing), is sent again (at most three times in all); a
    /// click that reached another control is an error naming what it hit,
    /// never silently repeated.
    pub async fn click_element(&self, element: &Element) -> Result<()> {
        let target = serde_json::to_value(element)?;
        let mut missed = String::new();
        for attempt in 1..=3 {
            self.client
                .execute(SETTLE_AND_WATCH, vec![target.clone()])
                .await
                .context("watching for the click")?;
            element.click().await?;
            let started = Instant::now();
            missed = loop {
                // `undefined`: the click loaded another page, so it arrived.
                let got = self
                    .eval("return window.__stilleClick === undefined ? 'gone' : window.__stilleClick")
                    .await?;
                match got.as_str() {
                    Some("target" | "gone") => return Ok(()),
                    Some(inert) if inert.starts_with("inert ") => {
                        break format!("reached {} (the page moved under the pointer)", &inert[6..]);
                    }
                    Some(other) => {
                        bail!("the click reached {other} instead (the page moved under the pointer)")
                    }
                    None if started.elapsed() < CLICK_ARRIVES => {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    None => break "never reached the page".to_owned(),
                }
            };
            eprintln!("{}: click {attempt} {missed}; sending it again", self.engine.name());
        }
        bail!("three clicks missed; the last {missed}")
    }

    /// The visible text of the first element matching `css`.
    pub async fn text(&self, css: &str) -> Result<String> {
        Ok(self.client.find(Locator::Css(css)).await?.text().await?)
    }

    /// The visible texts of every element matching `css`.
    pub async fn texts(&self, css: &str) -> Result<Vec<String>> {
        let mut texts = Vec::new();
        for element in self.client.find_all(Locator::Css(css)).await? {
            texts.push(element.text().await?.trim().to_owned());
        }
        Ok(texts)
    }

    /// Runs `script` (a function body; a returned promise is awaited) and
    /// gives back what it returns.
    pub async fn eval(&self, script: &str) -> Result<Value> {
        Ok(self.client.execute(script, vec![]).await?)
    }

    /// Waits until `script` returns true.
    pub async fn wait_until(&self, what: &str, script: &str) -> Result<()> {
        self.wait_until_within(what, script, PATIENCE).await
    }

    /// Waits up to `patience` until `script` returns true.
    pub async fn wait_until_within(&self, what: &str, script: &str, patience: Duration) -> Result<()> {
        let started = Instant::now();
        while self.eval(script).await? != Value::Bool(true) {
            if started.elapsed() > patience {
                bail!("{what}: not after {patience:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(())
    }

    /// A DevTools connection of the test's own (Chromium only): for service
    /// workers and events, which ChromeDriver's `goog/cdp/execute` cannot reach.
    pub async fn devtools(&self) -> Result<devtools::Devtools> {
        if self.engine != Engine::Chromium {
            bail!("only Chromium has a DevTools socket here");
        }
        devtools::Devtools::connect(self._profile.path()).await
    }

    /// Sends a Chrome DevTools Protocol command (through ChromeDriver's
    /// `goog/cdp/execute`) and gives back its result: network and CPU
    /// throttling, going offline.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Result<Value> {
        let result = self.client.issue_cmd(Cdp { cmd: cmd.to_owned(), params }).await;
        result.with_context(|| format!("CDP {cmd}"))
    }

    /// Cuts the browser off the network (`true`) or puts it back, as a phone in
    /// a tunnel would be: every request, the service worker's too, fails.
    /// Chromium through DevTools; Firefox by its own offline switch (which
    /// also sets `navigator.onLine`); WebKitGTK has no switch a driver can
    /// reach, so its tests stop the server instead.
    pub async fn set_offline(&self, offline: bool) -> Result<()> {
        match self.engine {
            Engine::Chromium => {
                self.cdp("Network.enable", json!({})).await?;
                let conditions = json!({
                    "offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1
                });
                self.cdp("Network.emulateNetworkConditions", conditions).await?;
            }
            Engine::Firefox => {
                self.in_firefox_chrome(&format!(
                    "Services.io.offline = {offline}; return Services.io.offline"
                ))
                .await?;
            }
            Engine::WebKit => {
                bail!("WebKitGTK's driver cannot switch the network off; stop the server instead")
            }
        }
        Ok(())
    }

    /// Hides the page, as a phone does when its screen locks or another app
    /// comes to the front. Chromium and Firefox hide it behind another tab;
    /// WebKitGTK keeps a page behind another tab "visible", so there its
    /// window is minimized (which hides the page).
    pub async fn hide_page(&self) -> Result<HiddenPage> {
        let page = self.client.window().await?;
        if self.engine == Engine::WebKit {
            let rect = self.client.get_window_rect().await?;
            self.client.minimize_window().await?;
            self.wait_until("the page is hidden", "return document.visibilityState === 'hidden'").await?;
            return Ok(HiddenPage { page, rect: Some(rect) });
        }
        let other = self.client.new_window(true).await?;
        self.client.switch_to_window(other.handle).await?;
        Ok(HiddenPage { page, rect: None })
    }

    /// Shows the page [`Browser::hide_page`] hid.
    pub async fn show_page(&self, hidden: HiddenPage) -> Result<()> {
        match hidden.rect {
            Some((x, y, width, height)) => {
                // Setting the window's rectangle restores it first.
                self.client.set_window_rect(x as u32, y as u32, width as u32, height as u32).await?;
            }
            None => {
                self.client.close_window().await?;
                self.client.switch_to_window(hidden.page).await?;
            }
        }
        self.wait_until("the page is visible", "return document.visibilityState === 'visible'").await
    }

    /// The path of the current URL.
    pub async fn path(&self) -> Result<String> {
        Ok(self.client.current_url().await?.path().to_owned())
    }

    /// Saves the page as `target/e2e/<name>.png`.
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf> {
        let png = self.client.screenshot().await?;
        let dir = workspace_root().join("target/e2e");
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png)?;
        Ok(path)
    }

    /// Ends the session and the driver.
    pub async fn close(mut self) -> Result<()> {
        let closed = self.client.clone().close().await;
        self.end_driver();
        closed?;
        Ok(())
    }

    /// Kills the driver's whole process group (driver, browser, helpers).
    fn end_driver(&mut self) {
        let group = format!("-{}", self.driver.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // A failed test must not leave the driver (and its browser) behind.
        self.end_driver();
    }
}

/// ChromeDriver with Debian's Chromium, emulating a phone.
fn chromium(
    port: u16,
    locale: Locale,
    profile: &TempDir,
    flags: Vec<String>,
    (width, height): (u32, u32),
) -> Result<(Command, Value)> {
    let chromium = env_path("STILLE_CHROMIUM")?;
    let mut command = Command::new(env_path("STILLE_CHROMEDRIVER")?);
    command.arg(format!("--port={port}"));
    let (lang, accept) = match locale {
        Locale::English => ("en-US", "en-US,en"),
        Locale::Danish => ("da-DK", "da-DK,da"),
    };
    let mut args: Vec<String> = FLAGS.iter().map(|f| (*f).to_owned()).collect();
    args.push(format!("--user-data-dir={}", profile.path().display()));
    args.push(format!("--lang={lang}"));
    args.extend(flags);
    let capabilities = json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": args,
            "prefs": { "intl": { "accept_languages": accept } },
            "mobileEmulation": {
                "deviceMetrics": { "width": width, "height": height, "pixelRatio": 2.0, "touch": true }
            }
        }
    });
    Ok((command, capabilities))
}

/// WebKitWebDriver with Debian's MiniBrowser on the test run's Xvfb display.
/// WebKitGTK takes its language from the C library's locale (`LC_ALL`).
fn webkit(port: u16, locale: Locale, sound: Option<&str>) -> Result<(Command, Value)> {
    let display = std::env::var("STILLE_DISPLAY")
        .context("STILLE_DISPLAY names the Xvfb display (cargo xtask test sets it)")?;
    let mut command = Command::new(env_path("STILLE_WEBKIT_DRIVER")?);
    command
        .arg(format!("--port={port}"))
        .arg("--host=127.0.0.1")
        .env("DISPLAY", display)
        // No session bus: GTK would start helpers that outlive the test.
        .env("DBUS_SESSION_BUS_ADDRESS", "disabled:")
        .env("NO_AT_BRIDGE", "1")
        .env("GDK_SCALE", "2")
        .env(
            "LC_ALL",
            match locale {
                Locale::English => "en_US.UTF-8",
                Locale::Danish => "da_DK.UTF-8",
            },
        );
    // GStreamer's PulseAudio sink finds no server otherwise (and WebKit
    // falls back to a sink that plays nowhere).
    if let Some(address) = sound {
        command.env("PULSE_SERVER", address);
    }
    // `args` replaces MiniBrowser's defaults, so `--automation` stays; the
    // full screen hides its toolbar, which keeps a window from being narrower
    // than 447 px.
    let capabilities = json!({
        "webkitgtk:browserOptions": {
            "args": ["--automation", "--full-screen", "--enable-webaudio=true"]
        }
    });
    Ok((command, capabilities))
}

/// geckodriver with Debian's Firefox ESR, headless. System access lets the
/// tests use Firefox's own offline switch; the sound server `cargo xtask
/// test` starts (`STILLE_PULSE_SERVER`) lets its AudioContext run.
fn firefox(port: u16, locale: Locale) -> Result<(Command, Value)> {
    let firefox = env_path("STILLE_FIREFOX")?;
    let mut command = Command::new(env_path("STILLE_GECKODRIVER")?);
    command
        .args(["--host", "127.0.0.1", "--port", &port.to_string(), "--allow-system-access", "--log", "error"])
        .arg("--binary")
        .arg(&firefox);
    if let Ok(pulse) = std::env::var("STILLE_PULSE_SERVER") {
        command.env("PULSE_SERVER", pulse);
    }
    let accept = match locale {
        Locale::English => "en-US, en",
        Locale::Danish => "da-DK, da",
    };
    let capabilities = json!({
        "moz:firefoxOptions": {
            "binary": firefox,
            "args": ["-headless", "--kiosk"],
            "prefs": {
                "intl.accept_languages": accept,
                // Without it, going offline still reaches 127.0.0.1.
                "network.disable-localhost-when-offline": true,
                "layout.css.devPixelsPerPx": "2.0"
            }
        }
    });
    Ok((command, capabilities))
}

/// axe-core's source, from `STILLE_AXE` (set by `cargo xtask test`).
pub fn axe_source() -> Result<String> {
    let path =
        std::env::var("STILLE_AXE").context("STILLE_AXE names axe.min.js (cargo xtask test sets it)")?;
    std::fs::read_to_string(&path).with_context(|| format!("cannot read {path}"))
}

/// Runs axe (WCAG 2.1 A and AA rules) on the page as it is; its violations.
pub async fn audit(browser: &Browser, axe: &str) -> Result<Vec<Value>> {
    let script = format!(
        "{axe}\nreturn axe.run(document, {{ runOnly: {{ type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }} }})\
         .then((r) => r.violations.map((v) => ({{ id: v.id, impact: v.impact, help: v.help, \
         nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }})));"
    );
    let result = browser.eval(&script).await?;
    Ok(result.as_array().cloned().unwrap_or_default())
}

/// Audits in the light and the dark theme; the serious and critical
/// violations, labelled with `screen` (every violation is printed).
pub async fn audit_both_themes(browser: &Browser, axe: &str, screen: &str) -> Result<Vec<String>> {
    let mut serious = Vec::new();
    for theme in ["light", "dark"] {
        browser
            .eval(&format!("document.documentElement.setAttribute('data-theme', '{theme}'); return true"))
            .await?;
        tokio::time::sleep(Duration::from_millis(150)).await;
        for v in audit(browser, axe).await? {
            let impact = v["impact"].as_str().unwrap_or("?");
            let line = format!("{screen} ({theme}): {} [{impact}] {} at {}", v["id"], v["help"], v["nodes"]);
            println!("axe: {line}");
            if matches!(impact, "serious" | "critical") {
                serious.push(line);
            }
        }
    }
    browser.eval("document.documentElement.removeAttribute('data-theme'); return true").await?;
    Ok(serious)
}

/// A CDP command for ChromeDriver's vendor endpoint.
#[derive(Debug)]
struct Cdp {
    cmd: String,
    params: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({ "cmd": self.cmd, "params": self.params }).to_string()))
    }
}

/// geckodriver's command for Firefox's chrome ("chrome") or page ("content") context.
#[derive(Debug)]
struct MozContext(&'static str);

impl fantoccini::wd::WebDriverCompatibleCommand for MozContext {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/moz/context", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({ "context": self.0 }).to_string()))
    }
}

/// Headless Chromium on a locked-down machine (see xtask's tools.rs).
const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

fn env_path(var: &str) -> Result<PathBuf> {
    match std::env::var_os(var) {
        Some(value) if !value.is_empty() => Ok(PathBuf::from(value)),
        _ => bail!("{var} is not set: run the end-to-end tests with `cargo xtask test`"),
    }
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

pub fn workspace_root() -> PathBuf {
    // At run time (cargo sets it for tests and `cargo run`): the build cache may
    // be shared with another checkout.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// Whether `error` is the driver saying an element is no longer on the page.
fn is_stale(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause.downcast_ref::<fantoccini::error::CmdError>().is_some_and(|e| e.is_stale_element_reference())
    })
}
