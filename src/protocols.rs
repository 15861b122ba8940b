//! Subprotocol validation, as the WebSocket constructor does it.

use crate::Error;

/// Checks subprotocols the way `new WebSocket(url, protocols)` does: each must be a non-empty
/// RFC 7230 token, and none may be listed twice. Checking here lets a `SyntaxError` from the
/// constructor mean the URL and nothing else.
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
