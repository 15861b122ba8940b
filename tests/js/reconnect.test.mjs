// Proves, in headless Chromium against the project's server, the JS `Socket`'s `reconnect`,
// `queue` and `heartbeat` options: reconnecting after a restart-style close (1012) with every
// transition reported as a `state` event (and `onstate`), `open` per connection and one final
// `close`; no reconnect after 1008 unless `shouldReconnect` (given `{ cause, close, failures,
// uptime }`) says so, and it decides after timeouts too; giving up after `maxRetries` against
// a closed port, and against a server that accepts and closes at once (`minUptime`); a
// give-up after timeouts rejects the iteration with a fresh 1006; the connect timeout; sends
// queued while connecting and flushed in order before later ones; `QueueFull` with the refused
// data; heartbeat replies swallowed, any message a sign of life unless `requireReply`, and a
// reconnect when they stop; `close()` cancelling a pending retry, also from a
// `state` listener; async iteration across connections; a table of invalid options, each a
// TypeError or RangeError with a clear message; throwing callbacks reported, never trapping.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";

import { HTTP, launch, packagePage } from "./harness.mjs";

const WS = HTTP.replace(/^http/, "ws");
let browser;
let page;

before(async () => {
  browser = await launch();
  page = await packagePage(browser);
  await page.evaluate(() => {
    // Waits until `condition()` is truthy (polling), or throws after `ms`.
    window.until = async (condition, what, ms = 10_000) => {
      const deadline = performance.now() + ms;
      while (!condition()) {
        if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    window.sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    // Exceptions the page reports on purpose (throwing callbacks), by message.
    window.reported = [];
    window.addEventListener("error", (event) => window.reported.push(String(event.error?.message ?? event.message)));
  });
});

after(async () => {
  // The throwing callbacks' exceptions are reported on purpose; nothing else may be.
  const unexpected = page.uncaughtErrors.map(String).filter((e) => !/deliberate/.test(e));
  assert.deepEqual(unexpected, [], "no uncaught errors in the page");
  await browser?.close();
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

/** A loopback port nothing listens on. */
async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const FAST = { initialDelay: 20, maxDelay: 100 };

describe("Socket with reconnect", { timeout: 30_000 }, () => {
  test("reconnects after 1012, reporting every transition, an open per connection and one close", async () => {
    const result = await run(async ({ Socket }, fast) => {
      // With no minimum uptime, every connection that opened counts as a success.
      const socket = new Socket("/close?code=1012&reason=restart", { reconnect: { ...fast, minUptime: 0 } });
      const initial = { state: socket.state, readyState: socket.readyState };
      const states = [];
      const viaProperty = [];
      const readyStates = [];
      let opens = 0;
      const closes = [];
      socket.onstate = (event) => viaProperty.push(event.detail.state);
      socket.addEventListener("state", (event) => {
        states.push({ ...event.detail, isCustomEvent: event instanceof CustomEvent, getter: socket.state.state });
        readyStates.push(socket.readyState);
      });
      socket.addEventListener("open", () => opens++);
      socket.addEventListener("close", (event) => closes.push({ code: event.code, reason: event.reason, wasClean: event.wasClean }));
      await socket.opened;
      await until(() => opens >= 2 && states.at(-1).state === "reconnecting", "two cycles");
      socket.close();
      const closed = await socket.closed;
      await sleep(100);
      return { initial, states, viaProperty, readyStates, opens, closes, closed, final: socket.readyState, finalState: socket.state };
    }, FAST);
    assert.deepEqual(result.initial, { state: { state: "connecting", attempt: 0 }, readyState: 0 });
    const [open1, reconnecting, connecting, open2, reconnecting2] = result.states;
    assert.deepEqual(open1, { state: "open", isCustomEvent: true, getter: "open" });
    assert.equal(reconnecting.state, "reconnecting");
    assert.equal(reconnecting.attempt, 1);
    assert.ok(reconnecting.delay >= 0 && reconnecting.delay <= 20, `full jitter under the 20 ms ceiling: ${reconnecting.delay}`);
    assert.deepEqual(reconnecting.cause, { type: "closed", code: 1012, reason: "restart", wasClean: true });
    assert.deepEqual(connecting, { state: "connecting", attempt: 1, isCustomEvent: true, getter: "connecting" });
    assert.equal(open2.state, "open");
    assert.equal(reconnecting2.attempt, 1, "a successful open resets the count");
    assert.equal(result.readyStates[0], 1, "OPEN when open");
    assert.equal(result.readyStates[1], 0, "CONNECTING while waiting to retry");
    const last = result.states.at(-1);
    assert.equal(last.state, "closed");
    assert.deepEqual(last.close, result.closed);
    assert.deepEqual(result.viaProperty, result.states.map((s) => s.state), "onstate sees every transition");
    assert.ok(result.opens >= 2);
    assert.equal(result.opens, result.states.filter((s) => s.state === "open").length, "one open event per connection");
    assert.deepEqual(result.closes, [result.closed], "one close event, when closed for good");
    assert.equal(result.final, 3);
    assert.deepEqual(result.finalState, { state: "closed", close: result.closed });
  });

  test("1008 is final by default; shouldReconnect can allow it", async () => {
    const result = await run(async ({ Socket }, fast) => {
      const policy = new Socket("/close?code=1008&reason=go%20away", { reconnect: fast });
      const states = [];
      policy.onstate = (event) => states.push(event.detail.state);
      const received = [];
      for await (const data of policy) received.push(data);
      const closed = await policy.closed;
      let late;
      try { late = policy.send("late"); } catch (error) { late = error.name; }

      const seen = [];
      const allowed = new Socket("/close?code=1008&reason=x", {
        reconnect: { ...fast, shouldReconnect: (context) => { seen.push(context); return seen.length < 3; } },
      });
      const allowedStates = [];
      allowed.onstate = (event) => allowedStates.push(event.detail.state);
      const allowedClosed = await allowed.closed;
      return { states, received, closed, late, seen, allowedStates, allowedClosed };
    }, FAST);
    assert.deepEqual(result.states, ["open", "closed"]);
    assert.deepEqual(result.received, [], "a clean final close ends the iteration quietly");
    assert.deepEqual(result.closed, { code: 1008, reason: "go away", wasClean: true });
    assert.equal(result.late, "discarded", "a send once closed for good is discarded, as WebSocket does");
    assert.deepEqual(result.seen.map(({ uptime, ...rest }) => rest), [1, 2, 3].map((failures) => (
      { cause: "close", close: { code: 1008, reason: "x", wasClean: true }, failures }
    )), "each a failure in a row: open for less than the 5 s minimum uptime");
    for (const { uptime } of result.seen) assert.ok(uptime >= 0 && uptime < 5000, `uptime ${uptime} ms`);
    assert.equal(result.allowedStates.filter((s) => s === "reconnecting").length, 2);
    assert.equal(result.allowedStates.at(-1), "closed");
    assert.deepEqual(result.allowedClosed, { code: 1008, reason: "x", wasClean: true });
  });

  test("gives up after maxRetries against a closed port", async () => {
    const port = await freePort();
    const result = await run(async ({ Socket }, port) => {
      const socket = new Socket(`ws://127.0.0.1:${port}/`, { reconnect: { initialDelay: 10, maxRetries: 2 } });
      const states = [];
      socket.onstate = (event) => states.push(event.detail);
      let opened;
      try { await socket.opened; opened = "resolved"; } catch (error) { opened = error.name; }
      let iteration;
      try { for await (const _ of socket) { /* nothing */ } iteration = "ended"; } catch (error) { iteration = error.name; }
      return { states, opened, iteration, closed: await socket.closed, readyState: socket.readyState };
    }, port);
    assert.deepEqual(result.states.map((s) => [s.state, s.attempt]), [
      ["reconnecting", 1], ["connecting", 1], ["reconnecting", 2], ["connecting", 2], ["closed", undefined],
    ]);
    assert.deepEqual(result.states[0].cause, { type: "closed", code: 1006, reason: "", wasClean: false });
    assert.equal(result.opened, "ConnectFailed");
    assert.equal(result.iteration, "ConnectFailed");
    assert.deepEqual(result.closed, { code: 1006, reason: "", wasClean: false });
    assert.equal(result.readyState, 3);
  });

  test("a handshake slower than connectTimeout is aborted and retried", async () => {
    const result = await run(async ({ Socket }, fast) => {
      const started = performance.now();
      const socket = new Socket("/slow?ms=3000", { reconnect: { ...fast, connectTimeout: 150 } });
      const reconnecting = await new Promise((resolve) => {
        socket.onstate = (event) => { if (event.detail.state === "reconnecting") resolve(event.detail); };
      });
      const elapsed = performance.now() - started;
      socket.close();
      return { reconnecting, elapsed, closed: await socket.closed };
    }, FAST);
    assert.equal(result.reconnecting.attempt, 1);
    assert.deepEqual(result.reconnecting.cause, { type: "connect-timeout" });
    assert.ok(result.elapsed >= 140 && result.elapsed < 2000, `timed out after ${result.elapsed} ms`);
    assert.equal(result.closed.code, 1006, "no connection ever reported a close");
  });

  test("sends while connecting are queued and flushed in order before later ones", async () => {
    const result = await run(async ({ Socket }, fast) => {
      const socket = new Socket("/echo", { reconnect: fast, binaryType: "arraybuffer" });
      const iterator = socket.messages();
      const deliveries = [];
      for (let i = 0; i < 5; i++) deliveries.push(socket.send(`queued ${i}`));
      deliveries.push(socket.send(new Uint8Array([1, 2, 3])));
      const queue = { messages: socket.queuedMessages, bytes: socket.queuedBytes };
      let blobEarly;
      try { socket.send(new Blob(["b"])); } catch (error) { blobEarly = error.name; }
      socket.onopen = () => deliveries.push(socket.send("after open"));
      await socket.opened;
      const received = [];
      for (let i = 0; i < 7; i++) {
        const { value } = await iterator.next();
        received.push(typeof value === "string" ? value : { kind: value.constructor.name, bytes: [...new Uint8Array(value)] });
      }
      const blobOpen = socket.send(new Blob([new Uint8Array([7])]));
      socket.binaryType = "blob";
      const blob = (await iterator.next()).value;
      const afterQueue = socket.queuedMessages;
      socket.close();
      await socket.closed;
      return {
        deliveries, queue, blobEarly, received, blobOpen, afterQueue,
        blob: { kind: blob.constructor.name, bytes: [...new Uint8Array(await blob.arrayBuffer())] },
      };
    }, FAST);
    assert.deepEqual(result.deliveries, [...Array(6).fill("queued"), "sent"]);
    assert.deepEqual(result.queue, { messages: 6, bytes: 5 * 8 + 3 });
    assert.equal(result.blobEarly, "NotOpen", "a Blob cannot be queued");
    assert.deepEqual(result.received, [
      "queued 0", "queued 1", "queued 2", "queued 3", "queued 4",
      { kind: "ArrayBuffer", bytes: [1, 2, 3] },
      "after open",
    ]);
    assert.equal(result.blobOpen, "sent");
    assert.deepEqual(result.blob, { kind: "Blob", bytes: [7] });
    assert.equal(result.afterQueue, 0);
  });

  test("a full queue throws QueueFull with the refused data; takeQueued drains it", async () => {
    const result = await run(async ({ Socket }, fast) => {
      const counted = new Socket("/slow?ms=2000", { reconnect: fast, queue: { maxMessages: 2 } });
      counted.send("a");
      counted.send(new Uint8Array([1, 2]));
      const refused = new Uint8Array([3]);
      let error;
      try { counted.send(refused); } catch (thrown) { error = thrown; }
      const full = {
        name: error.name, isError: error instanceof Error, message: error.message,
        sameData: error.data === refused, queued: counted.queuedMessages,
      };
      const taken = counted.takeQueued().map((d) => (typeof d === "string" ? d : [...new Uint8Array(d)]));
      const afterTake = [counted.queuedMessages, counted.queuedBytes, counted.send("c")];
      counted.close();

      const bytes = new Socket("/slow?ms=2000", { reconnect: fast, queue: { maxBytes: 10, maxMessages: Infinity } });
      bytes.send("12345");
      let byteError;
      try { bytes.send("123456"); } catch (thrown) { byteError = { name: thrown.name, data: thrown.data }; }
      const fits = bytes.send("12345");
      bytes.close();

      const none = new Socket("/slow?ms=2000", { reconnect: fast, queue: { maxMessages: 0 } });
      let noneError;
      try { none.send("x"); } catch (thrown) { noneError = thrown.name; }
      none.close();
      return { full, taken, afterTake, byteError, fits, noneError };
    }, FAST);
    assert.deepEqual(result.full, {
      name: "QueueFull", isError: true, message: "send queue full (2 messages, 3 bytes queued)", sameData: true, queued: 2,
    });
    assert.deepEqual(result.taken, ["a", [1, 2]]);
    assert.deepEqual(result.afterTake, [0, 0, "queued"]);
    assert.deepEqual(result.byteError, { name: "QueueFull", data: "123456" });
    assert.equal(result.fits, "queued", "exactly at the byte bound fits");
    assert.equal(result.noneError, "QueueFull");
  });

  test("heartbeat replies are swallowed and the connection stays up", async () => {
    const result = await run(async ({ Socket }, fast) => {
      let checked = 0;
      const text = new Socket("/echo", {
        reconnect: fast,
        heartbeat: { message: "ping", interval: 30, timeout: 500, isReply: (data) => { checked++; return data === "ping"; } },
      });
      const binary = new Socket("/echo", {
        reconnect: fast,
        binaryType: "arraybuffer",
        heartbeat: { message: new Uint8Array([9, 9]), interval: 30, timeout: 200 },
      });
      const events = { text: [], binary: [] };
      const states = { text: [], binary: [] };
      for (const [name, socket] of [["text", text], ["binary", binary]]) {
        socket.onmessage = (event) => events[name].push(typeof event.data === "string" ? event.data : [...new Uint8Array(event.data)]);
        socket.onstate = (event) => states[name].push(event.detail.state);
      }
      await Promise.all([text.opened, binary.opened]);
      await sleep(600);
      text.send("data");
      binary.send(new Uint8Array([1]));
      await until(() => events.text.length && events.binary.length, "the echoes");
      text.close();
      binary.close();
      await Promise.all([text.closed, binary.closed]);
      return { checked, events, states };
    }, FAST);
    assert.ok(result.checked >= 10, `pings were sent and their echoes checked (${result.checked})`);
    assert.deepEqual(result.events, { text: ["data"], binary: [[1]] });
    const expected = ["open", "closing", "closed"];
    assert.deepEqual(result.states, { text: expected, binary: expected }, "no heartbeat timeout");
  });

  test("a heartbeat without replies drops the connection and reconnects", async () => {
    const result = await run(async ({ Socket }, fast) => {
      const socket = new Socket("/echo", {
        reconnect: fast,
        // The server echoes the ping: with requireReply, only a reply is a sign of life.
        heartbeat: { message: "ping", interval: 50, timeout: 100, isReply: () => false, requireReply: true },
      });
      const states = [];
      const messages = [];
      let opens = 0;
      socket.onstate = (event) => states.push(event.detail);
      socket.onmessage = (event) => messages.push(event.data);
      socket.onopen = () => opens++;
      await until(() => opens >= 2, "the reconnect");
      socket.close();
      await socket.closed;
      return { states, messages, opens };
    }, FAST);
    const reconnecting = result.states.find((s) => s.state === "reconnecting");
    assert.deepEqual(reconnecting.cause, { type: "heartbeat-timeout" });
    assert.equal(reconnecting.attempt, 1);
    assert.ok(result.messages.includes("ping"), "messages that are not replies are delivered");
  });

  test("any message is a sign of life unless requireReply", async () => {
    const result = await run(async ({ Socket }, fast) => {
      // 20 messages 100 ms apart, then a clean close; none is a heartbeat reply.
      const socket = new Socket("/numbered?n=20&kind=text&delay_ms=100", {
        reconnect: { ...fast, maxRetries: 0 },
        heartbeat: { message: "ping", interval: 150, timeout: 300, isReply: () => false },
      });
      const states = [];
      socket.onstate = (event) => states.push(event.detail);
      let received = 0;
      for await (const _ of socket) received++;
      return { states, received, closed: await socket.closed };
    }, FAST);
    assert.equal(result.received, 20);
    assert.deepEqual(result.states.map((s) => s.state), ["open", "closed"], "no heartbeat timeout");
    assert.deepEqual(result.closed, { code: 1000, reason: "done", wasClean: true });
  });

  test("shouldReconnect decides after timeouts too, with why; giving up then rejects the iteration", async () => {
    const result = await run(async ({ Socket }, fast) => {
      const contexts = [];
      const hang = new Socket("/hang", {
        reconnect: { ...fast, connectTimeout: 200, shouldReconnect: (context) => { contexts.push(context); return false; } },
      });
      let hangIteration;
      try { for await (const _ of hang) { /* nothing */ } hangIteration = "ended"; } catch (error) { hangIteration = error.name; }
      const stepsStates = [];
      // A clean 1001 first, then handshakes that never answer: the give-up reports a fresh 1006.
      const id = `js-steps-${Date.now()}-${Math.random()}`;
      const steps = new Socket(`/steps?id=${id}&do=close:1001,hang`, {
        reconnect: { initialDelay: 20, maxRetries: 2, connectTimeout: 200 },
      });
      steps.onstate = (event) => stepsStates.push(event.detail);
      let stepsIteration;
      try { for await (const _ of steps) { /* nothing */ } stepsIteration = "ended"; } catch (error) { stepsIteration = error.name; }
      return {
        contexts,
        hangIteration,
        hangClosed: await hang.closed,
        stepsIteration,
        stepsClosed: await steps.closed,
        causes: stepsStates.filter((s) => s.state === "reconnecting").map((s) => s.cause.type),
      };
    }, FAST);
    assert.deepEqual(result.contexts, [{ cause: "connectTimeout", close: undefined, failures: 1, uptime: 0 }]);
    assert.equal(result.hangIteration, "ConnectFailed");
    assert.deepEqual(result.hangClosed, { code: 1006, reason: "", wasClean: false });
    assert.deepEqual(result.causes, ["closed", "connect-timeout"]);
    assert.equal(result.stepsIteration, "ConnectionLost", "not a quiet end after the old clean 1001");
    assert.deepEqual(result.stepsClosed, { code: 1006, reason: "", wasClean: false });
  });

  test("a server that accepts and closes at once gets growing delays and a give-up (minUptime)", async () => {
    const result = await run(async ({ Socket }) => {
      const socket = new Socket("/close?code=1013&reason=overloaded", { reconnect: { initialDelay: 20, maxDelay: 200, maxRetries: 3 } });
      const states = [];
      socket.onstate = (event) => states.push(event.detail);
      return { closed: await socket.closed, attempts: states.filter((s) => s.state === "reconnecting").map((s) => s.attempt) };
    });
    assert.deepEqual(result.attempts, [1, 2, 3]);
    assert.deepEqual(result.closed, { code: 1013, reason: "overloaded", wasClean: true });
  });

  test("close() cancels a pending retry, also from a state listener", async () => {
    const result = await run(async ({ Socket }) => {
      const slow = { initialDelay: 60_000, factor: 1 };
      const out = {};
      for (const where of ["outside", "listener"]) {
        const socket = new Socket("/close?code=1001&reason=bye", { reconnect: slow });
        const states = [];
        const closes = [];
        socket.onclose = (event) => closes.push(event.code);
        const waiting = new Promise((resolve) => {
          socket.addEventListener("state", (event) => {
            states.push(event.detail.state);
            if (event.detail.state === "reconnecting") {
              if (where === "listener") socket.close();
              resolve();
            }
          });
        });
        await waiting;
        if (where === "outside") socket.close();
        const immediate = { readyState: socket.readyState, state: socket.state };
        const closed = await socket.closed;
        await sleep(200);
        out[where] = { states, closes, immediate, closed };
      }
      return out;
    });
    for (const where of ["outside", "listener"]) {
      const { states, closes, immediate, closed } = result[where];
      const close = { code: 1001, reason: "bye", wasClean: true };
      assert.deepEqual(states, ["open", "reconnecting", "closed"], where);
      assert.deepEqual(closes, [1001], `${where}: one close event`);
      assert.deepEqual(immediate, { readyState: 3, state: { state: "closed", close } }, `${where}: closed at once`);
      assert.deepEqual(closed, close, where);
    }
  });

  test("async iteration yields the messages of every connection and ends when closed for good", async () => {
    const result = await run(async ({ Socket }, fast) => {
      const socket = new Socket("/numbered?n=3&kind=text", { reconnect: fast });
      const received = [];
      for await (const data of socket) {
        received.push(data);
        if (received.length === 6) socket.close();
      }
      return { received, closed: await socket.closed };
    }, FAST);
    // (A third connection's messages may already have arrived when close() was called.)
    assert.deepEqual(result.received.slice(0, 6), ["0", "1", "2", "0", "1", "2"]);
    assert.equal(result.closed.code === 1000 || result.closed.code === 1006, true, JSON.stringify(result.closed));
  });

  test("invalid options throw a TypeError or RangeError naming the option; the module keeps working", async () => {
    const result = await run(async ({ Socket }) => {
      const blob = new Blob(["x"]);
      const cases = {
        "reconnect: 'yes'": { reconnect: "yes" },
        "reconnect: null": { reconnect: null },
        "reconnect: 1": { reconnect: 1 },
        "reconnect: function": { reconnect: () => true },
        "queue without reconnect": { queue: {} },
        "heartbeat without reconnect": { heartbeat: { message: "p", interval: 10 } },
        "queue with reconnect: false": { reconnect: false, queue: { maxMessages: 1 } },
        "initialDelay -1": { reconnect: { initialDelay: -1 } },
        "initialDelay NaN": { reconnect: { initialDelay: NaN } },
        "initialDelay Infinity": { reconnect: { initialDelay: Infinity } },
        "initialDelay 2**31": { reconnect: { initialDelay: 2 ** 31 } },
        "initialDelay '100'": { reconnect: { initialDelay: "100" } },
        "factor 0.5": { reconnect: { factor: 0.5 } },
        "factor Infinity": { reconnect: { factor: Infinity } },
        "factor NaN": { reconnect: { factor: NaN } },
        "factor '2'": { reconnect: { factor: "2" } },
        "maxDelay -5": { reconnect: { maxDelay: -5 } },
        "maxDelay null": { reconnect: { maxDelay: null } },
        "maxRetries 1.5": { reconnect: { maxRetries: 1.5 } },
        "maxRetries -1": { reconnect: { maxRetries: -1 } },
        "maxRetries NaN": { reconnect: { maxRetries: NaN } },
        "maxRetries -Infinity": { reconnect: { maxRetries: -Infinity } },
        "maxRetries '3'": { reconnect: { maxRetries: "3" } },
        "maxRetries null": { reconnect: { maxRetries: null } },
        "minUptime -1": { reconnect: { minUptime: -1 } },
        "minUptime '5'": { reconnect: { minUptime: "5" } },
        "minUptime 2**31": { reconnect: { minUptime: 2 ** 31 } },
        "heartbeat requireReply 1": { reconnect: true, heartbeat: { message: "p", interval: 10, requireReply: 1 } },
        "connectTimeout 0": { reconnect: { connectTimeout: 0 } },
        "connectTimeout -1": { reconnect: { connectTimeout: -1 } },
        "connectTimeout 'x'": { reconnect: { connectTimeout: "x" } },
        "shouldReconnect 5": { reconnect: { shouldReconnect: 5 } },
        "queue 5": { reconnect: true, queue: 5 },
        "queue null": { reconnect: true, queue: null },
        "maxMessages -1": { reconnect: true, queue: { maxMessages: -1 } },
        "maxMessages '1'": { reconnect: true, queue: { maxMessages: "1" } },
        "maxBytes 1.5": { reconnect: true, queue: { maxBytes: 1.5 } },
        "maxBytes NaN": { reconnect: true, queue: { maxBytes: NaN } },
        "heartbeat 'ping'": { reconnect: true, heartbeat: "ping" },
        "heartbeat {}": { reconnect: true, heartbeat: {} },
        "heartbeat message 5": { reconnect: true, heartbeat: { message: 5, interval: 10 } },
        "heartbeat message Blob": { reconnect: true, heartbeat: { message: blob, interval: 10 } },
        "heartbeat no interval": { reconnect: true, heartbeat: { message: "p" } },
        "heartbeat interval 0": { reconnect: true, heartbeat: { message: "p", interval: 0 } },
        "heartbeat interval -1": { reconnect: true, heartbeat: { message: "p", interval: -1 } },
        "heartbeat interval NaN": { reconnect: true, heartbeat: { message: "p", interval: NaN } },
        "heartbeat interval '10'": { reconnect: true, heartbeat: { message: "p", interval: "10" } },
        "heartbeat timeout 0": { reconnect: true, heartbeat: { message: "p", interval: 10, timeout: 0 } },
        "heartbeat timeout Infinity": { reconnect: true, heartbeat: { message: "p", interval: 10, timeout: Infinity } },
        "heartbeat isReply 'x'": { reconnect: true, heartbeat: { message: "p", interval: 10, isReply: "x" } },
        "protocol with space": { reconnect: true, protocols: ["a b"] },
        "binaryType text": { reconnect: true, binaryType: "text" },
        "throwing getter": { reconnect: { get initialDelay() { throw new RangeError("deliberate getter"); } } },
      };
      const names = {};
      const messages = {};
      for (const [label, options] of Object.entries(cases)) {
        try {
          new Socket("/echo", options).close();
          names[label] = "no error";
        } catch (error) {
          names[label] = error instanceof Error ? error.name : `non-Error ${typeof error}`;
          messages[label] = error.message;
        }
      }
      let url;
      try { new Socket("ftp://127.0.0.1/", { reconnect: true }); } catch (error) { url = error.name; }
      const valid = [
        { reconnect: false },
        { reconnect: { maxRetries: Infinity, connectTimeout: null, initialDelay: 0, factor: 1, maxDelay: 0 } },
        { reconnect: true, queue: { maxMessages: Infinity, maxBytes: 0 } },
        { reconnect: true, heartbeat: { message: new ArrayBuffer(2), interval: 2147483647 } },
        { reconnect: true, heartbeat: { message: new DataView(new ArrayBuffer(4), 1, 2), interval: 10, timeout: 5 } },
        { reconnect: { minUptime: 0 }, heartbeat: { message: "p", interval: 10, requireReply: true } },
        { reconnect: { minUptime: 2147483647 }, heartbeat: { message: "p", interval: 10, requireReply: false } },
      ].map((options) => {
        try { new Socket("/echo", options).close(); return "ok"; } catch (error) { return `${error.name}: ${error.message}`; }
      });
      // Still working: a reconnecting echo round trip.
      const socket = new Socket("/echo", { reconnect: true });
      const sent = socket.send("still alive");
      const echo = (await socket.messages().next()).value;
      socket.close();
      return { names, messages, url, valid, sent, echo };
    });
    const expected = {
      "reconnect: 'yes'": "TypeError",
      "reconnect: null": "TypeError",
      "reconnect: 1": "TypeError",
      "reconnect: function": "TypeError",
      "queue without reconnect": "TypeError",
      "heartbeat without reconnect": "TypeError",
      "queue with reconnect: false": "TypeError",
      "initialDelay -1": "RangeError",
      "initialDelay NaN": "RangeError",
      "initialDelay Infinity": "RangeError",
      "initialDelay 2**31": "RangeError",
      "initialDelay '100'": "TypeError",
      "factor 0.5": "RangeError",
      "factor Infinity": "RangeError",
      "factor NaN": "RangeError",
      "factor '2'": "TypeError",
      "maxDelay -5": "RangeError",
      "maxDelay null": "TypeError",
      "maxRetries 1.5": "RangeError",
      "maxRetries -1": "RangeError",
      "maxRetries NaN": "RangeError",
      "maxRetries -Infinity": "RangeError",
      "maxRetries '3'": "TypeError",
      "maxRetries null": "TypeError",
      "connectTimeout 0": "RangeError",
      "connectTimeout -1": "RangeError",
      "connectTimeout 'x'": "TypeError",
      "shouldReconnect 5": "TypeError",
      "queue 5": "TypeError",
      "queue null": "TypeError",
      "maxMessages -1": "RangeError",
      "maxMessages '1'": "TypeError",
      "maxBytes 1.5": "RangeError",
      "maxBytes NaN": "RangeError",
      "heartbeat 'ping'": "TypeError",
      "heartbeat {}": "TypeError",
      "heartbeat message 5": "TypeError",
      "heartbeat message Blob": "TypeError",
      "heartbeat no interval": "TypeError",
      "heartbeat interval 0": "RangeError",
      "heartbeat interval -1": "RangeError",
      "heartbeat interval NaN": "RangeError",
      "heartbeat interval '10'": "TypeError",
      "heartbeat timeout 0": "RangeError",
      "minUptime -1": "RangeError",
      "minUptime '5'": "TypeError",
      "minUptime 2**31": "RangeError",
      "heartbeat requireReply 1": "TypeError",
      "heartbeat timeout Infinity": "RangeError",
      "heartbeat isReply 'x'": "TypeError",
      "protocol with space": "SyntaxError",
      "binaryType text": "TypeError",
      "throwing getter": "RangeError",
    };
    assert.deepEqual(result.names, expected);
    assert.equal(result.messages["queue without reconnect"], "the queue option needs reconnect (add reconnect: true)");
    assert.equal(result.messages["initialDelay -1"], "reconnect.initialDelay must be at least 0 and at most 2147483647 (milliseconds), not -1");
    assert.equal(result.messages["heartbeat interval 0"], "heartbeat.interval must be more than 0 and at most 2147483647 (milliseconds), not 0");
    assert.equal(result.messages["factor 0.5"], "reconnect.factor must be a finite number of at least 1, not 0.5");
    assert.equal(result.messages["maxRetries 1.5"], "reconnect.maxRetries must be a whole number of at least 0, or Infinity, not 1.5");
    assert.equal(result.messages["maxBytes NaN"], "queue.maxBytes must be a whole number of at least 0, or Infinity, not NaN");
    assert.equal(result.messages["initialDelay '100'"], "reconnect.initialDelay must be a number");
    assert.equal(result.messages["shouldReconnect 5"], "reconnect.shouldReconnect must be a function");
    assert.equal(result.messages["throwing getter"], "deliberate getter", "the getter's own exception");
    assert.equal(result.url, "SyntaxError");
    assert.deepEqual(result.valid, Array(7).fill("ok"));
    assert.equal(result.messages["heartbeat requireReply 1"], "heartbeat.requireReply must be a boolean");
    assert.equal(result.sent, "queued");
    assert.equal(result.echo, "still alive");
  });

  test("throwing callbacks count as false, are reported, and never break the socket", async () => {
    const result = await run(async ({ Socket }, fast) => {
      window.reported.length = 0;
      const predicate = new Socket("/close?code=1012", {
        reconnect: { ...fast, shouldReconnect: () => { throw new Error("deliberate shouldReconnect"); } },
      });
      const states = [];
      predicate.onstate = (event) => states.push(event.detail.state);
      const closed = await predicate.closed;

      const heartbeat = new Socket("/echo", {
        reconnect: fast,
        heartbeat: { message: "ping", interval: 30, timeout: 80, requireReply: true, isReply: () => { throw new Error("deliberate isReply"); } },
      });
      const causes = [];
      const messages = [];
      heartbeat.onstate = (event) => { if (event.detail.cause) causes.push(event.detail.cause.type); };
      heartbeat.onmessage = (event) => messages.push(event.data);
      await until(() => causes.length > 0, "the heartbeat timeout");
      await until(() => heartbeat.readyState === 1, "reopened");
      heartbeat.send("works");
      await until(() => messages.includes("works"), "the echo");
      heartbeat.close();
      await heartbeat.closed;
      return { states, closed, causes, reported: [...new Set(window.reported)] };
    }, FAST);
    assert.deepEqual(result.states, ["open", "closed"], "a throwing shouldReconnect means no reconnect");
    assert.deepEqual(result.closed, { code: 1012, reason: "", wasClean: true });
    assert.equal(result.causes[0], "heartbeat-timeout", "a throwing isReply matches nothing");
    assert.deepEqual(result.reported.sort(), ["deliberate isReply", "deliberate shouldReconnect"]);
  });
});

describe("Socket without reconnect", { timeout: 30_000 }, () => {
  test("send returns \"sent\", the state getter follows readyState, the queue is empty", async () => {
    const result = await run(async ({ Socket }) => {
      const socket = new Socket("/echo");
      const connecting = socket.state;
      await socket.opened;
      const sent = socket.send("x");
      const open = socket.state;
      const queue = [socket.queuedMessages, socket.queuedBytes, socket.takeQueued()];
      let stateEvents = 0;
      socket.onstate = () => stateEvents++;
      socket.close(4000, "bye");
      const closing = socket.state;
      await socket.closed;
      return { connecting, sent: String(sent), open, queue, closing, closed: socket.state, stateEvents };
    });
    assert.deepEqual(result, {
      connecting: { state: "connecting", attempt: 0 },
      sent: "sent",
      open: { state: "open" },
      queue: [0, 0, []],
      closing: { state: "closing" },
      closed: { state: "closed", close: { code: 4000, reason: "bye", wasClean: true } },
      stateEvents: 0,
    });
  });
});

describe("README", { timeout: 30_000 }, () => {
  test("the JS reconnect guide's example runs as written, and the package README carries the same code", async () => {
    const { readFileSync } = await import("node:fs");
    const guide = readFileSync("docs/guide/js-reconnect.md", "utf8");
    assert.ok(guide.includes("<!-- js-reconnect -->"), "docs/guide/js-reconnect.md has the marker");
    const start = guide.indexOf("```js\n", guide.indexOf("<!-- js-reconnect -->"));
    const code = guide.slice(start + 6, guide.indexOf("```\n", start + 6));
    assert.ok(code.includes("reconnect:"), "the marked block is the reconnect example");
    assert.ok(readFileSync("js/README.md", "utf8").includes(code), "js/README.md shows the same example");
    const logs = [];
    // Only console.log output: the browser logs its own errors (a favicon 404) to the console too.
    const onConsole = (message) => message.type() === "log" && logs.push(message.text());
    page.on("console", onConsole);
    await page.evaluate(async (source) => {
      const body = source.replace('import init, { Socket } from "browser-ws";', "const { default: init, Socket } = window.bws;");
      await new Function(`return (async () => {\n${body}\n})()`)();
    }, code);
    page.off("console", onConsole);
    assert.deepEqual(logs, ["queued", "got: hello", "closed: 1000"]);
  });
});
