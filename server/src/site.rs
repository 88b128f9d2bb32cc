//! Serving the built app: its page (`index.html`, or `index.da.html` for a
//! browser that prefers Danish) for every client route, content-hashed
//! files under `/assets/` cached forever, precompressed `.br`/`.gz` variants
//! chosen by `Accept-Encoding`, and security headers that keep the app from
//! talking to anyone but this server.
//!
//! The layout is written by `cargo xtask` (see `xtask/src/site.rs`):
//! `index.html`, top-level files with stable names (never cached without
//! revalidation), and `assets/`, whose names change whenever their content does.

use std::path::{Path, PathBuf};

use axum::Router;
use axum::extract::Request;
use axum::http::header::{
    ACCEPT_LANGUAGE, CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY,
    VARY, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use stille_practice::Lang;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::StartError;

/// A directory holding a built app.
#[derive(Clone, Debug)]
pub struct Site {
    dir: PathBuf,
}

const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
const REVALIDATE: HeaderValue = HeaderValue::from_static("no-cache");
const NO_STORE: HeaderValue = HeaderValue::from_static("no-store");

/// Only this origin; wasm needs `wasm-unsafe-eval` to compile. Styles allow
/// inline attributes because the pacer animates with them.
const CSP: HeaderValue = HeaderValue::from_static(
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; worker-src 'self'; \
     manifest-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
);

impl Site {
    pub fn open(dir: &Path) -> Result<Site, StartError> {
        let index = dir.join("index.html");
        if index.is_file() {
            Ok(Site { dir: dir.to_path_buf() })
        } else {
            let reason = if dir.is_dir() { "it has no index.html" } else { "it is not a directory" };
            Err(StartError::Site { path: dir.to_path_buf(), reason: reason.to_owned() })
        }
    }

    pub fn router(&self) -> Router {
        let assets = ServeDir::new(self.dir.join("assets")).precompressed_br().precompressed_gzip();
        let page = |name: &str| ServeFile::new(self.dir.join(name)).precompressed_br().precompressed_gzip();
        // The app's page in the browser's language (its first view is plain
        // HTML, shown before the wasm arrives); Danish only when the build has it.
        let english = page("index.html");
        let danish =
            if self.dir.join("index.da.html").is_file() { page("index.da.html") } else { english.clone() };
        // A client route (`/practices/box`) is the app's page; a missing
        // file (`/robots.txt`, `/apple-touch-icon.png`) is a 404, not a page
        // of HTML under a file's name.
        let pages = tower::service_fn(move |request: Request| {
            let (english, danish) = (english.clone(), danish.clone());
            async move {
                let path = request.uri().path();
                if names_a_file(path) && path != "/index.html" {
                    return Ok::<_, std::convert::Infallible>(StatusCode::NOT_FOUND.into_response());
                }
                let accept =
                    request.headers().get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
                let page = match Lang::from_accept_language(accept) {
                    Lang::Da => danish,
                    Lang::En => english,
                };
                let mut response = page.oneshot(request).await?.into_response();
                response.headers_mut().append(VARY, HeaderValue::from_static("accept-language"));
                Ok(response)
            }
        });
        let files = ServeDir::new(&self.dir).precompressed_br().precompressed_gzip().fallback(pages.clone());
        Router::new()
            .nest_service("/assets", assets)
            .route_service("/", pages.clone())
            .route_service("/index.html", pages)
            .fallback_service(files)
            .layer(middleware::from_fn(cache_control))
    }
}

/// Whether a path's last segment looks like a file name (`name.ext`). The
/// app's own routes never have a dot in their last segment.
fn names_a_file(path: &str) -> bool {
    path.rsplit('/').next().is_some_and(|last| last.contains('.'))
}

async fn cache_control(request: Request, next: Next) -> Response {
    let hashed = request.uri().path().starts_with("/assets/");
    let mut response = next.run(request).await;
    let status = response.status();
    // A 304 refreshes the stored copy's headers, so it must repeat them.
    let fresh = status.is_success() || status == StatusCode::NOT_MODIFIED;
    let value = match (hashed, fresh) {
        (true, true) => IMMUTABLE,
        (false, true) => REVALIDATE,
        (_, false) if status.is_redirection() => REVALIDATE,
        (_, false) => NO_STORE,
    };
    let headers = response.headers_mut();
    headers.insert(CACHE_CONTROL, value);
    // The same URL is sent as brotli, gzip or plain: a shared cache must not
    // hand one client's encoding to another (nor, for the app's page, its
    // language: the page adds that).
    headers.append(VARY, HeaderValue::from_static("accept-encoding"));
    response
}

/// HTTPS only for a year once a browser has seen this over HTTPS (browsers
/// ignore it over plain http, so the loopback address is unaffected). Not
/// `includeSubDomains`: Stille may share a domain with other sites.
const HSTS: HeaderValue = HeaderValue::from_static("max-age=31536000");

/// The microphone for this origin only (recording one's own guidance);
/// nothing else a page could ask for.
const PERMISSIONS: HeaderValue = HeaderValue::from_static(
    "microphone=(self), camera=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), \
     display-capture=(), browsing-topics=()",
);

/// Headers for every response, API included.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(CONTENT_SECURITY_POLICY, CSP);
    headers.insert(STRICT_TRANSPORT_SECURITY, HSTS);
    // No other window (an opener, a popup) gets a handle on this one.
    headers.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    headers.insert("cross-origin-resource-policy", HeaderValue::from_static("same-origin"));
    headers.insert("permissions-policy", PERMISSIONS);
    response
}
