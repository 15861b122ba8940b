//! A chat room in Leptos (client-side rendering) on `browser_ws::leptos::use_websocket_json`:
//! typed JSON messages, the connection state, a bounded history, reconnection after a server
//! restart, and leaving and rejoining. It talks to the project's server's `/room?name=R`
//! broadcast route.
//!
//! The page takes `?ws=ws://HOST:PORT` (the server to use; default: the page's own host) and
//! `?room=NAME` (default `lobby`).

use std::time::Duration;

use browser_ws::leptos::{use_websocket_json, UseWebSocket, UseWebSocketOptions};
use browser_ws::{Backoff, ConnectionState, Delivery, ReconnectOptions};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::wasm_bindgen;

// README: begin
/// One chat line, as JSON on the wire: `{"name":"ana","text":"hi"}`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Chat {
    /// Who wrote it.
    pub name: String,
    /// What they wrote.
    pub text: String,
}

/// The chat: connects when mounted, closes (and stops reconnecting) when unmounted.
#[component]
pub fn ChatRoom(
    /// The room's WebSocket URL.
    url: String,
) -> impl IntoView {
    let options = UseWebSocketOptions::new().history(100).reconnect(
        ReconnectOptions::new().backoff(
            Backoff::new()
                .initial_delay(Duration::from_millis(250))
                .max_delay(Duration::from_secs(2)),
        ),
    );
    let ws: UseWebSocket<Chat, Chat> = use_websocket_json(url, options);
    // Any component below can reach the connection with `expect_context`/`use_context`.
    provide_context(ws);

    let name = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let send = move || {
        let chat = Chat {
            name: name.get_untracked(),
            text: text.get_untracked(),
        };
        // Sent now if open, queued (and sent first on reconnect) if not, or an error.
        match ws.send_json(&chat) {
            Ok(Delivery::Sent) => note.set(String::new()),
            Ok(Delivery::Queued) => note.set("queued until reconnected".into()),
            Err(error) => note.set(format!("not sent: {error}")),
        }
        text.set(String::new());
    };

    view! {
        <p>"Status: " <Status/></p>
        <ul id="messages">
            {move || ws.history.get().into_iter().map(|chat| view! {
                <li class="message"><b>{chat.name}</b>": "{chat.text}</li>
            }).collect_view()}
        </ul>
        <form on:submit=move |event| { event.prevent_default(); send(); }>
            <input id="name" placeholder="name" bind:value=name/>
            <input id="text" placeholder="message" bind:value=text/>
            <button id="send" type="submit">"Send"</button>
            <button id="leave" type="button" on:click=move |_| { let _ = ws.close(); }>"Leave"</button>
            <button id="rejoin" type="button" on:click=move |_| { let _ = ws.open(); }>"Rejoin"</button>
        </form>
        <p id="note">{move || note.get()}</p>
        <p id="error" class="error">{move || ws.error.get().map(|e| e.to_string())}</p>
    }
}

/// The connection's state, from the context `ChatRoom` provides.
#[component]
fn Status() -> impl IntoView {
    let ws = expect_context::<UseWebSocket<Chat, Chat>>();
    let label = move || match ws.state.get() {
        None => ("idle", "not connected".to_owned()),
        Some(ConnectionState::Connecting { .. }) => ("connecting", "connecting…".to_owned()),
        Some(ConnectionState::Open) => ("open", "open".to_owned()),
        Some(ConnectionState::Reconnecting { attempt, delay, .. }) => (
            "reconnecting",
            format!("reconnecting (retry {attempt} in {} ms)", delay.as_millis()),
        ),
        Some(ConnectionState::Closing) => ("closing", "closing…".to_owned()),
        Some(ConnectionState::Closed(event)) => ("closed", format!("closed ({})", event.code.0)),
        Some(_) => ("other", "…".to_owned()),
    };
    view! { <span id="status" data-state=move || label().0>{move || label().1}</span> }
}
// README: end

/// The page: reads `?ws=` and `?room=` and mounts the chat.
#[component]
pub fn App() -> impl IntoView {
    let query = window().location().search().unwrap_or_default();
    let param = |key: &str| {
        query
            .trim_start_matches('?')
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == key)
            .and_then(|(_, value)| js_sys::decode_uri_component(value).ok())
            .map(String::from)
    };
    let server = param("ws").unwrap_or_default();
    let room = param("room").unwrap_or_else(|| "lobby".into());
    // A relative URL ("/room?...") is resolved against the page by browser-ws.
    let url = format!("{server}/room?name={room}");
    view! {
        <main>
            <h1>"Leptos chat: " {room}</h1>
            <ChatRoom url/>
        </main>
    }
}

/// Mounts the app (the module's start function).
#[wasm_bindgen(start)]
pub fn start() {
    mount_to_body(App);
}
