//! Proves, against the real server: a `ReconnectingWebSocket` reports every state
//! transition; reconnects after an unclean or restart-style close but not after a policy
//! close (1008) or the application's own close; gives up after `max_retries` with
//! `ConnectFailed`; aborts a handshake slower than the connect timeout; queues sends made
//! while connecting and sends them in order before later messages; refuses sends beyond the
//! queue's bounds with the message handed back; swallows heartbeat replies and reconnects when
//! they stop; `close()` cancels a pending retry and a reconnect storm; dropping it closes the
//! socket with 1000 and frees everything.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use crate::common::{recorded_close, server, sleep, unique_id, within, CLOSED_PORT};
use crate::support::{fast, record, wait_for};
use browser_ws::{
    live_sockets, Backoff, CloseCode, ConnectionState, Delivery, Disconnect, Error, Heartbeat,
    Message, QueueLimits, ReconnectOptions, ReconnectingHandle, ReconnectingWebSocket,
};
use futures::StreamExt;
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
async fn reconnects_after_a_restart_style_close_and_reports_each_step() {
    // With no minimum uptime, every connection that opened counts as a success.
    let live = ReconnectingWebSocket::open(
        &server("/close?code=1012&reason=restart"),
        fast().min_uptime(Duration::ZERO),
    )
    .unwrap();
    let (states, _guard) = record(&live);
    // Two full cycles: open, closed by the server, retry.
    for _ in 0..2 {
        wait_for(&live, 10_000, "open", ConnectionState::is_open).await;
        wait_for(&live, 10_000, "reconnecting", |s| {
            matches!(s, ConnectionState::Reconnecting { .. })
        })
        .await;
    }
    live.close().unwrap();
    let ended = within(10_000, "closed", live.closed()).await;
    assert!(live.state().is_closed());
    let states = states.borrow().clone();
    assert_eq!(states[0], ConnectionState::Connecting { attempt: 0 });
    assert_eq!(states[1], ConnectionState::Open);
    match &states[2] {
        ConnectionState::Reconnecting {
            attempt: 1,
            delay,
            cause: Disconnect::Closed(event),
        } => {
            assert!(
                *delay <= Duration::from_millis(20),
                "full jitter under the ceiling"
            );
            assert_eq!(event.code, CloseCode::SERVICE_RESTART);
            assert_eq!(event.reason, "restart");
            assert!(event.was_clean);
        }
        other => panic!("expected Reconnecting after 1012, got {other:?}"),
    }
    assert_eq!(states[3], ConnectionState::Connecting { attempt: 1 });
    assert_eq!(
        states[4],
        ConnectionState::Open,
        "a successful open resets the count"
    );
    assert!(matches!(
        states[5],
        ConnectionState::Reconnecting { attempt: 1, .. }
    ));
    assert_eq!(states.last(), Some(&ConnectionState::Closed(ended)));
}

#[wasm_bindgen_test]
async fn a_policy_close_is_final_by_default() {
    let mut live =
        ReconnectingWebSocket::open(&server("/close?code=1008&reason=go%20away"), fast()).unwrap();
    let ended = within(10_000, "closed", live.closed()).await;
    assert_eq!(ended.code, CloseCode::POLICY_VIOLATION);
    assert_eq!(ended.reason, "go away");
    assert!(ended.was_clean);
    assert_eq!(live.state(), ConnectionState::Closed(ended));
    assert!(
        live.next().await.is_none(),
        "a clean final close ends the stream quietly"
    );
    assert!(matches!(live.send("late"), Err(Error::NotOpen(_))));
}

#[wasm_bindgen_test]
async fn the_predicate_can_decline_or_allow_any_close() {
    let allowed = Rc::new(RefCell::new(Vec::new()));
    let seen = allowed.clone();
    let live = ReconnectingWebSocket::open(
        &server("/close?code=1008&reason=x"),
        fast().should_reconnect(move |context| {
            seen.borrow_mut()
                .push(context.close_event().map(|close| close.code));
            seen.borrow().len() < 3
        }),
    )
    .unwrap();
    let ended = within(10_000, "closed", live.closed()).await;
    assert_eq!(ended.code, CloseCode::POLICY_VIOLATION);
    assert_eq!(
        *allowed.borrow(),
        vec![Some(CloseCode::POLICY_VIOLATION); 3]
    );
}

#[wasm_bindgen_test]
async fn gives_up_after_max_retries_with_connect_failed() {
    let before = live_sockets();
    let url = format!("ws://127.0.0.1:{CLOSED_PORT}/");
    let mut live = ReconnectingWebSocket::open(
        &url,
        ReconnectOptions::new().backoff(
            Backoff::new()
                .initial_delay(Duration::from_millis(10))
                .max_retries(Some(2)),
        ),
    )
    .unwrap();
    let (states, _guard) = record(&live);
    match within(15_000, "stream error", live.next()).await {
        Some(Err(Error::ConnectFailed(event))) => assert_eq!(event.code, CloseCode::ABNORMAL),
        other => panic!("expected ConnectFailed, got {other:?}"),
    }
    assert!(live.next().await.is_none());
    let attempts: Vec<u32> = states
        .borrow()
        .iter()
        .filter_map(|s| match s {
            ConnectionState::Connecting { attempt } => Some(*attempt),
            _ => None,
        })
        .collect();
    assert_eq!(attempts, [0, 1, 2], "the first attempt and two retries");
    assert!(live.state().is_closed());
    assert_eq!(live_sockets(), before, "every failed socket was freed");
}

#[wasm_bindgen_test]
async fn a_handshake_slower_than_the_connect_timeout_is_aborted_and_retried() {
    let live = ReconnectingWebSocket::open(
        &server("/slow?ms=3000"),
        fast().connect_timeout(Some(Duration::from_millis(150))),
    )
    .unwrap();
    let state = wait_for(&live, 10_000, "a connect timeout", |s| {
        matches!(s, ConnectionState::Reconnecting { .. })
    })
    .await;
    assert!(
        matches!(
            state,
            ConnectionState::Reconnecting {
                attempt: 1,
                cause: Disconnect::ConnectTimeout,
                ..
            }
        ),
        "{state:?}"
    );
    live.close().unwrap();
    within(5_000, "closed", live.closed()).await;
}

#[wasm_bindgen_test]
async fn messages_sent_while_connecting_go_first_and_in_order() {
    let mut live = ReconnectingWebSocket::open(&server("/echo"), fast()).unwrap();
    for i in 0..5 {
        assert_eq!(live.send(format!("queued {i}")).unwrap(), Delivery::Queued);
    }
    live.send(vec![1u8, 2, 3]).unwrap();
    assert_eq!(live.queued_messages(), 6);
    assert_eq!(live.queued_bytes(), 5 * 8 + 3);
    assert_eq!(live.queued()[0], Message::from("queued 0"));
    // The first state observer to see `Open` sends at once: it must come after the queue.
    let handle = live.handle();
    let _guard = live.on_state(move |state| {
        if state.is_open() {
            assert_eq!(handle.send("after open").unwrap(), Delivery::Sent);
        }
    });
    let mut received = Vec::new();
    for _ in 0..7 {
        received.push(within(10_000, "echo", live.next()).await.unwrap().unwrap());
    }
    let expected: Vec<Message> = (0..5)
        .map(|i| Message::from(format!("queued {i}")))
        .chain([Message::from(vec![1u8, 2, 3]), Message::from("after open")])
        .collect();
    assert_eq!(received, expected);
    assert_eq!(live.queued_messages(), 0);
}

#[wasm_bindgen_test]
async fn a_full_queue_refuses_the_message_and_hands_it_back() {
    let live = ReconnectingWebSocket::open(
        &server("/slow?ms=500"),
        fast().queue_limits(QueueLimits::new(2, 1_000)),
    )
    .unwrap();
    live.send("a").unwrap();
    live.send("b").unwrap();
    match live.send("c") {
        Err(Error::QueueFull {
            queued_messages: 2,
            queued_bytes: 2,
            rejected,
        }) => assert_eq!(rejected, Message::from("c")),
        other => panic!("expected QueueFull, got {other:?}"),
    }
    let big = ReconnectingWebSocket::open(
        &server("/slow?ms=500"),
        fast().queue_limits(QueueLimits::new(100, 10)),
    )
    .unwrap();
    assert!(matches!(
        big.send(vec![0u8; 11]),
        Err(Error::QueueFull {
            queued_messages: 0,
            ..
        })
    ));
    // The queue can be inspected and drained by the application.
    assert_eq!(live.take_queued(), [Message::from("a"), Message::from("b")]);
    assert_eq!(live.queued_messages(), 0);
    live.close().unwrap();
    big.close().unwrap();
}

#[wasm_bindgen_test]
async fn heartbeat_replies_are_consumed_and_the_connection_stays_up() {
    let mut live = ReconnectingWebSocket::open(
        &server("/echo"),
        fast().heartbeat(Some(
            Heartbeat::new("ping", Duration::from_millis(30)).timeout(Duration::from_millis(500)),
        )),
    )
    .unwrap();
    let (states, _guard) = record(&live);
    wait_for(&live, 10_000, "open", ConnectionState::is_open).await;
    sleep(400).await;
    live.send("data").unwrap();
    assert_eq!(
        within(5_000, "echo", live.next()).await.unwrap().unwrap(),
        Message::from("data"),
        "about 13 pings were echoed, none reached the stream"
    );
    assert_eq!(
        states.borrow().len(),
        2,
        "connecting, open: {:?}",
        states.borrow()
    );
    live.close().unwrap();
}

#[wasm_bindgen_test]
async fn a_missing_heartbeat_reply_drops_the_connection_and_reconnects() {
    let id = unique_id("heartbeat");
    let live = ReconnectingWebSocket::open(
        &server(&format!("/record?id={id}")),
        fast().heartbeat(Some(
            // The server echoes "ping": only a "pong" may count as a sign of life.
            Heartbeat::new("ping", Duration::from_millis(50))
                .timeout(Duration::from_millis(100))
                .reply(|message| message.as_text() == Some("pong"))
                .require_reply(true),
        )),
    )
    .unwrap();
    let state = wait_for(&live, 10_000, "a heartbeat timeout", |s| {
        matches!(s, ConnectionState::Reconnecting { .. })
    })
    .await;
    assert!(
        matches!(
            state,
            ConnectionState::Reconnecting {
                cause: Disconnect::HeartbeatTimeout,
                ..
            }
        ),
        "{state:?}"
    );
    assert_eq!(
        recorded_close(&id).await,
        "1000 ",
        "the dead connection was closed"
    );
    wait_for(&live, 10_000, "reopened", ConnectionState::is_open).await;
    live.close().unwrap();
}

#[wasm_bindgen_test]
async fn close_cancels_a_pending_retry() {
    let live = ReconnectingWebSocket::open(
        &server("/close?code=1001"),
        ReconnectOptions::new().backoff(
            Backoff::new()
                .initial_delay(Duration::from_secs(60))
                .factor(1.0),
        ),
    )
    .unwrap();
    let (states, _guard) = record(&live);
    wait_for(&live, 10_000, "reconnecting", |s| {
        matches!(s, ConnectionState::Reconnecting { .. })
    })
    .await;
    live.close().unwrap();
    let ended = live.state();
    match &ended {
        ConnectionState::Closed(event) => {
            assert_eq!(
                event.code,
                CloseCode::GOING_AWAY,
                "the last real close event"
            );
        }
        other => panic!("expected Closed at once, got {other:?}"),
    }
    let count = states.borrow().len();
    sleep(200).await;
    assert_eq!(states.borrow().len(), count, "nothing happens after close");
    assert!(live.socket().is_none());
}

#[wasm_bindgen_test]
async fn close_stops_a_reconnect_storm_and_frees_every_socket() {
    let before = live_sockets();
    let url = format!("ws://127.0.0.1:{CLOSED_PORT}/");
    let storms: Vec<ReconnectingWebSocket> = (0..20)
        .map(|_| {
            ReconnectingWebSocket::open(
                &url,
                ReconnectOptions::new().backoff(Backoff::new().initial_delay(Duration::ZERO)),
            )
            .unwrap()
        })
        .collect();
    sleep(300).await;
    for live in &storms {
        live.close().unwrap();
    }
    for live in &storms {
        within(10_000, "closed", live.closed()).await;
        assert!(live.state().is_closed());
    }
    sleep(200).await;
    assert_eq!(live_sockets(), before, "no attempt outlives close()");
    drop(storms);
}

#[wasm_bindgen_test]
async fn dropping_it_closes_the_socket_with_1000_and_stops_reconnecting() {
    let before = live_sockets();
    let id = unique_id("reconnect-drop");
    let live = ReconnectingWebSocket::open(&server(&format!("/record?id={id}")), fast()).unwrap();
    wait_for(&live, 10_000, "open", ConnectionState::is_open).await;
    let closed = live.closed();
    drop(live);
    assert_eq!(
        live_sockets(),
        before,
        "the socket and its listeners are freed"
    );
    assert_eq!(recorded_close(&id).await, "1000 ");
    let ended = within(5_000, "closed", closed).await;
    assert_eq!(ended.code, CloseCode::NORMAL);
}

#[wasm_bindgen_test]
async fn bad_urls_and_protocols_are_typed_errors() {
    assert!(matches!(
        ReconnectingWebSocket::open("ftp://example.com/", fast()),
        Err(Error::InvalidUrl { .. })
    ));
    assert!(matches!(
        ReconnectingWebSocket::open(&server("/echo"), fast().protocols(["a b"])),
        Err(Error::InvalidProtocol { .. })
    ));
    let live = ReconnectingWebSocket::open(&server("/echo"), fast()).unwrap();
    assert!(matches!(
        live.close_with(1005u16, ""),
        Err(Error::InvalidCloseCode(_))
    ));
    assert!(!live.state().is_closed(), "a refused close changes nothing");
    wait_for(&live, 10_000, "open", ConnectionState::is_open).await;
    live.close_with(4001u16, "bye").unwrap();
    let ended = within(5_000, "closed", live.closed()).await;
    assert_eq!(
        (ended.code, ended.reason.as_str()),
        (CloseCode(4001), "bye")
    );
}

#[wasm_bindgen_test]
async fn a_state_handler_that_closes_still_sees_every_state_in_order() {
    let live = ReconnectingWebSocket::open(&server("/echo"), fast()).unwrap();
    let closer_saw = Rc::new(RefCell::new(Vec::new()));
    let other_saw = Rc::new(RefCell::new(Vec::new()));
    let weak = live.downgrade();
    let saw = closer_saw.clone();
    let _closer = live.on_state(move |state| {
        saw.borrow_mut().push(state.clone());
        if state.is_open() {
            weak.upgrade().unwrap().close().unwrap();
        }
    });
    let saw = other_saw.clone();
    let _other = live.on_state(move |state| saw.borrow_mut().push(state.clone()));
    let ended = within(10_000, "closed", live.closed()).await;
    let expected = vec![
        ConnectionState::Open,
        ConnectionState::Closing,
        ConnectionState::Closed(ended),
    ];
    assert_eq!(*closer_saw.borrow(), expected, "the closing handler");
    assert_eq!(*other_saw.borrow(), expected, "a later handler");
}

#[wasm_bindgen_test]
async fn close_from_inside_the_predicate_is_final_even_if_it_says_reconnect() {
    let handle: Rc<RefCell<Option<ReconnectingHandle>>> = Rc::new(RefCell::new(None));
    let from_predicate = handle.clone();
    let live = ReconnectingWebSocket::open(
        &server("/close?code=1012"),
        fast().should_reconnect(move |_| {
            if let Some(handle) = from_predicate.borrow().as_ref() {
                handle.close().unwrap();
            }
            true
        }),
    )
    .unwrap();
    *handle.borrow_mut() = Some(live.downgrade().upgrade().unwrap());
    let ended = within(10_000, "closed", live.closed()).await;
    assert_eq!(ended.code, CloseCode::SERVICE_RESTART);
    handle.borrow_mut().take();
    sleep(100).await;
    assert_eq!(live.state(), ConnectionState::Closed(ended));
    assert!(live.socket().is_none(), "no retry was started");
}
