//! The message type.

use core::fmt;

/// The default receive limit of every socket, in bytes: 64 MiB, as tungstenite's
/// `max_message_size`. A larger message is refused before it is copied; see
/// [`WebSocketHandle::set_max_message_size`](crate::WebSocketHandle::set_max_message_size).
pub const DEFAULT_MAX_MESSAGE_SIZE: usize = 64 << 20;

/// One WebSocket message: text or binary.
///
/// ```
/// use browser_ws::Message;
///
/// let text = Message::from("hello");
/// assert_eq!(text.as_text(), Some("hello"));
/// let binary = Message::from(vec![1, 2, 3]);
/// assert_eq!(binary.as_binary(), Some(&[1u8, 2, 3][..]));
/// assert_eq!(binary.len(), 3);
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum Message {
    /// A text message (UTF-8; the browser guarantees valid text).
    Text(String),
    /// A binary message.
    Binary(Vec<u8>),
}

impl Message {
    /// The text, if this is a text message.
    #[must_use]
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Message::Text(text) => Some(text),
            Message::Binary(_) => None,
        }
    }

    /// The bytes, if this is a binary message.
    #[must_use]
    pub fn as_binary(&self) -> Option<&[u8]> {
        match self {
            Message::Binary(bytes) => Some(bytes),
            Message::Text(_) => None,
        }
    }

    /// The text, if this is a text message; otherwise the message back.
    ///
    /// # Errors
    /// Returns the message unchanged when it is binary.
    pub fn into_text(self) -> Result<String, Message> {
        match self {
            Message::Text(text) => Ok(text),
            other => Err(other),
        }
    }

    /// The bytes, if this is a binary message; otherwise the message back.
    ///
    /// # Errors
    /// Returns the message unchanged when it is text.
    pub fn into_binary(self) -> Result<Vec<u8>, Message> {
        match self {
            Message::Binary(bytes) => Ok(bytes),
            other => Err(other),
        }
    }

    /// The payload as bytes, whatever the kind (text as its UTF-8 bytes).
    #[must_use]
    pub fn into_bytes(self) -> Vec<u8> {
        match self {
            Message::Text(text) => text.into_bytes(),
            Message::Binary(bytes) => bytes,
        }
    }

    /// Payload length in bytes (UTF-8 bytes for text).
    #[must_use]
    pub fn len(&self) -> usize {
        match self {
            Message::Text(text) => text.len(),
            Message::Binary(bytes) => bytes.len(),
        }
    }

    /// Whether the payload is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether this is a text message.
    #[must_use]
    pub fn is_text(&self) -> bool {
        matches!(self, Message::Text(_))
    }

    /// Whether this is a binary message.
    #[must_use]
    pub fn is_binary(&self) -> bool {
        matches!(self, Message::Binary(_))
    }
}

impl From<&str> for Message {
    fn from(text: &str) -> Self {
        Message::Text(text.to_owned())
    }
}

impl From<String> for Message {
    fn from(text: String) -> Self {
        Message::Text(text)
    }
}

impl From<Vec<u8>> for Message {
    fn from(bytes: Vec<u8>) -> Self {
        Message::Binary(bytes)
    }
}

impl From<&[u8]> for Message {
    fn from(bytes: &[u8]) -> Self {
        Message::Binary(bytes.to_vec())
    }
}

impl<const N: usize> From<[u8; N]> for Message {
    fn from(bytes: [u8; N]) -> Self {
        Message::Binary(bytes.to_vec())
    }
}

/// Long payloads are abbreviated so logging a 16 MiB message stays cheap.
impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 64;
        match self {
            Message::Text(text) if text.len() <= SHOWN => {
                f.debug_tuple("Text").field(text).finish()
            }
            Message::Text(text) => write!(f, "Text(<{} bytes>)", text.len()),
            Message::Binary(bytes) if bytes.len() <= SHOWN => {
                f.debug_tuple("Binary").field(bytes).finish()
            }
            Message::Binary(bytes) => write!(f, "Binary(<{} bytes>)", bytes.len()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_and_accessors() {
        assert_eq!(Message::from("a"), Message::Text("a".into()));
        assert_eq!(Message::from(String::from("b")), Message::Text("b".into()));
        assert_eq!(Message::from(vec![1u8]), Message::Binary(vec![1]));
        assert_eq!(Message::from(&[2u8][..]), Message::Binary(vec![2]));
        assert_eq!(Message::from([3u8, 4]), Message::Binary(vec![3, 4]));
        assert_eq!(Message::from("é").len(), 2);
        assert!(Message::from("").is_empty());
        assert_eq!(Message::from("x").into_binary(), Err(Message::from("x")));
        assert_eq!(
            Message::from(vec![9u8]).into_text(),
            Err(Message::from(vec![9u8]))
        );
        assert_eq!(Message::from("hi").into_bytes(), b"hi".to_vec());
        assert!(Message::from("t").is_text() && Message::from(vec![0u8]).is_binary());
    }

    #[test]
    fn debug_abbreviates_large_payloads() {
        let big = Message::from(vec![0u8; 1000]);
        assert_eq!(format!("{big:?}"), "Binary(<1000 bytes>)");
        assert_eq!(format!("{:?}", Message::from("hi")), "Text(\"hi\")");
    }
}
