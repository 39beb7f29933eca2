/**
 * Exact conversion of pcapng 64-bit timestamps to (seconds, nanoseconds). Isomorphic.
 *
 * pcapng §4.3 (EPB): the timestamp is a 64-bit count of units since 1970-01-01, units being
 * the interface's if_tsresol (§4.2): 10^-n seconds, or 2^-n seconds when the high bit of the
 * option byte is set; default 10^-6. A 64-bit count does not fit a double, so a plain
 * `ts / units` would round (a nanosecond count today is ~1.7e18, far above 2^53). We use exact
 * integer arithmetic on doubles (every intermediate below 2^53) for the common resolutions and
 * BigInt for the rest.
 *
 * Nanoseconds are truncated, not rounded, like libwiretap (pcapng.c: nsecs =
 * (ts % units) * 1e9 / units), so a 2^-n resolution gives the same digits as tshark.
 */

const TWO32 = 4294967296;
const TWO16 = 65536;
const NS_PER_S = 1e9;

/** Decoded if_tsresol: units per second, exactly. */
export interface TsResolution {
  /** Units per second as a BigInt (10^n or 2^n, up to 2^127). */
  units: bigint;
  /** True when the option used the base-2 form. */
  binary: boolean;
  exponent: number;
}

/** pcapng §4.2 if_tsresol: "If the Most Significant Bit is equal to zero, the remaining bits
 * indicates the resolution of the timestamp as a negative power of 10 … If the Most Significant
 * Bit is equal to one, … as negative power of 2". */
export function decodeTsResol(byte: number): TsResolution {
  const binary = (byte & 0x80) !== 0;
  const exponent = byte & 0x7f;
  const units = binary ? 1n << BigInt(exponent) : 10n ** BigInt(exponent);
  return { units, binary, exponent };
}

/**
 * Converts raw (high, low) 32-bit halves into seconds + nanoseconds for one interface.
 * Results are left in `sec` / `nsec` so the hot path allocates nothing.
 */
export class TimestampConverter {
  sec = 0;
  nsec = 0;
  /** Units per second as a number (exact when ≤ 2^53; only for display otherwise). */
  readonly unitsPerSecond: number;
  private readonly unitsBig: bigint;
  private readonly u: number;
  /** u < 2^32: the 3-step long division below is exact. */
  private readonly smallDivisor: boolean;
  /** u < 2^11: the quotient of a full 64-bit count may exceed 2^53. */
  private readonly tinyDivisor: boolean;
  /** 1e9 / u when that is an integer (10^k, k ≤ 9; 2^k, k ≤ 9), else 0. */
  private readonly nsMul: number;
  /** u ≤ 2^22: r * 1e9 < 2^52, so the fraction can be computed with doubles. */
  private readonly nsExactDouble: boolean;
  private readonly offset: number;

  constructor(unitsPerSecond: bigint, offsetSeconds = 0) {
    this.unitsBig = unitsPerSecond;
    this.unitsPerSecond = Number(unitsPerSecond);
    this.u = this.unitsPerSecond;
    this.smallDivisor = unitsPerSecond < 4294967296n;
    this.tinyDivisor = unitsPerSecond < 2048n;
    this.nsMul = unitsPerSecond <= 1000000000n && 1000000000n % unitsPerSecond === 0n
      ? Number(1000000000n / unitsPerSecond)
      : 0;
    this.nsExactDouble = unitsPerSecond <= 4194304n;
    this.offset = offsetSeconds;
  }

  set(high: number, low: number): void {
    const u = this.u;
    let q: number;
    let r: number;
    if (this.smallDivisor && (!this.tinyDivisor || high < 2097152)) {
      // Long division of the 64-bit count by u, in digits of 32, 16 and 16 bits. Every
      // intermediate stays below 2^48; each floor() is corrected, since a correctly rounded
      // quotient can land on the next integer.
      let q1 = Math.floor(high / u);
      let r1 = high - q1 * u;
      if (r1 < 0) { q1--; r1 += u; } else if (r1 >= u) { q1++; r1 -= u; }
      let a = r1 * TWO16 + (low >>> 16);
      let q2 = Math.floor(a / u);
      let r2 = a - q2 * u;
      if (r2 < 0) { q2--; r2 += u; } else if (r2 >= u) { q2++; r2 -= u; }
      a = r2 * TWO16 + (low & 0xffff);
      let q3 = Math.floor(a / u);
      r = a - q3 * u;
      if (r < 0) { q3--; r += u; } else if (r >= u) { q3++; r -= u; }
      q = q1 * TWO32 + q2 * TWO16 + q3;
    } else {
      this.setBig(high, low);
      return;
    }
    this.sec = q + this.offset;
    if (this.nsMul !== 0) {
      this.nsec = r * this.nsMul;
    } else if (this.nsExactDouble) {
      const p = r * NS_PER_S;
      let n = Math.floor(p / u);
      const rem = p - n * u;
      if (rem < 0) n--; else if (rem >= u) n++;
      this.nsec = n;
    } else {
      this.nsec = Number((BigInt(r) * 1000000000n) / this.unitsBig);
    }
  }

  private setBig(high: number, low: number): void {
    const ts = (BigInt(high) << 32n) | BigInt(low);
    const units = this.unitsBig;
    this.sec = Number(ts / units) + this.offset;
    this.nsec = Number(((ts % units) * 1000000000n) / units);
  }
}
