// Writes the README's benchmark block (between the bench markers) from docs/bench/results.json:
// the chart and one table, each workload's headline figure for raw web-sys and every other
// library's ratio to it, so the README always shows the latest `npm run bench` figures. The
// full tables, every browser-ws variant and the Targets are in docs/bench/results.md.
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

export const START = "<!-- bench:start -->";
export const END = "<!-- bench:end -->";

const FLOOR = "raw-web-sys";
/** The table's columns after the floor's: [heading, libraries shown in the cell]. */
const COLUMNS = [
  ["plain JS", ["js"]],
  ["browser-ws: Stream / closures / zero-copy", ["browser-ws-stream-ab", "browser-ws-closures-ab", "browser-ws-zero-copy-ab"]],
  ["gloo-net", ["gloo-net"]],
  ["ws_stream_wasm", ["ws_stream_wasm"]],
];
/** The rows: each workload's headline figure (a list of metrics is summed). */
const ROWS = [
  { id: "binary-1KiB", label: "1 KiB binary, pipelined", metric: "msg/s", unit: "msg/s" },
  { id: "text-32B", label: "32 B text, pipelined", metric: "msg/s", unit: "msg/s" },
  { id: "round-trip", label: "32 B round trip, p50", metric: "p50 ms", unit: "ms" },
  { id: "binary-1MiB", label: "1 MiB binary, pipelined", metric: "MB/s", unit: "MB/s" },
  { id: "connect-close", label: "connect and close", metric: "ms/cycle", unit: "ms" },
  { id: "memory", label: "memory per open socket (wasm heap + JS heap)", metric: ["wasm heap B/socket", "JS heap B/socket"], unit: "B" },
];

const format = (value) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
const day = (iso) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** `lib`'s median for `metric` in `workload` (summed over a list of metrics); undefined if not measured. */
function median(workload, lib, metric) {
  const figures = workload?.libraries[lib];
  const parts = [metric].flat().map((m) => figures?.[m]?.median);
  return parts.every((part) => typeof part === "number") ? parts.reduce((a, b) => a + b, 0) : undefined;
}

/** A cell of ratios to the floor's figure, "×a / ×b" for several libraries; "–" when none was measured. */
function ratios(values, floor) {
  const shown = values.map((value) => (value === undefined || !floor ? "–" : `×${(value / floor).toFixed(2)}`));
  return shown.every((cell) => cell === "–") ? "–" : shown.join(" / ");
}

/** The block between the markers: the chart, what the run was, and the table. */
export function readmeBlock(results) {
  const rerunOf = (id) => (results.reruns ?? []).findLast((r) => (id === "sizes" ? r.sizes : r.workloads.includes(id)));
  const rerun = (id) => (rerunOf(id) ? ` (re-run ${day(rerunOf(id).date)})` : "");
  const lines = [
    "![Throughput relative to raw web-sys](docs/bench/chart.svg)",
    "",
    `${results.browser} on ${results.machine.cpu} (${results.machine.cores} cores), run of ${day(results.date)}, ` +
      `median of ${results.rounds} interleaved rounds. The raw web-sys column is its figure; the others are each ` +
      "library's figure over raw web-sys's (higher is better for msg/s and MB/s, lower for ms and bytes). " +
      "Every variant, the Targets and each round: [docs/bench/results.md](docs/bench/results.md).",
    "",
    `| workload | raw web-sys | ${COLUMNS.map(([heading]) => heading).join(" | ")} |`,
    `|---|---:|${COLUMNS.map(() => "---:").join("|")}|`,
  ];
  for (const row of ROWS) {
    const workload = results.workloads.find((w) => w.id === row.id);
    if (!workload) continue; // a run without this workload
    const floor = median(workload, FLOOR, row.metric);
    const cells = COLUMNS.map(([, libs]) => ratios(libs.map((lib) => median(workload, lib, row.metric)), floor));
    lines.push(`| ${row.label}${rerun(row.id)} | ${floor === undefined ? "–" : `${format(floor)} ${row.unit}`} | ${cells.join(" | ")} |`);
  }
  if (results.sizes?.[FLOOR]) {
    const floor = results.sizes[FLOOR].gzip;
    const size = (lib) => results.sizes[lib]?.gzip;
    const cells = COLUMNS.map(([, libs]) => {
      // One minimal app per library: browser-ws's stands for all its variants.
      const apps = [...new Set(libs.map((lib) => (lib.startsWith("browser-ws") ? "browser-ws" : lib)))];
      return ratios(apps.map(size), floor);
    });
    lines.push(`| minimal app, wasm gzip -9${rerun("sizes")} | ${floor} B | ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

/** `readme` with the block between the markers replaced by `readmeBlock(results)`. */
export function updateReadme(readme, results) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error("README.md lacks the bench markers");
  return `${readme.slice(0, start + START.length)}\n${readmeBlock(results)}\n${readme.slice(end)}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const results = JSON.parse(readFileSync("docs/bench/results.json", "utf8"));
  writeFileSync("README.md", updateReadme(readFileSync("README.md", "utf8"), results));
  console.log("README.md: benchmark section updated");
}
