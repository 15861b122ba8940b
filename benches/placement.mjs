// Where the bench's processes run during the latency workload. With the browser free to use
// every core, its processes (renderer, network service, browser) land together or apart at
// random, and a 32 B round trip then takes one of two times (about 0.2 or 0.33 ms on a
// 2-core Xeon), fixed for the length of one library's 2,000 trips: the median of 5 rounds
// counted how often a library drew the fast mode. Holding the browser on one core and the
// server on the others leaves one mode, the same for every library
// (docs/bench/round-trip-placement). Throughput is measured unpinned: one core for the whole
// browser halves it and doubles its noise.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/**
 * The cores for the browser and for the server, as taskset lists, or null when there are not
 * two cores to separate them.
 * @param {number} cores the machine's core count
 * @returns {{ browser: string, server: string } | null}
 */
export function placement(cores) {
  if (!Number.isInteger(cores) || cores < 2) return null;
  return { browser: "0", server: cores === 2 ? "1" : `1-${cores - 1}` };
}

/**
 * Every descendant of `root` in a process table, `root` excluded.
 * @param {Map<number, number>} parents each process's parent
 * @param {number} root
 * @returns {number[]} in ascending order
 */
export function descendants(parents, root) {
  const found = new Set();
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (!found.has(pid) && pid !== root && (parent === root || found.has(parent))) {
        found.add(pid);
        grew = true;
      }
    }
  }
  return [...found].sort((a, b) => a - b);
}

/**
 * The parent of each process in /proc/PID/stat (its 4th field, after the parenthesised name).
 * @param {string} stat
 * @returns {number | null}
 */
export function parentOf(stat) {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const parent = Number(fields[1]);
  return Number.isInteger(parent) && fields[1] !== "" ? parent : null;
}

/** This machine's process table, from /proc. */
function processTable() {
  const parents = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const parent = parentOf(readFileSync(`/proc/${entry}/stat`, "utf8"));
      if (parent !== null) parents.set(Number(entry), parent);
    } catch {
      // the process ended while being listed
    }
  }
  return parents;
}

/** Sets every thread of each process to `cores` (a taskset list); processes that ended are skipped. */
function pin(pids, cores) {
  for (const pid of pids) {
    try {
      execFileSync("taskset", ["-a", "-p", "-c", cores, String(pid)], { stdio: "ignore" });
    } catch {
      // ended meanwhile
    }
  }
}

/** Whether `taskset` can run here (util-linux; absent on some minimal images). */
export function canPin() {
  try {
    execFileSync("taskset", ["-p", String(process.pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `work` with this process's children (the browser) on `cores.browser` and the server
 * (its pid) on `cores.server`, then gives every core back to both.
 * @param {{ browser: string, server: string }} cores
 * @param {number | null} serverPid
 * @param {number} allCores
 * @param {() => Promise<T>} work
 * @returns {Promise<T>}
 * @template T
 */
export async function pinnedWhile(cores, serverPid, allCores, work) {
  const everywhere = `0-${allCores - 1}`;
  const browser = () => descendants(processTable(), process.pid);
  pin(browser(), cores.browser);
  if (serverPid) pin([serverPid], cores.server);
  try {
    return await work();
  } finally {
    pin(browser(), everywhere);
    if (serverPid) pin([serverPid], everywhere);
  }
}
