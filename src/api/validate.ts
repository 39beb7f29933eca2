/**
 * Boundary validation (§8): every request from a renderer or a socket is checked before it
 * reaches the engine — nothing from the renderer is trusted. One small hand-written validator
 * per message: it returns clean, typed parameters (unknown keys dropped) or throws an ApiError
 * 'bad-request' that names the method and the bad argument. Browser-safe.
 */
import { ApiError } from './errors.js';
import { isEngineMethod, type EngineMethod, type ParamsOf } from './messages.js';

/** Upper bounds that keep one request from asking for absurd amounts of work or memory. */
export const LIMITS = {
  rowsPerRequest: 5000,
  pathLength: 4096,
  filterLength: 10_000,
  prefixLength: 200,
  completionLimit: 500,
  framesPerExport: 10_000_000,
  streamsPerDiagram: 1000,
  arrowsPerDiagram: 100_000,
  transactionLimit: 1_000_000,
  interfaceNameLength: 256,
  snaplenMin: 64,
  snaplenMax: 262144,
} as const;

class Checker {
  constructor(private readonly method: string, private readonly params: Record<string, unknown>) {}

  fail(key: string, problem: string): never {
    throw new ApiError('bad-request', `${this.method}: "${key}" ${problem}`);
  }

  private has(key: string): boolean {
    return this.params[key] !== undefined && this.params[key] !== null;
  }

  int(key: string, min: number, max: number): number {
    const v = this.params[key];
    if (typeof v !== 'number' || !Number.isInteger(v)) this.fail(key, `must be an integer (got ${describe(v)})`);
    if (v < min || v > max) this.fail(key, `must be between ${min} and ${max} (got ${v})`);
    return v;
  }

  optInt(key: string, min: number, max: number): number | undefined {
    return this.has(key) ? this.int(key, min, max) : undefined;
  }

  str(key: string, maxLength: number, allowEmpty = true): string {
    const v = this.params[key];
    if (typeof v !== 'string') this.fail(key, `must be a string (got ${describe(v)})`);
    if (v.length > maxLength) this.fail(key, `is too long (${v.length} characters, at most ${maxLength})`);
    if (!allowEmpty && v.length === 0) this.fail(key, 'must not be empty');
    if (v.includes('\0')) this.fail(key, 'must not contain NUL characters');
    return v;
  }

  optStr(key: string, maxLength: number, allowEmpty = true): string | undefined {
    return this.has(key) ? this.str(key, maxLength, allowEmpty) : undefined;
  }

  bool(key: string): boolean | undefined {
    if (!this.has(key)) return undefined;
    const v = this.params[key];
    if (typeof v !== 'boolean') this.fail(key, `must be true or false (got ${describe(v)})`);
    return v;
  }

  oneOf<T extends string>(key: string, values: readonly T[]): T {
    const v = this.params[key];
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
      this.fail(key, `must be one of ${values.map((x) => `"${x}"`).join(', ')} (got ${describe(v)})`);
    }
    return v as T;
  }

  optOneOf<T extends string>(key: string, values: readonly T[]): T | undefined {
    return this.has(key) ? this.oneOf(key, values) : undefined;
  }

  intArray(key: string, min: number, max: number, maxItems: number): number[] | undefined {
    if (!this.has(key)) return undefined;
    const v = this.params[key];
    if (!Array.isArray(v)) this.fail(key, `must be an array of integers (got ${describe(v)})`);
    if (v.length > maxItems) this.fail(key, `has too many entries (${v.length}, at most ${maxItems})`);
    for (const x of v) {
      if (typeof x !== 'number' || !Number.isInteger(x) || x < min || x > max) {
        this.fail(key, `must contain integers between ${min} and ${max} (found ${describe(x)})`);
      }
    }
    return v.slice() as number[];
  }

  path(key: string): string {
    const p = this.str(key, LIMITS.pathLength, false);
    return p;
  }

  optPath(key: string): string | undefined {
    return this.has(key) ? this.path(key) : undefined;
  }
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return v.length > 40 ? `a string of ${v.length} characters` : JSON.stringify(v);
  if (typeof v === 'number') return String(v);
  return `a ${typeof v}`;
}

type Validator<M extends EngineMethod> = (c: Checker) => ParamsOf<M>;

const MAX_FRAME = 2 ** 32;
const FORMATS = ['pcap', 'pcapng'] as const;
const KINDS = ['tcp', 'udp', 'ip'] as const;

const none = (): Record<string, never> => ({});

const VALIDATORS: { [M in EngineMethod]: Validator<M> } = {
  appInfo: none,
  openFile: (c) => {
    const path = c.optPath('path');
    return path === undefined ? {} : { path };
  },
  close: (c) => {
    const discard = c.bool('discard');
    return discard === undefined ? {} : { discard };
  },
  cancelLoad: none,
  getRows: (c) => ({ start: c.int('start', 0, MAX_FRAME), count: c.int('count', 0, LIMITS.rowsPerRequest) }),
  getPacket: (c) => ({ number: c.int('number', 1, MAX_FRAME) }),
  locatePacket: (c) => ({ number: c.int('number', 1, MAX_FRAME) }),
  applyFilter: (c) => ({ expression: c.str('expression', LIMITS.filterLength) }),
  validateFilter: (c) => ({ expression: c.str('expression', LIMITS.filterLength) }),
  completeField: (c) => {
    const prefix = c.str('prefix', LIMITS.prefixLength);
    const limit = c.optInt('limit', 1, LIMITS.completionLimit);
    return limit === undefined ? { prefix } : { prefix, limit };
  },
  getConversations: (c) => ({ kind: c.oneOf('kind', KINDS) }),
  getEndpoints: (c) => ({ kind: c.oneOf('kind', KINDS) }),
  getStats: (c) => {
    const transactionLimit = c.optInt('transactionLimit', 0, LIMITS.transactionLimit);
    return transactionLimit === undefined ? {} : { transactionLimit };
  },
  followStream: (c) => ({ protocol: c.oneOf('protocol', ['tcp', 'udp'] as const), stream: c.int('stream', 0, MAX_FRAME) }),
  getSequence: (c) => {
    const out: ParamsOf<'getSequence'> = {};
    const streams = c.intArray('streams', 0, MAX_FRAME, LIMITS.streamsPerDiagram);
    const protocol = c.optOneOf('protocol', ['tcp', 'udp'] as const);
    const filter = c.optStr('filter', LIMITS.filterLength);
    const limit = c.optInt('limit', 1, LIMITS.arrowsPerDiagram);
    if (streams === undefined && filter === undefined) c.fail('streams', 'or "filter" must be given');
    if (streams !== undefined) out.streams = streams;
    if (protocol !== undefined) out.protocol = protocol;
    if (filter !== undefined) out.filter = filter;
    if (limit !== undefined) out.limit = limit;
    return out;
  },
  exportPackets: (c) => {
    const scope = c.oneOf('scope', ['all', 'displayed', 'selected'] as const);
    const out: ParamsOf<'exportPackets'> = { format: c.oneOf('format', FORMATS), scope };
    const frames = c.intArray('frames', 1, MAX_FRAME, LIMITS.framesPerExport);
    if (scope === 'selected' && (!frames || frames.length === 0)) c.fail('frames', 'must list the selected frames when scope is "selected"');
    if (frames !== undefined) out.frames = frames;
    const path = c.optPath('path');
    if (path !== undefined) out.path = path;
    return out;
  },
  listInterfaces: none,
  startCapture: (c) => {
    const name = c.str('interface', LIMITS.interfaceNameLength, false);
    if (!/^[\w.:@+-]+$/.test(name)) c.fail('interface', 'is not a valid interface name');
    const out: ParamsOf<'startCapture'> = { interface: name };
    const captureFilter = c.optStr('captureFilter', LIMITS.filterLength);
    const snaplen = c.optInt('snaplen', LIMITS.snaplenMin, LIMITS.snaplenMax);
    const promiscuous = c.bool('promiscuous');
    if (captureFilter !== undefined) out.captureFilter = captureFilter;
    if (snaplen !== undefined) out.snaplen = snaplen;
    if (promiscuous !== undefined) out.promiscuous = promiscuous;
    return out;
  },
  stopCapture: none,
  saveCapture: (c) => {
    const out: ParamsOf<'saveCapture'> = { format: c.oneOf('format', FORMATS) };
    const path = c.optPath('path');
    if (path !== undefined) out.path = path;
    return out;
  },
  discardCapture: none,
  listRecent: none,
  recoverCapture: (c) => ({ path: c.path('path') }),
  discardRecovered: (c) => ({ path: c.path('path') }),
};

/**
 * Checks a request from an untrusted sender. Returns the method and clean parameters, or
 * throws ApiError('bad-request').
 */
export function validateRequest<M extends EngineMethod>(method: M, params: unknown): ParamsOf<M>;
export function validateRequest(method: unknown, params: unknown): ParamsOf<EngineMethod>;
export function validateRequest(method: unknown, params: unknown): unknown {
  if (!isEngineMethod(method)) {
    throw new ApiError('bad-request', `unknown method ${typeof method === 'string' ? JSON.stringify(method.slice(0, 60)) : describe(method)}`);
  }
  if (params === undefined || params === null) params = {};
  if (typeof params !== 'object' || Array.isArray(params)) {
    throw new ApiError('bad-request', `${method}: parameters must be an object (got ${describe(params)})`);
  }
  const proto = Object.getPrototypeOf(params);
  if (proto !== Object.prototype && proto !== null) {
    throw new ApiError('bad-request', `${method}: parameters must be a plain object`);
  }
  const validator = VALIDATORS[method] as (c: Checker) => unknown;
  return validator(new Checker(method, params as Record<string, unknown>));
}
