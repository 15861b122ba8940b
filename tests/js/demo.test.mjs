// Proves, end to end in headless Chromium: the demo page loads the package by name (import
// map), connects to the preset echo URL, sends text and binary (hex) and shows both echoes in
// the log, reports a refused close code in the page, closes with 4001 and a reason, and shows
// the result card. Saves a screenshot to target/screenshots/demo.png.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";

import { HTTP, launch } from "./harness.mjs";

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

test("the demo connects, echoes text and binary, and shows the close result", async () => {
  const page = await browser.newPage({ viewport: { width: 1000, height: 1100 } });
  const pageErrors = [];
  page.on("pageerror", (error) => pageErrors.push(String(error)));
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
  await page.fill("#close-code", "1001");
  await page.click("#close");
  await page.waitForSelector("#error:not([hidden])");
  assert.match(await page.textContent("#error"), /^InvalidCloseCode: 1001 is reserved/);
  assert.equal(await page.textContent("#state"), "OPEN");

  await page.fill("#close-code", "4001");
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
  assert.deepEqual(pageErrors, []);
});
