// The send-path bench's report (node side): the cells of a run (benches/send-path.mjs writes
// them to docs/bench/send-path.json) as Markdown tables with a plain reading, an SVG chart of the
// blob/view ratio, and the comparison of two runs (the noise). Pure functions of the JSON.
import { MODES, SIZES, median, sizeLabel } from "./plan.mjs";

/** The cell of one browser × server × mode × size × path, or undefined. */
export function findCell(cells, { browser, server, mode, size, path }) {
  return cells.find((c) => c.browser === browser && c.server === server && c.mode === mode
    && c.size === size && c.path === path);
}

/**
 * blob against view in one browser × server × mode × size: the ratio of the medians, the widest
 * and narrowest ratios the samples allow, and a verdict: "blob" (every blob sample beats every
 * view sample), "view" (the reverse) or "tie" (the ranges overlap).
 */
export function compareCell(cells, key) {
  const view = findCell(cells, { ...key, path: "view" });
  const blob = findCell(cells, { ...key, path: "blob" });
  if (!view || !blob) return null;
  const ratio = blob.median / view.median;
  const verdict = blob.min > view.max ? "blob" : view.min > blob.max ? "view" : "tie";
  return { view, blob, ratio, low: blob.min / view.max, high: blob.max / view.min, verdict };
}

/** The browsers, servers and sizes present in a run, in the run's own order. */
export function axes(results) {
  const unique = (values) => [...new Set(values)];
  return {
    browsers: results.browsers.map((b) => b.name),
    servers: results.servers.map((s) => s.id),
    modes: MODES.filter((m) => results.cells.some((c) => c.mode === m)),
    sizes: SIZES.filter((s) => results.cells.some((c) => c.size === s)).concat(
      unique(results.cells.map((c) => c.size)).filter((s) => !SIZES.includes(s)).sort((a, b) => a - b),
    ),
  };
}

const mb = (value) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
const pct = (value) => `${(value * 100).toFixed(0)}%`;
const ratio = (value) => value.toFixed(2);
const browserLabel = (results, name) => {
  const b = results.browsers.find((x) => x.name === name);
  return b?.version ? `${name} ${b.version}` : name;
};

/** The headline: blob/view ratio of the medians per browser × server (rows) and size (columns). */
export function headlineTable(results, mode) {
  const { browsers, servers, sizes } = axes(results);
  const lines = [
    `| ${mode}: blob/view | ${sizes.map(sizeLabel).join(" | ")} |`,
    `|---|${sizes.map(() => "---:").join("|")}|`,
  ];
  for (const browser of browsers) {
    for (const server of servers) {
      const row = sizes.map((size) => {
        const c = compareCell(results.cells, { browser, server, mode, size });
        if (!c) return "–";
        const mark = c.verdict === "blob" ? " ▲" : c.verdict === "view" ? " ▼" : "";
        return `${ratio(c.ratio)}${mark}`;
      });
      lines.push(`| ${browser}, ${server} | ${row.join(" | ")} |`);
    }
  }
  return lines.join("\n");
}

/** One browser × server × mode: MB/s of each path per size, with the range and the verdict. */
export function detailTable(results, browser, server, mode) {
  const { sizes } = axes(results);
  const lines = [
    "| size | messages | view MB/s (min–max) | blob MB/s (min–max) | blob/view (range) | verdict |",
    "|---:|---:|---:|---:|---:|---|",
  ];
  for (const size of sizes) {
    const c = compareCell(results.cells, { browser, server, mode, size });
    if (!c) continue;
    const verdict = c.verdict === "tie" ? "overlap" : `${c.verdict} wins`;
    lines.push(`| ${sizeLabel(size)} | ${c.view.count} | ${mb(c.view.median)} (${mb(c.view.min)}–${mb(c.view.max)}) `
      + `| ${mb(c.blob.median)} (${mb(c.blob.min)}–${mb(c.blob.max)}) `
      + `| ${ratio(c.ratio)} (${ratio(c.low)}–${ratio(c.high)}) | ${verdict} |`);
  }
  return lines.join("\n");
}

/** Sizes, as labels, joined for a sentence ("none" when empty). */
const sizeList = (sizes) => (sizes.length ? sizes.map(sizeLabel).join(", ") : "none");

/**
 * The plain reading, by rule: per browser × mode, where blob wins and where view wins on each
 * server (a win: the two paths' ranges do not overlap), where the servers disagree (one server
 * gives a win the other does not give, or the ratios differ by more than a quarter), and the
 * spread (the relative max − min of the samples, per cell).
 */
export function reading(results) {
  const { browsers, servers, modes, sizes } = axes(results);
  const out = [];
  for (const browser of browsers) {
    for (const mode of modes) {
      const parts = [];
      const verdicts = {};
      for (const server of servers) {
        const cs = sizes.map((size) => [size, compareCell(results.cells, { browser, server, mode, size })])
          .filter(([, c]) => c);
        verdicts[server] = Object.fromEntries(cs);
        const blobWins = cs.filter(([, c]) => c.verdict === "blob").map(([s]) => s);
        const viewWins = cs.filter(([, c]) => c.verdict === "view").map(([s]) => s);
        parts.push(`on ${server}, blob wins at ${sizeList(blobWins)} and view wins at ${sizeList(viewWins)}`);
      }
      const disagree = [];
      if (servers.length === 2) {
        const [a, b] = servers;
        for (const size of sizes) {
          const ca = verdicts[a][size];
          const cb = verdicts[b][size];
          if (!ca || !cb) continue;
          const apart = Math.max(ca.ratio, cb.ratio) / Math.min(ca.ratio, cb.ratio) > 1.25;
          if (ca.verdict !== cb.verdict || apart) {
            disagree.push(`${sizeLabel(size)} (${a} ${ratio(ca.ratio)} ${ca.verdict}, ${b} ${ratio(cb.ratio)} ${cb.verdict})`);
          }
        }
      }
      out.push(`- **${browser}, ${mode}**: ${parts.join("; ")}. `
        + (servers.length === 2
          ? `The servers disagree at ${disagree.length ? disagree.join(", ") : "no size"}.`
          : ""));
    }
  }
  const spreads = results.cells.map((c) => c.spread);
  const widest = results.cells.reduce((w, c) => (c.spread > w.spread ? c : w), results.cells[0]);
  out.push(`- **Spread** (max − min of the ${results.repetitions} samples, relative to their median): `
    + `median ${pct(median(spreads))} over all ${results.cells.length} cells, `
    + `${pct(spreads.filter((s) => s <= 0.1).length / spreads.length)} of cells within 10%; the widest is `
    + `${pct(widest.spread)} (${widest.browser}, ${widest.server}, ${widest.mode}, ${sizeLabel(widest.size)}, ${widest.path}).`);
  return out.join("\n");
}

/**
 * Two runs of the same matrix: per cell, how far the second run's median MB/s moved from the
 * first's, and per browser × server × mode × size how far the blob/view ratio moved.
 */
export function compareRuns(first, second) {
  const moves = [];
  for (const a of first) {
    const b = findCell(second, a);
    if (b) moves.push({ ...keyOf(a), path: a.path, first: a.median, second: b.median, move: b.median / a.median - 1 });
  }
  const ratios = [];
  for (const a of first.filter((c) => c.path === "view")) {
    const ca = compareCell(first, a);
    const cb = compareCell(second, a);
    if (ca && cb) ratios.push({ ...keyOf(a), first: ca.ratio, second: cb.ratio, move: cb.ratio / ca.ratio - 1 });
  }
  const abs = (list) => list.map((m) => Math.abs(m.move));
  return {
    moves,
    ratios,
    medianMove: moves.length ? median(abs(moves)) : 0,
    maxMove: moves.length ? Math.max(...abs(moves)) : 0,
    medianRatioMove: ratios.length ? median(abs(ratios)) : 0,
    maxRatioMove: ratios.length ? Math.max(...abs(ratios)) : 0,
    verdictChanges: ratios.filter((r) => {
      const va = compareCell(first, r).verdict;
      const vb = compareCell(second, r).verdict;
      return va !== vb;
    }).map((r) => ({ ...r, firstVerdict: compareCell(first, r).verdict, secondVerdict: compareCell(second, r).verdict })),
  };
}

function keyOf(c) {
  return { browser: c.browser, server: c.server, mode: c.mode, size: c.size };
}

/** The noise section: how the second run moved against the first. */
export function noiseSection(results) {
  if (!results.rerun) return "No other run was recorded, so the noise between runs is not known.";
  const cmp = compareRuns(results.cells, results.rerun.cells);
  const { sizes } = axes(results);
  const lines = [
    `Another run of the whole matrix (${results.rerun.date}, load average ${results.rerun.load?.start ?? "?"} at its start, `
      + `${results.rerun.load?.samples?.length ? `${Math.min(...results.rerun.load.samples.map((s) => s.value))}–${Math.max(...results.rerun.load.samples.map((s) => s.value))} during it` : "not sampled during it"}) `
      + `against this one: the median MB/s of a cell moved by ${pct(cmp.medianMove)} (median over ${cmp.moves.length} cells), `
      + `at most ${pct(cmp.maxMove)}; the blob/view ratio moved by ${pct(cmp.medianRatioMove)} (median), `
      + `at most ${pct(cmp.maxRatioMove)}. Verdicts (blob wins / view wins / overlap) that differ between the runs: `
      + (cmp.verdictChanges.length
        ? cmp.verdictChanges.map((v) => `${v.browser} ${v.server} ${v.mode} ${sizeLabel(v.size)} (${v.firstVerdict} → ${v.secondVerdict})`).join(", ")
        : "none") + ".",
    "",
    `| blob/view, this run → the other | ${sizes.map(sizeLabel).join(" | ")} |`,
    `|---|${sizes.map(() => "---:").join("|")}|`,
  ];
  const groups = new Map();
  for (const r of cmp.ratios) {
    const k = `${r.browser}, ${r.server}, ${r.mode}`;
    if (!groups.has(k)) groups.set(k, {});
    groups.get(k)[r.size] = `${ratio(r.first)} → ${ratio(r.second)}`;
  }
  for (const [k, row] of groups) lines.push(`| ${k} | ${sizes.map((s) => row[s] ?? "–").join(" | ")} |`);
  return lines.join("\n");
}

const KEEP_START = "<!-- interpretation: kept when the report is rewritten -->";
const KEEP_END = "<!-- /interpretation -->";

/** The hand-written interpretation block of an earlier report, kept across rewrites. */
export function keptInterpretation(previousMarkdown) {
  if (!previousMarkdown) return null;
  const start = previousMarkdown.indexOf(KEEP_START);
  const end = previousMarkdown.indexOf(KEEP_END);
  if (start < 0 || end < start) return null;
  return previousMarkdown.slice(start + KEEP_START.length, end).trim();
}

/** What a run of one mode sends: "128 MiB (at least 4 messages, at most 16384)". */
export function targetText({ bytes, least, most }) {
  const cap = Number.isFinite(most) ? `, at most ${most}` : "";
  return `${bytes / 2 ** 20} MiB (at least ${least} messages${cap})`;
}

/** The whole Markdown report. `interpretation`: the hand-written block to keep, if any. */
export function renderMarkdown(results, interpretation = null) {
  const { browsers, servers, modes } = axes(results);
  const m = results.machine;
  const load = results.load ?? {};
  const out = [
    "# Send path: `ws.send(view)` against `ws.send(new Blob([view]))` (issue 25)",
    "",
    `Plain JS, no wasm: the page (benches/send-path/page.js) sends binary messages by both paths and counts `
      + `MB/s (10^6 bytes sent per second, until the last echo is in). Run with \`${results.command}\` `
      + `(it builds both servers, waits for a quiet machine, drives both browsers through WebDriver and writes `
      + `docs/bench/send-path.{json,md,svg}).`,
    "",
    `- **Date**: ${results.date}; **machine**: ${m.nproc} cores (${m.cpu}), ${m.memoryGiB} GiB, ${m.os}.`,
    `- **Browsers**: ${results.browsers.map((b) => `${b.name} ${b.version} (${b.driver})`).join("; ")}.`,
    `- **Servers**: ${results.servers.map((s) => `\`${s.id}\`: ${s.label}`).join("; ")}.`,
    `- **Load** (1-minute average): ${load.waited ?? ""} During the run: ${load.samples?.map((s) => `${s.value} (${s.when})`).join(", ") ?? "not recorded"}.`,
    `- **Plan**: ${results.repetitions} repetitions per cell, the order of the two paths alternating per repetition; `
      + `a pipelined run sends ${targetText(results.target.pipelined)}, a serial run ${targetText(results.target.serial)}`
      + `${results.scale !== 1 ? `, scaled by ${results.scale}` : ""}; a fresh socket per run; each page warms up first `
      + `(64 KiB, both paths, both modes, unrecorded).`,
    ...(results.notes?.length ? results.notes.map((n) => `- ${n}`) : []),
    "",
    "## Headline: blob/view (ratio of the medians; ▲ blob wins, ▼ view wins, no mark: the ranges overlap)",
    "",
    ...modes.flatMap((mode) => [headlineTable(results, mode), ""]),
    "![blob/view ratio against message size, pipelined](send-path.svg)",
    "",
    "## Reading (by rule, from the figures)",
    "",
    reading(results),
    "",
  ];
  if (interpretation) {
    out.push("## Interpretation", "", KEEP_START, interpretation, KEEP_END, "");
  }
  out.push("## Noise between runs", "", noiseSection(results), "", "## Every cell", "");
  for (const browser of browsers) {
    for (const server of servers) {
      for (const mode of modes) {
        out.push(`### ${browserLabel(results, browser)}, ${server}, ${mode}`, "",
          detailTable(results, browser, server, mode), "");
      }
    }
  }
  return out.join("\n");
}

const COLORS = { "chromium/project": "#1f77b4", "chromium/plain": "#6baed6", "firefox/project": "#d62728", "firefox/plain": "#fc9272" };

/**
 * The chart: pipelined blob/view ratio against size (log axis), one line per browser × server,
 * with a line at 1.0 (above it Blob is faster). Plain SVG text.
 */
export function renderSvg(results, mode = "pipelined") {
  const { browsers, servers, sizes } = axes(results);
  const width = 720;
  const height = 420;
  const left = 64;
  const right = 200;
  const top = 40;
  const bottom = 56;
  const series = [];
  for (const browser of browsers) {
    for (const server of servers) {
      const points = sizes.map((size) => [size, compareCell(results.cells, { browser, server, mode, size })])
        .filter(([, c]) => c).map(([size, c]) => ({ size, ratio: c.ratio, low: c.low, high: c.high }));
      series.push({ browser, server, points });
    }
  }
  const all = series.flatMap((s) => s.points.map((p) => p.ratio)).concat([1]);
  const yMax = Math.max(1.5, Math.ceil(Math.max(...all) * 4 + 0.5) / 4);
  const yMin = Math.max(0, Math.min(0.5, Math.floor(Math.min(...all) * 4) / 4));
  const lx = (size) => Math.log2(size);
  const xMin = lx(sizes[0]);
  const xMax = lx(sizes[sizes.length - 1]);
  const x = (size) => left + ((lx(size) - xMin) / (xMax - xMin || 1)) * (width - left - right);
  const y = (value) => top + (1 - (value - yMin) / (yMax - yMin || 1)) * (height - top - bottom);
  const f = (v) => v.toFixed(1);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${left}" y="20" font-size="14" font-weight="bold">blob/view throughput ratio, ${mode} (${results.date.slice(0, 10)})</text>`,
  ];
  for (let v = yMin; v <= yMax + 1e-9; v += 0.25) {
    const strong = Math.abs(v - 1) < 1e-9;
    parts.push(`<line x1="${left}" x2="${width - right}" y1="${f(y(v))}" y2="${f(y(v))}" stroke="${strong ? "black" : "#ddd"}" stroke-width="${strong ? 1.5 : 1}"/>`);
    parts.push(`<text x="${left - 6}" y="${f(y(v) + 4)}" text-anchor="end">${v.toFixed(2)}</text>`);
  }
  for (const size of sizes) {
    parts.push(`<line x1="${f(x(size))}" x2="${f(x(size))}" y1="${top}" y2="${height - bottom}" stroke="#eee"/>`);
    parts.push(`<text x="${f(x(size))}" y="${height - bottom + 16}" text-anchor="middle">${sizeLabel(size)}</text>`);
  }
  parts.push(`<text x="${(left + width - right) / 2}" y="${height - 16}" text-anchor="middle">message size (log scale)</text>`);
  parts.push(`<text x="16" y="${(top + height - bottom) / 2}" text-anchor="middle" transform="rotate(-90 16 ${(top + height - bottom) / 2})">blob MB/s ÷ view MB/s (above 1: Blob faster)</text>`);
  series.forEach((s, i) => {
    const color = COLORS[`${s.browser}/${s.server}`] ?? ["#2ca02c", "#9467bd", "#8c564b", "#e377c2"][i % 4];
    const dash = s.server === servers[1] ? ` stroke-dasharray="6 4"` : "";
    if (s.points.length) {
      parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2"${dash} points="${s.points.map((p) => `${f(x(p.size))},${f(y(p.ratio))}`).join(" ")}"/>`);
      for (const p of s.points) {
        parts.push(`<line x1="${f(x(p.size))}" x2="${f(x(p.size))}" y1="${f(y(Math.min(p.high, yMax)))}" y2="${f(y(Math.max(p.low, yMin)))}" stroke="${color}" stroke-opacity="0.5"/>`);
        parts.push(`<circle cx="${f(x(p.size))}" cy="${f(y(p.ratio))}" r="3" fill="${color}"/>`);
      }
    }
    const ly = top + 10 + i * 20;
    parts.push(`<line x1="${width - right + 16}" x2="${width - right + 44}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${dash}/>`);
    parts.push(`<text x="${width - right + 50}" y="${ly + 4}">${s.browser}, ${s.server}</text>`);
  });
  const ly = top + 10 + series.length * 20 + 10;
  parts.push(`<text x="${width - right + 16}" y="${ly}" font-size="11">bars: the widest and</text>`);
  parts.push(`<text x="${width - right + 16}" y="${ly + 14}" font-size="11">narrowest ratio the</text>`);
  parts.push(`<text x="${width - right + 16}" y="${ly + 28}" font-size="11">${results.repetitions} samples allow</text>`);
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
