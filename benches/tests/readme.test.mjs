// The README's benchmark block (benches/readme.mjs): one table written from a run's
// results.json, each figure the floor's median or a library's ratio to it; and the README
// shows the block that docs/bench/results.json gives.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { END, START, readmeBlock, updateReadme } from "../readme.mjs";

const at = (median) => ({ median, samples: [median] });
const results = {
  browser: "Chromium 1.2.3",
  machine: { cpu: "test CPU", cores: 2 },
  rounds: 5,
  date: "2026-01-02T03:04:05.000Z",
  workloads: [
    {
      id: "binary-1KiB",
      libraries: {
        js: { "msg/s": at(1200), "MB/s": at(1) },
        "raw-web-sys": { "msg/s": at(1000), "MB/s": at(1) },
        "browser-ws-stream-ab": { "msg/s": at(900) },
        "browser-ws-closures-ab": { "msg/s": at(1100) },
        "browser-ws-zero-copy-ab": { "msg/s": at(1000) },
        "gloo-net": { "msg/s": at(250) },
        // ws_stream_wasm not measured
      },
    },
    {
      id: "memory",
      libraries: {
        "raw-web-sys": { "wasm heap B/socket": at(100), "JS heap B/socket": at(700) },
        "browser-ws-stream-ab": { "wasm heap B/socket": at(150), "JS heap B/socket": at(450) },
        "browser-ws-closures-ab": { "wasm heap B/socket": at(300) }, // JS heap missing: no sum
      },
    },
  ],
  sizes: {
    "raw-web-sys": { gzip: 10000 },
    "browser-ws": { gzip: 15000 },
    "gloo-net": { gzip: 16000 },
  },
};

test("one row per measured workload: the floor's figure, then each library's ratio to it", () => {
  const lines = readmeBlock(results).split("\n");
  assert.equal(lines[0], "![Throughput relative to raw web-sys](docs/bench/chart.svg)");
  assert.match(lines[2], /^Chromium 1\.2\.3 on test CPU \(2 cores\), run of 2026-01-02 03:04 UTC, median of 5 interleaved rounds\./);
  const rows = lines.filter((line) => line.startsWith("| ") && !line.startsWith("| workload"));
  assert.deepEqual(rows, [
    "| 1 KiB binary, pipelined | 1000 msg/s | ×1.20 | ×0.90 / ×1.10 / ×1.00 | ×0.25 | – |",
    "| memory per open socket (wasm heap + JS heap) | 800 B | – | ×0.75 / – / – | – | – |",
    "| minimal app, wasm gzip -9 | 10000 B | – | ×1.50 | ×1.60 | – |",
  ]);
});

test("a re-run workload is labelled with its date", () => {
  const rerun = { ...results, reruns: [{ workloads: ["binary-1KiB"], sizes: false, date: "2026-01-03T00:00:00.000Z" }] };
  assert.match(readmeBlock(rerun), /\| 1 KiB binary, pipelined \(re-run 2026-01-03 00:00 UTC\) \| 1000 msg\/s/);
});

test("the block replaces what is between the markers, and nothing else", () => {
  const readme = `# x\n\n${START}\nold\n${END}\n\nafter\n`;
  const updated = updateReadme(readme, results);
  assert.ok(updated.startsWith(`# x\n\n${START}\n![Throughput`));
  assert.ok(updated.endsWith(`|\n${END}\n\nafter\n`));
  assert.ok(!updated.includes("old"));
  assert.throws(() => updateReadme("no markers", results), /lacks the bench markers/);
});

test("README.md shows the table of docs/bench/results.json (run `node benches/readme.mjs`)", () => {
  const readme = readFileSync("README.md", "utf8");
  const latest = JSON.parse(readFileSync("docs/bench/results.json", "utf8"));
  assert.equal(readme, updateReadme(readme, latest));
});
