// `npm run profile` (scripts/profile): a CPU profile of the 20,000 × 1 KiB throughput workload,
// per library, from Chromium's sampling profiler (DevTools protocol, 50 µs interval), on a
// build of the benchmark app that keeps its function names. Prints and writes
// docs/bench/profile.md: where the main thread's time goes (wasm by function, JS glue, the
// browser's own work, garbage collection, idle), so the hot path's costs are visible rather
// than guessed.
import { mkdirSync, writeFileSync } from "node:fs";
import { chromium } from "playwright-core";

const HTTP = process.env.BROWSER_WS_HTTP ?? "http://127.0.0.1:8080";
const WS = HTTP.replace(/^http/, "ws");
const COUNT = Number(process.env.PROFILE_COUNT ?? 20000);
const LIBS = (process.env.PROFILE_LIBS ??
  "js,raw-web-sys,browser-ws-stream-ab,browser-ws-closures-ab,browser-ws-zero-copy-ab,browser-ws-stream-blob,js-blob").split(",");
const OUT = process.env.PROFILE_OUT ?? "docs/bench/profile.md";
const TOP = 12;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-renderer-backgrounding", "--disable-background-timer-throttling"],
});
const page = await browser.newPage();
page.on("pageerror", (error) => console.error("page error:", error));
await page.goto(`${HTTP}/`);
await page.waitForFunction(() => document.title === "ready");
const cdp = await page.context().newCDPSession(page);
await cdp.send("Profiler.enable");
await cdp.send("Profiler.setSamplingInterval", { interval: 50 });

const run = (lib) => page.evaluate(
  ([lib, url, count]) => (lib === "js" || lib === "js-blob"
    ? jsFloor.throughput(url, count, 1024, true, lib === "js-blob" ? "blob" : "arraybuffer")
    : bench.throughput(lib, url, count, 1024, true)),
  [lib, `${WS}/echo`, COUNT],
);

/** What a profile node is: a wasm function (by name), JS glue, or the engine's own buckets. */
function bucket(frame) {
  const name = frame.functionName || "(anonymous)";
  const isWasm = frame.url.startsWith("wasm://") || frame.url.endsWith(".wasm") || name.includes("::") || /^\$?(js-to-wasm|wasm-to-js)/.test(name);
  if (isWasm) return { kind: "wasm (Rust, and the engine's wasm/JS transitions)", name: tidy(name) };
  if (name.startsWith("(")) return { kind: name, name };
  // wasm-bindgen's generated glue, and the libraries' own inline_js snippets beside it.
  if (frame.url.endsWith("/bench.js") || frame.url.includes("/snippets/")) {
    return { kind: "wasm-bindgen JS glue", name: `glue: ${name}` };
  }
  if (frame.url.endsWith("/page.js")) return { kind: "plain JS", name: `page.js: ${name}` };
  return { kind: "browser/native", name: name || "(native)" };
}

/** Rust symbol names without hashes and crate noise. */
const tidy = (name) => name.replace(/::h[0-9a-f]{16}$/, "").replace(/\[[0-9a-f]{16}\]/g, "").replace(/^\$/, "");

const sections = [];
for (const lib of LIBS) {
  await run(lib); // warm-up: JIT, allocator, connection
  await cdp.send("Profiler.start");
  const ms = await run(lib);
  const { profile } = await cdp.send("Profiler.stop");
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map(); // name -> µs
  const kinds = new Map(); // kind -> µs
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    const { kind, name } = bucket(byId.get(id).callFrame);
    self.set(name, (self.get(name) ?? 0) + delta);
    kinds.set(kind, (kinds.get(kind) ?? 0) + delta);
  });
  const total = [...kinds.values()].reduce((a, b) => a + b, 0);
  const pct = (us) => `${((100 * us) / total).toFixed(1)}%`;
  const perMessage = (us) => `${((us / COUNT)).toFixed(2)} µs`;
  const lines = [
    `**${lib}**: ${COUNT} × 1 KiB in ${ms.toFixed(0)} ms (${(COUNT / (ms / 1000)).toFixed(0)} msg/s); ${(total / 1000).toFixed(0)} ms sampled`,
    "",
    "| where | share | per message |",
    "|---|---:|---:|",
    ...[...kinds].sort((a, b) => b[1] - a[1]).map(([kind, us]) => `| ${kind} | ${pct(us)} | ${perMessage(us)} |`),
    "",
    `| top functions (self time) | share | per message |`,
    "|---|---:|---:|",
    ...[...self].filter(([name]) => !name.startsWith("(idle") && !name.startsWith("(program")).sort((a, b) => b[1] - a[1]).slice(0, TOP)
      .map(([name, us]) => `| \`${name.replace(/\|/g, "\\|").slice(0, 90)}\` | ${pct(us)} | ${perMessage(us)} |`),
    "",
  ];
  sections.push(lines.join("\n"));
  console.log(lines.join("\n"));
}
await browser.close();
const header = [
  "# CPU profile of the 1 KiB throughput workload",
  "",
  `Chromium ${browser.version()}, sampling profiler at 50 µs, ${COUNT} × 1 KiB echoed, one warm-up run first; ` +
    "main thread only (the network service runs in another process). \"(idle)\" is time the page waited for " +
    "the network: the more of it, the less the library costs. Produced by `npm run profile`.",
  "",
];
mkdirSync(OUT.replace(/\/[^/]*$/, ""), { recursive: true });
writeFileSync(OUT, [...header, ...sections].join("\n"));
