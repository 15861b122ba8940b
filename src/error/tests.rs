//! The error tests: one error of every variant with its text ([`every_variant`], also used by
//! the JS tests in `js.rs`), and that every variant has it.

use super::Error;
use crate::{CloseCode, CloseEvent, Message, State};

/// One error of every variant and its text; [`variant_is_listed`] keeps the list complete.
pub(crate) fn every_variant() -> Vec<(Error, &'static str)> {
    let lost = CloseEvent {
        code: CloseCode(1006),
        reason: String::new(),
        was_clean: false,
    };
    vec![
        (
            Error::InvalidUrl {
                url: "ftp://a.test/".into(),
                reason: "the scheme must be ws:, wss:, http: or https:".into(),
            },
            "invalid WebSocket URL \"ftp://a.test/\": the scheme must be ws:, wss:, http: or https:",
        ),
        (
            Error::InvalidProtocol {
                protocol: "a b".into(),
                reason: "not a token",
            },
            "invalid subprotocol \"a b\": not a token",
        ),
        (
            Error::Security {
                message: "The port 25 is not allowed.".into(),
            },
            "security error: The port 25 is not allowed.",
        ),
        (
            Error::Js {
                name: "TypeError".into(),
                message: "bad".into(),
            },
            "TypeError: bad",
        ),
        (
            Error::ConnectFailed(lost.clone()),
            "connection failed: unclean close with code 1006",
        ),
        (
            Error::ConnectionLost(CloseEvent {
                code: CloseCode(4001),
                reason: "gone".into(),
                was_clean: true,
            }),
            "connection lost: clean close with code 4001 (\"gone\")",
        ),
        (
            Error::NotOpen(State::Closing),
            "the socket is not open (state: CLOSING)",
        ),
        (
            Error::InvalidCloseCode(CloseCode(1001)),
            "close code 1001 cannot be sent by a browser; use 1000 or 3000-4999",
        ),
        (
            Error::ReasonTooLong { bytes: 124 },
            "close reason is 124 UTF-8 bytes; at most 123 are allowed",
        ),
        (
            Error::QueueFull {
                queued_messages: 10,
                queued_bytes: 65536,
                rejected: Message::from("x"),
            },
            "send queue full (10 messages, 65536 bytes queued)",
        ),
        (
            Error::Decode {
                reason: "expected value".into(),
                excerpt: "{oops".into(),
            },
            "cannot decode message: expected value (message starts: {oops)",
        ),
        (
            Error::Encode {
                reason: "key must be a string".into(),
            },
            "cannot encode message: key must be a string",
        ),
        (
            Error::BlobRead {
                message: "NotReadableError".into(),
            },
            "could not read a received Blob: NotReadableError",
        ),
        (
            Error::MessageTooBig {
                size: 70_000_000,
                limit: Some(67_108_864),
            },
            "received message of 70000000 bytes over the limit of 67108864",
        ),
        (
            Error::MessageTooBig {
                size: 3_000_000_000,
                limit: None,
            },
            "received message of 3000000000 bytes too large for wasm memory",
        ),
        (
            Error::Unsent {
                queued_messages: 2,
                queued_bytes: 3,
            },
            "closed with 2 queued messages (3 bytes) unsent",
        ),
        (
            Error::InvalidOption {
                option: "heartbeat.interval",
                reason: "must be more than 0",
            },
            "invalid option heartbeat.interval: must be more than 0",
        ),
    ]
}

#[test]
fn display_to_string_and_the_js_text_are_one_text_per_variant() {
    for (error, expected) in every_variant() {
        assert_eq!(format!("{error}"), expected, "Display");
        assert_eq!(ToString::to_string(&error), expected, "ToString");
        assert_eq!(error.to_string(), expected, "the inherent to_string");
    }
}

/// No wildcard: a new variant fails to compile here until [`every_variant`] lists it.
fn variant_is_listed(error: &Error) -> usize {
    match error {
        Error::InvalidUrl { .. } => 0,
        Error::InvalidProtocol { .. } => 1,
        Error::Security { .. } => 2,
        Error::Js { .. } => 3,
        Error::ConnectFailed(_) => 4,
        Error::ConnectionLost(_) => 5,
        Error::NotOpen(_) => 6,
        Error::InvalidCloseCode(_) => 7,
        Error::ReasonTooLong { .. } => 8,
        Error::QueueFull { .. } => 9,
        Error::Decode { .. } => 10,
        Error::Encode { .. } => 11,
        Error::BlobRead { .. } => 12,
        Error::MessageTooBig { limit: Some(_), .. } => 13,
        Error::MessageTooBig { limit: None, .. } => 14,
        Error::Unsent { .. } => 15,
        Error::InvalidOption { .. } => 16,
    }
}

#[test]
fn every_variant_is_listed_once() {
    let listed: Vec<usize> = every_variant()
        .iter()
        .map(|(error, _)| variant_is_listed(error))
        .collect();
    assert_eq!(listed, (0..17).collect::<Vec<_>>());
}
