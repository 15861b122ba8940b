//! yew-chat: a small chat room with Yew and browser-ws, against the project's `/room` route.
//!
//! Query string: `ws` (the server, default: this page's origin as `ws:`/`wss:`), `room`
//! (default `lobby`), `name` (default `guest`), `history` (messages kept, default 20).
//!
//! One `use_websocket_json` hook in `App` holds the connection; the components below it get
//! the handle from a context. Messages are typed (`ChatMessage`, JSON text frames); a frame
//! that is not a chat message shows as an error and the chat goes on. When the server goes
//! away the status shows the reconnect attempts (exponential backoff), messages sent
//! meanwhile are queued and go out first on the next open.

use browser_ws::{ConnectionState, Delivery};
use wasm_bindgen::prelude::wasm_bindgen;
use web_sys::HtmlInputElement;

// readme:begin
use std::time::Duration;

use browser_ws::yew::{use_websocket_json, UseWebSocket, UseWebSocketOptions};
use browser_ws::{Backoff, ReconnectOptions};
use serde::{Deserialize, Serialize};
use yew::prelude::*;

/// One chat line, as JSON in a text frame: `{"from":"ada","text":"hi"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChatMessage {
    /// Who wrote it.
    pub from: String,
    /// What they wrote.
    pub text: String,
}

/// The connection as the components share it: received and sent messages are `ChatMessage`s.
pub type Chat = UseWebSocket<ChatMessage, ChatMessage>;

#[derive(Properties, PartialEq)]
struct ChatProviderProps {
    url: AttrValue,
    history: usize,
    children: Html,
}

/// Opens the room's connection (closed again when this component unmounts) and hands it to
/// every component below in a context.
#[component]
fn ChatProvider(props: &ChatProviderProps) -> Html {
    let options = UseWebSocketOptions::new().history(props.history).reconnect(
        ReconnectOptions::new().backoff(
            Backoff::new()
                .initial_delay(Duration::from_millis(200))
                .max_delay(Duration::from_secs(2)),
        ),
    );
    let chat: Chat = use_websocket_json(&props.url, options);
    html! {
        <ContextProvider<Chat> context={chat}>
            { props.children.clone() }
        </ContextProvider<Chat>>
    }
}

/// The last messages of the room, oldest first.
#[component]
fn Messages() -> Html {
    let Some(chat) = use_context::<Chat>() else {
        return html! {};
    };
    html! {
        <ul id="messages">
            { for chat.history().map(|message| html! {
                <li class="message">
                    <span class="from">{ &message.from }</span>
                    <span class="text">{ &message.text }</span>
                </li>
            }) }
        </ul>
    }
}
// readme:end

/// The connection's state, the final close event, and the last decode error.
#[component]
fn Status() -> Html {
    let Some(chat) = use_context::<Chat>() else {
        return html! {};
    };
    let (class, label) = match chat.state() {
        None => ("idle", "not connected".to_owned()),
        Some(ConnectionState::Connecting { attempt: 0 }) => ("connecting", "connecting".to_owned()),
        Some(ConnectionState::Connecting { attempt }) => {
            ("reconnecting", format!("reconnecting (attempt {attempt})"))
        }
        Some(ConnectionState::Open) => ("open", "open".to_owned()),
        Some(ConnectionState::Reconnecting { attempt, delay, .. }) => (
            "reconnecting",
            format!("reconnecting (retry {attempt} in {} ms)", delay.as_millis()),
        ),
        Some(ConnectionState::Closing) => ("closing", "closing".to_owned()),
        Some(ConnectionState::Closed(event)) => (
            "closed",
            format!(
                "closed: {} {:?} (clean: {})",
                event.code, event.reason, event.was_clean
            ),
        ),
        Some(_) => ("unknown", "unknown".to_owned()),
    };
    let reopen = {
        let chat = chat.clone();
        Callback::from(move |_: MouseEvent| {
            let _ = chat.open();
        })
    };
    let close = {
        let chat = chat.clone();
        Callback::from(move |_: MouseEvent| {
            let _ = chat.close();
        })
    };
    html! {
        <p>
            { "status: " }<span id="status" class={class}>{ label }</span>
            { " · received " }<span id="received">{ chat.received() }</span>
            { " " }<button id="close" onclick={close}>{ "leave" }</button>
            { " " }<button id="open" onclick={reopen}>{ "rejoin" }</button>
            if let Some(error) = chat.error() {
                <br /><span id="error" class="error">{ error.to_string() }</span>
            }
        </p>
    }
}

#[derive(Properties, PartialEq)]
struct ComposerProps {
    name: AttrValue,
}

/// The name and text fields; sending says whether the message was sent, queued or refused.
#[component]
fn Composer(props: &ComposerProps) -> Html {
    let chat = use_context::<Chat>();
    let name = use_state(|| props.name.to_string());
    let draft = use_state(String::new);
    let notice = use_state(String::new);
    let onsubmit = {
        let (name, draft, notice) = (name.clone(), draft.clone(), notice.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(chat) = chat.as_ref() else { return };
            if draft.is_empty() {
                return;
            }
            let message = ChatMessage {
                from: (*name).clone(),
                text: (*draft).clone(),
            };
            match chat.send_json(&message) {
                Ok(Delivery::Sent) => notice.set(String::new()),
                Ok(Delivery::Queued) => notice.set("queued until the connection is back".into()),
                Err(error) => {
                    notice.set(format!("not sent: {error}"));
                    return;
                }
            }
            draft.set(String::new());
        })
    };
    let on_name = {
        let name = name.clone();
        Callback::from(move |event: InputEvent| {
            name.set(event.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    let on_draft = {
        let draft = draft.clone();
        Callback::from(move |event: InputEvent| {
            draft.set(event.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    html! {
        <form id="composer" {onsubmit}>
            <input id="name" value={(*name).clone()} oninput={on_name} size="8" aria-label="name" />
            <input id="text" value={(*draft).clone()} oninput={on_draft} placeholder="say something" aria-label="message" />
            <button id="send" type="submit">{ "send" }</button>
            <span id="notice">{ (*notice).clone() }</span>
        </form>
    }
}

/// The page's settings, from its query string.
struct Settings {
    url: String,
    name: String,
    history: usize,
}

fn settings() -> Settings {
    let (search, origin) = web_sys::window()
        .map(|window| {
            let location = window.location();
            (
                location.search().unwrap_or_default(),
                location.origin().unwrap_or_default(),
            )
        })
        .unwrap_or_default();
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok();
    let param = |key: &str| params.as_ref().and_then(|params| params.get(key));
    let server = param("ws").unwrap_or_else(|| origin.replacen("http", "ws", 1));
    let room = param("room").unwrap_or_else(|| "lobby".to_owned());
    let room = String::from(js_sys::encode_uri_component(&room));
    Settings {
        url: format!("{server}/room?name={room}"),
        name: param("name").unwrap_or_else(|| "guest".to_owned()),
        history: param("history")
            .and_then(|history| history.parse().ok())
            .unwrap_or(20),
    }
}

/// The whole page.
#[component]
pub fn App() -> Html {
    let settings = use_memo((), |()| settings());
    html! {
        <main>
            <h1>{ "yew-chat" }</h1>
            <ChatProvider url={settings.url.clone()} history={settings.history}>
                <Status />
                <Messages />
                <Composer name={settings.name.clone()} />
            </ChatProvider>
        </main>
    }
}

/// Mounts [`App`] on the page's body.
#[wasm_bindgen(start)]
pub fn start() {
    yew::Renderer::<App>::new().render();
}
