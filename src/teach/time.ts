/**
 * Durations as a class reads them: "49 µs", "0.8 ms", "210 ms", "1.25 s". SI units read the
 * same in English and Chinese, so the text is a message parameter. Isomorphic.
 */

/** Rounds to `digits` significant digits without trailing zeros. */
function sig(v: number, digits: number): string {
  if (v === 0) return '0';
  const p = Number(v.toPrecision(digits));
  return String(p);
}

export function formatDuration(ns: number): string {
  const abs = Math.abs(ns);
  const sign = ns < 0 ? '-' : '';
  if (abs < 1_000) return `${sign}${Math.round(abs)} ns`;
  if (abs < 1_000_000) return `${sign}${sig(abs / 1e3, 3)} µs`;
  if (abs < 1_000_000_000) return `${sign}${sig(abs / 1e6, 3)} ms`;
  return `${sign}${sig(abs / 1e9, 4)} s`;
}

/** Milliseconds to the microsecond (facts that tests compare with tshark's times). */
export function msOf(ns: number): number {
  return Math.round(ns / 1e3) / 1e3;
}
