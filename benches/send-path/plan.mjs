// The send-path bench's plan and statistics, shared by the page (page.js, in the browser) and
// the driver (benches/send-path.mjs, in node): the sizes, how many messages each run sends, the
// order of the two send paths in each repetition, and the median and spread of a cell.

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const SIZES = [4 * KiB, 16 * KiB, 64 * KiB, 256 * KiB, MiB, 4 * MiB, 16 * MiB];
export const PATHS = ["view", "blob"];
export const MODES = ["pipelined", "serial"];
export const REPETITIONS = 3;

/**
 * What one run sends, per mode, at scale 1: `bytes` in all, but never more than `most` messages
 * (pipelined 4 KiB: 16384 messages, 64 MiB, because Chromium's Blob path there runs at a few
 * MB/s) and never fewer than `least`.
 */
export const TARGET = {
  pipelined: { bytes: 128 * MiB, least: 4, most: 16384 },
  serial: { bytes: 32 * MiB, least: 8, most: Infinity },
};

/**
 * How many messages one run of `mode` sends at `size`: TARGET's bytes divided by the size, at
 * most the mode's `most` (both scaled by `scale`, < 1 for a shorter run), never fewer than its
 * `least`.
 */
export function messageCount(size, mode, scale = 1) {
  const target = TARGET[mode];
  if (!target) throw new Error(`unknown mode ${mode}`);
  if (!(size > 0)) throw new Error(`size must be positive, not ${size}`);
  if (!(scale > 0)) throw new Error(`scale must be positive, not ${scale}`);
  const count = Math.min(target.most, Math.round(target.bytes / size)) * scale;
  return Math.max(target.least, Math.round(count));
}

/**
 * The order of the two paths in repetition `rep` of the cell at `sizeIndex`: it alternates from
 * one repetition to the next, and the first repetition alternates from size to size, so neither
 * path always goes first (or always runs on a socket the other has just left busy).
 */
export function pathOrder(rep, sizeIndex = 0) {
  return (rep + sizeIndex) % 2 === 0 ? ["view", "blob"] : ["blob", "view"];
}

/** The median of a non-empty list (the mean of the middle two for an even count). */
export function median(values) {
  if (values.length === 0) throw new Error("median of nothing");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Median, min, max and the relative spread ((max - min) / median) of some samples. */
export function summary(values) {
  const m = median(values);
  const min = Math.min(...values);
  const max = Math.max(...values);
  return { median: m, min, max, spread: m > 0 ? (max - min) / m : 0 };
}

/** Megabytes (10^6 bytes) per second of `bytes` sent in `ms` milliseconds. */
export function megabytesPerSecond(bytes, ms) {
  return ms > 0 ? bytes / 1e6 / (ms / 1000) : Infinity;
}

/** A size as people write it: 4 KiB, 1 MiB. */
export function sizeLabel(size) {
  return size >= MiB && size % MiB === 0 ? `${size / MiB} MiB` : `${size / KiB} KiB`;
}
