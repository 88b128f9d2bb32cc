//! Spreadsheets (CSV) written for the people who open them.
//!
//! A course's figures are downloaded as CSV (`?format=csv`) and opened in
//! Excel, Numbers or LibreOffice. Danish spreadsheets read `;` between
//! columns and a decimal comma (a `,`-separated file opens as one column,
//! and "7.5" as a date), and Excel reads UTF-8 only after a byte-order mark
//! (without one, "Møller" shows as "MÃ¸ller"). So `?format=csv&lang=da`
//! writes Danish column names, `;`, decimal commas and "ja"/"nej";
//! `lang=en` (and no `lang`, as before) writes English column names, `,`,
//! decimal points and "true"/"false". Both begin with the byte-order mark.
//! Dates stay ISO 8601 ("2026-11-30"), which both read as dates.

use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use stille_practice::Lang;

use crate::AppError;

/// What a course's figures are asked for as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv(Lang),
}

impl Format {
    /// Reads `?format=json|csv` and, for CSV, `&lang=da|en` (English when
    /// not given; JSON ignores it). Anything else is a 422 that names the
    /// parameter.
    pub fn from_query(query: Option<&str>) -> Result<Format, AppError> {
        let (mut format, mut lang) = (None, None);
        for pair in query.unwrap_or_default().split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let slot = match key {
                "format" => &mut format,
                "lang" => &mut lang,
                other => {
                    return Err(AppError::invalid(
                        other.chars().take(40).collect::<String>(),
                        "unknown parameter: use ?format=csv&lang=da, ?format=csv or ?format=json",
                    ));
                }
            };
            if slot.replace(value).is_some() {
                return Err(AppError::invalid(key.to_owned(), "given twice"));
            }
        }
        let lang = match lang {
            None | Some("en") => Lang::En,
            Some("da") => Lang::Da,
            Some(other) => {
                return Err(AppError::invalid("lang", format!("{other:?}: use lang=da or lang=en")));
            }
        };
        match format {
            // JSON is the same in every language.
            None | Some("json") => Ok(Format::Json),
            Some("csv") => Ok(Format::Csv(lang)),
            Some(other) => {
                Err(AppError::invalid("format", format!("{other:?}: use ?format=csv or ?format=json")))
            }
        }
    }
}

/// A spreadsheet being written, row by row, in one language's way.
pub struct Sheet {
    lang: Lang,
    text: String,
}

impl Sheet {
    /// A sheet whose first row names the columns: `(Danish, English)` each.
    pub fn new(lang: Lang, columns: &[(&str, &str)]) -> Sheet {
        let mut sheet = Sheet { lang, text: String::from('\u{feff}') };
        let names: Vec<String> =
            columns.iter().map(|(da, en)| if lang == Lang::Da { *da } else { *en }.to_owned()).collect();
        sheet.row(&names);
        sheet
    }

    fn separator(&self) -> char {
        if self.lang == Lang::Da { ';' } else { ',' }
    }

    /// A row of cells already made with [`Sheet::text`], [`Sheet::number`]…
    pub fn row(&mut self, cells: &[String]) {
        let separator = self.separator().to_string();
        self.text.push_str(&cells.join(&separator));
        self.text.push_str("\r\n");
    }

    /// A text cell: quoted when it holds a separator, a quote or a line
    /// break, and a leading `= + - @` defused so a spreadsheet never runs a
    /// participant's display name as a formula.
    pub fn text(&self, text: &str) -> String {
        let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{text}")
        } else {
            text.to_owned()
        };
        if text.contains([self.separator(), '"', '\n', '\r']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text
        }
    }

    /// A number with `decimals` decimals, with the language's decimal mark.
    pub fn number(&self, value: f64, decimals: usize) -> String {
        let text = format!("{value:.decimals$}");
        if self.lang == Lang::Da { text.replace('.', ",") } else { text }
    }

    /// A yes or no.
    pub fn yes_no(&self, value: bool) -> String {
        match (self.lang, value) {
            (Lang::Da, true) => "ja",
            (Lang::Da, false) => "nej",
            (Lang::En, true) => "true",
            (Lang::En, false) => "false",
        }
        .to_owned()
    }

    /// The sheet as a download named after what it is and the course's
    /// title: `stille-rapport-mindfulness-efteraar.csv` for `("rapport",
    /// "Mindfulness efterår")`.
    pub fn download(self, what: &str, title: &str) -> Response {
        let disposition = format!("attachment; filename=\"{}\"", file_name(what, title));
        (
            [(CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (CONTENT_DISPOSITION, disposition)],
            self.text,
        )
            .into_response()
    }
}

/// `stille-<what>-<title>.csv` in lower-case ASCII letters, digits and
/// dashes (æ, ø, å written ae, oe, aa), so every system and mail program
/// keeps it; at most 60 characters of the title.
pub fn file_name(what: &str, title: &str) -> String {
    let mut slug = String::new();
    for c in title.to_lowercase().chars() {
        let spelled = match c {
            'æ' => "ae".to_owned(),
            'ø' => "oe".to_owned(),
            'å' => "aa".to_owned(),
            'é' | 'è' | 'ê' => "e".to_owned(),
            'ü' => "u".to_owned(),
            'ö' => "o".to_owned(),
            'ä' => "a".to_owned(),
            c if c.is_ascii_alphanumeric() => c.to_string(),
            _ => "-".to_owned(),
        };
        if spelled == "-" && (slug.is_empty() || slug.ends_with('-')) {
            continue;
        }
        slug.push_str(&spelled);
        if slug.len() >= 60 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() { format!("stille-{what}.csv") } else { format!("stille-{what}-{slug}.csv") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_says_json_or_csv_and_the_csv_language() {
        assert_eq!(Format::from_query(None).ok(), Some(Format::Json));
        assert_eq!(Format::from_query(Some("")).ok(), Some(Format::Json));
        assert_eq!(Format::from_query(Some("format=json")).ok(), Some(Format::Json));
        assert_eq!(Format::from_query(Some("format=csv")).ok(), Some(Format::Csv(Lang::En)));
        assert_eq!(Format::from_query(Some("format=csv&lang=da")).ok(), Some(Format::Csv(Lang::Da)));
        assert_eq!(Format::from_query(Some("lang=da&format=csv")).ok(), Some(Format::Csv(Lang::Da)));
        assert_eq!(Format::from_query(Some("format=csv&lang=en")).ok(), Some(Format::Csv(Lang::En)));
        assert_eq!(Format::from_query(Some("lang=da")).ok(), Some(Format::Json));
        for bad in ["format=xls", "format=csv&lang=sv", "format=csv&format=csv", "lang=sv", "x=1", "format"] {
            assert!(Format::from_query(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_danish_sheet_has_semicolons_decimal_commas_and_a_byte_order_mark() {
        let mut sheet = Sheet::new(Lang::Da, &[("Navn", "Name"), ("Uro", "Distress"), ("Deler", "Shares")]);
        let row = vec![sheet.text("Ida Møller; Holm"), sheet.number(7.0, 1), sheet.yes_no(true)];
        sheet.row(&row);
        assert_eq!(sheet.text, "\u{feff}Navn;Uro;Deler\r\n\"Ida Møller; Holm\";7,0;ja\r\n");
        let mut sheet = Sheet::new(Lang::En, &[("Navn", "Name"), ("Uro", "Distress")]);
        let row = vec![sheet.text("Ida, Holm"), sheet.number(7.25, 2)];
        sheet.row(&row);
        assert_eq!(sheet.text, "\u{feff}Name,Distress\r\n\"Ida, Holm\",7.25\r\n");
    }

    #[test]
    fn text_cells_are_quoted_and_defused() {
        let sheet = Sheet::new(Lang::En, &[]);
        assert_eq!(sheet.text("Ida"), "Ida");
        assert_eq!(sheet.text("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(sheet.text("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(sheet.text("-1,2"), "\"'-1,2\"");
        let danish = Sheet::new(Lang::Da, &[]);
        assert_eq!(danish.text("Ida, Holm"), "Ida, Holm", "a comma is no separator in Danish");
        assert_eq!(danish.text("+45 1234"), "'+45 1234");
    }

    #[test]
    fn file_names_carry_the_course_title_in_plain_letters() {
        assert_eq!(file_name("rapport", "Mindfulness efterår"), "stille-rapport-mindfulness-efteraar.csv");
        assert_eq!(file_name("report", "MSC — Hold 2 (Ærø)"), "stille-report-msc-hold-2-aeroe.csv");
        assert_eq!(file_name("resultater", "  \"/\\ "), "stille-resultater.csv");
        assert!(file_name("report", &"x".repeat(500)).len() < 90);
    }
}
