//! The audio crate's browser side in a real (headless Chromium) page: mode
//! choice from what the browser reports, the live and silent players' clocks,
//! voice clips decoded (and bad ones refused with a clear error), and the
//! settings record read back with checks.
#![cfg(target_arch = "wasm32")]
#![cfg(target_arch = "wasm32")]

use stille_app::settings;
use stille_audio::lab;
use stille_audio::mode::ModeSetting;
use stille_audio::web::{Mode, Player, PlayerError, SilentPlayer, decode_clip, support};
use stille_audio::{Config, wav};
use stille_practice::BellSound;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[wasm_bindgen_test]
fn chromium_plays_flac_so_the_automatic_mode_is_the_soundtrack() {
    let here = support();
    assert!(!here.flac.is_empty(), "Chromium plays FLAC");
    assert!(here.web_audio);
    assert_eq!(Mode::automatic(&here, false), Mode::Soundtrack);
    assert_eq!(Mode::order(ModeSetting::Live, &here, false)[0], Mode::Live);
}

#[wasm_bindgen_test]
fn a_live_player_prepares_every_sound_and_seeks_while_paused() {
    let timeline = lab::bell_every(2_000, 60, 20, BellSound::Chime);
    let (player, skipped) = Player::prepare_first(&[Mode::Live], &timeline, &Config::default(), "test", 0.0);
    assert!(skipped.is_empty(), "{skipped:?}");
    assert_eq!(player.mode(), Mode::Live);
    // One chime buffer (6 s at 24 kHz, 4 bytes a sample) shared by every bell.
    assert_eq!(player.size(), 6 * 24_000 * 4);
    assert_eq!(player.elapsed_ms(), 0.0);
    player.seek(25_000.0);
    assert_eq!(player.elapsed_ms(), 25_000.0);
    assert!(!player.is_playing());
    player.seek(1e9);
    assert_eq!(player.elapsed_ms(), 60_000.0, "seeking is clamped to the session");
    assert!(player.ended());
}

#[wasm_bindgen_test]
async fn the_silent_player_keeps_time_by_the_wall_clock() {
    let player = SilentPlayer::new(10_000);
    player.seek(2_000.0);
    player.play();
    sleep_ms(300).await;
    let elapsed = player.elapsed_ms();
    assert!((2_250.0..3_000.0).contains(&elapsed), "{elapsed}");
    player.pause();
    let paused = player.elapsed_ms();
    sleep_ms(200).await;
    assert_eq!(player.elapsed_ms(), paused, "a paused clock stands still");
}

#[wasm_bindgen_test]
async fn a_wav_clip_is_decoded_and_resampled_to_the_soundtrack_rate() {
    // Half a second of a 440 Hz tone at 16 kHz, at half scale.
    let samples: Vec<i16> = (0..8_000)
        .map(|n| ((n as f64 * 440.0 * std::f64::consts::TAU / 16_000.0).sin() * 16_384.0) as i16)
        .collect();
    let decoded = decode_clip(&wav::wav(&samples, 16_000), 24_000).await.expect("a WAV decodes");
    assert!((11_990..=12_010).contains(&decoded.len()), "0.5 s at 24 kHz, got {}", decoded.len());
    let peak = decoded.iter().fold(0f32, |m, s| m.max(s.abs()));
    assert!((0.45..0.55).contains(&peak), "level kept: peak {peak}");
}

#[wasm_bindgen_test]
async fn a_bad_clip_is_refused_with_a_clear_error() {
    match decode_clip(b"this is not audio at all", 24_000).await {
        Err(PlayerError::Clip(message)) => assert!(message.contains("not a sound file"), "{message}"),
        other => panic!("expected a clip error, got {other:?}"),
    }
    match decode_clip(&[], 24_000).await {
        Err(error @ PlayerError::Clip(_)) => {
            assert!(error.to_string().contains("empty") && error.to_string().contains("shown on screen"))
        }
        other => panic!("expected a clip error, got {other:?}"),
    }
}

#[wasm_bindgen_test]
fn settings_are_read_back_checked_and_a_bad_record_is_left_alone() {
    let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten()).expect("localStorage");
    let key = "stille.settings.v1";
    storage
        .set_item(key, r#"{"playback":"live","speech":true,"voice_da":"Sara","voice_en":null}"#)
        .expect("store");
    let read = settings::load();
    assert_eq!(read.playback, ModeSetting::Live);
    assert!(read.speech);
    assert_eq!(read.voice(stille_practice::Lang::Da), Some("Sara"));

    // An unknown mode, or a record that is not JSON: defaults, record kept.
    for bad in [r#"{"playback":"loud"}"#, "not json", r#"{"playback":"live","colour":"red"}"#] {
        storage.set_item(key, bad).expect("store");
        assert_eq!(settings::load(), settings::Settings::default(), "{bad}");
        assert_eq!(storage.get_item(key).ok().flatten().as_deref(), Some(bad), "the record is left alone");
    }
    storage.remove_item(key).expect("remove");
}
