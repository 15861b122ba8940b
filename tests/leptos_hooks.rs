//! The Leptos hooks (feature `leptos`, and `serde` for the typed one), in the browser against
//! the test server: a mounted component connects, receives and sends through its signals;
//! sends before open are queued; unmounting closes with 1000 and leaves nothing that could
//! reconnect (also when unmounted while waiting to retry); `close()` then `open()` connects
//! again (at once, even while the old connection is closing) and still reconnects after a
//! server restart; with `connect_on_mount(false)`, a new URL moves an open connection and
//! connects nothing after `close()` (closing or closed), the state then being `None`, the
//! signals and `send()` agreeing throughout; `open()` returns the error that stopped a
//! connection (a bad URL, an invalid decode-error close) and does nothing while one is live;
//! a bad URL is an error signal, not a panic; typed messages decode (counted in `received`),
//! and a decode failure is an error that keeps the connection unless the options say to
//! close (with the code and reason given); `on_message` sees every message of a burst of
//! 1,000, in order (decoded, for the JSON hook); three consumers of one `shared` key make one
//! connection (the server's `/steps` log), each gets every message, their sends arrive in
//! order, unmounting two leaves it open and the last closes it with 1000; a shared `close()`
//! reaches every consumer and `open()` reconnects all.
//! Run in headless Chromium by scripts/test.
#![cfg(all(target_arch = "wasm32", feature = "leptos"))]
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use browser_ws::leptos::{use_websocket, UseWebSocket, UseWebSocketOptions};
use browser_ws::{live_sockets, Backoff, ConnectionState, Delivery, Error, Message};
use browser_ws::{ReconnectOptions, State};
use common::{
    connect, fault_server, next_message, recorded_close, server, sleep, steps_ends, steps_log,
    unique_id, within,
};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn fast() -> ReconnectOptions {
    ReconnectOptions::new().backoff(
        Backoff::new()
            .initial_delay(Duration::from_millis(50))
            .max_delay(Duration::from_millis(200)),
    )
}

/// Polls `condition` until it holds, failing the test after `ms`.
async fn until(ms: i32, what: &str, condition: impl Fn() -> bool) {
    within(ms, what, async {
        while !condition() {
            sleep(10).await;
        }
    })
    .await;
}

/// Whether the state signal says `Open` (read untracked, as a test does).
fn is_open<In: Clone + Send + Sync, Out>(ws: &UseWebSocket<In, Out>) -> bool {
    ws.state
        .get_untracked()
        .is_some_and(|state| state.is_open())
}

/// Whether the state signal says `Closed`.
fn is_closed<In: Clone + Send + Sync, Out>(ws: &UseWebSocket<In, Out>) -> bool {
    ws.state
        .get_untracked()
        .is_some_and(|state| state.is_closed())
}

/// A fresh element in the page to mount into.
fn container() -> web_sys::HtmlElement {
    let document = leptos::prelude::document();
    let element = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&element).unwrap();
    element.unchecked_into()
}

/// Mounts a component that calls `use_websocket` and shows its state and history; hands the
/// hook out.
fn mount(
    url: String,
    options: UseWebSocketOptions,
) -> (
    leptos::mount::UnmountHandle<impl leptos::tachys::view::Mountable>,
    UseWebSocket,
    web_sys::HtmlElement,
) {
    let parent = container();
    let slot = StoredValue::new_local(None::<UseWebSocket>);
    let handle = leptos::mount::mount_to(parent.clone(), move || {
        let ws = use_websocket(url, options);
        slot.set_value(Some(ws));
        view! {
            <p class="state">{move || format!("{:?}", ws.state.get())}</p>
            <ul>{move || ws.history.get().into_iter()
                .map(|m| view! { <li>{m.as_text().unwrap_or("binary").to_owned()}</li> })
                .collect_view()}</ul>
        }
    });
    let ws = slot.get_value().expect("the component ran");
    (handle, ws, parent)
}

/// Mounts a component that only calls `hook`; dropping the handle unmounts it.
fn mount_hook<T: Copy + 'static>(
    hook: impl FnOnce() -> T + 'static,
) -> (
    leptos::mount::UnmountHandle<impl leptos::tachys::view::Mountable>,
    T,
) {
    let slot = StoredValue::new_local(None::<T>);
    let handle = leptos::mount::mount_to(container(), move || {
        slot.set_value(Some(hook()));
    });
    let value = slot.get_value().expect("the component ran");
    (handle, value)
}

/// Asserts that the signals tell the truth about the connection: `ready_state`, its
/// `is_open()` and what `send()` does agree (sent when open, queued while connecting or
/// reconnecting, refused while closing and once closed). Sends a text "probe".
fn assert_agrees(ws: &UseWebSocket) {
    let state = ws.state.get_untracked();
    let sent = ws.send("probe");
    let agrees = match &state {
        Some(ConnectionState::Open) => sent == Ok(Delivery::Sent),
        Some(ConnectionState::Connecting { .. } | ConnectionState::Reconnecting { .. }) => {
            sent == Ok(Delivery::Queued)
        }
        _ => matches!(sent, Err(Error::NotOpen(_))),
    };
    assert_eq!(ws.is_open(), state == Some(ConnectionState::Open));
    assert!(agrees, "state is {state:?} but send() gave {sent:?}");
}

async fn restart_fault_listener(down_ms: u32) {
    let mut control = connect(&format!("/restart?down_ms={down_ms}")).await;
    assert_eq!(next_message(&mut control).await, Message::from("down"));
    assert_eq!(next_message(&mut control).await, Message::from("up"));
}

#[wasm_bindgen_test]
async fn a_mounted_component_connects_receives_and_sends() {
    let (unmount, ws, parent) = mount(server("/echo"), UseWebSocketOptions::new().history(3));
    // Sent before open: queued, and sent first when the connection opens.
    assert_eq!(ws.send("early"), Ok(Delivery::Queued));
    until(10_000, "open", || is_open(&ws)).await;
    until(5_000, "the page to show Open", || {
        parent.text_content().unwrap_or_default().contains("Open")
    })
    .await;
    until(5_000, "the echo of the queued message", || {
        ws.message.get_untracked() == Some(Message::from("early"))
    })
    .await;
    for text in ["a", "b", "c"] {
        assert_eq!(ws.send(text), Ok(Delivery::Sent));
    }
    until(5_000, "three echoes", || {
        ws.message.get_untracked() == Some(Message::from("c"))
    })
    .await;
    // The history is bounded: the oldest ("early") went.
    let history: Vec<Message> = ws.history.get_untracked().into_iter().collect();
    assert_eq!(history, vec!["a".into(), "b".into(), "c".into()]);
    until(5_000, "the page to list the history", || {
        parent.text_content().unwrap_or_default().ends_with("abc")
    })
    .await;
    assert_eq!(ws.error.get_untracked(), None);
    assert_eq!(ws.close_event.get_untracked(), None);
    drop(unmount);
}

#[wasm_bindgen_test]
async fn unmounting_closes_with_1000_and_nothing_is_left_to_reconnect() {
    let before = live_sockets();
    let id = unique_id("leptos-unmount");
    let (unmount, ws, _parent) = mount(
        fault_server(&format!("/record?id={id}")),
        UseWebSocketOptions::new().reconnect(fast()),
    );
    until(10_000, "open", || is_open(&ws)).await;
    assert_eq!(live_sockets(), before + 1);
    let weak = ws.handle().expect("a connection").downgrade();
    drop(unmount);
    // The connection itself is gone (no timer, no handler can run), and so is its socket.
    assert!(
        weak.upgrade().is_none(),
        "the connection outlived the component"
    );
    assert_eq!(live_sockets(), before);
    assert_eq!(recorded_close(&id).await, "1000 ");
    // A server restart would make a live connection reconnect: nothing does.
    restart_fault_listener(200).await;
    for _ in 0..50 {
        assert_eq!(live_sockets(), before, "a socket appeared after unmount");
        sleep(10).await;
    }
    assert_eq!(ws.send("late"), Err(Error::NotOpen(State::Closed)));
}

#[wasm_bindgen_test]
async fn unmounting_while_waiting_to_retry_cancels_the_retry() {
    let before = live_sockets();
    // The server closes at once with 1012 (restart): the hook reconnects, again and again.
    let (unmount, ws, _parent) = mount(
        server("/close?code=1012&reason=restart"),
        UseWebSocketOptions::new().reconnect(
            ReconnectOptions::new().backoff(
                Backoff::new()
                    .initial_delay(Duration::from_millis(300))
                    .max_delay(Duration::from_millis(300)),
            ),
        ),
    );
    until(10_000, "reconnecting", || {
        matches!(
            ws.state.get_untracked(),
            Some(ConnectionState::Reconnecting { .. })
        )
    })
    .await;
    assert_eq!(
        ws.close_event.get_untracked().map(|event| event.code.0),
        Some(1012)
    );
    let weak = ws.handle().expect("a connection").downgrade();
    drop(unmount);
    assert!(
        weak.upgrade().is_none(),
        "the pending retry outlived the component"
    );
    for _ in 0..80 {
        assert_eq!(live_sockets(), before, "a retry ran after unmount");
        sleep(10).await;
    }
}

#[wasm_bindgen_test]
async fn close_then_open_connects_again_and_still_reconnects() {
    let (unmount, ws) = mount_hook(move || {
        use_websocket(
            fault_server("/echo"),
            UseWebSocketOptions::new().reconnect(fast()),
        )
    });
    until(10_000, "open", || is_open(&ws)).await;
    ws.close().unwrap();
    until(5_000, "closed", || is_closed(&ws)).await;
    assert_eq!(
        ws.close_event.get_untracked().map(|event| event.code.0),
        Some(1000)
    );
    assert_eq!(ws.send("while closed"), Err(Error::NotOpen(State::Closed)));
    ws.open().unwrap();
    until(10_000, "open again", || is_open(&ws)).await;
    // open() while a connection is live does nothing.
    let sockets = live_sockets();
    let weak = ws.handle().expect("a connection").downgrade();
    assert_eq!(ws.open(), Ok(()));
    assert!(
        weak.upgrade().is_some(),
        "open() replaced a live connection"
    );
    assert_eq!(live_sockets(), sockets);
    // Reconnect is still on: a restart drops the connection and the hook comes back.
    restart_fault_listener(200).await;
    until(10_000, "open after the restart", || {
        is_open(&ws) && ws.close_event.get_untracked().map(|event| event.code.0) == Some(1006)
    })
    .await;
    assert_eq!(ws.send("still here"), Ok(Delivery::Sent));
    until(5_000, "the echo", || {
        ws.message.get_untracked() == Some(Message::from("still here"))
    })
    .await;
    drop(unmount);
}

#[wasm_bindgen_test]
async fn a_bad_url_is_an_error_signal_not_a_panic() {
    let before = live_sockets();
    let (unmount, ws) =
        mount_hook(|| use_websocket("ftp://example.com/", UseWebSocketOptions::new()));
    until(5_000, "the error", || ws.error.get_untracked().is_some()).await;
    assert!(
        matches!(ws.error.get_untracked(), Some(Error::InvalidUrl { .. })),
        "{:?}",
        ws.error.get_untracked()
    );
    assert_eq!(ws.state.get_untracked(), None, "no connection");
    assert_eq!(ws.send("x"), Err(Error::NotOpen(State::Closed)));
    // open() returns the refusal too (and shows it again).
    assert!(matches!(ws.open(), Err(Error::InvalidUrl { .. })));
    assert!(matches!(
        ws.error.get_untracked(),
        Some(Error::InvalidUrl { .. })
    ));
    assert_eq!(live_sockets(), before);
    drop(unmount);
}

#[wasm_bindgen_test]
async fn without_connect_on_mount_waits_for_open() {
    let before = live_sockets();
    let (unmount, ws) = mount_hook(move || {
        use_websocket(
            server("/echo"),
            UseWebSocketOptions::new().connect_on_mount(false),
        )
    });
    sleep(100).await;
    assert_eq!(live_sockets(), before);
    assert_eq!(ws.state.get_untracked(), None, "no connection yet");
    ws.open().unwrap();
    until(10_000, "open", || is_open(&ws)).await;
    drop(unmount);
    assert_eq!(live_sockets(), before);
}

#[wasm_bindgen_test]
async fn open_right_after_close_connects_again_at_once() {
    let before = live_sockets();
    let (unmount, ws) = mount_hook(move || {
        use_websocket(
            fault_server("/echo"),
            UseWebSocketOptions::new().reconnect(fast()),
        )
    });
    until(10_000, "open", || is_open(&ws)).await;
    ws.close().unwrap();
    assert_eq!(ws.state.get_untracked(), Some(ConnectionState::Closing));
    // The closing handshake has not ended yet: open() must not wait for it, nor ignore it.
    ws.open().unwrap();
    assert!(
        matches!(
            ws.state.get_untracked(),
            Some(ConnectionState::Connecting { .. })
        ),
        "{:?}",
        ws.state.get_untracked()
    );
    until(10_000, "open again", || is_open(&ws)).await;
    until(5_000, "the old socket to be freed", || {
        live_sockets() == before + 1
    })
    .await;
    // The old connection's end does not reach the signals.
    sleep(300).await;
    assert!(is_open(&ws));
    assert_eq!(ws.close_event.get_untracked(), None);
    assert_agrees(&ws);
    // The new connection reconnects: a restart drops it and the hook comes back.
    restart_fault_listener(200).await;
    until(10_000, "open after the restart", || {
        is_open(&ws) && ws.close_event.get_untracked().map(|event| event.code.0) == Some(1006)
    })
    .await;
    assert_eq!(ws.send("still here"), Ok(Delivery::Sent));
    until(5_000, "the echo", || {
        ws.message.get_untracked() == Some(Message::from("still here"))
    })
    .await;
    drop(unmount);
}

#[wasm_bindgen_test]
async fn without_connect_on_mount_then_open_a_new_url_moves_the_connection() {
    let before = live_sockets();
    let first = unique_id("leptos-later-first");
    let url = RwSignal::new(server(&format!("/record?id={first}")));
    let (unmount, ws) = mount_hook(move || {
        use_websocket(
            url,
            UseWebSocketOptions::new()
                .connect_on_mount(false)
                .reconnect(fast()),
        )
    });
    sleep(100).await;
    assert_eq!(live_sockets(), before);
    assert_agrees(&ws);
    ws.open().unwrap();
    until(10_000, "open", || is_open(&ws)).await;

    // A new URL: the open connection moves to it, the old one is closed with 1000.
    let second = unique_id("leptos-later-second");
    url.set(server(&format!("/record?id={second}")));
    assert_eq!(recorded_close(&first).await, "1000 ");
    assert_agrees(&ws);
    until(10_000, "open on the new URL", || is_open(&ws)).await;
    assert_agrees(&ws);
    assert_eq!(ws.send("moved"), Ok(Delivery::Sent));
    until(5_000, "the echo from the new URL", || {
        ws.message.get_untracked() == Some(Message::from("moved"))
    })
    .await;
    assert_eq!(
        live_sockets(),
        before + 1,
        "only the new connection is left"
    );
    drop(unmount);
    assert_eq!(recorded_close(&second).await, "1000 ");
}

#[wasm_bindgen_test]
async fn without_connect_on_mount_open_close_then_a_new_url_connects_nothing() {
    let before = live_sockets();
    let first = unique_id("leptos-later-closed");
    let url = RwSignal::new(server(&format!("/record?id={first}")));
    let (unmount, ws) = mount_hook(move || {
        use_websocket(
            url,
            UseWebSocketOptions::new()
                .connect_on_mount(false)
                .reconnect(fast()),
        )
    });
    ws.open().unwrap();
    until(10_000, "open", || is_open(&ws)).await;
    // close(), then a new URL while the closing handshake is under way.
    ws.close().unwrap();
    url.set(server("/echo"));
    assert_eq!(recorded_close(&first).await, "1000 ");
    sleep(300).await;
    assert_eq!(
        ws.state.get_untracked(),
        None,
        "no connection, and the signal says so"
    );
    assert_agrees(&ws);
    assert_eq!(live_sockets(), before, "nothing connected by itself");
    // open() connects to the new URL.
    ws.open().unwrap();
    until(10_000, "open on the new URL", || is_open(&ws)).await;
    assert_eq!(ws.send("on echo"), Ok(Delivery::Sent));
    until(5_000, "the echo", || {
        ws.message.get_untracked() == Some(Message::from("on echo"))
    })
    .await;
    // Closed for good before the URL changes: the same.
    ws.close().unwrap();
    until(5_000, "closed", || is_closed(&ws)).await;
    let second = unique_id("leptos-later-closed-second");
    url.set(server(&format!("/record?id={second}")));
    sleep(300).await;
    assert_eq!(ws.state.get_untracked(), None);
    assert_agrees(&ws);
    assert_eq!(live_sockets(), before, "nothing connected by itself");
    ws.open().unwrap();
    until(10_000, "open on the second URL", || is_open(&ws)).await;
    assert_agrees(&ws);
    drop(unmount);
    assert_eq!(recorded_close(&second).await, "1000 ");
}

/// What an `on_message` callback saw, in order.
type Seen<T> = Rc<RefCell<Vec<T>>>;

/// Options that never reconnect and record every message in `seen`.
fn recording(seen: &Seen<Message>) -> UseWebSocketOptions {
    let seen = Rc::clone(seen);
    UseWebSocketOptions::new()
        .reconnect(ReconnectOptions::new().backoff(Backoff::new().max_retries(Some(0))))
        .on_message(move |message: &Message| seen.borrow_mut().push(message.clone()))
}

/// The texts of the messages seen.
fn texts(seen: &Seen<Message>) -> Vec<String> {
    seen.borrow()
        .iter()
        .map(|message| message.as_text().unwrap_or("(binary)").to_owned())
        .collect()
}

#[wasm_bindgen_test]
async fn on_message_sees_every_message_of_a_burst_in_order() {
    let before = live_sockets();
    let seen = Seen::default();
    let options = recording(&seen);
    let (unmount, ws) =
        mount_hook(move || use_websocket(server("/numbered?n=1000&kind=text"), options));
    until(10_000, "1000 messages", || seen.borrow().len() == 1000).await;
    let expected: Vec<String> = (0..1000).map(|n| n.to_string()).collect();
    assert_eq!(texts(&seen), expected);
    until(5_000, "closed", || is_closed(&ws)).await;
    assert_eq!(ws.received.get_untracked(), 1000);
    assert_eq!(ws.message.get_untracked(), Some(Message::from("999")));
    assert_eq!(seen.borrow().len(), 1000, "nothing twice");
    drop(unmount);
    until(5_000, "no socket left", || live_sockets() == before).await;
}

/// Mounts a consumer of the shared connection `key` (recording into `seen`).
fn mount_shared(
    url: String,
    key: &str,
    seen: &Seen<Message>,
) -> (
    leptos::mount::UnmountHandle<impl leptos::tachys::view::Mountable>,
    UseWebSocket,
) {
    let options = recording(seen).shared(key);
    mount_hook(move || use_websocket(url, options))
}

#[wasm_bindgen_test]
async fn three_consumers_share_one_connection_the_last_to_go_closes_it() {
    let before = live_sockets();
    let id = unique_id("leptos-shared");
    let key = unique_id("key");
    let url = server(&format!("/steps?id={id}&do=echo"));
    let seen: [Seen<Message>; 3] = Default::default();
    let (unmount_a, a) = mount_shared(url.clone(), &key, &seen[0]);
    until(10_000, "open", || is_open(&a)).await;
    let (unmount_b, b) = mount_shared(url.clone(), &key, &seen[1]);
    // Another URL for the same key: the first consumer's wins.
    let (unmount_c, c) = mount_shared(server("/echo"), &key, &seen[2]);
    until(10_000, "all open", || is_open(&b) && is_open(&c)).await;
    assert_eq!(live_sockets(), before + 1, "one socket for the three");
    // Sends from the three go through the one connection, in order; each gets every echo.
    for (ws, text) in [(a, "a1"), (b, "b1"), (c, "c1"), (a, "a2")] {
        assert_eq!(ws.send(text), Ok(Delivery::Sent));
    }
    for (ws, seen) in [a, b, c].iter().zip(&seen) {
        until(5_000, "four echoes", || seen.borrow().len() == 4).await;
        assert_eq!(texts(seen), ["a1", "b1", "c1", "a2"]);
        until(5_000, "the signals", || ws.received.get_untracked() == 4).await;
        assert_eq!(ws.message.get_untracked(), Some(Message::from("a2")));
    }

    // Two go: the connection stays.
    drop(unmount_a);
    drop(unmount_c);
    sleep(300).await;
    let log = steps_log(&id, "").await;
    assert_eq!(
        steps_ends(&log),
        [None],
        "one connection, not closed: {log}"
    );
    assert!(is_open(&b));
    assert_eq!(b.send("b2"), Ok(Delivery::Sent));
    until(5_000, "the echo to the one left", || {
        seen[1].borrow().len() == 5
    })
    .await;
    assert_eq!(
        seen[0].borrow().len(),
        4,
        "an unmounted consumer hears nothing"
    );
    assert_eq!(a.send("late"), Err(Error::NotOpen(State::Closed)));

    // The last one goes: closed with 1000 at once, the key forgotten.
    drop(unmount_b);
    assert_eq!(live_sockets(), before);
    let log = steps_log(&id, "&ended=1").await;
    assert_eq!(steps_ends(&log), [Some("1000 ".to_owned())], "{log}");

    // A new consumer of the key starts afresh (a second connection).
    let (unmount_d, d) = mount_shared(url, &key, &Seen::default());
    until(10_000, "open again", || is_open(&d)).await;
    drop(unmount_d);
    let log = steps_log(&id, "&wait_for=2&ended=1").await;
    assert_eq!(steps_ends(&log).len(), 2, "{log}");
}

#[wasm_bindgen_test]
async fn a_shared_close_reaches_every_consumer_and_open_reconnects_them_all() {
    let id = unique_id("leptos-shared-close");
    let key = unique_id("key");
    let url = server(&format!("/steps?id={id}&do=echo"));
    let seen: [Seen<Message>; 2] = Default::default();
    let (unmount_a, a) = mount_shared(url.clone(), &key, &seen[0]);
    until(10_000, "open", || is_open(&a)).await;
    let (unmount_b, b) = mount_shared(url, &key, &seen[1]);
    until(10_000, "open", || is_open(&b)).await;
    a.close().unwrap();
    until(5_000, "closed in both", || is_closed(&a) && is_closed(&b)).await;
    // open() from the other one: both follow the new connection.
    b.open().unwrap();
    until(10_000, "open again in both", || is_open(&a) && is_open(&b)).await;
    assert_eq!(a.send("again"), Ok(Delivery::Sent));
    until(5_000, "the echo in both", || {
        seen[0].borrow().len() == 1 && seen[1].borrow().len() == 1
    })
    .await;
    let log = steps_log(&id, "&wait_for=2").await;
    assert_eq!(steps_ends(&log), [Some("1000 ".to_owned()), None], "{log}");
    drop(unmount_a);
    drop(unmount_b);
    let log = steps_log(&id, "&wait_for=2&ended=1").await;
    assert_eq!(steps_ends(&log)[1], Some("1000 ".to_owned()), "{log}");
}

#[cfg(feature = "serde")]
mod typed {
    use super::*;
    use browser_ws::leptos::use_websocket_json;
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
    struct Chat {
        name: String,
        text: String,
    }

    fn chat(text: &str) -> Chat {
        Chat {
            name: "ana".into(),
            text: text.into(),
        }
    }

    #[wasm_bindgen_test]
    async fn typed_messages_decode_and_a_bad_one_keeps_the_connection() {
        let (unmount, ws) = mount_hook(move || {
            use_websocket_json::<Chat, Chat>(
                server("/echo"),
                UseWebSocketOptions::new().history(10),
            )
        });
        until(10_000, "open", || is_open(&ws)).await;
        ws.send_json(&chat("one")).unwrap();
        until(5_000, "one", || {
            ws.message.get_untracked() == Some(chat("one"))
        })
        .await;
        // Not a Chat: an error, skipped; the connection stays open.
        ws.send("not json").unwrap();
        until(5_000, "the decode error", || {
            ws.error.get_untracked().is_some()
        })
        .await;
        assert!(matches!(
            ws.error.get_untracked(),
            Some(Error::Decode { ref excerpt, .. }) if excerpt == "not json"
        ));
        ws.send_json(&chat("two")).unwrap();
        until(5_000, "two", || {
            ws.message.get_untracked() == Some(chat("two"))
        })
        .await;
        assert!(is_open(&ws));
        let history: Vec<Chat> = ws.history.get_untracked().into_iter().collect();
        assert_eq!(history, vec![chat("one"), chat("two")]);
        assert_eq!(ws.received.get_untracked(), 3, "the undecodable one counts");
        drop(unmount);
    }

    #[wasm_bindgen_test]
    async fn on_message_gets_every_decoded_value_of_a_burst_in_order() {
        let seen = Seen::<u32>::default();
        let record = Rc::clone(&seen);
        let options = UseWebSocketOptions::new()
            .reconnect(ReconnectOptions::new().backoff(Backoff::new().max_retries(Some(0))))
            .on_message(move |number: &u32| record.borrow_mut().push(*number));
        let (unmount, ws) = mount_hook(move || {
            use_websocket_json::<u32, u32>(server("/numbered?n=1000&kind=text"), options)
        });
        until(10_000, "1000 values", || seen.borrow().len() == 1000).await;
        let expected: Vec<u32> = (0..1000).collect();
        assert_eq!(*seen.borrow(), expected);
        until(5_000, "closed", || is_closed(&ws)).await;
        assert_eq!(ws.message.get_untracked(), Some(999));
        drop(unmount);
    }

    #[wasm_bindgen_test]
    async fn close_on_decode_error_closes_when_asked() {
        let id = unique_id("leptos-decode");
        let url = server(&format!("/record?id={id}"));
        let (unmount, ws) = mount_hook(move || {
            use_websocket_json::<Chat, Chat>(
                url,
                UseWebSocketOptions::new().close_on_decode_error(4000u16, "bad message"),
            )
        });
        until(10_000, "open", || is_open(&ws)).await;
        ws.send("not json").unwrap();
        until(5_000, "closed", || is_closed(&ws)).await;
        assert!(matches!(
            ws.error.get_untracked(),
            Some(Error::Decode { .. })
        ));
        assert_eq!(recorded_close(&id).await, "4000 bad message");
        drop(unmount);
    }

    #[wasm_bindgen_test]
    async fn an_invalid_decode_error_close_stops_the_connection_with_an_error() {
        let before = live_sockets();
        let (unmount, ws) = mount_hook(move || {
            use_websocket_json::<Chat, Chat>(
                server("/echo"),
                UseWebSocketOptions::new().close_on_decode_error(1001u16, "going away"),
            )
        });
        until(5_000, "the error", || ws.error.get_untracked().is_some()).await;
        let invalid = Err(Error::InvalidCloseCode(browser_ws::CloseCode(1001)));
        assert_eq!(ws.error.get_untracked(), invalid.clone().err());
        assert_eq!(ws.state.get_untracked(), None, "no connection started");
        assert_eq!(ws.open(), invalid);
        assert_eq!(live_sockets(), before);
        drop(unmount);
        // After the owner is gone, open() says so.
        assert_eq!(ws.open(), Err(Error::NotOpen(State::Closed)));
    }
}

// Issue 26, point 2: a URL provider is called before every attempt of the hook's connection.
#[wasm_bindgen_test]
async fn a_url_provider_is_called_before_every_attempt() {
    let id = unique_id("leptos-provider");
    let base = server(&format!("/steps?id={id}&do=close:4001,echo"));
    let calls = Rc::new(RefCell::new(0u32));
    let counted = calls.clone();
    let options = UseWebSocketOptions::new()
        .reconnect(fast())
        .url_provider(move || {
            *counted.borrow_mut() += 1;
            let url = format!("{base}&token=p{}", counted.borrow());
            async move { Ok::<_, String>(url) }
        });
    let (unmount, ws, _parent) = mount("/not-used".to_owned(), options);
    until(10_000, "the second connection open", || {
        *calls.borrow() == 2 && is_open(&ws)
    })
    .await;
    let log = steps_log(&id, "&wait_for=2").await;
    let first = log.find("token=p1").expect("the first attempt's token");
    let second = log.find("token=p2").expect("the second attempt's token");
    assert!(first < second, "{log}");
    assert!(!log.contains("not-used"), "{log}");
    drop(unmount);
    assert_eq!(
        steps_ends(&steps_log(&id, "&wait_for=2&ended=1").await),
        [Some("4001 step 0".to_owned()), Some("1000 ".to_owned())]
    );
}
