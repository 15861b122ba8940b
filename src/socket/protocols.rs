//! Subprotocol validation, as the WebSocket constructor does it.

use crate::Error;

/// Distinct non-empty RFC 7230 tokens, as the constructor checks, so that its `SyntaxError`
/// can only mean the URL.
pub(crate) fn validate_protocols(protocols: &[&str]) -> Result<(), Error> {
    for (index, protocol) in protocols.iter().enumerate() {
        let invalid = |reason| Error::InvalidProtocol {
            protocol: (*protocol).to_owned(),
            reason,
        };
        if protocol.is_empty() {
            return Err(invalid("a subprotocol cannot be empty"));
        }
        if !protocol.bytes().all(is_token_byte) {
            return Err(invalid(
                "a subprotocol must be an RFC 7230 token (ASCII letters, digits and !#$%&'*+-.^_`|~)",
            ));
        }
        if protocols[..index].contains(protocol) {
            return Err(invalid("a subprotocol cannot be listed twice"));
        }
    }
    Ok(())
}

/// RFC 7230 `tchar`.
fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

#[cfg(test)]
mod tests {
    use super::validate_protocols;
    use crate::Error;

    #[test]
    fn tokens_pass_and_everything_else_is_refused() {
        assert!(validate_protocols(&[]).is_ok());
        assert!(validate_protocols(&["chat", "v2.json", "a!#$%&'*+-.^_`|~z"]).is_ok());
        for bad in [
            &[""][..],
            &["a b"],
            &["a,b"],
            &["é"],
            &["x(y)"],
            &["a\""],
            &["tab\t"],
        ] {
            assert!(
                matches!(validate_protocols(bad), Err(Error::InvalidProtocol { .. })),
                "{bad:?}"
            );
        }
        assert!(matches!(
            validate_protocols(&["chat", "chat"]),
            Err(Error::InvalidProtocol { protocol, .. }) if protocol == "chat"
        ));
        // Protocol names are case-sensitive, as in the browser.
        assert!(validate_protocols(&["chat", "Chat"]).is_ok());
    }
}

/// Property tests of `validate_protocols` (crate-private, so here rather than in tests/).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod proptests {
    use proptest::prelude::*;

    use super::validate_protocols;
    use crate::Error;

    const TCHARS: &str = "!#$%&'*+-.^_`|~";

    /// The first offending subprotocol by the rule, written out independently.
    fn first_invalid(protocols: &[String]) -> Option<&String> {
        protocols.iter().enumerate().find_map(|(index, protocol)| {
            let token = !protocol.is_empty()
                && protocol
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || TCHARS.contains(c));
            let repeated = protocols[..index].contains(protocol);
            (!token || repeated).then_some(protocol)
        })
    }

    /// Mostly tokens from a small alphabet (so duplicates happen), some with any character.
    fn protocol() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => "[a-c]{1,2}",
            2 => "[a-zA-Z0-9!#$%&'*+.^_`|~-]{1,12}",
            1 => any::<String>(),
            1 => "[a-z]{0,3}[ ,;\"()/:=?@\\[\\]{}\t\u{80}-\u{10FFFF}][a-z]{0,3}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        /// Ok exactly when every subprotocol is a non-empty token listed once; otherwise the
        /// error names the first offender.
        #[test]
        fn only_distinct_tokens_pass(protocols in prop::collection::vec(protocol(), 0..6)) {
            let refs: Vec<&str> = protocols.iter().map(String::as_str).collect();
            match (validate_protocols(&refs), first_invalid(&protocols)) {
                (Ok(()), None) => {}
                (Err(Error::InvalidProtocol { protocol, .. }), Some(offender)) => {
                    prop_assert_eq!(&protocol, offender);
                }
                (result, offender) => {
                    return Err(TestCaseError::fail(format!("{protocols:?}: {result:?}, expected offender {offender:?}")));
                }
            }
        }
    }
}
