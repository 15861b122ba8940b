//! Proves the Yew hooks (feature `yew`, and `serde` for the typed one) in a real page, with
//! components rendered into a DOM node against the real server: `use_websocket` connects on
//! mount, re-renders with every state and message, sends (`Sent`, then `Queued` while down),
//! keeps a bounded history; unmounting closes the socket with 1000 (the server records it) and
//! stops a pending reconnect (no socket is left or created afterwards, and a kept handle can
//! neither send nor reopen); a new URL closes the old connection (1000) and opens one to the
//! new URL; with `connect_on_mount(false)` a new URL moves a live connection (open or
//! reconnecting) and connects nothing when there is none (after `close()`, even while it is
//! closing), the state then being `None`; the state, `is_open()` and `send()` agree
//! throughout; `close()` is final and `open()` reopens, at once even while the old connection
//! is closing, and the new one reconnects (its `close_event()` then the ending before the
//! reconnect); a refused URL is an error in the state, never a panic; `use_websocket_json`
//! decodes typed messages (`send_json` encodes), reports a frame that does not decode as
//! `Error::Decode` and stays open (or closes with the code and reason asked for, and an
//! invalid pair is an error when the connection would start, returned by `open()`);
//! `on_message` sees every message of a burst of 1,000, in order (decoded, for the JSON hook);
//! three consumers of one `shared` key make one connection (the server's `/steps` log), each
//! gets every message, their sends arrive in order, unmounting two leaves it open and the last
//! closes it with 1000; a shared `close()` reaches every consumer and `open()` reconnects all.
//!
//! Run by `npm test` in headless Chromium only (`wasm-pack test --headless --chrome
//! --features yew,serde -- --test yew_hooks`).
#![cfg(all(target_arch = "wasm32", feature = "yew"))]
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use browser_ws::yew::{use_websocket, UseWebSocket, UseWebSocketOptions};
use browser_ws::{
    live_sockets, Backoff, CloseCode, ConnectionState, Delivery, Error, Message, ReconnectOptions,
    State,
};
use common::{
    connect, fault_server, next_message, recorded_close, server, sleep, steps_ends, steps_log,
    unique_id, CLOSED_PORT,
};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Every handle the component rendered with, newest last.
struct Renders<H>(Rc<RefCell<Vec<H>>>);

impl<H> Clone for Renders<H> {
    fn clone(&self) -> Self {
        Renders(Rc::clone(&self.0))
    }
}

impl<H> Default for Renders<H> {
    fn default() -> Self {
        Renders(Rc::default())
    }
}

impl<H> PartialEq for Renders<H> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<H: Clone> Renders<H> {
    fn latest(&self) -> H {
        self.0
            .borrow()
            .last()
            .cloned()
            .expect("rendered at least once")
    }

    fn count(&self) -> usize {
        self.0.borrow().len()
    }
}

#[derive(Properties, Clone, PartialEq)]
struct ProbeProps {
    url: AttrValue,
    history: usize,
    reconnect: bool,
    connect_on_mount: bool,
    renders: Renders<UseWebSocket>,
}

/// Renders the state and the latest text message into the DOM, and records each handle.
#[component]
fn Probe(props: &ProbeProps) -> Html {
    let backoff = if props.reconnect {
        Backoff::new()
            .initial_delay(Duration::from_millis(50))
            .max_delay(Duration::from_millis(100))
    } else {
        Backoff::new().max_retries(Some(0))
    };
    let options = UseWebSocketOptions::new()
        .history(props.history)
        .connect_on_mount(props.connect_on_mount)
        .reconnect(ReconnectOptions::new().backoff(backoff));
    let ws = use_websocket(&props.url, options);
    props.renders.0.borrow_mut().push(ws.clone());
    let state = match ws.state() {
        None => "none".to_owned(),
        Some(ConnectionState::Open) => "open".to_owned(),
        Some(other) => format!("{other:?}"),
    };
    let last = ws
        .message()
        .and_then(Message::as_text)
        .unwrap_or_default()
        .to_owned();
    html! {
        <div>
            <p class="state">{ state }</p>
            <p class="last">{ last }</p>
        </div>
    }
}

struct Mounted {
    app: Option<yew::AppHandle<Probe>>,
    root: web_sys::Element,
    renders: Renders<UseWebSocket>,
}

impl Mounted {
    fn text(&self, class: &str) -> String {
        self.root
            .query_selector(&format!(".{class}"))
            .unwrap()
            .and_then(|element| element.text_content())
            .unwrap_or_default()
    }

    fn unmount(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.unmount();
        self.root.remove();
    }
}

fn root() -> web_sys::Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

fn mount(url: &str, history: usize, reconnect: bool) -> Mounted {
    mount_with(url, history, reconnect, true)
}

/// Mounts with `connect_on_mount(false)` (and fast reconnects): nothing connects until
/// `open()`.
fn mount_later(url: &str) -> Mounted {
    mount_with(url, 0, true, false)
}

fn mount_with(url: &str, history: usize, reconnect: bool, connect_on_mount: bool) -> Mounted {
    let root = root();
    let renders = Renders::default();
    let props = ProbeProps {
        url: url.to_owned().into(),
        history,
        reconnect,
        connect_on_mount,
        renders: renders.clone(),
    };
    let app = yew::Renderer::<Probe>::with_root_and_props(root.clone(), props).render();
    Mounted {
        app: Some(app),
        root,
        renders,
    }
}

/// Waits until the sockets of earlier tests are gone (they close asynchronously).
async fn settled() {
    until(5_000, "no live sockets", || live_sockets() == 0).await;
}

/// Waits for the first render (Yew renders from the scheduler, not inside `render()`).
async fn rendered(page: &Mounted) {
    until(1_000, "the first render", || page.renders.count() > 0).await;
}

/// Re-renders the probe with a new URL (no history, fast reconnects).
fn change_url(page: &mut Mounted, url: &str, connect_on_mount: bool) {
    let props = ProbeProps {
        url: url.to_owned().into(),
        history: 0,
        reconnect: true,
        connect_on_mount,
        renders: page.renders.clone(),
    };
    page.app.as_mut().unwrap().update(props);
}

/// Asserts that a snapshot tells the truth about the connection: `state()`, `is_open()` and
/// what `send()` does agree (sent when open, queued while connecting or reconnecting, refused
/// without a connection, while closing and once closed). Sends a text "probe".
fn assert_agrees(ws: &UseWebSocket) {
    let state = ws.state().cloned();
    let sent = ws.send("probe");
    assert_eq!(
        ws.is_open(),
        state == Some(ConnectionState::Open),
        "is_open() disagrees with {state:?}"
    );
    let agrees = match &state {
        Some(ConnectionState::Open) => sent == Ok(Delivery::Sent),
        Some(ConnectionState::Connecting { .. } | ConnectionState::Reconnecting { .. }) => {
            sent == Ok(Delivery::Queued)
        }
        _ => matches!(sent, Err(Error::NotOpen(_))),
    };
    assert!(
        agrees,
        "the snapshot says {state:?} but send() gave {sent:?}"
    );
}

/// Takes the fault listener down for `down_ms` and waits until it is back.
async fn restart_fault_listener(down_ms: u32) {
    let mut control = connect(&format!("/restart?down_ms={down_ms}")).await;
    assert_eq!(next_message(&mut control).await, Message::from("down"));
    assert_eq!(next_message(&mut control).await, Message::from("up"));
}

/// Polls `condition` every 10 ms, failing the test after `ms`.
async fn until(ms: u32, what: &str, mut condition: impl FnMut() -> bool) {
    for _ in 0..ms / 10 {
        if condition() {
            return;
        }
        sleep(10).await;
    }
    panic!("timed out after {ms} ms waiting for {what}");
}

#[wasm_bindgen_test]
async fn mounts_receives_sends_and_keeps_a_bounded_history() {
    settled().await;
    let page = mount(&server("/echo"), 2, true);
    rendered(&page).await;
    assert_eq!(
        page.renders.0.borrow()[0].state(),
        None,
        "first render, before the effect"
    );
    until(10_000, "open", || page.renders.latest().is_open()).await;
    assert_eq!(page.text("state"), "open");

    let ws = page.renders.latest();
    assert!(ws.handle().is_some_and(|handle| handle.state().is_open()));
    assert_eq!(ws.send("one"), Ok(Delivery::Sent));
    until(5_000, "the echo", || page.text("last") == "one").await;
    assert_eq!(page.renders.latest().message(), Some(&Message::from("one")));
    // An old handle still sends on the live connection.
    for text in ["two", "three"] {
        assert_eq!(ws.send(text), Ok(Delivery::Sent));
    }
    until(5_000, "three echoes", || {
        page.renders.latest().received() == 3
    })
    .await;
    let latest = page.renders.latest();
    let history: Vec<_> = latest.history().cloned().collect();
    assert_eq!(history, [Message::from("two"), Message::from("three")]);
    assert_eq!(page.text("last"), "three");
    // Each snapshot is its own: the first handle still shows its render's state.
    assert_eq!(ws.received(), 0);
    assert_ne!(ws, latest);
    assert_eq!(latest, latest.clone());
    assert!(latest.error().is_none() && latest.close_event().is_none());
}

#[wasm_bindgen_test]
async fn unmounting_closes_the_socket_with_1000() {
    settled().await;
    let before = live_sockets();
    let id = unique_id("yew-unmount");
    let mut page = mount(&server(&format!("/record?id={id}")), 0, true);
    rendered(&page).await;
    until(10_000, "open", || page.renders.latest().is_open()).await;
    assert_eq!(live_sockets(), before + 1);
    let kept = page.renders.latest();
    let renders = page.renders.count();

    page.unmount();
    assert_eq!(recorded_close(&id).await, "1000 ");
    until(5_000, "the socket to be freed", || live_sockets() == before).await;
    // The component is gone: a kept handle cannot send or reconnect, and nothing re-renders.
    assert_eq!(kept.send("late"), Err(Error::NotOpen(State::Closed)));
    assert_eq!(kept.open(), Err(Error::NotOpen(State::Closed)));
    sleep(200).await;
    assert_eq!(live_sockets(), before);
    assert_eq!(page.renders.count(), renders);
}

#[wasm_bindgen_test]
async fn unmounting_stops_a_pending_reconnect() {
    settled().await;
    let before = live_sockets();
    let url = format!("ws://127.0.0.1:{CLOSED_PORT}/");
    let mut page = mount(&url, 0, true);
    rendered(&page).await;
    until(10_000, "a reconnect", || {
        matches!(
            page.renders.latest().state(),
            Some(ConnectionState::Reconnecting { attempt: 2.., .. })
        )
    })
    .await;
    assert!(
        page.text("state").starts_with("Reconnecting"),
        "{}",
        page.text("state")
    );
    // Sent while reconnecting: queued, not dropped.
    assert_eq!(page.renders.latest().send("queued"), Ok(Delivery::Queued));
    page.unmount();
    assert_eq!(
        live_sockets(),
        before,
        "unmounting frees the socket at once"
    );
    // Retries came every 50-100 ms: none may come now.
    for _ in 0..10 {
        sleep(50).await;
        assert_eq!(live_sockets(), before, "a socket was created after unmount");
    }
}

#[wasm_bindgen_test]
async fn close_is_final_and_open_reopens() {
    let page = mount(&server("/echo"), 0, true);
    rendered(&page).await;
    until(10_000, "open", || page.renders.latest().is_open()).await;
    let ws = page.renders.latest();
    ws.close().unwrap();
    until(5_000, "closed", || {
        page.renders.latest().close_event().is_some()
    })
    .await;
    let closed = page.renders.latest();
    let event = closed.close_event().unwrap();
    assert_eq!((event.code, event.was_clean), (CloseCode::NORMAL, true));
    assert!(matches!(closed.state(), Some(ConnectionState::Closed(_))));
    assert_eq!(ws.send("after close"), Err(Error::NotOpen(State::Closed)));
    sleep(300).await;
    assert!(
        page.renders.latest().close_event().is_some(),
        "no reconnect"
    );

    ws.open().unwrap();
    until(10_000, "open again", || page.renders.latest().is_open()).await;
    assert!(
        page.renders.latest().close_event().is_none(),
        "a fresh snapshot"
    );
    assert_eq!(ws.open(), Ok(()), "open while open does nothing");
    assert_eq!(ws.send("again"), Ok(Delivery::Sent));
    until(5_000, "the echo", || page.text("last") == "again").await;
}

#[wasm_bindgen_test]
async fn without_retries_a_failed_connection_ends_closed() {
    // No retries: the attempt to a closed port fails and the hook ends closed.
    let url = format!("ws://127.0.0.1:{CLOSED_PORT}/");
    let page = mount(&url, 0, false);
    until(10_000, "closed", || {
        page.renders.count() > 0 && page.renders.latest().close_event().is_some()
    })
    .await;
    let ws = page.renders.latest();
    assert_eq!(
        page.renders.latest().close_event().unwrap().code,
        CloseCode::ABNORMAL
    );
    assert!(matches!(ws.send("late"), Err(Error::NotOpen(_))));
}

#[wasm_bindgen_test]
async fn a_refused_url_is_an_error_in_the_state_not_a_panic() {
    settled().await;
    let before = live_sockets();
    let page = mount("ftp://example.com/", 0, true);
    rendered(&page).await;
    until(1_000, "the error", || {
        page.renders.latest().error().is_some()
    })
    .await;
    let ws = page.renders.latest();
    assert!(
        matches!(ws.error(), Some(Error::InvalidUrl { .. })),
        "{:?}",
        ws.error()
    );
    assert_eq!(ws.state(), None);
    assert_eq!(page.text("state"), "none");
    assert_eq!(ws.send("x"), Err(Error::NotOpen(State::Closed)));
    assert!(matches!(ws.open(), Err(Error::InvalidUrl { .. })));
    assert_eq!(live_sockets(), before);
}

#[cfg(feature = "serde")]
mod json {
    use super::*;
    use browser_ws::yew::use_websocket_json;
    use serde::{Deserialize, Serialize};

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    struct Chat {
        from: String,
        text: String,
    }

    type Handle = UseWebSocket<Chat, Chat>;

    #[derive(Properties, Clone, PartialEq)]
    struct JsonProps {
        url: AttrValue,
        /// Close with this code and "bad message" when a message does not decode.
        close_on_decode_error: Option<u16>,
        renders: Renders<Handle>,
    }

    #[component]
    fn JsonProbe(props: &JsonProps) -> Html {
        let mut options = UseWebSocketOptions::new()
            .history(10)
            .reconnect(ReconnectOptions::new().backoff(Backoff::new().max_retries(Some(0))));
        if let Some(code) = props.close_on_decode_error {
            options = options.close_on_decode_error(code, "bad message");
        }
        let chat: Handle = use_websocket_json(&props.url, options);
        props.renders.0.borrow_mut().push(chat.clone());
        html! { <p>{ chat.message().map(|chat| chat.text.clone()).unwrap_or_default() }</p> }
    }

    fn mount_json(
        url: &str,
        close_on_decode_error: Option<u16>,
    ) -> (yew::AppHandle<JsonProbe>, Renders<Handle>) {
        let renders = Renders::default();
        let props = JsonProps {
            url: url.to_owned().into(),
            close_on_decode_error,
            renders: renders.clone(),
        };
        let app = yew::Renderer::<JsonProbe>::with_root_and_props(root(), props).render();
        (app, renders)
    }

    fn chat(text: &str) -> Chat {
        Chat {
            from: "test".into(),
            text: text.into(),
        }
    }

    #[derive(Properties, Clone, PartialEq)]
    struct NumbersProps {
        url: AttrValue,
        seen: Renders<u32>,
        renders: Renders<UseWebSocket<u32, u32>>,
    }

    /// Decodes every message as a `u32` and records what `on_message` gets.
    #[component]
    fn Numbers(props: &NumbersProps) -> Html {
        let seen = props.seen.clone();
        let options = UseWebSocketOptions::new()
            .reconnect(ReconnectOptions::new().backoff(Backoff::new().max_retries(Some(0))))
            .on_message(move |number: &u32| seen.0.borrow_mut().push(*number));
        let ws: UseWebSocket<u32, u32> = use_websocket_json(&props.url, options);
        props.renders.0.borrow_mut().push(ws.clone());
        html! {}
    }

    #[wasm_bindgen_test]
    async fn on_message_gets_every_decoded_value_of_a_burst_in_order() {
        settled().await;
        let (seen, renders) = (Renders::default(), Renders::default());
        let props = NumbersProps {
            url: server("/numbered?n=1000&kind=text").into(),
            seen: seen.clone(),
            renders: renders.clone(),
        };
        let app = yew::Renderer::<Numbers>::with_root_and_props(root(), props).render();
        until(10_000, "1000 values", || seen.count() == 1000).await;
        let expected: Vec<u32> = (0..1000).collect();
        assert_eq!(*seen.0.borrow(), expected);
        until(5_000, "the last render", || {
            renders.count() > 0 && renders.latest().received() == 1000
        })
        .await;
        assert_eq!(renders.latest().message(), Some(&999));
        app.destroy();
        settled().await;
    }

    #[wasm_bindgen_test]
    async fn typed_messages_and_decode_errors_that_do_not_close() {
        let (app, renders) = mount_json(&server("/echo"), None);
        until(1_000, "the first render", || renders.count() > 0).await;
        until(10_000, "open", || renders.latest().is_open()).await;
        let ws = renders.latest();
        assert_eq!(ws.send_json(&chat("hi")), Ok(Delivery::Sent));
        until(5_000, "the typed echo", || {
            renders.latest().message() == Some(&chat("hi"))
        })
        .await;
        // A raw frame that is not a `Chat`: an error, the connection goes on.
        assert_eq!(ws.send("not json"), Ok(Delivery::Sent));
        until(5_000, "the decode error", || {
            renders.latest().error().is_some()
        })
        .await;
        let latest = renders.latest();
        assert!(
            matches!(latest.error(), Some(Error::Decode { excerpt, .. }) if excerpt == "not json"),
            "{:?}",
            latest.error()
        );
        assert_eq!(latest.received(), 2);
        assert_eq!(latest.message(), Some(&chat("hi")));
        assert!(latest.is_open());
        assert_eq!(ws.send_json(&chat("still here")), Ok(Delivery::Sent));
        until(5_000, "the next echo", || {
            renders.latest().message() == Some(&chat("still here"))
        })
        .await;
        let history: Vec<_> = renders.latest().history().cloned().collect();
        assert_eq!(history, [chat("hi"), chat("still here")]);
        app.destroy();
    }

    #[wasm_bindgen_test]
    async fn a_decode_error_closes_when_asked() {
        let id = unique_id("yew-decode");
        let (app, renders) = mount_json(&server(&format!("/record?id={id}")), Some(4000));
        until(1_000, "the first render", || renders.count() > 0).await;
        until(10_000, "open", || renders.latest().is_open()).await;
        assert_eq!(renders.latest().send("not json"), Ok(Delivery::Sent));
        until(5_000, "closed", || renders.latest().close_event().is_some()).await;
        let latest = renders.latest();
        assert!(matches!(latest.error(), Some(Error::Decode { .. })));
        let event = latest.close_event().unwrap();
        assert_eq!(event.code, CloseCode(4000));
        assert_eq!(event.reason, "bad message");
        assert!(matches!(latest.state(), Some(ConnectionState::Closed(_))));
        assert_eq!(recorded_close(&id).await, "4000 bad message");
        app.destroy();
    }

    #[wasm_bindgen_test]
    async fn an_invalid_decode_error_close_stops_the_connection_with_an_error() {
        settled().await;
        let (app, renders) = mount_json(&server("/echo"), Some(1001));
        until(1_000, "the error", || {
            renders.count() > 0 && renders.latest().error().is_some()
        })
        .await;
        let latest = renders.latest();
        let invalid = Error::InvalidCloseCode(CloseCode(1001));
        assert_eq!(latest.error(), Some(&invalid));
        assert_eq!(latest.state(), None, "no connection started");
        assert_eq!(latest.open(), Err(invalid));
        assert_eq!(live_sockets(), 0);
        app.destroy();
        // (Yew tears the component down from its scheduler.)
        sleep(100).await;
        assert_eq!(latest.open(), Err(Error::NotOpen(State::Closed)));
    }
}

#[wasm_bindgen_test]
async fn a_new_url_closes_the_old_connection_and_opens_one_to_the_new_url() {
    settled().await;
    let first = unique_id("yew-url");
    let mut page = mount(&server(&format!("/record?id={first}")), 0, true);
    rendered(&page).await;
    until(10_000, "open", || page.renders.latest().is_open()).await;
    let props = ProbeProps {
        url: server("/echo").into(),
        history: 0,
        reconnect: true,
        connect_on_mount: true,
        renders: page.renders.clone(),
    };
    page.app.as_mut().unwrap().update(props);
    assert_eq!(
        recorded_close(&first).await,
        "1000 ",
        "the old connection was closed"
    );
    until(10_000, "open on the new URL", || {
        page.renders.latest().is_open()
    })
    .await;
    let ws = page.renders.latest();
    assert_eq!(ws.send("on the new url"), Ok(Delivery::Sent));
    until(5_000, "the echo from the new URL", || {
        page.text("last") == "on the new url"
    })
    .await;
    assert_eq!(live_sockets(), 1, "only the new connection is left");
    page.unmount();
    settled().await;
}

#[wasm_bindgen_test]
async fn open_right_after_close_connects_again_at_once() {
    settled().await;
    let page = mount(&fault_server("/echo"), 0, true);
    rendered(&page).await;
    until(10_000, "open", || page.renders.latest().is_open()).await;
    let ws = page.renders.latest();
    let before_close = page.renders.count();
    ws.close().unwrap();
    // The closing handshake has not ended yet: open() must not wait for it, nor ignore it.
    assert_eq!(ws.open(), Ok(()));
    until(5_000, "a render after close()", || {
        page.renders.count() > before_close
    })
    .await;
    // (The new connection may open within one poll: the renders keep every state shown.)
    until(10_000, "open again", || {
        let renders = page.renders.0.borrow();
        renders[before_close..].iter().any(|ws| !ws.is_open())
            && renders.last().is_some_and(UseWebSocket::is_open)
    })
    .await;
    until(5_000, "the old socket to be freed", || live_sockets() == 1).await;
    // The old connection's end does not reach the new snapshot.
    sleep(300).await;
    let latest = page.renders.latest();
    assert!(latest.is_open(), "{:?}", latest.state());
    assert!(latest.close_event().is_none(), "{:?}", latest.close_event());
    assert_agrees(&latest);
    assert_eq!(ws.send("again"), Ok(Delivery::Sent));
    until(5_000, "the echo", || page.text("last") == "again").await;

    // The new connection reconnects: a restart drops it and the hook comes back.
    let before_restart = page.renders.count();
    restart_fault_listener(200).await;
    until(10_000, "a reconnect", || {
        page.renders.0.borrow()[before_restart..]
            .iter()
            .any(|ws| matches!(ws.state(), Some(ConnectionState::Reconnecting { .. })))
    })
    .await;
    until(10_000, "open after the restart", || {
        page.renders.latest().is_open()
    })
    .await;
    // The ending before the reconnect is the latest close event.
    assert_eq!(
        page.renders.latest().close_event().map(|event| event.code),
        Some(CloseCode::ABNORMAL)
    );
    assert_eq!(ws.send("after the restart"), Ok(Delivery::Sent));
    until(5_000, "the echo after the restart", || {
        page.text("last") == "after the restart"
    })
    .await;
    drop(page);
    settled().await;
}

#[wasm_bindgen_test]
async fn without_connect_on_mount_a_new_url_moves_an_open_connection() {
    settled().await;
    let first = unique_id("yew-later-first");
    let mut page = mount_later(&server(&format!("/record?id={first}")));
    rendered(&page).await;
    sleep(100).await;
    assert_eq!(page.renders.latest().state(), None);
    assert_eq!(
        live_sockets(),
        0,
        "connect_on_mount(false) connects on open()"
    );
    page.renders.latest().open().unwrap();
    until(10_000, "open", || page.renders.latest().is_open()).await;

    // A new URL: the open connection moves to it, the old one is closed with 1000.
    let second = unique_id("yew-later-second");
    change_url(&mut page, &server(&format!("/record?id={second}")), false);
    assert_eq!(recorded_close(&first).await, "1000 ");
    sleep(100).await;
    let latest = page.renders.latest();
    assert_agrees(&latest);
    until(10_000, "open on the new URL", || {
        page.renders.latest().is_open()
    })
    .await;
    assert_eq!(latest.send("moved"), Ok(Delivery::Sent));
    until(5_000, "the echo from the new URL", || {
        page.text("last") == "moved"
    })
    .await;
    assert_eq!(live_sockets(), 1, "only the new connection is left");
    page.unmount();
    assert_eq!(recorded_close(&second).await, "1000 ");
    settled().await;
}

#[wasm_bindgen_test]
async fn without_connect_on_mount_a_new_url_moves_a_reconnecting_connection() {
    settled().await;
    // Reconnecting to a port with nothing listening: a live connection.
    let mut page = mount_later(&format!("ws://127.0.0.1:{CLOSED_PORT}/"));
    rendered(&page).await;
    page.renders.latest().open().unwrap();
    until(10_000, "a reconnect", || {
        matches!(
            page.renders.latest().state(),
            Some(ConnectionState::Reconnecting { .. })
        )
    })
    .await;
    let id = unique_id("yew-later-reconnecting");
    change_url(&mut page, &server(&format!("/record?id={id}")), false);
    until(10_000, "open on the new URL", || {
        page.renders.latest().is_open()
    })
    .await;
    assert_agrees(&page.renders.latest());
    assert_eq!(page.renders.latest().send("moved"), Ok(Delivery::Sent));
    until(5_000, "the echo from the new URL", || {
        page.text("last") == "moved"
    })
    .await;
    assert_eq!(live_sockets(), 1, "only the new connection is left");
    page.unmount();
    assert_eq!(recorded_close(&id).await, "1000 ");
    settled().await;
}

#[wasm_bindgen_test]
async fn without_connect_on_mount_a_new_url_after_close_connects_nothing() {
    settled().await;
    let first = unique_id("yew-later-closed");
    let mut page = mount_later(&server(&format!("/record?id={first}")));
    rendered(&page).await;
    page.renders.latest().open().unwrap();
    until(10_000, "open", || page.renders.latest().is_open()).await;

    // close(), then a new URL while the closing handshake is under way.
    page.renders.latest().close().unwrap();
    change_url(&mut page, &server("/echo"), false);
    assert_eq!(recorded_close(&first).await, "1000 ");
    sleep(300).await;
    let latest = page.renders.latest();
    assert_eq!(
        latest.state(),
        None,
        "no connection, and the snapshot says so"
    );
    assert_agrees(&latest);
    assert_eq!(page.text("state"), "none");
    assert_eq!(live_sockets(), 0, "nothing connected by itself");

    // open() connects to the new URL.
    latest.open().unwrap();
    until(10_000, "open on the new URL", || {
        page.renders.latest().is_open()
    })
    .await;
    assert_eq!(latest.send("on echo"), Ok(Delivery::Sent));
    until(5_000, "the echo", || page.text("last") == "on echo").await;

    // Closed for good before the URL changes: the same.
    latest.close().unwrap();
    until(5_000, "closed", || {
        page.renders.latest().close_event().is_some()
    })
    .await;
    let second = unique_id("yew-later-closed-second");
    change_url(&mut page, &server(&format!("/record?id={second}")), false);
    sleep(300).await;
    let latest = page.renders.latest();
    assert_eq!(
        latest.state(),
        None,
        "no connection, and the snapshot says so"
    );
    assert_agrees(&latest);
    assert_eq!(live_sockets(), 0, "nothing connected by itself");
    latest.open().unwrap();
    until(10_000, "open on the second URL", || {
        page.renders.latest().is_open()
    })
    .await;
    assert_agrees(&page.renders.latest());
    page.unmount();
    assert_eq!(recorded_close(&second).await, "1000 ");
    settled().await;
}

/// What an `on_message` callback saw, in order (compared by identity, as props).
type Seen = Renders<Message>;

#[derive(Properties, Clone, PartialEq)]
struct ConsumerProps {
    url: AttrValue,
    /// The key of the shared connection, if any.
    shared: Option<AttrValue>,
    seen: Seen,
    renders: Renders<UseWebSocket>,
}

/// A component that records every message its `on_message` gets; never reconnects.
#[component]
fn Consumer(props: &ConsumerProps) -> Html {
    let seen = props.seen.clone();
    let mut options = UseWebSocketOptions::new()
        .reconnect(ReconnectOptions::new().backoff(Backoff::new().max_retries(Some(0))))
        .on_message(move |message: &Message| seen.0.borrow_mut().push(message.clone()));
    if let Some(key) = &props.shared {
        options = options.shared(key.to_string());
    }
    let ws = use_websocket(&props.url, options);
    props.renders.0.borrow_mut().push(ws.clone());
    html! {}
}

/// A mounted [`Consumer`] (unmounted when dropped): what it saw, how it rendered.
struct Consumed {
    app: Option<yew::AppHandle<Consumer>>,
    seen: Seen,
    renders: Renders<UseWebSocket>,
}

impl Consumed {
    fn unmount(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
    }

    async fn opened(&self) {
        until(10_000, "open", || {
            self.renders.count() > 0 && self.renders.latest().is_open()
        })
        .await;
    }
}

impl Drop for Consumed {
    fn drop(&mut self) {
        self.unmount();
    }
}

fn mount_consumer(url: &str, shared: Option<&str>) -> Consumed {
    let (seen, renders) = (Seen::default(), Renders::default());
    let props = ConsumerProps {
        url: url.to_owned().into(),
        shared: shared.map(|key| key.to_owned().into()),
        seen: seen.clone(),
        renders: renders.clone(),
    };
    let app = yew::Renderer::<Consumer>::with_root_and_props(root(), props).render();
    Consumed {
        app: Some(app),
        seen,
        renders,
    }
}

/// The texts a consumer's `on_message` saw.
fn texts(seen: &Seen) -> Vec<String> {
    seen.0
        .borrow()
        .iter()
        .map(|message| message.as_text().unwrap_or("(binary)").to_owned())
        .collect()
}

#[wasm_bindgen_test]
async fn on_message_sees_every_message_of_a_burst_in_order() {
    settled().await;
    let mut consumer = mount_consumer(&server("/numbered?n=1000&kind=text"), None);
    until(10_000, "1000 messages", || consumer.seen.count() == 1000).await;
    let expected: Vec<String> = (0..1000).map(|n| n.to_string()).collect();
    assert_eq!(texts(&consumer.seen), expected);
    until(5_000, "the close", || {
        consumer.renders.latest().close_event().is_some()
    })
    .await;
    let latest = consumer.renders.latest();
    assert_eq!(latest.received(), 1000);
    assert_eq!(latest.message(), Some(&Message::from("999")));
    assert_eq!(latest.close_event().unwrap().reason, "done");
    assert_eq!(consumer.seen.count(), 1000, "nothing twice");
    consumer.unmount();
    settled().await;
}

#[wasm_bindgen_test]
async fn three_consumers_share_one_connection_the_last_to_go_closes_it() {
    settled().await;
    let id = unique_id("yew-shared");
    let key = unique_id("key");
    let url = server(&format!("/steps?id={id}&do=echo"));
    let mut a = mount_consumer(&url, Some(&key));
    a.opened().await;
    let mut b = mount_consumer(&url, Some(&key));
    // Another URL for the same key: the first consumer's wins.
    let mut c = mount_consumer(&server("/echo"), Some(&key));
    b.opened().await;
    c.opened().await;
    assert_eq!(live_sockets(), 1, "one socket for the three");
    // Sends from the three go through the one connection, in order; each gets every echo.
    let (ws_a, ws_b, ws_c) = (a.renders.latest(), b.renders.latest(), c.renders.latest());
    let sends = [(&ws_a, "a1"), (&ws_b, "b1"), (&ws_c, "c1"), (&ws_a, "a2")];
    for (ws, text) in sends {
        assert_eq!(ws.send(text), Ok(Delivery::Sent));
    }
    for consumer in [&a, &b, &c] {
        until(5_000, "four echoes", || consumer.seen.count() == 4).await;
        assert_eq!(texts(&consumer.seen), ["a1", "b1", "c1", "a2"]);
        until(5_000, "the render", || {
            consumer.renders.latest().received() == 4
        })
        .await;
        assert_eq!(consumer.renders.latest().message(), Some(&"a2".into()));
    }

    // Two go: the connection stays.
    a.unmount();
    c.unmount();
    sleep(300).await;
    let log = steps_log(&id, "").await;
    assert_eq!(
        steps_ends(&log),
        [None],
        "one connection, not closed: {log}"
    );
    let ws_b = b.renders.latest();
    assert!(ws_b.is_open());
    assert_eq!(ws_b.send("b2"), Ok(Delivery::Sent));
    until(5_000, "the echo to the one left", || b.seen.count() == 5).await;
    assert_eq!(a.seen.count(), 4, "an unmounted consumer hears nothing");

    // The last one goes: closed with 1000, the key forgotten.
    b.unmount();
    until(5_000, "the last unmount to close the socket", || {
        live_sockets() == 0
    })
    .await;
    let log = steps_log(&id, "&ended=1").await;
    assert_eq!(steps_ends(&log), [Some("1000 ".to_owned())], "{log}");
    settled().await;

    // A new consumer of the key starts afresh (a second connection).
    let mut d = mount_consumer(&url, Some(&key));
    d.opened().await;
    d.unmount();
    let log = steps_log(&id, "&wait_for=2&ended=1").await;
    assert_eq!(steps_ends(&log).len(), 2, "{log}");
    settled().await;
}

#[wasm_bindgen_test]
async fn a_shared_close_reaches_every_consumer_and_open_reconnects_them_all() {
    settled().await;
    let id = unique_id("yew-shared-close");
    let key = unique_id("key");
    let url = server(&format!("/steps?id={id}&do=echo"));
    let mut a = mount_consumer(&url, Some(&key));
    a.opened().await;
    let mut b = mount_consumer(&url, Some(&key));
    b.opened().await;
    a.renders.latest().close().unwrap();
    for consumer in [&a, &b] {
        until(5_000, "closed", || {
            matches!(
                consumer.renders.latest().state(),
                Some(ConnectionState::Closed(_))
            )
        })
        .await;
    }
    // open() from the other one: both follow the new connection.
    b.renders.latest().open().unwrap();
    for consumer in [&a, &b] {
        until(10_000, "open again", || consumer.renders.latest().is_open()).await;
    }
    assert_eq!(a.renders.latest().send("again"), Ok(Delivery::Sent));
    until(5_000, "the echo in both", || {
        a.seen.count() == 1 && b.seen.count() == 1
    })
    .await;
    let log = steps_log(&id, "&wait_for=2").await;
    assert_eq!(steps_ends(&log), [Some("1000 ".to_owned()), None], "{log}");
    a.unmount();
    b.unmount();
    let log = steps_log(&id, "&wait_for=2&ended=1").await;
    assert_eq!(steps_ends(&log)[1], Some("1000 ".to_owned()), "{log}");
    settled().await;
}

#[derive(Properties, Clone, PartialEq)]
struct ProvidedProps {
    /// The `/steps` URL the provider adds `&token=pN` to.
    base: AttrValue,
    renders: Renders<UseWebSocket>,
}

/// A component whose connection goes where a URL provider says (a new token per attempt).
#[component]
fn Provided(props: &ProvidedProps) -> Html {
    let base = props.base.to_string();
    let calls = use_mut_ref(|| 0u32);
    let options = UseWebSocketOptions::new()
        .reconnect(
            ReconnectOptions::new().backoff(
                Backoff::new()
                    .initial_delay(Duration::from_millis(20))
                    .max_delay(Duration::from_millis(50)),
            ),
        )
        .url_provider(move || {
            *calls.borrow_mut() += 1;
            let url = format!("{base}&token=p{}", calls.borrow());
            async move { Ok::<_, String>(url) }
        });
    let ws = use_websocket("/not-used", options);
    props.renders.0.borrow_mut().push(ws);
    html! {}
}

// Issue 26, point 2: a URL provider is called before every attempt of the hook's connection.
#[wasm_bindgen_test]
async fn a_url_provider_is_called_before_every_attempt() {
    settled().await;
    let id = unique_id("yew-provider");
    let renders = Renders::default();
    let props = ProvidedProps {
        base: server(&format!("/steps?id={id}&do=close:4001,echo")).into(),
        renders: renders.clone(),
    };
    let app = yew::Renderer::<Provided>::with_root_and_props(root(), props).render();
    let log = steps_log(&id, "&wait_for=2").await;
    let first = log.find("token=p1").expect("the first attempt's token");
    let second = log.find("token=p2").expect("the second attempt's token");
    assert!(first < second, "{log}");
    assert!(!log.contains("not-used"), "{log}");
    until(10_000, "open", || renders.latest().is_open()).await;
    app.destroy();
    assert_eq!(
        steps_ends(&steps_log(&id, "&wait_for=2&ended=1").await),
        [Some("4001 step 0".to_owned()), Some("1000 ".to_owned())]
    );
    settled().await;
}
