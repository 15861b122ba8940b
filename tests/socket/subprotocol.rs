//! Proves: subprotocols are offered as a list (not a joined string) and the server's choice is
//! reported by `protocol()`.

use crate::common::{server, within};
use browser_ws::WebSocket;
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
async fn the_server_chooses_the_first_offered_protocol() {
    let url = server("/protocol");
    for (offered, chosen) in [
        (&["chat.v2", "chat.v1"][..], "chat.v2"),
        (&["v1.json", "v2.json", "v3.json"], "v1.json"),
        (&["only"], "only"),
        (&[], ""),
    ] {
        let socket = within(
            10_000,
            "connect",
            WebSocket::connect_with_protocols(&url, offered),
        )
        .await
        .unwrap();
        assert_eq!(socket.protocol(), chosen, "{offered:?}");
    }
}
