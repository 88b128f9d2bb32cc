//! One module per route.

mod help;
mod history;
mod home;
mod lab_audio;
mod library;
mod not_found;
mod player;
mod practice;
mod settings;

pub use help::Help;
pub use history::History;
pub use home::Home;
pub use lab_audio::LabAudio;
pub use library::Library;
pub use not_found::NotFound;
pub use player::PlayerPage;
pub use practice::PracticeDetail;
pub use settings::Settings;
