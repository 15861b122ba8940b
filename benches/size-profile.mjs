// `npm run size-profile` (scripts/size-profile): where the bytes of the minimal apps
// (examples/size_*.rs, built by scripts/size) go. Reads each app's wasm as optimized with its
// function names kept (target/size/APP/app_bg.named.wasm: the same `wasm-opt -Oz` run, with
// `-g`, so the code is the same bytes), sums the function bodies by where they come from
// (the allocator, core::fmt, the futures executor, wasm-bindgen's runtime, browser-ws...),
// and writes docs/bench/size-profile.md (SIZE_PROFILE_OUT): a table of those groups per app,
// then browser-ws's largest functions and the raw app's, so what separates the two is read
// off the binary instead of guessed. SIZE_PROFILE_APPS picks the apps.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

const DIR = process.env.BROWSER_WS_TARGET_DIR ? join(process.env.BROWSER_WS_TARGET_DIR, "size") : "target/size";
const OUT = process.env.SIZE_PROFILE_OUT ?? "docs/bench/size-profile.md";
const APPS = (process.env.SIZE_PROFILE_APPS ?? "raw-web-sys,browser-ws,gloo-net").split(",");
const TOP = 30;

/** A wasm module's function bodies (with their names from the name section), import count and data bytes. */
function parse(bytes) {
  let at = 8;
  const leb = () => {
    let value = 0;
    let shift = 0;
    let byte;
    do {
      byte = bytes[at++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  };
  const name = () => {
    const length = leb();
    const text = bytes.subarray(at, at + length).toString();
    at += length;
    return text;
  };
  const limits = () => {
    const flags = bytes[at++];
    leb();
    if (flags & 1) leb();
  };
  let imported = 0;
  let imports = 0;
  let data = 0;
  const bodies = [];
  const names = new Map();
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = leb();
    const end = at + size;
    if (id === 2) {
      for (let i = leb(); i > 0; i--) {
        name();
        name();
        imports++;
        const kind = bytes[at++];
        if (kind === 0) { leb(); imported++; }
        else if (kind === 1) { at++; limits(); }
        else if (kind === 2) limits();
        else if (kind === 3) at += 2;
        else throw new Error(`import kind ${kind} not understood`);
      }
    } else if (id === 10) {
      for (let i = leb(); i > 0; i--) {
        const length = leb();
        bodies.push(length);
        at += length;
      }
    } else if (id === 11) {
      data = size;
    } else if (id === 0 && name() === "name") {
      while (at < end) {
        const sub = bytes[at++];
        const length = leb();
        const subEnd = at + length;
        if (sub === 1) {
          for (let i = leb(); i > 0; i--) {
            const index = leb();
            names.set(index, name());
          }
        }
        at = subEnd;
      }
    }
    at = end;
  }
  const functions = bodies.map((size, i) => ({ size, name: tidy(names.get(i + imported) ?? `function ${i + imported}`) }));
  return { functions, imports, data, code: bodies.reduce((a, b) => a + b, 0) };
}

/** Rust symbol names without hashes. */
const tidy = (name) => name.replace(/::h[0-9a-f]{16}\b/g, "").replace(/\[[0-9a-f]{16}\]/g, "");

/** Where a function comes from; the first rule that matches wins. */
const GROUPS = [
  ["browser-ws's errors (their texts and JS names, conversions from and to JS values)", (n) => /browser_ws::(error|display)::|CloseEvent::describe|drop_in_place<browser_ws::error::Error>/.test(n)],
  ["the app's async fn (with the library calls inlined into it)", (n) => /future_to_promise::\{\{closure\}\}::\{\{closure\}\}$|^size_|^run /.test(n)],
  ["browser-ws", (n) => n.includes("browser_ws")],
  ["gloo-net", (n) => n.includes("gloo_net") || n.includes("gloo_utils")],
  ["futures (channels, combinators)", (n) => /\bfutures_(channel|util|core|sink)\b/.test(n)],
  ["allocator (dlmalloc)", (n) => /dlmalloc|__rust_(alloc|realloc|dealloc)|__wbindgen_(malloc|realloc|free)/.test(n)],
  ["core::fmt (formatting)", (n) => /\bfmt\b/.test(n)],
  ["panics", (n) => /panic/.test(n)],
  ["wasm-bindgen-futures executor", (n) => /js_sys::futures|wasm_bindgen_futures/.test(n)],
  ["wasm-bindgen runtime and glue", (n) => /wasm_bindgen|__wbindgen|__externref|__wbg|externref shim/.test(n)],
  ["alloc and core (collections, Rc, drops)", (n) => /^(<)?(alloc|core)\b|drop_in_place|^<T as alloc/.test(n)],
  ["other", () => true],
];
const groupOf = (name) => GROUPS.find(([, test]) => test(name))[0];

const apps = APPS.map((app) => ({ app, ...parse(readFileSync(join(DIR, app, "app_bg.named.wasm"))) }));
const bytesIn = (app, group) => app.functions.filter((f) => groupOf(f.name) === group).reduce((a, f) => a + f.size, 0);
const lines = [
  "# Where the minimal apps' bytes go",
  "",
  "The minimal apps of `examples/size_*.rs` (connect, send, receive one message, close), built as the size",
  "table builds them (release, opt-level \"z\", LTO, `wasm-opt -Oz`), read with their function names kept.",
  "Uncompressed bytes of function bodies, by where each function comes from (a function the optimizer",
  "inlined counts where it was inlined: most of browser-ws's connect, send and close is in the app's",
  "async fn). Produced by `npm run size-profile`.",
  "",
  `| group | ${apps.map((a) => a.app).join(" | ")} |`,
  `|---|${apps.map(() => "---:").join("|")}|`,
  ...GROUPS.map(([group]) => group)
    .filter((group) => apps.some((a) => bytesIn(a, group) > 0))
    .map((group) => `| ${group} | ${apps.map((a) => bytesIn(a, group)).join(" | ")} |`),
  `| **code, all functions** | ${apps.map((a) => `**${a.code}**`).join(" | ")} |`,
  `| data (texts, tables) | ${apps.map((a) => a.data).join(" | ")} |`,
  `| imports (each a module and a hashed name, and a JS function in the glue) | ${apps.map((a) => a.imports).join(" | ")} |`,
  "",
];
for (const app of apps.filter((a) => a.app !== "gloo-net")) {
  lines.push(`**${app.app}: the ${TOP} largest functions**`, "", "| bytes | function | group |", "|---:|---|---|");
  for (const f of [...app.functions].sort((a, b) => b.size - a.size).slice(0, TOP)) {
    lines.push(`| ${f.size} | \`${f.name.replace(/\|/g, "\\|").slice(0, 110)}\` | ${groupOf(f.name)} |`);
  }
  lines.push("");
}
mkdirSync(OUT.replace(/\/[^/]*$/, ""), { recursive: true });
writeFileSync(OUT, lines.join("\n"));
console.log(lines.join("\n"));
