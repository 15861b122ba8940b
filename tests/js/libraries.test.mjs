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
// for the browser by esbuild here (nothing written to disk) and injected into the page. The
// scenarios (libraries/scenarios.mjs) and servers (libraries/servers.mjs) are shared with
// runtimes.test.mjs, which runs them in Node.js, Deno and Bun.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

import * as esbuild from "esbuild";

import { HTTP, launch, packagePage } from "./harness.mjs";
import { graphqlScenario, installHelpers, partysocketScenario, yjsScenario } from "./libraries/scenarios.mjs";
import { assertGraphql, assertPartysocket, assertYjs } from "./libraries/expected.mjs";
import { LIBRARY_ENTRIES, startLibraryServers } from "./libraries/servers.mjs";

const WS = HTTP.replace(/^http/, "ws");
const FAULT = process.env.BROWSER_WS_FAULT_SERVER;
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const IMPLS = ["native", "Socket"];
/** How long one step of a scenario may take in the page. */
const STEP_MS = 5_000;

let browser;
let servers;
const bundles = {};

before(async () => {
  assert.ok(FAULT, "BROWSER_WS_FAULT_SERVER (the fault listener's ws:// URL) must be set");
  const built = Object.entries(LIBRARY_ENTRIES).map(async ([name, contents]) => {
    const result = await esbuild.build({
      stdin: { contents, resolveDir: ROOT, sourcefile: `${name}-entry.js` },
      bundle: true,
      write: false,
      format: "iife",
      platform: "browser",
      target: "es2022",
      logLevel: "silent",
    });
    bundles[name] = result.outputFiles[0].text;
  });
  [browser, servers] = await Promise.all([launch(), startLibraryServers(), ...built]);
});

after(async () => {
  await browser?.close();
  await servers?.stop();
  await esbuild.stop();
});

/** A fresh page on the project's server: the package as `window.bws`, the library's bundle, the helpers. */
async function libraryPage(t, bundle) {
  const page = await packagePage(browser);
  t.after(() => page.close());
  await page.addScriptTag({ content: bundles[bundle] });
  await page.evaluate(() => {
    window.impl = (name) => (name === "native" ? window.WebSocket : window.bws.Socket);
  });
  await page.evaluate(installHelpers, STEP_MS);
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
      const before = servers.graphqlProtocols.length;
      const result = await evaluate(page, graphqlScenario, { impl, url: servers.graphqlUrl });
      assertGraphql(result, { protocols: servers.graphqlProtocols.slice(before) });
      assertNoUncaught(page);
    });
  }
});

describe("partysocket", { timeout: 30_000 }, () => {
  for (const impl of IMPLS) {
    test(`with ${impl}: echo-v1 accepted, messages echo, and after a server-side drop it reconnects and echoes`, async (t) => {
      const page = await libraryPage(t, "partysocket");
      assertPartysocket(await evaluate(page, partysocketScenario, { impl, fault: FAULT, main: WS }));
      assertNoUncaught(page);
    });
  }
});

describe("y-websocket", { timeout: 30_000 }, () => {
  for (const impl of IMPLS) {
    test(`with ${impl}: two documents sync through the server, edits after the first exchange included`, async (t) => {
      const page = await libraryPage(t, "yWebsocket");
      const room = `libraries-${impl}-${Date.now()}`;
      const result = await evaluate(page, yjsScenario, { impl, url: servers.yjsUrl, room });
      assertYjs(result, { text: servers.yjsText(room) });
      assertNoUncaught(page);
    });
  }
});
