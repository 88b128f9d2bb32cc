//! Screen Wake Lock while a session plays in the foreground. The browser drops
//! the lock whenever the page is hidden; it is asked for again when the page
//! is shown while still wanted.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::{Closure, JsValue};

use super::{call, navigator, property};

#[derive(Debug)]
pub(crate) struct WakeLock {
    sentinel: Rc<RefCell<Option<JsValue>>>,
    wanted: Rc<Cell<bool>>,
    on_visibility: Option<Closure<dyn FnMut(JsValue)>>,
}

impl WakeLock {
    pub(crate) fn new() -> WakeLock {
        let sentinel = Rc::new(RefCell::new(None));
        let wanted = Rc::new(Cell::new(false));
        let on_visibility = web_sys::window().and_then(|w| w.document()).map(|document| {
            let (sentinel, wanted) = (sentinel.clone(), wanted.clone());
            let handler = Closure::<dyn FnMut(JsValue)>::new(move |_| {
                let visible = web_sys::window()
                    .and_then(|w| w.document())
                    .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Visible);
                if visible && wanted.get() {
                    // The old sentinel was released by the browser.
                    sentinel.borrow_mut().take();
                    let (sentinel, wanted) = (sentinel.clone(), wanted.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        if let Some(lock) = request().await {
                            if wanted.get() {
                                *sentinel.borrow_mut() = Some(lock);
                            } else {
                                let _ = call(&lock, "release", &[]);
                            }
                        }
                    });
                }
            });
            let _ = document
                .add_event_listener_with_callback("visibilitychange", handler.as_ref().unchecked_ref());
            handler
        });
        WakeLock { sentinel, wanted, on_visibility }
    }

    /// Keeps the screen on (where the browser has the API and grants it).
    pub(crate) async fn hold(&self) {
        self.wanted.set(true);
        if self.sentinel.borrow().is_some() {
            return;
        }
        if let Some(lock) = request().await {
            if self.wanted.get() {
                *self.sentinel.borrow_mut() = Some(lock);
            } else {
                let _ = call(&lock, "release", &[]);
            }
        }
    }

    pub(crate) fn release(&self) {
        self.wanted.set(false);
        if let Some(lock) = self.sentinel.borrow_mut().take() {
            let _ = call(&lock, "release", &[]);
        }
    }
}

/// `navigator.wakeLock.request("screen")`, when the browser has it and grants it.
async fn request() -> Option<JsValue> {
    let lock = navigator().and_then(|n| property(&n, "wakeLock"))?;
    let promise = call(&lock, "request", &[&"screen".into()])?.dyn_into::<js_sys::Promise>().ok()?;
    wasm_bindgen_futures::JsFuture::from(promise).await.ok()
}

impl Drop for WakeLock {
    fn drop(&mut self) {
        self.release();
        if let (Some(document), Some(handler)) =
            (web_sys::window().and_then(|w| w.document()), self.on_visibility.as_ref())
        {
            let _ = document
                .remove_event_listener_with_callback("visibilitychange", handler.as_ref().unchecked_ref());
        }
    }
}
