// Proves: the minimal browser-ws app (examples/size_browser_ws.rs: connect, send, receive one
// message, close), built in release with opt-level "z", LTO and wasm-opt -Oz, is smaller than
// gloo-net's minimal app built the same way in the same run (examples/size_gloo_net.rs), in
// wasm and in wasm plus JS, and stays within a fixed budget; and that these release builds
// really work: each is loaded in headless Chromium and round-trips a message through the
// project's server. Any other app that scripts/size built (the peers, for `npm run bench`) is
// run the same way. The browser-ws app hands its errors to JS with `?` (`From<Error> for
// JsValue`), and its release build rejects with named JS Errors carrying browser-ws's texts.
// The same app written as a user would (examples/size_browser_ws_user.rs: `send(Message)`,
// every error shown with `to_string()`, as gloo-net's app does) is smaller than gloo-net's too,
// within its own budget, and rejects with the same texts.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { CLOSED_PORT, HTTP, launch } from "./harness.mjs";

/** gzip -9 bytes of the minimal browser-ws app's wasm: the budget the build must stay within. */
const BUDGET_GZIP = 15_500;
/** gzip -9 bytes of its wasm plus the JS it ships (wasm-bindgen glue and inline snippets), so
 * that no change fits the wasm budget just by moving code into JS. */
const BUDGET_TOTAL_GZIP = 20_910;
const SIZE_DIR = join(process.env.BROWSER_WS_TARGET_DIR ?? "target", "size");
const sizes = JSON.parse(readFileSync(join(SIZE_DIR, "sizes.json"), "utf8"));

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("the minimal browser-ws app is smaller than gloo-net's, in wasm and in wasm plus JS", () => {
  const ours = sizes["browser-ws"];
  const gloo = sizes["gloo-net"];
  assert.ok(gloo, "scripts/size builds gloo-net's minimal app too (bash scripts/size browser-ws gloo-net)");
  assert.ok(ours.gzip < gloo.gzip, `wasm gzip -9: browser-ws ${ours.gzip} bytes, gloo-net ${gloo.gzip}`);
  assert.ok(ours.gzip + ours.jsGzip < gloo.gzip + gloo.jsGzip,
    `wasm + JS gzip -9: browser-ws ${ours.gzip + ours.jsGzip} bytes, gloo-net ${gloo.gzip + gloo.jsGzip}`);
});

/** gzip -9 bytes of the user-style app's wasm (examples/size_browser_ws_user.rs). */
const USER_BUDGET_GZIP = 15_340;

test("the minimal app written as a user would (to_string() errors, send(Message)) is smaller than gloo-net's, and within its budget", () => {
  const user = sizes["browser-ws-user"];
  const gloo = sizes["gloo-net"];
  assert.ok(user, "scripts/size builds it (bash scripts/size browser-ws browser-ws-user gloo-net)");
  assert.ok(user.gzip < gloo.gzip, `wasm gzip -9: browser-ws (user-style) ${user.gzip} bytes, gloo-net ${gloo.gzip}`);
  assert.ok(user.gzip + user.jsGzip < gloo.gzip + gloo.jsGzip,
    `wasm + JS gzip -9: browser-ws (user-style) ${user.gzip + user.jsGzip} bytes, gloo-net ${gloo.gzip + gloo.jsGzip}`);
  assert.ok(user.gzip <= USER_BUDGET_GZIP, `gzip -9 ${user.gzip} bytes exceeds the budget of ${USER_BUDGET_GZIP}`);
});

test("the minimal browser-ws app stays within its gzip budget", () => {
  const { raw, gzip, jsGzip } = sizes["browser-ws"];
  assert.ok(gzip <= BUDGET_GZIP, `gzip -9 ${gzip} bytes exceeds the budget of ${BUDGET_GZIP} (raw ${raw})`);
  assert.ok(Number.isInteger(jsGzip), "scripts/size records the JS glue");
  assert.ok(gzip + jsGzip <= BUDGET_TOTAL_GZIP,
    `wasm + JS gzip -9 ${gzip + jsGzip} bytes exceeds the budget of ${BUDGET_TOTAL_GZIP}`);
});

for (const app of Object.keys(sizes)) {
  test(`the ${app} release build loads and round-trips a message`, async () => {
    const page = await browser.newPage();
    await page.goto(`${HTTP}/`);
    const reply = await page.evaluate(async ([app, url]) => {
      const module = await import(`/size/${app}/app.js`);
      await module.default();
      return module.run(url);
    }, [app, `${HTTP.replace(/^http/, "ws")}/echo`]);
    assert.equal(reply, "ping");
    await page.close();
  });
}

/** What `app`'s release build does with a refused URL and a closed port: each rejection as
 * `{ isError, name, message }` for an Error, else as `{ rejected }`. */
async function rejections(app) {
  const page = await browser.newPage();
  await page.goto(`${HTTP}/`);
  const outcomes = await page.evaluate(async ([app, urls]) => {
    const module = await import(`/size/${app}/app.js`);
    await module.default();
    const outcomes = [];
    for (const url of urls) {
      try {
        outcomes.push({ resolved: await module.run(url) });
      } catch (error) {
        outcomes.push(error instanceof Error
          ? { isError: true, name: error.name, message: error.message }
          : { rejected: error });
      }
    }
    return outcomes;
  }, [app, ["ftp://a.test/", `ws://127.0.0.1:${CLOSED_PORT}/`]]);
  await page.close();
  return outcomes;
}

const INVALID_URL_TEXT = 'invalid WebSocket URL "ftp://a.test/": the scheme must be ws:, wss:, http: or https:';
const CONNECT_FAILED_TEXT = "connection failed: unclean close with code 1006";

test("the browser-ws release build rejects with named JS Errors through `?`", async () => {
  assert.deepEqual(await rejections("browser-ws"), [
    { isError: true, name: "InvalidUrl", message: INVALID_URL_TEXT },
    { isError: true, name: "ConnectFailed", message: CONNECT_FAILED_TEXT },
  ]);
});

test("the user-style release build rejects with the errors' to_string() texts", async () => {
  assert.deepEqual(await rejections("browser-ws-user"), [
    { rejected: INVALID_URL_TEXT },
    { rejected: CONNECT_FAILED_TEXT },
  ]);
});
