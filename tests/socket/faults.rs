//! Fault injection against the test server's fault listener (`/restart` takes it down and
//! brings it back on the same port). Proves: across 20 server restarts under a steady
//! producer, every message that went through the send queue arrives exactly once and in
//! order, and nothing arrives twice or out of order; a connection dropped mid-stream is
//! reconnected and the stream goes on; a handshake that never completes hits the connect
//! timeout; a reconnect storm against a dead server stops at `close()`; 1,000 sockets opened
//! and closed in parallel waves (of 100: Firefox allows 200 per page), and hundreds of random
//! open/close/drop sequences, leave no socket or listener behind.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use crate::common::{
    connect, fault_server, is_firefox, next_message, server, sleep, unique_id, within,
};
use browser_ws::{
    live_sockets, Backoff, CloseCode, ConnectionState, Delivery, Disconnect, Message, QueueLimits,
    ReconnectOptions, ReconnectingHandle, ReconnectingWebSocket, State, WebSocket,
};
use futures::future::join_all;
use futures::{SinkExt, StreamExt};
use wasm_bindgen_test::*;

fn fast() -> ReconnectOptions {
    ReconnectOptions::new().backoff(
        Backoff::new()
            .initial_delay(Duration::from_millis(20))
            .max_delay(Duration::from_millis(200)),
    )
}

/// Restarts the fault listener: it drops every connection (1006), refuses connections for
/// `down_ms`, then listens again on the same port.
async fn restart_fault_listener(down_ms: u32) {
    let mut control = connect(&format!("/restart?down_ms={down_ms}")).await;
    assert_eq!(next_message(&mut control).await, Message::from("down"));
    assert_eq!(next_message(&mut control).await, Message::from("up"));
}

async fn wait_until(handle: &ReconnectingHandle, what: &str, f: impl Fn(&ConnectionState) -> bool) {
    let mut states = handle.states();
    within(15_000, what, async {
        while let Some(state) = states.next().await {
            if f(&state) {
                return;
            }
        }
        panic!("closed before {what}");
    })
    .await;
}

/// What `/collect?id=ID` recorded, in arrival order.
async fn collected(id: &str) -> Vec<String> {
    let mut report = connect(&format!("/collected?id={id}")).await;
    match next_message(&mut report).await {
        Message::Text(text) if text.is_empty() => Vec::new(),
        Message::Text(text) => text.split('\n').map(str::to_owned).collect(),
        other => panic!("expected text, got {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn twenty_restarts_under_a_steady_producer_lose_no_queued_message() {
    // Not in Deno 2.9: there a run of the messages queued while the server is down and sent
    // at the reopen (all handed to Deno, whose bufferedAmount is 0-3 bytes 40 ms later at the
    // next restart) never reaches the server in about one restart in four; whether Deno's
    // write or the kill loses them was not found (README, Where it runs).
    if crate::common::is_deno() {
        return;
    }
    let id = unique_id("restarts");
    let live = ReconnectingWebSocket::open(
        &fault_server(&format!("/collect?id={id}")),
        fast().queue_limits(QueueLimits::new(100_000, 16 << 20)),
    )
    .unwrap();
    let reconnects = Rc::new(Cell::new(0u32));
    let counter = reconnects.clone();
    let _states = live.on_state(move |state| {
        if let ConnectionState::Reconnecting {
            cause: Disconnect::Closed(event),
            ..
        } = state
        {
            assert_eq!(event.code, CloseCode::ABNORMAL);
            counter.set(counter.get() + 1);
        }
    });
    wait_until(&live, "first open", ConnectionState::is_open).await;

    // The producer: one numbered message every 2 ms, whatever the connection is doing.
    let deliveries = Rc::new(RefCell::new(Vec::new()));
    let running = Rc::new(Cell::new(true));
    let producer = {
        let handle = live.handle();
        let deliveries = deliveries.clone();
        let running = running.clone();
        async move {
            let mut n = 0u32;
            while running.get() {
                let delivery = handle.send(n.to_string()).expect("queue has room");
                deliveries.borrow_mut().push((n, delivery));
                n += 1;
                sleep(2).await;
            }
        }
    };
    let (done_tx, done_rx) = futures::channel::oneshot::channel();
    wasm_bindgen_futures::spawn_local(async move {
        producer.await;
        let _ = done_tx.send(());
    });

    for _ in 0..20 {
        restart_fault_listener(60).await;
        wait_until(&live, "reopened", ConnectionState::is_open).await;
        sleep(40).await;
    }
    running.set(false);
    done_rx.await.unwrap();
    wait_until(&live, "open at the end", ConnectionState::is_open).await;
    let mut live = live;
    within(10_000, "flush", live.flush()).await.unwrap();
    within(10_000, "close", SinkExt::close(&mut live))
        .await
        .unwrap();

    let received: Vec<u32> = collected(&id)
        .await
        .iter()
        .map(|line| line.parse().unwrap())
        .collect();
    assert!(
        received.windows(2).all(|pair| pair[0] < pair[1]),
        "every message arrives at most once and in order"
    );
    let deliveries = deliveries.borrow();
    let queued: Vec<u32> = deliveries
        .iter()
        .filter(|(_, d)| *d == Delivery::Queued)
        .map(|(n, _)| *n)
        .collect();
    let missing: Vec<u32> = queued
        .iter()
        .copied()
        .filter(|n| received.binary_search(n).is_err())
        .collect();
    assert_eq!(missing, Vec::<u32>::new(), "every queued message arrived");
    assert!(reconnects.get() >= 20, "{} reconnects", reconnects.get());
    assert!(!queued.is_empty(), "the restarts made the producer queue");
    let lost_in_flight = deliveries.len() - received.len();
    web_sys::console::log_1(
        &format!(
            "restarts: {} sent, {} through the queue, {} handed to a dying socket and lost",
            deliveries.len(),
            queued.len(),
            lost_in_flight
        )
        .into(),
    );
}

#[wasm_bindgen_test]
async fn a_connection_dropped_mid_stream_is_reconnected_and_the_stream_goes_on() {
    let mut live = ReconnectingWebSocket::open(&server("/drop?after=3&kind=text"), fast()).unwrap();
    // Firefox sometimes reports a `/drop` connection as a failed handshake, and then delays
    // the next connect to the same host, port and path by 200-400 ms, growing ×1.5 per
    // failure up to 60 s (RFC 6455 §7.2.3; `FailDelay` in its WebSocketChannel.cpp). The
    // reconnect still happens and nothing is lost, but it may take that long.
    let patience = if is_firefox() { 60_000 } else { 10_000 };
    let mut received = Vec::new();
    for _ in 0..6 {
        match within(patience, "message", live.next()).await {
            Some(Ok(message)) => received.push(message),
            other => panic!("expected a message, got {other:?}"),
        }
    }
    let expected: Vec<Message> = (0..3)
        .chain(0..3)
        .map(|i: u32| Message::from(i.to_string()))
        .collect();
    assert_eq!(received, expected, "two connections, one stream");
    live.close().unwrap();
    assert!(within(5_000, "end", live.next()).await.is_none());
}

#[wasm_bindgen_test]
async fn a_handshake_that_never_completes_hits_the_connect_timeout() {
    let live = ReconnectingWebSocket::open(
        &server("/hang"),
        fast().connect_timeout(Some(Duration::from_millis(200))),
    )
    .unwrap();
    let mut states = live.states();
    let cause = within(5_000, "timeout", async {
        while let Some(state) = states.next().await {
            if let ConnectionState::Reconnecting { cause, .. } = state {
                return cause;
            }
        }
        panic!("closed");
    })
    .await;
    assert_eq!(cause, Disconnect::ConnectTimeout);
    live.close().unwrap();
    assert!(live.state().is_closed() || live.state() == ConnectionState::Closing);
    within(5_000, "closed", live.closed()).await;
}

#[wasm_bindgen_test]
async fn a_reconnect_storm_against_a_dead_server_stops_at_close() {
    let before = live_sockets();
    let id = unique_id("storm");
    let storm: Vec<ReconnectingWebSocket> = (0..10)
        .map(|_| {
            ReconnectingWebSocket::open(
                &fault_server(&format!("/collect?id={id}")),
                ReconnectOptions::new().backoff(Backoff::new().initial_delay(Duration::ZERO)),
            )
            .unwrap()
        })
        .collect();
    // Take the server down for long enough to storm, and close everything meanwhile.
    let mut control = connect("/restart?down_ms=1500").await;
    assert_eq!(next_message(&mut control).await, Message::from("down"));
    sleep(300).await;
    for live in &storm {
        live.close().unwrap();
    }
    for live in &storm {
        within(10_000, "closed", live.closed()).await;
    }
    assert_eq!(next_message(&mut control).await, Message::from("up"));
    drop(control);
    sleep(300).await;
    assert_eq!(live_sockets(), before, "no attempt survives close()");
    for live in &storm {
        assert!(live.state().is_closed());
    }
}

#[wasm_bindgen_test]
async fn a_thousand_sockets_in_parallel_waves_open_close_and_are_freed() {
    let before = live_sockets();
    // Let the sockets of earlier tests finish closing: Firefox allows 200 WebSockets per
    // page in all (network.websocket.max-connections) and fails the rest with 1006, so the
    // waves are 100 wide and start from a quiet page.
    sleep(1_000).await;
    let url = server("/echo");
    for wave in 0..10 {
        let sockets: Vec<WebSocket> = join_all((0..100).map(|_| WebSocket::connect(&url)))
            .await
            .into_iter()
            .map(|result| result.unwrap_or_else(|e| panic!("wave {wave}: {e}")))
            .collect();
        assert!(sockets.iter().all(|s| s.state() == State::Open));
        for socket in &sockets {
            socket.close().unwrap();
        }
        let endings = join_all(sockets.iter().map(|s| s.closed())).await;
        assert!(endings
            .iter()
            .all(|e| e.was_clean && e.code == CloseCode::NORMAL));
        drop(sockets);
        assert_eq!(live_sockets(), before, "wave {wave} freed");
    }
}

#[wasm_bindgen_test]
async fn random_open_close_drop_sequences_leave_nothing_behind() {
    let before = live_sockets();
    let mut seed = 0x2545_f491_u32;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        seed
    };
    let mut kept = Vec::new();
    for _ in 0..300 {
        match next() % 6 {
            0 => drop(WebSocket::open(&server("/echo")).unwrap()),
            1 => {
                let socket = WebSocket::open(&server("/echo")).unwrap();
                socket.close().unwrap();
                kept.push(socket);
            }
            2 => {
                let socket = WebSocket::open(&server("/slow?ms=50")).unwrap();
                let _ = socket.close_with(4000u16, "abort");
            }
            3 => drop(ReconnectingWebSocket::open(&server("/echo"), fast()).unwrap()),
            4 => {
                let live =
                    ReconnectingWebSocket::open(&server("/close?code=1012"), fast()).unwrap();
                sleep((next() % 30) as i32).await;
                live.close().unwrap();
            }
            _ => sleep((next() % 5) as i32).await,
        }
        if kept.len() > 20 {
            kept.clear();
        }
    }
    drop(kept);
    sleep(500).await;
    assert_eq!(live_sockets(), before);
    // The module is still healthy.
    let mut socket = connect("/echo").await;
    socket.send("still fine").unwrap();
    assert_eq!(next_message(&mut socket).await, Message::from("still fine"));
}
