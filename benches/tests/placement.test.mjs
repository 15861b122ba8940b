// Where the latency workload runs (benches/placement.mjs): the cores chosen, the process tree
// walked, and real processes pinned and released (Linux, two cores or more).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { cpus } from "node:os";
import { canPin, descendants, parentOf, pinnedWhile, placement } from "../placement.mjs";

test("the browser gets core 0 and the server every other core; one core separates nothing", () => {
  assert.deepEqual(placement(2), { browser: "0", server: "1" });
  assert.deepEqual(placement(8), { browser: "0", server: "1-7" });
  assert.equal(placement(1), null);
  assert.equal(placement(0), null);
  assert.equal(placement(Number.NaN), null);
});

test("descendants are children, their children and so on, never the root or a stranger", () => {
  const parents = new Map([
    [10, 1], // the root
    [11, 10],
    [12, 11],
    [13, 12],
    [20, 1], // a stranger
    [21, 20],
    [14, 10],
  ]);
  assert.deepEqual(descendants(parents, 10), [11, 12, 13, 14]);
  assert.deepEqual(descendants(parents, 13), []);
  assert.deepEqual(descendants(new Map([[5, 5]]), 5), [], "a self-parented entry is not its own descendant");
});

test("a process's parent is read past a name that holds spaces and parentheses", () => {
  assert.equal(parentOf("4242 (chromium) S 4100 4242 4100 0 -1"), 4100);
  assert.equal(parentOf("77 (a) b (c)) R 1 77 77 0 -1"), 1);
  assert.equal(parentOf("garbage"), null);
});

const cores = cpus().length;
const pinnable = process.platform === "linux" && cores >= 2 && canPin();
const childrenOf = (pid) =>
  readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return parentOf(readFileSync(`/proc/${entry}/stat`, "utf8")) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
const allowed = (pid) => /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1];

test("the browser's processes and the server are pinned while the work runs, and released after", { skip: !pinnable && "needs Linux, taskset and two cores" }, async () => {
  // The stand-ins: a browser child with a grandchild, and a server.
  const browser = spawn("sh", ["-c", "sleep 30 & wait"], { stdio: "ignore" });
  const server = spawn("sleep", ["30"], { stdio: "ignore" });
  try {
    await new Promise((resolve) => setTimeout(resolve, 200)); // let sh start its sleep
    const [grandchild] = childrenOf(browser.pid);
    assert.ok(grandchild, "sh started its sleep");
    const where = placement(cores);
    const all = cores === 2 ? "0-1" : `0-${cores - 1}`;
    const seen = await pinnedWhile(where, server.pid, cores, async () => ({
      browser: allowed(browser.pid),
      grandchild: allowed(grandchild),
      server: allowed(server.pid),
    }));
    assert.deepEqual(seen, { browser: "0", grandchild: "0", server: where.server });
    assert.equal(allowed(browser.pid), all);
    assert.equal(allowed(grandchild), all);
    assert.equal(allowed(server.pid), all);
  } finally {
    browser.kill();
    server.kill();
  }
});
