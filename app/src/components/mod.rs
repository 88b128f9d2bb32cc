//! Reusable pieces of UI.

mod practice_list;
mod your_data;

pub use practice_list::PracticeList;
pub use your_data::YourData;
