// The order the libraries run in, round by round. In a fixed order each library always runs
// in the same place, after the same library (ws_stream_wasm always after gloo-net, the
// slowest at 1 KiB), so whatever one run leaves behind (garbage to collect, the server's
// state, the machine's temperature) would bias the same library every round, a bias that
// no number of rounds averages out. Rows of a balanced Latin square (a Williams design) turn
// it into noise that the per-round figures show.

/** How the bench orders the libraries within a round: `BENCH_ORDER`. */
export const ORDERS = ["balanced", "fixed"];

/**
 * The order of `items` in each of `rounds` rounds.
 *
 * `"balanced"`: rows of a balanced Latin square of `items`. Within the first
 * `items.length` rounds no item holds the same place twice, and, for an even number of
 * items, no item follows the same item twice. Later rounds repeat the square's rows.
 * `"fixed"`: `items` as given, every round.
 *
 * @param {string[]} items
 * @param {number} rounds
 * @param {"balanced" | "fixed"} order
 * @returns {string[][]}
 */
export function roundOrders(items, rounds, order = "balanced") {
  if (!ORDERS.includes(order)) throw new Error(`BENCH_ORDER must be one of ${ORDERS.join(", ")}, not ${order}`);
  const n = items.length;
  if (order === "fixed" || n === 0) return Array.from({ length: rounds }, () => [...items]);
  // The first row goes 0, 1, n-1, 2, n-2, …: its steps (1, -2, 3, -4, …) are distinct
  // modulo an even n, so the shifted rows never repeat an adjacent pair.
  const first = [0];
  for (let low = 1, high = n - 1; first.length < n; ) {
    first.push(low++);
    if (first.length < n) first.push(high--);
  }
  return Array.from({ length: rounds }, (_, round) => first.map((index) => items[(index + round) % n]));
}
