//! The connection state and the binary type.

use core::fmt;

/// A socket's connection state, from [`WebSocket.readyState`](https://developer.mozilla.org/en-US/docs/Web/API/WebSocket/readyState).
///
/// ```
/// use browser_ws::State;
///
/// assert_eq!(State::from_ready_state(1), State::Open);
/// assert_eq!(State::from_ready_state(42), State::Closed); // unknown values never panic
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum State {
    /// `CONNECTING` (0): the opening handshake is under way.
    Connecting,
    /// `OPEN` (1): messages can be sent and received.
    Open,
    /// `CLOSING` (2): the closing handshake is under way.
    Closing,
    /// `CLOSED` (3): the connection has ended or could not be opened.
    Closed,
}

impl State {
    /// Maps a `readyState` number to a state. Values outside 0-3 (which no browser produces)
    /// map to [`State::Closed`], so there is no panic path.
    #[must_use]
    pub const fn from_ready_state(ready_state: u16) -> State {
        match ready_state {
            0 => State::Connecting,
            1 => State::Open,
            2 => State::Closing,
            _ => State::Closed,
        }
    }

    /// The `readyState` number of this state.
    #[must_use]
    pub const fn ready_state(self) -> u16 {
        match self {
            State::Connecting => 0,
            State::Open => 1,
            State::Closing => 2,
            State::Closed => 3,
        }
    }

    /// The spec's name for the state, as `Display` writes it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            State::Connecting => "CONNECTING",
            State::Open => "OPEN",
            State::Closing => "CLOSING",
            State::Closed => "CLOSED",
        }
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How the browser hands over binary messages ([`WebSocket.binaryType`](https://developer.mozilla.org/en-US/docs/Web/API/WebSocket/binaryType)).
///
/// Either way browser-ws delivers `Vec<u8>` in arrival order. browser-ws opens every socket
/// in `ArrayBuffer` mode (the browser's own default is `"blob"`), as gloo-net and
/// ws_stream_wasm do: it is faster, because no asynchronous Blob read is needed (about ×4
/// at 1 KiB in `docs/bench`), and an application that never chooses Blob mode does not link the
/// Blob reader. Switch with [`set_binary_type`](crate::WebSocketHandle::set_binary_type).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum BinaryType {
    /// `"blob"`, the browser's default: each binary message is read asynchronously, in order.
    Blob,
    /// `"arraybuffer"`, browser-ws's default: each binary message is copied once into wasm
    /// memory.
    #[default]
    ArrayBuffer,
}

impl BinaryType {
    pub(crate) fn to_web(self) -> web_sys::BinaryType {
        match self {
            BinaryType::Blob => web_sys::BinaryType::Blob,
            BinaryType::ArrayBuffer => web_sys::BinaryType::Arraybuffer,
        }
    }

    pub(crate) fn from_web(value: web_sys::BinaryType) -> BinaryType {
        match value {
            web_sys::BinaryType::Arraybuffer => BinaryType::ArrayBuffer,
            _ => BinaryType::Blob,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ready_state_round_trips_and_unknown_values_are_closed() {
        for state in [
            State::Connecting,
            State::Open,
            State::Closing,
            State::Closed,
        ] {
            assert_eq!(State::from_ready_state(state.ready_state()), state);
        }
        for raw in 4..=u16::MAX {
            assert_eq!(State::from_ready_state(raw), State::Closed);
        }
    }
}
