//! Reads the catalog from `content/practices/*.toml`,
//! `content/courses/*.toml` and `content/instruments/*.toml`, validates it with the same rules as the crate's
//! tests (every practice is also laid out at its lengths and checked), and
//! embeds it as postcard bytes so the browser app needs no TOML parser. A bad
//! file fails the build and says which file and what is wrong.

#[path = "src/measures.rs"]
#[allow(dead_code)]
mod measures;
#[path = "src/model.rs"]
#[allow(dead_code)]
mod model;
#[path = "src/timeline.rs"]
#[allow(dead_code)]
mod timeline;
#[path = "src/validate.rs"]
#[allow(dead_code)]
mod validate;

use std::path::{Path, PathBuf};
use std::{env, fs, process};

use measures::Instrument;
use model::{Catalog, CourseTemplate, Practice};
use serde::de::DeserializeOwned;

fn main() {
    println!("cargo:rerun-if-changed=content");
    for source in ["src/model.rs", "src/timeline.rs", "src/validate.rs", "src/measures.rs"] {
        println!("cargo:rerun-if-changed={source}");
    }
    let mut errors = Vec::new();
    let practices: Vec<Practice> = load(Path::new("content/practices"), &mut errors);
    let courses: Vec<CourseTemplate> = load(Path::new("content/courses"), &mut errors);
    if practices.is_empty() && errors.is_empty() {
        errors.push("content/practices holds no practices".to_owned());
    }
    let instruments: Vec<Instrument> = load(Path::new("content/instruments"), &mut errors);
    let catalog = Catalog { practices, courses, instruments };
    if errors.is_empty()
        && let Err(problems) = catalog.validate()
    {
        errors.extend(problems.iter().map(ToString::to_string));
    }
    if !errors.is_empty() {
        fail(&errors.join("\n"));
    }
    let bytes = match postcard::to_allocvec(&catalog) {
        Ok(bytes) => bytes,
        Err(e) => fail(&format!("cannot encode the catalog: {e}")),
    };
    // The app and server decode these bytes at start-up: prove here that they
    // come back as the same catalog, so a round-trip bug fails the build and
    // not a phone.
    match postcard::from_bytes::<Catalog>(&bytes) {
        Ok(decoded) if decoded == catalog => {}
        Ok(_) => fail("the encoded catalog decodes to something else (a model type does not round-trip)"),
        Err(e) => fail(&format!("the encoded catalog does not decode: {e}")),
    }
    // The web app carries the catalog without its details (scripts, course
    // sessions) and fetches those when a practice is opened.
    let (index, details) = catalog.clone().split();
    if index.clone().join(details.clone()).as_ref() != Some(&catalog) {
        fail("splitting the catalog into index and details loses something");
    }
    let encode = |what: &str, result: Result<Vec<u8>, postcard::Error>| match result {
        Ok(bytes) => bytes,
        Err(e) => fail(&format!("cannot encode the catalog's {what}: {e}")),
    };
    let index = encode("index", postcard::to_allocvec(&index));
    let details = encode("details", postcard::to_allocvec(&details));
    println!("cargo:rustc-env=STILLE_DETAILS_FINGERPRINT={}", model::fingerprint(&details));
    let out = PathBuf::from(env::var_os("OUT_DIR").unwrap_or_default());
    for (name, bytes) in
        [("catalog.postcard", bytes), ("index.postcard", index), ("details.postcard", details)]
    {
        if let Err(e) = fs::write(out.join(name), bytes) {
            fail(&format!("cannot write {name} to {}: {e}", out.display()));
        }
    }
}

/// Every `*.toml` in `dir`, in file-name order (which is library order).
fn load<T: DeserializeOwned>(dir: &Path, errors: &mut Vec<String>) -> Vec<T> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push(format!("cannot read {}: {e}", dir.display()));
            return Vec::new();
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    let mut items = Vec::with_capacity(files.len());
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let parsed = fs::read_to_string(file)
            .map_err(|e| e.to_string())
            .and_then(|text| toml::from_str::<T>(&text).map_err(|e| e.to_string()));
        match parsed {
            Ok(item) => items.push(item),
            Err(e) => errors.push(format!("{}: {e}", file.display())),
        }
    }
    items
}

fn fail(message: &str) -> ! {
    eprintln!("error: the practice catalog is invalid:\n{message}");
    process::exit(1);
}
