// `node benches/paired.mjs <results.json | browsers.json> [--metric M] [--to LIBRARY] [library...]`: each library's ratio to the floor taken
// round by round (each round runs every library once, close together in time), with the median
// of those ratios, a 95% bootstrap interval of that median and the rounds at or above a
// target. Pairing by round leaves out the drift between rounds (the machine's load, the
// browser's state), which dominates the spread of the medians on a shared machine. Prints
// Markdown; docs/bench/README.md quotes it.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { median } from "./compare.mjs";

/** A deterministic generator in [0, 1) (mulberry32), so a report is the same on every run. */
export function seeded(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The 2.5th and 97.5th percentiles of the median of `values` resampled with replacement. */
export function bootstrapMedian(values, resamples = 4000, random = seeded(1)) {
  const medians = [];
  for (let i = 0; i < resamples; i++) {
    medians.push(median(values.map(() => values[Math.floor(random() * values.length)])));
  }
  medians.sort((a, b) => a - b);
  return [medians[Math.floor(0.025 * resamples)], medians[Math.ceil(0.975 * resamples) - 1]];
}

/** Per-round ratios of `library` to the run's floor for one workload's metric (higher is better). */
export function roundRatios(run, workloadId, library, metric) {
  const workload = run.workloads.find((w) => w.id === workloadId);
  const mine = workload?.libraries[library]?.[metric]?.samples;
  const floor = workload?.libraries[run.floor]?.[metric]?.samples;
  if (!mine || !floor || mine.length !== floor.length) return null;
  return mine.map((value, round) => value / floor[round]);
}

/** One row per workload and library: the paired ratios' median, interval and rounds at
 * `target`, for `wanted` (a higher-is-better metric; by default each workload's first). */
export function pairedRows(run, libraries, target = 0.95, wanted = null) {
  const rows = [];
  for (const workload of run.workloads) {
    const metric = wanted
      ? (workload.metrics[wanted] === "higher" ? wanted : undefined)
      : Object.keys(workload.metrics).find((m) => workload.metrics[m] === "higher");
    if (!metric) continue;
    for (const library of libraries) {
      const ratios = roundRatios(run, workload.id, library, metric);
      if (!ratios) continue;
      const [low, high] = bootstrapMedian(ratios);
      rows.push({
        workload: workload.id,
        library,
        metric,
        median: median(ratios),
        low,
        high,
        atTarget: ratios.filter((ratio) => ratio >= target).length,
        rounds: ratios.length,
      });
    }
  }
  return rows;
}

/** A WebDriver sweep (benches/sweep.mjs's browsers.json: cells of samples in repetition order)
 * as a run: one workload per browser, server and size, raw web-sys the floor. */
export function fromSweep(sweep) {
  const workloads = new Map();
  for (const cell of sweep.cells) {
    const id = `${cell.browser} ${cell.server} ${cell.size}`;
    if (!workloads.has(id)) workloads.set(id, { id, metrics: { "MB/s": "higher" }, libraries: {} });
    workloads.get(id).libraries[cell.lib] = { "MB/s": { samples: cell.samples } };
  }
  return { floor: "raw-web-sys", workloads: [...workloads.values()] };
}

/** The rows as a Markdown table (`to`: what the ratios are to). */
export function pairedMarkdown(rows, target = 0.95, to = "raw") {
  const lines = [
    `| workload | library | paired ratio to ${to} (median) | 95% interval | rounds ≥ ×${target} |`,
    "|---|---|---:|---|---:|",
  ];
  for (const row of rows) {
    lines.push(`| ${row.workload} | ${row.library} | ×${row.median.toFixed(2)} | ×${row.low.toFixed(2)}–${row.high.toFixed(2)} | ${row.atTarget} of ${row.rounds} |`);
  }
  return lines.join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const option = (name) => (args.includes(name) ? args.splice(args.indexOf(name), 2)[1] : null);
  const wanted = option("--metric");
  const to = option("--to");
  const [file, ...libraries] = args;
  if (!file) throw new Error("usage: node benches/paired.mjs <results.json> [--metric M] [--to LIBRARY] [library...]");
  const parsed = JSON.parse(readFileSync(file, "utf8"));
  // --to: the ratios to another library (a peer) instead of the floor.
  const run = { ...(parsed.cells ? fromSweep(parsed) : parsed), ...(to ? { floor: to } : {}) };
  const chosen = libraries.length ? libraries : Object.keys(run.workloads[0].libraries).filter((lib) => lib !== run.floor);
  console.log(pairedMarkdown(pairedRows(run, chosen, 0.95, wanted), 0.95, to ?? "raw"));
}
