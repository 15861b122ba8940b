// The bench's warm-up (benches/warmup.mjs): how much of each workload runs unrecorded first.
import { test } from "node:test";
import assert from "node:assert/strict";
import { warmUpCount, warmUpFraction } from "../warmup.mjs";

test("BENCH_WARMUP: a tenth by default, any fraction from 0 to 1, nothing else", () => {
  assert.equal(warmUpFraction(undefined), 0.1);
  assert.equal(warmUpFraction(""), 0.1);
  assert.equal(warmUpFraction("0"), 0);
  assert.equal(warmUpFraction("0.25"), 0.25);
  assert.equal(warmUpFraction("1"), 1);
  for (const bad of ["-0.1", "1.5", "a tenth", "NaN"]) {
    assert.throws(() => warmUpFraction(bad), /BENCH_WARMUP must be a fraction from 0 to 1/, bad);
  }
});

test("a warm-up is the fraction of the workload's count, at least one", () => {
  assert.equal(warmUpCount({ count: 20000 }, 0.1), 2000);
  assert.equal(warmUpCount({ count: 200 }, 0.1), 20);
  assert.equal(warmUpCount({ count: 3 }, 0.1), 1);
  assert.equal(warmUpCount({ count: 2000 }, 1), 2000);
});

test("no warm-up when turned off, nor for a workload measured on fresh pages", () => {
  assert.equal(warmUpCount({ count: 20000 }, 0), 0);
  assert.equal(warmUpCount({ count: 1000, fresh: true }, 0.1), 0);
});
