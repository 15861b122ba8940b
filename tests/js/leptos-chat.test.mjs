// Drives examples/leptos-chat (built by scripts/test into target/examples/leptos-chat/ and
// served at /leptos-chat/) in headless Chromium: two pages join one room on the server's fault
// listener, messages cross both ways, the fault listener restarts (/restart on the main
// listener drops every chat connection), both pages show `reconnecting` and then `open`
// again, a message sent while down is queued and sent on the new connection, and the chat
// goes on; leaving closes for good and rejoining opens again.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { HTTP, launch, pageErrors } from "./harness.mjs";

const WS = HTTP.replace(/^http/, "ws");
// The fault listener (scripts/test exports it); the chat connects there, so that /restart on
// the main listener takes the chat's connections down.
const FAULT = process.env.BROWSER_WS_FAULT_SERVER;
const ROOM = `leptos-${Date.now()}-${Math.floor(Math.random() * 1e9)}`;

let browser;
let ana;
let bob;

async function chatPage(name) {
  const page = await browser.newPage();
  page.uncaughtErrors = pageErrors(page);
  await page.goto(`${HTTP}/leptos-chat/?ws=${encodeURIComponent(FAULT)}&room=${ROOM}`);
  // Every state the status element shows, in order (a reconnect can be brief).
  await page.evaluate(() => {
    window.seenStates = [];
    const watch = () => {
      const status = document.getElementById("status");
      if (!status) return setTimeout(watch, 5);
      window.seenStates.push(status.dataset.state);
      new MutationObserver(() => window.seenStates.push(status.dataset.state)).observe(status, {
        attributes: true,
        attributeFilter: ["data-state"],
      });
    };
    watch();
  });
  await page.fill("#name", name);
  return page;
}

const state = (page) => page.getAttribute("#status", "data-state");

async function waitForState(page, wanted, timeout = 15_000) {
  await page.waitForSelector(`#status[data-state="${wanted}"]`, { timeout });
}

const messages = (page) => page.$$eval("li.message", (items) => items.map((item) => item.textContent));

async function waitForMessage(page, text, timeout = 10_000) {
  await page.waitForFunction(
    (text) => [...document.querySelectorAll("li.message")].some((item) => item.textContent === text),
    text,
    { timeout },
  );
}

async function say(page, text) {
  await page.fill("#text", text);
  await page.click("#send");
}

/** Restarts the fault listener from inside `page` (Node 20 has no WebSocket): resolves with
 * what /restart reported (`down`, then `up`). */
function restart(page, downMs) {
  return page.evaluate(
    (url) =>
      new Promise((resolve, reject) => {
        const control = new WebSocket(url);
        const said = [];
        control.onmessage = (event) => said.push(event.data);
        control.onclose = () => resolve(said);
        control.onerror = () => reject(new Error("the /restart connection failed"));
      }),
    `${WS}/restart?down_ms=${downMs}`,
  );
}

before(async () => {
  assert.ok(FAULT, "BROWSER_WS_FAULT_SERVER (the fault listener's ws:// URL) must be set");
  browser = await launch();
  ana = await chatPage("ana");
  bob = await chatPage("bob");
});

after(async () => {
  for (const page of [ana, bob]) {
    if (page) assert.deepEqual(page.uncaughtErrors.map(String), [], "no uncaught errors in the page");
  }
  await browser?.close();
});

test("two pages join the room and messages cross both ways", async () => {
  await waitForState(ana, "open");
  await waitForState(bob, "open");
  assert.match(await ana.textContent("#status"), /^open$/);
  await say(ana, "hello bob");
  await waitForMessage(bob, "ana: hello bob");
  await waitForMessage(ana, "ana: hello bob");
  await say(bob, "hi ana");
  await waitForMessage(ana, "bob: hi ana");
  await waitForMessage(bob, "bob: hi ana");
  // One order for all: both pages show the same history.
  assert.deepEqual(await messages(ana), ["ana: hello bob", "bob: hi ana"]);
  assert.deepEqual(await messages(bob), ["ana: hello bob", "bob: hi ana"]);
  assert.equal(await ana.textContent("#error"), "");
});

test("the server restarts: both pages reconnect, a message sent while down is queued, the chat goes on", async () => {
  await waitForState(ana, "open");
  await waitForState(bob, "open");
  await ana.evaluate(() => (window.seenStates = []));
  await bob.evaluate(() => (window.seenStates = []));
  const restarted = restart(ana, 500);
  // The listener drops every chat connection; the pages notice and wait to retry.
  await ana.waitForFunction(() => document.getElementById("status").dataset.state !== "open", null, {
    timeout: 10_000,
  });
  await say(ana, "sent while down");
  assert.equal(await ana.textContent("#note"), "queued until reconnected");
  assert.deepEqual(await restarted, ["down", "up"]);
  await waitForState(ana, "open");
  await waitForState(bob, "open");
  for (const page of [ana, bob]) {
    const seen = await page.evaluate(() => window.seenStates);
    const reconnecting = seen.indexOf("reconnecting");
    assert.ok(reconnecting >= 0, `the page showed reconnecting (saw ${seen.join(", ")})`);
    assert.equal(seen.at(-1), "open", `then open again (saw ${seen.join(", ")})`);
    assert.match(await page.textContent("#error"), /^$/);
  }
  // The queued message went out first on ana's new connection: the room echoes it to ana.
  // (Bob sees it only if he was back in the room first: the room keeps no history.)
  await waitForMessage(ana, "ana: sent while down");
  await say(bob, "back again");
  await waitForMessage(ana, "bob: back again");
  await say(ana, "welcome back");
  await waitForMessage(bob, "ana: welcome back");
  await waitForMessage(ana, "ana: welcome back");
  assert.deepEqual((await messages(ana)).slice(-3), ["ana: sent while down", "bob: back again", "ana: welcome back"]);
  assert.deepEqual((await messages(bob)).slice(-2), ["bob: back again", "ana: welcome back"]);
});

test("leaving closes for good; rejoining opens again and the chat goes on", async () => {
  await waitForState(bob, "open");
  await bob.click("#leave");
  await waitForState(bob, "closed");
  assert.equal(await bob.textContent("#status"), "closed (1000)");
  // While out, bob's messages are refused with a reason, not dropped silently.
  await say(bob, "nobody hears this");
  assert.match(await bob.textContent("#note"), /^not sent: the socket is not open/);
  await bob.click("#rejoin");
  await waitForState(bob, "open");
  await say(ana, "you are back");
  await waitForMessage(bob, "ana: you are back");
  await say(bob, "yes");
  await waitForMessage(ana, "bob: yes");
  assert.ok(!(await messages(ana)).includes("bob: nobody hears this"));
});
