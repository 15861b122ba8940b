// The flows tests/js/workers.test.mjs runs inside a dedicated and a shared worker: the
// package imported by URL and initialised in the worker, then the README's JS quick start, a
// relative URL, a refused connection, a named error, reconnecting through a restart of the
// server's fault listener, and a SharedArrayBuffer send. Each flow returns plain data (errors
// as { isError, name, message }) for postMessage.
import init, { Socket } from "/pkg/index.js";

let initialised;
/** `init()` once per worker. */
export function load() {
  return (initialised ??= init());
}

/** An error as structured-cloneable data (postMessage keeps only standard error names). */
export function described(error) {
  return { isError: error instanceof Error, name: String(error?.name), message: String(error?.message ?? error) };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves when `condition()` holds, or throws after `ms` milliseconds. */
async function until(condition, what, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

async function bytesOf(data) {
  return Array.from(new Uint8Array(data instanceof Blob ? await data.arrayBuffer() : data));
}

export const flows = {
  /** Where the flows run. */
  async environment() {
    return {
      href: self.location.href,
      global: self.constructor.name,
      crossOriginIsolated: self.crossOriginIsolated,
      sharedArrayBuffer: typeof SharedArrayBuffer,
    };
  },

  /** The README's JS quick start, in both binary types. */
  async quickStart() {
    const out = {};
    for (const binaryType of ["arraybuffer", "blob"]) {
      const socket = new Socket("/echo", { binaryType });
      await socket.opened;
      socket.send("hello");
      socket.send(new Uint8Array([1, 2, 3]));
      const received = [];
      for await (const data of socket) {
        if (typeof data === "string") {
          received.push({ text: data });
        } else {
          received.push({ kind: data.constructor.name, bytes: await bytesOf(data) });
          socket.close(4000, "done");
        }
      }
      out[binaryType] = { received, closed: await socket.closed, readyState: socket.readyState };
    }
    return out;
  },

  /** "/echo" and "echo" resolve against the worker's own location. */
  async relativeUrl() {
    const socket = new Socket("/echo");
    const pathRelative = new Socket("echo");
    const urls = { rooted: socket.url, pathRelative: pathRelative.url };
    pathRelative.free();
    await socket.opened;
    const messages = socket.messages();
    socket.send("relative");
    const { value } = await messages.next();
    socket.close();
    return { ...urls, echoed: value, closed: await socket.closed };
  },

  /** Nothing listens on `closedPort`: error then close events, `opened` rejects, `closed` is 1006. */
  async refused({ closedPort }) {
    const socket = new Socket(`ws://127.0.0.1:${closedPort}/`);
    const events = [];
    socket.onerror = (event) => events.push(event.type);
    socket.onclose = (event) => events.push(`${event.type} ${event.code} ${event.wasClean}`);
    let opened;
    try {
      await socket.opened;
      opened = "resolved";
    } catch (error) {
      opened = described(error);
    }
    const closed = await socket.closed;
    await sleep(0);
    return { events, opened, closed, readyState: socket.readyState };
  },

  /** close(1001) throws a named error and leaves the socket open. */
  async namedError() {
    const socket = new Socket("/echo");
    await socket.opened;
    let thrown = null;
    try {
      socket.close(1001);
    } catch (error) {
      thrown = described(error);
    }
    const readyState = socket.readyState;
    socket.close();
    return { thrown, readyState, closed: await socket.closed };
  },

  /**
   * With `reconnect`, against the fault listener: `/restart` on the main port drops the
   * connection (1006) and refuses connections for a while; the socket retries, reconnects and
   * echoes again, sending first what was queued meanwhile.
   */
  async reconnect({ faultServer, mainServer }) {
    const socket = new Socket(`${faultServer}/echo`, {
      reconnect: { initialDelay: 50, maxDelay: 200, minUptime: 0 },
      binaryType: "arraybuffer",
    });
    const states = [];
    socket.onstate = ({ detail }) => states.push({ state: detail.state, cause: detail.cause?.type, code: detail.cause?.code });
    await socket.opened;
    const messages = socket.messages();
    const sent = [socket.send("before")];
    const echoed = [(await messages.next()).value];

    const control = new WebSocket(`${mainServer}/restart?down_ms=300`);
    const reports = [];
    control.onmessage = (event) => reports.push(event.data);
    await until(() => reports.includes("down"), "the fault listener to go down");
    await until(() => socket.readyState !== Socket.OPEN, "the socket to see the restart");
    sent.push(socket.send("while down"));
    await new Promise((resolve) => (control.onclose = resolve));
    await until(() => states.filter((s) => s.state === "open").length >= 2, "the reconnection");
    sent.push(socket.send("after"));
    echoed.push((await messages.next()).value, (await messages.next()).value);
    socket.close(4000, "done");
    const closed = await socket.closed;
    return { sent, echoed, reports, states, closed };
  },

  /** A SharedArrayBuffer view (and the buffer itself) sent and echoed exactly. */
  async sharedSend() {
    const socket = new Socket("/echo", { binaryType: "arraybuffer" });
    await socket.opened;
    const messages = socket.messages();
    const buffer = new SharedArrayBuffer(4096);
    new Uint8Array(buffer).forEach((_, i, bytes) => (bytes[i] = (i * 7 + 3) & 255));
    const views = [new Uint8Array(buffer, 5, 1000), new DataView(buffer, 100, 7), buffer];
    const results = [];
    for (const view of views) {
      let sent;
      try {
        sent = socket.send(view);
      } catch (error) {
        results.push({ threw: described(error) });
        continue;
      }
      const expected = Array.from(new Uint8Array(view.buffer ?? view, view.byteOffset ?? 0, view.byteLength));
      const { value } = await messages.next();
      results.push({ sent, same: JSON.stringify(Array.from(new Uint8Array(value))) === JSON.stringify(expected), length: value.byteLength });
    }
    socket.close();
    await socket.closed;
    return results;
  },
};
