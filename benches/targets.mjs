// The benchmark issue's targets, each checked against one run's results: the "Targets" block
// of results.md (and so of the README), written from the figures so that it cannot disagree
// with them. Ratios are of medians within the run; "met" is the bare comparison, with no
// allowance for noise. Beside it, the same comparison round by round, workload by workload:
// the rounds are interleaved, so a workload's round r ran every library under the same
// conditions, but different workloads can come from different runs (a merged re-run), so
// rounds are only compared within a workload. The range of the per-round ratios, and in how
// many rounds the target held, show a miss inside the noise for what it is.

/** browser-ws's ArrayBuffer-mode variants (the default mode), named as the table names them. */
const BROWSER_WS = {
  "browser-ws-stream-ab": "Stream",
  "browser-ws-closures-ab": "closures",
  "browser-ws-zero-copy-ab": "zero-copy",
};
const PEERS = ["gloo-net", "ws_stream_wasm"];

/** Issue 25's size sweep, with the headline 1 MiB: binary throughput at every size. */
const SIZES = ["binary-4KiB", "binary-64KiB", "binary-256KiB", "binary-1MiB", "binary-4MiB", "binary-16MiB"];
/** The variants the every-size target holds to ×0.95: the ArrayBuffer-mode ones and issue 25's adapter. */
const EVERY_SIZE = { ...BROWSER_WS, "browser-ws-user": "as a user writes it" };

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

/** A range of ratios as "×0.87–1.31" (one figure when they are equal). */
function span(values) {
  const [low, high] = [times(Math.min(...values)), times(Math.max(...values))];
  return low === high ? low : `${low}–${high.slice(1)}`;
}

/**
 * `lib`'s figure for `metric` (a list of metrics is summed): the median, and the per-round
 * samples (undefined when a run did not keep them); undefined when not measured.
 */
function figure(results, id, lib, metric) {
  const figures = results.workloads.find((w) => w.id === id)?.libraries[lib];
  if (!figures) return undefined;
  const parts = [metric].flat().map((m) => figures[m]);
  if (!parts.every((part) => typeof part?.median === "number")) return undefined;
  const median = parts.reduce((sum, part) => sum + part.median, 0);
  const rounds = parts[0].samples?.length;
  const complete = rounds > 0 && parts.every((part) => part.samples?.length === rounds);
  const samples = complete ? parts[0].samples.map((_, r) => parts.reduce((sum, part) => sum + part.samples[r], 0)) : undefined;
  return { median, samples };
}

/**
 * `value`'s ratio to `floor` in `workload`, of the medians and round by round (undefined
 * without samples).
 */
function ratioOf(value, floor, workload) {
  const rounds = value.samples && floor.samples?.length === value.samples.length
    ? value.samples.map((v, r) => v / floor.samples[r])
    : undefined;
  return { median: value.median / floor.median, rounds, workload };
}

/** `lib`'s figure over `base`'s, per browser-ws variant: [[name, ratio], ...] for those measured. */
function ratios(results, id, metric, base, libs = Object.keys(BROWSER_WS)) {
  return libs.flatMap((lib) => {
    const value = figure(results, id, lib, metric);
    const floor = figure(results, id, typeof base === "function" ? base(lib) : base, metric);
    return value === undefined || !floor?.median ? [] : [[BROWSER_WS[lib] ?? lib, ratioOf(value, floor, id)]];
  });
}

/** A workload's short name, as the peer and size rows name it. */
const label = (workload) => CONTESTS.find((contest) => contest.id === workload)?.label ?? workload.replace(/^binary-(\d+)([KM])iB$/, "$1 $2iB");

/**
 * The per-round cell, workload by workload: the range of the workload's per-round ratios
 * (unless `ranged` is false: a peer's row mixes figures where lower is better with the
 * others), and in how many of its rounds every one of its ratios passed `ok(ratio, workload)`;
 * "–" for a workload whose figures lack samples. A row of one workload is not labelled.
 */
function perRound(ratioList, ok, ranged = true) {
  const workloads = [...new Set(ratioList.map((ratio) => ratio.workload))];
  const several = workloads.length > 1;
  const cells = workloads.map((workload) => {
    const group = ratioList.filter((ratio) => ratio.workload === workload);
    const count = group[0].rounds?.length;
    const complete = count > 0 && group.every((ratio) => ratio.rounds?.length === count);
    const held = complete ? group[0].rounds.filter((_, r) => group.every((ratio) => ok(ratio.rounds[r], workload))).length : 0;
    const parts = !complete ? ["–"] : [
      ...(ranged ? [span(group.flatMap((ratio) => ratio.rounds))] : []),
      `${several ? "" : "met in "}${held} of ${count}`,
    ];
    return `${several ? `${label(workload)} ` : ""}${parts.join(several ? ", " : "; ")}`;
  });
  return cells.join("; ");
}

/** A row: the ratios listed, met when every one passes `ok`; null when none was measured. */
function row(target, pairs, ok) {
  if (pairs.length === 0) return null;
  const listed = pairs.map(([name, ratio]) => `${name} ${times(ratio.median)}`).join(", ");
  const ratioList = pairs.map(([, ratio]) => ratio);
  return {
    target,
    figures: listed,
    rounds: perRound(ratioList, ok),
    met: ratioList.every((ratio) => ok(ratio.median)),
  };
}

/**
 * Every size of the sweep at ×0.95 of the floor, for each variant measured: the range of its
 * medians' ratios over the sizes; null for a run without the sweep (the headline run's 1 MiB
 * has its own row).
 */
function everySize(results, floor) {
  const sizes = SIZES.filter((id) => results.workloads.some((workload) => workload.id === id));
  if (sizes.length < 2) return null;
  const variants = Object.entries(EVERY_SIZE).flatMap(([lib, name]) => {
    const list = sizes.flatMap((id) => ratios(results, id, "MB/s", floor, [lib]).map(([, ratio]) => ratio));
    return list.length ? [[name, list]] : [];
  });
  if (variants.length === 0) return null;
  const all = variants.flatMap(([, list]) => list);
  const ok = (ratio) => ratio >= 0.95;
  return {
    target: `every binary size (${label(sizes[0])} to ${label(sizes.at(-1))}) ≥ ×0.95 of raw web-sys`,
    figures: variants.map(([name, list]) => `${name} ${span(list.map((ratio) => ratio.median))}`).join(", "),
    rounds: perRound(all, ok),
    met: all.every((ratio) => ok(ratio.median)),
  };
}

/** Against one peer: on each workload, how many browser-ws variants beat its median. */
function ahead(results, peer) {
  const parts = [];
  const versusAll = []; // ours over theirs, per workload and variant
  let all = true;
  for (const contest of CONTESTS) {
    const theirs = figure(results, contest.id, peer, contest.metric);
    if (theirs === undefined) continue;
    const ours = Object.keys(BROWSER_WS).map((lib) => figure(results, contest.id, lib, contest.metric)).filter((v) => v !== undefined);
    if (ours.length === 0) continue;
    const versus = ours.map((value) => ratioOf(value, theirs, contest.id));
    versusAll.push(...versus);
    const wins = versus.filter((ratio) => beats(ratio.median, contest.id)).length;
    all &&= wins === ours.length;
    const verdict = wins === ours.length ? "ahead" : wins === 0 ? "behind" : `${wins} of ${ours.length} ahead`;
    parts.push(`${contest.label} ${verdict} (${span(versus.map((ratio) => ratio.median))})`);
  }
  // Size is deterministic: the same in every round, so it has no per-round count.
  const size = results.sizes?.["browser-ws"]?.gzip, theirs = results.sizes?.[peer]?.gzip;
  if (size && theirs) {
    all &&= size < theirs;
    parts.push(`size ${size < theirs ? "ahead" : "behind"} (${times(size / theirs)}, gzip)`);
  }
  if (parts.length === 0) return null;
  const rounds = versusAll.length === 0 ? "–" : perRound(versusAll, beats, false);
  return { target: `ahead of ${peer} on every workload`, figures: parts.join("; "), rounds, met: all };
}

/** Whether browser-ws's figure over a peer's, `ratio`, is ahead in `workload`. */
function beats(ratio, workload) {
  const higher = CONTESTS.find((contest) => contest.id === workload)?.higher;
  return higher ? ratio > 1 : ratio < 1;
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
    everySize(results, floor),
    row("Blob mode ≥ ×0.8 of ArrayBuffer mode", [
      ...named(ratios(results, "binary-1KiB", "msg/s", blobOf, blobs), "1 KiB"),
      ...named(ratios(results, "binary-1MiB", "MB/s", blobOf, blobs), "1 MiB"),
    ], (r) => r >= 0.8),
    row("zero-copy ≥ ×0.95 of plain JS", [
      ["1 KiB", "binary-1KiB", "msg/s"], ["32 B text", "text-32B", "msg/s"], ["1 MiB", "binary-1MiB", "MB/s"],
    ].flatMap(([label, id, metric]) => ratios(results, id, metric, "js", ["browser-ws-zero-copy-ab"]).map(([, ratio]) => [label, ratio])), (r) => r >= 0.95),
    ...PEERS.map((peer) => ahead(results, peer)),
  ];
  const sizes = results.sizes;
  if (sizes?.["browser-ws"] && sizes[floor] && sizes["gloo-net"]) {
    const ours = sizes["browser-ws"].gzip;
    rows.push({
      target: "minimal app smaller than gloo-net's and ≤ ×1.2 of raw web-sys (wasm, gzip)",
      figures: `${ours} B: ${times(ours / sizes["gloo-net"].gzip)} of gloo-net's, ${times(ours / sizes[floor].gzip)} of raw's`,
      rounds: "deterministic",
      met: ours < sizes["gloo-net"].gzip && ours <= 1.2 * sizes[floor].gzip,
    });
  }
  const shown = rows.filter(Boolean);
  if (shown.length === 0) return [];
  return [
    "**Targets** (browser-ws in ArrayBuffer mode unless named; medians of this run, compared with no allowance for noise; against a peer, ×N is browser-ws's figure over the peer's, for each of its variants. Per round: the same ratios taken within each interleaved round of a workload, their range, and in how many of the workload's rounds every figure of the row met the target, or against a peer was ahead; a row over several workloads counts each apart)",
    "",
    "| target | this run | per round | met |",
    "|---|---|---|---|",
    ...shown.map((r) => `| ${r.target} | ${r.figures} | ${r.rounds} | ${r.met ? "yes" : "**no**"} |`),
    "",
  ];
}
