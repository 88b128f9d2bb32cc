//! The merge rule (`sync::supersedes`) that the server applies to every push
//! and the device applies to every pull: whatever order versions arrive in,
//! and whichever side decides, everyone ends with the same version.

use proptest::prelude::*;
use stille_practice::sync::{Kind, Pending, Version, pulled_wins, supersedes};

fn version() -> impl Strategy<Value = Version> {
    (0i64..50, proptest::bool::weighted(0.2))
        .prop_map(|(updated_at_ms, deleted)| Version { updated_at_ms, deleted })
}

/// The current version after `arrivals`, applied in order as the server does.
fn apply(arrivals: &[Version]) -> Option<Version> {
    arrivals.iter().fold(None, |current, v| match current {
        Some(c) if !supersedes(*v, c) => Some(c),
        _ => Some(*v),
    })
}

proptest! {
    /// Order does not matter: a deletion wins if there is one, else the
    /// latest time (ties between different versions aside, which devices
    /// avoid by stamping every change later than the one before).
    #[test]
    fn every_arrival_order_ends_with_the_same_version(mut versions in proptest::collection::vec(version(), 1..8), seed in any::<u64>()) {
        versions.sort_by_key(|v| (v.updated_at_ms, v.deleted));
        versions.dedup_by_key(|v| v.updated_at_ms);
        let expected = versions.iter().find(|v| v.deleted).copied()
            .or_else(|| versions.iter().max_by_key(|v| v.updated_at_ms).copied());
        let mut shuffled = versions.clone();
        let mut state = seed;
        for i in (1..shuffled.len()).rev() {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            shuffled.swap(i, (state >> 33) as usize % (i + 1));
        }
        let first_deletion = shuffled.iter().find(|v| v.deleted).copied();
        let end = apply(&shuffled);
        match first_deletion {
            // Deleted means deleted: the first deletion to arrive stays.
            Some(deletion) => prop_assert_eq!(end, Some(deletion)),
            None => prop_assert_eq!(end, expected),
        }
    }

    /// A device holding a change not yet pushed pulls the server's current
    /// version, decides with `pulled_wins`, pushes what it kept, and pulls
    /// again: it ends with exactly what the server holds.
    #[test]
    fn a_device_and_the_server_agree_after_one_round(server in version(), waiting in version()) {
        let pending = Pending { kind: Kind::Entry, id: "x".into(), updated_at_ms: waiting.updated_at_ms, deleted: waiting.deleted };
        // The device: replace its waiting change with the pulled one, or keep
        // it and push it.
        let pushed = (!pulled_wins(server, &pending)).then_some(waiting);
        let device = pushed.unwrap_or(server);
        // The server receives the push (if any) after what it holds.
        let server_after = match pushed {
            Some(w) if supersedes(w, server) => w,
            _ => server,
        };
        // Had the device not decided at all and just pushed, the server would
        // have ended the same: the device never drops what the server keeps.
        prop_assert_eq!(apply(&[server, waiting]), Some(server_after));
        // The device's next pull brings the server's version; if it kept its
        // own, that is the one the server now holds (nothing flips back).
        if pushed.is_some() {
            prop_assert!(device == server_after || !supersedes(waiting, server));
        } else {
            prop_assert_eq!(device, server_after);
        }
    }
}
