// Proves, end to end in headless Chromium: the demo page loads the package by name (import
// map), connects to the preset echo URL, sends text and binary (hex) and shows both echoes in
// the log, reports a refused close code in the page, closes with 4001 and a reason, and shows
// the result card. Saves a screenshot to target/screenshots/demo.png.
//
// Reconnect mode: the toggle points the URL at the fault listener's /echo (its port read from
// /demo-server/fault-port, which scripts/test and scripts/start serve) and connects with the
// `reconnect` option; "Drop connection" (/restart on the main port) cuts the connection, the
// timeline shows reconnecting with attempt and delay, sends while down are queued (the queue
// length shows them), and once the socket is open again they go out and echo back in order;
// with the browser context offline the offline note shows, and goes once online. Saves a
// screenshot to target/screenshots/demo-reconnect.png (docs/demo-reconnect.png is a copy).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";

import { HTTP, launch, pageErrors } from "./harness.mjs";

let browser;

before(async () => {
  browser = await launch();
});

/**
 * Sets a number input. Playwright's `fill` over WebDriver BiDi (Firefox) appends to a number
 * input's value instead of replacing it; emptied first, it does not.
 */
async function fillNumber(page, selector, value) {
  await page.fill(selector, "");
  await page.fill(selector, value);
}

after(async () => {
  await browser?.close();
});

test("the demo connects, echoes text and binary, and shows the close result", async () => {
  const page = await browser.newPage({ viewport: { width: 1000, height: 1100 } });
  const errors = pageErrors(page);
  await page.goto(`${HTTP}/`);
  await page.waitForSelector("body[data-ready=true]");

  assert.equal(await page.inputValue("#url"), `${HTTP.replace("http", "ws")}/echo`);
  assert.equal(await page.textContent("#state"), "CLOSED");

  await page.click("#connect");
  await page.waitForFunction(() => document.getElementById("state").textContent === "OPEN");

  await page.fill("#text", "hello, demo");
  await page.click("#send-text");
  await page.waitForSelector('#log tr[data-direction=received][data-kind=text]');
  const textEcho = await page.textContent('#log tr[data-direction=received][data-kind=text] td.data');
  assert.equal(textEcho, "hello, demo");

  await page.fill("#hex", "de ad be ef 01 02");
  await page.click("#send-binary");
  await page.waitForSelector('#log tr[data-direction=received][data-kind^=binary]');
  const binaryEcho = await page.textContent('#log tr[data-direction=received][data-kind^=binary] td.data');
  assert.equal(binaryEcho, "de ad be ef 01 02");
  const sizes = await page.$$eval("#log tr[data-direction=received] td:nth-child(4)", (cells) => cells.map((c) => c.textContent));
  assert.deepEqual(sizes.sort(), ["11 B", "6 B"]);

  // A refused close code is reported in the page and leaves the socket open.
  await fillNumber(page, "#close-code", "1001");
  await page.click("#close");
  await page.waitForSelector("#error:not([hidden])");
  assert.match(await page.textContent("#error"), /^InvalidAccessError: 1001 is reserved/);
  assert.equal(await page.textContent("#state"), "OPEN");

  await fillNumber(page, "#close-code", "4001");
  await page.fill("#close-reason", "demo finished");
  await page.click("#close");
  await page.waitForSelector("#result:not([hidden])");
  assert.equal(await page.textContent("#result-code"), "4001");
  assert.equal(await page.textContent("#result-reason"), '"demo finished"');
  assert.equal(await page.textContent("#result-clean"), "true");
  assert.equal(await page.textContent("#state"), "CLOSED");
  assert.equal(await page.isHidden("#error"), true);

  mkdirSync("target/screenshots", { recursive: true });
  await page.screenshot({ path: "target/screenshots/demo.png", fullPage: true });
  assert.deepEqual(errors.map(String), []);
});

test("reconnect mode: drop the connection, queue while down, see the queue go out and the state timeline", async () => {
  const context = await browser.newContext({ viewport: { width: 1000, height: 1400 } });
  const page = await context.newPage();
  const errors = pageErrors(page);
  await page.goto(`${HTTP}/`);
  await page.waitForSelector("body[data-ready=true]");
  const text = (selector) => page.textContent(selector);
  const timeline = () => page.$$eval("#timeline li", (items) => items.map((item) => ({ ...item.dataset })));

  assert.equal(await page.isHidden("#reconnect-card"), true);
  await page.check("#reconnect");
  assert.equal(await page.isVisible("#reconnect-card"), true);
  // The URL now names the fault listener (another port), which /restart takes down.
  const url = new URL(await page.inputValue("#url"));
  assert.equal(url.pathname, "/echo");
  assert.notEqual(url.port, new URL(HTTP).port);
  assert.equal(await page.isEnabled("#drop"), true);

  await page.click("#connect");
  await page.waitForFunction(() => document.getElementById("state").textContent === "OPEN");
  assert.equal(await page.isDisabled("#reconnect"), true);
  assert.deepEqual((await timeline()).map((item) => item.kind), ["connecting", "open"]);

  await page.fill("#text", "before the drop");
  await page.click("#send-text");
  await page.waitForSelector("#log tr[data-direction=received][data-kind=text]");
  assert.equal(await page.getAttribute("#log tr[data-direction=sent]", "data-status"), "sent");

  // The server is down for 2.5 s: the first retries are refused.
  await fillNumber(page, "#down-ms", "2500");
  await page.click("#drop");
  await page.waitForSelector('#timeline li[data-kind=server][data-event=down]');
  await page.waitForFunction(() => document.getElementById("state").textContent !== "OPEN");
  const reconnecting = await page.waitForSelector("#timeline li[data-kind=reconnecting]");
  assert.equal(await reconnecting.getAttribute("data-attempt"), "1");
  const delay = Number(await reconnecting.getAttribute("data-delay"));
  assert.ok(delay >= 0 && delay <= 500, `first delay ${delay} ms within initialDelay`);
  assert.match(await reconnecting.textContent(), /reconnecting attempt 1 in \d+ ms, after close 1006 \(unclean\)$/);

  // Sent while down: queued, and the queue length shows them.
  for (const message of ["queued 1", "queued 2", "queued 3"]) {
    await page.fill("#text", message);
    await page.click("#send-text");
  }
  assert.equal(await text("#queue"), "3");
  const statuses = () => page.$$eval("#log tr[data-direction=sent]", (rows) => rows.map((row) => row.dataset.status));
  assert.deepEqual(await statuses(), ["queued", "queued", "queued", "sent"]);

  // Back: open again, the queue empties, and the echoes come in the order sent.
  await page.waitForSelector('#timeline li[data-kind=server][data-event=up]', { timeout: 10_000 });
  await page.waitForFunction(() => document.getElementById("state").textContent === "OPEN", null, { timeout: 10_000 });
  await page.waitForFunction(() => document.querySelectorAll("#log tr[data-direction=received][data-kind=text]").length === 4);
  assert.equal(await text("#queue"), "0");
  const echoes = await page.$$eval("#log tr[data-direction=received][data-kind=text] td.data", (cells) => cells.map((c) => c.textContent).reverse());
  assert.deepEqual(echoes, ["before the drop", "queued 1", "queued 2", "queued 3"]);
  assert.deepEqual(await statuses(), ["sent from the queue", "sent from the queue", "sent from the queue", "sent"]);
  assert.match(await text("#log tr[data-direction=sent] .status"), /^sent from the queue at \d\d:\d\d:\d\d\.\d{3}$/);

  // The timeline: every retry numbered, with its delay, until the connection that lasts.
  const states = (await timeline()).filter((item) => item.kind !== "server");
  assert.deepEqual(states.slice(0, 3).map((item) => item.kind), ["connecting", "open", "reconnecting"]);
  assert.equal(states.at(-1).kind, "open");
  const retries = states.filter((item) => item.kind === "reconnecting");
  assert.deepEqual(retries.map((item) => Number(item.attempt)), retries.map((_, i) => i + 1));
  for (const retry of retries) assert.ok(Number(retry.delay) >= 0 && Number(retry.delay) <= 4000);
  const attempts = states.filter((item) => item.kind === "connecting").slice(1);
  assert.deepEqual(attempts.map((item) => Number(item.attempt)), retries.map((_, i) => i + 1));

  // Offline: the note shows while navigator.onLine is false, and goes when it is back.
  assert.equal(await page.isHidden("#offline"), true);
  await context.setOffline(true);
  await page.waitForSelector("#offline:not([hidden])");
  assert.match(await text("#offline"), /You are offline/);
  assert.equal(await page.evaluate(() => navigator.onLine), false);
  mkdirSync("target/screenshots", { recursive: true });
  await page.screenshot({ path: "target/screenshots/demo-reconnect.png", fullPage: true });
  await context.setOffline(false);
  await page.waitForSelector("#offline", { state: "hidden" });
  assert.deepEqual((await timeline()).filter((item) => item.kind === "network").map((item) => item.kind), ["network", "network"]);

  await page.click("#disconnect");
  await page.waitForFunction(() => document.getElementById("state").textContent === "CLOSED");
  assert.equal((await timeline()).at(-1).kind, "closed");
  // Off again: the plain echo URL and no reconnect card.
  await page.uncheck("#reconnect");
  assert.equal(await page.inputValue("#url"), `${HTTP.replace("http", "ws")}/echo`);
  assert.equal(await page.isHidden("#reconnect-card"), true);
  assert.equal(await page.isHidden("#error"), true);
  assert.deepEqual(errors.map(String), []);
  await context.close();
});
