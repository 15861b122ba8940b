// The machine's busy CPU time, read from Linux's /proc/stat, for the throughput workloads'
// second figure: work done per CPU-second (see docs/bench/README.md, "CPU time"). Every process
// on the machine counts (the browser's, the server's, the kernel's loopback work), idle and
// steal time do not, so the figure leaves out where the scheduler put the processes and time
// the hypervisor took away. It moves with throughput all the same ("What the noise is" there).
import { readFileSync } from "node:fs";

// USER_HZ: /proc/stat counts in hundredths of a second on every Linux architecture that
// browsers run on (the kernel converts its own HZ to this for user space).
const TICKS_PER_SECOND = 100;

/** The busy seconds in one /proc/stat text: every CPU's user, nice, system, irq and softirq
 * time (guest time is inside user); idle, iowait and steal are not busy. Null if unreadable. */
export function busySeconds(stat) {
  const line = stat.split("\n").find((l) => l.startsWith("cpu "));
  if (!line) return null;
  const [user, nice, system, , , irq, softirq] = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = [user, nice, system, irq, softirq];
  if (busy.some((value) => !Number.isFinite(value))) return null;
  return busy.reduce((a, b) => a + b, 0) / TICKS_PER_SECOND;
}

/** The machine's busy seconds so far, or null where there is no /proc/stat (not Linux). */
export function machineBusySeconds() {
  try {
    return busySeconds(readFileSync("/proc/stat", "utf8"));
  } catch {
    return null;
  }
}

/** Runs `task` and returns its result with the busy CPU seconds the machine spent meanwhile
 * (null where they cannot be read). */
export async function withBusySeconds(task) {
  const before = machineBusySeconds();
  const result = await task();
  const after = machineBusySeconds();
  return { result, busy: before === null || after === null ? null : after - before };
}
