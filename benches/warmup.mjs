// The unrecorded warm-up before a workload's first round. The first library to run a workload
// on a page meets code the browser has not optimised yet (its wasm still in the baseline tier,
// the page's JS not yet compiled by the optimising tier), and in round 1 it came out ~20%
// slower than in the rounds after: a handicap of whoever the order put first. Running every
// library once, at a fraction of the count, before round 1 takes it away from all of them.

/**
 * The warm-up fraction of a workload's count, from `BENCH_WARMUP` (default 0.1; 0 for none).
 *
 * @param {string | undefined} setting
 * @returns {number}
 */
export function warmUpFraction(setting) {
  if (setting === undefined || setting === "") return 0.1;
  const fraction = Number(setting);
  if (!(fraction >= 0 && fraction <= 1)) throw new Error(`BENCH_WARMUP must be a fraction from 0 to 1, not ${setting}`);
  return fraction;
}

/**
 * How many messages (trips, cycles) a library's warm-up of a workload uses: none for a
 * workload measured on fresh pages (`fresh`) or when the fraction is 0, else at least one.
 *
 * @param {{ count: number, fresh?: boolean }} workload
 * @param {number} fraction
 * @returns {number}
 */
export function warmUpCount(workload, fraction) {
  if (workload.fresh || fraction === 0) return 0;
  return Math.max(1, Math.round(workload.count * fraction));
}
