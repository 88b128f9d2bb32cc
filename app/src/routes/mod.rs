//! One module per route.

mod account;
mod help;
mod history;
mod home;
mod join;
mod lab;
mod library;
mod measures;
mod not_found;
mod player;
mod practice;
mod reset;
mod settings;
mod take;
mod teach;
mod welcome;

pub use account::AccountPage;
pub use help::Help;
pub use history::History;
pub use home::Home;
pub use join::JoinPage;
pub use lab::LabAudio;
pub use library::Library;
pub use measures::{MeasurePage, MeasuresPage};
pub use not_found::NotFound;
pub use player::PlayerPage;
pub use practice::PracticeDetail;
pub use reset::ResetPage;
pub use settings::Settings;
pub use take::TakePage;
pub use teach::{CourseDashboard, CourseReportPage, OutcomesPage, TeachHome, VoicePage};
pub use welcome::WelcomePage;
