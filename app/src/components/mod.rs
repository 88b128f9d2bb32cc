//! Reusable pieces of UI.

pub mod after_practice;
pub mod check_in;
pub mod contact;
mod course_messages;
mod install_hint;
mod practice_list;
pub mod progress;
mod reminders;
pub mod this_week;
pub mod worry_note;
mod your_data;

pub use after_practice::AfterPractice;
pub use course_messages::CourseMessages;
pub use install_hint::InstallHint;
pub use practice_list::PracticeList;
pub use progress::Progress;
pub use reminders::RemindersSettings;
pub use this_week::ThisWeek;
pub use worry_note::WorryNote;
pub use your_data::{YourData, download, download_as};
