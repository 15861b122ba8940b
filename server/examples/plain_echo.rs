//! A plain WebSocket echo server, written the way a user writes one: tokio-tungstenite's
//! `accept_async`, then one `send(..).await` per message (each reply written and flushed before
//! the next message is read). No axum, and none of the project server's batching: `/echo`
//! (server/src/routes/mod.rs, `echo_until_close`) feeds replies and flushes only when no further
//! message is ready. benches/send-path.mjs measures the browser's send paths against both.
//!
//! Usage: `cargo run -p browser-ws-server --example plain_echo --release -- [--port N]
//! [--port-file PATH]` (port 0, the default, picks a free one; the chosen port is printed and,
//! with `--port-file`, written to PATH). Listens on 127.0.0.1 only; every path echoes.
//!
//! The runtime is current-thread, like the project server's, so the two differ in the echo loop
//! (and axum's layer over tungstenite), not in the scheduler. Limits are the project server's:
//! 64 MiB messages and frames, so a 16 MiB message passes in one frame.

use futures_util::{SinkExt, StreamExt};
use std::net::{Ipv4Addr, SocketAddr};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;

struct Options {
    port: u16,
    port_file: Option<String>,
}

fn parse_options() -> Result<Options, String> {
    let mut options = Options {
        port: 0,
        port_file: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => {
                let value = args.next().ok_or("--port needs a value")?;
                options.port = value
                    .parse()
                    .map_err(|_| format!("{value} is not a port"))?;
            }
            "--port-file" => {
                options.port_file = Some(args.next().ok_or("--port-file needs a path")?);
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(options)
}

/// Echoes every text and binary message with one `send` each until the connection ends.
/// Pings are answered and a close is replied to by tungstenite itself (on the next read or
/// write), so the loop only skips them and ends when the stream does.
async fn echo(stream: TcpStream) {
    let config = WebSocketConfig::default()
        .max_message_size(Some(64 << 20))
        .max_frame_size(Some(64 << 20));
    let Ok(mut socket) = tokio_tungstenite::accept_async_with_config(stream, Some(config)).await
    else {
        return;
    };
    while let Some(Ok(message)) = socket.next().await {
        match message {
            Message::Text(_) | Message::Binary(_) => {
                if socket.send(message).await.is_err() {
                    return;
                }
            }
            Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => {}
            // Keep polling: tungstenite queues the close reply and flushes it on the next read.
            Message::Close(_) => {}
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let options = match parse_options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("plain_echo: {message}");
            std::process::exit(2);
        }
    };
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, options.port));
    let listener = match TcpListener::bind(address).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("plain_echo: cannot listen on {address}: {error}");
            std::process::exit(1);
        }
    };
    let port = listener
        .local_addr()
        .map(|a| a.port())
        .unwrap_or(options.port);
    if let Some(path) = &options.port_file {
        // Written then renamed, so a reader never sees a partial file.
        let partial = format!("{path}.partial");
        if let Err(error) = std::fs::write(&partial, port.to_string())
            .and_then(|()| std::fs::rename(&partial, path))
        {
            eprintln!("plain_echo: cannot write {path}: {error}");
            std::process::exit(1);
        }
    }
    println!("plain echo on ws://127.0.0.1:{port}/");
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                tokio::spawn(echo(stream));
            }
            Err(error) => eprintln!("plain_echo: accept: {error}"),
        }
    }
}
