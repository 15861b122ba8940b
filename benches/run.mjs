// `npm run bench`: runs every library on every workload in one headless Chromium, interleaved
// (A B C … C A B …: every round runs each library once, each round in its own order, see
// order.mjs) for several rounds, and writes medians, ratios to the raw web-sys floor,
// a Markdown table and an SVG chart under docs/bench/.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { launch } from "./cdp.mjs";
import { median } from "./compare.mjs";
import { machineBusySeconds, withBusySeconds } from "./cpu.mjs";
import { roundOrders } from "./order.mjs";
import { canPin, pinnedWhile, placement } from "./placement.mjs";
import { targetLines } from "./targets.mjs";
import { warmUpCount, warmUpFraction } from "./warmup.mjs";

const HTTP = process.env.BROWSER_WS_HTTP ?? "http://127.0.0.1:8080";
const WS = HTTP.replace(/^http/, "ws");
// The echo endpoint every workload talks to: the project's `/echo`, or another server's
// (BENCH_ECHO, e.g. server/examples/plain_echo.rs), to check a figure against a second setup.
const ECHO = process.env.BENCH_ECHO ?? `${WS}/echo`;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SCALE = Number(process.env.BENCH_SCALE ?? 1); // < 1 for a quick smoke run
const ONLY = process.env.BENCH_WORKLOADS?.split(","); // e.g. "binary-1MiB" for an experiment
const OUT = process.env.BENCH_OUT ?? "docs/bench";
// With BENCH_WORKLOADS: re-measure only those workloads (and the sizes) into OUT's existing
// results, which keep the rest; each re-run is listed, with its date, in the results and the
// Markdown. For re-measuring what a change touched without a full run. BENCH_WORKLOADS=sizes
// re-measures the sizes alone (they are deterministic: a change that only moved lines can
// change the gzip of a panic location's line number).
const MERGE = process.env.BENCH_MERGE === "1";
const MERGE_REASON = process.env.BENCH_MERGE_REASON ?? "";
// "balanced" (the default): each round in its own order; "fixed": LIBRARIES' order every round.
const ORDER = process.env.BENCH_ORDER ?? "balanced";
// The latency workload runs with the browser on core 0 and the server (BENCH_SERVER_PID, from
// scripts/bench) on the others, see placement.mjs; BENCH_PIN=0 leaves every core to both.
const SERVER_PID = Number(process.env.BENCH_SERVER_PID) || null;
const CORES = placement(cpus().length);
const PLACEMENT = process.env.BENCH_PIN === "0" || !CORES || !canPin() ? null : { browser: CORES.browser, server: SERVER_PID ? CORES.server : null };

const LIBRARIES = [
  "js",
  "js-blob", // the plain-JS floor in Blob mode (binary throughput workloads only)
  "raw-web-sys",
  "browser-ws-stream-ab",
  "browser-ws-closures-ab",
  "browser-ws-stream-blob",
  "browser-ws-closures-blob",
  "browser-ws-zero-copy-ab",
  "browser-ws-user", // the Stream as a user writes it: an owned Message per send (issue 25)
  "gloo-net",
  "ws_stream_wasm",
];
// BENCH_LIBS: only these libraries (the floor is always measured), e.g. for the size sweep.
const LIBS = process.env.BENCH_LIBS?.split(",");
const FLOOR = "raw-web-sys";
const SOCKETS_PER_PAGE = 250; // under Chromium's 255 WebSockets per renderer process
const n = (count) => Math.max(1, Math.round(count * SCALE));
// Before a workload's first round every library runs it once, unrecorded, at this fraction of
// its count (BENCH_WARMUP; 0 for none): see warmup.mjs.
const WARMUP = warmUpFraction(process.env.BENCH_WARMUP);

// Where the machine's busy CPU time can be read (cpu.mjs), the throughput workloads also report
// their work per CPU-second (`perCpu`: the metric and the work done by `count` messages).
const CPU_TIME = machineBusySeconds() !== null;
const withCpu = (metrics, metric, work) => (CPU_TIME ? { metrics: { ...metrics, [metric]: "higher" }, perCpu: [metric, work] } : { metrics });
/** A workload's wall-clock metrics: all but the per-CPU-second one. */
const wallClock = (metrics) => Object.keys(metrics).filter((metric) => !metric.endsWith("/CPU-s"));

// Each workload returns the figures it reports; `better` says which direction wins.
const WORKLOADS = [
  {
    id: "binary-1KiB",
    blob: true, // also measured for the plain-JS floor in Blob mode
    count: n(20000),
    title: `${n(20000)} × 1 KiB binary, pipelined`,
    ...withCpu({ "msg/s": "higher", "MB/s": "higher" }, "msg/CPU-s", (count) => count),
    run: async (page, lib, count) => {
      const ms = await throughput(page, lib, count, 1024, true);
      return { "msg/s": count / (ms / 1000), "MB/s": (count * 1024) / 1e6 / (ms / 1000) };
    },
  },
  {
    id: "text-32B",
    count: n(20000),
    title: `${n(20000)} × 32 B text, pipelined`,
    ...withCpu({ "msg/s": "higher" }, "msg/CPU-s", (count) => count),
    run: async (page, lib, count) => ({ "msg/s": count / ((await throughput(page, lib, count, 32, false)) / 1000) }),
  },
  {
    id: "round-trip",
    pinned: true, // see placement.mjs
    count: n(2000),
    title: `${n(2000)} sequential 32 B round trips`,
    metrics: { "p50 ms": "lower", "p99 ms": "lower" },
    run: async (page, lib, count) => {
      const latencies = await page.evaluate(
        ([lib, url, count]) => (lib === "js" ? jsFloor.roundTrips(url, count, 32) : bench.round_trips(lib, url, count, 32)).then(Array.from),
        [lib, ECHO, count],
      );
      latencies.sort((a, b) => a - b);
      const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
      return { "p50 ms": at(0.5), "p99 ms": at(0.99) };
    },
  },
  {
    id: "binary-1MiB",
    blob: true,
    count: n(200),
    title: `${n(200)} × 1 MiB binary, pipelined`,
    ...withCpu({ "MB/s": "higher" }, "MB/CPU-s", (count) => (count * 1048576) / 1e6),
    run: async (page, lib, count) => ({ "MB/s": (count * 1048576) / 1e6 / ((await throughput(page, lib, count, 1048576, true)) / 1000) }),
  },
  {
    id: "connect-close",
    count: n(1000),
    title: `${n(1000)} connect/close cycles`,
    metrics: { "ms/cycle": "lower" },
    run: async (page, lib, count) => ({
      "ms/cycle": (await page.evaluate(
        ([lib, url, count]) => (lib === "js" ? jsFloor.connectCycles(url, count) : bench.connect_cycles(lib, url, count)),
        [lib, ECHO, count],
      )) / count,
    }),
  },
  {
    id: "memory",
    fresh: true, // every measurement on fresh pages: nothing to warm up
    count: n(1000),
    title: `memory held by ${n(1000)} open sockets`,
    metrics: { "wasm B/socket": "lower", "wasm heap B/socket": "lower", "JS heap B/socket": "lower" },
    run: async (page, lib, total) => {
      // Chromium lets one renderer process hold at most 255 WebSockets ("Insufficient
      // resources" after that), so the sockets are spread over fresh pages of their own
      // browser contexts (one renderer each), at most SOCKETS_PER_PAGE per page, all held open
      // together; each page is fresh, so memory grown by earlier workloads hides nothing.
      const pages = [];
      for (let left = total; left > 0; left -= SOCKETS_PER_PAGE) {
        const context = await page.context().browser().newContext();
        const fresh = await context.newPage();
        await fresh.goto(`${HTTP}/`);
        await fresh.waitForFunction(() => document.title === "ready");
        pages.push({ context, page: fresh, cdp: await context.newCDPSession(fresh), count: Math.min(left, SOCKETS_PER_PAGE) });
      }
      const measure = async ({ page, cdp }) => {
        await cdp.send("HeapProfiler.collectGarbage");
        const { usedSize } = await cdp.send("Runtime.getHeapUsage");
        const [wasm, live] = await page.evaluate(() => [bench.wasm_memory_bytes(), bench.wasm_heap_live_bytes()]);
        return { heap: usedSize, wasm, live };
      };
      const sum = { heap: 0, wasm: 0, live: 0 };
      let opened = 0;
      for (const one of pages) {
        const before = await measure(one);
        opened += await one.page.evaluate(
          ([lib, url, count]) => (lib === "js" ? jsFloor.holdOpen(url, count) : bench.hold_open(lib, url, count)),
          [lib, ECHO, one.count],
        );
        const during = await measure(one);
        for (const key of Object.keys(sum)) sum[key] += during[key] - before[key];
      }
      for (const { context } of pages) await context.close();
      if (opened !== total) throw new Error(`memory: ${lib} opened ${opened} of ${total} sockets`);
      return {
        "wasm B/socket": sum.wasm / opened,
        "wasm heap B/socket": sum.live / opened,
        "JS heap B/socket": sum.heap / opened,
      };
    },
  },
];

// The size sweep (issue 25): binary throughput from 4 KiB to 16 MiB, about 64 MiB (128 MiB for
// the largest) each way per run. Opt-in: run only when BENCH_WORKLOADS names them ("sweep" for all).
const SWEEP = [
  ["4KiB", 4096, 16384],
  ["64KiB", 65536, 1024],
  ["256KiB", 262144, 256],
  ["4MiB", 4194304, 32],
  ["16MiB", 16777216, 8],
].map(([label, size, count]) => ({
  id: `binary-${label}`,
  optIn: true,
  count: n(count),
  title: `${n(count)} × ${label} binary, pipelined`,
  ...withCpu({ "MB/s": "higher" }, "MB/CPU-s", (count) => (count * size) / 1e6),
  run: async (page, lib, count) => ({ "MB/s": (count * size) / 1e6 / ((await throughput(page, lib, count, size, true)) / 1000) }),
}));
WORKLOADS.push(...SWEEP);

function throughput(page, lib, count, size, binary) {
  return page.evaluate(
    ([lib, url, count, size, binary]) =>
      lib === "js" || lib === "js-blob"
        ? jsFloor.throughput(url, count, size, binary, lib === "js-blob" ? "blob" : "arraybuffer")
        : bench.throughput(lib, url, count, size, binary),
    [lib, ECHO, count, size, binary],
  );
}

async function main() {
  // Checked before measuring: a re-run that cannot be merged should fail now, not in an hour.
  const base = MERGE ? mergeBase() : null;
  const libraries = LIBS ? LIBRARIES.filter((lib) => lib === FLOOR || LIBS.includes(lib)) : LIBRARIES;
  const orders = roundOrders(libraries, ROUNDS, ORDER);
  // Not Playwright: its DevTools Network domain costs each frame a payload report (cdp.mjs).
  const browser = await launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--disable-renderer-backgrounding", "--disable-background-timer-throttling"],
  });
  const page = await browser.newPage();
  page.on("pageerror", (error) => console.error("page error:", error));
  await page.goto(`${HTTP}/`); // scripts/bench serves the benchmark page at /
  await page.waitForFunction(() => document.title === "ready");
  const cdp = await page.context().newCDPSession(page);

  const samples = {}; // workload -> lib -> metric -> [values]
  const wanted = ONLY?.includes("sweep") ? [...ONLY, ...SWEEP.map((w) => w.id)] : ONLY;
  const workloads = wanted ? WORKLOADS.filter((w) => wanted.includes(w.id)) : WORKLOADS.filter((w) => !w.optIn);
  if (workloads.length === 0 && !MERGE) throw new Error("no workload to run: BENCH_WORKLOADS=sizes needs BENCH_MERGE=1");
  for (let round = 1; round <= ROUNDS; round++) {
    for (const workload of workloads) {
      const libs = orders[round - 1].filter((lib) => lib !== "js-blob" || workload.blob);
      const warmUp = round === 1 ? warmUpCount(workload, WARMUP) : 0;
      const runRound = async () => {
        if (warmUp) for (const lib of libs) await workload.run(page, lib, warmUp);
        for (const lib of libs) {
          const { result: figures, busy } = await withBusySeconds(() => workload.run(page, lib, workload.count));
          if (workload.perCpu && busy > 0) figures[workload.perCpu[0]] = workload.perCpu[1](workload.count) / busy;
          const slot = ((samples[workload.id] ??= {})[lib] ??= {});
          for (const [metric, value] of Object.entries(figures)) (slot[metric] ??= []).push(value);
        }
      };
      if (workload.pinned && PLACEMENT) await pinnedWhile(PLACEMENT, SERVER_PID, cpus().length, runRound);
      else await runRound();
      process.stdout.write(`round ${round}/${ROUNDS}: ${workload.id} done\n`);
    }
  }

  const isolated = await page.evaluate(() => self.crossOriginIsolated);
  const results = {
    crossOriginIsolated: isolated,
    machine: { cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30) },
    browser: `Chromium ${browser.version()}`,
    // Which echo server the workloads talked to, when not the project's own.
    ...(process.env.BENCH_ECHO ? { echo: process.env.BENCH_ECHO } : {}),
    rounds: ROUNDS,
    warmUp: WARMUP,
    order: ORDER,
    orders,
    scale: SCALE,
    date: new Date().toISOString(),
    floor: FLOOR,
    workloads: workloads.map((w) => ({
      id: w.id,
      title: w.title,
      metrics: w.metrics,
      placement: w.pinned ? PLACEMENT : null,
      libraries: Object.fromEntries(LIBRARIES.filter((lib) => samples[w.id][lib]).map((lib) => {
        const figures = {};
        for (const [metric, values] of Object.entries(samples[w.id][lib])) {
          const value = median(values);
          const floorValue = median(samples[w.id][FLOOR][metric]);
          const spread = (Math.max(...values) - Math.min(...values)) / (value || 1);
          figures[metric] = { median: value, samples: values, ratioToFloor: floorValue ? value / floorValue : null, spread };
        }
        return [lib, figures];
      })),
    })),
  };
  const sizesFile = join(process.env.BROWSER_WS_TARGET_DIR ?? "target", "size", "sizes.json");
  if (existsSync(sizesFile)) results.sizes = sizesInOrder(JSON.parse(readFileSync(sizesFile, "utf8")));
  await browser.close();
  const written = base ? merged(base, results) : results;
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, "results.json"), JSON.stringify(written, null, 2) + "\n");
  writeFileSync(join(OUT, "results.md"), markdown(written));
  const svg = chart(written);
  if (svg) writeFileSync(join(OUT, "chart.svg"), svg);
  console.log(markdown(written));
}

/** The minimal apps' sizes, the floor first and then as scripts/size builds them by default. */
function sizesInOrder(sizes) {
  const order = [FLOOR, "browser-ws", "gloo-net", "ws_stream_wasm"];
  const rank = (lib) => (order.includes(lib) ? order.indexOf(lib) : order.length);
  return Object.fromEntries(Object.entries(sizes).sort(([a], [b]) => rank(a) - rank(b)));
}

/** How a run ordered the libraries in a round (runs before BENCH_ORDER kept one order). */
const orderOf = (results) => results.order ?? "fixed";

/** A run's warm-up fraction (runs before BENCH_WARMUP had none). */
const warmUpOf = (results) => results.warmUp ?? 0;

/** OUT's earlier results, if this run's workloads can replace theirs there (same rounds, order, scale and machine). */
function mergeBase() {
  if (!ONLY) throw new Error("BENCH_MERGE=1 needs BENCH_WORKLOADS (the workloads to re-measure)");
  const file = join(OUT, "results.json");
  if (!existsSync(file)) throw new Error(`BENCH_MERGE: no earlier run in ${file}`);
  const earlier = JSON.parse(readFileSync(file, "utf8"));
  const problems = [];
  // The sizes alone are deterministic (the same build on any machine): nothing else to match.
  if (ONLY.every((id) => id === "sizes")) return earlier;
  if (earlier.rounds !== ROUNDS) problems.push(`${earlier.rounds} rounds there, ${ROUNDS} here`);
  if (earlier.scale !== SCALE) problems.push(`scale ${earlier.scale} there, ${SCALE} here`);
  if (orderOf(earlier) !== ORDER) problems.push(`${orderOf(earlier)} order there, ${ORDER} here`);
  if (warmUpOf(earlier) !== WARMUP) problems.push(`warm-up ${warmUpOf(earlier)} there, ${WARMUP} here`);
  const machine = { cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length };
  if (earlier.machine.cpu !== machine.cpu || earlier.machine.cores !== machine.cores) {
    problems.push(`machine ${earlier.machine.cpu} (${earlier.machine.cores} cores) there, ${machine.cpu} (${machine.cores}) here`);
  }
  const unknown = ONLY.filter((id) => id !== "sizes" && !earlier.workloads.some((w) => w.id === id));
  if (unknown.length) problems.push(`no earlier ${unknown.join(", ")} to replace`);
  if (problems.length) throw new Error(`BENCH_MERGE: ${problems.join("; ")}`);
  return earlier;
}

/** The earlier results with this run's workloads (and sizes) in place of theirs, the re-run listed. */
function merged(earlier, results) {
  const rerun = { workloads: results.workloads.map((w) => w.id), sizes: Boolean(results.sizes), date: results.date, browser: results.browser, reason: MERGE_REASON };
  return {
    ...earlier,
    workloads: earlier.workloads.map((w) => results.workloads.find((r) => r.id === w.id) ?? w),
    sizes: results.sizes ?? earlier.sizes,
    reruns: [...(earlier.reruns ?? []), rerun],
  };
}

/** Where a workload's processes ran, for its title: nothing when they shared every core. */
const placed = (where) =>
  where ? ` (the browser on core ${where.browser}${where.server ? `, the server on core${where.server.includes("-") ? "s" : ""} ${where.server}` : ""})` : "";

const format = (value) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));

function markdown(results) {
  const lines = [
    `Chromium ${results.browser.replace("Chromium ", "")} on ${results.machine.cpu} (${results.machine.cores} cores), ` +
      `median of ${results.rounds} interleaved rounds ` +
      `(${orderOf(results) === "balanced" ? "each in its own order: rows of a balanced Latin square" : "in the same order every round"}` +
      `${warmUpOf(results) ? `, after one unrecorded warm-up run of every library at ${Math.round(warmUpOf(results) * 100)}% of the count` : ", with no warm-up"}), ` +
      `run of ${results.date.slice(0, 10)} ${results.date.slice(11, 16)} UTC; ×N is the ratio to the raw web-sys floor ` +
      `(for ms figures lower is better, for the rest higher is better). Wasm memory is measured as ` +
      `linear-memory growth on fresh pages (${SOCKETS_PER_PAGE} sockets each, 64 KiB pages, so ±${Math.round(65536 / Math.min(SOCKETS_PER_PAGE, n(1000)))} B/socket), wasm heap as the live bytes of the app's allocator, JS heap after a forced GC.`,
    "",
  ];
  const day = (iso) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
  // The last re-run of each workload (and of the sizes), if any.
  const rerunOf = (id) => (results.reruns ?? []).findLast((r) => (id === "sizes" ? r.sizes : r.workloads.includes(id)));
  for (const rerun of results.reruns ?? []) {
    const what = [...rerun.workloads, ...(rerun.sizes ? ["the sizes"] : [])];
    const listed = what.length > 1 ? `${what.slice(0, -1).join(", ")} and ${what.at(-1)}` : what.join("");
    lines.push(`Re-run on ${day(rerun.date)} (${rerun.workloads.length ? `${rerun.browser}, same machine, rounds and order` : "the same builds"}): ${listed}` +
      `${rerun.reason ? `, ${rerun.reason}` : ""}; everything else is from the run of ${day(results.date)}.`, "");
  }
  for (const workload of results.workloads) {
    const metrics = Object.keys(workload.metrics);
    const rerun = rerunOf(workload.id);
    lines.push(`**${workload.title}**${placed(workload.placement)}${rerun ? ` (re-run ${day(rerun.date)})` : ""}`, "", `| library | ${metrics.join(" | ")} |`, `|---|${metrics.map(() => "---:").join("|")}|`);
    for (const [lib, figures] of Object.entries(workload.libraries)) {
      const cells = metrics.map((m) => `${format(figures[m].median)} (×${figures[m].ratioToFloor?.toFixed(2) ?? "-"})`);
      lines.push(`| ${lib} | ${cells.join(" | ")} |`);
    }
    lines.push("");
  }
  // Sizes are ratios to raw web-sys's app: without it (scripts/size with some apps), no table.
  if (results.sizes?.["raw-web-sys"]) {
    const floor = results.sizes["raw-web-sys"];
    const rerun = rerunOf("sizes");
    lines.push(`**Minimal app (connect, send, receive one message, close): opt-level "z", LTO, wasm-opt -Oz**${rerun ? ` (re-run ${day(rerun.date)})` : ""}`, "",
      "| library | wasm bytes | wasm gzip -9 bytes | JS glue gzip -9 bytes | wasm + JS gzip -9 bytes |", "|---|---:|---:|---:|---:|");
    const ratio = (value, base) => (value === undefined ? "-" : `${value} (×${(value / base).toFixed(2)})`);
    for (const [lib, size] of Object.entries(results.sizes)) {
      const total = size.jsGzip === undefined ? undefined : size.gzip + size.jsGzip;
      lines.push(`| ${lib} | ${ratio(size.raw, floor.raw)} | ${ratio(size.gzip, floor.gzip)} | ` +
        `${ratio(size.jsGzip, floor.jsGzip)} | ${ratio(total, floor.gzip + floor.jsGzip)} |`);
    }
    lines.push("");
  }
  lines.push(...targetLines(results));
  return lines.join("\n");
}

function chart(results) {
  const shown = results.workloads.filter((w) => ["binary-1KiB", "text-32B", "binary-1MiB"].includes(w.id));
  if (shown.length === 0) return null; // a filtered run without throughput workloads
  const libs = Object.keys(shown[0].libraries);
  // One colour per library, the same in every workload: the floors grey, browser-ws blue.
  const colors = ["#adb5bd", "#868e96", "#343a40", "#3b5bdb", "#4c6ef5", "#748ffc", "#91a7ff", "#1c7ed6", "#e8590c", "#f59f00"];
  const color = (lib) => colors[LIBRARIES.indexOf(lib) % colors.length];
  const barH = 14, groupGap = 26, left = 190, width = 720, scaleMax = 1.6;
  const parts = [`<text x="10" y="20" font-size="14" font-weight="600">Throughput relative to raw web-sys (1.0 = floor)</text>`];
  let y = 40;
  for (const workload of shown) {
    parts.push(`<text x="10" y="${y + 10}" font-weight="600">${workload.title}</text>`);
    y += 16;
    libs.forEach((lib) => {
      const metric = wallClock(workload.metrics).at(-1);
      const measured = workload.libraries[lib]?.[metric];
      if (!measured) return; // not measured for this workload
      const ratio = measured.ratioToFloor ?? 0;
      const w = Math.min(ratio, scaleMax) / scaleMax * width;
      parts.push(`<text x="${left - 8}" y="${y + 11}" text-anchor="end">${lib}</text>`,
        `<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barH - 3}" fill="${color(lib)}"/>`,
        `<text x="${left + w + 4}" y="${y + 11}">${ratio.toFixed(2)}×</text>`);
      y += barH;
    });
    y += groupGap - 16;
  }
  const height = y;
  const floorX = left + width / scaleMax;
  parts.push(`<line x1="${floorX}" y1="34" x2="${floorX}" y2="${height - 4}" stroke="#c92a2a" stroke-dasharray="4 3"/>`);
  const open = `<svg xmlns="http://www.w3.org/2000/svg" width="${left + width + 60}" height="${height}" font-family="system-ui, sans-serif" font-size="12">`;
  return [open, `<rect width="100%" height="100%" fill="#fff"/>`, ...parts, "</svg>"].join("\n") + "\n";
}

/** `node benches/run.mjs --render`: rebuilds results.md and chart.svg from results.json. */
function render() {
  const results = JSON.parse(readFileSync(join(OUT, "results.json"), "utf8"));
  writeFileSync(join(OUT, "results.md"), markdown(results));
  const svg = chart(results);
  if (svg) writeFileSync(join(OUT, "chart.svg"), svg);
}

if (process.argv.includes("--render")) render();
else await main();
