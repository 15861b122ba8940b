// Property tests of the WebSocket URL rules (`resolveUrl` in src/glue.rs, the JS snippet the
// package ships), run in headless Chromium on the built package's own snippet: whatever the
// input, the result is the `URL` parser's serialization with `http:`/`https:` mapped to
// `ws:`/`wss:`, or a thrown `Error` naming the rule (another scheme, a fragment, over 2 MiB;
// the no-host rule is defensive, as the parser already refuses these schemes without a host).
// tests/socket/urls.rs checks the same rules end to end, through `WebSocket::open`, in Chromium and
// Firefox.
//
// The seed is printed; BROWSER_WS_URL_SEED=<seed> replays it.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { HTTP, launch } from "./harness.mjs";

const SEED = process.env.BROWSER_WS_URL_SEED
  ? Number(process.env.BROWSER_WS_URL_SEED) >>> 0
  : (Math.random() * 2 ** 32) >>> 0;
const CASES = 1000;

/** The package's snippet that exports `resolveUrl`, as a path on the test server. */
function snippetPath() {
  for (const entry of readdirSync("pkg/snippets", { withFileTypes: true, recursive: true })) {
    const file = join(entry.parentPath ?? entry.path, entry.name);
    if (entry.isFile() && readFileSync(file, "utf8").includes("export function resolveUrl")) {
      return `/${file}`;
    }
  }
  throw new Error("no snippet exports resolveUrl: build the package first (npm run build)");
}

let browser;
let page;

before(async () => {
  console.log(`# URL property seed ${SEED} (replay: BROWSER_WS_URL_SEED=${SEED}), ${CASES} cases each`);
  browser = await launch();
  page = await browser.newPage();
  await page.goto(`${HTTP}/`);
  await page.evaluate(async (path) => {
    window.resolveUrl = (await import(path)).resolveUrl;
  }, snippetPath());
});

after(async () => {
  await browser?.close();
});

const MAX = 2 * 1024 * 1024;
const REASONS = {
  scheme: "the scheme must be ws:, wss:, http: or https:",
  fragment: "WebSocket URLs cannot have a fragment",
  host: "the URL has no host",
  long: "the URL is longer than browsers accept (2 MiB)",
};

/** Runs `body(gen)` in the page for `CASES` generated cases; returns the failures. */
function property(name, body) {
  return page.evaluate(
    ({ seed, cases, source, reasons }) => {
      let state = seed >>> 0;
      const rand = () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
      const int = (n) => Math.floor(rand() * n);
      const pick = (list) => list[int(list.length)];
      const chars = (alphabet, min, max) => {
        let out = "";
        for (let n = min + int(max - min + 1); n > 0; n--) out += pick([...alphabet]);
        return out;
      };
      const lower = "abcdefghijklmnopqrstuvwxyz";
      const gen = {
        int, pick, chars,
        /** `//host[:port][/path...]`: no fragment. */
        authorityAndPath: () => {
          const host = rand() < 0.8
            ? chars(`${lower}0123456789.-`, 1, 20).replace(/^[.-]+|[.-]+$/g, "") || "h"
            : `[${pick(["::1", "fe80::1", "2001:db8::7", "::"])}]`;
          const port = rand() < 0.5 ? `:${int(65536)}` : "";
          let path = "";
          for (let n = int(4); n > 0; n--) path += `/${chars(`${lower}ABC0123456789%._~!$&'()*+,;=:@?-`, 0, 30)}`;
          return `//${host}${port}${path}`;
        },
        /** Schemes that must be refused, and near misses of the four accepted ones (a random
         * scheme that happens to be one of those four is drawn again). */
        otherScheme: () => {
          for (;;) {
            const scheme = rand() < 0.6
              ? pick(["ftp", "file", "javascript", "data", "blob", "about", "mailto", "wsx", "httpx", "ws+", "htt", "w", "s", "wws", "ttp"])
              : pick([...lower]) + chars(`${lower}0123456789+.-`, 0, 8);
            if (!["ws", "wss", "http", "https"].includes(scheme)) return scheme;
          }
        },
        /** Anything: random text, or URL-shaped text with any scheme and any tail. */
        anything: () => rand() < 0.4
          ? chars(`${lower}WSHTP:/#?[]@%. \t\n\u00e9\u{1f600}\\0123456789`, 0, 40)
          : `${rand() < 0.5 ? pick(["ws", "wss", "http", "https", "WS", "Https"]) : gen.otherScheme()}:${gen.authorityAndPath()}${chars("/#?a", 0, 3)}`,
      };
      const resolveUrl = window.resolveUrl;
      const outcome = (input) => {
        try {
          return { value: resolveUrl(input) };
        } catch (error) {
          return { error };
        }
      };
      const check = new Function("gen", "outcome", "reasons", `return (${source})(gen, outcome, reasons);`);
      const failures = [];
      for (let i = 0; i < cases && failures.length < 5; i++) {
        const failure = check(gen, outcome, reasons);
        if (failure) failures.push(failure);
      }
      return failures;
    },
    { seed: SEED ^ [...name].reduce((h, c) => Math.imul(h, 31) + c.charCodeAt(0), 7), cases: CASES, source: body.toString(), reasons: REASONS },
  );
}

test("any input is refused with an Error, or is the parser's URL with its scheme mapped and nothing else changed", async () => {
  const failures = await property("any", (gen, outcome, reasons) => {
    const input = gen.anything();
    const { value, error } = outcome(input);
    if (error) {
      const known = error instanceof TypeError || Object.values(reasons).includes(error.message);
      return known ? null : `${JSON.stringify(input)} threw ${error}`;
    }
    const href = new URL(input, document.baseURI).href;
    const colon = href.indexOf(":");
    const mapped = { ws: "ws", http: "ws", wss: "wss", https: "wss" }[href.slice(0, colon)];
    const rest = href.slice(colon + 1);
    if (!mapped) return `${JSON.stringify(input)} accepted with scheme ${href.slice(0, colon)}`;
    if (value !== `${mapped}:${rest}`) return `${JSON.stringify(input)} gave ${value}, not ${mapped}:${rest}`;
    if (!rest.startsWith("//") || rest.length <= 2 || rest.includes("#")) return `${JSON.stringify(input)} accepted as ${value}`;
    return null;
  });
  assert.deepEqual(failures, []);
});

test("every well-formed ws:, wss:, http: and https: URL is accepted, with http(s) mapped to ws(s)", async () => {
  const failures = await property("accepted", (gen, outcome) => {
    const scheme = gen.pick(["ws", "wss", "http", "https"]);
    const input = `${scheme}:${gen.authorityAndPath()}`;
    let href;
    try { href = new URL(input).href; } catch { return null; } // e.g. a port above 65535
    const expected = (scheme.endsWith("s") && scheme !== "ws" ? "wss" : "ws") + href.slice(scheme.length);
    const { value, error } = outcome(input);
    return value === expected ? null : `${input} gave ${value ?? error}, not ${expected}`;
  });
  assert.deepEqual(failures, []);
});

test("a fragment anywhere after the scheme, even an empty one, is refused", async () => {
  const failures = await property("fragment", (gen, outcome, reasons) => {
    const scheme = gen.pick(["ws", "wss", "http", "https"]);
    const rest = gen.authorityAndPath();
    const cut = 2 + gen.int(rest.length - 1);
    const input = `${scheme}:${rest.slice(0, cut)}#${gen.chars("abc", 0, 5)}${rest.slice(cut)}`;
    const { value, error } = outcome(input);
    if (value !== undefined) return `${input} accepted as ${value}`;
    return error instanceof TypeError || error.message === reasons.fragment ? null : `${input} threw ${error}`;
  });
  assert.deepEqual(failures, []);
});

test("any other scheme is refused, naming the rule", async () => {
  const failures = await property("scheme", (gen, outcome, reasons) => {
    const scheme = gen.otherScheme();
    const input = `${scheme}:${gen.authorityAndPath()}`;
    const { value, error } = outcome(input);
    if (value !== undefined) return `${input} accepted as ${value}`;
    return error instanceof TypeError || error.message === reasons.scheme ? null : `${input} threw ${error}`;
  });
  assert.deepEqual(failures, []);
});

test("examples: mapping, refusals with their reasons, and the 2 MiB limit", async () => {
  const result = await page.evaluate((max) => {
    const outcome = (input) => {
      try {
        return window.resolveUrl(input);
      } catch (error) {
        return `${error.name}: ${error.message}`;
      }
    };
    const inputs = [
      "http://a.test/x?y=1", "https://a.test:8443/", "ws://127.0.0.1:9/", "wss://[::1]/p",
      "WS://A.TEST", "http://a.test:80/", "ftp://a.test/", "javascript:alert(1)",
      "blob:http://a.test/uuid", "about:blank", "ws://a.test/#", "wss://a.test/?q#f", "ws://",
      "no-scheme",
    ];
    const prefix = "ws://a.test/?";
    const limit = [-1, 0, 1].map((delta) => {
      const value = outcome(prefix + "q".repeat(max + delta - prefix.length));
      return value.startsWith("ws://") ? value.length : value;
    });
    return { mapped: Object.fromEntries(inputs.map((input) => [input, outcome(input)])), limit };
  }, MAX);
  assert.deepEqual(result.mapped, {
    "http://a.test/x?y=1": "ws://a.test/x?y=1",
    "https://a.test:8443/": "wss://a.test:8443/",
    "ws://127.0.0.1:9/": "ws://127.0.0.1:9/",
    "wss://[::1]/p": "wss://[::1]/p",
    "WS://A.TEST": "ws://a.test/",
    "http://a.test:80/": "ws://a.test/",
    "ftp://a.test/": `Error: ${REASONS.scheme}`,
    "javascript:alert(1)": `Error: ${REASONS.scheme}`,
    "blob:http://a.test/uuid": `Error: ${REASONS.scheme}`,
    "about:blank": `Error: ${REASONS.scheme}`,
    "ws://a.test/#": `Error: ${REASONS.fragment}`,
    "wss://a.test/?q#f": `Error: ${REASONS.fragment}`,
    "ws://": "TypeError: Failed to construct 'URL': Invalid URL",
    "no-scheme": `ws://${new URL(HTTP).host}/no-scheme`,
  });
  assert.deepEqual(result.limit, [MAX - 1, MAX, `Error: ${REASONS.long}`]);
});
