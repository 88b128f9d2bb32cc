//! `/teach/<id>`: one course's invite (code, link, QR code, a new code),
//! its meeting plan, how participants reach the instructor, messages to the group, the group's practice, the CSV, the home practice week by week, and the
//! instructor's own recordings this course hears.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use stille_practice::api::{CourseChange, Invite, NewInvite, Report, Teaching};
use stille_practice::schedule::Meetings;

use super::{gated, say};
use crate::api;
use crate::format::{date_text, local_day};
use crate::i18n::{Key, t, use_lang};

#[component]
pub fn CourseDashboard() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id")).unwrap_or_default();
    gated(format!("/teach/{id}"), move || view! { <Dashboard id=id.clone()/> }.into_any())
}

#[component]
fn Dashboard(id: String) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let id = StoredValue::new(id);
    let course = LocalResource::new(move || api::get::<Teaching>(format!("/api/courses/{}", id.get_value())));
    let report =
        LocalResource::new(move || api::get::<Report>(format!("/api/courses/{}/report", id.get_value())));
    let title = move || match course.get() {
        Some(Ok(c)) => c.title,
        _ => "…".to_owned(),
    };
    let course_problem = move || course.get().and_then(Result::err).map(|e| say(&e, lang.get()));
    let group = move || match report.get() {
        None => view! { <p class="quiet" role="status">"…"</p> }.into_any(),
        Some(Err(error)) => view! { <p role="alert">{say(&error, lang.get())}</p> }.into_any(),
        Some(Ok(report)) => view! { <super::group::Group report=report/> }.into_any(),
    };
    // A change to the meeting plan moves the weeks: the week plan and the
    // group's figures follow it without a reload.
    let meetings = RwSignal::new(Meetings::default());
    Effect::new(move || {
        if let Some(Ok(c)) = course.get() {
            meetings.set(c.meetings);
        }
    });
    let saved = Callback::new(move |c: Teaching| {
        meetings.set(c.meetings);
        report.refetch();
    });
    let invite = move || {
        course.get().and_then(Result::ok).map(|c| {
            view! {
                <InvitePanel course=c.id.clone() invite=c.invite.clone()/>
                <super::meetings::MeetingPlan course=c.clone() saved=saved/>
                <Contact course=c.clone()/>
                <SignUps course=c/>
            }
        })
    };
    let voice = move || {
        course
            .get()
            .and_then(Result::ok)
            .map(|c| view! { <super::recordings::CourseRecordings course=c.id spoken=c.lang/> })
    };
    // A spreadsheet in the teacher's language: in Danish, `;` and decimal commas.
    let csv = move || format!("/api/courses/{}/report?format=csv&lang={}", id.get_value(), lang.get().tag());
    view! {
        <section class="teach dashboard" aria-labelledby="dashboard-heading">
            <h1 id="dashboard-heading">{title}</h1>
            <p class="form-problem" role="alert">{course_problem}</p>
            {invite}
            {move || course.get().and_then(Result::ok).map(|c| view! { <super::messages::GroupMessages course=c.id/> })}
            {group}
            <p><a class="button csv" href=csv download="">{text(Key::TeachCsv)}</a></p>
            <p><A href=move || format!("/teach/{}/outcomes", id.get_value()) attr:class="button outcomes-link">{text(Key::TeachOutcomesLink)}</A></p>
            {move || course.get().and_then(Result::ok).map(|c| view! { <super::plan::Assignments course=c meetings=meetings/> })}
            {voice}
            <p><A href="/teach">{text(Key::TeachHeading)}</A></p>
        </section>
    }
}

/// The invite that works now (code, link and its QR code, until when), with
/// Copy and Share for the link, and a new code — asked first, since the new
/// code stops the link already handed out.
#[component]
fn InvitePanel(course: String, invite: Option<Invite>) -> impl IntoView {
    let lang = use_lang();
    let current = RwSignal::new(invite);
    // Asking before a new code replaces one that works; what was done, said.
    let (confirming, said) = (RwSignal::new(false), RwSignal::new(None::<String>));
    let renew = Action::new_local(move |course: &String| {
        let path = format!("/api/courses/{course}/invite");
        async move { api::request::<Invite>("POST", &path, Some(&NewInvite::default())).await }
    });
    Effect::new(move || {
        if let Some(Ok(fresh)) = renew.value().get() {
            let replaced = current.get_untracked().is_some();
            current.set(Some(fresh));
            if replaced {
                said.set(Some(t(lang.get_untracked(), Key::TeachNewInviteMade).to_owned()));
            }
        }
    });
    let course = StoredValue::new(course);
    let new_code = move |_| {
        confirming.set(false);
        said.set(None);
        renew.dispatch(course.get_value());
    };
    let ask = move |_| {
        said.set(None);
        confirming.set(true);
    };
    let problem = move || renew.value().get().and_then(Result::err).map(|e| say(&e, lang.get()));
    let origin = window().location().origin().unwrap_or_default();
    let copy = Action::new_local(move |link: &String| {
        let link = link.clone();
        async move {
            let lang = lang.get_untracked();
            said.set(Some(match crate::share::copy(&link).await {
                Ok(()) => t(lang, Key::TeachLinkCopied).to_owned(),
                Err(why) => format!("{} ({why})", t(lang, Key::TeachLinkNotCopied)),
            }));
        }
    });
    let share = Action::new_local(move |(title, link): &(String, String)| {
        let (title, link) = (title.clone(), link.clone());
        async move {
            if let Err(why) = crate::share::share(&title, &link).await {
                said.set(Some(format!("{} ({why})", t(lang.get_untracked(), Key::TeachLinkNotShared))));
            }
        }
    });
    let can_share = crate::share::can_share();
    move || {
        let lang = lang.get();
        let Some(invite) = current.get() else {
            return view! {
                <section class="invite">
                    <p class="form-problem" role="alert">{problem}</p>
                    <button type="button" class="button primary new-invite" on:click=new_code>{t(lang, Key::TeachNewInvite)}</button>
                </section>
            }
            .into_any();
        };
        let link = format!("{origin}/join/{}", invite.code);
        let expires = local_day(invite.expires_at_ms, 0);
        let (to_copy, to_share) = (link.clone(), link.clone());
        let share_button = can_share.then(|| {
            let title = t(lang, Key::TeachShareTitle).to_owned();
            view! {
                <button type="button" class="button share-link"
                    on:click=move |_| { share.dispatch((title.clone(), to_share.clone())); }>{t(lang, Key::TeachShareLink)}</button>
            }
        });
        view! {
            <section class="invite" aria-labelledby="invite-heading">
                <h2 id="invite-heading">{t(lang, Key::TeachInvite)}</h2>
                <p>{t(lang, Key::JoinCode)} ": " <strong class="invite-code">{invite.code.clone()}</strong></p>
                <p class="invite-link-line">{t(lang, Key::TeachLink)} ": " <a class="invite-link" href=link.clone()>{link.clone()}</a></p>
                <p class="invite-actions">
                    <button type="button" class="button copy-link"
                        on:click=move |_| { copy.dispatch(to_copy.clone()); }>{t(lang, Key::TeachCopyLink)}</button>
                    {share_button}
                </p>
                {crate::qr::qr_path(&link).map(|(size, path)| view! {
                    <svg class="invite-qr" role="img" aria-label=t(lang, Key::TeachQr)
                        viewBox=format!("0 0 {size} {size}") width="192" height="192">
                        <rect width=size.to_string() height=size.to_string() fill="#fff"/>
                        <path d=path fill="#000"/>
                    </svg>
                })}
                <p class="quiet">{t(lang, Key::TeachExpires)} " " {date_text(expires, lang)}</p>
                <p class="invite-said" role="status">{move || said.get()}</p>
                <p class="form-problem" role="alert">{problem}</p>
                <button type="button" class="button new-invite" on:click=ask hidden=move || confirming.get()>
                    {t(lang, Key::TeachNewInvite)}
                </button>
                <div class="confirm-new-invite" role="group" aria-labelledby="new-invite-question" hidden=move || !confirming.get()>
                    <p id="new-invite-question">{t(lang, Key::TeachNewInviteAsk)}</p>
                    <p class="confirm-actions">
                        <button type="button" class="button primary new-invite-confirm" on:click=new_code>{t(lang, Key::TeachNewInviteConfirm)}</button>
                        <button type="button" class="button new-invite-cancel" on:click=move |_| confirming.set(false)>{t(lang, Key::TeachNewInviteKeep)}</button>
                    </p>
                </div>
            </section>
        }
        .into_any()
    }
}

/// Who can still join: sign-ups open or closed, and the group's size, both
/// changeable here; what is saved is said, and a refusal shown.
#[component]
fn SignUps(course: Teaching) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let current = RwSignal::new(course);
    let said = RwSignal::new(None::<String>);
    let change = Action::new_local(move |change: &CourseChange| {
        let path = format!("/api/courses/{}", current.get_untracked().id);
        let change = change.clone();
        async move { api::request::<Teaching>("PATCH", &path, Some(&change)).await }
    });
    Effect::new(move || {
        if let Some(Ok(saved)) = change.value().get() {
            current.set(saved);
            said.set(Some(t(lang.get_untracked(), Key::TeachSignUpsSaved).to_owned()));
        }
    });
    let problem = move || change.value().get().and_then(Result::err).map(|e| say(&e, lang.get()));
    let size = RwSignal::new(current.get_untracked().capacity.to_string());
    let state = move || {
        let c = current.get();
        let key = match (c.open, c.participants >= i64::from(c.capacity)) {
            (false, _) => Key::TeachSignUpsClosed,
            (true, true) => Key::TeachSignUpsFull,
            (true, false) => Key::TeachSignUpsOpen,
        };
        t(lang.get(), key)
    };
    let places = move || {
        let c = current.get();
        t(lang.get(), Key::TeachPlacesTaken)
            .replace("{n}", &c.participants.to_string())
            .replace("{capacity}", &c.capacity.to_string())
    };
    let toggle = move |_| {
        said.set(None);
        let open = !current.get_untracked().open;
        change.dispatch(CourseChange { open: Some(open), ..CourseChange::default() });
    };
    let save_size = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        said.set(None);
        match size.get_untracked().trim().parse::<u16>() {
            Ok(capacity) => {
                change.dispatch(CourseChange { capacity: Some(capacity), ..CourseChange::default() });
            }
            Err(_) => said.set(Some(t(lang.get_untracked(), Key::TeachGroupSizeNumber).to_owned())),
        }
    };
    view! {
        <section class="sign-ups" aria-labelledby="sign-ups-heading">
            <h2 id="sign-ups-heading">{text(Key::TeachSignUps)}</h2>
            <p class="sign-ups-state">{state}</p>
            <p class="quiet sign-ups-places">{places}</p>
            <p>
                <button type="button" class="button sign-ups-toggle" on:click=toggle>
                    {move || t(lang.get(), if current.get().open { Key::TeachCloseSignUps } else { Key::TeachOpenSignUps })}
                </button>
            </p>
            <form class="group-size" on:submit=save_size>
                <label for="group-size">{text(Key::TeachGroupSize)}</label>
                <input id="group-size" type="number" inputmode="numeric" min="1" max="200" required
                    prop:value=move || size.get() on:input=move |ev| size.set(event_target_value(&ev))/>
                <button type="submit" class="button save-group-size">{text(Key::TeachSaveGroupSize)}</button>
            </form>
            <p class="sign-ups-said" role="status">{move || said.get()}</p>
            <p class="form-problem" role="alert">{problem}</p>
        </section>
    }
}

/// How participants reach the instructor between meetings, in the
/// instructor's words: it shows on their Help page and in the note after a
/// check-in that worries. Saved and said; a refusal shown.
#[component]
fn Contact(course: Teaching) -> impl IntoView {
    let lang = use_lang();
    let text = move |key| move || t(lang.get(), key);
    let id = course.id.clone();
    let words = RwSignal::new(course.contact.clone());
    let said = RwSignal::new(None::<String>);
    let save = Action::new_local(move |contact: &String| {
        let path = format!("/api/courses/{id}");
        let change = CourseChange { contact: Some(contact.clone()), ..CourseChange::default() };
        async move { api::request::<Teaching>("PATCH", &path, Some(&change)).await }
    });
    Effect::new(move || {
        if let Some(Ok(saved)) = save.value().get() {
            words.set(saved.contact);
            said.set(Some(t(lang.get_untracked(), Key::TeachSignUpsSaved).to_owned()));
        }
    });
    let problem = move || save.value().get().and_then(Result::err).map(|e| say(&e, lang.get()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        said.set(None);
        save.dispatch(words.get_untracked());
    };
    view! {
        <section class="contact" aria-labelledby="contact-heading">
            <h2 id="contact-heading">{text(Key::TeachContact)}</h2>
            <form class="contact-form" on:submit=submit>
                <label for="course-contact">{text(Key::TeachContactLabel)}</label>
                <p id="course-contact-hint" class="quiet">{text(Key::TeachContactHint)}</p>
                <input id="course-contact" type="text" maxlength="200" autocomplete="off"
                    aria-describedby="course-contact-hint"
                    prop:value=move || words.get() on:input=move |ev| words.set(event_target_value(&ev))/>
                <button type="submit" class="button save-contact" disabled=move || save.pending().get()>
                    {text(Key::TeachSaveContact)}
                </button>
            </form>
            <p class="contact-said" role="status">{move || said.get()}</p>
            <p class="form-problem" role="alert">{problem}</p>
        </section>
    }
}
