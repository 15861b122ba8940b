// `node benches/compare.mjs <run dir> <other run dir>`: how far two bench runs' ratios to the
// raw floor differ (a second run reproduces the first "within noise" when these are small),
// and how far each run's own rounds spread. Prints Markdown; docs/bench/README.md quotes it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** Every figure both runs have a usable ratio for: |ratio in b / ratio in a - 1|. */
export function ratioDifferences(a, b) {
  const differences = [];
  for (const workload of a.workloads) {
    const other = b.workloads.find((w) => w.id === workload.id);
    if (!other) continue;
    for (const [library, metrics] of Object.entries(workload.libraries)) {
      if (library === a.floor) continue;
      for (const [metric, figure] of Object.entries(metrics)) {
        const ratioA = figure?.ratioToFloor;
        const ratioB = other.libraries[library]?.[metric]?.ratioToFloor;
        if (!usable(ratioA) || !usable(ratioB)) continue;
        differences.push({ workload: workload.id, library, metric, difference: Math.abs(ratioB / ratioA - 1) });
      }
    }
  }
  return differences;
}

/** The spread (max - min over the median) of every speed figure's rounds: memory is left out. */
export function roundSpreads(run) {
  const spreads = [];
  for (const workload of run.workloads) {
    if (workload.id === "memory") continue;
    for (const metrics of Object.values(workload.libraries)) {
      for (const figure of Object.values(metrics)) {
        if (Number.isFinite(figure?.spread)) spreads.push(figure.spread);
      }
    }
  }
  return spreads;
}

/** The median of some values (the mean of the middle two for an even count). */
export function median(values) {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Median, 90th percentile (nearest rank) and maximum of some values; null for none. */
export function summary(values) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((x, y) => x - y);
  const p90 = sorted[Math.max(0, Math.ceil(sorted.length * 0.9) - 1)];
  return { median: median(sorted), p90, max: sorted[sorted.length - 1], count: sorted.length };
}

function usable(ratio) {
  return Number.isFinite(ratio) && ratio > 0;
}

const percent = (value) => `${(value * 100).toFixed(1)}%`;
const line = (label, s) => (s ? `| ${label} | ${s.count} | ${percent(s.median)} | ${percent(s.p90)} | ${percent(s.max)} |` : `| ${label} | 0 | - | - | - |`);

/** The Markdown report for two runs. */
export function report(a, b, names = ["A", "B"]) {
  const differences = ratioDifferences(a, b);
  const speed = differences.filter((d) => d.workload !== "memory");
  const rows = [
    line("every speed figure", summary(speed.map((d) => d.difference))),
    line("speed, without p99", summary(speed.filter((d) => !/p99/.test(d.metric)).map((d) => d.difference))),
  ];
  for (const id of [...new Set(differences.map((d) => d.workload))]) {
    rows.push(line(id, summary(differences.filter((d) => d.workload === id).map((d) => d.difference))));
  }
  const spreadRows = [a, b].map((run, i) => line(`${names[i]} (${run.date ?? "?"}, ${run.machine?.cpu ?? "?"})`, summary(roundSpreads(run))));
  return [
    `**Ratios to ${a.floor}: ${names[1]} against ${names[0]}** (|ratio in ${names[1]} / ratio in ${names[0]} - 1|)`,
    "",
    "| figures | count | median | 90th percentile | max |",
    "|---|---:|---:|---:|---:|",
    ...rows,
    "",
    "**Spread of each run's rounds** (max - min over the median, every speed figure)",
    "",
    "| run | count | median | 90th percentile | max |",
    "|---|---:|---:|---:|---:|",
    ...spreadRows,
    "",
  ].join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const dirs = process.argv.slice(2);
  if (dirs.length !== 2) {
    console.error("usage: node benches/compare.mjs <run dir> <other run dir>");
    process.exit(2);
  }
  const [a, b] = dirs.map((dir) => JSON.parse(readFileSync(join(dir, "results.json"), "utf8")));
  process.stdout.write(report(a, b, dirs));
}
