// Proves: benches/own-cost.mjs takes each library's own code per message beyond raw web-sys's
// as a share of raw web-sys's whole time per message, sorts the profiles by size, skips a
// profile without raw web-sys, and prints one Markdown row per size and library.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ownCostMarkdown, ownCostRows, sizeLabel } from "../own-cost.mjs";

const profile = (size, count, libs) => ({ size, count, libs });
const lib = (ms, ownUsPerMessage) => ({ ms, ownUsPerMessage, usPerMessage: {} });

test("the excess of own code is a share of raw web-sys's time per message", () => {
  const rows = ownCostRows([
    profile(16777216, 16, { "raw-web-sys": lib(2000, 5000), stream: lib(1900, 4000) }),
    profile(4096, 1000, { "raw-web-sys": lib(100, 20), stream: lib(110, 25), closures: lib(99, 20) }),
    profile(65536, 10, { stream: lib(1, 1) }),
  ]);
  assert.deepEqual(rows.map((row) => [row.size, row.library]), [[4096, "stream"], [4096, "closures"], [16777216, "stream"]]);
  // raw: 100 ms for 1000 messages = 100 µs each; the stream's own code is 5 µs more: 5%.
  assert.equal(rows[0].floorUs, 100);
  assert.ok(Math.abs(rows[0].excessShare - 0.05) < 1e-12);
  assert.equal(rows[1].excessShare, 0);
  // Less own code than raw: a negative share.
  assert.equal(rows[2].excessShare, -1000 / 125000);
});

test("one Markdown row per size and library", () => {
  const markdown = ownCostMarkdown(ownCostRows([profile(4096, 1000, { "raw-web-sys": lib(100, 20), stream: lib(110, 25) })]));
  const lines = markdown.split("\n");
  assert.equal(lines.length, 3);
  assert.equal(lines[2], "| 4 KiB | stream | 25.0 µs | 20.0 µs | 100.0 µs | +5.0% |");
  assert.deepEqual([sizeLabel(1024), sizeLabel(16777216), sizeLabel(32)], ["1 KiB", "16 MiB", "32 B"]);
});
