//! Typed messages (feature `serde`): JSON text frames in and out of Rust types.
//!
//! [`Message::json`] and [`Message::parse_json`] convert one message; [`Json`] makes a socket (a
//! [`WebSocket`], its halves, a [`ReconnectingWebSocket`]) a `Stream` and `Sink` of values. A
//! message that does not decode is an [`Error::Decode`] item; the connection goes on.

use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::{FusedStream, Stream};
use futures_sink::Sink;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::{Delivery, Error, Message, ReconnectingHandle, ReconnectingWebSocket};
use crate::{WebSocket, WebSocketHandle, WebSocketSender};

impl Message {
    /// `value` as JSON, in a text message.
    ///
    /// ```
    /// # #[derive(serde::Serialize)] struct Chat { text: String }
    /// let message = browser_ws::Message::json(&Chat { text: "hi".into() })?;
    /// assert_eq!(message.as_text(), Some(r#"{"text":"hi"}"#));
    /// # Ok::<(), browser_ws::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Encode`] if `value` cannot be represented in JSON (a map with non-string
    /// keys, a failing `Serialize` implementation).
    pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<Message, Error> {
        serde_json::to_string(value)
            .map(Message::Text)
            .map_err(|error| Error::Encode {
                reason: error.to_string(),
            })
    }

    /// The JSON value this message holds (text, or binary holding UTF-8 JSON).
    ///
    /// ```
    /// # #[derive(serde::Deserialize, Debug, PartialEq)] struct Chat { text: String }
    /// let message = browser_ws::Message::from(r#"{"text":"hi"}"#);
    /// assert_eq!(message.parse_json::<Chat>()?, Chat { text: "hi".into() });
    /// assert!(browser_ws::Message::from("nope").parse_json::<Chat>().is_err());
    /// # Ok::<(), browser_ws::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Decode`] with serde's reason and the start of the message.
    pub fn parse_json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        let parsed = match self {
            Message::Text(text) => serde_json::from_str(text),
            Message::Binary(bytes) => serde_json::from_slice(bytes),
        };
        parsed.map_err(|error| Error::Decode {
            reason: error.to_string(),
            excerpt: excerpt(self),
        })
    }
}

/// The first 64 characters of a message, for decode errors.
fn excerpt(message: &Message) -> String {
    const LIMIT: usize = 64;
    let text = match message {
        Message::Text(text) => text.clone(),
        Message::Binary(bytes) => String::from_utf8_lossy(bytes).into_owned(),
    };
    match text.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// Anything that can send a [`Message`] at once: the sockets, their halves and handles.
/// Sealed: implemented by this crate only.
pub trait SendMessage: sealed::Sealed {
    /// What a successful send reports (`()`, or a [`Delivery`] for reconnecting connections).
    type Sent;

    /// Sends `message` now (or queues it, for a reconnecting connection).
    ///
    /// # Errors
    /// As the underlying `send`.
    fn send_message(&self, message: Message) -> Result<Self::Sent, Error>;
}

mod sealed {
    pub trait Sealed {}
}

macro_rules! send_message {
    ($type:ty, $sent:ty) => {
        impl sealed::Sealed for $type {}
        impl SendMessage for $type {
            type Sent = $sent;
            fn send_message(&self, message: Message) -> Result<$sent, Error> {
                self.send(message)
            }
        }
    };
}

send_message!(WebSocket, ());
send_message!(WebSocketHandle, ());
send_message!(WebSocketSender, ());
send_message!(ReconnectingWebSocket, Delivery);
send_message!(ReconnectingHandle, Delivery);

/// A socket speaking JSON: a `Stream` of `Result<In, Error>` (a message that does not decode
/// is one [`Error::Decode`] item; the stream and the connection go on), a `Sink<Out>`, an
/// immediate [`send`](Self::send), and through `Deref` the socket itself.
///
/// ```no_run
/// use browser_ws::{Json, WebSocket};
/// use futures::StreamExt;
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Serialize)]
/// struct Subscribe<'a> { topic: &'a str }
/// #[derive(Deserialize, Debug)]
/// struct Tick { price: f64 }
///
/// # async fn demo() -> Result<(), browser_ws::Error> {
/// let mut feed: Json<_, Tick, Subscribe> = Json::new(WebSocket::connect("/prices").await?);
/// feed.send(&Subscribe { topic: "EURUSD" })?;
/// while let Some(tick) = feed.next().await {
///     match tick {
///         Ok(tick) => println!("{tick:?}"),
///         Err(browser_ws::Error::Decode { reason, .. }) => eprintln!("skipped: {reason}"),
///         Err(other) => return Err(other),
///     }
/// }
/// # Ok(()) }
/// ```
pub struct Json<S, In, Out> {
    socket: S,
    _types: PhantomData<fn(Out) -> In>,
}

impl<S: std::fmt::Debug, In, Out> std::fmt::Debug for Json<S, In, Out> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Json").field(&self.socket).finish()
    }
}

impl<S, In, Out> Json<S, In, Out> {
    /// Wraps `socket`.
    #[must_use]
    pub fn new(socket: S) -> Self {
        Json {
            socket,
            _types: PhantomData,
        }
    }

    /// The socket back.
    #[must_use]
    pub fn into_inner(self) -> S {
        self.socket
    }
}

impl<S: SendMessage, In, Out: Serialize> Json<S, In, Out> {
    /// Encodes `value` as a JSON text message and sends it at once (or queues it, for a
    /// reconnecting connection).
    ///
    /// # Errors
    /// [`Error::Encode`], or as the socket's own `send`.
    pub fn send(&self, value: &Out) -> Result<S::Sent, Error> {
        self.socket.send_message(Message::json(value)?)
    }
}

impl<S, In, Out> Deref for Json<S, In, Out> {
    type Target = S;

    fn deref(&self) -> &S {
        &self.socket
    }
}

impl<S, In, Out> DerefMut for Json<S, In, Out> {
    fn deref_mut(&mut self) -> &mut S {
        &mut self.socket
    }
}

impl<S, In, Out> Stream for Json<S, In, Out>
where
    S: Stream<Item = Result<Message, Error>> + Unpin,
    In: DeserializeOwned,
{
    type Item = Result<In, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Pin::new(&mut self.socket)
            .poll_next(cx)
            .map(|item| item.map(|message| message.and_then(|message| message.parse_json())))
    }
}

impl<S, In, Out> FusedStream for Json<S, In, Out>
where
    S: FusedStream<Item = Result<Message, Error>> + Unpin,
    In: DeserializeOwned,
{
    fn is_terminated(&self) -> bool {
        self.socket.is_terminated()
    }
}

impl<S, In, Out> Sink<Out> for Json<S, In, Out>
where
    S: Sink<Message, Error = Error> + Unpin,
    Out: Serialize,
{
    type Error = Error;

    fn poll_ready(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        Pin::new(&mut self.socket).poll_ready(cx)
    }

    fn start_send(mut self: Pin<&mut Self>, item: Out) -> Result<(), Error> {
        let message = Message::json(&item)?;
        Pin::new(&mut self.socket).start_send(message)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        Pin::new(&mut self.socket).poll_flush(cx)
    }

    fn poll_close(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        Pin::new(&mut self.socket).poll_close(cx)
    }
}

#[cfg(test)]
mod tests {
    use crate::{Error, Message};
    use serde::{Deserialize, Serialize};
    use std::collections::HashMap;

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Chat {
        user: String,
        text: String,
    }

    #[test]
    fn round_trips_text_and_reads_binary_json() {
        let chat = Chat {
            user: "ana".into(),
            text: "olá".into(),
        };
        let message = Message::json(&chat).map_err(|e| e.to_string());
        assert_eq!(
            message.clone().map(|m| m.parse_json::<Chat>().ok()),
            Ok(Some(Chat {
                user: "ana".into(),
                text: "olá".into()
            }))
        );
        let binary = Message::from(br#"{"user":"b","text":"t"}"#.to_vec());
        assert_eq!(
            binary.parse_json::<Chat>(),
            Ok(Chat {
                user: "b".into(),
                text: "t".into()
            })
        );
    }

    #[test]
    fn decode_errors_carry_the_reason_and_a_short_excerpt() {
        let long = format!("{{\"user\": 1, \"pad\": \"{}\"}}", "é".repeat(100));
        let decoded = Message::from(long.as_str()).parse_json::<Chat>();
        assert!(
            matches!(decoded, Err(Error::Decode { .. })),
            "expected Decode, got {decoded:?}"
        );
        if let Err(Error::Decode { reason, excerpt }) = decoded {
            assert!(reason.contains("invalid type"), "{reason}");
            assert_eq!(excerpt.chars().count(), 65, "64 characters and an ellipsis");
            assert!(excerpt.ends_with('…'));
        }
        assert!(matches!(
            Message::from(vec![0xff, 0xfe]).parse_json::<Chat>(),
            Err(Error::Decode { .. })
        ));
    }

    #[test]
    fn unrepresentable_values_are_encode_errors() {
        let mut map = HashMap::new();
        map.insert(vec![1u8], 2u8);
        assert!(matches!(Message::json(&map), Err(Error::Encode { .. })));
    }
}
