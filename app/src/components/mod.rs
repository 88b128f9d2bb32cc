//! Reusable pieces of UI.

mod practice_list;

pub use practice_list::PracticeList;
