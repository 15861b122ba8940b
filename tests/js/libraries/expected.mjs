// What each library scenario (scenarios.mjs) must return, wherever it ran; `server` is what
// servers.mjs' servers saw of it.
import assert from "node:assert/strict";

/** graphql-ws: the query and the 3 values, on one connection with its subprotocol. */
export function assertGraphql(result, { protocols }) {
  assert.deepEqual(result.query, [{ data: { hello: "world" } }]);
  assert.deepEqual(result.subscription, [1, 2, 3].map((count) => ({ data: { count } })));
  // One connection (lazy client, both operations on it), on graphql-ws's subprotocol.
  assert.deepEqual(protocols, ["graphql-transport-ws"]);
}

/**
 * partysocket: echo-v1 on both connections, both echoes, the drop seen as a close, and (unless
 * `uncleanDrop` is false) as an unclean one.
 */
export function assertPartysocket(result, { uncleanDrop = true } = {}) {
  assert.deepEqual(result.said, ["down", "up"], "the fault listener went down and came back");
  assert.deepEqual(result.protocols, ["echo-v1", "echo-v1"], "echo-v1 accepted on both connections");
  assert.deepEqual(result.received, ["before", "after"]);
  assert.equal(result.closes.length >= 1, true, "the drop was seen as a close");
  if (uncleanDrop) assert.notEqual(result.closes[0], 1000, "the drop was not a clean close");
  assert.equal(result.readyState, 1, "OPEN at the end");
}

/** y-websocket: both documents and the server's copy hold every edit. */
export function assertYjs(result, { text }) {
  assert.deepEqual(result, { a: "hello world!", b: "hello world!" });
  assert.equal(text, "hello world!", "the server's copy");
}
