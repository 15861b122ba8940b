// Proves, in headless Chromium against the project's server, the JS `Socket`'s receive limit
// (`maxMessageSize`): a message over it (text measured in UTF-8 bytes) is never handed over:
// iteration yields the earlier messages, then rejects with a `MessageTooBig` error in its
// place; an `error` event fires; the socket closes with 4009 "message too big", which the
// server sees; in both binary types and with reconnect (which does not reconnect after it by
// default, and tells `shouldReconnect` why); a message at the limit passes; wrong values are a
// TypeError or RangeError, and `null` or `Infinity` mean no limit.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { launch, packagePage } from "./harness.mjs";

let browser;
let page;

before(async () => {
  browser = await launch();
  page = await packagePage(browser);
});

after(async () => {
  try {
    assert.deepEqual(page.uncaughtErrors.map(String), [], "no uncaught errors in the page");
  } finally {
    await browser?.close();
  }
});

/** Runs `fn(bws, arg)` in the page, where `bws` is the package module. */
function run(fn, arg) {
  return page.evaluate(
    async ([source, arg]) => {
      const fn = new Function(`return (${source})`)();
      return fn(window.bws, arg);
    },
    [fn.toString(), arg],
  );
}

/** In the page: sends `fits` then `tooBig` then "after" on an echo socket limited to 1000
 * bytes and reports what iteration, the events and the close gave. */
async function refusal(options, fits, tooBig) {
  return run(async ({ Socket }, { options, fits, tooBig }) => {
    const bytes = (value) => (typeof value === "string" ? value : new Uint8Array(value.length).fill(7));
    const id = `js-limit-${Date.now()}-${Math.random()}`;
    const socket = new Socket(`/record?id=${id}`, { maxMessageSize: 1000, ...options });
    let errors = 0;
    socket.addEventListener("error", () => errors++);
    await socket.opened;
    socket.send(bytes(fits));
    socket.send(bytes(tooBig));
    socket.send("after");
    const received = [];
    let rejected;
    try {
      for await (const data of socket) {
        received.push(typeof data === "string" ? data.length : data instanceof Blob ? data.size : data.byteLength);
      }
    } catch (error) {
      rejected = { name: error.name, message: error.message, isError: error instanceof Error };
    }
    const closed = await socket.closed;
    const report = new Socket(`/report?id=${id}`);
    let recorded;
    for await (const data of report) recorded = data;
    return { received, rejected, errors, closed, recorded, state: socket.state.state };
  }, { options, fits, tooBig });
}

for (const [label, options] of [
  ["ArrayBuffer mode", { binaryType: "arraybuffer" }],
  ["Blob mode", { binaryType: "blob" }],
]) {
  test(`binary over the limit is refused, in ${label}`, async () => {
    const result = await refusal(options, { length: 1000 }, { length: 1001 });
    assert.deepEqual(result.received, [1000], "at the limit: taken");
    assert.deepEqual(result.rejected, {
      name: "MessageTooBig",
      message: "received message of 1001 bytes over the limit of 1000",
      isError: true,
    });
    assert.equal(result.errors, 1, "one error event");
    assert.deepEqual(result.closed, { code: 4009, reason: "message too big", wasClean: true });
    assert.equal(result.recorded, "4009 message too big", "the server saw the close");
  });
}

test("text is measured in UTF-8 bytes", async () => {
  // 500 'é' are 1000 bytes; 334 '€' are 1002 (334 UTF-16 units).
  const result = await refusal({}, "é".repeat(500), "€".repeat(334));
  assert.deepEqual(result.received, [500], "at the limit (in bytes): taken");
  assert.equal(result.rejected.name, "MessageTooBig");
  assert.equal(result.rejected.message, "received message of 1002 bytes over the limit of 1000");
  assert.deepEqual(result.closed, { code: 4009, reason: "message too big", wasClean: true });
});

test("with reconnect: refused, closed for good by default, and shouldReconnect is told why", async () => {
  const plain = await refusal({ reconnect: { initialDelay: 20 } }, "x", "y".repeat(1001));
  assert.deepEqual(plain.received, [1]);
  assert.equal(plain.rejected.name, "MessageTooBig");
  assert.deepEqual(plain.closed, { code: 4009, reason: "message too big", wasClean: true });
  assert.equal(plain.state, "closed", "no reconnect after a message over the limit");
  const asked = await run(async ({ Socket }) => {
    const contexts = [];
    const socket = new Socket("/echo", {
      maxMessageSize: 10,
      reconnect: { initialDelay: 20, shouldReconnect: (context) => { contexts.push(context); return false; } },
    });
    await socket.opened;
    socket.send("x".repeat(11));
    const states = [];
    socket.onstate = (event) => states.push(event.detail.state);
    await socket.closed;
    return { contexts: contexts.map(({ uptime, ...rest }) => rest), states };
  });
  assert.deepEqual(asked.contexts, [
    { cause: "messageTooBig", close: { code: 4009, reason: "message too big", wasClean: true }, failures: 1 },
  ]);
  assert.deepEqual(asked.states, ["closed"]);
});

test("maxMessageSize: whole numbers, null and Infinity are taken; anything else is refused", async () => {
  const result = await run(async ({ Socket }) => {
    const outcome = (value) => {
      try {
        new Socket("/echo", { maxMessageSize: value }).free();
        new Socket("/echo", { maxMessageSize: value, reconnect: true }).free();
        return "ok";
      } catch (error) {
        return `${error.name}: ${error.message}`;
      }
    };
    const values = { "0": 0, "1000": 1000, "2**53": 2 ** 53, "null": null, "Infinity": Infinity, "undefined": undefined,
      "-1": -1, "1.5": 1.5, "NaN": NaN, "-Infinity": -Infinity, "'5'": "5", "{}": {} };
    const out = {};
    for (const [label, value] of Object.entries(values)) out[label] = outcome(value);
    // No limit: any message arrives.
    const open = new Socket("/echo", { maxMessageSize: null });
    await open.opened;
    open.send("z".repeat(5000));
    out.unlimited = (await open.messages().next()).value.length;
    open.close();
    return out;
  });
  const range = (text) => `RangeError: maxMessageSize must be a whole number of at least 0, Infinity or null, not ${text}`;
  assert.deepEqual(result, {
    "0": "ok", "1000": "ok", "2**53": "ok", "null": "ok", "Infinity": "ok", "undefined": "ok",
    "-1": range("-1"), "1.5": range("1.5"), "NaN": range("NaN"), "-Infinity": range("-Infinity"),
    "'5'": "TypeError: maxMessageSize must be a number or null", "{}": "TypeError: maxMessageSize must be a number or null",
    unlimited: 5000,
  });
});
