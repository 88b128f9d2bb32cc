//! The app's UI strings, read as text from their one table
//! (`app/src/i18n.rs`, `Key: "dansk", "English";` entries in the `strings!`
//! block). The release build of the app does not carry them: [`write`] puts
//! each language's texts into two files the app fetches (see i18n.rs), each a
//! JSON array with a place for every key in the keys' order:
//! `assets/strings-<fingerprint>.<lang>.json` holds the words of the screens
//! in the main module ([`FIRST`]; the rest are `null`), what a first visit
//! needs; `….<lang>.rest.json` the others, fetched with the first screen
//! that is not in it. The first view of `index.html` takes its words from
//! here too.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};
use stille_practice::Lang;

use crate::paths;

/// The app's files whose words every first visit shows: the main module's
/// screens (app/src/split.rs says what stays there). A key used only
/// elsewhere goes in the second file; one missed here still shows a moment
/// later where it is drawn reactively (the app fetches the second file when
/// a screen asks for a word it does not have yet; the first screens draw
/// every word so).
pub const FIRST: &[&str] = &[
    "app/src/app.rs",
    "app/src/split.rs",
    "app/src/pwa.rs",
    "app/src/install.rs",
    "app/src/sync/plan.rs",
    "app/src/routes/home.rs",
    "app/src/routes/help.rs",
    "app/src/routes/not_found.rs",
    "app/src/components/install_hint.rs",
];

/// Which of a language's two files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    First,
    Rest,
}

/// Every key with its Danish and English text, in the table's order.
#[derive(Debug)]
pub struct Table {
    entries: Vec<(String, String, String)>,
}

impl Table {
    /// The text of `key` in `lang`.
    pub fn text(&self, key: &str, lang: Lang) -> Result<&str> {
        let (_, da, en) = self
            .entries
            .iter()
            .find(|(k, _, _)| k == key)
            .with_context(|| format!("app/src/i18n.rs has no string {key}"))?;
        Ok(match lang {
            Lang::Da => da,
            Lang::En => en,
        })
    }

    /// The sum the app takes of the same table while compiling
    /// (`i18n::fingerprint`): FNV-1a over every Danish text, then every
    /// English one, each followed by a zero byte.
    pub fn fingerprint(&self) -> u64 {
        let texts = self.entries.iter().map(|(_, da, _)| da).chain(self.entries.iter().map(|(_, _, en)| en));
        let mut hash = 0xcbf2_9ce4_8422_2325u64;
        for text in texts {
            for byte in text.bytes().chain([0]) {
                hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        hash
    }

    /// The name of `lang`'s `part` in `assets/` (what `i18n::table_url` asks for).
    pub fn file_name(&self, lang: Lang, part: Part) -> String {
        let rest = if part == Part::Rest { ".rest" } else { "" };
        format!("strings-{:016x}.{}{rest}.json", self.fingerprint(), lang.tag())
    }

    /// `lang`'s `part` as a JSON array with a place for every key, in the
    /// keys' order: the text where the key is in `part` (`first` names the
    /// first part's keys), else `null`.
    pub fn json(&self, lang: Lang, part: Part, first: &[String]) -> Result<String> {
        let texts: Vec<Option<&str>> = self
            .entries
            .iter()
            .map(|(key, da, en)| {
                let here = first.contains(key) == (part == Part::First);
                here.then_some(match lang {
                    Lang::Da => da.as_str(),
                    Lang::En => en.as_str(),
                })
            })
            .collect();
        serde_json::to_string(&texts).context("the strings as JSON")
    }

    /// The keys the files of [`FIRST`] name (`Key::Name`), in the table's order.
    pub fn first_keys(&self) -> Result<Vec<String>> {
        let mut named = Vec::new();
        for file in FIRST {
            let source =
                fs::read_to_string(paths::root().join(file)).with_context(|| format!("reading {file}"))?;
            named.extend(keys_named(&source));
        }
        let first: Vec<String> =
            self.entries.iter().map(|(key, _, _)| key).filter(|key| named.contains(key)).cloned().collect();
        if first.is_empty() {
            bail!("the files of the first screens name no strings ({})", FIRST.join(", "));
        }
        Ok(first)
    }
}

/// The names after each `Key::` in `source`.
fn keys_named(source: &str) -> Vec<String> {
    source
        .split("Key::")
        .skip(1)
        .map(|after| after.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect::<String>())
        .filter(|name| !name.is_empty())
        .collect()
}

/// The table in `app/src/i18n.rs`.
pub fn read() -> Result<Table> {
    let source =
        fs::read_to_string(paths::root().join("app/src/i18n.rs")).context("reading app/src/i18n.rs")?;
    parse(&source).context("reading the strings! table in app/src/i18n.rs")
}

/// Writes each language's two files into `assets`; returns `(language,
/// name of its first file)`.
pub fn write(table: &Table, assets: &Path) -> Result<Vec<(Lang, String)>> {
    let first = table.first_keys()?;
    let mut firsts = Vec::new();
    for lang in [Lang::Da, Lang::En] {
        for part in [Part::First, Part::Rest] {
            fs::write(assets.join(table.file_name(lang, part)), table.json(lang, part, &first)?)?;
        }
        firsts.push((lang, table.file_name(lang, Part::First)));
    }
    Ok(firsts)
}

/// The entries of the `strings! { … }` block of `source`.
fn parse(source: &str) -> Result<Table> {
    let start = source.find("\nstrings! {\n").context("no `strings! {` block")?;
    let mut rest = &source[start + "\nstrings! {\n".len()..];
    let mut entries = Vec::new();
    loop {
        rest = rest.trim_start();
        if let Some(comment) = rest.strip_prefix("//") {
            rest = comment.split_once('\n').map_or("", |(_, after)| after);
            continue;
        }
        if rest.starts_with('}') {
            break;
        }
        let (key, after) = rest.split_once(':').context("an entry without `Key:`")?;
        let key = key.trim();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            bail!("not a key: {:?}", &key[..key.len().min(40)]);
        }
        let (da, after) = literal(after).with_context(|| format!("{key}'s Danish text"))?;
        let after = after
            .trim_start()
            .strip_prefix(',')
            .with_context(|| format!("{key}: a comma after the Danish text"))?;
        let (en, after) = literal(after).with_context(|| format!("{key}'s English text"))?;
        rest = after
            .trim_start()
            .strip_prefix(';')
            .with_context(|| format!("{key}: a `;` after the English text"))?;
        entries.push((key.to_owned(), da, en));
    }
    if entries.is_empty() {
        bail!("the table is empty");
    }
    Ok(Table { entries })
}

/// The string literal at the start of `text` (after blanks), and what follows it.
fn literal(text: &str) -> Result<(String, &str)> {
    let text = text.trim_start();
    let Some(body) = text.strip_prefix('"') else {
        bail!("not a string literal: {}", &text[..text.len().min(30)])
    };
    let mut out = String::new();
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((out, &body[i + 1..])),
            '\\' => match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, escaped @ ('"' | '\\' | '\''))) => out.push(escaped),
                // A line continuation: the newline and the next line's indent go
                // (what rustc skips there: ASCII blanks only).
                Some((_, '\n')) => {
                    while chars.next_if(|(_, c)| matches!(c, ' ' | '\t' | '\n' | '\r')).is_some() {}
                }
                Some((_, other)) => bail!("an escape this reader does not know: \\{other}"),
                None => break,
            },
            c => out.push(c),
        }
    }
    bail!("an unterminated string literal")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_read_in_order_with_their_escapes_and_comments() -> Result<()> {
        let source = "x\nstrings! {\n    Quote: \"Sig \\\"hej\\\"\",\n        \"Say \\\"hi\\\"\";\n    // {n}: a number.\n    Lines:\n        \"a\\nb\", \"c\\\\d \\\n          e\";\n}\n";
        let table = parse(source)?;
        assert_eq!(table.text("Quote", Lang::Da)?, "Sig \"hej\"");
        assert_eq!(table.text("Quote", Lang::En)?, "Say \"hi\"");
        assert_eq!(table.text("Lines", Lang::Da)?, "a\nb");
        assert_eq!(table.text("Lines", Lang::En)?, "c\\d e", "a continued line");
        assert!(table.text("Missing", Lang::Da).is_err());
        let first = ["Quote".to_owned()];
        assert_eq!(table.json(Lang::Da, Part::First, &first)?, r#"["Sig \"hej\"",null]"#);
        assert_eq!(table.json(Lang::En, Part::Rest, &first)?, r#"[null,"c\\d e"]"#);
        assert!(parse("\nstrings! {\n    Broken: \"a\";\n}\n").is_err());
        assert!(
            parse("\nstrings! {\n    Odd: \"\\u{e5}\", \"b\";\n}\n").is_err(),
            "an unknown escape is an error"
        );
        Ok(())
    }

    /// The same sum as `i18n::fingerprint` in the app (its native test checks
    /// the app's side against its own tables; the end-to-end tests fetch the
    /// files by the app's number, so a difference fails them all).
    #[test]
    fn the_fingerprint_is_fnv_1a_with_a_zero_after_each_text() -> Result<()> {
        let table = parse("\nstrings! {\n    A: \"ab\", \"c\";\n}\n")?;
        let mut hash = 0xcbf2_9ce4_8422_2325u64;
        for byte in [b'a', b'b', 0, b'c', 0] {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
        assert_eq!(table.fingerprint(), hash);
        assert_eq!(table.file_name(Lang::En, Part::First), format!("strings-{hash:016x}.en.json"));
        assert_eq!(table.file_name(Lang::Da, Part::Rest), format!("strings-{hash:016x}.da.rest.json"));
        Ok(())
    }

    #[test]
    fn the_app_s_own_table_reads_whole() -> Result<()> {
        let table = read()?;
        assert!(table.entries.len() > 500, "{} entries", table.entries.len());
        assert_eq!(table.text("NavHome", Lang::Da)?, "Hjem");
        let source = fs::read_to_string(paths::root().join("app/src/i18n.rs"))?;
        let block = source.split_once("\nstrings! {\n").map_or("", |(_, b)| b);
        let block = block.split_once("\n}\n").map_or(block, |(b, _)| b);
        let keys = block
            .lines()
            .filter_map(|line| line.strip_prefix("    ")?.split_once(':'))
            .filter(|(key, _)| {
                key.starts_with(|c: char| c.is_ascii_uppercase())
                    && key.chars().all(|c| c.is_ascii_alphanumeric())
            })
            .count();
        assert_eq!(table.entries.len(), keys, "every `Key:` line is an entry");
        // The first screens' words: the header's and home's among them, a
        // teacher's screen's not.
        let first = table.first_keys()?;
        for key in ["SkipToContent", "NavHome", "HomeHeading", "HelpHeading", "UnloadedHeading"] {
            assert!(first.iter().any(|k| k == key), "{key} is in the first file");
        }
        assert!(!first.iter().any(|k| k.starts_with("Teach")), "{first:?}");
        assert!(first.len() < table.entries.len() / 4, "{} of {}", first.len(), table.entries.len());
        assert_eq!(keys_named("t(l, Key::NavHome) Key::A_b1, Key::"), ["NavHome", "A_b1"]);
        Ok(())
    }
}
