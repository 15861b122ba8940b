// How two bench runs are compared (benches/compare.mjs): the "second run reproduces the ratios
// within noise" figures in docs/bench/README.md come from here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ratioDifferences, report, roundSpreads, summary } from "../compare.mjs";

const figure = (ratioToFloor, spread = 0.1) => ({ median: 1, samples: [1], ratioToFloor, spread });
const run = (date, throughput, p50, memory) => ({
  floor: "raw",
  date,
  machine: { cpu: "test CPU" },
  workloads: [
    {
      id: "binary-1KiB",
      libraries: { raw: { "msg/s": figure(1, 0.2) }, mine: { "msg/s": figure(throughput, 0.4) }, only_here: { "msg/s": figure(1) } },
    },
    {
      id: "round-trip",
      libraries: { raw: { "p50 ms": figure(1), "p99 ms": figure(1) }, mine: { "p50 ms": figure(p50), "p99 ms": figure(2, 0.6) } },
    },
    { id: "memory", libraries: { raw: { "JS B": figure(1, 9) }, mine: { "JS B": figure(memory, 9), "wasm B": figure(null, 9) } } },
  ],
});

test("differences are taken between the two runs' ratios, skipping the floor and unusable ratios", () => {
  const a = run("a", 1.0, 1.1, 0.5);
  const b = run("b", 0.9, 1.1, 0.5);
  delete b.workloads[0].libraries.only_here;
  const differences = ratioDifferences(a, b);
  const key = (d) => `${d.workload}/${d.library}/${d.metric}`;
  assert.deepEqual(differences.map(key), ["binary-1KiB/mine/msg/s", "round-trip/mine/p50 ms", "round-trip/mine/p99 ms", "memory/mine/JS B"]);
  assert.ok(Math.abs(differences[0].difference - 0.1) < 1e-12);
  assert.equal(differences[1].difference, 0);
  // A drop is counted as much as a rise of the same ratio.
  assert.ok(Math.abs(ratioDifferences(b, a)[0].difference - (1 / 0.9 - 1)) < 1e-12);
});

test("round spreads cover the speed figures, not memory", () => {
  assert.deepEqual(roundSpreads(run("a", 1, 1, 1)).sort(), [0.1, 0.1, 0.1, 0.1, 0.2, 0.4, 0.6]);
});

test("summary: median, nearest-rank 90th percentile, max; null for nothing", () => {
  assert.equal(summary([]), null);
  assert.deepEqual(summary([3, 1, 2]), { median: 2, p90: 3, max: 3, count: 3 });
  assert.deepEqual(summary([4, 1, 3, 2]), { median: 2.5, p90: 4, max: 4, count: 4 });
  const tens = Array.from({ length: 10 }, (_, i) => i + 1);
  assert.equal(summary(tens).p90, 9);
});

test("the report leaves memory out of the headline and p99 out of its second row", () => {
  const text = report(run("2026-01-01", 1.0, 1.0, 1.0), run("2026-01-02", 1.1, 1.0, 2.0), ["first", "second"]);
  const row = (label) => text.split("\n").find((l) => l.startsWith(`| ${label} |`));
  // 1 KiB differs by 10% for one library and 0 for the other, p50 and p99 by 0.
  assert.equal(row("every speed figure"), "| every speed figure | 4 | 0.0% | 10.0% | 10.0% |");
  assert.equal(row("speed, without p99"), "| speed, without p99 | 3 | 0.0% | 10.0% | 10.0% |");
  assert.equal(row("round-trip"), "| round-trip | 2 | 0.0% | 0.0% | 0.0% |");
  assert.equal(row("memory"), "| memory | 1 | 100.0% | 100.0% | 100.0% |");
  assert.match(text, /\| first \(2026-01-01, test CPU\) \| 7 \| 10\.0% \| 60\.0% \| 60\.0% \|/);
});
