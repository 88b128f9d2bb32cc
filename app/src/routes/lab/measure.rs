//! What the lab measures while a test plays: when the page's clock saw each
//! bell, the output onsets (when measuring), how long the page was hidden,
//! and whether the busy-page test blocked it hidden or visible; shown as a
//! table and a list of facts.

use leptos::prelude::*;
use stille_audio::web::{Mode, OnsetTap};

use crate::i18n::{Key, t, use_lang};
use crate::lab::bell_rows;

/// The measurements of the test under way (all signals: `Copy`).
#[derive(Clone, Copy, Debug)]
pub struct Measure {
    pub planned: Memo<Vec<u32>>,
    pub observed: RwSignal<Vec<Option<f64>>>,
    /// Output onsets, ms on the AudioContext clock.
    pub onsets: RwSignal<Vec<f64>>,
    /// The position measuring started from (its first onset is the first bell after it).
    pub measured_from: RwSignal<f64>,
    /// Where playback last started: bells before it are not "seen".
    pub played_from: StoredValue<f64>,
    pub tap: StoredValue<Option<OnsetTap>, LocalStorage>,
    pub blocked: RwSignal<Option<bool>>,
    pub hidden_since: RwSignal<Option<f64>>,
    pub hidden_total: RwSignal<f64>,
}

impl Measure {
    pub fn new(planned: Memo<Vec<u32>>, hidden_now: bool) -> Measure {
        Measure {
            planned,
            observed: RwSignal::new(Vec::new()),
            onsets: RwSignal::new(Vec::new()),
            measured_from: RwSignal::new(0.0),
            played_from: StoredValue::new(0.0),
            tap: StoredValue::new_local(None),
            blocked: RwSignal::new(None),
            hidden_since: RwSignal::new(hidden_now.then(js_sys::Date::now)),
            hidden_total: RwSignal::new(0.0),
        }
    }

    /// A fresh start: nothing seen, measured or blocked yet.
    pub fn reset(&self) {
        self.tap.set_value(None);
        self.onsets.set(Vec::new());
        self.measured_from.set(0.0);
        self.blocked.set(None);
        self.hidden_total.set(0.0);
        self.observed.set(vec![None; self.planned.get_untracked().len()]);
    }

    /// The page became hidden (`true`) or visible again.
    pub fn hidden(&self, hidden: bool) {
        let now = js_sys::Date::now();
        if hidden {
            self.hidden_since.set(Some(now));
        } else if let Some(since) = self.hidden_since.get_untracked() {
            self.hidden_total.update(|total| *total += now - since);
            self.hidden_since.set(None);
        }
    }
}

#[component]
pub fn BellTable(measure: Measure) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let rows = move || {
        let rows = bell_rows(
            &measure.planned.get(),
            &measure.observed.get(),
            &measure.onsets.get(),
            measure.measured_from.get(),
        );
        rows.into_iter()
            .map(|[planned, seen, measured]| view! { <tr><td>{planned}</td><td>{seen}</td><td class="measured">{measured}</td></tr> })
            .collect_view()
    };
    view! {
        <table class="lab-bells">
            <caption>{text(Key::LabBells)}</caption>
            <thead><tr><th scope="col">{text(Key::LabPlanned)}</th><th scope="col">{text(Key::LabObserved)}</th>
                <th scope="col">{text(Key::LabMeasured)}</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

#[component]
pub fn Facts(
    measure: Measure,
    elapsed_ms: RwSignal<f64>,
    mode_used: RwSignal<Option<Mode>>,
) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let hidden = move || {
        let open = measure.hidden_since.get().map_or(0.0, |since| js_sys::Date::now() - since);
        format!("{:.0} s", (measure.hidden_total.get() + open) / 1000.0)
    };
    let block = move || match measure.blocked.get() {
        None => t(lang.get(), Key::LabBlockNotYet),
        Some(true) => t(lang.get(), Key::LabBlockHidden),
        Some(false) => t(lang.get(), Key::LabBlockVisible),
    };
    view! {
        <dl class="lab-facts">
            <dt>{text(Key::LabElapsed)}</dt>
            <dd><output class="lab-elapsed">{move || format!("{:.1} s", elapsed_ms.get() / 1000.0)}</output></dd>
            <dt>{text(Key::LabModeInUse)}</dt>
            <dd class="lab-mode-used">{move || mode_used.get().map_or("–", |m| m.as_str())}</dd>
            <dt>{text(Key::LabHidden)}</dt>
            <dd class="lab-hidden">{hidden}</dd>
            <dt>{text(Key::LabBlock)}</dt>
            <dd class="lab-block">{block}</dd>
        </dl>
    }
}
