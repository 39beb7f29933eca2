/** Durations for tables: "12.3 ms", "1.204 s". */
export function formatDurationNs(ns: number | null | undefined): string {
  if (ns === null || ns === undefined || !Number.isFinite(ns)) return '—';
  const abs = Math.abs(ns);
  if (abs < 1_000) return `${ns} ns`;
  if (abs < 1_000_000) return `${(ns / 1_000).toFixed(1)} µs`;
  if (abs < 1_000_000_000) return `${(ns / 1_000_000).toFixed(abs < 10_000_000 ? 3 : 1)} ms`;
  return `${(ns / 1_000_000_000).toFixed(3)} s`;
}

/** Seconds with 6 decimals (relative start times, as Wireshark's conversation table). */
export function formatSeconds(ns: number): string {
  return (ns / 1e9).toFixed(6);
}
