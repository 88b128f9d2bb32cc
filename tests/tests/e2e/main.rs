//! Every end-to-end test in one binary, a module per file: one link instead
//! of sixteen, and one test harness whose threads keep the machine busy
//! across files (a file's slowest test no longer holds up the next file).
//! The real server and the built app in Debian's browsers; `cargo xtask e2e
//! FILE` runs one file's tests (`FILE::` as the filter).

mod accessibility;
mod account;
mod courses;
mod engines;
mod help_and_data;
mod home_and_library;
mod lab_audio;
mod measures;
mod offline;
mod phone;
mod player;
mod recordings;
mod reminders;
mod serving;
mod smoke;
mod sync;
