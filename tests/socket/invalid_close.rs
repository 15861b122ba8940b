//! Proves: close codes other than 1000 and 3000-4999, and reasons over 123 UTF-8 bytes, give
//! typed errors before the browser sees them, and leave the socket open and usable.

use crate::common::{connect, next_message, within};
use browser_ws::{CloseCode, Error, Message, State};
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
async fn invalid_codes_and_reasons_are_refused_and_the_socket_stays_usable() {
    let mut socket = connect("/echo").await;
    for code in [
        0u16, 1, 999, 1001, 1002, 1004, 1005, 1006, 1011, 1015, 2000, 2999, 5000, 65535,
    ] {
        assert_eq!(
            socket.close_with(code, ""),
            Err(Error::InvalidCloseCode(CloseCode(code))),
            "code {code}"
        );
        assert_eq!(socket.state(), State::Open, "after code {code}");
    }
    // 124 bytes in 62 characters, and 125 bytes in 42: counted in UTF-8 bytes.
    for reason in [
        "é".repeat(62),
        format!("{}é", "€".repeat(41)),
        "x".repeat(124),
        "y".repeat(10_000),
    ] {
        assert_eq!(
            socket.close_with(4000u16, &reason),
            Err(Error::ReasonTooLong {
                bytes: reason.len()
            })
        );
        assert_eq!(socket.state(), State::Open);
    }
    // Still open and usable.
    socket.send("still here").unwrap();
    assert_eq!(next_message(&mut socket).await, Message::from("still here"));
    // A reason of exactly 123 bytes with multibyte characters is accepted.
    let reason = "€".repeat(41);
    socket.close_with(3000u16, &reason).unwrap();
    let closed = within(10_000, "closed", socket.closed()).await;
    assert_eq!(
        (closed.code, closed.reason.as_str(), closed.was_clean),
        (CloseCode(3000), reason.as_str(), true)
    );
}
