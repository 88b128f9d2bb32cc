//! One module per route.

mod account;
mod help;
mod history;
mod home;
mod join;
mod lab_audio;
mod library;
mod not_found;
mod player;
mod practice;
mod settings;
mod teach;

pub use account::{AccountPage, status_text};
pub use help::Help;
pub use history::History;
pub use home::Home;
pub use join::JoinPage;
pub use lab_audio::LabAudio;
pub use library::Library;
pub use not_found::NotFound;
pub use player::PlayerPage;
pub use practice::PracticeDetail;
pub use settings::Settings;
pub use teach::{CourseDashboard, TeachHome};
