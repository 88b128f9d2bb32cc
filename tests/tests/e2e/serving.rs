//! The built site as the server sends it: compressed, with the right types and
//! caching. (Server behaviour on a synthetic site is tested in `server/tests`;
//! this checks the real output of the build.)

use anyhow::{Context, Result};
use reqwest::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE};
use stille_e2e::Stille;

fn asset_urls(index: &str) -> Vec<String> {
    index.split(['"', '\'']).filter(|part| part.starts_with("/assets/")).map(str::to_owned).collect()
}

#[tokio::test]
#[ignore = "needs the built app: run `cargo xtask test`"]
async fn built_assets_are_hashed_compressed_and_cached_forever() -> Result<()> {
    let stille = Stille::start().await?;
    let http = reqwest::Client::new();

    let index = http.get(stille.url("/")).header(ACCEPT_ENCODING, "br").send().await?;
    assert_eq!(index.status(), 200);
    assert_eq!(index.headers()[CACHE_CONTROL], "no-cache");
    assert_eq!(index.headers()[CONTENT_ENCODING], "br");
    // reqwest without its brotli feature hands us the raw bytes: ask again plainly.
    let index = http.get(stille.url("/")).send().await?.text().await?;
    // The page comes in the browser's language, with the home screen's
    // heading as plain HTML for the moments before the wasm.
    assert!(index.contains("<h1 id=\"home-heading\">Welcome to Stille</h1>"), "{index}");
    let danish =
        http.get(stille.url("/practices")).header("accept-language", "da-DK,da;q=0.9").send().await?;
    assert!(danish.text().await?.contains("<h1 id=\"home-heading\">Velkommen til Stille</h1>"));
    let assets = asset_urls(&index);
    let wasm = assets.iter().find(|u| u.ends_with(".wasm")).context("index.html preloads the wasm")?;
    assert!(assets.iter().any(|u| u.ends_with(".css")), "{assets:?}");
    assert!(assets.iter().any(|u| u.ends_with("boot.js")), "{assets:?}");

    for url in &assets {
        let response = http.get(stille.url(url)).header(ACCEPT_ENCODING, "gzip, br").send().await?;
        assert_eq!(response.status(), 200, "{url}");
        assert_eq!(response.headers()[CACHE_CONTROL], "public, max-age=31536000, immutable", "{url}");
        assert_eq!(response.headers()[CONTENT_ENCODING], "br", "{url}");
    }
    let wasm_response = http.get(stille.url(wasm)).send().await?;
    assert_eq!(wasm_response.headers()[CONTENT_TYPE], "application/wasm");
    let bytes = wasm_response.bytes().await?;
    assert_eq!(&bytes[..4], b"\0asm");

    stille.stop().await
}
