//! Where the app's wasm is split. The release build (`cargo xtask dist`) compiles
//! with `--cfg stille_split`: each function here then becomes a split point, and
//! the code only it reaches goes into a wasm chunk that the browser fetches the
//! first time the point is called (the service worker precaches every chunk
//! after the first visit, so later visits and offline use fetch nothing).
//! Home and help stay in the first download: home is what a first visit shows,
//! and help must open even when nothing else can be fetched.
//!
//! Points are grouped into five chunks by what people do together: `practise`
//! (library, a practice's page, the player), `log` (history, settings),
//! `account` (account, joining, "This week" on home, the sync engine), `teach`
//! and `lab`. Code that several chunks use goes into shared chunks fetched with
//! them; five groups keep that to about fifteen files a group, where a chunk per
//! screen made 147 files and 75 requests for the player.
//!
//! Without the cfg (tests, clippy, `cargo check`) the same screens are plain
//! async functions, so one source serves both builds.
//!
//! The split itself is done after `cargo build` by `wasm_split_cli_support`
//! (xtask/src/site.rs), on the import each `#[wasm_split]` function declares.

// The split macro declares each chunk's loader as an `unsafe extern` import;
// this module is the only place the app allows that.
#![allow(unsafe_code)]

#[cfg(target_arch = "wasm32")]
pub use screens::*;

use leptos::wasm_split::SplitLoaderError;

/// One split point in chunk `$chunk`: `#[wasm_split]` in the release build
/// (the call fetches the chunk first, and fails if it cannot), a plain async
/// function elsewhere.
macro_rules! split_fn {
    ($chunk:ident, $(#[$attr:meta])* $vis:vis fn $name:ident() -> $out:ty $body:block) => {
        #[cfg(stille_split)]
        #[::leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible)]
        $(#[$attr])*
        $vis fn $name() -> Result<$out, SplitLoaderError> $body

        #[cfg(not(stille_split))]
        $(#[$attr])*
        $vis async fn $name() -> Result<$out, SplitLoaderError> $body
    };
}

/// The screens' split points (wasm only, like the screens themselves).
#[cfg(target_arch = "wasm32")]
mod screens {
    use leptos::prelude::*;
    use leptos::wasm_split::SplitLoaderError;
    use leptos_router::LazyRoute;
    use send_wrapper::SendWrapper;

    use crate::i18n::{Key, t, use_lang};

    /// For each screen: the chunk it goes into, the route type the router loads it
    /// through (`Lazy::<Route>::new()` in `app.rs`), the loader's name and the
    /// component. Screens that name the same chunk share it.
    macro_rules! split_points {
    ($($chunk:ident: $route:ident, $load:ident => $component:path;)*) => {$(
        // The chunk hands back how to draw the screen, drawn once its words
        // are here too.
        split_fn!($chunk, fn $load() -> fn() -> AnyView {
            Ok(|| $component().into_any())
        });

        #[doc = concat!("The route of `", stringify!($component), "`, fetched with its chunk.")]
        #[derive(Debug)]
        pub struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_: Self) -> AnyView {
                // The words of the screens past the first, fetched beside the chunk.
                let words = crate::i18n::load_rest();
                let screen = $load().await;
                words.await;
                match screen {
                    Ok(draw) => draw(),
                    Err(_) => Unloaded().into_any(),
                }
            }
        }
    )*};
}

    split_points! {
        practise: LibraryRoute, load_library => crate::routes::Library;
        practise: PracticeRoute, load_practice => crate::routes::PracticeDetail;
        practise: PlayerRoute, load_player => crate::routes::PlayerPage;
        practise: TakeRoute, load_take => crate::routes::TakePage;
        log: HistoryRoute, load_history => crate::routes::History;
        log: SettingsRoute, load_settings => crate::routes::Settings;
        log: MeasuresRoute, load_measures => crate::routes::MeasuresPage;
        log: MeasureRoute, load_measure => crate::routes::MeasurePage;
        account: AccountRoute, load_account => crate::routes::AccountPage;
        account: JoinRoute, load_join => crate::routes::JoinPage;
        account: ResetRoute, load_reset => crate::routes::ResetPage;
        account: WelcomeRoute, load_welcome => crate::routes::WelcomePage;
        teach: TeachRoute, load_teach => crate::routes::TeachHome;
        teach: DashboardRoute, load_dashboard => crate::routes::CourseDashboard;
        teach: VoiceRoute, load_voice => crate::routes::VoicePage;
        teach: OutcomesRoute, load_outcomes => crate::routes::OutcomesPage;
        teach: CourseReportRoute, load_course_report => crate::routes::CourseReportPage;
        lab: LabRoute, load_lab => crate::routes::LabAudio;
    }

    split_fn!(
        account,
        fn load_this_week() -> fn() -> AnyView {
            Ok(|| crate::components::ThisWeek().into_any())
        }
    );

    /// "This week" on home ([`crate::components::ThisWeek`]), in the `account`
    /// chunk with the courses code: fetched only for someone signed in, as only a
    /// course's participant sees it. If it cannot be fetched, home shows the rest.
    #[component]
    pub fn ThisWeekLater() -> impl IntoView {
        let account = crate::account::use_account();
        let signed_in = Memo::new(move |_| account.with(|a| a.user().is_some()));
        let week = move || {
            signed_in.get().then(|| {
                // The wasm is single-threaded: the wrapper only satisfies `Suspend`'s `Send`.
                Suspend::new(SendWrapper::new(async {
                    let words = crate::i18n::load_rest();
                    let week = load_this_week().await;
                    words.await;
                    week.map_or_else(|_| ().into_any(), |draw| draw())
                }))
            })
        };
        view! { <Suspense>{week}</Suspense> }
    }

    /// Shown instead of a screen whose chunk could not be fetched (offline on a
    /// first visit, or a deploy replaced it): says so, and offers to try again.
    /// Reloading is the retry: the loader remembers only successes.
    #[component]
    fn Unloaded() -> impl IntoView {
        let lang = use_lang();
        let reload = |_| {
            let _ = window().location().reload();
        };
        view! {
            <section class="unloaded" aria-labelledby="unloaded-heading">
                <h1 id="unloaded-heading" tabindex="-1">{move || t(lang.get(), Key::UnloadedHeading)}</h1>
                <p>{move || t(lang.get(), Key::UnloadedBody)}</p>
                <button type="button" class="button primary" on:click=reload>
                    {move || t(lang.get(), Key::DetailsRetry)}
                </button>
            </section>
        }
    }
}

split_fn!(
    account,
    /// A sync run ([`crate::sync::run`]): the engine goes into the `account`
    /// chunk, as nobody needs it before signing in.
    pub fn sync_engine() -> LocalFuture {
        Ok(Box::pin(crate::sync::run()))
    }
);

/// Work a chunk hands back to the main module to run.
pub type LocalFuture = std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>;
