// `node benches/own-cost.mjs profile.json...`: from CPU profiles of one workload at several
// sizes (benches/profile.mjs writes each profile's figures as JSON beside its page), what each
// library's own code (its wasm, JS glue and garbage) costs a message beyond raw web-sys's,
// as a share of raw web-sys's whole time per message: how much of a throughput loss the
// library's own code can account for, whatever the timing noise. Work the browser does because
// of a library is not in it (docs/bench/README.md, "What the libraries' own code costs").
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const FLOOR = "raw-web-sys";

/** One row per profile and library: µs per message of own code, its excess over raw's, and that excess's share of raw's time per message. */
export function ownCostRows(profiles) {
  const rows = [];
  for (const profile of [...profiles].sort((a, b) => a.size - b.size)) {
    const floor = profile.libs[FLOOR];
    if (!floor) continue;
    const floorUs = (floor.ms * 1000) / profile.count;
    for (const [library, figures] of Object.entries(profile.libs)) {
      if (library === FLOOR) continue;
      const excess = figures.ownUsPerMessage - floor.ownUsPerMessage;
      rows.push({ size: profile.size, library, ownUs: figures.ownUsPerMessage, floorOwnUs: floor.ownUsPerMessage, floorUs, excessShare: excess / floorUs });
    }
  }
  return rows;
}

/** 1024 -> "1 KiB", 16777216 -> "16 MiB". */
export function sizeLabel(bytes) {
  return bytes >= 1 << 20 ? `${bytes / (1 << 20)} MiB` : bytes >= 1024 ? `${bytes / 1024} KiB` : `${bytes} B`;
}

/** The rows as a Markdown table. */
export function ownCostMarkdown(rows) {
  const us = (value) => (value >= 1000 ? `${(value / 1000).toFixed(2)} ms` : `${value.toFixed(1)} µs`);
  const share = (value) => `${value >= 0 ? "+" : "−"}${Math.abs(100 * value).toFixed(1)}%`;
  return [
    "| size | library | own code a message | raw web-sys's own code | raw web-sys's whole time a message | excess over raw, share of that time |",
    "|---|---|---:|---:|---:|---:|",
    ...rows.map((row) => `| ${sizeLabel(row.size)} | ${row.library} | ${us(row.ownUs)} | ${us(row.floorOwnUs)} | ${us(row.floorUs)} | ${share(row.excessShare)} |`),
  ].join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const files = process.argv.slice(2);
  if (files.length === 0) throw new Error("usage: node benches/own-cost.mjs <profile.json>...");
  console.log(ownCostMarkdown(ownCostRows(files.map((file) => JSON.parse(readFileSync(file, "utf8"))))));
}
