// Proves, in headless Chromium, that three real WebSocket libraries work with the package's
// `Socket` given as their WebSocket implementation exactly as they do with the browser's native
// `WebSocket`: each scenario runs twice on a fresh page, once per implementation, and both must
// pass. graphql-ws (`createClient({ webSocketImpl })`, which calls `new Impl(url,
// "graphql-transport-ws")`) against its own `useServer` on `ws` started here: a query answers
// and a subscription streams 3 values then completes. partysocket's ReconnectingWebSocket
// (`{ WebSocket: Impl }`) offering `echo-v1` to the project's `/protocol` on the fault listener:
// the server accepts it (`protocol`), messages echo, and after a server-side drop (`/restart`)
// it reconnects, with `echo-v1` again, and echoes again. y-websocket (`WebSocketPolyfill: Impl`)
// with yjs: two documents (two providers, BroadcastChannel off) sync through the
// @y/websocket-server started here, including edits made after the first exchange (sent only
// when `ws.readyState === ws.OPEN`), and the server's copy matches. The libraries are bundled
// for the browser by esbuild here (nothing written to disk) and injected into the page.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { fileURLToPath } from "node:url";

import * as esbuild from "esbuild";
import { GraphQLInt, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import { docs as yDocs, setupWSConnection } from "@y/websocket-server/utils";

import { HTTP, launch, packagePage } from "./harness.mjs";

const WS = HTTP.replace(/^http/, "ws");
const FAULT = process.env.BROWSER_WS_FAULT_SERVER;
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const IMPLS = ["native", "Socket"];
/** How long one step of a scenario may take in the page. */
const STEP_MS = 5_000;

/** Browser entries, one per library: each puts what the scenario needs on `window`. */
const ENTRIES = {
  graphqlWs: `import { createClient } from "graphql-ws"; window.graphqlWs = { createClient };`,
  partysocket: `import ReconnectingWebSocket from "partysocket/ws"; window.partysocket = { ReconnectingWebSocket };`,
  yWebsocket: `import * as Y from "yjs"; import { WebsocketProvider } from "y-websocket"; window.yWebsocket = { Y, WebsocketProvider };`,
};

let browser;
const bundles = {};
const servers = [];
let graphqlUrl;
let yjsUrl;
/** The subprotocol of every connection the graphql-ws server accepted. */
const graphqlProtocols = [];

/** A `ws` server on a free loopback port (port 0: the system picks one); `ws://` URL. */
async function startWsServer(onConnection) {
  const server = http.createServer((_request, response) => response.writeHead(404).end());
  const wss = new WebSocketServer({ server });
  wss.on("connection", onConnection);
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  servers.push({ server, wss });
  return { wss, url: `ws://127.0.0.1:${server.address().port}` };
}

/** Query `hello` answers "world"; subscription `count(to)` yields 1..to, 10 ms apart. */
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: "Query",
    fields: { hello: { type: GraphQLString, resolve: () => "world" } },
  }),
  subscription: new GraphQLObjectType({
    name: "Subscription",
    fields: {
      count: {
        type: GraphQLInt,
        args: { to: { type: new GraphQLNonNull(GraphQLInt) } },
        subscribe: async function* (_root, { to }) {
          for (let i = 1; i <= to; i++) {
            await new Promise((resolve) => setTimeout(resolve, 10));
            yield { count: i };
          }
        },
      },
    },
  }),
});

before(async () => {
  assert.ok(FAULT, "BROWSER_WS_FAULT_SERVER (the fault listener's ws:// URL) must be set");
  const built = Object.entries(ENTRIES).map(async ([name, contents]) => {
    const result = await esbuild.build({
      stdin: { contents, resolveDir: ROOT, sourcefile: `${name}-entry.js` },
      bundle: true,
      write: false,
      format: "iife",
      platform: "browser",
      target: "es2022",
      logLevel: "silent",
      // The package is loaded by the page itself (harness.mjs): never bundled.
      external: ["/pkg/index.js"],
    });
    bundles[name] = result.outputFiles[0].text;
  });
  const graphql = startWsServer(() => {}).then(({ wss, url }) => {
    wss.on("connection", (socket) => graphqlProtocols.push(socket.protocol));
    useServer({ schema }, wss);
    graphqlUrl = url;
  });
  const yjs = startWsServer((conn, request) => setupWSConnection(conn, request)).then(({ url }) => {
    yjsUrl = url;
  });
  [browser] = await Promise.all([launch(), graphql, yjs, ...built]);
});

after(async () => {
  await browser?.close();
  for (const { server, wss } of servers) {
    for (const client of wss.clients) client.terminate();
    await new Promise((resolve) => wss.close(resolve));
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  // The y-websocket server keeps its documents (and their awareness timers) without persistence.
  for (const doc of yDocs.values()) doc.destroy();
  yDocs.clear();
  await esbuild.stop();
});

/** A fresh page on the project's server: the package as `window.bws`, the library's bundle. */
async function libraryPage(t, bundle) {
  const page = await packagePage(browser);
  t.after(() => page.close());
  await page.addScriptTag({ content: bundles[bundle] });
  await page.evaluate((stepMs) => {
    window.log = [];
    window.impl = (name) => (name === "native" ? window.WebSocket : window.bws.Socket);
    /** Waits until `condition()` is truthy (polling), or throws with the page's log. */
    window.until = async (condition, what, ms = stepMs) => {
      const deadline = performance.now() + ms;
      while (!condition()) {
        if (performance.now() > deadline) {
          throw new Error(`timed out waiting for ${what}; log: ${JSON.stringify(window.log)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    /** Settles as `promise` does, or throws after `ms` with the page's log. */
    window.within = (promise, what, ms = stepMs) =>
      Promise.race([
        promise,
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error(`timed out waiting for ${what}; log: ${JSON.stringify(window.log)}`)), ms),
        ),
      ]);
    /** What a library handed to an error callback, as text. */
    window.describe = (value) => {
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
  }, STEP_MS);
  return page;
}

/** `page.evaluate`, its failure completed by what the page threw uncaught meanwhile. */
async function evaluate(page, fn, arg) {
  try {
    return await page.evaluate(fn, arg);
  } catch (error) {
    const uncaught = page.uncaughtErrors.map(String);
    if (uncaught.length) error.message += `\nuncaught in the page: ${uncaught.join("; ")}`;
    throw error;
  }
}

/** After each scenario: nothing thrown uncaught in the page. */
function assertNoUncaught(page) {
  assert.deepEqual(page.uncaughtErrors.map(String), [], "no uncaught errors in the page");
}

describe("graphql-ws", { timeout: 30_000 }, () => {
  for (const impl of IMPLS) {
    test(`with ${impl}: a query answers, a subscription streams 3 values then completes`, async (t) => {
      const page = await libraryPage(t, "graphqlWs");
      const before = graphqlProtocols.length;
      const result = await evaluate(
        page,
        async ({ impl, url }) => {
          const client = window.graphqlWs.createClient({
            url,
            webSocketImpl: window.impl(impl),
            retryAttempts: 0,
            // Both operations on one connection: it stays open between them.
            lazyCloseTimeout: 1_000,
            on: {
              connected: () => log.push("connected"),
              closed: (event) => log.push(`closed: ${describe(event)}`),
              error: (error) => log.push(`error: ${describe(error)}`),
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
                  error: (error) => reject(new Error(`${query} failed: ${describe(error)}; log: ${JSON.stringify(log)}`)),
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
            await Promise.race([client.dispose(), new Promise((resolve) => setTimeout(resolve, 500))]);
          }
        },
        { impl, url: graphqlUrl },
      );
      assert.deepEqual(result.query, [{ data: { hello: "world" } }]);
      assert.deepEqual(result.subscription, [1, 2, 3].map((count) => ({ data: { count } })));
      // One connection (lazy client, both operations on it), on graphql-ws's subprotocol.
      assert.deepEqual(graphqlProtocols.slice(before), ["graphql-transport-ws"]);
      assertNoUncaught(page);
    });
  }
});

describe("partysocket", { timeout: 30_000 }, () => {
  for (const impl of IMPLS) {
    test(`with ${impl}: echo-v1 accepted, messages echo, and after a server-side drop it reconnects and echoes`, async (t) => {
      const page = await libraryPage(t, "partysocket");
      const result = await evaluate(
        page,
        async ({ impl, fault, main }) => {
          const socket = new window.partysocket.ReconnectingWebSocket(`${fault}/protocol`, ["echo-v1"], {
            WebSocket: window.impl(impl),
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
          socket.addEventListener("error", (event) => log.push(`error: ${describe(event.error ?? event)}`));
          /** Drops every fault-listener connection for 300 ms (a native control socket). */
          const restart = () =>
            new Promise((resolve, reject) => {
              const control = new WebSocket(`${main}/restart?down_ms=300`);
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
        },
        { impl, fault: FAULT, main: WS },
      );
      assert.deepEqual(result.said, ["down", "up"], "the fault listener went down and came back");
      assert.deepEqual(result.protocols, ["echo-v1", "echo-v1"], "echo-v1 accepted on both connections");
      assert.deepEqual(result.received, ["before", "after"]);
      assert.equal(result.closes.length >= 1, true, "the drop was seen as a close");
      assert.notEqual(result.closes[0], 1000, "the drop was not a clean close");
      assert.equal(result.readyState, 1, "OPEN at the end");
      assertNoUncaught(page);
    });
  }
});

describe("y-websocket", { timeout: 30_000 }, () => {
  for (const impl of IMPLS) {
    test(`with ${impl}: two documents sync through the server, edits after the first exchange included`, async (t) => {
      const page = await libraryPage(t, "yWebsocket");
      const room = `libraries-${impl}-${Date.now()}`;
      const result = await evaluate(
        page,
        async ({ impl, url, room }) => {
          const { Y, WebsocketProvider } = window.yWebsocket;
          const make = (name) => {
            const doc = new Y.Doc();
            // BroadcastChannel off: the two documents meet only through the server.
            const provider = new WebsocketProvider(url, room, doc, {
              WebSocketPolyfill: window.impl(impl),
              disableBc: true,
              maxBackoffTime: 200,
            });
            provider.on("status", ({ status }) => log.push(`${name} ${status}`));
            provider.on("sync", (synced) => log.push(`${name} sync ${synced}`));
            provider.on("connection-error", (event) => log.push(`${name} error: ${describe(event)}`));
            provider.on("connection-close", (event) => log.push(`${name} close: ${describe(event)}`));
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
          }
        },
        { impl, url: yjsUrl, room },
      );
      assert.deepEqual(result, { a: "hello world!", b: "hello world!" });
      assert.equal(yDocs.get(room)?.getText("t").toString(), "hello world!", "the server's copy");
      assertNoUncaught(page);
    });
  }
});
