// The three library scenarios and their helpers, run in browser pages by libraries.test.mjs
// (through page.evaluate, so each function is self-contained and reaches everything through
// globals) and in Node.js, Deno and Bun by runtimes/libraries.mjs. Before a scenario runs:
// `installHelpers(stepMs)`, the libraries on globalThis (servers.mjs' LIBRARY_ENTRIES), and
// `globalThis.impl(name)`, the WebSocket implementation called "native" or "Socket". Each
// returns what its test asserts; a step that does not happen in time throws with the log.

/** Puts `log`, `until`, `within` and `describeValue` on globalThis. */
export function installHelpers(stepMs) {
  globalThis.log = [];
  /** Waits until `condition()` is truthy (polling), or throws with the log. */
  globalThis.until = async (condition, what, ms = stepMs) => {
    const deadline = performance.now() + ms;
    while (!condition()) {
      if (performance.now() > deadline) {
        throw new Error(`timed out waiting for ${what}; log: ${JSON.stringify(globalThis.log)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  /** Settles as `promise` does, or throws after `ms` with the log. */
  globalThis.within = (promise, what, ms = stepMs) => {
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; log: ${JSON.stringify(globalThis.log)}`)), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  };
  /** What a library handed to an error callback, as text. */
  globalThis.describeValue = (value) => {
    if (value instanceof Error || value instanceof DOMException) return `${value.name}: ${value.message}`;
    if (value && typeof value === "object" && "type" in value) {
      const parts = [`${value.constructor?.name ?? "object"} ${value.type}`];
      if ("code" in value) parts.push(`code ${value.code}`);
      if ("reason" in value) parts.push(`reason ${JSON.stringify(value.reason)}`);
      if ("message" in value) parts.push(`message ${JSON.stringify(value.message)}`);
      return parts.join(" ");
    }
    try {
      return JSON.stringify(value);
    } catch {
      return String(value);
    }
  };
}

/** graphql-ws (`webSocketImpl`): a query, then a subscription of 3 values, on one connection. */
export async function graphqlScenario({ impl, url }) {
  const { log, within, describeValue } = globalThis;
  const client = globalThis.graphqlWs.createClient({
    url,
    webSocketImpl: globalThis.impl(impl),
    retryAttempts: 0,
    // Both operations on one connection: it stays open between them.
    lazyCloseTimeout: 1_000,
    on: {
      connected: () => log.push("connected"),
      closed: (event) => log.push(`closed: ${describeValue(event)}`),
      error: (error) => log.push(`error: ${describeValue(error)}`),
    },
  });
  /** Runs one operation to completion: its results in order. */
  const run = (query) =>
    new Promise((resolve, reject) => {
      const results = [];
      client.subscribe(
        { query },
        {
          next: (result) => results.push(result),
          error: (error) => reject(new Error(`${query} failed: ${describeValue(error)}; log: ${JSON.stringify(log)}`)),
          complete: () => resolve(results),
        },
      );
    });
  try {
    const query = await within(run("{ hello }"), "the query");
    const subscription = await within(run("subscription { count(to: 3) }"), "the subscription");
    return { query, subscription };
  } finally {
    // A connection that never settles leaves dispose() pending: bounded.
    let timer;
    await Promise.race([client.dispose(), new Promise((resolve) => (timer = setTimeout(resolve, 500)))]);
    clearTimeout(timer);
  }
}

/**
 * partysocket (`WebSocket: Impl`) offering `echo-v1` to the fault listener's /protocol: echoes,
 * a server-side drop (`/restart` on the main listener, over the native WebSocket), the
 * reconnection and echoes again.
 */
export async function partysocketScenario({ impl, fault, main }) {
  const { log, until, within, describeValue } = globalThis;
  const socket = new globalThis.partysocket.ReconnectingWebSocket(`${fault}/protocol`, ["echo-v1"], {
    WebSocket: globalThis.impl(impl),
    minReconnectionDelay: 50,
    maxReconnectionDelay: 200,
    connectionTimeout: 3_000,
    minUptime: 100,
    maxRetries: 50,
  });
  const received = [];
  const protocols = [];
  const closes = [];
  socket.addEventListener("open", () => {
    protocols.push(socket.protocol);
    log.push(`open ${socket.protocol}`);
  });
  socket.addEventListener("message", (event) => {
    received.push(event.data);
    log.push(`message ${event.data}`);
  });
  socket.addEventListener("close", (event) => {
    closes.push(event.code);
    log.push(`close ${event.code}`);
  });
  socket.addEventListener("error", (event) => log.push(`error: ${describeValue(event.error ?? event)}`));
  /** Drops every fault-listener connection for 300 ms (a native control socket). */
  const restart = () =>
    new Promise((resolve, reject) => {
      const control = new (globalThis.impl("native"))(`${main}/restart?down_ms=300`);
      const said = [];
      control.onmessage = (event) => said.push(event.data);
      control.onclose = () => resolve(said);
      control.onerror = () => reject(new Error("the /restart connection failed"));
    });
  try {
    await until(() => protocols.length === 1, "the first open");
    socket.send("before");
    await until(() => received.includes("before"), 'the echo of "before"');
    const said = await within(restart(), "the restart");
    await until(() => protocols.length === 2, "the reconnection");
    socket.send("after");
    await until(() => received.includes("after"), 'the echo of "after"');
    return { protocols, received, said, closes, readyState: socket.readyState };
  } finally {
    socket.close();
  }
}

/**
 * y-websocket (`WebSocketPolyfill: Impl`) with yjs: two documents in `room` sync through the
 * server, edits made after the first exchange included (sent on `readyState === OPEN`).
 */
export async function yjsScenario({ impl, url, room }) {
  const { log, until, describeValue } = globalThis;
  const { Y, WebsocketProvider } = globalThis.yWebsocket;
  const make = (name) => {
    const doc = new Y.Doc();
    // BroadcastChannel off: the two documents meet only through the server.
    const provider = new WebsocketProvider(url, room, doc, {
      WebSocketPolyfill: globalThis.impl(impl),
      disableBc: true,
      maxBackoffTime: 200,
    });
    provider.on("status", ({ status }) => log.push(`${name} ${status}`));
    provider.on("sync", (synced) => log.push(`${name} sync ${synced}`));
    provider.on("connection-error", (event) => log.push(`${name} error: ${describeValue(event)}`));
    provider.on("connection-close", (event) => log.push(`${name} close: ${describeValue(event)}`));
    return { doc, provider, text: doc.getText("t") };
  };
  const a = make("a");
  const b = make("b");
  // Made before connecting: carried by the first exchange (sync step 1/2).
  a.text.insert(0, "hello");
  try {
    await until(() => a.provider.synced && b.provider.synced, "both providers synced");
    await until(() => b.text.toString() === "hello", 'b to have "hello"');
    // After the first exchange: incremental updates, sent on `readyState === OPEN`.
    b.text.insert(5, " world");
    await until(() => a.text.toString() === "hello world", 'a to have "hello world"');
    a.text.insert(11, "!");
    await until(() => b.text.toString() === "hello world!", 'b to have "hello world!"');
    return { a: a.text.toString(), b: b.text.toString() };
  } finally {
    a.provider.destroy();
    b.provider.destroy();
    a.doc.destroy();
    b.doc.destroy();
  }
}
