// The size sweep in both browsers (issue 25): binary throughput of the wasm libraries and the
// plain-JS floor from 4 KiB to 16 MiB, pipelined, in Chromium (chromedriver) and Firefox
// (geckodriver), against the project server's /echo and server/examples/plain_echo.rs. The
// Playwright bench (run.mjs, BENCH_WORKLOADS=sweep) measures Chromium only, launched by
// Playwright; this is the second and third setup.
//
//   node benches/sweep.mjs    after `npm run bench` built the bench site (target/bench/site);
//                             writes docs/bench/sweep/browsers.{json,md}
//
// Environment: SWEEP_REPS (3), SWEEP_BROWSERS (chromium,firefox), SWEEP_LIBS (the six below),
// SWEEP_SCALE (1), SWEEP_OUT (docs/bench/sweep). Each size runs on a freshly loaded page; the
// libraries' order rotates per repetition, the servers alternate per size.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SERVERS_TARGET_DIR, buildServers, children, loadAverage, machine, openBrowser, startServer, waitForQuiet } from "./webdriver.mjs";

const OUT = process.env.SWEEP_OUT ?? "docs/bench/sweep";
const REPS = Number(process.env.SWEEP_REPS ?? 3);
const SCALE = Number(process.env.SWEEP_SCALE ?? 1);
const BROWSERS = (process.env.SWEEP_BROWSERS ?? "chromium,firefox").split(",");
const LIBS = (process.env.SWEEP_LIBS ?? "js,raw-web-sys,browser-ws-stream-ab,browser-ws-closures-ab,gloo-net,ws_stream_wasm").split(",");
const FLOOR = "raw-web-sys";
const TARGET_DIR = SERVERS_TARGET_DIR;
const SITE = "target/bench/site";
// [label, bytes, messages]: about 32 MiB per run (64 MiB at 16 MiB).
const SIZES = [
  ["4 KiB", 4096, 8192],
  ["64 KiB", 65536, 512],
  ["256 KiB", 262144, 128],
  ["1 MiB", 1048576, 32],
  ["4 MiB", 4194304, 8],
  ["16 MiB", 16777216, 4],
];
const log = (...args) => console.log(`[sweep ${new Date().toISOString().slice(11, 19)}]`, ...args);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** The report: per browser and server, MB/s by size and library, with the ratio to raw web-sys. */
export function renderMarkdown(results) {
  const lines = [
    "# Size sweep in Chromium and Firefox (WebDriver)",
    "",
    `Run ${results.date.slice(0, 10)} with \`node benches/sweep.mjs\` on ${results.machine.nproc} cores (${results.machine.cpu}), ` +
      `load ${results.load.text} ${results.reps} repetitions per cell, medians in MB/s, ×N of raw web-sys in parentheses. ` +
      "Pipelined binary echo (send all, then read all back), ArrayBuffer mode, each size on a fresh page. " +
      "The last column is raw web-sys's own spread across its repetitions ((max − min) / median): the noise " +
      "any ratio in that row has to be read against; `js` (no wasm at all) is a second check of it.",
    "",
  ];
  for (const browser of results.browsers) {
    for (const server of results.servers) {
      lines.push(`## ${browser.name} ${browser.version} (${browser.driver}), ${server.label}`, "");
      lines.push(`| size | ${results.libs.join(" | ")} | raw's spread |`, `|---|${results.libs.map(() => "---:").join("|")}|---:|`);
      for (const [label] of results.sizes) {
        const cell = (lib) => results.cells.find((c) => c.browser === browser.name && c.server === server.id && c.size === label && c.lib === lib);
        const floor = cell(FLOOR);
        const row = results.libs.map((lib) => {
          const found = cell(lib);
          if (!found) return "–";
          const ratio = floor ? ` (×${(found.median / floor.median).toFixed(2)})` : "";
          return `${found.median.toFixed(1)}${ratio}`;
        });
        const spread = floor ? `${Math.round((100 * (Math.max(...floor.samples) - Math.min(...floor.samples))) / floor.median)}%` : "–";
        lines.push(`| ${label} | ${row.join(" | ")} | ${spread} |`);
      }
      lines.push("");
    }
  }
  return lines.join("\n");
}

async function run() {
  if (!existsSync(join(SITE, "bench_bg.wasm"))) throw new Error(`no bench site in ${SITE}: run npm run bench first`);
  if (process.env.SWEEP_SKIP_BUILD !== "1") buildServers(log);
  const work = mkdtempSync(join(tmpdir(), "sweep-"));
  const http = await startServer(join(TARGET_DIR, "release/browser-ws-server"), ["--www", SITE], work, "project");
  const plain = await startServer(join(TARGET_DIR, "release/examples/plain_echo"), [], work, "plain");
  const servers = [
    { id: "project", label: "the project server's /echo", url: `ws://127.0.0.1:${http}/echo` },
    { id: "plain", label: "plain_echo (tokio-tungstenite)", url: `ws://127.0.0.1:${plain}/` },
  ];
  const load = await waitForQuiet(0.7, 10, log);
  log(`load ${load.text}`);
  const browsers = [];
  const cells = [];
  const started = Date.now();
  try {
    for (const name of BROWSERS) {
      const browser = await openBrowser(name);
      log(`${name} ${browser.version} (${browser.driver})`);
      try {
        for (const [index, [label, size, messages]] of SIZES.entries()) {
          const count = Math.max(1, Math.round(messages * SCALE));
          for (const server of index % 2 === 0 ? servers : [...servers].reverse()) {
            await browser.goto(`http://127.0.0.1:${http}/`);
            const samples = Object.fromEntries(LIBS.map((lib) => [lib, []]));
            for (let rep = 0; rep < REPS; rep += 1) {
              const order = LIBS.map((_, i) => LIBS[(i + rep) % LIBS.length]);
              for (const lib of order) {
                const ms = await browser.call("runThroughput", { lib, url: server.url, count, size });
                samples[lib].push((count * size) / 1e6 / (ms / 1000));
              }
            }
            for (const lib of LIBS) cells.push({ browser: name, server: server.id, size: label, lib, samples: samples[lib], median: median(samples[lib]) });
            const floor = median(samples[FLOOR]);
            log(`${name} ${server.id} ${label}: ${LIBS.map((lib) => `${lib} ${(median(samples[lib]) / floor).toFixed(2)}`).join(", ")} (raw ${floor.toFixed(1)} MB/s)`);
          }
        }
      } finally {
        await browser.close();
      }
      browsers.push({ name, version: browser.version, driver: browser.driver });
    }
  } finally {
    for (const child of children) child.kill();
    rmSync(work, { recursive: true, force: true });
  }
  const results = {
    date: new Date().toISOString(),
    machine: machine(),
    load: { ...load, end: loadAverage() },
    minutes: Math.round((Date.now() - started) / 6000) / 10,
    reps: REPS,
    scale: SCALE,
    libs: LIBS,
    sizes: SIZES,
    browsers,
    servers,
    cells,
  };
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, "browsers.json"), `${JSON.stringify(results, null, 1)}\n`);
  writeFileSync(join(OUT, "browsers.md"), `${renderMarkdown(results)}\n`);
  log(`wrote ${OUT}/browsers.{json,md}`);
}

if (process.argv[1]?.endsWith("sweep.mjs")) {
  if (process.argv[2] === "--render") {
    const { readFileSync } = await import("node:fs");
    const results = JSON.parse(readFileSync(join(OUT, "browsers.json"), "utf8"));
    writeFileSync(join(OUT, "browsers.md"), `${renderMarkdown(results)}\n`);
  } else {
    await run();
  }
}
