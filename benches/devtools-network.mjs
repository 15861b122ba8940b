// `node benches/devtools-network.mjs`: what a browser driver's DevTools instrumentation costs a
// WebSocket. The same plain-JS pipelined echo (no wasm) runs in one Chromium binary three ways:
// over a bare DevTools connection (cdp.mjs, as the bench runs), the same with the Network
// domain enabled (Chromium then reports every frame, payload included, to the client), and
// under Playwright (which enables it on every page). Writes docs/bench/devtools-network.md.
// Needs the server: BROWSER_WS_HTTP (its /echo) or BENCH_ECHO; REPS (default 3).
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { chromium } from "playwright-core";
import { launch } from "./cdp.mjs";
import { median } from "./compare.mjs";

const EXECUTABLE = process.env.CHROMIUM ?? "/usr/bin/chromium";
const ECHO = process.env.BENCH_ECHO ?? `${(process.env.BROWSER_WS_HTTP ?? "http://127.0.0.1:8080").replace(/^http/, "ws")}/echo`;
const REPS = Number(process.env.REPS ?? 3);
const OUT = process.env.BENCH_OUT_FILE ?? "docs/bench/devtools-network.md";
const BYTES_PER_RUN = 32 << 20; // each way

/** In the page: `count` messages of `size` bytes (text when `kind` is "text") sent at once, then every echo awaited; MB/s each way. */
async function echo({ url, size, count, kind }) {
  const socket = new WebSocket(url);
  socket.binaryType = "arraybuffer";
  await new Promise((ok, fail) => {
    socket.onopen = ok;
    socket.onerror = () => fail(new Error(`cannot connect to ${url}`));
  });
  const bytes = new Uint8Array(size).map((_, i) => i & 255);
  const text = "x".repeat(size);
  let echoed = 0;
  const done = new Promise((ok) => (socket.onmessage = () => ++echoed === count && ok()));
  const start = performance.now();
  for (let i = 0; i < count; i++) socket.send(kind === "text" ? text : kind === "blob" ? new Blob([bytes]) : bytes);
  await done;
  const seconds = (performance.now() - start) / 1000;
  socket.close();
  return (size * count) / 1e6 / seconds;
}

const CASES = [
  ["32 B text", 32, "text", 20000],
  ["1 KiB ArrayBuffer", 1024, "arraybuffer", 20000],
  ["64 KiB ArrayBuffer", 65536, "arraybuffer"],
  ["64 KiB Blob", 65536, "blob"],
  ["1 MiB ArrayBuffer", 1 << 20, "arraybuffer"],
  ["1 MiB Blob", 1 << 20, "blob"],
  ["4 MiB ArrayBuffer", 4 << 20, "arraybuffer"],
  ["4 MiB Blob", 4 << 20, "blob"],
].map(([label, size, kind, count]) => ({ label, size, kind, count: count ?? Math.max(8, BYTES_PER_RUN / size) }));

const bare = await launch({ executablePath: EXECUTABLE });
const playwright = await chromium.launch({ executablePath: EXECUTABLE });
const instrumented = await bare.newPage();
await instrumented.send("Network.enable");
const playwrightPage = await playwright.newPage();
const drivers = {
  "DevTools, no Network domain (the bench)": await bare.newPage(),
  "DevTools with Network.enable": instrumented,
  [`Playwright ${playwright.version()}`]: playwrightPage,
};
const startLoad = loadavg()[0];
const rows = [];
for (const { label, ...args } of CASES) {
  const figures = Object.fromEntries(Object.keys(drivers).map((name) => [name, []]));
  for (let rep = 0; rep < REPS; rep++) {
    for (const [name, page] of Object.entries(drivers)) figures[name].push(await page.evaluate(echo, { url: ECHO, ...args }));
  }
  rows.push({ label, figures });
  console.log(label, Object.entries(figures).map(([name, values]) => `${name}: ${values.map((v) => v.toFixed(1)).join(", ")}`).join(" | "));
}
await playwright.close();
await bare.close();

const names = Object.keys(drivers);
const lines = [
  "# What DevTools' Network domain costs a WebSocket",
  "",
  `Run ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC with \`node benches/devtools-network.mjs\`, Chromium ${bare.version()} on ${cpus().length} cores (load ${startLoad.toFixed(2)} at the start), against ${ECHO.includes("/echo") ? "the project server's /echo" : ECHO}. ` +
    `Plain JS, no wasm: a pipelined echo (every message sent at once, then every echo awaited), ${REPS} repetitions interleaved across the three drivers, median MB/s each way, ×N of the first column.`,
  "",
  `| message | ${names.join(" | ")} |`,
  `|---|${names.map(() => "---:").join("|")}|`,
  ...rows.map(({ label, figures }) => {
    const base = median(figures[names[0]]);
    return `| ${label} | ${names.map((name) => `${median(figures[name]).toFixed(1)} (×${(median(figures[name]) / base).toFixed(2)})`).join(" | ")} |`;
  }),
  "",
  "With the Network domain enabled, Chromium sends the client a `Network.webSocketFrameSent` or",
  "`Network.webSocketFrameReceived` event for every frame, with the payload in it (base64 for",
  "binary). A frame sent from a `Blob` is reported with an empty payload; every received frame and",
  "every frame sent from an `ArrayBuffer` or a view carries its payload. Playwright enables the",
  "domain on every page it drives, so under Playwright large binary messages spend most of their",
  "time being reported, and `Blob` sends, which skip half of that, look faster than `ArrayBuffer`",
  "sends, the opposite of what users' browsers (no DevTools client attached) do. That is what the",
  "project's bench measured while it ran under Playwright; it now drives Chromium over a bare",
  "DevTools connection (`benches/cdp.mjs`).",
  "",
];
writeFileSync(OUT, lines.join("\n"));
console.log(`wrote ${OUT}`);
