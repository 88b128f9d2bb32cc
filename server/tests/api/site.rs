//! Static serving on a small synthetic site laid out as `cargo xtask` lays out
//! the real one.

use std::fs;
use std::path::Path;

use tempfile::TempDir;

use crate::helpers::spawn_app_on;

const INDEX: &str = "<!doctype html><title>Stille</title>";
const INDEX_DA: &str = "<!doctype html><html lang=da><title>Stille</title>";

fn synthetic_site() -> TempDir {
    let dir = TempDir::new().expect("temp dir");
    let root = dir.path();
    let write = |path: &str, bytes: &[u8]| {
        let path = root.join(path);
        fs::create_dir_all(path.parent().unwrap_or(Path::new("."))).expect("mkdir");
        fs::write(path, bytes).expect("write");
    };
    write("index.html", INDEX.as_bytes());
    write("index.da.html", INDEX_DA.as_bytes());
    write("favicon.svg", b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    write("assets/app-0123456789abcdef/stille_app.js", b"export default 1;");
    write("assets/app-0123456789abcdef/stille_app.js.br", b"BROTLI");
    write("assets/app-0123456789abcdef/stille_app_bg.wasm", b"\0asm\x01\0\0\0");
    dir
}

#[tokio::test]
async fn index_is_never_cached_and_client_routes_fall_back_to_it() {
    let site = synthetic_site();
    let app = spawn_app_on("sqlite", Some(site.path())).await;
    for path in ["/", "/practices", "/practices/some-id", "/index.html"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
        assert!(response.headers()["content-type"].to_str().unwrap_or_default().starts_with("text/html"));
        assert_eq!(response.text().await.expect("body"), INDEX, "{path}");
    }
    app.stop().await;
}

#[tokio::test]
async fn hashed_assets_are_cached_forever_with_their_types() {
    let site = synthetic_site();
    let app = spawn_app_on("sqlite", Some(site.path())).await;
    let wasm = app.get("/assets/app-0123456789abcdef/stille_app_bg.wasm").await;
    assert_eq!(wasm.status(), 200);
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    assert_eq!(wasm.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(wasm.headers()["vary"], "accept-encoding");

    // Revalidation keeps the asset immutable.
    let modified = wasm.headers()["last-modified"].clone();
    let again = app
        .http
        .get(app.url("/assets/app-0123456789abcdef/stille_app_bg.wasm"))
        .header("if-modified-since", modified)
        .send()
        .await
        .expect("request");
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["cache-control"], "public, max-age=31536000, immutable");

    let favicon = app.get("/favicon.svg").await;
    assert_eq!(favicon.headers()["content-type"], "image/svg+xml");
    assert_eq!(favicon.headers()["cache-control"], "no-cache");
    app.stop().await;
}

#[tokio::test]
async fn precompressed_files_are_sent_when_accepted() {
    let site = synthetic_site();
    let app = spawn_app_on("sqlite", Some(site.path())).await;
    let url = app.url("/assets/app-0123456789abcdef/stille_app.js");

    let br = app.http.get(&url).header("accept-encoding", "gzip, br").send().await.expect("request");
    assert_eq!(br.headers()["content-encoding"], "br");
    assert!(br.headers()["content-type"].to_str().unwrap_or_default().contains("javascript"));
    assert_eq!(br.bytes().await.expect("body").as_ref(), b"BROTLI");

    let plain = app.http.get(&url).send().await.expect("request");
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.bytes().await.expect("body").as_ref(), b"export default 1;");
    app.stop().await;
}

#[tokio::test]
async fn a_missing_asset_is_a_404_that_is_not_cached() {
    let site = synthetic_site();
    let app = spawn_app_on("sqlite", Some(site.path())).await;
    let response = app.get("/assets/app-ffffffffffffffff/stille_app.js").await;
    assert_eq!(response.status(), 404);
    assert_eq!(response.headers()["cache-control"], "no-store");
    app.stop().await;
}

#[tokio::test]
async fn a_missing_file_outside_the_assets_is_a_404_not_the_page() {
    let site = synthetic_site();
    let app = spawn_app_on("sqlite", Some(site.path())).await;
    for path in ["/robots.txt", "/apple-touch-icon.png", "/practices/x/y.json"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
        assert_ne!(response.text().await.expect("body"), INDEX, "{path}");
    }
    app.stop().await;
}

#[tokio::test]
async fn the_page_comes_in_the_browsers_language() {
    let site = synthetic_site();
    let app = spawn_app_on("sqlite", Some(site.path())).await;
    for (accept, expected) in [
        ("da-DK,da;q=0.9,en;q=0.8", INDEX_DA),
        ("en-US,en;q=0.9,da;q=0.8", INDEX),
        ("sv-SE,sv;q=0.9", INDEX),
        ("", INDEX),
    ] {
        for path in ["/", "/practices/box", "/index.html"] {
            let response =
                app.http.get(app.url(path)).header("accept-language", accept).send().await.expect("request");
            assert_eq!(response.status(), 200, "{path} {accept}");
            let vary: Vec<_> =
                response.headers().get_all("vary").iter().filter_map(|v| v.to_str().ok()).collect();
            assert!(vary.iter().any(|v| v.contains("accept-language")), "{path}: {vary:?}");
            assert_eq!(response.text().await.expect("body"), expected, "{path} {accept:?}");
        }
    }
    app.stop().await;
}
