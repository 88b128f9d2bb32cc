//! Messages from the participant's courses on home: each one not yet read
//! with who wrote it, and a button to mark it read (which is what the
//! instructor's count counts); the ones read under "Earlier messages".
//! Shown only when there are any.

use leptos::prelude::*;
use leptos::task::spawn_local;
use stille_practice::api::CourseMessage;

use crate::i18n::{Key, t, use_lang};
use crate::log_store::utc_offset_minutes;
use crate::messages::{self, by_read, byline, with_read};

#[component]
pub fn CourseMessages() -> impl IntoView {
    let lang = use_lang();
    let list = RwSignal::new(Vec::<CourseMessage>::new());
    let problem = RwSignal::new(None::<Key>);
    spawn_local(async move {
        match messages::mine().await {
            Ok(found) => {
                list.try_set(found);
            }
            Err(error) => leptos::logging::warn!("course messages could not be fetched: {error}"),
        }
    });
    let heading = NodeRef::<leptos::html::H2>::new();
    let mark = Action::new_local(move |id: &String| {
        let id = id.clone();
        async move { (messages::mark_read(&id).await, id) }
    });
    Effect::new(move || match mark.value().get() {
        Some((Ok(()), id)) => {
            problem.set(None);
            list.update(|l| *l = with_read(l, &id));
            // The button pressed is gone: the place to go on from is the heading.
            if let Some(heading) = heading.get_untracked() {
                let _ = heading.focus();
            }
        }
        Some((Err(error), _)) => {
            leptos::logging::warn!("a message could not be marked read: {error}");
            problem.set(Some(Key::MessageNotMarked));
        }
        None => {}
    });
    let item = move |m: CourseMessage, unread: bool| {
        let by = byline(&m, utc_offset_minutes(), lang.get_untracked());
        let id = m.id.clone();
        view! {
            <li class="course-message">
                <p class="message-text">{m.text}</p>
                <p class="message-by">{by}</p>
                {unread.then(|| view! {
                    <button type="button" class="button mark-read" on:click=move |_| { mark.dispatch(id.clone()); }>
                        {move || t(lang.get(), Key::MessageMarkRead)}
                    </button>
                })}
            </li>
        }
    };
    let unread = move || {
        let (unread, _) = by_read(&list.get());
        unread.into_iter().map(|m| item(m, true)).collect_view()
    };
    let earlier = move || {
        let (_, earlier) = by_read(&list.get());
        (!earlier.is_empty()).then(|| {
            let count = earlier.len();
            view! {
                <details class="earlier-messages">
                    <summary>{move || format!("{} ({count})", t(lang.get(), Key::MessagesEarlier))}</summary>
                    <ul class="message-list">{earlier.into_iter().map(|m| item(m, false)).collect_view()}</ul>
                </details>
            }
        })
    };
    // Made once there are messages, so the heading stays where focus goes.
    view! {
        <Show when=move || list.with(|l| !l.is_empty())>
            <section class="course-messages" aria-labelledby="messages-heading">
                <h2 id="messages-heading" tabindex="-1" node_ref=heading>{move || t(lang.get(), Key::MessagesHeading)}</h2>
                <ul class="message-list">{unread}</ul>
                <p class="form-problem" role="alert">{move || problem.get().map(|key| t(lang.get(), key))}</p>
                {earlier}
            </section>
        </Show>
    }
}
