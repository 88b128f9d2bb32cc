//! The breathing pace each practice was last begun with (breaths a minute,
//! or each phase's seconds), offered again next time, on this device and,
//! with the settings record, on the person's others.
//! Read back checked: a pace the practice no longer allows is not offered.

use std::collections::BTreeMap;

use stille_practice::{BreathOptions, Practice};

use crate::session::breath_problem;
use crate::storage;

pub const KEY: &str = "stille.paces.v1";

/// Practice id → the pace last begun with.
pub type Paces = BTreeMap<String, BreathOptions>;

/// Every remembered pace (for the data export).
pub fn all() -> Paces {
    match storage::load::<Paces>(KEY) {
        Ok(paces) => paces.unwrap_or_default(),
        Err(error) => {
            storage::warn(&error);
            Paces::new()
        }
    }
}

/// The pace last begun with for `practice`, when it still fits the practice;
/// else the practice's own.
pub fn remembered(practice: &Practice) -> BreathOptions {
    all().remove(practice.id.as_str()).filter(|b| breath_problem(practice, b).is_none()).unwrap_or_default()
}

/// Keeps `breath` as `practice`'s pace; the practice's own pace is simply
/// not kept.
pub fn remember(practice: &Practice, breath: &BreathOptions) {
    let mut paces = all();
    if *breath == BreathOptions::default() {
        if paces.remove(practice.id.as_str()).is_none() {
            return;
        }
    } else {
        paces.insert(practice.id.to_string(), breath.clone());
    }
    if let Err(error) = storage::save(KEY, &paces) {
        storage::warn(&error);
    }
    // The pace goes with the settings to the person's other devices.
    if let Some(settings) = crate::settings::current() {
        crate::settings::keep_for_other_devices(&settings);
    }
}

/// Every pace as another device chose them (the synced settings record).
pub fn replace(paces: Paces) {
    if paces != all()
        && let Err(error) = storage::save(KEY, &paces)
    {
        storage::warn(&error);
    }
}
