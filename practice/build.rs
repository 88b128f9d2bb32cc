//! Reads the practice catalog from `content/practices/*.toml`, validates it with
//! the same rules as the crate's tests, and embeds it as postcard bytes so the
//! browser app needs no TOML parser. A bad file fails the build and says which
//! file and what is wrong.

#[path = "src/model.rs"]
#[allow(dead_code)]
mod model;

use std::path::{Path, PathBuf};
use std::{env, fs, process};

use model::{Catalog, Practice};

fn main() {
    let content = Path::new("content/practices");
    println!("cargo:rerun-if-changed={}", content.display());
    println!("cargo:rerun-if-changed=src/model.rs");
    match load(content) {
        Ok(catalog) => {
            let bytes = match postcard::to_allocvec(&catalog) {
                Ok(bytes) => bytes,
                Err(e) => fail(&format!("cannot encode the catalog: {e}")),
            };
            let out = PathBuf::from(env::var_os("OUT_DIR").unwrap_or_default());
            if let Err(e) = fs::write(out.join("catalog.postcard"), bytes) {
                fail(&format!("cannot write the catalog to {}: {e}", out.display()));
            }
        }
        Err(message) => fail(&message),
    }
}

fn load(dir: &Path) -> Result<Catalog, String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    // Library order is file-name order: the files are numbered by programme.
    files.sort();
    let mut practices = Vec::with_capacity(files.len());
    let mut errors = Vec::new();
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let parsed = fs::read_to_string(file)
            .map_err(|e| e.to_string())
            .and_then(|text| toml::from_str::<Practice>(&text).map_err(|e| e.to_string()));
        match parsed {
            Ok(practice) => practices.push(practice),
            Err(e) => errors.push(format!("{}: {e}", file.display())),
        }
    }
    let catalog = Catalog { practices };
    if let Err(problems) = catalog.validate() {
        errors.extend(problems.iter().map(|p| format!("{}: {p}", dir.display())));
    }
    if catalog.practices.is_empty() && errors.is_empty() {
        errors.push(format!("{} holds no practices", dir.display()));
    }
    if errors.is_empty() { Ok(catalog) } else { Err(errors.join("\n")) }
}

fn fail(message: &str) -> ! {
    eprintln!("error: the practice catalog is invalid:\n{message}");
    process::exit(1);
}
