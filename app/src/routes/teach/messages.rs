//! "Messages to the group" on a course's dashboard: a few lines the
//! participants find on their home (their phones are told only that there
//! is a message), and the messages sent, each with how many have read it
//! and a way to take it back.

use leptos::prelude::*;
use stille_practice::api::{MAX_MESSAGE_CHARS, NewMessage, SentMessage};
use stille_practice::stats::Date;

use super::say;
use crate::format::{date_text, local_day};
use crate::i18n::{Key, t, use_lang};
use crate::log_store::utc_offset_minutes;
use crate::messages::{self, read_count};
use stille_practice::api::ErrorCode;

#[component]
pub fn GroupMessages(course: String) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let course = StoredValue::new(course);
    let listed = LocalResource::new(move || messages::sent(course.get_value()));
    // What was sent or taken back here, over what the server listed.
    let list = RwSignal::new(None::<Vec<SentMessage>>);
    Effect::new(move || {
        if let Some(Ok(found)) = listed.get() {
            list.set(Some(found));
        }
    });
    let draft = RwSignal::new(String::new());
    let (said, problem) = (RwSignal::new(None::<String>), RwSignal::new(None::<String>));
    let send = Action::new_local(move |words: &String| {
        let words = words.clone();
        async move { messages::send(&course.get_value(), &words).await }
    });
    Effect::new(move || match send.value().get() {
        Some(Ok(sent)) => {
            draft.set(String::new());
            list.update(|l| l.get_or_insert_with(Vec::new).insert(0, sent));
            said.set(Some(t(lang.get_untracked(), Key::TeachMessageSent).to_owned()));
        }
        Some(Err(error)) => {
            let lang = lang.get_untracked();
            problem.set(Some(if error.code() == Some(ErrorCode::TooManyRequests) {
                t(lang, Key::TeachMessageTooMany).to_owned()
            } else {
                say(&error, lang)
            }));
        }
        None => {}
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        said.set(None);
        problem.set(None);
        let words = draft.get_untracked();
        match (NewMessage { text: words.clone() }).check() {
            Ok(_) => {
                send.dispatch(words);
            }
            Err(_) if words.trim().is_empty() => {
                problem.set(Some(t(lang.get_untracked(), Key::TeachMessageEmpty).to_owned()));
            }
            Err(error) => problem.set(Some(error.message)),
        }
    };
    let take_back = Action::new_local(move |id: &String| {
        let id = id.clone();
        async move { (messages::take_back(&course.get_value(), &id).await, id) }
    });
    Effect::new(move || match take_back.value().get() {
        Some((Ok(()), id)) => {
            list.update(|l| {
                if let Some(l) = l {
                    l.retain(|m| m.id != id);
                }
            });
            said.set(Some(t(lang.get_untracked(), Key::TeachMessageTakenBack).to_owned()));
        }
        Some((Err(error), _)) => problem.set(Some(say(&error, lang.get_untracked()))),
        None => {}
    });
    let sent_list = move || {
        let lang = lang.get();
        match (list.get(), listed.get()) {
            (Some(sent), _) if sent.is_empty() => {
                view! { <p class="quiet">{t(lang, Key::TeachMessagesNone)}</p> }.into_any()
            }
            (Some(sent), _) => {
                let items = sent
                    .into_iter()
                    .map(|m| {
                        let day: Date = local_day(m.sent_at_ms, utc_offset_minutes());
                        let id = m.id.clone();
                        view! {
                            <li class="sent-message">
                                <p class="message-text">{m.text.clone()}</p>
                                <p class="message-by">{date_text(day, lang)} " · " <span class="read-count">{read_count(&m, lang)}</span></p>
                                <button type="button" class="button take-back"
                                    on:click=move |_| { take_back.dispatch(id.clone()); }>{t(lang, Key::TeachMessageTakeBack)}</button>
                            </li>
                        }
                    })
                    .collect_view();
                view! { <ul class="message-list">{items}</ul> }.into_any()
            }
            (None, Some(Err(error))) => view! { <p role="alert">{say(&error, lang)}</p> }.into_any(),
            (None, _) => view! { <p class="quiet" role="status">"…"</p> }.into_any(),
        }
    };
    view! {
        <section class="group-messages" aria-labelledby="group-messages-heading">
            <h2 id="group-messages-heading">{text(Key::TeachMessages)}</h2>
            <form class="message-form" on:submit=submit>
                <label for="message-text">{text(Key::TeachMessageLabel)}</label>
                <p class="quiet" id="message-help">{text(Key::TeachMessageHelp)}</p>
                <textarea id="message-text" rows="4" maxlength=MAX_MESSAGE_CHARS.to_string() aria-describedby="message-help"
                    prop:value=move || draft.get() on:input=move |ev| draft.set(event_target_value(&ev))></textarea>
                <button type="submit" class="button primary send-message">{text(Key::TeachMessageSend)}</button>
            </form>
            <p class="message-said" role="status">{move || said.get()}</p>
            <p class="form-problem" role="alert">{move || problem.get()}</p>
            {sent_list}
        </section>
    }
}
