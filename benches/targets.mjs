// The benchmark issue's targets, each checked against one run's results: the "Targets" block
// of results.md (and so of the README), written from the figures so that it cannot disagree
// with them. Ratios are of medians within the run; "met" is the bare comparison, with no
// allowance for noise (the README says how noisy a run is).

/** browser-ws's ArrayBuffer-mode variants (the default mode), named as the table names them. */
const BROWSER_WS = {
  "browser-ws-stream-ab": "Stream",
  "browser-ws-closures-ab": "closures",
  "browser-ws-zero-copy-ab": "zero-copy",
};
const PEERS = ["gloo-net", "ws_stream_wasm"];

/** What "ahead" compares, per workload: one figure, and whether higher is better. */
const CONTESTS = [
  { label: "1 KiB", id: "binary-1KiB", metric: "msg/s", higher: true },
  { label: "32 B text", id: "text-32B", metric: "msg/s", higher: true },
  { label: "p50", id: "round-trip", metric: "p50 ms", higher: false },
  { label: "1 MiB", id: "binary-1MiB", metric: "MB/s", higher: true },
  { label: "connect/close", id: "connect-close", metric: "ms/cycle", higher: false },
  { label: "memory (wasm + JS heap)", id: "memory", metric: ["wasm heap B/socket", "JS heap B/socket"], higher: false },
];

const times = (ratio) => `×${ratio.toFixed(2)}`;

/** The median of `lib` for `metric` (a list of metrics is summed), or undefined. */
function figure(results, id, lib, metric) {
  const figures = results.workloads.find((w) => w.id === id)?.libraries[lib];
  if (!figures) return undefined;
  const values = [metric].flat().map((m) => figures[m]?.median);
  return values.every((v) => typeof v === "number") ? values.reduce((a, b) => a + b, 0) : undefined;
}

/** `lib`'s figure over `base`'s, per browser-ws variant: [[name, ratio], ...] for those measured. */
function ratios(results, id, metric, base, libs = Object.keys(BROWSER_WS)) {
  return libs.flatMap((lib) => {
    const value = figure(results, id, lib, metric);
    const floor = figure(results, id, typeof base === "function" ? base(lib) : base, metric);
    return value === undefined || !floor ? [] : [[BROWSER_WS[lib] ?? lib, value / floor]];
  });
}

/** A row: the ratios listed, met when every one passes `ok`; null when none was measured. */
function row(target, pairs, ok) {
  if (pairs.length === 0) return null;
  const listed = pairs.map(([name, ratio]) => `${name} ${times(ratio)}`).join(", ");
  return { target, figures: listed, met: pairs.every(([, ratio]) => ok(ratio)) };
}

/** Against one peer: on each workload, how many browser-ws variants beat its median. */
function ahead(results, peer) {
  const parts = [];
  let all = true;
  for (const contest of CONTESTS) {
    const theirs = figure(results, contest.id, peer, contest.metric);
    if (theirs === undefined) continue;
    const ours = Object.keys(BROWSER_WS).map((lib) => figure(results, contest.id, lib, contest.metric)).filter((v) => v !== undefined);
    if (ours.length === 0) continue;
    const wins = ours.filter((v) => (contest.higher ? v > theirs : v < theirs)).length;
    all &&= wins === ours.length;
    const verdict = wins === ours.length ? "ahead" : wins === 0 ? "behind" : `${wins} of ${ours.length} ahead`;
    const span = ours.map((v) => v / theirs);
    const [low, high] = [times(Math.min(...span)), times(Math.max(...span))];
    parts.push(`${contest.label} ${verdict} (${low === high ? low : `${low}–${high.slice(1)}`})`);
  }
  const size = results.sizes?.["browser-ws"]?.gzip, theirs = results.sizes?.[peer]?.gzip;
  if (size && theirs) {
    all &&= size < theirs;
    parts.push(`size ${size < theirs ? "ahead" : "behind"} (${times(size / theirs)}, gzip)`);
  }
  return parts.length ? { target: `ahead of ${peer} on every workload`, figures: parts.join("; "), met: all } : null;
}

/** The targets block's Markdown lines (none for a run that measured none of them). */
export function targetLines(results) {
  const floor = results.floor ?? "raw-web-sys";
  const blobOf = (lib) => lib.replace("-blob", "-ab");
  const blobs = ["browser-ws-stream-blob", "browser-ws-closures-blob"];
  const named = (pairs, prefix) => pairs.map(([name, ratio]) => [`${prefix} ${name.replace("browser-ws-", "").replace("-blob", "")}`, ratio]);
  const rows = [
    row("1 KiB binary ≥ ×0.95 of raw web-sys", ratios(results, "binary-1KiB", "msg/s", floor), (r) => r >= 0.95),
    row("32 B text ≥ ×0.95 of raw web-sys", ratios(results, "text-32B", "msg/s", floor), (r) => r >= 0.95),
    row("p50 latency ≤ ×1.05 of raw web-sys", ratios(results, "round-trip", "p50 ms", floor), (r) => r <= 1.05),
    row("1 MiB ≥ ×0.9 of raw web-sys", ratios(results, "binary-1MiB", "MB/s", floor), (r) => r >= 0.9),
    row("Blob mode ≥ ×0.8 of ArrayBuffer mode", [
      ...named(ratios(results, "binary-1KiB", "msg/s", blobOf, blobs), "1 KiB"),
      ...named(ratios(results, "binary-1MiB", "MB/s", blobOf, blobs), "1 MiB"),
    ], (r) => r >= 0.8),
    row("zero-copy ≥ ×0.95 of plain JS", [
      ["1 KiB", "binary-1KiB", "msg/s"], ["32 B text", "text-32B", "msg/s"], ["1 MiB", "binary-1MiB", "MB/s"],
    ].flatMap(([label, id, metric]) => ratios(results, id, metric, "js", ["browser-ws-zero-copy-ab"]).map(([, r]) => [label, r])), (r) => r >= 0.95),
    ...PEERS.map((peer) => ahead(results, peer)),
  ];
  const sizes = results.sizes;
  if (sizes?.["browser-ws"] && sizes[floor] && sizes["gloo-net"]) {
    const ours = sizes["browser-ws"].gzip;
    rows.push({
      target: "minimal app smaller than gloo-net's and ≤ ×1.2 of raw web-sys (wasm, gzip)",
      figures: `${ours} B: ${times(ours / sizes["gloo-net"].gzip)} of gloo-net's, ${times(ours / sizes[floor].gzip)} of raw's`,
      met: ours < sizes["gloo-net"].gzip && ours <= 1.2 * sizes[floor].gzip,
    });
  }
  const shown = rows.filter(Boolean);
  if (shown.length === 0) return [];
  return [
    "**Targets** (browser-ws in ArrayBuffer mode unless named; medians of this run, compared with no allowance for noise; against a peer, ×N is browser-ws's figure over the peer's, for each of its variants)",
    "",
    "| target | this run | met |",
    "|---|---|---|",
    ...shown.map((r) => `| ${r.target} | ${r.figures} | ${r.met ? "yes" : "**no**"} |`),
    "",
  ];
}
