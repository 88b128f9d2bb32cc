//! Measuring what the real app plays, at its output: [`install`] puts a small
//! script (`tap.js`) into every page a Chromium opens from then on, which
//! routes the app's media elements through an onset detector of its own (an
//! AudioWorklet that also finds a voice starting over a bell's ring-out).
//! Tests read the onsets on the output's clock and what the media elements
//! did, can block the page's main thread at a chosen moment, and see when
//! the page was hidden.

use anyhow::{Context, Result};
use serde::Deserialize;
use serde_json::json;

use crate::Browser;

const TAP: &str = include_str!("tap.js");

/// What the page measured so far.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Measured {
    /// Output onsets, ms on the tap's AudioContext clock.
    pub onsets: Vec<f64>,
    /// How many media elements were routed through the tap.
    pub routed: u32,
    pub errors: Vec<String>,
    pub blocks: Vec<Block>,
    /// Each time the page was hidden (`true`) or shown again.
    pub hidden: Vec<Visibility>,
    /// What the routed media elements did.
    pub events: Vec<MediaEvent>,
}

/// A media element's event (`play`, `playing`, `seeking`, `waiting`, …).
#[derive(Clone, Debug, Deserialize)]
pub struct MediaEvent {
    #[serde(rename = "type")]
    pub kind: String,
    /// On the tap's clock, and the element's own position then (ms).
    pub at: Option<f64>,
    pub position: f64,
}

/// One busy spell of the main thread.
#[derive(Clone, Debug, Deserialize)]
pub struct Block {
    /// Whether the page was hidden when it began.
    pub hidden: bool,
    /// When it began and how long it lasted (ms on the tap's clock).
    pub from: Option<f64>,
    pub ms: f64,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Visibility {
    pub hidden: bool,
    pub at: Option<f64>,
}

impl Measured {
    /// Whether the page was hidden from before `from_ms` to after `to_ms`.
    pub fn hidden_throughout(&self, from_ms: f64, to_ms: f64) -> bool {
        let hid = self.hidden.iter().rfind(|v| v.hidden && v.at.is_some_and(|at| at <= from_ms));
        let Some(hid_at) = hid.and_then(|v| v.at) else { return false };
        // Not shown again in between.
        !self.hidden.iter().any(|v| !v.hidden && v.at.is_some_and(|at| at > hid_at && at < to_ms))
    }
}

/// From now on every page `browser` opens measures its output (Chromium:
/// through DevTools).
pub async fn install(browser: &Browser) -> Result<()> {
    // The detector loads from a blob, which the app's CSP (scripts from the
    // site only) would refuse; nothing the app does depends on its CSP.
    browser.cdp("Page.setBypassCSP", json!({ "enabled": true })).await?;
    browser.cdp("Page.addScriptToEvaluateOnNewDocument", json!({ "source": TAP })).await?;
    Ok(())
}

/// What the current page has measured.
pub async fn read(browser: &Browser) -> Result<Measured> {
    let value = browser.eval("const t = window.__stilleTap; return t ? JSON.stringify(t) : null").await?;
    let text = value.as_str().context("this page has no output tap: call tap::install before opening it")?;
    Ok(serde_json::from_str(text)?)
}

/// Blocks the page's main thread for `ms` from when the tap's clock reads
/// `at_ms` (a hidden page's timers may start it up to a second late).
pub async fn block_at(browser: &Browser, at_ms: f64, ms: f64) -> Result<()> {
    browser.eval(&format!("return window.__stilleTap.blockAt({at_ms}, {ms})")).await?;
    Ok(())
}

/// How far each planned sound (`(name, ms into the practice)`) came out
/// from its plan, against the whole soundtrack's own start (its offset on
/// the tap's clock, the median over all sounds): each sound is matched with
/// the onset nearest to where the first onset says it belongs, and the
/// offset is then the median of those. `None` when nothing was measured.
pub fn errors(planned: &[(String, f64)], onsets: &[f64]) -> Vec<(String, Option<f64>)> {
    let Some(&first) = onsets.first() else {
        return planned.iter().map(|(name, _)| (name.clone(), None)).collect();
    };
    let origin = planned.first().map_or(0.0, |(_, at)| *at);
    let nearest = |expected: f64| {
        onsets.iter().copied().min_by(|a, b| (a - expected).abs().total_cmp(&(b - expected).abs()))
    };
    let matched: Vec<Option<f64>> =
        planned.iter().map(|(_, at)| nearest(first + (at - origin)).map(|onset| onset - at)).collect();
    let mut offsets: Vec<f64> = matched.iter().flatten().copied().collect();
    offsets.sort_by(f64::total_cmp);
    let offset = offsets.get(offsets.len() / 2).copied().unwrap_or(0.0);
    planned.iter().zip(matched).map(|((name, _), found)| (name.clone(), found.map(|o| o - offset))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_planned_sound_is_matched_with_its_nearest_onset_against_the_common_offset() {
        let planned = vec![
            ("bell".to_owned(), 0.0),
            ("cue".to_owned(), 9_000.0),
            ("cue".to_owned(), 30_000.0),
            ("end".to_owned(), 60_000.0),
        ];
        // Output began 1.2 s into the tap's clock, the first sound 11 ms
        // ahead of the rest; a syllable inside the first cue too.
        let onsets = [1_189.0, 10_203.0, 11_900.0, 31_200.0, 61_199.5];
        let found = errors(&planned, &onsets);
        assert_eq!(found[0], ("bell".to_owned(), Some(-11.0)));
        assert_eq!(found[1].1, Some(3.0));
        assert_eq!(found[2].1, Some(0.0));
        assert_eq!(found[3].1, Some(-0.5));
        assert!(errors(&planned, &[]).iter().all(|(_, e)| e.is_none()));
        // A missing cue is far from any onset, not silently matched.
        let missed = errors(&planned, &[1_200.0, 31_200.0, 61_200.0]);
        assert!(missed[1].1.is_some_and(|e| e.abs() > 5_000.0));
    }

    #[test]
    fn hidden_throughout_needs_no_showing_in_between() {
        let at = |hidden, at| Visibility { hidden, at: Some(at) };
        let measured = Measured {
            hidden: vec![at(true, 100.0), at(false, 5_000.0), at(true, 6_000.0)],
            ..Default::default()
        };
        assert!(measured.hidden_throughout(200.0, 4_900.0));
        assert!(!measured.hidden_throughout(200.0, 5_100.0));
        assert!(measured.hidden_throughout(6_500.0, 9_000.0));
        assert!(!measured.hidden_throughout(50.0, 900.0));
    }
}
