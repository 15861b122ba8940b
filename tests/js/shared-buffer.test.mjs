// Proves, in headless Chromium against the project's server, that `Socket.send` takes a
// SharedArrayBuffer and every view over one, which the browser's own `WebSocket.send` refuses
// (a TypeError, measured here too): the bytes are copied at the call, into an ordinary
// ArrayBuffer (plain socket) or into wasm memory (reconnecting socket, for its queue), and
// arrive exactly as they were, at every size from 0 to 1 MiB, from any offset. On a
// cross-origin-isolated page (the server's default: COOP same-origin, COEP require-corp), with
// `new SharedArrayBuffer`; on a page that is not (`?isolated=0`), where the global is hidden,
// with the buffer of a shared `WebAssembly.Memory`, which is a SharedArrayBuffer all the same.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";

import { HTTP, launch, pageErrors } from "./harness.mjs";

let browser;
const pages = [];

/** A blank page on the server (`query` added to its URL) with the package as `window.bws`. */
async function packagePage(query = "") {
  const page = await browser.newPage();
  page.uncaughtErrors = pageErrors(page);
  await page.goto(`${HTTP}/tests/js/workers/index.html${query}`);
  await page.evaluate(async () => {
    const module = await import("/pkg/index.js");
    await module.default();
    window.bws = module;
  });
  pages.push(page);
  return page;
}

before(async () => {
  browser = await launch();
});

after(async () => {
  try {
    for (const page of pages) assert.deepEqual(page.uncaughtErrors.map(String), [], "no uncaught errors in the page");
  } finally {
    await browser?.close();
  }
});

/**
 * In the page: sends each case's data on a `Socket` to /echo (arraybuffer mode), changes the
 * shared bytes right after the call, and compares each echo with the bytes at the time of the
 * call. Returns one row per case: `{ name, sent, length, same }` or `{ name, threw }`.
 */
function sendCases(page, { reconnect }) {
  return page.evaluate(async ({ reconnect }) => {
    const { Socket } = window.bws;
    /**
     * A SharedArrayBuffer of `size` bytes from the global or, where it is hidden, of at least
     * `size` bytes from shared wasm memory (whole 64 KiB pages).
     */
    const shared = (size) => {
      if (typeof SharedArrayBuffer === "function") return new SharedArrayBuffer(size);
      const pages = Math.max(1, Math.ceil(size / 65536));
      return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true }).buffer;
    };
    const filled = (size) => {
      const buffer = shared(size);
      const bytes = new Uint8Array(buffer);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + 7) & 255;
      return buffer;
    };
    const bytesOf = (data) => (ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data));
    const cases = [
      ["Uint8Array of 0 bytes", () => new Uint8Array(filled(0), 0, 0)],
      ["Uint8Array of 1 byte", () => new Uint8Array(filled(1), 0, 1)],
      ["Uint8Array of 1000 bytes", () => new Uint8Array(filled(4096), 0, 1000)],
      ["Uint8Array of 1 MiB", () => new Uint8Array(filled(1 << 20), 0, 1 << 20)],
      ["subarray at offset 3", () => new Uint8Array(filled(4096)).subarray(3, 4000)],
      ["empty subarray at offset 9", () => new Uint8Array(filled(64)).subarray(9, 9)],
      ["Uint16Array at byte offset 2", () => new Uint16Array(filled(64), 2, 10)],
      ["Float64Array", () => new Float64Array(filled(256), 8, 4)],
      ["DataView at offset 1", () => new DataView(filled(64), 1, 7)],
      ["the SharedArrayBuffer itself", () => filled(65536)],
    ];
    const socket = new Socket("/echo", { binaryType: "arraybuffer", ...(reconnect ? { reconnect: true } : {}) });
    const rows = [];
    // With reconnect, the first sends are queued (copied into wasm memory) until open.
    if (!reconnect) await socket.opened;
    const messages = socket.messages();
    const expected = [];
    for (const [name, make] of cases) {
      const data = make();
      const before = bytesOf(data).slice();
      let sent;
      try {
        sent = socket.send(data);
      } catch (error) {
        rows.push({ name, threw: { isError: error instanceof Error, name: error.name, message: error.message } });
        continue;
      }
      // The copy was made at the call: later writes to the shared bytes are not sent.
      bytesOf(data).fill(0xee);
      expected.push(before);
      rows.push({ name, sent });
    }
    const received = [];
    for (let i = 0; i < expected.length; i++) received.push((await messages.next()).value);
    let next = 0;
    for (const row of rows) {
      if (row.threw) continue;
      const want = expected[next];
      const got = new Uint8Array(received[next++]);
      row.length = got.length;
      row.same = got.length === want.length && got.every((byte, i) => byte === want[i]);
    }
    socket.close();
    await socket.closed;
    return rows;
  }, { reconnect });
}

/** What every case must give: its length, the same bytes, and `send`'s usual result. */
function expectedRows(sent) {
  return [
    ["Uint8Array of 0 bytes", 0],
    ["Uint8Array of 1 byte", 1],
    ["Uint8Array of 1000 bytes", 1000],
    ["Uint8Array of 1 MiB", 1 << 20],
    ["subarray at offset 3", 3997],
    ["empty subarray at offset 9", 0],
    ["Uint16Array at byte offset 2", 20],
    ["Float64Array", 32],
    ["DataView at offset 1", 7],
    ["the SharedArrayBuffer itself", 65536],
  ].map(([name, length], i) => ({ name, sent: typeof sent === "function" ? sent(i) : sent, length, same: true }));
}

/** The browser's own `WebSocket.send` of a view over a SharedArrayBuffer, and of one itself. */
function rawSend(page) {
  return page.evaluate(async () => {
    const buffer = typeof SharedArrayBuffer === "function"
      ? new SharedArrayBuffer(8)
      : new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer;
    const socket = new WebSocket(new URL("/echo", location.href).href.replace(/^http/, "ws"));
    await new Promise((resolve) => (socket.onopen = resolve));
    const attempt = (data) => {
      try {
        socket.send(data);
        return "sent";
      } catch (error) {
        return `${error.name}: ${error.message}`;
      }
    };
    const result = { view: attempt(new Uint8Array(buffer)), buffer: attempt(buffer) };
    socket.close();
    return result;
  });
}

describe("a cross-origin-isolated page", () => {
  let page;
  before(async () => {
    page = await packagePage();
  });

  test("is isolated, has SharedArrayBuffer, and the browser's WebSocket refuses shared views", async () => {
    const environment = await page.evaluate(() => ({
      isolated: crossOriginIsolated,
      constructor: typeof SharedArrayBuffer,
      isShared: Object.prototype.toString.call(new SharedArrayBuffer(1)),
    }));
    assert.deepEqual(environment, { isolated: true, constructor: "function", isShared: "[object SharedArrayBuffer]" });
    const raw = await rawSend(page);
    // Measured: Chromium throws a TypeError for both ("... must not be shared").
    assert.match(raw.view, /^TypeError: /, `raw WebSocket.send of a shared view: ${raw.view}`);
    assert.match(raw.buffer, /^TypeError: /, `raw WebSocket.send of a SharedArrayBuffer: ${raw.buffer}`);
  });

  test("Socket.send copies SharedArrayBuffer data of every size and offset, which arrives exactly", async () => {
    assert.deepEqual(await sendCases(page, { reconnect: false }), expectedRows("sent"));
  });

  test("with reconnect, shared data is copied for the queue too, and arrives exactly", async () => {
    // The socket is still connecting at the first sends: those are queued, the rest sent or queued.
    const rows = await sendCases(page, { reconnect: true });
    assert.equal(rows[0].sent, "queued", "the first send is made while connecting");
    assert.ok(rows.every((row) => row.sent === "queued" || row.sent === "sent"), JSON.stringify(rows.map((row) => row.threw ?? row.sent)));
    assert.deepEqual(rows, expectedRows((i) => rows[i].sent));
  });

  test("a SharedArrayBuffer heartbeat message is accepted (copied)", async () => {
    const result = await page.evaluate(async () => {
      const { Socket } = window.bws;
      const message = new Uint8Array(new SharedArrayBuffer(4)).fill(1);
      try {
        const socket = new Socket("/echo", { reconnect: true, heartbeat: { message, interval: 1000 } });
        await socket.opened;
        socket.close();
        return (await socket.closed).code;
      } catch (error) {
        return `${error.name}: ${error.message}`;
      }
    });
    assert.equal(result, 1000);
  });
});

describe("a page that is not cross-origin-isolated (?isolated=0)", () => {
  let page;
  before(async () => {
    page = await packagePage("?isolated=0");
  });

  test("has no SharedArrayBuffer global, but shared wasm memory is one", async () => {
    const environment = await page.evaluate(() => ({
      isolated: crossOriginIsolated,
      constructor: typeof SharedArrayBuffer,
      memory: Object.prototype.toString.call(new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer),
    }));
    assert.deepEqual(environment, { isolated: false, constructor: "undefined", memory: "[object SharedArrayBuffer]" });
    const raw = await rawSend(page);
    assert.match(raw.view, /^TypeError: /, `raw WebSocket.send of a shared view: ${raw.view}`);
    assert.match(raw.buffer, /^TypeError: /, `raw WebSocket.send of a SharedArrayBuffer: ${raw.buffer}`);
  });

  test("Socket.send copies views over shared wasm memory, which arrive exactly", async () => {
    assert.deepEqual(await sendCases(page, { reconnect: false }), expectedRows("sent"));
  });

  test("with reconnect, too", async () => {
    const rows = await sendCases(page, { reconnect: true });
    assert.deepEqual(rows, expectedRows((i) => rows[i].sent));
  });
});
