//! Native property tests of the crate's pure public logic: close validation over every code
//! and arbitrary Unicode reasons, `CloseCode` conversions and kinds, `CloseEvent` display, and
//! `Message` conversions. (The crate-private subprotocol checks have their own property tests
//! inside `src/protocols.rs`; the URL rules run in JS and are property-tested in the page by
//! `tests/js/url.test.mjs`.) Run with `cargo test --test fuzz_native`.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use browser_ws::{
    validate_close, CloseCode, CloseCodeKind, CloseEvent, Error, Message, MAX_REASON_BYTES,
};
use proptest::prelude::*;

/// Characters of every UTF-8 width, so reasons land on both sides of the 123-byte limit
/// in bytes while being far shorter in chars.
fn reason_char() -> impl Strategy<Value = char> {
    prop_oneof![
        Just('a'),
        Just(' '),
        Just('é'),  // 2 bytes
        Just('€'),  // 3 bytes
        Just('🦀'), // 4 bytes
        Just('\u{0}'),
        Just('\u{FFFD}'),
        any::<char>(),
    ]
}

/// Reasons from empty to well past the limit, most of them near it.
fn reason() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        prop::collection::vec(reason_char(), 0..140).prop_map(String::from_iter),
        (100usize..140).prop_map(|n| "x".repeat(n)),
    ]
}

/// Codes near every boundary of the code space, and any other.
fn code() -> impl Strategy<Value = u16> {
    prop_oneof![
        prop::sample::select(vec![
            0, 999, 1000, 1001, 1005, 1006, 1015, 2999, 3000, 3999, 4000, 4999, 5000, 65535,
        ]),
        2990u16..3010,
        4990u16..5010,
        any::<u16>(),
    ]
}

fn hash_of<T: Hash>(value: &T) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

fn expected_kind(code: u16) -> CloseCodeKind {
    match code {
        0..=999 => CloseCodeKind::Unused,
        1000 => CloseCodeKind::Normal,
        1001..=2999 => CloseCodeKind::Protocol,
        3000..=3999 => CloseCodeKind::Registered,
        4000..=4999 => CloseCodeKind::Private,
        _ => CloseCodeKind::OutOfRange,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Ok exactly for 1000 or 3000-4999 with at most 123 UTF-8 bytes; otherwise the code's
    /// error first, then the reason's, carrying the code and the byte count.
    #[test]
    fn validate_close_is_the_whatwg_rule(raw in code(), reason in reason()) {
        let result = validate_close(CloseCode(raw), &reason);
        let sendable = raw == 1000 || (3000..=4999).contains(&raw);
        let bytes = reason.len();
        let expected = if !sendable {
            Err(Error::InvalidCloseCode(CloseCode(raw)))
        } else if bytes > MAX_REASON_BYTES {
            Err(Error::ReasonTooLong { bytes })
        } else {
            Ok(())
        };
        prop_assert_eq!(&result, &expected, "code {} reason of {} bytes", raw, bytes);
        if let Err(error) = result {
            // Every error explains itself, with the offending number.
            let text = error.to_string();
            let number = if sendable { bytes.to_string() } else { raw.to_string() };
            prop_assert!(text.contains(&number), "{}", text);
        }
    }

    /// `From` both ways is the identity, and `kind`, `is_sendable`, `Display` and `Debug`
    /// agree with the RFC's ranges for any code.
    #[test]
    fn close_code_conversions_and_kinds(raw in code()) {
        let code = CloseCode::from(raw);
        prop_assert_eq!(code, CloseCode(raw));
        prop_assert_eq!(u16::from(code), raw);
        prop_assert_eq!(code.kind(), expected_kind(raw));
        prop_assert_eq!(
            code.is_sendable(),
            matches!(code.kind(), CloseCodeKind::Normal | CloseCodeKind::Registered | CloseCodeKind::Private)
        );
        prop_assert_eq!(code.is_sendable(), validate_close(code, "").is_ok());
        prop_assert_eq!(code.to_string(), raw.to_string());
        prop_assert_eq!(format!("{code:?}"), format!("CloseCode({raw})"));
    }

    /// Ordering, equality and hashing are those of the number.
    #[test]
    fn close_codes_compare_like_their_numbers(a in any::<u16>(), b in any::<u16>()) {
        prop_assert_eq!(CloseCode(a).cmp(&CloseCode(b)), a.cmp(&b));
        prop_assert_eq!(CloseCode(a) == CloseCode(b), a == b);
        if a == b {
            prop_assert_eq!(hash_of(&CloseCode(a)), hash_of(&CloseCode(b)));
        }
    }

    /// The display names the cleanliness, the code, and the reason when there is one.
    #[test]
    fn close_event_display(raw in any::<u16>(), reason in any::<String>(), was_clean in any::<bool>()) {
        let event = CloseEvent { code: CloseCode(raw), reason: reason.clone(), was_clean };
        let text = event.to_string();
        let clean = if was_clean { "clean" } else { "unclean" };
        let expected = if reason.is_empty() {
            format!("{clean} close with code {raw}")
        } else {
            format!("{clean} close with code {raw} (\"{reason}\")")
        };
        prop_assert_eq!(text, expected);
    }

    /// Text from `&str` or `String`: only the text accessors answer, and the payload survives
    /// every conversion.
    #[test]
    fn text_messages(text in any::<String>()) {
        let from_str = Message::from(text.as_str());
        let from_string = Message::from(text.clone());
        prop_assert_eq!(&from_str, &from_string);
        prop_assert_eq!(hash_of(&from_str), hash_of(&from_string));
        let message = from_str;
        prop_assert!(message.is_text() && !message.is_binary());
        prop_assert_eq!(message.as_text(), Some(text.as_str()));
        prop_assert_eq!(message.as_binary(), None);
        prop_assert_eq!(message.len(), text.len());
        prop_assert_eq!(message.is_empty(), text.is_empty());
        prop_assert_eq!(message.clone().into_text(), Ok(text.clone()));
        prop_assert_eq!(message.clone().into_binary(), Err(message.clone()));
        prop_assert_eq!(message.clone().into_bytes(), text.clone().into_bytes());
        let debug = format!("{message:?}");
        if text.len() <= 64 {
            prop_assert_eq!(debug, format!("Text({text:?})"));
        } else {
            prop_assert_eq!(debug, format!("Text(<{} bytes>)", text.len()));
        }
    }

    /// Bytes from `Vec<u8>`, `&[u8]` or an array: only the binary accessors answer, and the
    /// payload survives every conversion; text and binary with the same bytes differ.
    #[test]
    fn binary_messages(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let message = Message::from(bytes.clone());
        prop_assert_eq!(&Message::from(bytes.as_slice()), &message);
        prop_assert!(message.is_binary() && !message.is_text());
        prop_assert_eq!(message.as_binary(), Some(bytes.as_slice()));
        prop_assert_eq!(message.as_text(), None);
        prop_assert_eq!(message.len(), bytes.len());
        prop_assert_eq!(message.is_empty(), bytes.is_empty());
        prop_assert_eq!(message.clone().into_binary(), Ok(bytes.clone()));
        prop_assert_eq!(message.clone().into_text(), Err(message.clone()));
        prop_assert_eq!(message.clone().into_bytes(), bytes.clone());
        if let Ok(text) = String::from_utf8(bytes.clone()) {
            prop_assert_ne!(Message::from(text), message.clone());
        }
        let debug = format!("{message:?}");
        if bytes.len() <= 64 {
            prop_assert_eq!(debug, format!("Binary({bytes:?})"));
        } else {
            prop_assert_eq!(debug, format!("Binary(<{} bytes>)", bytes.len()));
        }
    }

    #[test]
    fn binary_messages_from_arrays(bytes in any::<[u8; 16]>()) {
        prop_assert_eq!(Message::from(bytes), Message::Binary(bytes.to_vec()));
    }
}

/// Every one of the 65,536 codes, not a sample: kinds cover the space with the RFC's counts.
#[test]
fn every_code_is_classified() {
    let mut sendable = 0;
    for raw in 0..=u16::MAX {
        let code = CloseCode(raw);
        assert_eq!(code.kind(), expected_kind(raw), "{raw}");
        assert_eq!(
            validate_close(code, "").is_ok(),
            code.is_sendable(),
            "{raw}"
        );
        sendable += usize::from(code.is_sendable());
    }
    assert_eq!(sendable, 1 + 2000);
}
