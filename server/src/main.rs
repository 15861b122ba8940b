//! Loopback server for browser-ws: the WebSocket routes the tests and the demo use, the
//! `www/` demo page at `/` and the built npm package at `/pkg/`, all on one port.
//!
//! Usage: `browser-ws-server [--port N] [--port-file PATH] [--fault-port-file PATH]
//! [--root DIR] [--www DIR] [--mount /PREFIX/=DIR]...` (port 0 picks a free one; the default is
//! `$PORT` or 8080; `--root` holds `www/`, `pkg/` and `tests/js/workers/`, default the current
//! folder; `--www` serves another folder at `/`, as the benchmark does; `--mount` serves a
//! folder under a prefix).
//! `--fault-port-file` adds a second listener on a free port, written to PATH, that serves the
//! same routes and that `/restart` on the main listener takes down and brings back (see
//! `routes/fault.rs`). It listens on 127.0.0.1 only.

mod files;
mod routes;

use std::net::{Ipv4Addr, SocketAddr};

struct Options {
    port: u16,
    port_file: Option<String>,
    fault_port_file: Option<String>,
    root: std::path::PathBuf,
    www: Option<std::path::PathBuf>,
    mounts: Vec<(String, std::path::PathBuf)>,
}

fn parse_options() -> Result<Options, String> {
    let mut port = match std::env::var("PORT") {
        Ok(value) => value
            .parse()
            .map_err(|_| format!("PORT={value} is not a port"))?,
        Err(_) => 8080,
    };
    let mut port_file = None;
    let mut fault_port_file = None;
    let mut root = std::path::PathBuf::from(".");
    let mut www = None;
    let mut mounts = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => {
                let value = args.next().ok_or("--port needs a value")?;
                port = value
                    .parse()
                    .map_err(|_| format!("{value} is not a port"))?;
            }
            "--port-file" => port_file = Some(args.next().ok_or("--port-file needs a path")?),
            "--fault-port-file" => {
                fault_port_file = Some(args.next().ok_or("--fault-port-file needs a path")?);
            }
            "--root" => root = args.next().ok_or("--root needs a folder")?.into(),
            "--www" => www = Some(args.next().ok_or("--www needs a folder")?.into()),
            "--mount" => {
                let value = args.next().ok_or("--mount needs /PREFIX/=DIR")?;
                match value.split_once('=') {
                    Some((prefix, dir)) if prefix.starts_with('/') && prefix.ends_with('/') => {
                        mounts.push((prefix.to_owned(), dir.into()));
                    }
                    _ => return Err(format!("--mount {value}: expected /PREFIX/=DIR")),
                }
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(Options {
        port,
        port_file,
        fault_port_file,
        root,
        www,
        mounts,
    })
}

/// Writes `port` to `path`, then renames, so a reader never sees a partial file.
fn write_port_file(path: &str, port: u16) {
    let partial = format!("{path}.partial");
    if let Err(error) =
        std::fs::write(&partial, port.to_string()).and_then(|()| std::fs::rename(&partial, path))
    {
        eprintln!("browser-ws-server: cannot write {path}: {error}");
        std::process::exit(1);
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let options = match parse_options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("browser-ws-server: {message}");
            std::process::exit(2);
        }
    };
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, options.port));
    let listener = match tokio::net::TcpListener::bind(address).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("browser-ws-server: cannot listen on {address}: {error}");
            std::process::exit(1);
        }
    };
    let port = listener
        .local_addr()
        .map(|a| a.port())
        .unwrap_or(options.port);
    // The fault listener is bound (and its port file written) before the main port file, so a
    // script that waits for both files finds both listeners ready.
    let fault = match &options.fault_port_file {
        Some(path) => match routes::fault::Fault::bind().await {
            Ok(fault) => {
                write_port_file(path, fault.port());
                Some(fault)
            }
            Err(error) => {
                eprintln!("browser-ws-server: cannot open the fault listener: {error}");
                std::process::exit(1);
            }
        },
        None => None,
    };
    if let Some(path) = &options.port_file {
        write_port_file(path, port);
    }
    println!("browser-ws demo: open http://127.0.0.1:{port}/ (WebSocket echo at ws://127.0.0.1:{port}/echo)");
    let mut mounts = vec![
        (
            "/".to_owned(),
            options
                .www
                .clone()
                .unwrap_or_else(|| options.root.join("www")),
        ),
        ("/pkg/".to_owned(), options.root.join("pkg")),
        // The JS tests' worker scripts (tests/js/workers.test.mjs).
        (
            "/tests/js/workers/".to_owned(),
            options.root.join("tests/js/workers"),
        ),
    ];
    mounts.extend(options.mounts.iter().cloned());
    let app = routes::router(files::Folders::new(mounts), fault.clone());
    if let Some(fault) = &fault {
        println!(
            "fault listener on ws://127.0.0.1:{} (restart it with /restart)",
            fault.port()
        );
        fault.serve(app.clone()).await;
    }
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    if let Err(error) = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
    {
        eprintln!("browser-ws-server: {error}");
        std::process::exit(1);
    }
}
