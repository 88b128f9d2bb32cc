//! One module per route.

mod home;
mod lab_audio;
mod library;
mod not_found;
mod settings;

pub use home::Home;
pub use lab_audio::LabAudio;
pub use library::Library;
pub use not_found::NotFound;
pub use settings::Settings;
