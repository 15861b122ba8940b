// Drives examples/yew-chat (Yew + browser-ws `use_websocket_json`, built by scripts/test into
// target/examples/yew-chat and served under /yew-chat/) in headless Chromium: two pages join
// one room on the server's fault listener; typed messages cross both ways; the fault listener
// is restarted (every connection dropped, the port refused for a while); both pages show
// `reconnecting` and then `open` again by themselves, a message sent while down is queued and
// delivered after the reconnect, and the chat goes on; the history stays at its bound
// (`?history=5`) and in one order on both pages. A frame that is not a chat message is shown
// as a decode error and the connection stays open. Leaving closes for good (no reconnect),
// and rejoining opens again.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";

import { HTTP, launch, pageErrors } from "./harness.mjs";

const MAIN = HTTP.replace(/^http/, "ws");
const FAULT = process.env.BROWSER_WS_FAULT_SERVER ?? "ws://127.0.0.1:8081";
const ROOM = `yew-chat-${Date.now()}-${Math.floor(Math.random() * 1e9)}`;
const HISTORY = 5;

let browser;
let ada;
let bob;

async function chatPage(name) {
  const page = await browser.newPage();
  page.uncaughtErrors = pageErrors(page);
  // A Rust panic is logged by Yew's panic hook (the browser's own connection-refused and 404
  // messages during the restart are expected).
  page.on("console", (message) => {
    if (message.type() === "error" && /panicked|RuntimeError|unreachable/.test(message.text())) {
      page.uncaughtErrors.push(new Error(message.text()));
    }
  });
  const query = new URLSearchParams({ ws: FAULT, room: ROOM, name, history: String(HISTORY) });
  await page.goto(`${HTTP}/yew-chat/?${query}`);
  // Every status the page shows, in order (a transition can be shorter than a poll).
  await page.waitForSelector("#status");
  await page.evaluate(() => {
    const status = document.querySelector("#status");
    window.statuses = [status.className];
    new MutationObserver(() => {
      const current = document.querySelector("#status")?.className;
      if (current && current !== window.statuses.at(-1)) window.statuses.push(current);
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  return page;
}

const status = (page) => page.locator("#status");

async function waitOpen(page) {
  await page.waitForFunction(() => document.querySelector("#status")?.className === "open", null, {
    timeout: 15_000,
  });
}

async function say(page, text) {
  await page.fill("#text", text);
  await page.click("#send");
}

/** The chat lines a page shows, as "from: text". */
async function lines(page) {
  return page.$$eval("#messages li", (items) =>
    items.map((item) => `${item.querySelector(".from").textContent}: ${item.querySelector(".text").textContent}`),
  );
}

async function waitLine(page, line) {
  await page.waitForFunction(
    (line) =>
      [...document.querySelectorAll("#messages li")].some(
        (item) => `${item.querySelector(".from").textContent}: ${item.querySelector(".text").textContent}` === line,
      ),
    line,
    { timeout: 15_000 },
  );
}

/** Restarts the fault listener from the page (`/restart` on the main port); resolves with
 * what the control socket said ("down", then "up"). */
function restart(page, downMs) {
  return page.evaluate(
    ({ url }) =>
      new Promise((resolve, reject) => {
        const said = [];
        const control = new WebSocket(url);
        control.onmessage = (event) => said.push(event.data);
        control.onerror = () => reject(new Error("the /restart socket failed"));
        control.onclose = () => resolve(said);
      }),
    { url: `${MAIN}/restart?down_ms=${downMs}` },
  );
}

before(async () => {
  browser = await launch();
  ada = await chatPage("ada");
  bob = await chatPage("bob");
});

after(async () => {
  await browser?.close();
});

describe("examples/yew-chat", () => {
  test("two pages chat, survive a server restart by reconnecting, and keep a bounded history", async () => {
    await waitOpen(ada);
    await waitOpen(bob);

    await say(ada, "hello from ada");
    await waitLine(ada, "ada: hello from ada");
    await waitLine(bob, "ada: hello from ada");
    await say(bob, "hi ada, bob here");
    await waitLine(ada, "bob: hi ada, bob here");
    await waitLine(bob, "bob: hi ada, bob here");

    // The server drops every room connection and refuses the port for a second.
    const restarted = restart(ada, 1000);
    await ada.waitForFunction(() => document.querySelector("#status")?.className === "reconnecting", null, {
      timeout: 5_000,
    });
    // Sent while down: queued, and sent first when the connection is back.
    await say(ada, "sent while the server was down");
    assert.match(await ada.locator("#notice").textContent(), /queued/);
    assert.deepEqual(await restarted, ["down", "up"]);

    await waitOpen(ada);
    await waitOpen(bob);
    for (const page of [ada, bob]) {
      const seen = await page.evaluate(() => window.statuses);
      const dropped = seen.indexOf("reconnecting");
      assert.ok(dropped > 0, `a reconnecting status after open: ${seen}`);
      assert.equal(seen[dropped - 1], "open", `open before the drop: ${seen}`);
      assert.equal(seen.at(-1), "open", `open again: ${seen}`);
      assert.ok(!seen.includes("closed"), `never closed for good: ${seen}`);
    }
    // The queued message reached the room (ada, a member again, hears it; bob may have come
    // back after it was broadcast).
    await waitLine(ada, "ada: sent while the server was down");

    await say(bob, "still here after the restart");
    await waitLine(ada, "bob: still here after the restart");
    await say(ada, "me too");
    await waitLine(bob, "ada: me too");

    // History: at most HISTORY lines, the newest last, in one order on both pages.
    const burst = ["one", "two", "three", "four", "five", "six"];
    for (const text of burst) await say(bob, text);
    await waitLine(ada, "bob: six");
    await waitLine(bob, "bob: six");
    const expected = burst.slice(-HISTORY).map((text) => `bob: ${text}`);
    assert.deepEqual(await lines(ada), expected);
    assert.deepEqual(await lines(bob), expected);
  });

  test("a frame that is not a chat message is a decode error; the connection stays open", async () => {
    await waitOpen(ada);
    await waitOpen(bob);
    const before = Number(await bob.locator("#received").textContent());
    await ada.evaluate(
      ({ url }) =>
        new Promise((resolve, reject) => {
          const raw = new WebSocket(url);
          raw.onopen = () => {
            raw.send("this is not JSON");
            raw.close();
          };
          raw.onerror = () => reject(new Error("the raw socket failed"));
          raw.onclose = resolve;
        }),
      { url: `${FAULT}/room?name=${ROOM}` },
    );
    for (const page of [ada, bob]) {
      await page.waitForSelector("#error", { timeout: 10_000 });
      assert.match(await page.locator("#error").textContent(), /cannot decode message: .*this is not JSON/);
    }
    assert.equal(await status(bob).textContent(), "open");
    assert.equal(Number(await bob.locator("#received").textContent()), before + 1);
    await say(ada, "after the junk");
    await waitLine(bob, "ada: after the junk");
    assert.equal(await status(ada).textContent(), "open");
  });

  test("leaving closes for good (no reconnect) and rejoining opens again", async () => {
    await waitOpen(ada);
    await ada.click("#close");
    await ada.waitForFunction(() => document.querySelector("#status")?.className === "closed", null, {
      timeout: 5_000,
    });
    assert.match(await status(ada).textContent(), /^closed: 1000 "" \(clean: true\)$/);
    // Sending now is refused, not dropped silently.
    await say(ada, "into the void");
    assert.match(await ada.locator("#notice").textContent(), /not sent: the socket is not open/);
    // Nothing reconnects by itself.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(await ada.evaluate(() => document.querySelector("#status").className), "closed");

    await ada.click("#open");
    await waitOpen(ada);
    await say(bob, "welcome back");
    await waitLine(ada, "bob: welcome back");
  });

  test("no page errors", () => {
    assert.deepEqual(ada.uncaughtErrors, []);
    assert.deepEqual(bob.uncaughtErrors, []);
  });
});
