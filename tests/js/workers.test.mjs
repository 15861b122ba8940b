// Proves, in headless Chromium against the project's server, that the npm package works inside
// workers: a dedicated module worker and a shared module worker, started by a page on the
// server, each import /pkg/index.js and call init() themselves, then run the flows of
// tests/js/workers/flows.js: the README's JS quick start in both binary types, relative URLs
// resolved against the worker's location, a refused connection, a named error, reconnecting
// through a restart of the fault listener, and (in the dedicated worker, cross-origin-isolated)
// SharedArrayBuffer sends. Two pages talk to each other through one shared worker's Socket.
// Results come back by postMessage; a missing Worker or SharedWorker fails, never skips.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";

import { CLOSED_PORT, HTTP, launch, pageErrors } from "./harness.mjs";

const WS = HTTP.replace(/^http/, "ws");
const HOST = new URL(HTTP).host;
const PAGE = `${HTTP}/tests/js/workers/index.html`;
const WORKERS = "/tests/js/workers";

/** The fault listener (scripts/test starts the server with --fault-port-file). */
const FAULT_SERVER = process.env.BROWSER_WS_FAULT_SERVER;

let browser;
let context;
const pages = [];

/** A blank page on the server in the shared context, its uncaught errors collected. */
async function newPage() {
  const page = await context.newPage();
  page.uncaughtErrors = pageErrors(page);
  await page.goto(PAGE);
  pages.push(page);
  return page;
}

before(async () => {
  assert.ok(FAULT_SERVER, "BROWSER_WS_FAULT_SERVER is set (the server's fault listener)");
  browser = await launch();
  // One context for every page, so that they share one SharedWorker.
  context = await browser.newContext();
});

after(async () => {
  try {
    for (const page of pages) assert.deepEqual(page.uncaughtErrors.map(String), [], "no uncaught errors in the page");
  } finally {
    await browser?.close();
  }
});

/** The arguments every flow may use. */
const ARGS = { closedPort: CLOSED_PORT, faultServer: FAULT_SERVER, mainServer: WS };

/** Checks what every flow returned, wherever it ran. */
function checkFlows(results, where) {
  const { environment, quickStart, relativeUrl, refused, namedError, reconnect } = results;
  assert.equal(environment.global, where === "dedicated" ? "DedicatedWorkerGlobalScope" : "SharedWorkerGlobalScope");
  assert.equal(environment.href, `${HTTP}${WORKERS}/${where}.js`);

  for (const binaryType of ["arraybuffer", "blob"]) {
    assert.deepEqual(quickStart[binaryType], {
      received: [{ text: "hello" }, { kind: binaryType === "blob" ? "Blob" : "ArrayBuffer", bytes: [1, 2, 3] }],
      closed: { code: 4000, reason: "done", wasClean: true },
      readyState: 3,
    }, `${where}: quick start with binaryType ${binaryType}`);
  }

  assert.deepEqual(relativeUrl, {
    rooted: `ws://${HOST}/echo`,
    pathRelative: `ws://${HOST}${WORKERS}/echo`,
    echoed: "relative",
    closed: { code: 1000, reason: "", wasClean: true },
  }, `${where}: URLs resolve against the worker's location`);

  assert.deepEqual(refused.events, ["error", "close 1006 false"], `${where}: refused connection events`);
  assert.equal(refused.opened.name, "ConnectFailed");
  assert.equal(refused.opened.isError, true);
  assert.deepEqual(refused.closed, { code: 1006, reason: "", wasClean: false });
  assert.equal(refused.readyState, 3);

  assert.equal(namedError.thrown?.isError, true, `${where}: close(1001) throws an Error`);
  assert.equal(namedError.thrown.name, "InvalidAccessError");
  assert.match(namedError.thrown.message, /1001/);
  assert.equal(namedError.readyState, 1, "the socket stays open after the refused close");
  assert.deepEqual(namedError.closed, { code: 1000, reason: "", wasClean: true });

  assert.deepEqual(reconnect.sent, ["sent", "queued", "sent"], `${where}: reconnect sends`);
  assert.deepEqual(reconnect.echoed, ["before", "while down", "after"]);
  assert.deepEqual(reconnect.reports, ["down", "up"]);
  const states = reconnect.states.map((s) => s.state);
  assert.equal(states.filter((s) => s === "open").length, 2, `${where}: open twice (${states})`);
  const lost = reconnect.states.find((s) => s.state === "reconnecting");
  assert.ok(lost, `${where}: reconnecting after the restart (${states})`);
  assert.deepEqual(lost, { state: "reconnecting", cause: "closed", code: 1006 });
  assert.deepEqual(states.slice(-2), ["closing", "closed"]);
  assert.deepEqual(reconnect.closed, { code: 4000, reason: "done", wasClean: true });
}

const FLOWS = ["environment", "quickStart", "relativeUrl", "refused", "namedError", "reconnect"];

describe("dedicated worker", () => {
  /** Starts a module Worker from a fresh page, runs `flows` in it, returns their answers. */
  async function inDedicatedWorker(flows) {
    const page = await newPage();
    const answers = await page.evaluate(async ({ url, flows, arg }) => {
      if (typeof Worker !== "function") throw new Error("no Worker in this page");
      const worker = new Worker(url, { type: "module" });
      const failed = new Promise((_, reject) => (worker.onerror = (event) => reject(new Error(`worker error: ${event.message}`))));
      const call = (flow) => Promise.race([failed, new Promise((resolve) => {
        worker.addEventListener("message", ({ data }) => resolve(data), { once: true });
        worker.postMessage({ flow, arg });
      })]);
      const answers = {};
      for (const flow of flows) answers[flow] = await call(flow);
      worker.terminate();
      return answers;
    }, { url: `${WORKERS}/dedicated.js`, flows, arg: ARGS });
    for (const [flow, answer] of Object.entries(answers)) assert.equal(answer.error, undefined, `${flow}: ${JSON.stringify(answer.error)}`);
    return Object.fromEntries(Object.entries(answers).map(([flow, { result }]) => [flow, result]));
  }

  test("the package runs every flow in a module Worker", async () => {
    checkFlows(await inDedicatedWorker(FLOWS), "dedicated");
  });

  test("in a cross-origin-isolated worker, SharedArrayBuffer views are copied and sent", async () => {
    const { environment, sharedSend } = await inDedicatedWorker(["environment", "sharedSend"]);
    assert.equal(environment.crossOriginIsolated, true);
    assert.equal(environment.sharedArrayBuffer, "function");
    assert.deepEqual(sharedSend, [
      { sent: "sent", same: true, length: 1000 },
      { sent: "sent", same: true, length: 7 },
      { sent: "sent", same: true, length: 4096 },
    ]);
  });
});

describe("shared worker", () => {
  /** Connects `page` to the shared worker; `window.call(message)` then answers by id. */
  async function connect(page) {
    await page.evaluate(async (url) => {
      if (typeof SharedWorker !== "function") throw new Error("no SharedWorker in this page");
      const worker = new SharedWorker(url, { type: "module" });
      const pending = new Map();
      window.heard = [];
      window.workerErrors = [];
      worker.onerror = (event) => window.workerErrors.push(String(event.message ?? event.type));
      worker.port.onmessage = ({ data }) => {
        if ("heard" in data) window.heard.push(data);
        else pending.get(data.id)?.(data);
      };
      worker.port.start();
      let ids = 0;
      window.call = (message) => new Promise((resolve) => {
        const id = ++ids;
        pending.set(id, resolve);
        worker.port.postMessage({ id, ...message });
      });
    }, `${WORKERS}/shared.js`);
  }

  test("the package runs every flow in a module SharedWorker", async () => {
    const page = await newPage();
    await connect(page);
    const results = {};
    for (const flow of FLOWS) {
      const answer = await page.evaluate((message) => window.call(message), { flow, arg: ARGS });
      assert.equal(answer.error, undefined, `${flow}: ${JSON.stringify(answer.error)}`);
      results[flow] = answer.result;
    }
    checkFlows(results, "shared");
    assert.deepEqual(await page.evaluate(() => window.workerErrors), []);
  });

  test("two pages talk to each other through the one worker's Socket", async () => {
    const first = await newPage();
    const second = await newPage();
    await connect(first);
    await connect(second);
    const call = (page, message) => page.evaluate((message) => window.call(message), message);
    const firstJoin = await call(first, { join: true });
    const secondJoin = await call(second, { join: true });
    assert.equal(firstJoin.error, undefined, JSON.stringify(firstJoin.error));
    assert.equal(secondJoin.error, undefined, JSON.stringify(secondJoin.error));
    assert.notEqual(firstJoin.result.client, secondJoin.result.client, "two clients of one worker");
    assert.equal(secondJoin.result.joined, firstJoin.result.joined + 1, "the same worker: the second join sees the first");

    assert.deepEqual(await call(first, { say: "from the first page" }), { id: 2, result: "sent" });
    assert.deepEqual(await call(second, { say: "from the second page" }), { id: 2, result: "sent" });
    const heard = (page) => page.evaluate(async () => {
      const deadline = Date.now() + 10_000;
      while (window.heard.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      return window.heard.map(({ heard, from }) => ({ heard, from }));
    });
    const expected = [
      { heard: "from the first page", from: firstJoin.result.client },
      { heard: "from the second page", from: secondJoin.result.client },
    ];
    assert.deepEqual(await heard(first), expected, "the first page hears both");
    assert.deepEqual(await heard(second), expected, "the second page hears both");
    for (const page of [first, second]) assert.deepEqual(await page.evaluate(() => window.workerErrors), []);
  });
});
