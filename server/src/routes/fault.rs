//! The fault listener (`--fault-port-file`): a second loopback port serving the same routes,
//! which `/restart` on the main listener takes down and brings back on the same port, so the
//! browser tests can watch connections die (1006) and reconnect. Also `/hang`, a handshake that
//! never completes.
//!
//! Every connection accepted on the fault port is tracked through a duplicate of its socket, so
//! a restart can shut them all down at once (no close frame: the client sees 1006) whatever
//! task owns them, including WebSockets already handed to their route.

use std::collections::HashMap;
use std::io;
use std::net::{Ipv4Addr, Shutdown, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use super::{close_and_drain, upgrade};

/// How long a restart keeps trying to bind the port again.
const REBIND_FOR: Duration = Duration::from_secs(5);

/// The fault listener: its port, what it serves, and the connections it accepted.
#[derive(Clone)]
pub struct Fault {
    inner: Arc<Inner>,
}

struct Inner {
    port: u16,
    /// The router, set once by [`Fault::serve`].
    app: OnceLock<Router>,
    /// Held for the whole of a restart, which serializes them.
    serving: tokio::sync::Mutex<Serving>,
    connections: Arc<Connections>,
}

/// Either a bound listener not yet served, a task serving it, or neither (down).
#[derive(Default)]
struct Serving {
    bound: Option<TcpListener>,
    task: Option<JoinHandle<()>>,
}

impl Fault {
    /// Binds a free loopback port; nothing is accepted until [`Fault::serve`].
    pub async fn bind() -> io::Result<Fault> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let port = listener.local_addr()?.port();
        Ok(Fault {
            inner: Arc::new(Inner {
                port,
                app: OnceLock::new(),
                serving: tokio::sync::Mutex::new(Serving {
                    bound: Some(listener),
                    task: None,
                }),
                connections: Arc::default(),
            }),
        })
    }

    pub fn port(&self) -> u16 {
        self.inner.port
    }

    /// Starts serving `app` on the bound port.
    pub async fn serve(&self, app: Router) {
        let _ = self.inner.app.set(app);
        let mut serving = self.inner.serving.lock().await;
        if let Some(listener) = serving.bound.take() {
            self.start(&mut serving, listener);
        }
    }

    fn start(&self, serving: &mut Serving, listener: TcpListener) {
        let Some(app) = self.inner.app.get().cloned() else {
            serving.bound = Some(listener);
            return;
        };
        let listener = FaultListener {
            listener,
            connections: self.inner.connections.clone(),
        };
        serving.task = Some(tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, app).await {
                eprintln!("browser-ws-server: fault listener: {error}");
            }
        }));
    }

    /// Binds the port again, retrying for a while (a closing socket may still hold it).
    async fn rebind(&self) -> io::Result<TcpListener> {
        let deadline = tokio::time::Instant::now() + REBIND_FOR;
        loop {
            match TcpListener::bind((Ipv4Addr::LOCALHOST, self.inner.port)).await {
                Ok(listener) => return Ok(listener),
                Err(error) if tokio::time::Instant::now() >= deadline => return Err(error),
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }
}

/// Stops listening (the port refuses connections), then aborts every connection accepted on it.
async fn take_down(serving: &mut Serving, connections: &Connections) {
    serving.bound = None;
    if let Some(task) = serving.task.take() {
        task.abort();
        // Awaiting the aborted task guarantees its listener has been dropped.
        let _ = task.await;
    }
    connections.abort_all();
}

/// The duplicates of the sockets the fault listener accepted, by connection number.
#[derive(Default)]
struct Connections {
    open: Mutex<(u64, HashMap<u64, std::net::TcpStream>)>,
}

impl Connections {
    /// Wraps an accepted stream so that [`Connections::abort_all`] can end it.
    fn track(self: &Arc<Self>, stream: TcpStream) -> io::Result<FaultStream> {
        let stream = stream.into_std()?;
        let duplicate = stream.try_clone()?;
        let stream = TcpStream::from_std(stream)?;
        let mut open = self.open.lock().map_err(|_| io::Error::other("poisoned"))?;
        open.0 += 1;
        let id = open.0;
        open.1.insert(id, duplicate);
        Ok(FaultStream {
            stream,
            _entry: Entry {
                id,
                connections: self.clone(),
            },
        })
    }

    /// Shuts every tracked connection down: the peer sees the TCP connection end without a
    /// WebSocket close frame, and the task that owns it reads end-of-file and finishes.
    fn abort_all(&self) {
        let open = match self.open.lock() {
            Ok(mut open) => std::mem::take(&mut open.1),
            Err(_) => return,
        };
        for stream in open.into_values() {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}

/// Removes its connection's duplicate when the connection ends, so the socket closes with it.
struct Entry {
    id: u64,
    connections: Arc<Connections>,
}

impl Drop for Entry {
    fn drop(&mut self) {
        if let Ok(mut open) = self.connections.open.lock() {
            open.1.remove(&self.id);
        }
    }
}

/// A connection accepted on the fault port.
struct FaultStream {
    stream: TcpStream,
    _entry: Entry,
}

impl AsyncRead for FaultStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for FaultStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

/// The fault port's listener for `axum::serve`: tracks what it accepts.
struct FaultListener {
    listener: TcpListener,
    connections: Arc<Connections>,
}

impl axum::serve::Listener for FaultListener {
    type Io = FaultStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (FaultStream, SocketAddr) {
        loop {
            match self.listener.accept().await {
                Ok((stream, address)) => match self.connections.track(stream) {
                    Ok(stream) => return (stream, address),
                    Err(error) => eprintln!("browser-ws-server: fault listener: {error}"),
                },
                Err(error) => {
                    eprintln!("browser-ws-server: fault listener: {error}");
                    // Likely out of file descriptors: give the others time to close.
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }
}

/// `/restart` (needs the fault listener) and `/hang`.
pub fn routes(fault: Option<Fault>) -> Router {
    Router::new()
        .route("/restart", get(restart))
        .route("/hang", get(hang))
        .with_state(fault)
}

#[derive(Deserialize)]
struct RestartQuery {
    down_ms: Option<u64>,
}

async fn restart(
    ws: WebSocketUpgrade,
    State(fault): State<Option<Fault>>,
    Query(query): Query<RestartQuery>,
) -> Response {
    let down = Duration::from_millis(query.down_ms.unwrap_or(300).min(60_000));
    upgrade(ws).on_upgrade(move |socket| restart_with(fault, down, socket))
}

/// Takes the fault listener down for `down`, reporting `down` then `up` (or `error: ...`) to
/// the control socket. Runs to the end even if the control socket goes away.
async fn restart_with(fault: Option<Fault>, down: Duration, mut control: WebSocket) {
    let Some(fault) = fault else {
        let text = "error: no fault listener (start the server with --fault-port-file)";
        let _ = control.send(Message::Text(text.into())).await;
        close_and_drain(&mut control, 1011, String::new()).await;
        return;
    };
    let mut serving = fault.inner.serving.lock().await;
    take_down(&mut serving, &fault.inner.connections).await;
    let _ = control.send(Message::Text("down".into())).await;
    tokio::time::sleep(down).await;
    match fault.rebind().await {
        Ok(listener) => {
            fault.start(&mut serving, listener);
            drop(serving);
            let _ = control.send(Message::Text("up".into())).await;
            close_and_drain(&mut control, 1000, String::new()).await;
        }
        Err(error) => {
            drop(serving);
            let text = format!(
                "error: cannot listen on port {} again: {error}",
                fault.port()
            );
            eprintln!("browser-ws-server: {text}");
            let _ = control.send(Message::Text(text.into())).await;
            close_and_drain(&mut control, 1011, String::new()).await;
        }
    }
}

/// Never answers the handshake. Holding nothing, it is dropped whenever hyper drops the
/// connection: when the client goes away, or when a restart shuts a fault connection down.
async fn hang() -> Response {
    std::future::pending().await
}
