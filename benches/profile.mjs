// `npm run profile` (scripts/profile): a CPU profile of one benchmark workload per library,
// from Chromium's sampling profiler (DevTools protocol, 50 µs interval), on a build of the
// benchmark app that keeps its function names. PROFILE_WORKLOAD picks the workload:
// `binary` (default: 20,000 × 1 KiB binary, pipelined), `binary-1mib` (200 × 1 MiB),
// `binary-4kib`, `binary-64kib`, `binary-256kib`, `binary-4mib`, `binary-16mib` (the size
// sweep's sizes, about 64 MiB each way; each run also writes its figures as JSON),
// `text` (20,000 × 32 B text, pipelined) or `round-trip` (2,000 sequential round trips of
// 32 B text); PROFILE_COUNT changes the count. Besides the bench's libraries, PROFILE_LIBS
// takes `js-blob-unread`: plain JS in Blob mode that never reads a Blob, what receiving
// Blobs costs the browser alone. Prints and writes docs/bench/profile.md (PROFILE_OUT): a summary of where
// the main thread's time goes per message for every library side by side, then per library
// the buckets (wasm by function, JS glue, the browser's own work, garbage collection, idle)
// and the top functions, so the hot path's costs are visible rather than guessed.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { launch } from "./cdp.mjs";

const HTTP = process.env.BROWSER_WS_HTTP ?? "http://127.0.0.1:8080";
const WS = HTTP.replace(/^http/, "ws");
const WORKLOADS = {
  binary: { title: "1 KiB binary throughput workload", each: "1 KiB binary message echoed, pipelined", size: 1024, binary: true, count: 20000 },
  "binary-1mib": { title: "1 MiB binary throughput workload", each: "1 MiB binary message echoed, pipelined", size: 1048576, binary: true, count: 200 },
  // The size sweep's sizes (benches/run.mjs), about 64 MiB each way.
  ...Object.fromEntries([["4kib", "4 KiB", 4096, 16384], ["64kib", "64 KiB", 65536, 1024], ["256kib", "256 KiB", 262144, 256], ["4mib", "4 MiB", 4194304, 16]]
    .map(([id, label, size, count]) => [`binary-${id}`, { title: `${label} binary throughput workload`, each: `${label} binary message echoed, pipelined`, size, binary: true, count }])),
  "binary-16mib": { title: "16 MiB binary throughput workload", each: "16 MiB binary message echoed, pipelined", size: 16777216, binary: true, count: 16 },
  text: { title: "32 B text throughput workload", each: "32 B text message echoed, pipelined", size: 32, binary: false, count: 20000 },
  "round-trip": { title: "32 B round-trip workload", each: "sequential round trip of 32 B text", size: 32, binary: false, count: 2000, roundTrip: true },
};
const WORKLOAD = WORKLOADS[process.env.PROFILE_WORKLOAD ?? "binary"];
if (!WORKLOAD) throw new Error(`PROFILE_WORKLOAD must be one of ${Object.keys(WORKLOADS).join(", ")}`);
const COUNT = Number(process.env.PROFILE_COUNT ?? WORKLOAD.count);
const LIBS = (process.env.PROFILE_LIBS ??
  "js,raw-web-sys,browser-ws-stream-ab,browser-ws-closures-ab,browser-ws-zero-copy-ab,browser-ws-stream-blob,js-blob,gloo-net,ws_stream_wasm").split(",");
const OUT = process.env.PROFILE_OUT ?? "docs/bench/profile.md";
const TOP = 12;

// The bench's driver, without DevTools' Network domain (benches/cdp.mjs says why).
const browser = await launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
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

/** One run of the workload; its milliseconds in all, and for round trips the median. */
const run = (lib) => page.evaluate(
  async ([lib, url, count, { size, binary, roundTrip }]) => {
    const js = lib.startsWith("js");
    if (roundTrip) {
      const latencies = js ? await jsFloor.roundTrips(url, count, size) : await bench.round_trips(lib, url, count, size);
      const sorted = [...latencies].sort((a, b) => a - b);
      return { ms: sorted.reduce((a, b) => a + b, 0), p50: sorted[Math.floor(sorted.length / 2)] };
    }
    const ms = js
      ? await jsFloor.throughput(url, count, size, binary, lib === "js" ? "arraybuffer" : "blob", lib !== "js-blob-unread")
      : await bench.throughput(lib, url, count, size, binary);
    return { ms };
  },
  [lib, `${WS}/echo`, COUNT, WORKLOAD],
);

// The buckets a library's own code falls in (the engine's own are named by the profile).
const WASM = "wasm (Rust, and the engine's wasm/JS transitions)";
const GLUE = "wasm-bindgen JS glue";
const PAGE_JS = "plain JS";
const GC = "(garbage collector)";

/** What a profile node is: a wasm function (by name), JS glue, or the engine's own buckets. */
function bucket(frame) {
  const name = frame.functionName || "(anonymous)";
  const isWasm = frame.url.startsWith("wasm://") || frame.url.endsWith(".wasm") || name.includes("::") || /^\$?(js-to-wasm|wasm-to-js)/.test(name);
  if (isWasm) return { kind: WASM, name: tidy(name) };
  if (name.startsWith("(")) return { kind: name, name };
  // wasm-bindgen's generated glue, and the libraries' own inline_js snippets beside it.
  if (frame.url.endsWith("/bench.js") || frame.url.includes("/snippets/")) {
    return { kind: GLUE, name: `glue: ${name}` };
  }
  if (frame.url.endsWith("/page.js")) return { kind: PAGE_JS, name: `page.js: ${name}` };
  return { kind: "browser/native", name: name || "(native)" };
}

/** Rust symbol names without hashes and crate noise. */
const tidy = (name) => name.replace(/::h[0-9a-f]{16}$/, "").replace(/\[[0-9a-f]{16}\]/g, "").replace(/^\$/, "");

const sections = [];
const summary = []; // [lib, result, kind -> µs per message]
for (const lib of LIBS) {
  await run(lib); // warm-up: JIT, allocator, connection
  await cdp.send("Profiler.start");
  const result = await run(lib);
  const { ms } = result;
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
  summary.push([lib, result, new Map([...kinds].map(([kind, us]) => [kind, us / COUNT]))]);
  const lines = [
    `**${lib}**: ${COUNT} × ${WORKLOAD.each} in ${ms.toFixed(0)} ms (${outcome(result)}); ${(total / 1000).toFixed(0)} ms sampled`,
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
const version = browser.version();
await browser.close();

/** A run's figure, in the summary's unit: messages per second, or for round trips the median latency in ms. */
function figure({ ms, p50 }) {
  return WORKLOAD.roundTrip ? p50.toFixed(3) : (COUNT / (ms / 1000)).toFixed(0);
}

/** The same with its unit, for a library's own section. */
function outcome(result) {
  return WORKLOAD.roundTrip ? `p50 ${figure(result)} ms` : `${figure(result)} msg/s`;
}

// Side by side: each bucket's µs per message for every library (the buckets' order: the
// libraries' own code first, then the browser's, then waiting).
const OWN = [WASM, GLUE, PAGE_JS, GC];
const ORDER = [...OWN, "browser/native", "(program)", "(idle)"];
const allKinds = [...new Set(summary.flatMap(([, , kinds]) => [...kinds.keys()]))]
  .filter((kind) => kind !== "(anonymous)")
  .sort((a, b) => (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99));
const us = (value) => (value ?? 0).toFixed(2);
const summaryTable = [
  `| library | ${WORKLOAD.roundTrip ? "p50 ms" : "msg/s"} | own code (wasm + glue + JS + GC) | ${allKinds.join(" | ")} |`,
  `|---|---:|---:|${allKinds.map(() => "---:").join("|")}|`,
  ...summary.map(([lib, result, kinds]) => {
    const ownUs = OWN.reduce((sum, kind) => sum + (kinds.get(kind) ?? 0), 0);
    return `| ${lib} | ${figure(result)} | **${us(ownUs)}** | ${allKinds.map((kind) => us(kinds.get(kind))).join(" | ")} |`;
  }),
  "",
];
const header = [
  `# CPU profile of the ${WORKLOAD.title}`,
  "",
  `Chromium ${version} on ${cpus()[0]?.model ?? "unknown"} (${cpus().length} cores), sampling profiler at 50 µs, ${COUNT} × ${WORKLOAD.each}, one warm-up run first; ` +
    "main thread only (the network service runs in another process). \"(idle)\" is time the page waited for " +
    `the network: the more of it, the less the library costs. Produced by \`${command()}\`.`,
  "",
  "Main-thread time per message (µs), by bucket; \"own code\" is what a library's code costs: its wasm, its JS " +
    "glue (or the page's JS for js), and the garbage it leaves.",
  "",
  ...summaryTable,
];
/** The command that produced this run, with the settings it was given. */
function command() {
  const settings = ["PROFILE_WORKLOAD", "PROFILE_LIBS", "PROFILE_COUNT", "PROFILE_OUT"]
    .filter((name) => process.env[name]).map((name) => `${name}=${process.env[name]}`);
  return [...settings, "npm run profile"].join(" ");
}
mkdirSync(OUT.replace(/\/[^/]*$/, ""), { recursive: true });
writeFileSync(OUT, [...header, ...sections].join("\n"));
// The same figures as data, beside the page (benches/own-cost.mjs reads them).
writeFileSync(OUT.replace(/\.md$/, "") + ".json", JSON.stringify({
  workload: process.env.PROFILE_WORKLOAD ?? "binary",
  size: WORKLOAD.size,
  count: COUNT,
  browser: version,
  libs: Object.fromEntries(summary.map(([lib, result, kinds]) => [lib, {
    ms: result.ms,
    ownUsPerMessage: OWN.reduce((sum, kind) => sum + (kinds.get(kind) ?? 0), 0),
    usPerMessage: Object.fromEntries(kinds),
  }])),
}, null, 2) + "\n");
