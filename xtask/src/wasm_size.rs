//! Where the app's wasm bytes come from: each function body in the code
//! section attributed to the crate its (demangled) name belongs to, read from
//! the wasm as cargo built it (before wasm-bindgen drops the name section).
//! Functions inlined into others count for the caller, as in any such
//! profile (twiggy's "top" works the same way).

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};

/// Code bytes per crate, and the sizes of the code and data sections.
#[derive(Debug, Default)]
pub struct Sizes {
    pub by_crate: BTreeMap<String, u64>,
    pub code: u64,
    pub data: u64,
    pub file: u64,
}

impl Sizes {
    /// The `top` crates by code bytes, as a Markdown table.
    pub fn table(&self, top: usize) -> String {
        let mut crates: Vec<(&String, &u64)> = self.by_crate.iter().collect();
        crates.sort_by(|a, b| b.1.cmp(a.1));
        let mut table = String::from("| crate | code bytes | share of code |\n|---|---:|---:|\n");
        for (name, bytes) in crates.iter().take(top) {
            table.push_str(&format!(
                "| {name} | {bytes} | {:.1} % |\n",
                **bytes as f64 * 100.0 / self.code.max(1) as f64
            ));
        }
        table
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Result<u8> {
        let b = *self.bytes.get(self.at).context("the wasm ends early")?;
        self.at += 1;
        Ok(b)
    }

    fn leb(&mut self) -> Result<u64> {
        let (mut value, mut shift) = (0u64, 0);
        loop {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(value);
            }
            shift += 7;
            if shift > 63 {
                bail!("a LEB128 number is too long");
            }
        }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let slice = self.bytes.get(self.at..self.at + n).context("the wasm ends early")?;
        self.at += n;
        Ok(slice)
    }

    fn name(&mut self) -> Result<&'a str> {
        let len = self.leb()? as usize;
        std::str::from_utf8(self.take(len)?).context("a name is not UTF-8")
    }

    fn skip_limits(&mut self) -> Result<()> {
        let flags = self.byte()?;
        self.leb()?;
        if flags & 1 == 1 {
            self.leb()?;
        }
        Ok(())
    }
}

/// The function names of a custom section, if it is the "name" section.
fn read_function_names(section: &mut Reader<'_>, names: &mut BTreeMap<u64, String>) -> Result<()> {
    if section.name()? != "name" {
        return Ok(());
    }
    while section.at < section.bytes.len() {
        let sub = section.byte()?;
        let len = section.leb()? as usize;
        let bytes = section.take(len)?;
        if sub == 1 {
            let mut n = Reader { bytes, at: 0 };
            for _ in 0..n.leb()? {
                let index = n.leb()?;
                names.insert(index, n.name()?.to_owned());
            }
        }
    }
    Ok(())
}

/// The crate a demangled symbol belongs to.
fn crate_of(demangled: &str) -> String {
    let name = demangled
        .trim_start_matches(['<', '&', '*', '(', '['])
        .trim_start_matches("mut ")
        .trim_start_matches("dyn ");
    match name.split_once("::") {
        Some((first, _))
            if !first.is_empty() && first.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
        {
            first.to_owned()
        }
        _ => "other (glue, allocator, intrinsics)".to_owned(),
    }
}

pub fn measure(path: &Path) -> Result<Sizes> {
    let bytes = fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    if bytes.get(..8) != Some(&[0, b'a', b's', b'm', 1, 0, 0, 0]) {
        bail!("{} is not a wasm module", path.display());
    }
    let mut r = Reader { bytes: &bytes, at: 8 };
    let mut imported_functions = 0u64;
    let mut bodies: Vec<u64> = Vec::new();
    let mut names: BTreeMap<u64, String> = BTreeMap::new();
    let mut sizes = Sizes { file: bytes.len() as u64, ..Sizes::default() };
    while r.at < bytes.len() {
        let id = r.byte()?;
        let len = r.leb()? as usize;
        let content = r.take(len)?;
        let mut s = Reader { bytes: content, at: 0 };
        match id {
            2 => {
                for _ in 0..s.leb()? {
                    s.name()?;
                    s.name()?;
                    match s.byte()? {
                        0 => {
                            s.leb()?;
                            imported_functions += 1;
                        }
                        1 => {
                            s.byte()?;
                            s.skip_limits()?;
                        }
                        2 => s.skip_limits()?,
                        3 => {
                            s.byte()?;
                            s.byte()?;
                        }
                        4 => {
                            s.byte()?;
                            s.leb()?;
                        }
                        kind => bail!("unknown import kind {kind}"),
                    }
                }
            }
            10 => {
                sizes.code = len as u64;
                for _ in 0..s.leb()? {
                    let size = s.leb()?;
                    s.take(size as usize)?;
                    bodies.push(size);
                }
            }
            11 => {
                sizes.data = len as u64;
            }
            0 => read_function_names(&mut s, &mut names)?,
            _ => {}
        }
    }
    if names.is_empty() {
        bail!("{} has no function names (was it built with `strip = \"symbols\"`?)", path.display());
    }
    for (i, size) in bodies.iter().enumerate() {
        let name = names.get(&(imported_functions + i as u64)).map(String::as_str).unwrap_or("");
        let demangled = rustc_demangle::demangle(name).to_string();
        *sizes.by_crate.entry(crate_of(&demangled)).or_default() += size;
    }
    Ok(sizes)
}

#[cfg(test)]
mod tests {
    use super::crate_of;

    #[test]
    fn symbols_belong_to_the_crate_of_their_first_path() {
        assert_eq!(crate_of("stille_audio::flac::Encoder::push"), "stille_audio");
        assert_eq!(crate_of("<stille_audio::mix::Soundtrack as core::fmt::Debug>::fmt"), "stille_audio");
        assert_eq!(crate_of("<&mut serde_json::de::Deserializer<R>>::parse"), "serde_json");
        assert_eq!(crate_of("core::ptr::drop_in_place<stille_app::App>"), "core");
        assert_eq!(crate_of("memcpy"), "other (glue, allocator, intrinsics)");
    }
}
