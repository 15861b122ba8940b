// The lifetime of a JS `Socket` and its async iterators, in headless Chromium (with `gc()`
// exposed) against the project's server, for both backends (one connection, and `reconnect`):
//
// - Iterators claim the message stream while they live: `return()` (a `break` out of
//   `for await`), the end of the stream, `free()` or garbage collection releases an iterator's
//   claim, and when no claim is left nothing is kept for iterators any more. Measured: the JS
//   heap and wasm memory stay flat while 10,000 messages of 1 KiB arrive after a `break`.
// - `free()` closes at once (1000; a handshake is aborted) and settles everything pending:
//   `next()` and `opened` reject with a `Freed` error, `closed` resolves with the final close.
// - Garbage collection closes an unreachable socket whatever is pending on it (a cached
//   `opened`, a dropped iterator, a pending `next()`), checked on the server (`/record` keeps
//   the client's close frame, `/report` returns it); but an iterator that is still reachable,
//   as in `for await (const data of new Socket(url))`, keeps its socket alive.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";

import { HTTP, launch, packagePage } from "./harness.mjs";

let browser;
let page;

before(async () => {
  browser = await launch({ exposeGc: true });
  page = await packagePage(browser);
  await page.evaluate(() => {
    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    window.t = {
      sleep,
      /** What a promise did within `ms`: its value, `name: message` if it rejected, or "pending". */
      async settle(promise, ms = 3000) {
        const timeout = Symbol("pending");
        try {
          const value = await Promise.race([promise, sleep(ms).then(() => timeout)]);
          return value === timeout ? "pending" : value;
        } catch (error) {
          return `${error?.name}: ${error?.message}`;
        }
      },
      /** Full collections, with time between them for FinalizationRegistry callbacks. */
      async collect(rounds = 8) {
        for (let i = 0; i < rounds; i++) {
          gc();
          await sleep(25);
        }
      },
      /** The close frame `/record?id=...` received, as "CODE REASON" (waits up to 10 s). */
      async report(id) {
        for await (const data of new window.bws.Socket(`/report?id=${id}`)) return data;
        return "no report";
      },
    };
  });
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

const BACKENDS = [
  ["one connection", null],
  ["reconnect", { reconnect: true }],
];
const FREED = "Freed: the socket was freed (by free() or garbage collection)";
let ids = 0;
const uniqueId = (what) => `js-lifetime-${what}-${Date.now()}-${ids++}`;

for (const [backend, options] of BACKENDS) {
  describe(`Socket lifetime (${backend})`, () => {
    test("after a break out of for await, 10,000 messages through onmessage leave the JS heap and wasm memory flat", async () => {
      await run(async ({ Socket }, options) => {
        // Binary messages in ArrayBuffer mode: the JS heap's measure counts ArrayBuffers (its
        // backing stores), not the text of received strings (Blink keeps that outside V8).
        const socket = new Socket("/echo", { ...options, binaryType: "arraybuffer" });
        await socket.opened;
        window.memorySocket = socket;
        window.memoryCount = 0;
        socket.onmessage = () => { window.memoryCount++; };
        socket.send("first");
        for await (const data of socket) {
          if (data === "first") break;
        }
      }, options);
      const cdp = await page.context().newCDPSession(page);
      const measure = async () => {
        for (let i = 0; i < 3; i++) await cdp.send("HeapProfiler.collectGarbage");
        const usage = await cdp.send("Runtime.getHeapUsage");
        const wasm = await page.evaluate(async () => (await window.bws.default()).memory.buffer.byteLength);
        return { heap: usage.usedSize + usage.embedderHeapUsedSize + usage.backingStorageSize, wasm };
      };
      const before = await measure();
      const arrived = await run(async () => {
        const socket = window.memorySocket;
        const base = window.memoryCount;
        for (let i = 0; i < 10_000; i++) {
          const message = new Uint8Array(1024);
          new DataView(message.buffer).setUint32(0, i);
          socket.send(message);
        }
        const deadline = Date.now() + 60_000;
        while (window.memoryCount - base < 10_000 && Date.now() < deadline) await window.t.sleep(20);
        return window.memoryCount - base;
      });
      assert.equal(arrived, 10_000, "every message reached onmessage");
      const afterwards = await measure();
      await cdp.detach();
      const growth = { heap: afterwards.heap - before.heap, wasm: afterwards.wasm - before.wasm };
      console.log(`# ${backend}: JS heap (V8, embedder, ArrayBuffers) ${before.heap} -> ${afterwards.heap} bytes (${growth.heap >= 0 ? "+" : ""}${growth.heap}), wasm memory ${before.wasm} -> ${afterwards.wasm} bytes (+${growth.wasm})`);
      // The 10,000 messages are 10 MiB: a stream still claimed keeps them all (the received
      // ArrayBuffers for one connection, copies in wasm memory with reconnect).
      assert.ok(growth.heap < 2 * 2 ** 20, `JS heap grew by ${growth.heap} bytes`);
      assert.ok(growth.wasm < 2 * 2 ** 20, `wasm memory grew by ${growth.wasm} bytes`);
      // A later iterator gets the messages sent after it was made, not the old ones.
      const next = await run(async () => {
        const socket = window.memorySocket;
        window.memorySocket = undefined;
        const iterator = socket.messages();
        socket.send("after");
        const result = await window.t.settle(iterator.next());
        socket.free();
        return typeof result.value === "string" ? result : { bytes: result.value?.byteLength };
      });
      assert.deepEqual(next, { value: "after", done: false });
    });

    test("the stream is released when the last iterator returns or is freed or collected; a later one gets messages from then on", async () => {
      const result = await run(async ({ Socket }, options) => {
        const { settle, sleep, collect } = window.t;
        const socket = new Socket("/echo", options ?? undefined);
        await socket.opened;
        const seen = [];
        socket.onmessage = (event) => seen.push(event.data);
        const echoed = async (data) => {
          socket.send(data);
          while (!seen.includes(data)) await sleep(5);
        };
        const out = {};
        // Two iterators: the first one's return() leaves the stream to the second.
        const first = socket.messages();
        const second = socket.messages();
        out.firstReturn = await settle(first.return());
        await echoed("1");
        out.second = await settle(second.next());
        out.secondReturn = await settle(second.return());
        // Nobody reads now: "2" is not kept for a later iterator.
        await echoed("2");
        const third = socket.messages();
        socket.send("3");
        out.third = await settle(third.next());
        // A freed iterator releases its claim too.
        third.free();
        await echoed("4");
        const fourth = socket.messages();
        socket.send("5");
        out.fourth = await settle(fourth.next());
        await fourth.return();
        // And one that is garbage-collected.
        (() => { socket.messages(); })();
        await collect();
        await echoed("6");
        const fifth = socket.messages();
        socket.send("7");
        out.fifth = await settle(fifth.next());
        // return() ends that iterator's pending next() too.
        const pending = fifth.next();
        out.returned = await settle(fifth.return());
        out.pending = await settle(pending, 1000);
        out.afterReturn = await settle(fifth.next());
        socket.free();
        return out;
      }, options);
      const done = { value: undefined, done: true };
      assert.deepEqual(result, {
        firstReturn: done,
        second: { value: "1", done: false },
        secondReturn: done,
        third: { value: "3", done: false },
        fourth: { value: "5", done: false },
        fifth: { value: "7", done: false },
        returned: done,
        pending: done,
        afterReturn: done,
      });
    });

    test("free() closes at once with 1000 and settles what is pending: next() rejects with Freed, closed resolves", async () => {
      const id = uniqueId("free");
      const result = await run(async ({ Socket }, { options, id }) => {
        const { settle } = window.t;
        const socket = new Socket(`/record?id=${id}`, options ?? undefined);
        await socket.opened;
        const iterator = socket.messages();
        const pending = iterator.next();
        const closed = socket.closed;
        socket.free();
        return {
          pending: await settle(pending),
          later: await settle(iterator.next()),
          returned: await settle(iterator.return()),
          afterReturn: await settle(iterator.next()),
          closed: await settle(closed),
          report: await window.t.report(id),
        };
      }, { options, id });
      assert.deepEqual(result, {
        pending: FREED,
        later: FREED,
        returned: { value: undefined, done: true },
        afterReturn: { value: undefined, done: true },
        closed: { code: 1000, reason: "", wasClean: true },
        report: "1000 ",
      });
    });

    test("free() while connecting aborts the handshake: a pending opened rejects with Freed, closed resolves with 1006", async () => {
      const result = await run(async ({ Socket }, options) => {
        const { settle } = window.t;
        const socket = new Socket("/hang", options ?? undefined);
        const opened = socket.opened;
        const closed = socket.closed;
        const started = performance.now();
        socket.free();
        return {
          opened: await settle(opened),
          closed: await settle(closed),
          fast: performance.now() - started < 2000,
        };
      }, options);
      assert.deepEqual(result, {
        opened: FREED,
        closed: { code: 1006, reason: "", wasClean: false },
        fast: true,
      });
    });

    test("free() from inside its own event handlers closes and settles the same way", async () => {
      const result = await run(async ({ Socket }, options) => {
        const { settle } = window.t;
        const out = {};
        for (const event of options ? ["open", "message", "state"] : ["open", "message"]) {
          const socket = new Socket("/echo", options ?? undefined);
          const pending = settle(socket.messages().next());
          const closed = settle(socket.closed);
          let freed = "not called";
          socket[`on${event}`] = () => {
            if (freed !== "not called") return;
            try {
              socket.free();
              freed = "ok";
            } catch (error) {
              freed = `${error.name}: ${error.message}`;
            }
          };
          if (event === "message") {
            await socket.opened;
            socket.send("x");
          }
          while (freed === "not called") await window.t.sleep(5);
          out[event] = { freed, pending: await pending, closed: await closed };
        }
        return out;
      }, options);
      const expected = { freed: "ok", pending: FREED, closed: { code: 1000, reason: "", wasClean: true } };
      assert.deepEqual(result, options ? { open: expected, message: expected, state: expected } : { open: expected, message: expected });
    });

    test("garbage collection closes an unreachable socket with a cached opened, a dropped iterator, or a pending next()", async () => {
      const cases = ["opened", "iterator", "next", "nothing"];
      const id = Object.fromEntries(cases.map((kind) => [kind, uniqueId(`gc-${kind}`)]));
      await run(async ({ Socket }, { options, id }) => {
        // Each socket is made and dropped inside its own function, so nothing here keeps it.
        const make = async (kind) => {
          const socket = new Socket(`/record?id=${id[kind]}`, options ?? undefined);
          await socket.opened;
          if (kind === "opened") socket.opened.then(() => {});
          if (kind === "iterator") socket.messages();
          if (kind === "next") socket.messages().next().catch(() => {});
        };
        for (const kind of Object.keys(id)) await make(kind);
        // A socket still connecting, with a pending opened: only its closed promise is kept.
        window.hangClosed = (() => {
          const socket = new Socket("/hang", options ?? undefined);
          socket.opened.catch(() => {});
          return socket.closed;
        })();
      }, { options, id });
      const result = await run(async (_, ids) => {
        const { collect, report, settle } = window.t;
        await collect();
        const out = { hang: await settle(window.hangClosed) };
        window.hangClosed = undefined;
        for (const [kind, id] of Object.entries(ids)) out[kind] = await report(id);
        return out;
      }, id);
      assert.deepEqual(result, {
        hang: { code: 1006, reason: "", wasClean: false },
        opened: "1000 ",
        iterator: "1000 ",
        next: "1000 ",
        nothing: "1000 ",
      });
    });

    test("a reachable iterator keeps its socket alive: for await over new Socket(url) survives gc()", async () => {
      const result = await run(async ({ Socket }, options) => {
        const { sleep } = window.t;
        const received = [];
        let error;
        try {
          for await (const data of new Socket("/numbered?n=30&delay_ms=15", options ?? undefined)) {
            received.push(typeof data === "string" ? Number(data) : "binary");
            gc();
            await sleep(0);
            // With reconnect, the server's close is followed by a reconnect: stop at 30.
            if (received.length === 30) break;
          }
        } catch (thrown) {
          error = `${thrown.name}: ${thrown.message}`;
        }
        return { count: received.length, error };
      }, options);
      assert.deepEqual(result, { count: 30, error: undefined });
    });
  });
}
