//! One socket for all the tabs of a browser: the tab holding a per-user lock (the leader) owns
//! the socket; every tab, the leader included, talks over a `BroadcastChannel` of the same
//! name ([`TabMessage`]). The browser hands the lock to the next tab in line when the leader
//! closes, reloads or crashes, and the leader gives it up itself when its page is frozen or
//! hidden for good. Where either API is missing there is no share: each tab keeps its own
//! socket, as before.

use wasm_bindgen::prelude::*;
use web_sys::{BroadcastChannel, MessageEvent};
use yew::Callback;

use crate::services::locks::{self, Claim};
use crate::state::tabs::TabMessage;

/// This tab's membership of one user's share: its place in the queue for the socket (or the
/// socket's lock, once elected) and the channel. Dropping it leaves: the lock goes to the next
/// tab, the channel closes.
pub struct TabShare {
    name: String,
    channel: BroadcastChannel,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _claim: Claim,
}

impl TabShare {
    /// Joins the share `name`: `on_elected` is called once this tab holds the lock,
    /// `on_message` with every message another tab posts, `on_refused` if the browser refuses
    /// the lock after all (site data blocked makes `navigator.locks.request` reject with a
    /// `SecurityError`: this tab must keep its own socket, not wait for a grant that never
    /// comes). `None` where the browser cannot share (no `BroadcastChannel`, no
    /// `navigator.locks`).
    pub fn join(
        name: &str,
        on_elected: Callback<()>,
        on_message: Callback<TabMessage>,
        on_refused: Callback<()>,
    ) -> Option<TabShare> {
        if !locks::supported() || !channel_supported() {
            return None;
        }
        let channel = BroadcastChannel::new(name).ok()?;
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            // Another version of Herald, or anything else: ignored.
            if let Some(m) = e.data().as_string().and_then(|t| TabMessage::decode(&t)) {
                on_message.emit(m);
            }
        });
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        let Some(claim) = locks::claim(
            name,
            move || on_elected.emit(()),
            move || on_refused.emit(()),
        ) else {
            channel.set_onmessage(None);
            channel.close();
            return None;
        };
        Some(TabShare {
            name: name.to_owned(),
            channel,
            _on_message: on_message,
            _claim: claim,
        })
    }

    /// Whether another tab is in the share, waiting for the socket (the leader forwards frames
    /// only then: posting each one costs an IPC even when nobody listens). `None`: unknown.
    pub fn others_waiting(&self) -> impl std::future::Future<Output = Option<bool>> + 'static {
        let name = self.name.clone();
        async move { locks::anyone_waiting(&name).await }
    }

    /// Tells every other tab of the share (a tab never receives its own messages).
    pub fn post(&self, message: &TabMessage) {
        let _ = self
            .channel
            .post_message(&JsValue::from_str(&message.encode()));
    }
}

impl Drop for TabShare {
    fn drop(&mut self) {
        self.channel.set_onmessage(None);
        self.channel.close();
    }
}

fn channel_supported() -> bool {
    web_sys::window().is_some_and(|w| {
        js_sys::Reflect::get(&w, &JsValue::from_str("BroadcastChannel"))
            .is_ok_and(|c| c.is_function())
    })
}
