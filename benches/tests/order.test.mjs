// The bench's round order (benches/order.mjs): a balanced Latin square, no browser.
import { test } from "node:test";
import assert from "node:assert/strict";
import { roundOrders } from "../order.mjs";

const LIBS = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];

test("every round runs every library exactly once", () => {
  for (const rounds of [1, 5, 10, 13]) {
    const orders = roundOrders(LIBS, rounds);
    assert.equal(orders.length, rounds);
    for (const order of orders) assert.deepEqual([...order].sort(), LIBS);
  }
});

test("within a square's rounds no library holds the same place twice", () => {
  const orders = roundOrders(LIBS, LIBS.length);
  for (let place = 0; place < LIBS.length; place++) {
    assert.equal(new Set(orders.map((order) => order[place])).size, LIBS.length, `place ${place}`);
  }
});

test("within a square's rounds no library follows the same library twice (even count)", () => {
  for (const libs of [LIBS, LIBS.slice(0, 4), LIBS.slice(0, 2)]) {
    const pairs = roundOrders(libs, libs.length).flatMap((order) => order.slice(1).map((lib, i) => `${order[i]}>${lib}`));
    assert.equal(new Set(pairs).size, pairs.length, `${libs.length} libraries`);
    assert.equal(pairs.length, libs.length * (libs.length - 1)); // so every ordered pair once
  }
});

test("the bench's 5 rounds put the last library of the fixed order in 5 places after 5 others", () => {
  const orders = roundOrders(LIBS, 5);
  const last = LIBS.at(-1);
  assert.equal(new Set(orders.map((order) => order.indexOf(last))).size, 5);
  const before = orders.map((order) => order[order.indexOf(last) - 1]);
  assert.ok(before.every((lib) => LIBS.includes(lib)), "never first, so always after a library");
  assert.equal(new Set(before).size, 5);
});

test("the fixed order is the given one every round, and the orders are deterministic", () => {
  assert.deepEqual(roundOrders(LIBS, 3, "fixed"), [LIBS, LIBS, LIBS]);
  assert.deepEqual(roundOrders(LIBS, 5), roundOrders(LIBS, 5));
  assert.notDeepEqual(roundOrders(LIBS, 2)[0], roundOrders(LIBS, 2)[1]);
});

test("an unknown order is refused", () => {
  assert.throws(() => roundOrders(LIBS, 5, "random"), /BENCH_ORDER must be one of balanced, fixed/);
});
