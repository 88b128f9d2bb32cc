//! Reminders on the Settings page: the times, days and quiet night, turning
//! them on on this phone (the browser asks for permission only then), and
//! the same plan as calendar events for a phone push cannot reach. The
//! logic is in `crate::reminders`.

use leptos::prelude::*;
use leptos::task::spawn_local;
use stille_practice::stats::{Date, DayRule};

use crate::account::use_account;
use crate::components::download_as;
use crate::i18n::{Key, t, use_lang};
use crate::reminders::{self, Form, Support, TurnOnError};

/// At most this many times in the form (the server takes 12; a phone's
/// screen shows four well).
const MAX_TIMES: usize = 4;

#[component]
pub fn RemindersSettings() -> impl IntoView {
    let lang = use_lang();
    let account = use_account();
    let text = move |key| move || t(lang.get(), key);
    let support = reminders::support();
    let form = RwSignal::new(Form::default());
    let on_here = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let said = RwSignal::new(None::<String>);
    let signed_in = move || account.with(|a| a.user().is_some());

    // The kept plan and whether this phone is subscribed, once signed in.
    Effect::new(move |_| {
        if !signed_in() {
            return;
        }
        spawn_local(async move {
            if let Ok(plan) = reminders::kept().await
                && !plan.times.is_empty()
            {
                form.try_set(Form::of(&plan));
            }
            on_here.try_set(reminders::subscribed().await);
        });
    });

    // The plan from the form, checked here first so the words are the app's.
    let checked_plan = move || {
        let current = form.get_untracked();
        let plan = current.plan(&reminders::time_zone());
        plan.check()
            .map(|()| plan)
            .map_err(|e| t(lang.get_untracked(), reminders::problem(&e, &current)).to_owned())
    };
    let act = move |turn_on: bool| {
        let plan = match checked_plan() {
            Ok(plan) => plan,
            Err(message) => {
                said.set(Some(message));
                return;
            }
        };
        busy.set(true);
        said.set(None);
        spawn_local(async move {
            let lang_now = lang.get_untracked();
            let words = |key| t(lang_now, key).to_owned();
            let result = match reminders::keep(&plan).await {
                Err(error) => Err(format!("{}: {error}", words(Key::ReminderServerFailed))),
                Ok(_) if !turn_on => {
                    Ok(format!("{} {}", words(Key::ReminderSaved), reminders::summary(&plan, lang_now)))
                }
                Ok(_) => match reminders::turn_on(lang_now).await {
                    Ok(()) => {
                        on_here.try_set(true);
                        Ok(format!(
                            "{} {}",
                            words(Key::ReminderTurnedOn),
                            reminders::summary(&plan, lang_now)
                        ))
                    }
                    Err(TurnOnError::Denied) => Err(words(Key::ReminderDeniedNow)),
                    Err(TurnOnError::Browser(why)) => {
                        Err(format!("{}: {why}", words(Key::ReminderBrowserFailed)))
                    }
                    Err(TurnOnError::Server(error)) => {
                        Err(format!("{}: {error}", words(Key::ReminderServerFailed)))
                    }
                },
            };
            said.try_set(Some(result.unwrap_or_else(|e| e)));
            busy.try_set(false);
        });
    };
    let turn_off = move |_| {
        busy.set(true);
        spawn_local(async move {
            let lang_now = lang.get_untracked();
            let message = match reminders::turn_off().await {
                Ok(()) => {
                    on_here.try_set(false);
                    t(lang_now, Key::ReminderTurnedOff).to_owned()
                }
                Err(error) => format!("{}: {error}", t(lang_now, Key::ReminderServerFailed)),
            };
            said.try_set(Some(message));
            busy.try_set(false);
        });
    };
    let calendar = move |_| match checked_plan() {
        Ok(plan) => {
            let now = js_sys::Date::new_0();
            let today = Date::of(
                js_sys::Date::now() as i64,
                crate::log_store::utc_offset_minutes(),
                DayRule { grace_minutes: 0 },
            );
            let stamp = format!(
                "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
                now.get_utc_full_year(),
                now.get_utc_month() + 1,
                now.get_utc_date(),
                now.get_utc_hours(),
                now.get_utc_minutes(),
                now.get_utc_seconds()
            );
            let ics = reminders::ics(&plan, lang.get_untracked(), today, &stamp);
            if let Err(error) = download_as(&ics, "stille-paamindelser.ics", "text/calendar") {
                said.set(Some(error));
            }
        }
        Err(message) => said.set(Some(message)),
    };

    let time_rows = move || {
        let count = form.with(|f| f.times.len());
        (0..count)
            .map(|i| {
                let id = format!("reminder-time-{i}");
                view! {
                    <div class="reminder-time">
                        <label for=id.clone()>{move || format!("{} {}", t(lang.get(), Key::ReminderTime), i + 1)}</label>
                        <input type="time" id=id name="reminder-time" required
                            prop:value=move || form.with(|f| f.times.get(i).cloned().unwrap_or_default())
                            on:change=move |ev| form.update(|f| if let Some(at) = f.times.get_mut(i) { *at = event_target_value(&ev) })/>
                        <button type="button" class="button quiet-button remove-time" hidden=move || count < 2
                            aria-label=move || format!("{} {} {}", t(lang.get(), Key::ReminderRemoveTime), t(lang.get(), Key::ReminderTime).to_lowercase(), i + 1)
                            on:click=move |_| form.update(|f| { if f.times.len() > 1 { f.times.remove(i); } })>
                            {text(Key::ReminderRemoveTime)}
                        </button>
                    </div>
                }
            })
            .collect_view()
    };
    let days = move || {
        (0..7usize)
            .map(|d| {
                view! {
                    <label class="reminder-day">
                        <input type="checkbox" name="reminder-day" value=(d + 1).to_string()
                            prop:checked=move || form.with(|f| f.days[d])
                            on:change=move |ev| form.update(|f| f.days[d] = event_target_checked(&ev))/>
                        " " {move || reminders::day_name(d, lang.get())}
                    </label>
                }
            })
            .collect_view()
    };
    let quiet_on = move || form.with(|f| f.quiet.is_some());
    let quiet_value = move |end: usize| {
        form.with(|f| {
            f.quiet
                .as_ref()
                .map(|(from, to)| if end == 0 { from.clone() } else { to.clone() })
                .unwrap_or_default()
        })
    };
    let set_quiet = move |end: usize, value: String| {
        form.update(|f| {
            if let Some((from, to)) = f.quiet.as_mut() {
                if end == 0 { *from = value } else { *to = value }
            }
        })
    };
    let actions = move || {
        if !signed_in() {
            return view! {
                <p class="reminder-why">{text(Key::ReminderSignIn)} " " <a href="/account">{text(Key::ReminderSignInLink)}</a></p>
            }
            .into_any();
        }
        match support {
            Support::Yes => view! {
                <p class="reminder-here" role="status">
                    {move || t(lang.get(), if on_here.get() { Key::ReminderOnHere } else { Key::ReminderOffHere })}
                </p>
                <p class="reminder-actions">
                    <button type="button" class="button primary turn-on" hidden=move || on_here.get()
                        disabled=move || busy.get() on:click=move |_| act(true)>{text(Key::ReminderTurnOn)}</button>
                    <button type="button" class="button primary save-reminders" hidden=move || !on_here.get()
                        disabled=move || busy.get() on:click=move |_| act(false)>{text(Key::ReminderSave)}</button>
                    <button type="button" class="button turn-off" hidden=move || !on_here.get()
                        disabled=move || busy.get() on:click=turn_off>{text(Key::ReminderTurnOff)}</button>
                </p>
            }
            .into_any(),
            Support::AddToHomeScreen => view! { <p class="reminder-why">{text(Key::ReminderHomeScreen)}</p> }.into_any(),
            Support::Denied => view! { <p class="reminder-why">{text(Key::ReminderDenied)}</p> }.into_any(),
            Support::No => view! { <p class="reminder-why">{text(Key::ReminderUnsupported)}</p> }.into_any(),
        }
    };

    view! {
        <fieldset class="settings-reminders">
            <legend>{text(Key::ReminderHeading)}</legend>
            <p class="quiet">{text(Key::ReminderHelp)}</p>
            <div class="reminder-times">{time_rows}</div>
            <p hidden=move || form.with(|f| f.times.len() >= MAX_TIMES)>
                <button type="button" class="button quiet-button add-time"
                    on:click=move |_| form.update(|f| f.times.push("12:00".to_owned()))>{text(Key::ReminderAddTime)}</button>
            </p>
            <fieldset class="reminder-days">
                <legend>{text(Key::ReminderDays)}</legend>
                {days}
            </fieldset>
            <label>
                <input type="checkbox" name="reminder-quiet" prop:checked=quiet_on
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        form.update(|f| f.quiet = on.then(|| ("22:00".to_owned(), "07:00".to_owned())));
                    }/>
                " " {text(Key::ReminderQuiet)}
            </label>
            <div class="reminder-quiet" hidden=move || !quiet_on()>
                <label for="quiet-from">{text(Key::ReminderQuietFrom)}</label>
                <input type="time" id="quiet-from" name="quiet-from" prop:value=move || quiet_value(0)
                    on:change=move |ev| set_quiet(0, event_target_value(&ev))/>
                <label for="quiet-to">{text(Key::ReminderQuietTo)}</label>
                <input type="time" id="quiet-to" name="quiet-to" prop:value=move || quiet_value(1)
                    on:change=move |ev| set_quiet(1, event_target_value(&ev))/>
            </div>
            {actions}
            <p class="reminder-said" role="status">{move || said.get()}</p>
            <p class="quiet">{text(Key::ReminderCalendar)}</p>
            <p><button type="button" class="button calendar" on:click=calendar>{text(Key::ReminderCalendarButton)}</button></p>
        </fieldset>
    }
}
