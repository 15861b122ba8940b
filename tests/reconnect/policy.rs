//! Proves, from the server's side (the `/steps` route logs every connection: its query string,
//! the subprotocols offered, when it arrived and how it ended), that a URL provider is called
//! anew for every attempt (sync and async, with its own subprotocols), that a failing provider
//! is a failed attempt whose error is the cause and is retried, that an abandoned provider
//! future is dropped, and that the reconnect policy's decisions hold: stop (no further
//! attempt), retry after a given delay (the next attempt no earlier), and 1013 waiting the
//! backoff's maximum delay under the default policy.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use crate::common::{server, sleep, steps_entries, unique_id, within, Logged};
use crate::support::{fast, record, wait_for};
use browser_ws::{
    Backoff, CloseCode, ConnectionState, Decision, Disconnect, Endpoint, ReconnectingWebSocket,
};
use wasm_bindgen_test::*;

/// The server's log of `/steps?id=ID` connections, once it has `wait_for` (or after 10 s).
async fn steps_log(id: &str, wait_for: usize) -> Vec<Logged> {
    steps_entries(id, &format!("&wait_for={wait_for}")).await
}

/// The `token=` parameter of a logged query.
fn token(entry: &Logged) -> &str {
    entry
        .query
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="))
        .unwrap_or("")
}

// Point 2: a synchronous provider is called before every attempt; each URL is used once.
#[wasm_bindgen_test]
async fn a_provider_is_called_before_every_attempt_and_each_attempt_uses_its_url() {
    let id = unique_id("provider");
    let calls = Rc::new(Cell::new(0u32));
    let counted = calls.clone();
    let base = server(&format!("/steps?id={id}&do=close:4001,close:4002,echo"));
    let live = ReconnectingWebSocket::open_with(
        move || {
            counted.set(counted.get() + 1);
            Ok::<_, String>(format!("{base}&token=t{}", counted.get()))
        },
        fast(),
    )
    .unwrap();
    assert_eq!(live.url(), "", "no URL before the provider ran");
    wait_for(&live, 10_000, "open", ConnectionState::is_open).await;
    let log = steps_log(&id, 3).await;
    let tokens: Vec<&str> = log.iter().map(token).collect();
    assert_eq!(tokens, ["t1", "t2", "t3"], "{log:?}");
    assert_eq!(calls.get(), 3);
    assert!(live.url().ends_with("&token=t3"), "{}", live.url());
    live.close().unwrap();
}

// Point 2: an async provider that rejects once: the error is the cause, and it is retried.
#[wasm_bindgen_test]
async fn an_async_provider_that_fails_once_is_the_cause_and_is_retried() {
    let id = unique_id("provider-async");
    let calls = Rc::new(Cell::new(0u32));
    let counted = calls.clone();
    let base = server(&format!("/steps?id={id}&do=echo"));
    let live = ReconnectingWebSocket::open_with_async(
        move || {
            counted.set(counted.get() + 1);
            let call = counted.get();
            let url = format!("{base}&token=a{call}");
            async move {
                sleep(30).await;
                if call == 1 {
                    Err("the token server is down".to_owned())
                } else {
                    Ok(Endpoint::new(url).protocols(["chat.v2", format!("call.{call}").as_str()]))
                }
            }
        },
        fast(),
    )
    .unwrap();
    let (states, _guard) = record(&live);
    wait_for(&live, 10_000, "open", ConnectionState::is_open).await;
    let states = states.borrow().clone();
    assert!(
        states.iter().any(|state| matches!(
            state,
            ConnectionState::Reconnecting { attempt: 1, cause: Disconnect::Provider(error), .. }
                if error == "the token server is down"
        )),
        "{states:?}"
    );
    let log = steps_log(&id, 1).await;
    assert_eq!(log.len(), 1, "the failed call made no connection: {log:?}");
    assert_eq!(token(&log[0]), "a2");
    assert_eq!(
        log[0].protocols, "chat.v2, call.2",
        "the endpoint's own subprotocols"
    );
    let socket = live.socket().and_then(|weak| weak.upgrade()).unwrap();
    assert_eq!(
        socket.protocol(),
        "chat.v2",
        "the server accepted the first one offered"
    );
    live.close().unwrap();
}

// Point 2: a provider's bad URL fails the attempt (the cause says why), it does not throw.
#[wasm_bindgen_test]
async fn a_provider_returning_a_bad_url_fails_the_attempt_with_the_reason() {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let sink = seen.clone();
    let live = ReconnectingWebSocket::open_with(
        || Ok::<_, String>("ftp://example.com/".to_owned()),
        fast().policy(move |context| {
            sink.borrow_mut().push(context.cause.clone());
            Decision::Stop
        }),
    )
    .unwrap();
    let ended = within(5_000, "closed", live.closed()).await;
    assert_eq!((ended.code, ended.was_clean), (CloseCode::ABNORMAL, false));
    let seen = seen.borrow();
    assert!(
        matches!(&seen[..], [Disconnect::Provider(error)] if error.contains("ftp")),
        "{seen:?}"
    );
}

// Point 2: closing while the provider's future waits drops that future; nothing connects.
#[wasm_bindgen_test]
async fn closing_while_the_provider_waits_drops_its_future() {
    struct Flag(Rc<Cell<bool>>);
    impl Drop for Flag {
        fn drop(&mut self) {
            self.0.set(true);
        }
    }
    let dropped = Rc::new(Cell::new(false));
    let flag = dropped.clone();
    let live = ReconnectingWebSocket::open_with_async(
        move || {
            let guard = Flag(flag.clone());
            async move {
                sleep(60_000).await;
                drop(guard);
                Ok::<_, String>(server("/echo"))
            }
        },
        fast(),
    )
    .unwrap();
    sleep(50).await;
    assert!(!dropped.get());
    assert_eq!(live.state(), ConnectionState::Connecting { attempt: 0 });
    live.close().unwrap();
    assert!(
        dropped.get(),
        "the provider's future was dropped with the attempt"
    );
    assert!(live.state().is_closed());
}

// Point 3: stop means no further attempt.
#[wasm_bindgen_test]
async fn a_policy_that_says_stop_makes_no_further_attempt() {
    let id = unique_id("policy-stop");
    let live = ReconnectingWebSocket::open(
        &server(&format!("/steps?id={id}&do=close:4001,echo")),
        fast().policy(|_| Decision::Stop),
    )
    .unwrap();
    let ended = within(5_000, "closed", live.closed()).await;
    assert_eq!(ended.code, CloseCode(4001));
    sleep(300).await;
    let log = steps_log(&id, 0).await;
    assert_eq!(log.len(), 1, "one connection only: {log:?}");
    assert_eq!(log[0].end.as_deref(), Some("4001 step 0"));
}

// Point 3: retry after N ms: the next attempt comes no earlier; 0 is now.
#[wasm_bindgen_test]
async fn a_policy_delay_is_kept_from_the_servers_side() {
    let id = unique_id("policy-delay");
    let live = ReconnectingWebSocket::open(
        &server(&format!("/steps?id={id}&do=close:4001,close:4002,echo")),
        fast().policy(|context| match context.failures {
            1 => Decision::RetryAfter(Duration::from_millis(400)),
            _ => Decision::RetryAfter(Duration::ZERO),
        }),
    )
    .unwrap();
    let (states, _guard) = record(&live);
    wait_for(&live, 10_000, "open", ConnectionState::is_open).await;
    let log = steps_log(&id, 3).await;
    let first_gap = log[1].at - log[0].at;
    let second_gap = log[2].at - log[1].at;
    assert!(
        first_gap >= 400.0,
        "retry after 400 ms came {first_gap} ms later"
    );
    assert!(second_gap < 300.0, "retry now came {second_gap} ms later");
    let delays: Vec<Duration> = states
        .borrow()
        .iter()
        .filter_map(|state| match state {
            ConnectionState::Reconnecting { delay, .. } => Some(*delay),
            _ => None,
        })
        .collect();
    assert_eq!(delays, [Duration::from_millis(400), Duration::ZERO]);
    live.close().unwrap();
}

// Point 3: under the default policy, 1013 (try again later) waits the backoff's maximum delay;
// 1008 (policy violation) stops.
#[wasm_bindgen_test]
async fn the_default_policy_waits_the_maximum_after_1013_and_stops_after_1008() {
    let id = unique_id("policy-1013");
    let live = ReconnectingWebSocket::open(
        &server(&format!("/steps?id={id}&do=close:1013,close:1008")),
        fast().backoff(
            Backoff::new()
                .initial_delay(Duration::from_millis(10))
                .max_delay(Duration::from_millis(600)),
        ),
    )
    .unwrap();
    let (states, _guard) = record(&live);
    let ended = within(10_000, "closed", live.closed()).await;
    assert_eq!(ended.code, CloseCode::POLICY_VIOLATION, "1008 stops");
    let log = steps_log(&id, 2).await;
    assert_eq!(log.len(), 2, "{log:?}");
    let gap = log[1].at - log[0].at;
    assert!(gap >= 600.0, "1013 waited only {gap} ms");
    assert!(
        states.borrow().iter().any(|state| matches!(
            state,
            ConnectionState::Reconnecting { delay, .. } if *delay >= Duration::from_millis(600)
        )),
        "{:?}",
        states.borrow()
    );
}
