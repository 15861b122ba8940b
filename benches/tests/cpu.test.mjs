// Proves: benches/cpu.mjs counts a /proc/stat text's user, nice, system, irq and softirq time
// as busy (not idle, iowait or steal), in seconds; refuses a text without the total line; and
// on this machine reads a busy time that grows while the CPU works.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpus } from "node:os";
import { busySeconds, machineBusySeconds, withBusySeconds } from "../cpu.mjs";

test("busy time is user + nice + system + irq + softirq, in seconds", () => {
  //          user nice system idle iowait irq softirq steal guest guest_nice
  const stat = "cpu  1000 20 300 9999 77 4 6 555 0 0\ncpu0 500 10 150 5000 40 2 3 300 0 0\nintr 1 2 3\n";
  assert.equal(busySeconds(stat), (1000 + 20 + 300 + 4 + 6) / 100);
  assert.equal(busySeconds("cpu0 1 2 3 4 5 6 7\n"), null, "only the total line counts");
  assert.equal(busySeconds("cpu  1 2\n"), null, "a short line is not read as zeros");
});

test("the machine's busy time grows while the CPU works", { skip: machineBusySeconds() === null && "no /proc/stat" }, async () => {
  const start = Date.now();
  const { result, busy } = await withBusySeconds(async () => {
    const end = Date.now() + 300;
    let spins = 0;
    while (Date.now() < end) spins++;
    return spins;
  });
  const elapsed = (Date.now() - start) / 1000;
  assert.ok(result > 0);
  // At most every core busy for the whole spin (other processes count too), plus a tick each way.
  assert.ok(busy >= 0.2 && busy <= elapsed * cpus().length + 0.02, `busy ${busy} s over a ${elapsed} s spin on ${cpus().length} cores`);
});
