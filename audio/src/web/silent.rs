//! The last resort when neither a media element nor Web Audio can sound a
//! session: no sound, guidance on screen, and elapsed time from the wall clock
//! (differences of `Date.now()`, never counted ticks), so a throttled page
//! still shows the right moment when it runs again.

use std::cell::Cell;

#[derive(Debug)]
pub struct SilentPlayer {
    /// Wall-clock ms at which session position 0 was, while playing.
    origin: Cell<Option<f64>>,
    /// Where the session stands while paused (ms).
    position: Cell<f64>,
    pub duration_ms: u32,
}

impl SilentPlayer {
    pub fn new(duration_ms: u32) -> SilentPlayer {
        SilentPlayer { origin: Cell::new(None), position: Cell::new(0.0), duration_ms }
    }

    pub fn play(&self) {
        if self.origin.get().is_none() {
            self.origin.set(Some(js_sys::Date::now() - self.position.get()));
        }
    }

    pub fn pause(&self) {
        self.position.set(self.elapsed_ms());
        self.origin.set(None);
    }

    pub fn seek(&self, ms: f64) {
        let position = ms.clamp(0.0, f64::from(self.duration_ms));
        self.position.set(position);
        if self.origin.get().is_some() {
            self.origin.set(Some(js_sys::Date::now() - position));
        }
    }

    pub fn elapsed_ms(&self) -> f64 {
        let ms = match self.origin.get() {
            Some(origin) => js_sys::Date::now() - origin,
            None => self.position.get(),
        };
        ms.clamp(0.0, f64::from(self.duration_ms))
    }

    pub fn is_playing(&self) -> bool {
        self.origin.get().is_some() && self.elapsed_ms() < f64::from(self.duration_ms)
    }
}
