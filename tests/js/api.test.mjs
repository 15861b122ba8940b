// Proves, in headless Chromium against the project's server, every member of the JS `Socket`:
// constants and accessors, on* properties and add/removeEventListener, opened/closed promises
// for each way a connection ends, async iteration, send of every data type, order in both
// binary types, close validation, and a table of bad inputs that each throw a named error
// while the module keeps working (no wasm trap).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";

import { CLOSED_PORT, HTTP, launch, packagePage } from "./harness.mjs";

const WS = HTTP.replace(/^http/, "ws");
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

describe("Socket", () => {
  test("constants, accessors and URL resolution", async () => {
    const result = await run(async ({ Socket }) => {
      const socket = new Socket("/echo");
      const snapshot = {
        constants: [Socket.CONNECTING, Socket.OPEN, Socket.CLOSING, Socket.CLOSED],
        initial: socket.readyState,
        url: socket.url,
        binaryType: socket.binaryType,
        bufferedAmount: socket.bufferedAmount,
      };
      await socket.opened;
      snapshot.open = socket.readyState;
      snapshot.protocol = socket.protocol;
      snapshot.extensions = typeof socket.extensions;
      socket.binaryType = "arraybuffer";
      snapshot.switched = socket.binaryType;
      socket.close();
      snapshot.closing = socket.readyState;
      snapshot.closed = await socket.closed;
      snapshot.final = socket.readyState;
      snapshot.httpUrl = new Socket(location.origin + "/echo").url;
      snapshot.urlObject = new Socket(new URL("/echo", location.href)).url;
      return snapshot;
    });
    const host = new URL(HTTP).host;
    assert.deepEqual(result.constants, [0, 1, 2, 3]);
    assert.equal(result.initial, 0);
    assert.equal(result.url, `ws://${host}/echo`);
    assert.equal(result.httpUrl, `ws://${host}/echo`);
    assert.equal(result.urlObject, `ws://${host}/echo`);
    assert.equal(result.binaryType, "blob");
    assert.equal(result.bufferedAmount, 0);
    assert.equal(result.open, 1);
    assert.equal(result.protocol, "");
    assert.equal(result.extensions, "string");
    assert.equal(result.switched, "arraybuffer");
    assert.equal(result.closing, 2);
    assert.deepEqual(result.closed, { code: 1000, reason: "", wasClean: true });
    assert.equal(result.final, 3);
  });

  test("subprotocols as a string or a list", async () => {
    const result = await run(async ({ Socket }, ws) => {
      const list = new Socket(`${ws}/protocol`, { protocols: ["chat.v2", "chat.v1"] });
      const single = new Socket(`${ws}/protocol`, { protocols: "only" });
      await Promise.all([list.opened, single.opened]);
      return [list.protocol, single.protocol];
    }, WS);
    assert.deepEqual(result, ["chat.v2", "only"]);
  });

  test("on* properties and event listeners in registration order, including removal", async () => {
    const result = await run(async ({ Socket }) => {
      const socket = new Socket("/echo");
      const seen = [];
      socket.onopen = (event) => seen.push(`onopen:${event.type}`);
      socket.addEventListener("open", () => seen.push("listener:open"));
      const removed = () => seen.push("removed listener ran");
      socket.addEventListener("message", removed);
      socket.removeEventListener("message", removed);
      const messages = [];
      socket.addEventListener("message", (event) => messages.push(`listener:${event.data}`));
      socket.onmessage = (event) => messages.push(`onmessage:${event.data}`);
      let closeEvent;
      socket.onclose = (event) => { closeEvent = { type: event.type, code: event.code, reason: event.reason, wasClean: event.wasClean, isCloseEvent: event instanceof CloseEvent }; };
      const getters = [typeof socket.onopen, socket.onerror];
      await socket.opened;
      socket.send("one");
      while (messages.length < 2) await new Promise((r) => setTimeout(r, 5));
      socket.onmessage = null;
      socket.send("two");
      while (messages.length < 3) await new Promise((r) => setTimeout(r, 5));
      socket.close(4002, "bye");
      await socket.closed;
      return { seen, messages, closeEvent, getters, cleared: socket.onmessage };
    });
    assert.deepEqual(result.seen, ["onopen:open", "listener:open"]);
    // HTML's event handler rules: onmessage's listener is added when it is first set, after
    // the listener added before it.
    assert.deepEqual(result.messages, ["listener:one", "onmessage:one", "listener:two"]);
    assert.deepEqual(result.closeEvent, { type: "close", code: 4002, reason: "bye", wasClean: true, isCloseEvent: true });
    assert.deepEqual(result.getters, ["function", null]);
    assert.equal(result.cleared, null);
  });

  test("on* handlers follow HTML's rules; a failed connection fires error then close; nothing fires after free()", async () => {
    const result = await run(async ({ Socket }, { closedPort }) => {
      const socket = new Socket("/echo");
      const order = [];
      socket.onmessage = () => order.push("first handler");
      socket.addEventListener("message", () => order.push("listener"));
      // A new value keeps the handler's place; null removes it, and a later value goes last.
      socket.onmessage = () => order.push("second handler");
      socket.onopen = { handleEvent: () => order.push("handleEvent object: never called") };
      const readBack = [typeof socket.onopen, (socket.onerror = 5, socket.onerror)];
      await socket.opened;
      socket.send("one");
      while (order.length < 2) await new Promise((r) => setTimeout(r, 5));
      socket.onmessage = null;
      socket.onmessage = function () { order.push(`last handler, this is the socket: ${this === socket}`); };
      socket.send("two");
      while (order.length < 4) await new Promise((r) => setTimeout(r, 5));
      // free(): no event after it, not even close.
      const afterFree = [];
      for (const type of ["message", "error", "close"]) socket[`on${type}`] = (event) => afterFree.push(event.type);
      socket.send("three");
      socket.free();
      await new Promise((r) => setTimeout(r, 100));
      // A failed connection: onerror, then onclose.
      const failed = new Socket(`ws://127.0.0.1:${closedPort}/`);
      const failedFired = [];
      for (const type of ["open", "error", "close"]) failed[`on${type}`] = (event) => failedFired.push(`${event.type}:${failed.readyState}`);
      await failed.closed;
      while (!failedFired.some((entry) => entry.startsWith("close"))) await new Promise((r) => setTimeout(r, 5));
      return { order, readBack, afterFree, afterFreeState: socket.readyState, failedFired };
    }, { closedPort: CLOSED_PORT });
    assert.deepEqual(result.order, ["second handler", "listener", "listener", "last handler, this is the socket: true"]);
    assert.deepEqual(result.readBack, ["object", null]);
    assert.deepEqual(result.afterFree, []);
    assert.equal(result.afterFreeState, 3);
    assert.deepEqual(result.failedFired, ["error:3", "close:3"]);
  });

  test("send accepts string, ArrayBuffer, typed arrays, DataView and Blob, in both binary types", async () => {
    const result = await run(async ({ Socket }) => {
      const out = {};
      for (const binaryType of ["arraybuffer", "blob"]) {
        const socket = new Socket("/echo", { binaryType });
        await socket.opened;
        const iterator = socket.messages();
        const bytes = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
        const sent = [
          "héllo",
          bytes.buffer.slice(0),
          bytes.subarray(2, 5),
          new Uint16Array([0x0201, 0x0403]),
          new DataView(bytes.buffer, 6, 2),
          new Blob([new Uint8Array([9, 9])]),
        ];
        for (const data of sent) socket.send(data);
        const received = [];
        for (let i = 0; i < sent.length; i++) {
          const { value } = await iterator.next();
          if (typeof value === "string") received.push(value);
          else received.push({ kind: value.constructor.name, bytes: Array.from(new Uint8Array(value instanceof Blob ? await value.arrayBuffer() : value)) });
        }
        socket.close();
        out[binaryType] = received;
      }
      return out;
    });
    for (const [binaryType, kind] of [["arraybuffer", "ArrayBuffer"], ["blob", "Blob"]]) {
      assert.deepEqual(result[binaryType], [
        "héllo",
        { kind, bytes: [1, 2, 3, 4, 5, 6, 7, 8] },
        { kind, bytes: [3, 4, 5] },
        { kind, bytes: [1, 2, 3, 4] },
        { kind, bytes: [7, 8] },
        { kind, bytes: [9, 9] },
      ], binaryType);
    }
  });

  test("for await delivers 2,000 mixed messages in order in both binary types, then ends", async () => {
    const result = await run(async ({ Socket }) => {
      const out = {};
      for (const binaryType of ["blob", "arraybuffer"]) {
        const socket = new Socket("/numbered?n=2000", { binaryType });
        const received = [];
        for await (const data of socket) {
          if (typeof data === "string") received.push(Number(data));
          else received.push(new DataView(data instanceof Blob ? await data.arrayBuffer() : data).getUint32(0, true));
        }
        out[binaryType] = { received, closed: await socket.closed };
      }
      return out;
    });
    const expected = Array.from({ length: 2000 }, (_, i) => i);
    for (const binaryType of ["blob", "arraybuffer"]) {
      assert.deepEqual(result[binaryType].received, expected, binaryType);
      assert.deepEqual(result[binaryType].closed, { code: 1000, reason: "done", wasClean: true });
    }
  });

  test("message events keep order in Blob mode too", async () => {
    const result = await run(async ({ Socket }) => {
      const socket = new Socket("/numbered?n=500&kind=binary");
      const received = [];
      socket.onmessage = (event) => received.push(event.data);
      await socket.closed;
      const numbers = [];
      for (const blob of received) numbers.push(new DataView(await blob.arrayBuffer()).getUint32(0, true));
      return numbers;
    });
    assert.deepEqual(result, Array.from({ length: 500 }, (_, i) => i));
  });

  test("breaking out of for await leaves the socket open", async () => {
    const result = await run(async ({ Socket }) => {
      const socket = new Socket("/echo");
      await socket.opened;
      socket.send("a");
      for await (const data of socket) {
        if (data === "a") break;
      }
      const state = socket.readyState;
      socket.send("b");
      const next = await socket.messages().next();
      socket.close();
      return { state, next };
    });
    assert.deepEqual(result, { state: 1, next: { value: "b", done: false } });
  });

  test("closed resolves with the same shape for every ending", async () => {
    const result = await run(async ({ Socket }, { ws, closedPort }) => {
      const server = new Socket(`${ws}/close?code=4000&reason=bye`);
      const dropped = new Socket(`${ws}/drop?after=1&hold_ms=100`);
      const local = new Socket(`${ws}/echo`);
      await local.opened;
      local.close(4321, "local reason ✓");
      const failed = new Socket(`ws://127.0.0.1:${closedPort}/`);
      let openedError;
      try { await failed.opened; } catch (error) { openedError = { name: error.name, isError: error instanceof Error }; }
      let iterationError;
      try { for await (const _ of dropped) { /* drain */ } } catch (error) { iterationError = error.name; }
      return {
        server: await server.closed,
        dropped: await dropped.closed,
        local: await local.closed,
        failed: await failed.closed,
        openedError,
        iterationError,
      };
    }, { ws: WS, closedPort: CLOSED_PORT });
    assert.deepEqual(result.server, { code: 4000, reason: "bye", wasClean: true });
    assert.deepEqual(result.dropped, { code: 1006, reason: "", wasClean: false });
    assert.deepEqual(result.local, { code: 4321, reason: "local reason ✓", wasClean: true });
    assert.deepEqual(result.failed, { code: 1006, reason: "", wasClean: false });
    assert.deepEqual(result.openedError, { name: "ConnectFailed", isError: true });
    // The server holds the connection 100 ms before dropping it: dropped at once, Firefox mostly
    // fires neither `open` nor `message` (its own WebSocket too), and then the error is
    // `ConnectFailed`; `tests/socket/connection_lost.rs` covers that case.
    assert.equal(result.iterationError, "ConnectionLost");
  });

  test("close() with a reason and no code sends 1000, and free() closes the socket", async () => {
    const id = `js-free-${Date.now()}`;
    const id2 = `js-reason-${Date.now()}`;
    const result = await run(async ({ Socket }, { id, id2 }) => {
      const report = async (id) => {
        const socket = new Socket(`/report?id=${id}`);
        for await (const data of socket) return data;
      };
      const freed = new Socket(`/record?id=${id}`);
      await freed.opened;
      freed.free();
      const withReason = new Socket(`/record?id=${id2}`);
      await withReason.opened;
      withReason.close(undefined, "only a reason");
      await withReason.closed;
      return [await report(id), await report(id2)];
    }, { id, id2 });
    assert.deepEqual(result, ["1000 ", "1000 only a reason"]);
  });

  test("send while connecting throws InvalidStateError; after close it is discarded and buffers nothing", async () => {
    const result = await run(async ({ Socket }) => {
      const socket = new Socket("/echo");
      const names = [];
      try { socket.send("early"); } catch (error) { names.push(error instanceof DOMException && error.name); }
      await socket.opened;
      socket.close();
      names.push(socket.send("closing"));
      const closingBuffered = socket.bufferedAmount;
      await socket.closed;
      for (let i = 0; i < 5; i++) names.push(socket.send(new Uint8Array(1000)));
      return { names, closingBuffered, bufferedAmount: socket.bufferedAmount };
    });
    assert.deepEqual(result.names, ["InvalidStateError", ...Array(6).fill("discarded")]);
    assert.equal(result.closingBuffered, 0);
    assert.equal(result.bufferedAmount, 0);
  });

  test("bad inputs throw named errors (WebSocket's DOMExceptions), never trap, and the module keeps working", async () => {
    const result = await run(async ({ Socket }, ws) => {
      const open = new Socket(`${ws}/echo`);
      // Calls that succeed (WebIDL converts the value) get a socket of their own.
      const sender = new Socket(`${ws}/echo`);
      const fresh = () => new Socket(`${ws}/echo`);
      await Promise.all([open.opened, sender.opened]);
      const cases = {
        "new Socket()": () => new Socket(),
        "new Socket(42)": () => new Socket(42),
        "new Socket(null)": () => new Socket(null),
        "new Socket({})": () => new Socket({}),
        "ftp: URL": () => new Socket("ftp://127.0.0.1/"),
        "fragment": () => new Socket(`${ws}/echo#frag`),
        "empty host": () => new Socket("ws://"),
        "unparsable": () => new Socket("ws://[::1"),
        "options string": () => new Socket(`${ws}/echo`, "options"),
        "protocol with space": () => new Socket(`${ws}/echo`, { protocols: ["a b"] }),
        "duplicate protocol": () => new Socket(`${ws}/echo`, { protocols: ["x", "x"] }),
        "protocol number": () => new Socket(`${ws}/echo`, { protocols: [1] }),
        "protocol of 1025 characters": () => new Socket(`${ws}/echo`, { protocols: ["p".repeat(1025)] }),
        "1025 protocols": () => new Socket(`${ws}/echo`, { protocols: Array.from({ length: 1025 }, (_, i) => `p${i}`) }),
        "binaryType 'arraybuffer '": () => new Socket(`${ws}/echo`, { binaryType: "arraybuffer " }),
        "protocols object": () => new Socket(`${ws}/echo`, { protocols: {} }),
        "binaryType text": () => new Socket(`${ws}/echo`, { binaryType: "text" }),
        "close(1001)": () => open.close(1001),
        "close(1001, long reason)": () => open.close(1001, "x".repeat(200)),
        "close(1005)": () => open.close(1005),
        "close(999)": () => open.close(999),
        "close(5000)": () => open.close(5000),
        "close(NaN)": () => open.close(NaN),
        "close(Infinity)": () => open.close(Infinity),
        "close(-1)": () => open.close(-1),
        "close(70000)": () => open.close(70000),
        "close(4000.5)": () => fresh().close(4000.5),
        "close('4000')": () => fresh().close("4000"),
        "close(null)": () => open.close(null),
        "close(4000, 124 bytes)": () => open.close(4000, "x".repeat(124)),
        "close(4000, 62 é)": () => open.close(4000, "é".repeat(62)),
        "close(4000, 10 MB)": () => open.close(4000, "x".repeat(10_000_000)),
        "close(4000, 5)": () => fresh().close(4000, 5),
        "close(4000, {})": () => fresh().close(4000, {}),
        "send()": () => open.send(),
        "send(null)": () => sender.send(null),
        "send(123)": () => sender.send(123),
        "send({})": () => sender.send({}),
        "send([1,2])": () => sender.send([1, 2]),
        "binaryType = 5": () => { open.binaryType = 5; },
        "binaryType = 'text'": () => { open.binaryType = "text"; },
        "addEventListener(message, 5)": () => open.addEventListener("message", 5),
      };
      const names = {};
      const messages = {};
      for (const [label, call] of Object.entries(cases)) {
        try {
          call();
          names[label] = "no error";
        } catch (error) {
          names[label] = error instanceof Error || error instanceof DOMException ? error.name : `non-Error ${typeof error}`;
          if (error instanceof DOMException) names[label] = `DOMException ${error.name}`;
          messages[label] = String(error.message);
        }
      }
      const binaryType = open.binaryType;
      // The converted sends, echoed as the strings WebSocket would send.
      const echoes = [];
      for await (const data of sender) {
        echoes.push(data);
        if (echoes.length === 4) break;
      }
      sender.close();
      // Still open and working: an echo round trip and a valid close.
      const stillOpen = open.readyState;
      open.send("still alive");
      const echo = (await open.messages().next()).value;
      open.close(4000, "é".repeat(61));
      const closed = await open.closed;
      return { names, messages, stillOpen, echo, closed, binaryType, echoes };
    }, WS);
    const syntax = "DOMException SyntaxError";
    const access = "DOMException InvalidAccessError";
    const expected = {
      "new Socket()": "TypeError",
      // The URL is converted to a string, as WebSocket does: "42", "null" and
      // "[object Object]" are relative URLs.
      "new Socket(42)": "no error",
      "new Socket(null)": "no error",
      "new Socket({})": "no error",
      "ftp: URL": syntax,
      "fragment": syntax,
      "empty host": syntax,
      "unparsable": syntax,
      // A string second argument is a subprotocol, as in new WebSocket(url, protocols).
      "options string": "no error",
      "protocol with space": syntax,
      "duplicate protocol": syntax,
      "protocol number": "TypeError",
      "protocol of 1025 characters": syntax,
      "1025 protocols": syntax,
      "binaryType 'arraybuffer '": "TypeError",
      "protocols object": "TypeError",
      "binaryType text": "TypeError",
      "close(1001)": access,
      // The code is checked before the reason, in the standard's order.
      "close(1001, long reason)": access,
      "close(1005)": access,
      "close(999)": access,
      "close(5000)": access,
      "close(NaN)": access,
      "close(Infinity)": access,
      "close(-1)": access,
      "close(70000)": access,
      // [Clamp] unsigned short: 4000.5 rounds to 4000 (to even), "4000" is 4000, null is 0.
      "close(4000.5)": "no error",
      "close('4000')": "no error",
      "close(null)": access,
      "close(4000, 124 bytes)": syntax,
      "close(4000, 62 é)": syntax,
      "close(4000, 10 MB)": syntax,
      // The reason is converted to a string.
      "close(4000, 5)": "no error",
      "close(4000, {})": "no error",
      "send()": "TypeError",
      "send(null)": "no error",
      "send(123)": "no error",
      "send({})": "no error",
      "send([1,2])": "no error",
      // An enum attribute ignores other values.
      "binaryType = 5": "no error",
      "binaryType = 'text'": "no error",
      "addEventListener(message, 5)": "TypeError",
    };
    assert.deepEqual(result.names, expected);
    assert.equal(result.messages["close(1001)"], "1001 is reserved; use 1000 or 3000-4999");
    assert.equal(result.messages["close(NaN)"], "0 is not a valid close code; use 1000 or 3000-4999");
    assert.equal(result.binaryType, "blob");
    assert.deepEqual(result.echoes, ["null", "123", "[object Object]", "1,2"]);
    assert.equal(result.messages["close(999)"], "999 is not a valid close code; use 1000 or 3000-4999");
    assert.equal(result.messages["close(5000)"], "5000 is not a valid close code; use 1000 or 3000-4999");
    assert.equal(result.messages["close(4000, 62 é)"], "close reason is 124 UTF-8 bytes; at most 123 are allowed");
    assert.equal(result.messages["protocol of 1025 characters"], "invalid subprotocol of 1025 characters: a subprotocol is at most 1024");
    assert.equal(result.messages["1025 protocols"], "1025 subprotocols are offered; at most 1024 are accepted");
    assert.equal(result.stillOpen, 1);
    assert.equal(result.echo, "still alive");
    assert.deepEqual(result.closed, { code: 4000, reason: "é".repeat(61), wasClean: true });
  });

  test("found by the fuzzer: a sequence of 2^32-1 protocols is refused after 1024, a BigInt code is a TypeError, another realm's ArrayBuffer and Blob are sent", async () => {
    const result = await run(async ({ Socket }) => {
      const out = {};
      const endless = new Proxy(["a"], { get: (target, key) => (key === "length" ? 2 ** 32 - 1 : Reflect.get(target, key)) });
      const started = performance.now();
      try { new Socket("/echo", endless); } catch (error) { out.endless = [error instanceof DOMException, error.name]; }
      out.endlessFast = performance.now() - started < 1000;
      const socket = new Socket("/echo", { binaryType: "arraybuffer" });
      await socket.opened;
      for (const code of [4000n, { valueOf: () => 4000n }]) {
        try { socket.close(code); out.bigint = "closed"; } catch (error) { (out.bigints ??= []).push(error.name); }
      }
      const frame = document.createElement("iframe");
      document.body.append(frame);
      const other = frame.contentWindow;
      const buffer = new other.Uint8Array([1, 2, 3]).buffer;
      out.sent = [socket.send(buffer), socket.send(new other.Blob(["blob"]))];
      const received = [];
      for await (const data of socket) {
        received.push(typeof data === "string" ? data : [...new Uint8Array(data)].join(","));
        if (received.length === 2) break;
      }
      out.received = received;
      frame.remove();
      socket.close();
      return out;
    });
    assert.deepEqual(result.endless, [true, "SyntaxError"]);
    assert.ok(result.endlessFast, "refused without reading the rest");
    assert.deepEqual(result.bigints, ["TypeError", "TypeError"]);
    assert.deepEqual(result.sent, ["sent", "sent"]);
    assert.deepEqual(result.received, ["1,2,3", "98,108,111,98"]);
  });

  test("odd arguments throw without unwinding through wasm: thousands of calls, then free() and echo still work", async () => {
    // Found by tests/js/fuzz.test.mjs: these used to throw from a JS call that wasm did not
    // catch, so each exception unwound through wasm, leaking its stack (a trap after a few
    // thousand calls) and the Socket's borrow (free() then threw); and a URL over 2 MiB made
    // Chromium kill the page.
    const result = await run(async ({ Socket }) => {
      const open = new Socket("/echo");
      const reconnecting = new Socket("/echo", { reconnect: true });
      await Promise.all([open.opened, reconnecting.opened]);
      const detached = new ArrayBuffer(8);
      const detachedView = new Uint8Array(detached, 2);
      structuredClone(detached, { transfer: [detached] });
      const fakeWithLength = Object.create(ArrayBuffer.prototype, { byteLength: { value: 8 } });
      const viewOfFake = new Uint8Array(4);
      Object.defineProperty(viewOfFake, "buffer", { value: Object.create(ArrayBuffer.prototype) });
      const lyingView = new Uint8Array(4);
      Object.defineProperty(lyingView, "byteOffset", { value: 1e6 });
      const revoked = Proxy.revocable([], {});
      revoked.revoke();
      const sentinel = new Error("from the getter");
      const throwingList = new Proxy(["chat"], { get() { throw sentinel; } });
      const cases = {
        "send(view of a detached buffer)": () => open.send(detachedView),
        "send(view with a redefined byteOffset)": () => open.send(lyingView),
        "reconnecting send(detached buffer)": () => reconnecting.send(detached),
        "reconnecting send(view of a detached buffer)": () => reconnecting.send(detachedView),
        "reconnecting send(fake ArrayBuffer)": () => reconnecting.send(Object.create(ArrayBuffer.prototype)),
        "reconnecting send(fake ArrayBuffer with a byteLength)": () => reconnecting.send(fakeWithLength),
        "send(view whose buffer is a fake)": () => open.send(viewOfFake),
        "heartbeat message of a detached buffer": () => new Socket("/echo", { reconnect: true, heartbeat: { message: detached } }),
        "new Socket(fake URL)": () => new Socket(Object.create(URL.prototype)),
        "new Socket(Proxy of a URL)": () => new Socket(new Proxy(new URL("/echo", location.href), {})),
        "revoked protocols": () => new Socket("/echo", { protocols: revoked.proxy }),
        "throwing protocols": () => new Socket("/echo", { protocols: throwingList }),
      };
      const names = {};
      for (const [label, call] of Object.entries(cases)) {
        const seen = new Set();
        for (let i = 0; i < 6000; i++) {
          try {
            call();
            seen.add("no error");
          } catch (error) {
            seen.add(error === sentinel ? "the getter's error" : error.name);
          }
        }
        names[label] = [...seen].join(", ");
      }
      let longUrl;
      try { new Socket(`/echo?${"q".repeat(2 << 20)}`); } catch (error) { longUrl = error.name; }
      open.send("still alive");
      const echo = (await open.messages().next()).value;
      open.free();
      // (The fakes it sent went as text, "[object ArrayBuffer]", and echo back first.)
      const iterator = reconnecting.messages();
      reconnecting.send("reconnecting still alive");
      let reconnectingEcho;
      do reconnectingEcho = (await iterator.next()).value;
      while (reconnectingEcho === "[object ArrayBuffer]");
      reconnecting.free();
      return { names, longUrl, echo, reconnectingEcho };
    });
    assert.deepEqual(result.names, {
      "send(view of a detached buffer)": "TypeError",
      "send(view with a redefined byteOffset)": "TypeError",
      "reconnecting send(detached buffer)": "TypeError",
      "reconnecting send(view of a detached buffer)": "TypeError",
      // Not ArrayBuffers: converted to strings ("[object ArrayBuffer]"), as WebSocket does.
      "reconnecting send(fake ArrayBuffer)": "no error",
      "reconnecting send(fake ArrayBuffer with a byteLength)": "no error",
      "send(view whose buffer is a fake)": "TypeError",
      "heartbeat message of a detached buffer": "TypeError",
      "new Socket(fake URL)": "TypeError",
      "new Socket(Proxy of a URL)": "TypeError",
      "revoked protocols": "TypeError",
      "throwing protocols": "the getter's error",
    });
    assert.equal(result.longUrl, "SyntaxError");
    assert.equal(result.echo, "still alive");
    assert.equal(result.reconnectingEcho, "reconnecting still alive");
  });

  test("data too large to copy into wasm memory is a RangeError, not a trap", async () => {
    // With reconnect, binary data is copied into wasm memory (for the queue) and so is a
    // binary heartbeat message. A copy that cannot be allocated used to trap, killing every
    // socket of the page; a buffer over 4 GiB was also cut to its first 4 GiB.
    const result = await run(async ({ Socket }) => {
      const reconnecting = new Socket("/echo", { reconnect: true });
      await reconnecting.opened;
      const outcome = (call) => {
        try {
          call();
          return "no error";
        } catch (error) {
          return `${error.name}: ${error.message}`;
        }
      };
      const twoGiB = new ArrayBuffer(2 ** 31);
      const fiveGiB = new ArrayBuffer(5 * 2 ** 30);
      const outcomes = {
        "send(2 GiB buffer)": outcome(() => reconnecting.send(twoGiB)),
        "send(view of 2 GiB)": outcome(() => reconnecting.send(new Uint8Array(twoGiB))),
        "send(5 GiB buffer)": outcome(() => reconnecting.send(fiveGiB)),
        "heartbeat message of 2 GiB": outcome(() => new Socket("/echo", { reconnect: true, heartbeat: { message: twoGiB } })),
      };
      reconnecting.binaryType = "arraybuffer";
      reconnecting.send(new Uint8Array([1, 2, 3]));
      const echo = Array.from(new Uint8Array((await reconnecting.messages().next()).value));
      reconnecting.free();
      return { outcomes, fiveGiB: fiveGiB.byteLength, echo };
    });
    assert.equal(result.fiveGiB, 5 * 2 ** 30, "the browser made a 5 GiB buffer");
    const refused = "RangeError: the data is too large to copy into wasm memory (for the queue or the heartbeat)";
    assert.deepEqual(result.outcomes, {
      "send(2 GiB buffer)": refused,
      "send(view of 2 GiB)": refused,
      "send(5 GiB buffer)": refused,
      "heartbeat message of 2 GiB": refused,
    });
    assert.deepEqual(result.echo, [1, 2, 3], "the socket still works");
  });
});

describe("README", () => {
  test("the JS quick start runs as written, and the package README carries the same code", async () => {
    const { readFileSync } = await import("node:fs");
    const block = (text) => {
      const start = text.indexOf("```js\n", text.indexOf("<!-- js-quick-start -->"));
      return text.slice(start + 6, text.indexOf("```\n", start + 6));
    };
    const readme = readFileSync("README.md", "utf8");
    assert.ok(readme.includes("<!-- js-quick-start -->"), "README.md has the marker");
    const code = block(readme);
    const packageReadme = readFileSync("js/README.md", "utf8");
    assert.ok(packageReadme.includes(code), "js/README.md shows the same quick start");
    const logs = [];
    const onConsole = (message) => logs.push(message.text());
    page.on("console", onConsole);
    await page.evaluate(async (source) => {
      const body = source.replace('import init, { Socket } from "browser-ws";', "const { default: init, Socket } = window.bws;");
      await new Function(`return (async () => {\n${body}\n})()`)();
    }, code);
    page.off("console", onConsole);
    assert.deepEqual(logs, ["text: hello", "bytes: 1,2,3", "closed: 4000 done true"]);
  });
});
