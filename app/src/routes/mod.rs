//! One module per route.

mod home;
mod library;
mod not_found;

pub use home::Home;
pub use library::Library;
pub use not_found::NotFound;
