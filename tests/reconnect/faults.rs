//! Proves, against the project's server and its `/steps` fault route (which scripts what each
//! successive connection meets), how a `ReconnectingWebSocket` behaves under real faults: a
//! Sink waiting on backpressure goes on after a heartbeat timeout and a reconnect; backoff
//! grows against a server that accepts and closes at once, and gives up at `max_retries`; the
//! reconnect predicate decides every ending, timeouts included; a give-up after timeouts
//! reports a fresh unclean event and an error; the Sink's `close` sends the queue first or
//! says what it could not send; a heartbeat counts any message as life and does not time out
//! a ping stuck behind the send buffer; durations too long for a browser timer do not fire at
//! once; a message handler dropped by an earlier one gets nothing more.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use crate::common::{connect, next_message, server, sleep, unique_id, within, CLOSED_PORT};
use crate::support::{fast, record, wait_for};
use browser_ws::{
    Backoff, CloseCode, ConnectionState, Disconnect, Error, Heartbeat, Message, QueueLimits,
    ReconnectContext, ReconnectOptions, ReconnectingWebSocket, SubscriptionGuard, Watermarks,
};
use futures::{SinkExt, StreamExt};
use wasm_bindgen_test::*;

/// A `/steps` URL: connection K with a fresh id meets step K of `steps` (the last repeats).
fn steps(steps: &str) -> String {
    server(&format!("/steps?id={}&do={steps}", unique_id("steps")))
}

fn is_heartbeat_timeout(state: &ConnectionState) -> bool {
    matches!(
        state,
        ConnectionState::Reconnecting {
            cause: Disconnect::HeartbeatTimeout,
            ..
        }
    )
}

/// The `attempt` of every `Reconnecting` state, in order.
fn retries(states: &[ConnectionState]) -> Vec<u32> {
    states
        .iter()
        .filter_map(|state| match state {
            ConnectionState::Reconnecting { attempt, .. } => Some(*attempt),
            _ => None,
        })
        .collect()
}

/// What `/collect?id=ID` recorded once it has `count` records (or after 10 s).
async fn collected(id: &str, count: usize) -> Vec<String> {
    let mut report = connect(&format!("/collected?id={id}&wait_for={count}")).await;
    match next_message(&mut report).await {
        Message::Text(text) if text.is_empty() => Vec::new(),
        Message::Text(text) => text.split('\n').map(str::to_owned).collect(),
        other => panic!("expected text, got {other:?}"),
    }
}

// Point 1: a Sink waiting on `bufferedAmount` must be woken by every connection change.
#[wasm_bindgen_test]
async fn a_sink_waiting_on_backpressure_goes_on_after_a_heartbeat_timeout_and_reconnect() {
    // The sink reads (almost) nothing, so the send buffer fills and the producer waits; its
    // `stats` reply never comes, so the heartbeat times out and the connection is replaced.
    let id = unique_id("stall");
    let mut live = ReconnectingWebSocket::open(
        &server(&format!("/sink?id={id}&bytes_per_sec=1")),
        fast()
            .watermarks(Watermarks::new(64 << 10, 16 << 10))
            .queue_limits(QueueLimits::new(4, 1 << 20))
            .heartbeat(Some(
                Heartbeat::new("stats", Duration::from_millis(300))
                    .timeout(Duration::from_millis(600))
                    .reply(Message::is_text),
            )),
    )
    .unwrap();
    let handle = live.handle();
    wait_for(&handle, 10_000, "open", ConnectionState::is_open).await;
    let fed = Rc::new(Cell::new(0u32));
    let counter = fed.clone();
    let (done_tx, done_rx) = futures::channel::oneshot::channel();
    wasm_bindgen_futures::spawn_local(async move {
        let chunk = vec![7u8; 64 << 10];
        while live.feed(Message::from(chunk.clone())).await.is_ok() {
            counter.set(counter.get() + 1);
        }
        let _ = done_tx.send(());
    });
    wait_for(&handle, 15_000, "a heartbeat timeout", is_heartbeat_timeout).await;
    let at_timeout = fed.get();
    within(10_000, "the producer to go on after the reconnect", async {
        while fed.get() <= at_timeout {
            sleep(20).await;
        }
    })
    .await;
    handle.close().unwrap();
    within(10_000, "the producer to stop once closed", done_rx)
        .await
        .unwrap();
}

// Point 2: a connection that opens and drops at once is a failed attempt.
#[wasm_bindgen_test]
async fn backoff_grows_against_a_server_that_accepts_and_closes_at_once_and_gives_up() {
    let mut live = ReconnectingWebSocket::open(
        &server("/close?code=1013&reason=overloaded"),
        ReconnectOptions::new().backoff(
            Backoff::new()
                .initial_delay(Duration::from_millis(20))
                .max_delay(Duration::from_millis(200))
                .max_retries(Some(3)),
        ),
    )
    .unwrap();
    let (states, _guard) = record(&live);
    let ended = within(10_000, "the retries to run out", live.closed()).await;
    assert_eq!(ended.code, CloseCode(1013));
    assert_eq!(
        retries(&states.borrow()),
        [1, 2, 3],
        "{:?}",
        states.borrow()
    );
    assert!(live.next().await.is_none());
}

// Point 2: ...and one that stays open for the minimum uptime starts the count again.
#[wasm_bindgen_test]
async fn a_connection_open_for_the_minimum_uptime_starts_the_count_again() {
    // Each connection echoes for 300 ms, then the server closes it with 1012.
    let live = ReconnectingWebSocket::open(
        &steps("hold:300:1012"),
        fast().min_uptime(Duration::from_millis(100)).backoff(
            Backoff::new()
                .initial_delay(Duration::from_millis(20))
                .max_retries(Some(1)),
        ),
    )
    .unwrap();
    let (states, _guard) = record(&live);
    for _ in 0..3 {
        wait_for(&live, 10_000, "a retry", |s| {
            matches!(s, ConnectionState::Reconnecting { .. })
        })
        .await;
        wait_for(&live, 10_000, "open again", ConnectionState::is_open).await;
    }
    live.close().unwrap();
    assert_eq!(
        retries(&states.borrow()),
        [1, 1, 1],
        "{:?}",
        states.borrow()
    );
}

// Point 3: the predicate decides after a connect timeout.
#[wasm_bindgen_test]
async fn a_predicate_that_says_no_is_obeyed_after_a_connect_timeout() {
    let asked = Rc::new(RefCell::new(Vec::new()));
    let seen = asked.clone();
    let live = ReconnectingWebSocket::open(
        &server("/hang"),
        fast()
            .connect_timeout(Some(Duration::from_millis(200)))
            .should_reconnect(move |context| {
                seen.borrow_mut().push(context.clone());
                false
            }),
    )
    .unwrap();
    let (states, _guard) = record(&live);
    let ended = within(10_000, "closed", live.closed()).await;
    assert_eq!(
        *asked.borrow(),
        [ReconnectContext::new(Disconnect::ConnectTimeout, 1, None)],
        "asked once, for the connect timeout, with why"
    );
    assert_eq!(
        retries(&states.borrow()),
        [0u32; 0],
        "{:?}",
        states.borrow()
    );
    assert_eq!((ended.code, ended.was_clean), (CloseCode::ABNORMAL, false));
}

// Point 4: a stream already waiting when the connection gives up is woken with the error.
// Proves: the give-up wakes a pending poll of the stream, which then yields ConnectFailed.
#[wasm_bindgen_test]
async fn a_stream_waiting_when_the_connection_gives_up_wakes_with_the_error() {
    let mut live = ReconnectingWebSocket::open(
        &server("/hang"),
        fast()
            .connect_timeout(Some(Duration::from_millis(200)))
            .should_reconnect(|_| false),
    )
    .unwrap();
    let item = within(5_000, "the stream's error", live.next()).await;
    assert!(
        matches!(item, Some(Err(Error::ConnectFailed(ref event))) if event.code == CloseCode::ABNORMAL),
        "{item:?}"
    );
    assert!(within(2_000, "the end", live.next()).await.is_none());
}

// Point 3: the predicate decides after a heartbeat timeout.
#[wasm_bindgen_test]
async fn a_predicate_that_says_no_is_obeyed_after_a_heartbeat_timeout() {
    let asked = Rc::new(RefCell::new(Vec::new()));
    let seen = asked.clone();
    let live = ReconnectingWebSocket::open(
        &steps("silent"),
        fast()
            .heartbeat(Some(
                Heartbeat::new("ping", Duration::from_millis(100))
                    .timeout(Duration::from_millis(200)),
            ))
            .should_reconnect(move |context| {
                seen.borrow_mut().push(context.clone());
                false
            }),
    )
    .unwrap();
    let (states, _guard) = record(&live);
    let ended = within(10_000, "closed", live.closed()).await;
    let asked = asked.borrow();
    assert_eq!(asked.len(), 1, "asked once, for the heartbeat timeout");
    assert_eq!(asked[0].cause, Disconnect::HeartbeatTimeout);
    assert_eq!(
        asked[0].failures, 1,
        "open for less than the minimum uptime"
    );
    let uptime = asked[0].uptime.expect("it opened");
    assert!(
        uptime >= Duration::from_millis(250) && uptime < Duration::from_secs(3),
        "a ping after 100 ms, then 200 ms without a sign of life: open {uptime:?}"
    );
    assert_eq!(
        retries(&states.borrow()),
        [0u32; 0],
        "{:?}",
        states.borrow()
    );
    assert_eq!((ended.code, ended.was_clean), (CloseCode::ABNORMAL, false));
}

// Point 4: the final event after timeouts is fresh, and the stream says it failed.
#[wasm_bindgen_test]
async fn giving_up_after_connect_timeouts_reports_a_fresh_unclean_event_and_an_error() {
    let mut live = ReconnectingWebSocket::open(
        &steps("close:1001,hang"),
        ReconnectOptions::new()
            .connect_timeout(Some(Duration::from_millis(200)))
            .backoff(
                Backoff::new()
                    .initial_delay(Duration::from_millis(20))
                    .max_retries(Some(2)),
            ),
    )
    .unwrap();
    match within(15_000, "the stream's error", live.next()).await {
        Some(Err(Error::ConnectionLost(event))) => {
            assert_eq!((event.code, event.was_clean), (CloseCode::ABNORMAL, false));
        }
        other => panic!("expected ConnectionLost, got {other:?}"),
    }
    assert!(live.next().await.is_none());
    let ended = within(1_000, "closed", live.closed()).await;
    assert_eq!((ended.code, ended.was_clean), (CloseCode::ABNORMAL, false));
}

// Point 4: the same after a heartbeat timeout.
#[wasm_bindgen_test]
async fn giving_up_after_a_heartbeat_timeout_reports_a_fresh_unclean_event_and_an_error() {
    let mut live = ReconnectingWebSocket::open(
        &steps("close:1001,silent"),
        ReconnectOptions::new()
            .heartbeat(Some(
                Heartbeat::new("ping", Duration::from_millis(100))
                    .timeout(Duration::from_millis(200)),
            ))
            .backoff(
                Backoff::new()
                    .initial_delay(Duration::from_millis(20))
                    .max_retries(Some(1)),
            ),
    )
    .unwrap();
    match within(15_000, "the stream's error", live.next()).await {
        Some(Err(Error::ConnectionLost(event))) => {
            assert_eq!((event.code, event.was_clean), (CloseCode::ABNORMAL, false));
        }
        other => panic!("expected ConnectionLost, got {other:?}"),
    }
    assert!(live.next().await.is_none());
    let ended = within(1_000, "closed", live.closed()).await;
    assert_eq!((ended.code, ended.was_clean), (CloseCode::ABNORMAL, false));
}

// Point 5: the Sink's close sends what is queued first.
#[wasm_bindgen_test]
async fn sink_close_sends_the_queued_messages_before_closing() {
    let id = unique_id("sink-close");
    let mut live =
        ReconnectingWebSocket::open(&server(&format!("/collect?id={id}")), fast()).unwrap();
    for text in ["a", "b", "c"] {
        live.feed(Message::from(text)).await.unwrap();
    }
    assert_eq!(live.queued_messages(), 3, "fed while connecting: queued");
    within(10_000, "the Sink's close", SinkExt::close(&mut live))
        .await
        .unwrap();
    assert_eq!(live.queued_messages(), 0);
    assert_eq!(collected(&id, 3).await, ["a", "b", "c"]);
}

// Point 5: ...or fails, saying what it could not send.
#[wasm_bindgen_test]
async fn sink_close_fails_when_the_queue_can_never_be_sent() {
    let mut live = ReconnectingWebSocket::open(
        &format!("ws://127.0.0.1:{CLOSED_PORT}/"),
        ReconnectOptions::new().backoff(
            Backoff::new()
                .initial_delay(Duration::from_millis(20))
                .max_retries(Some(1)),
        ),
    )
    .unwrap();
    live.feed(Message::from("x")).await.unwrap();
    live.feed(Message::from("yz")).await.unwrap();
    let result = within(10_000, "the Sink's close", SinkExt::close(&mut live)).await;
    assert_eq!(
        result,
        Err(Error::Unsent {
            queued_messages: 2,
            queued_bytes: 3
        }),
        "never Ok with messages unsent"
    );
    assert!(live.state().is_closed());
    assert_eq!(
        live.flush().await,
        Err(Error::Unsent {
            queued_messages: 2,
            queued_bytes: 3
        })
    );
    assert_eq!(live.queued_messages(), 2, "still there for take_queued");
}

// Point 6: any received message is a sign of life.
#[wasm_bindgen_test]
async fn any_message_received_counts_as_a_sign_of_life() {
    // 25 messages 100 ms apart, then a clean close; no message is a heartbeat reply.
    let mut live = ReconnectingWebSocket::open(
        &server("/numbered?n=25&kind=text&delay_ms=100"),
        fast()
            .backoff(Backoff::new().max_retries(Some(0)))
            .heartbeat(Some(
                Heartbeat::new("ping", Duration::from_millis(150))
                    .timeout(Duration::from_millis(300))
                    .reply(|_| false),
            )),
    )
    .unwrap();
    let (states, _guard) = record(&live);
    let mut received = 0;
    while let Some(item) = within(15_000, "a message", live.next()).await {
        item.unwrap();
        received += 1;
    }
    assert!(
        !states.borrow().iter().any(is_heartbeat_timeout),
        "{:?}",
        states.borrow()
    );
    assert_eq!(received, 25);
    let ended = within(1_000, "closed", live.closed()).await;
    assert_eq!(
        (ended.code, ended.reason.as_str()),
        (CloseCode::NORMAL, "done")
    );
}

// Point 6: the deadline does not run while the ping is still in the send buffer.
#[wasm_bindgen_test]
async fn a_ping_behind_a_full_send_buffer_is_not_a_heartbeat_timeout() {
    const RATE: u32 = 8_000_000;
    const TOTAL_MIB: usize = 64;
    let id = unique_id("uplink");
    let live = ReconnectingWebSocket::open(
        &server(&format!("/sink?id={id}&bytes_per_sec={RATE}")),
        fast().heartbeat(Some(
            Heartbeat::new("stats", Duration::from_millis(500))
                .timeout(Duration::from_millis(4_500))
                .reply(Message::is_text),
        )),
    )
    .unwrap();
    let (states, _guard) = record(&live);
    wait_for(&live, 10_000, "open", ConnectionState::is_open).await;
    let chunk = vec![1u8; 1 << 20];
    for _ in 0..TOTAL_MIB {
        live.send(chunk.clone()).unwrap();
    }
    let socket = live.socket().and_then(|weak| weak.upgrade()).unwrap();
    let started = js_sys::Date::now();
    let mut peak = 0;
    within(60_000, "the upload to leave the browser", async {
        while socket.buffered_amount() > 0 && live.state().is_open() {
            peak = peak.max(socket.buffered_amount());
            sleep(50).await;
        }
    })
    .await;
    web_sys::console::log_1(
        &format!(
            "uplink: peak bufferedAmount {peak} bytes, drained in {} ms",
            js_sys::Date::now() - started
        )
        .into(),
    );
    // The last pings left just now: give them their timeout.
    sleep(5_000).await;
    assert!(
        !states.borrow().iter().any(is_heartbeat_timeout),
        "{:?}",
        states.borrow()
    );
    assert!(
        peak > 8 << 20,
        "the upload filled the send buffer (peak {peak})"
    );
    live.close().unwrap();
}

// Point 7: durations past the longest browser timer do not fire at once.
#[wasm_bindgen_test]
async fn durations_past_the_longest_timer_do_not_fire_at_once() {
    // A handshake that takes 500 ms, under a connect timeout of `Duration::MAX`.
    let live = ReconnectingWebSocket::open(
        &server("/slow?ms=500"),
        fast().connect_timeout(Some(Duration::MAX)).heartbeat(Some(
            Heartbeat::new("ping", Duration::MAX).timeout(Duration::MAX),
        )),
    )
    .unwrap();
    let (states, _guard) = record(&live);
    wait_for(&live, 10_000, "open", ConnectionState::is_open).await;
    sleep(300).await;
    assert_eq!(
        *states.borrow(),
        [
            ConnectionState::Connecting { attempt: 0 },
            ConnectionState::Open
        ],
        "no connect timeout, no ping, no heartbeat timeout"
    );
    live.close().unwrap();
    // A retry delay drawn under a ceiling of `Duration::MAX` waits; it does not storm.
    let storm = ReconnectingWebSocket::open(
        &format!("ws://127.0.0.1:{CLOSED_PORT}/"),
        ReconnectOptions::new().backoff(
            Backoff::new()
                .initial_delay(Duration::MAX)
                .max_delay(Duration::MAX),
        ),
    )
    .unwrap();
    let (states, _guard) = record(&storm);
    wait_for(&storm, 10_000, "a retry", |s| {
        matches!(s, ConnectionState::Reconnecting { .. })
    })
    .await;
    sleep(500).await;
    assert_eq!(retries(&states.borrow()), [1], "{:?}", states.borrow());
    storm.close().unwrap();
}

// Point 12: handlers are called from the live list, not a snapshot.
#[wasm_bindgen_test]
async fn a_handler_dropped_by_an_earlier_one_gets_nothing_more() {
    let mut live = ReconnectingWebSocket::open(&server("/echo"), fast()).unwrap();
    let second_message: Rc<RefCell<Option<SubscriptionGuard>>> = Rc::default();
    let second_state: Rc<RefCell<Option<SubscriptionGuard>>> = Rc::default();
    let (got_message, got_state) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(0)));
    let drop_it = second_message.clone();
    let _first = live.on_message(move |_| drop(drop_it.borrow_mut().take()));
    let count = got_message.clone();
    *second_message.borrow_mut() = Some(live.on_message(move |_| count.set(count.get() + 1)));
    let drop_it = second_state.clone();
    let _first_state = live.on_state(move |_| drop(drop_it.borrow_mut().take()));
    let count = got_state.clone();
    *second_state.borrow_mut() = Some(live.on_state(move |_| count.set(count.get() + 1)));

    wait_for(&live, 10_000, "open", ConnectionState::is_open).await;
    live.send("x").unwrap();
    assert_eq!(
        within(5_000, "the echo", live.next())
            .await
            .unwrap()
            .unwrap(),
        Message::from("x")
    );
    assert_eq!(
        got_message.get(),
        0,
        "its guard was dropped before its turn"
    );
    assert_eq!(got_state.get(), 0, "its guard was dropped before its turn");
    live.close().unwrap();
}
