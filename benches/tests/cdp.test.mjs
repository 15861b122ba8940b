// Proves: the bench's browser driver (benches/cdp.mjs) evaluates in the page, reports page
// errors, opens isolated contexts and never enables DevTools' Network domain; and the fact the
// bench relies on (docs/bench/devtools-network.md): with the Network domain enabled, Chromium
// reports each WebSocket frame with its payload, except a frame sent from a Blob.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launch } from "../cdp.mjs";

const HTTP = process.env.BROWSER_WS_HTTP ?? "http://127.0.0.1:8080";
const ECHO = `${HTTP.replace(/^http/, "ws")}/echo`;
let browser;
const methods = [];

before(async () => {
  browser = await launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium" });
  const send = browser.connection.send.bind(browser.connection);
  browser.connection.send = (method, ...rest) => (methods.push(method), send(method, ...rest));
});
after(() => browser?.close());

test("evaluate runs a function with its argument, awaits it and rejects with the page's error", async () => {
  const page = await browser.newPage();
  assert.match(browser.version(), /^\d+\./);
  assert.deepEqual(await page.evaluate(async ([a, b]) => [a + b, typeof WebSocket], [2, 3]), [5, "function"]);
  await assert.rejects(page.evaluate(() => { throw new TypeError("boom"); }), /TypeError: boom/);
});

test("goto and waitForFunction wait for the page; an uncaught error reaches pageerror", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error));
  await page.goto(`data:text/html,<script>setTimeout(() => { document.title = "ready"; throw new Error("late"); }, 100)</script>`);
  await page.waitForFunction(() => document.title === "ready");
  await page.waitForFunction(() => true);
  for (let i = 0; i < 50 && errors.length === 0; i++) await new Promise((ok) => setTimeout(ok, 20));
  assert.match(String(errors[0]), /late/);
});

test("a new context's page shares nothing with the default context's", async () => {
  const context = await browser.newContext();
  const isolated = await context.newPage();
  const page = await browser.newPage();
  await Promise.all([isolated.goto(`${HTTP}/`), page.goto(`${HTTP}/`)]);
  await page.waitForFunction(() => document.readyState === "complete");
  await isolated.waitForFunction(() => document.readyState === "complete");
  await page.evaluate(() => localStorage.setItem("seen", "yes"));
  assert.equal(await isolated.evaluate(() => localStorage.getItem("seen")), null);
  const cdp = await context.newCDPSession(isolated);
  assert.equal(typeof (await cdp.send("Runtime.getHeapUsage")).usedSize, "number");
  await context.close();
});

test("the driver never enables the Network domain", () => {
  assert.ok(methods.includes("Runtime.evaluate"));
  assert.deepEqual(methods.filter((method) => method.startsWith("Network.")), []);
});

test("with Network.enable, every frame is reported with its payload except one sent from a Blob", async () => {
  const page = await browser.newPage();
  const frames = [];
  for (const event of ["Network.webSocketFrameSent", "Network.webSocketFrameReceived"]) {
    browser.connection.on(page.sessionId, event, ({ response }) => frames.push([event.slice(22), response.opcode, response.payloadData.length]));
  }
  await page.send("Network.enable");
  await page.evaluate(async (url) => {
    const socket = new WebSocket(url);
    await new Promise((ok) => (socket.onopen = ok));
    let echoed = 0;
    const done = new Promise((ok) => (socket.onmessage = () => ++echoed === 3 && ok()));
    socket.send(new Uint8Array(1024).fill(65));
    socket.send(new Blob([new Uint8Array(1024).fill(66)]));
    socket.send("hello");
    await done;
    socket.close();
  }, ECHO);
  for (let i = 0; i < 50 && frames.length < 6; i++) await new Promise((ok) => setTimeout(ok, 20));
  // 1,024 bytes are 1,368 characters of base64; text is reported as it is.
  assert.deepEqual(frames.filter(([kind]) => kind === "Sent"), [["Sent", 2, 1368], ["Sent", 2, 0], ["Sent", 1, 5]]);
  assert.deepEqual(frames.filter(([kind]) => kind === "Received"), [["Received", 2, 1368], ["Received", 2, 1368], ["Received", 1, 5]]);
});
