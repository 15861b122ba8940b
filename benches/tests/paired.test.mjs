// Proves: benches/paired.mjs (bench runs and WebDriver sweeps) pairs each library's round with the floor's same round, takes the
// median of those ratios with a deterministic bootstrap interval that contains it, counts the
// rounds at the target, skips lower-is-better workloads, takes a named metric where one is
// asked for, and prints one Markdown row each.
import { test } from "node:test";
import assert from "node:assert/strict";
import { bootstrapMedian, fromSweep, pairedMarkdown, pairedRows, roundRatios, seeded } from "../paired.mjs";

const figure = (samples) => ({ samples });
const run = {
  floor: "raw",
  workloads: [
    {
      id: "binary-4KiB",
      metrics: { "MB/s": "higher", "MB/CPU-s": "higher" },
      // Round 2 is slow for everyone: paired, it does not move the ratio.
      libraries: {
        raw: { "MB/s": figure([100, 50, 100, 100, 100]), "MB/CPU-s": figure([10, 10, 10, 10, 10]) },
        lib: { "MB/s": figure([98, 49, 97, 99, 90]), "MB/CPU-s": figure([11, 11, 9, 11, 11]) },
      },
    },
    { id: "round-trip", metrics: { "p50 ms": "lower" }, libraries: { raw: { "p50 ms": figure([1]) }, lib: { "p50 ms": figure([1]) } } },
  ],
};

test("ratios pair round with round", () => {
  assert.deepEqual(roundRatios(run, "binary-4KiB", "lib", "MB/s"), [0.98, 0.98, 0.97, 0.99, 0.9]);
  assert.equal(roundRatios(run, "binary-4KiB", "missing", "MB/s"), null);
});

test("the bootstrap interval is deterministic and holds the median", () => {
  const values = [0.9, 0.97, 0.98, 0.98, 0.99];
  const [low, high] = bootstrapMedian(values);
  assert.deepEqual(bootstrapMedian(values), [low, high]);
  assert.ok(low <= 0.98 && 0.98 <= high && low >= 0.9 && high <= 0.99, `${low} ${high}`);
  assert.deepEqual(bootstrapMedian([1, 1, 1]), [1, 1]);
  const random = seeded(7);
  const draws = Array.from({ length: 1000 }, random);
  assert.ok(draws.every((x) => x >= 0 && x < 1));
  assert.ok(Math.abs(draws.reduce((a, b) => a + b) / 1000 - 0.5) < 0.05);
});

test("rows: median of paired ratios, rounds at target, higher-is-better workloads only", () => {
  const rows = pairedRows(run, ["lib"]);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].median, 0.98);
  assert.equal(rows[0].atTarget, 4);
  assert.equal(rows[0].rounds, 5);
  const markdown = pairedMarkdown(rows).split("\n");
  assert.equal(markdown.length, 3);
  assert.match(markdown[2], /^\| binary-4KiB \| lib \| ×0\.98 \| ×0\.\d\d–0\.\d\d \| 4 of 5 \|$/);
});

test("a named metric: its paired ratios, and no row for a workload without it", () => {
  const rows = pairedRows(run, ["lib"], 0.95, "MB/CPU-s");
  assert.deepEqual(rows.map((row) => [row.workload, row.metric, row.median, row.atTarget]), [["binary-4KiB", "MB/CPU-s", 1.1, 4]]);
  assert.deepEqual(pairedRows(run, ["lib"], 0.95, "p50 ms"), [], "a lower-is-better metric has no ratio to meet");
  assert.deepEqual(pairedRows(run, ["lib"], 0.95, "msg/CPU-s"), []);
  assert.match(pairedMarkdown(rows, 0.95, "ws_stream_wasm").split("\n")[0], /paired ratio to ws_stream_wasm \(median\)/);
});

test("a WebDriver sweep's cells become one workload per browser, server and size", () => {
  const cells = [
    { browser: "firefox", server: "plain", size: "4 KiB", lib: "raw-web-sys", samples: [10, 20] },
    { browser: "firefox", server: "plain", size: "4 KiB", lib: "lib", samples: [11, 18] },
    { browser: "firefox", server: "plain", size: "16 MiB", lib: "raw-web-sys", samples: [5, 5] },
    { browser: "firefox", server: "plain", size: "16 MiB", lib: "lib", samples: [5, 4] },
  ];
  const rows = pairedRows(fromSweep({ cells }), ["lib"]);
  assert.deepEqual(rows.map((row) => [row.workload, row.median, row.atTarget]), [["firefox plain 4 KiB", 1, 1], ["firefox plain 16 MiB", 0.9, 1]]);
});
