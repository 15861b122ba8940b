//! Native tests of the fault-injection routes: each test starts the server binary with a
//! fault listener on free ports and talks to it with tokio-tungstenite or raw TCP.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{Error, Message};
use tokio_tungstenite::{connect_async, MaybeTlsStream, WebSocketStream};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// The server binary on two free ports; killed when dropped.
struct Server {
    child: Child,
    dir: PathBuf,
    port: u16,
    fault_port: u16,
}

impl Server {
    fn start(name: &str) -> Server {
        let dir = std::env::temp_dir().join(format!(
            "browser-ws-server-test-{}-{name}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_browser-ws-server"))
            .arg("--port")
            .arg("0")
            .arg("--port-file")
            .arg(dir.join("port"))
            .arg("--fault-port-file")
            .arg(dir.join("fault-port"))
            .arg("--root")
            .arg(&dir)
            .stdout(Stdio::null())
            .spawn()
            .expect("start the server");
        let mut server = Server {
            child,
            dir,
            port: 0,
            fault_port: 0,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let read = |file: &str| std::fs::read_to_string(server.dir.join(file)).ok();
            if let (Some(port), Some(fault_port)) = (read("port"), read("fault-port")) {
                server.port = port.trim().parse().unwrap();
                server.fault_port = fault_port.trim().parse().unwrap();
                return server;
            }
            assert!(Instant::now() < deadline, "the server wrote no port files");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn main(&self, path: &str) -> String {
        format!("ws://127.0.0.1:{}{path}", self.port)
    }

    fn fault(&self, path: &str) -> String {
        format!("ws://127.0.0.1:{}{path}", self.fault_port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

async fn connect(url: &str) -> Socket {
    let (socket, _) = timeout(Duration::from_secs(5), connect_async(url))
        .await
        .unwrap_or_else(|_| panic!("connecting to {url} timed out"))
        .unwrap_or_else(|error| panic!("cannot connect to {url}: {error}"));
    socket
}

/// The next message, which must come within 5 s (pings and pongs skipped).
async fn next(socket: &mut Socket) -> Message {
    loop {
        match timeout(Duration::from_secs(5), socket.next()).await {
            Err(_) => panic!("no message within 5 s"),
            Ok(Some(Ok(Message::Ping(_) | Message::Pong(_)))) => {}
            Ok(Some(Ok(message))) => return message,
            Ok(other) => panic!("expected a message, got {other:?}"),
        }
    }
}

async fn next_text(socket: &mut Socket) -> String {
    match next(socket).await {
        Message::Text(text) => text.as_str().to_owned(),
        other => panic!("expected text, got {other:?}"),
    }
}

/// Expects a close frame with `code`, then the end of the connection.
async fn expect_close(socket: &mut Socket, code: u16) {
    match next(socket).await {
        Message::Close(Some(CloseFrame { code: got, .. })) => assert_eq!(u16::from(got), code),
        other => panic!("expected close {code}, got {other:?}"),
    }
    while let Ok(Some(Ok(_))) = timeout(Duration::from_secs(5), socket.next()).await {}
}

/// Expects the connection to end without a close frame (what a browser reports as 1006).
async fn expect_aborted(socket: &mut Socket) {
    loop {
        match timeout(Duration::from_secs(5), socket.next()).await {
            Err(_) => panic!("the connection was not aborted within 5 s"),
            Ok(Some(Ok(Message::Close(frame)))) => panic!("got a close frame {frame:?}"),
            Ok(Some(Ok(_))) => {}
            Ok(Some(Err(Error::Protocol(_) | Error::Io(_) | Error::ConnectionClosed)))
            | Ok(None) => return,
            Ok(Some(Err(error))) => panic!("unexpected error {error}"),
        }
    }
}

async fn echo_once(socket: &mut Socket, text: &str) {
    socket.send(Message::text(text)).await.unwrap();
    assert_eq!(next_text(socket).await, text);
}

/// One text reply from a report route (`/collected`, `/sunk`), which then closes 1000.
async fn report(url: &str) -> String {
    let mut socket = connect(url).await;
    let text = next_text(&mut socket).await;
    expect_close(&mut socket, 1000).await;
    text
}

#[tokio::test]
async fn restart_aborts_fault_connections_refuses_then_accepts_again() {
    let server = Server::start("restart");
    let mut on_fault = connect(&server.fault("/echo")).await;
    echo_once(&mut on_fault, "before").await;
    let mut on_main = connect(&server.main("/echo")).await;
    echo_once(&mut on_main, "main before").await;

    let mut control = connect(&server.main("/restart?down_ms=700")).await;
    assert_eq!(next_text(&mut control).await, "down");
    expect_aborted(&mut on_fault).await;
    let refused = TcpStream::connect(("127.0.0.1", server.fault_port)).await;
    match refused {
        Err(error) => assert_eq!(error.kind(), std::io::ErrorKind::ConnectionRefused),
        Ok(_) => panic!("the fault port accepted a connection while down"),
    }
    echo_once(&mut on_main, "main while down").await;

    assert_eq!(next_text(&mut control).await, "up");
    expect_close(&mut control, 1000).await;
    let mut again = connect(&server.fault("/echo")).await;
    echo_once(&mut again, "after").await;
    echo_once(&mut on_main, "main after").await;

    // A second restart aborts the connections accepted since the first.
    let mut control = connect(&server.main("/restart?down_ms=0")).await;
    assert_eq!(next_text(&mut control).await, "down");
    expect_aborted(&mut again).await;
    assert_eq!(next_text(&mut control).await, "up");
    expect_close(&mut control, 1000).await;
    echo_once(&mut on_main, "main at the end").await;
}

#[tokio::test]
async fn restart_without_a_fault_listener_reports_an_error() {
    // Started without --fault-port-file.
    let dir =
        std::env::temp_dir().join(format!("browser-ws-server-test-{}-nf", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_browser-ws-server"))
        .args(["--port", "0", "--port-file"])
        .arg(dir.join("port"))
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    let port = loop {
        if let Ok(port) = std::fs::read_to_string(dir.join("port")) {
            break port;
        }
        assert!(Instant::now() < deadline, "no port file");
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut control = connect(&format!("ws://127.0.0.1:{port}/restart")).await;
    let text = next_text(&mut control).await;
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(text.starts_with("error: "), "{text}");
}

#[tokio::test]
async fn collect_appends_across_connections_and_listeners() {
    let server = Server::start("collect");
    let mut first = connect(&server.main("/collect?id=c1")).await;
    first.send(Message::text("one")).await.unwrap();
    first
        .send(Message::binary(vec![0x00, 0xab, 0xff]))
        .await
        .unwrap();
    first.close(None).await.unwrap();
    while let Some(Ok(_)) = first.next().await {}

    let mut second = connect(&server.fault("/collect?id=c1")).await;
    second.send(Message::text("two words")).await.unwrap();
    // Another id is kept apart.
    let mut other = connect(&server.main("/collect?id=c2")).await;
    other.send(Message::text("elsewhere")).await.unwrap();

    let collected = report(&server.main("/collected?id=c1&wait_for=3")).await;
    assert_eq!(collected, "one\n0x00abff\ntwo words");
    assert_eq!(report(&server.main("/collected?id=none")).await, "");

    // The store survives a restart that aborts the fault connection.
    let mut control = connect(&server.main("/restart?down_ms=0")).await;
    assert_eq!(next_text(&mut control).await, "down");
    expect_aborted(&mut second).await;
    assert_eq!(next_text(&mut control).await, "up");
    let mut third = connect(&server.fault("/collect?id=c1")).await;
    third.send(Message::text("three")).await.unwrap();
    let collected = report(&server.fault("/collected?id=c1&wait_for=4")).await;
    assert_eq!(collected, "one\n0x00abff\ntwo words\nthree");
}

#[tokio::test]
async fn sink_counts_and_answers_stats() {
    let server = Server::start("sink");
    let mut sink = connect(&server.main("/sink?id=s1")).await;
    for _ in 0..3 {
        sink.send(Message::binary(vec![7u8; 1000])).await.unwrap();
    }
    sink.send(Message::text("hello")).await.unwrap();
    sink.send(Message::text("stats")).await.unwrap();
    assert_eq!(next_text(&mut sink).await, "3005 4");
    sink.send(Message::text("x")).await.unwrap();
    sink.close(None).await.unwrap();
    while let Some(Ok(_)) = sink.next().await {}
    assert_eq!(report(&server.main("/sunk?id=s1")).await, "3006 5");
}

#[tokio::test]
async fn sink_reads_at_the_given_rate() {
    let server = Server::start("throttle");
    let mut sink = connect(&server.fault("/sink?id=s2&bytes_per_sec=50000")).await;
    let start = Instant::now();
    for _ in 0..2 {
        sink.send(Message::binary(vec![1u8; 25_000])).await.unwrap();
    }
    sink.send(Message::text("stats")).await.unwrap();
    assert_eq!(next_text(&mut sink).await, "50000 2");
    let elapsed = start.elapsed();
    assert!(
        elapsed >= Duration::from_millis(900),
        "50 000 bytes at 50 000 bytes/s took only {elapsed:?}"
    );
    // Still open: /sunk says so after its 10 s wait, so close first.
    sink.close(None).await.unwrap();
    while let Some(Ok(_)) = sink.next().await {}
    assert_eq!(report(&server.main("/sunk?id=s2")).await, "50000 2");
}

#[tokio::test]
async fn room_broadcasts_to_every_member_in_one_order() {
    let server = Server::start("room");
    let mut alice = connect(&server.main("/room?name=r1")).await;
    let mut bob = connect(&server.fault("/room?name=r1")).await;
    let mut elsewhere = connect(&server.main("/room?name=r2")).await;
    // Members are joined once their handshake is answered: no warm-up needed.
    alice.send(Message::text("a1")).await.unwrap();
    bob.send(Message::binary(vec![0xb1])).await.unwrap();
    alice.send(Message::text("a2")).await.unwrap();
    let mut seen = Vec::new();
    for socket in [&mut alice, &mut bob] {
        let mut messages = Vec::new();
        for _ in 0..3 {
            messages.push(next(socket).await);
        }
        seen.push(messages);
    }
    assert_eq!(seen[0], seen[1], "members saw different orders");
    let position = |m: &Message| seen[0].iter().position(|x| x == m).unwrap();
    assert!(position(&Message::text("a1")) < position(&Message::text("a2")));
    assert!(seen[0].contains(&Message::binary(vec![0xb1])));

    // The other room got nothing; its own message reaches only itself.
    elsewhere.send(Message::text("r2")).await.unwrap();
    assert_eq!(next_text(&mut elsewhere).await, "r2");

    // A member that leaves no longer receives; the others still do.
    bob.close(None).await.unwrap();
    while let Some(Ok(_)) = bob.next().await {}
    alice.send(Message::text("alone")).await.unwrap();
    assert_eq!(next_text(&mut alice).await, "alone");
}

#[tokio::test]
async fn room_closes_a_member_that_falls_behind() {
    let server = Server::start("slow");
    let mut fast = connect(&server.main("/room?name=r3&queue=4")).await;
    let mut slow = connect(&server.main("/room?name=r3&queue=4")).await;
    // `slow` reads nothing until the end, so the server's writes to it back up.
    let big = vec![0u8; 1 << 20];
    let mut sent = 0;
    let mut received = 0;
    while sent < 64 {
        fast.send(Message::binary(big.clone())).await.unwrap();
        sent += 1;
        assert_eq!(next(&mut fast).await, Message::binary(big.clone()));
        received += 1;
    }
    assert_eq!(received, 64, "the fast member was held back");
    let mut code = None;
    loop {
        match timeout(Duration::from_secs(10), slow.next()).await {
            Err(_) => panic!("the slow member was not closed"),
            Ok(Some(Ok(Message::Close(frame)))) => {
                code = frame.map(|f| (u16::from(f.code), f.reason.as_str().to_owned()));
                break;
            }
            Ok(Some(Ok(_))) => {}
            Ok(_) => break,
        }
    }
    assert_eq!(code, Some((1008, "too slow".to_owned())));
}

#[tokio::test]
async fn hang_never_answers_the_handshake() {
    let server = Server::start("hang");
    let attempt = timeout(
        Duration::from_millis(500),
        connect_async(server.main("/hang")),
    )
    .await;
    assert!(attempt.is_err(), "/hang answered: {attempt:?}");

    // On the fault listener, a restart ends it.
    let mut raw = TcpStream::connect(("127.0.0.1", server.fault_port))
        .await
        .unwrap();
    raw.write_all(
        b"GET /hang HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\
          Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
    )
    .await
    .unwrap();
    let mut buffer = [0u8; 256];
    let early = timeout(Duration::from_millis(500), raw.read(&mut buffer)).await;
    assert!(early.is_err(), "/hang answered: {early:?}");
    let mut control = connect(&server.main("/restart?down_ms=0")).await;
    assert_eq!(next_text(&mut control).await, "down");
    let ended = timeout(Duration::from_secs(2), raw.read(&mut buffer))
        .await
        .expect("the hanging connection outlived the restart");
    assert!(matches!(ended, Ok(0) | Err(_)), "{ended:?}");
}

#[tokio::test]
async fn steps_script_successive_connections_per_id_and_repeat_the_last() {
    let server = Server::start("steps");
    let url = server.main("/steps?id=a&do=close:4001,echo,hold:200:4002,drop,hang");
    let mut first = connect(&url).await;
    expect_close(&mut first, 4001).await;
    let mut second = connect(&url).await;
    echo_once(&mut second, "echoed").await;
    let bye = CloseFrame {
        code: 4100.into(),
        reason: "bye".into(),
    };
    second.close(Some(bye)).await.unwrap();
    let mut third = connect(&url).await;
    echo_once(&mut third, "held").await;
    expect_close(&mut third, 4002).await;
    let mut fourth = connect(&url).await;
    expect_aborted(&mut fourth).await;
    // `hang` never answers the handshake, and as the last step it repeats.
    for _ in 0..2 {
        let attempt = timeout(Duration::from_millis(500), connect_async(url.as_str())).await;
        assert!(attempt.is_err(), "a hanging step answered the handshake");
    }
    // The log has every connection of `a`, in order, with how each ended.
    let text = report(&server.main("/steps-log?id=a&wait_for=6")).await;
    assert!(text.starts_with(r#"[{"n":0,"at":"#), "{text}");
    assert!(text.contains(r#""query":"id=a&do=close:4001,echo,hold:200:4002,drop,hang","protocols":"","end":"4001 step 0"}"#), "{text}");
    assert!(text.contains(r#""end":"4100 bye"}"#), "{text}");
    assert!(text.contains(r#""end":"4002 step 2"}"#), "{text}");
    assert!(text.contains(r#""end":"dropped"}"#), "{text}");
    assert_eq!(text.matches(r#""n":"#).count(), 6, "{text}");
    // Another id starts from its own first step; `silent` takes messages and sends nothing.
    let mut silent = connect(&server.fault("/steps?id=b&do=silent")).await;
    silent.send(Message::text("ping")).await.unwrap();
    assert!(timeout(Duration::from_millis(300), silent.next())
        .await
        .is_err());
}
