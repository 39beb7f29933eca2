/**
 * Column text the renderer shows, formatted the way Wireshark does, so the packet list, the CLI
 * and tests agree. Browser-safe.
 */
import type { PacketRow } from './types.js';

export type TimeFormat = 'relative' | 'absolute' | 'absolute-utc' | 'delta' | 'delta-displayed' | 'epoch';

/** Seconds with `digits` decimals, truncated like tshark (not rounded). */
export function formatSecondsNs(ns: number, digits: number): string {
  const neg = ns < 0;
  const abs = Math.abs(ns);
  const d = Math.max(0, Math.min(9, digits));
  const unit = 10 ** (9 - d);
  const scaled = Math.floor(abs / unit);
  const div = 10 ** d;
  const sec = Math.floor(scaled / div);
  const frac = String(scaled - sec * div).padStart(d, '0');
  return `${neg ? '-' : ''}${sec}${d ? '.' + frac : ''}`;
}

function two(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** Wireshark's "Time of Day" (local time unless `utc`): 14:03:21.123456. */
export function formatTimeOfDay(epochSec: number, nsec: number, digits: number, utc = false): string {
  const d = new Date(epochSec * 1000);
  const h = utc ? d.getUTCHours() : d.getHours();
  const m = utc ? d.getUTCMinutes() : d.getMinutes();
  const s = utc ? d.getUTCSeconds() : d.getSeconds();
  const dd = Math.max(0, Math.min(9, digits));
  const frac = dd ? '.' + String(Math.floor(nsec / 10 ** (9 - dd))).padStart(dd, '0') : '';
  return `${two(h)}:${two(m)}:${two(s)}${frac}`;
}

/** The Time column of a row in the chosen format. */
export function formatRowTime(row: PacketRow, format: TimeFormat, digits: number): string {
  switch (format) {
    case 'relative':
      return formatSecondsNs(row.relativeNs, digits);
    case 'delta':
      return formatSecondsNs(row.deltaNs, digits);
    case 'delta-displayed':
      return formatSecondsNs(row.deltaDisplayedNs, digits);
    case 'absolute':
      return formatTimeOfDay(row.epochSec, row.epochNsec, digits);
    case 'absolute-utc':
      return formatTimeOfDay(row.epochSec, row.epochNsec, digits, true);
    case 'epoch': {
      const dd = Math.max(0, Math.min(9, digits));
      const frac = dd ? '.' + String(Math.floor(row.epochNsec / 10 ** (9 - dd))).padStart(dd, '0') : '';
      return `${row.epochSec}${frac}`;
    }
  }
}

/** "1.2 MB", "532 kB" (SI units, as Wireshark's statistics). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} bytes`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = -1;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${units[i]}`;
}
