//! Close codes, close validation and the close result.
//!
//! The WHATWG `close(code, reason)` rules (1000 or 3000-4999, a reason of at most 123 UTF-8
//! bytes), checked here so an invalid close never reaches the browser nor closes the socket.

use core::fmt;

use crate::error::display::{write_decimal, write_pieces, TextOut};

/// The most UTF-8 bytes a close reason may have (125-byte control frame minus the 2-byte code).
pub const MAX_REASON_BYTES: usize = 123;

/// A WebSocket close status code ([RFC 6455 §7.4], [MDN `CloseEvent.code`]).
///
/// A thin newtype over `u16` so any code received from a server can be represented, with
/// named constants for the codes the RFC and IANA define.
///
/// ```
/// use browser_ws::CloseCode;
///
/// assert_eq!(u16::from(CloseCode::NORMAL), 1000);
/// assert!(CloseCode::from(4001).is_sendable());
/// assert!(!CloseCode::GOING_AWAY.is_sendable()); // browsers reserve 1001 for themselves
/// ```
///
/// [RFC 6455 §7.4]: https://www.rfc-editor.org/rfc/rfc6455#section-7.4
/// [MDN `CloseEvent.code`]: https://developer.mozilla.org/en-US/docs/Web/API/CloseEvent/code
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CloseCode(pub u16);

/// Where a close code sits in the code space of RFC 6455 §7.4.2.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CloseCodeKind {
    /// 0-999: never used.
    Unused,
    /// 1000: normal closure, the one protocol code a script may send.
    Normal,
    /// 1001-2999 except 1000: protocol and extension codes; a script may receive but not send them.
    Protocol,
    /// 3000-3999: registered with IANA for libraries and frameworks; sendable.
    Registered,
    /// 4000-4999: private use by applications; sendable.
    Private,
    /// 5000-65535: outside the RFC's ranges.
    OutOfRange,
}

impl CloseCode {
    /// 1000: the purpose of the connection was fulfilled.
    pub const NORMAL: CloseCode = CloseCode(1000);
    /// 1001: an endpoint is going away (page navigation, server shutdown).
    pub const GOING_AWAY: CloseCode = CloseCode(1001);
    /// 1002: protocol error.
    pub const PROTOCOL_ERROR: CloseCode = CloseCode(1002);
    /// 1003: a data type the endpoint cannot accept.
    pub const UNSUPPORTED_DATA: CloseCode = CloseCode(1003);
    /// 1004: reserved.
    pub const RESERVED: CloseCode = CloseCode(1004);
    /// 1005: no status code was present (never sent on the wire).
    pub const NO_STATUS_RECEIVED: CloseCode = CloseCode(1005);
    /// 1006: the connection closed without a close frame (never sent on the wire).
    pub const ABNORMAL: CloseCode = CloseCode(1006);
    /// 1007: message data inconsistent with its type (for example invalid UTF-8 text).
    pub const INVALID_PAYLOAD: CloseCode = CloseCode(1007);
    /// 1008: a message violated the endpoint's policy.
    pub const POLICY_VIOLATION: CloseCode = CloseCode(1008);
    /// 1009: a message was too big to process.
    pub const MESSAGE_TOO_BIG: CloseCode = CloseCode(1009);
    /// 1010: the client expected an extension the server did not negotiate.
    pub const MANDATORY_EXTENSION: CloseCode = CloseCode(1010);
    /// 1011: the server met an unexpected condition.
    pub const INTERNAL_ERROR: CloseCode = CloseCode(1011);
    /// 1012: the service is restarting.
    pub const SERVICE_RESTART: CloseCode = CloseCode(1012);
    /// 1013: try again later (temporary overload).
    pub const TRY_AGAIN_LATER: CloseCode = CloseCode(1013);
    /// 1014: a gateway or proxy got an invalid response upstream.
    pub const BAD_GATEWAY: CloseCode = CloseCode(1014);
    /// 1015: the TLS handshake failed (never sent on the wire).
    pub const TLS_HANDSHAKE: CloseCode = CloseCode(1015);
    /// 4009: what browser-ws closes with when a received message is larger than the
    /// socket's [`max_message_size`](crate::WebSocketHandle::max_message_size). It stands for
    /// 1009 (message too big), which browsers may not send.
    pub const RECEIVE_LIMIT: CloseCode = CloseCode(4009);

    /// Where this code sits in the RFC's code space.
    #[must_use]
    pub const fn kind(self) -> CloseCodeKind {
        match self.0 {
            0..=999 => CloseCodeKind::Unused,
            1000 => CloseCodeKind::Normal,
            1001..=2999 => CloseCodeKind::Protocol,
            3000..=3999 => CloseCodeKind::Registered,
            4000..=4999 => CloseCodeKind::Private,
            5000..=u16::MAX => CloseCodeKind::OutOfRange,
        }
    }

    /// Whether a browser script may send this code: 1000 or 3000-4999
    /// ([WHATWG `close()` steps](https://websockets.spec.whatwg.org/#dom-websocket-close)).
    #[must_use]
    pub const fn is_sendable(self) -> bool {
        matches!(
            self.kind(),
            CloseCodeKind::Normal | CloseCodeKind::Registered | CloseCodeKind::Private
        )
    }
}

impl From<u16> for CloseCode {
    fn from(code: u16) -> Self {
        CloseCode(code)
    }
}

impl From<CloseCode> for u16 {
    fn from(code: CloseCode) -> Self {
        code.0
    }
}

impl fmt::Debug for CloseCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CloseCode({})", self.0)
    }
}

impl fmt::Display for CloseCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// How a connection ended: the browser's [`CloseEvent`], in one shape for every ending
/// (local close, server close, drop, failed handshake, lost connection).
///
/// ```
/// use browser_ws::{CloseCode, CloseEvent};
///
/// let ended = CloseEvent { code: CloseCode::ABNORMAL, reason: String::new(), was_clean: false };
/// assert!(!ended.was_clean);
/// ```
///
/// [`CloseEvent`]: https://developer.mozilla.org/en-US/docs/Web/API/CloseEvent
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CloseEvent {
    /// The close code the closing handshake carried; 1005 when the peer sent none, 1006 when
    /// the connection ended without a closing handshake.
    pub code: CloseCode,
    /// The close reason the peer sent (may be empty).
    pub reason: String,
    /// Whether the closing handshake completed ([MDN `CloseEvent.wasClean`](https://developer.mozilla.org/en-US/docs/Web/API/CloseEvent/wasClean)).
    pub was_clean: bool,
}

impl CloseEvent {
    /// The event's text, for `Display` and the error texts (see [`crate::error::display`]).
    pub(crate) fn describe(&self, out: &mut impl TextOut) -> fmt::Result {
        out.put(if self.was_clean { "clean" } else { "unclean" })?;
        out.put(" close with code ")?;
        write_decimal(out, self.code.0.into())?;
        if self.reason.is_empty() {
            return Ok(());
        }
        write_pieces(out, &[" (\"", &self.reason, "\")"])
    }
}

impl fmt::Display for CloseEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.describe(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_constants_have_their_rfc_values() {
        let named = [
            CloseCode::NORMAL,
            CloseCode::GOING_AWAY,
            CloseCode::PROTOCOL_ERROR,
            CloseCode::UNSUPPORTED_DATA,
            CloseCode::RESERVED,
            CloseCode::NO_STATUS_RECEIVED,
            CloseCode::ABNORMAL,
            CloseCode::INVALID_PAYLOAD,
            CloseCode::POLICY_VIOLATION,
            CloseCode::MESSAGE_TOO_BIG,
            CloseCode::MANDATORY_EXTENSION,
            CloseCode::INTERNAL_ERROR,
            CloseCode::SERVICE_RESTART,
            CloseCode::TRY_AGAIN_LATER,
            CloseCode::BAD_GATEWAY,
            CloseCode::TLS_HANDSHAKE,
        ];
        for (offset, code) in named.iter().enumerate() {
            assert_eq!(u16::from(*code), 1000 + offset as u16);
        }
        assert_eq!(CloseCode::from(4321), CloseCode(4321));
    }

    #[test]
    fn close_event_display_mentions_code_and_reason() {
        let ev = CloseEvent {
            code: CloseCode(4001),
            reason: "bye".into(),
            was_clean: true,
        };
        assert_eq!(ev.to_string(), "clean close with code 4001 (\"bye\")");
    }
}
