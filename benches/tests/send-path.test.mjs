// Proves: the send-path bench's pure logic (benches/send-path/plan.mjs and report.mjs) without a
// browser: how many messages a run sends at each size, the order of the two paths, the median
// and spread of a cell, the blob/view verdicts, and the Markdown and SVG written from a fixture
// run (with a second run for the noise section, and the hand-written interpretation kept).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  KiB, MiB, SIZES, TARGET, median, megabytesPerSecond, messageCount, pathOrder, sizeLabel, summary,
} from "../send-path/plan.mjs";
import {
  compareCell, compareRuns, headlineTable, keptInterpretation, reading, renderMarkdown, renderSvg,
} from "../send-path/report.mjs";

test("a pipelined run moves 64-200 MiB in at least 4 messages; a serial one 32 MiB or 8 messages", () => {
  assert.deepEqual(SIZES.map((s) => messageCount(s, "pipelined")), [16384, 8192, 2048, 512, 128, 32, 8]);
  assert.deepEqual(SIZES.map((s) => messageCount(s, "serial")), [8192, 2048, 512, 128, 32, 8, 8]);
  for (const size of SIZES) {
    const pipelined = messageCount(size, "pipelined") * size;
    assert.ok(pipelined >= 64 * MiB && pipelined <= 200 * MiB, `${sizeLabel(size)}: ${pipelined}`);
    assert.ok(messageCount(size, "pipelined") >= TARGET.pipelined.least);
    const serial = messageCount(size, "serial");
    assert.ok(serial * size >= 32 * MiB || serial === 8, sizeLabel(size));
    assert.ok(serial >= 8);
  }
});

test("the scale shrinks every run, but never under the least count", () => {
  assert.equal(messageCount(64 * KiB, "pipelined", 0.5), 1024);
  assert.equal(messageCount(4 * KiB, "pipelined", 0.5), 8192); // the cap scales too
  assert.equal(messageCount(16 * MiB, "pipelined", 0.01), 4);
  assert.equal(messageCount(4 * KiB, "serial", 0.001), 8);
  assert.throws(() => messageCount(4096, "burst"), /unknown mode/);
  assert.throws(() => messageCount(0, "serial"), /size must be positive/);
  assert.throws(() => messageCount(4096, "serial", 0), /scale must be positive/);
});

test("the two paths swap places every repetition, and the first repetition alternates by size", () => {
  assert.deepEqual([0, 1, 2].map((rep) => pathOrder(rep, 0)), [["view", "blob"], ["blob", "view"], ["view", "blob"]]);
  assert.deepEqual([0, 1, 2].map((rep) => pathOrder(rep, 1)), [["blob", "view"], ["view", "blob"], ["blob", "view"]]);
});

test("median, min-max and the relative spread of a cell; MB/s is 10^6 bytes per second", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.throws(() => median([]), /median of nothing/);
  assert.deepEqual(summary([90, 110, 100]), { median: 100, min: 90, max: 110, spread: 0.2 });
  assert.equal(megabytesPerSecond(128 * MiB, 1000), 134.217728);
  assert.equal(sizeLabel(4 * KiB), "4 KiB");
  assert.equal(sizeLabel(16 * MiB), "16 MiB");
  assert.equal(sizeLabel(1536 * KiB), "1536 KiB");
});

// A fixture run: two browsers, two servers, two modes, two sizes, three samples per cell.
const cell = (browser, server, mode, size, path, samples) => ({
  browser, server, mode, size, path, count: messageCount(size, mode), bytes: messageCount(size, mode) * size,
  runs: samples.map((mbps, position) => ({ ms: 1, mbps, sendMs: 0, position: position % 2 })),
  ...summary(samples),
});
const SAMPLES = {
  // [view, blob] samples per browser/server/mode/size
  "chromium/project/pipelined/4096": [[20, 21, 19], [4, 4.2, 3.8]],
  "chromium/project/pipelined/1048576": [[300, 310, 290], [150, 160, 140]],
  "chromium/plain/pipelined/4096": [[22, 23, 21], [4, 4, 4]],
  "chromium/plain/pipelined/1048576": [[200, 260, 180], [190, 210, 170]],
  "firefox/project/pipelined/4096": [[30, 31, 29], [36, 37, 35]],
  "firefox/project/pipelined/1048576": [[100, 101, 99], [80, 81, 79]],
  "firefox/plain/pipelined/4096": [[30, 31, 29], [33, 34, 32]],
  "firefox/plain/pipelined/1048576": [[60, 61, 59], [80, 81, 79]],
  "chromium/project/serial/4096": [[8, 8, 8], [3, 3, 3]],
  "chromium/project/serial/1048576": [[90, 95, 85], [40, 42, 38]],
  "chromium/plain/serial/4096": [[9, 9, 9], [3, 3, 3]],
  "chromium/plain/serial/1048576": [[80, 82, 78], [50, 52, 48]],
  "firefox/project/serial/4096": [[6, 6, 6], [5, 5, 5]],
  "firefox/project/serial/1048576": [[70, 72, 68], [66, 68, 64]],
  "firefox/plain/serial/4096": [[9, 9, 9], [9, 9.5, 8.5]],
  "firefox/plain/serial/1048576": [[50, 52, 48], [49, 51, 47]],
};
const fixture = () => ({
  date: "2026-12-06T23:00:00.000Z",
  command: "node benches/send-path.mjs",
  machine: { nproc: 2, cpu: "Test CPU", memoryGiB: 8, os: "Debian" },
  scale: 1,
  repetitions: 3,
  target: TARGET,
  load: { quiet: false, start: 1.5, waited: "**1.5 when the run started: ran anyway**", samples: [{ when: "start", value: 1.5 }] },
  browsers: [{ name: "chromium", version: "156", driver: "chromedriver 156" }, { name: "firefox", version: "153", driver: "geckodriver 0.37" }],
  servers: [{ id: "project", label: "axum /echo", url: "ws://x/echo" }, { id: "plain", label: "plain_echo", url: "ws://y/" }],
  notes: ["A note."],
  cells: Object.entries(SAMPLES).flatMap(([key, [view, blob]]) => {
    const [browser, server, mode, size] = key.split("/");
    return [cell(browser, server, mode, Number(size), "view", view), cell(browser, server, mode, Number(size), "blob", blob)];
  }),
});

test("blob against view: the ratio of the medians, its range, and a verdict only when the ranges part", () => {
  const { cells } = fixture();
  const key = { browser: "chromium", server: "project", mode: "pipelined" };
  const small = compareCell(cells, { ...key, size: 4096 });
  assert.equal(small.ratio, 0.2);
  assert.equal(small.verdict, "view");
  assert.equal(small.low, 3.8 / 21);
  assert.equal(compareCell(cells, { ...key, server: "plain", size: MiB }).verdict, "tie");
  assert.equal(compareCell(cells, { ...key, browser: "firefox", size: 4096 }).verdict, "blob");
  assert.equal(compareCell(cells, { ...key, size: 64 * KiB }), null);
});

test("the headline table has a row per browser × server and the ratio per size, marked by verdict", () => {
  assert.equal(headlineTable(fixture(), "pipelined"), [
    "| pipelined: blob/view | 4 KiB | 1 MiB |",
    "|---|---:|---:|",
    "| chromium, project | 0.20 ▼ | 0.50 ▼ |",
    "| chromium, plain | 0.18 ▼ | 0.95 |",
    "| firefox, project | 1.20 ▲ | 0.80 ▼ |",
    "| firefox, plain | 1.10 ▲ | 1.33 ▲ |",
  ].join("\n"));
});

test("the reading names the wins per server, where the servers disagree, and the spread", () => {
  const text = reading(fixture());
  assert.match(text, /\*\*chromium, pipelined\*\*: on project, blob wins at none and view wins at 4 KiB, 1 MiB; on plain, blob wins at none and view wins at 4 KiB\./);
  assert.match(text, /\*\*firefox, pipelined\*\*: .*The servers disagree at 1 MiB \(project 0\.80 view, plain 1\.33 blob\)\./);
  // A verdict on one server and an overlap on the other is a disagreement.
  assert.match(text, /\*\*chromium, pipelined\*\*: .*The servers disagree at 1 MiB \(project 0\.50 view, plain 0\.95 tie\)\./);
  assert.match(text, /\*\*firefox, serial\*\*: .*The servers disagree at 4 KiB \(project 0\.83 view, plain 1\.00 tie\)\./);
  assert.match(text, /widest is 40% \(chromium, plain, pipelined, 1 MiB, view\)/);
});

test("the Markdown: the set-up, both headline tables, the chart, every cell, and the noise once re-run", () => {
  const results = fixture();
  const md = renderMarkdown(results);
  assert.match(md, /^# Send path/);
  assert.match(md, /`node benches\/send-path\.mjs`/);
  assert.match(md, /2 cores \(Test CPU\)/);
  assert.match(md, /ran anyway/);
  assert.match(md, /a pipelined run sends 128 MiB \(at least 4 messages, at most 16384\), a serial run 32 MiB \(at least 8 messages\)/);
  assert.match(md, /\| serial: blob\/view \| 4 KiB \| 1 MiB \|/);
  assert.match(md, /!\[[^\]]*\]\(send-path\.svg\)/);
  assert.match(md, /### firefox 153, plain, serial\n\n\| size \| messages \|/);
  assert.match(md, /\| 1 MiB \| 128 \| 60\.0 \(59\.0–61\.0\) \| 80\.0 \(79\.0–81\.0\) \| 1\.33 \(1\.30–1\.37\) \| blob wins \|/);
  assert.match(md, /No other run was recorded/);

  const second = fixture().cells.map((c) => ({ ...c, median: c.median * (c.path === "blob" ? 1.1 : 1), min: c.min * (c.path === "blob" ? 1.1 : 1), max: c.max * (c.path === "blob" ? 1.1 : 1) }));
  results.rerun = { date: "2026-12-06T23:30:00.000Z", load: { start: 0.4 }, cells: second };
  const noisy = renderMarkdown(results);
  assert.match(noisy, /Another run of the whole matrix \(2026-12-06T23:30:00\.000Z, load average 0\.4 at its start, not sampled during it\) against this one/);
  assert.match(noisy, /moved by 5% \(median over 32 cells\), at most 10%; the blob\/view ratio moved by 10% \(median\), at most 10%/);
  assert.match(noisy, /\| chromium, plain, pipelined \| 0\.18 → 0\.20 \| 0\.95 → 1\.05 \|/);
  const cmp = compareRuns(fixture().cells, second);
  assert.deepEqual(cmp.verdictChanges.map((v) => [v.browser, v.server, v.mode, v.size, v.firstVerdict, v.secondVerdict]),
    [["firefox", "plain", "serial", 4096, "tie", "blob"]]);
  assert.match(noisy, /differ between the runs: firefox plain serial 4 KiB \(tie → blob\)\./);
});

test("the hand-written interpretation survives a rewrite of the report", () => {
  assert.equal(keptInterpretation("no markers here"), null);
  assert.equal(keptInterpretation(null), null);
  const md = renderMarkdown(fixture(), "Blob loses in Chromium.");
  assert.match(md, /## Interpretation\n\n<!-- interpretation: kept when the report is rewritten -->\nBlob loses in Chromium\.\n<!-- \/interpretation -->/);
  assert.equal(keptInterpretation(md), "Blob loses in Chromium.");
  assert.equal(keptInterpretation(renderMarkdown(fixture(), keptInterpretation(md))), "Blob loses in Chromium.");
});

test("the SVG: one line per browser × server at the pipelined ratios, on a log size axis, with a line at 1.0", () => {
  const svg = renderSvg(fixture());
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(svg, /<\/svg>\n$/);
  const lines = [...svg.matchAll(/<polyline [^>]*points="([^"]*)"/g)].map((m) => m[1].split(" "));
  assert.equal(lines.length, 4);
  assert.ok(lines.every((points) => points.length === 2));
  for (const label of ["chromium, project", "chromium, plain", "firefox, project", "firefox, plain", "4 KiB", "1 MiB"]) {
    assert.ok(svg.includes(`>${label}<`), label);
  }
  // The 1.0 line is the one black rule, and a ratio above 1 is drawn above it (smaller y).
  const one = Number(svg.match(/<line x1="\d+" x2="\d+" y1="([\d.]+)" y2="[\d.]+" stroke="black"/)[1]);
  const y = (points, i) => Number(points[i].split(",")[1]);
  assert.ok(y(lines[3], 1) < one, "firefox/plain at 1 MiB: 1.33 is above 1.0");
  assert.ok(y(lines[0], 0) > one, "chromium/project at 4 KiB: 0.20 is below 1.0");
  // Sizes on a log axis: 4 KiB to 1 MiB spans the whole width.
  const xs = lines[0].map((p) => Number(p.split(",")[0]));
  assert.ok(xs[1] > xs[0]);
  // Markup stays well-formed: as many opening <svg as closing.
  assert.equal((svg.match(/<svg/g) ?? []).length, (svg.match(/<\/svg>/g) ?? []).length);
});
