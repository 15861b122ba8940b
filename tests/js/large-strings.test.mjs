// Large JS strings never trap the module, in headless Chromium against the project's server.
//
// wasm-bindgen copies a string into wasm memory with an allocation that traps when it fails,
// and a trap kills every socket of the page. So the package never copies a string argument it
// can pass back to the browser as it is (send(string) without reconnect), resolves URLs in JS
// first (a resolved URL over 2 MiB is refused before anything is copied), compares in JS what
// WebSocket ignores when it is not one of its values (binaryType = v), refuses by length what
// has a bound (close reasons, subprotocols, the binaryType option), and checks that wasm memory
// can take the rest (4 bytes per UTF-16 unit) before copying it: a RangeError, as for binary
// data. Where WebSocket throws, the error is the DOMException it throws (a URL, subprotocol or
// close reason refused: a SyntaxError).
//
// Each call runs twice: in a page as it is (where the copies fit), and in a fresh page whose
// wasm memory was first grown to its maximum from JS (which commits no physical memory), so
// that no allocation larger than what is left in the allocator can succeed.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { BROWSER, HTTP, launch, packagePage } from "./harness.mjs";

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

/**
 * In a fresh page: makes an open socket without and with reconnect (on `/sink`, which reads and
 * discards), optionally exhausts wasm memory, then runs the named calls with a string of 2^24
 * UTF-16 units and returns what each did ("ok", or the thrown error's name), the wasm memory
 * size, whether the sockets still work, and the page's uncaught errors.
 */
async function outcomes(names, { exhaust }) {
  const page = await packagePage(browser);
  try {
    const result = await page.evaluate(async ({ names, exhaust }) => {
      const { Socket } = window.bws;
      const huge = "x".repeat(1 << 24);
      const hugeUrl = `/echo?${huge}`;
      const id = `large-strings-${Date.now()}`;
      const plain = new Socket(`/sink?id=${id}`);
      const reconnecting = new Socket(`/sink?id=${id}`, { reconnect: true, queue: { maxBytes: Infinity } });
      await Promise.all([plain.opened, reconnecting.opened]);
      const calls = {
        "new Socket(URL)": () => new Socket(hugeUrl),
        "new Socket(URL object)": () => new Socket(new URL(hugeUrl, location.href)),
        "new Socket(URL, { reconnect })": () => new Socket(hugeUrl, { reconnect: true }),
        "protocols: string": () => new Socket("/sink", { protocols: huge }),
        "protocols: [chat, string]": () => new Socket("/sink", { protocols: ["chat", huge] }),
        "protocols with reconnect": () => new Socket("/sink", { protocols: [huge], reconnect: true }),
        "binaryType option": () => new Socket("/sink", { binaryType: huge }),
        // Ignored, as WebSocket ignores a value that is not "blob" or "arraybuffer": the value after.
        "binaryType =": () => { plain.binaryType = huge; return plain.binaryType; },
        "reconnecting binaryType =": () => { reconnecting.binaryType = huge; return reconnecting.binaryType; },
        "send(string)": () => plain.send(huge),
        "reconnecting send(string)": () => reconnecting.send(huge),
        "close(4000, reason)": () => plain.close(4000, huge),
        "reconnecting close(4000, reason)": () => reconnecting.close(4000, huge),
        "addEventListener(type)": () => plain.addEventListener(huge, () => {}),
        "heartbeat message": () => new Socket("/sink", { reconnect: true, heartbeat: { message: huge, interval: 60_000 } }),
      };
      let wasmBytes;
      if (exhaust) {
        const memory = (await window.bws.default()).memory;
        for (let pages = 1 << 16; pages >= 1; pages >>= 1) {
          try {
            for (;;) memory.grow(pages);
          } catch {
            // At the maximum for this step: try a smaller one.
          }
        }
        wasmBytes = memory.buffer.byteLength;
      }
      const out = {};
      for (const name of names) {
        try {
          const value = calls[name]();
          if (value instanceof Socket) value.free();
          out[name] = typeof value === "string" ? value : "ok";
        } catch (error) {
          // A DOMException says so: WebSocket's SyntaxError is one, not JS's own SyntaxError.
          out[name] = error instanceof DOMException ? `DOMException ${error.name}`
            : error instanceof Error ? error.name : `non-Error ${typeof error}`;
        }
      }
      // The sockets still work (a trap would have killed them): a small message each.
      let stillWorking;
      try {
        plain.send("small");
        reconnecting.send("small");
        stillWorking = plain.readyState === 1 && reconnecting.readyState === 1;
      } catch (error) {
        stillWorking = `${error.name}: ${error.message}`;
      }
      for (const socket of [plain, reconnecting]) {
        try {
          socket.free();
        } catch (error) {
          // After a trap the module is broken (this one's borrow was never released).
          stillWorking = `free(): ${error.name}: ${error.message}`;
        }
      }
      return { out, wasmBytes, stillWorking };
    }, { names, exhaust });
    await new Promise((resolve) => setTimeout(resolve, 100));
    return { ...result, pageErrors: page.uncaughtErrors.map(String) };
  } finally {
    await page.close();
  }
}

const EXPECTED = {
  "new Socket(URL)": "DOMException SyntaxError",
  // Firefox's URL constructor refuses a URL over 1 MiB itself: the Socket is never called.
  "new Socket(URL object)": BROWSER === "firefox" ? "TypeError" : "DOMException SyntaxError",
  "new Socket(URL, { reconnect })": "DOMException SyntaxError",
  "protocols: string": "DOMException SyntaxError",
  "protocols: [chat, string]": "DOMException SyntaxError",
  "protocols with reconnect": "DOMException SyntaxError",
  // The option is the package's own: a value other than "blob" or "arraybuffer" is refused.
  "binaryType option": "TypeError",
  // Ignored, unchanged (the sockets were made without the option).
  "binaryType =": "blob",
  "reconnecting binaryType =": "blob",
  // Passed to the browser as it is: nothing to copy.
  "send(string)": "sent",
  // Copied for the queue: fits in a page as it is, a RangeError once memory is exhausted.
  "reconnecting send(string)": { fits: "sent", exhausted: "RangeError" },
  "close(4000, reason)": "DOMException SyntaxError",
  "reconnecting close(4000, reason)": "DOMException SyntaxError",
  "addEventListener(type)": "ok",
};

test("every string argument of 2^24 UTF-16 units: a named error or success, never a trap, with wasm memory free or exhausted", { timeout: 300_000 }, async () => {
  const actual = {};
  const expected = {};
  for (const exhaust of [false, true]) {
    const state = exhaust ? "exhausted" : "fits";
    actual[state] = {};
    expected[state] = {};
    // One fresh page per call once memory is exhausted: a trap leaves the module unusable, so
    // each call is judged on its own.
    const groups = exhaust ? Object.keys(EXPECTED).map((name) => [name]) : [Object.keys(EXPECTED)];
    for (const names of groups) {
      const { out, wasmBytes, stillWorking, pageErrors } = await outcomes(names, { exhaust });
      for (const name of names) {
        const value = EXPECTED[name];
        expected[state][name] = { outcome: typeof value === "string" ? value : value[state], stillWorking: true, pageErrors: [] };
        actual[state][name] = { outcome: out[name], stillWorking, pageErrors };
      }
      if (exhaust) assert.ok(wasmBytes >= 2 ** 31, `wasm memory was grown to ${wasmBytes} bytes`);
    }
  }
  // (A trap shows as outcome "RuntimeError", and as the page error "RuntimeError: unreachable"
  // when it happens outside the call.)
  assert.deepEqual(actual, expected);
});

test("heartbeat.message of 2^24 UTF-16 units: accepted when it fits, a RangeError once wasm memory is exhausted", async () => {
  for (const [exhaust, expected] of [[false, "ok"], [true, "RangeError"]]) {
    const { out, stillWorking, pageErrors } = await outcomes(["heartbeat message"], { exhaust });
    assert.deepEqual(out, { "heartbeat message": expected });
    assert.equal(stillWorking, true);
    assert.deepEqual(pageErrors, []);
  }
});

/** The path on the test server of the package's snippet that exports `name`. */
function snippetExporting(name) {
  for (const entry of readdirSync("pkg/snippets", { withFileTypes: true, recursive: true })) {
    const file = join(entry.parentPath ?? entry.path, entry.name);
    if (entry.isFile() && readFileSync(file, "utf8").includes(`export function ${name}(`)) return `/${file}`;
  }
  throw new Error(`no snippet exports ${name}: build the package first (npm run build)`);
}

test("the JS API resolves URLs by the core's rules (resolveUrl, src/glue.rs), refusing with a SyntaxError DOMException of Error::InvalidUrl's message", async () => {
  // `new Socket(url)` hands the JS string to the core's resolveUrl before anything is copied
  // into wasm memory; it must accept, map and refuse exactly as resolveUrl does, refusing as
  // `new WebSocket` does (a SyntaxError DOMException), with the core's message.
  const page = await browser.newPage();
  try {
    await page.goto(`${HTTP}/`);
    const mismatches = await page.evaluate(async ([core, pkg]) => {
      const { resolveUrl } = await import(core);
      const bws = await import(pkg);
      await bws.default();
      const outcome = (resolve, input) => {
        try {
          return resolve(input);
        } catch (error) {
          return `${error.name}: ${error.message}`;
        }
      };
      const viaSocket = (input) => {
        const socket = new bws.Socket(input);
        const url = socket.url;
        socket.free();
        return url;
      };
      const socketOutcome = (input) => {
        try {
          return viaSocket(input);
        } catch (error) {
          return `${error instanceof DOMException ? "DOMException " : ""}${error.name}: ${error.message}`;
        }
      };
      const inputs = [
        "/echo", "echo", "./a?b=1", "", " ", "\u0000", "ws://", "http://", "ws://[::1", "ftp://a.test/", "javascript:alert(1)",
        "data:,x", "about:blank", "ws://a.test/#", "/echo#frag", "ws://127.0.0.1:99999/", "ws:a.test", "http:/a.test",
        `/echo?${"q".repeat(2 * 1024 * 1024)}`, `/e?${"q".repeat(2 * 1024 * 1024 - 40)}`, "blob:http://a.test/x", "mailto:a@b.test",
      ];
      const alphabet = [..."abcWSHTP:/#?[]@%. \t\nx0é\\"];
      for (let i = 0; i < 2000; i++) {
        let text = ["ws:", "wss:", "http:", "https:", "", "/", "//"][i % 7];
        for (let n = (i * 7919) % 24; n > 0; n--) text += alphabet[(i * 31 + n * 17) % alphabet.length];
        inputs.push(text);
      }
      const mismatches = [];
      for (const input of inputs) {
        const core = outcome(resolveUrl, input);
        const refused = core.startsWith("Error: ") || core.startsWith("TypeError: ");
        // Accepted URLs are opened only where they lead to the test server.
        if (!refused && !core.startsWith(location.origin.replace(/^http/, "ws"))) continue;
        const expected = refused ? `DOMException SyntaxError: invalid WebSocket URL "${input}": ${core.slice(core.indexOf(": ") + 2)}` : core;
        const actual = socketOutcome(input);
        if (actual !== expected) mismatches.push({ input: input.slice(0, 80), expected: expected.slice(0, 200), actual: actual.slice(0, 200) });
      }
      // A URL object is resolved from its href.
      const object = new URL("/echo?x", location.href);
      if (viaSocket(object) !== resolveUrl(object.href)) mismatches.push({ input: "URL object" });
      return mismatches;
    }, [snippetExporting("resolveUrl"), "/pkg/index.js"]);
    assert.deepEqual(mismatches, []);
  } finally {
    await page.close();
  }
});
