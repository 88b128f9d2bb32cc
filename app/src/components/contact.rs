//! How to reach one's instructor, in their own words, with each phone
//! number in them a link a phone calls with one tap (who gave one:
//! [`crate::courses::contacts`]).

use leptos::prelude::*;
use stille_practice::help::{Piece, pieces};

/// `text` with its phone numbers as `tel:` links.
#[component]
pub fn Reach(text: String) -> impl IntoView {
    pieces(&text)
        .into_iter()
        .map(|piece| match piece {
            Piece::Words(words) => words.to_owned().into_any(),
            Piece::Phone { shown, tel } => {
                view! { <a class="tel" href=format!("tel:{tel}")>{shown.to_owned()}</a> }.into_any()
            }
        })
        .collect_view()
}
