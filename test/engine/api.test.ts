/**
 * The API contract (src/api): boundary validation of every message, the wire codec, the typed
 * client over a transport, and that the contract stays browser-safe (the renderer imports it).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64, decodeMessage, encodeMessage } from '../../src/api/codec.js';
import { ApiError, toErrorInfo } from '../../src/api/errors.js';
import { ANALYSIS_FLAG_FIELDS, AnalysisFlag, analysisFlagLabels } from '../../src/api/flags.js';
import { formatRowTime, formatSecondsNs } from '../../src/api/format.js';
import { ENGINE_EVENTS, ENGINE_METHODS, type AnyEngineEvent, type EngineMethod } from '../../src/api/messages.js';
import { createEngineClient, type EngineTransport } from '../../src/api/transport.js';
import { IpcTransport, type WirescopeBridge } from '../../src/api/transport-ipc.js';
import { LIMITS, validateRequest } from '../../src/api/validate.js';
import type { PacketRow } from '../../src/api/types.js';
import { lookupField } from '../../src/decode/index.js';
import '../../src/analysis/index.js';
import { repoRoot } from '../helpers/fixtures.js';

/** One valid parameter object per method. */
const VALID: Record<EngineMethod, Record<string, unknown>> = {
  appInfo: {},
  openFile: { path: '/tmp/x.pcap' },
  close: { discard: true },
  cancelLoad: {},
  getRows: { start: 0, count: 100 },
  getPacket: { number: 1 },
  locatePacket: { number: 5 },
  applyFilter: { expression: 'tcp' },
  validateFilter: { expression: 'tcp.port == 80' },
  completeField: { prefix: 'tcp.', limit: 10 },
  getConversations: { kind: 'tcp' },
  getEndpoints: { kind: 'ip' },
  getStats: { transactionLimit: 10 },
  followStream: { protocol: 'tcp', stream: 0 },
  getSequence: { streams: [0, 1], protocol: 'tcp', limit: 100 },
  exportPackets: { format: 'pcapng', scope: 'selected', frames: [1, 2] },
  listInterfaces: {},
  startCapture: { interface: 'lo', captureFilter: 'udp', snaplen: 1500, promiscuous: false },
  stopCapture: {},
  saveCapture: { format: 'pcap', path: '/tmp/y.pcap' },
  discardCapture: {},
  listRecent: {},
  recoverCapture: { path: '/tmp/wirescope-captures/live-lo.pcapng' },
  discardRecovered: { path: '/tmp/wirescope-captures/live-lo.pcapng' },
};

/** Bad parameters per method, each with the word the error must name. */
const INVALID: [EngineMethod, unknown, RegExp][] = [
  ['openFile', { path: 42 }, /"path" must be a string/],
  ['openFile', { path: '' }, /"path" must not be empty/],
  ['openFile', { path: 'a\0b' }, /NUL/],
  ['openFile', { path: 'x'.repeat(LIMITS.pathLength + 1) }, /too long/],
  ['close', { discard: 'yes' }, /"discard" must be true or false/],
  ['getRows', { start: -1, count: 10 }, /"start" must be between/],
  ['getRows', { start: 0, count: LIMITS.rowsPerRequest + 1 }, /"count" must be between/],
  ['getRows', { start: 1.5, count: 10 }, /"start" must be an integer/],
  ['getRows', { start: 0 }, /"count" must be an integer \(got nothing\)/],
  ['getPacket', { number: 0 }, /"number" must be between 1/],
  ['getPacket', { number: '1' }, /"number" must be an integer/],
  ['applyFilter', {}, /"expression" must be a string/],
  ['applyFilter', { expression: 'x'.repeat(LIMITS.filterLength + 1) }, /too long/],
  ['completeField', { prefix: 'tcp', limit: 0 }, /"limit" must be between/],
  ['getConversations', { kind: 'sctp' }, /"kind" must be one of "tcp", "udp", "ip"/],
  ['followStream', { protocol: 'tcp', stream: -2 }, /"stream"/],
  ['getSequence', {}, /"streams" or "filter" must be given/],
  ['getSequence', { streams: [1, 'a'] }, /"streams" must contain integers/],
  ['getSequence', { streams: 'all' }, /"streams" must be an array/],
  ['exportPackets', { format: 'zip', scope: 'all' }, /"format" must be one of/],
  ['exportPackets', { format: 'pcap', scope: 'selected' }, /"frames" must list/],
  ['exportPackets', { format: 'pcap', scope: 'selected', frames: [0] }, /"frames" must contain integers between 1/],
  ['startCapture', { interface: 'eth0; rm -rf /' }, /not a valid interface name/],
  ['startCapture', { interface: '' }, /must not be empty/],
  ['startCapture', { interface: 'lo', snaplen: 10 }, /"snaplen" must be between/],
  ['startCapture', { interface: 'lo', promiscuous: 1 }, /"promiscuous" must be true or false/],
  ['saveCapture', { format: 'pcapng', path: 7 }, /"path" must be a string/],
  ['recoverCapture', {}, /"path" must be a string/],
];

describe('boundary validation', () => {
  it('every method has a validator that accepts good parameters', () => {
    for (const m of ENGINE_METHODS) {
      expect(() => validateRequest(m, VALID[m]), m).not.toThrow();
    }
  });

  it('drops unknown keys (nothing extra reaches the engine)', () => {
    expect(validateRequest('getRows', { start: 1, count: 2, evil: true, __proto__x: 1 })).toEqual({ start: 1, count: 2 });
    expect(validateRequest('appInfo', { anything: 1 })).toEqual({});
    expect(validateRequest('openFile', { path: '/a', other: 'b' })).toEqual({ path: '/a' });
    expect(validateRequest('openFile', undefined)).toEqual({});
  });

  for (const [method, params, message] of INVALID) {
    it(`${method} rejects ${JSON.stringify(params)?.slice(0, 60)}`, () => {
      let err: unknown;
      try {
        validateRequest(method, params);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).code).toBe('bad-request');
      expect((err as ApiError).message).toMatch(new RegExp(`^${method}: `));
      expect((err as ApiError).message).toMatch(message);
    });
  }

  it('rejects unknown methods and non-object parameters', () => {
    expect(() => validateRequest('deleteEverything', {})).toThrow(/unknown method "deleteEverything"/);
    expect(() => validateRequest(42, {})).toThrow(/unknown method/);
    expect(() => validateRequest('constructor', {})).toThrow(/unknown method/);
    expect(() => validateRequest('getRows', [0, 10])).toThrow(/parameters must be an object/);
    expect(() => validateRequest('getRows', 'start=0')).toThrow(/parameters must be an object/);
    expect(() => validateRequest('getRows', new Date())).toThrow(/plain object/);
  });
});

describe('wire codec', () => {
  it('round-trips bytes of every length through base64', () => {
    for (let n = 0; n < 70; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255);
      const b64 = bytesToBase64(bytes);
      expect(b64).toBe(Buffer.from(bytes).toString('base64'));
      expect(base64ToBytes(b64)).toEqual(bytes);
    }
    expect(() => base64ToBytes('ab$d')).toThrow(/invalid base64/);
  });

  it('carries Uint8Array values inside messages', () => {
    const msg = { id: 3, result: { bytes: Uint8Array.of(0, 1, 255), rows: [{ data: Uint8Array.of(9) }], text: 'x' } };
    const back = decodeMessage(encodeMessage(msg)) as typeof msg;
    expect(back.result.bytes).toBeInstanceOf(Uint8Array);
    expect(back).toEqual(msg);
    // An object that merely has a $b64 key next to others stays an object.
    expect(decodeMessage('{"$b64":"AA==","x":1}')).toEqual({ $b64: 'AA==', x: 1 });
  });
});

describe('errors', () => {
  it('keeps API error codes and hides nothing but internals', () => {
    expect(toErrorInfo(new ApiError('no-capture', 'open a file first'))).toEqual({ code: 'no-capture', message: 'open a file first' });
    expect(toErrorInfo(new TypeError('boom'))).toEqual({ code: 'internal', message: 'internal error: boom' });
    expect(toErrorInfo({ code: 'not-a-code', message: 'x' }).code).toBe('internal');
  });
});

describe('flags and formatting', () => {
  it('analysis flag bits are Wireshark\'s TCP_A_* values and name existing fields', async () => {
    const wireshark = await import('../../src/analysis/tcp/flags.js');
    expect(AnalysisFlag.RETRANSMISSION).toBe(wireshark.TCP_A_RETRANSMISSION);
    expect(AnalysisFlag.SPURIOUS_RETRANSMISSION).toBe(wireshark.TCP_A_SPURIOUS_RETRANSMISSION);
    expect(AnalysisFlag.ACKED_UNSEEN).toBe(wireshark.TCP_A_ACK_LOST_PACKET);
    expect(AnalysisFlag.WINDOW_FULL).toBe(wireshark.TCP_A_WINDOW_FULL);
    for (const [bit, field] of ANALYSIS_FLAG_FIELDS) {
      expect(field).toBe(`tcp.analysis.${wireshark.TCP_FLAG_NAMES[bit]}`);
      expect(lookupField(field), field).toBeDefined();
    }
    expect(analysisFlagLabels(AnalysisFlag.RETRANSMISSION | AnalysisFlag.DUPLICATE_ACK | AnalysisFlag.TCP_SYN))
      .toEqual(['TCP Retransmission', 'TCP Dup ACK']);
  });

  it('time columns truncate like tshark', () => {
    expect(formatSecondsNs(1_234_567_891, 6)).toBe('1.234567');
    expect(formatSecondsNs(999, 9)).toBe('0.000000999');
    expect(formatSecondsNs(-2_500_000_000, 3)).toBe('-2.500');
    const row = { relativeNs: 1_500_000_000, deltaNs: 1000, deltaDisplayedNs: 2000, epochSec: 3600 * 13 + 62, epochNsec: 5_000_000 } as PacketRow;
    expect(formatRowTime(row, 'relative', 6)).toBe('1.500000');
    expect(formatRowTime(row, 'delta', 6)).toBe('0.000001');
    expect(formatRowTime(row, 'delta-displayed', 6)).toBe('0.000002');
    expect(formatRowTime(row, 'absolute-utc', 3)).toBe('13:01:02.005');
    expect(formatRowTime(row, 'epoch', 2)).toBe('46862.00');
  });
});

describe('typed client over a transport', () => {
  it('one function per message, events by name', async () => {
    const sent: [string, unknown][] = [];
    let listener: ((e: AnyEngineEvent) => void) | null = null;
    const transport: EngineTransport = {
      request: async (method, params) => {
        sent.push([method, params]);
        return { echoed: method } as never;
      },
      subscribe: (l) => {
        listener = l;
        return () => (listener = null);
      },
      openLocalFile: async () => ({}) as never,
      dispose: () => {},
    };
    const client = createEngineClient(transport);
    for (const m of ENGINE_METHODS) expect(typeof client[m], m).toBe('function');
    await client.getRows({ start: 5, count: 10 });
    await client.appInfo({});
    expect(sent).toEqual([['getRows', { start: 5, count: 10 }], ['appInfo', {}]]);
    const seen: number[] = [];
    const off = client.on('packets', (p) => seen.push(p.total));
    listener!({ event: 'packets', data: { captureId: 1, total: 7, displayed: 7 } });
    listener!({ event: 'progress', data: { captureId: 1, phase: 'load', done: 1, total: 2, packets: 1, finished: false, elapsedMs: 1 } });
    expect(seen).toEqual([7]);
    off();
    expect(ENGINE_EVENTS).toContain('captureState');
  });

  it('the IPC transport unwraps reply envelopes into results and ApiErrors', async () => {
    const bridge = {
      getRows: async () => ({ ok: true, result: { rows: [] } }),
      getPacket: async () => ({ ok: false, error: { code: 'not-found', message: 'there is no packet 9' } }),
      onEvent: () => () => {},
      pathForFile: () => '',
    } as unknown as WirescopeBridge;
    const t = new IpcTransport(bridge);
    await expect(t.request('getRows', { start: 0, count: 1 })).resolves.toEqual({ rows: [] });
    await expect(t.request('getPacket', { number: 9 })).rejects.toMatchObject({ code: 'not-found', message: 'there is no packet 9' });
    await expect(t.openLocalFile({ name: 'x.pcap', size: 1 })).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('browser safety of the contract', () => {
  it('src/api imports nothing from Node, Electron or the engine', () => {
    const dir = join(repoRoot, 'src', 'api');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      const text = readFileSync(join(dir, f), 'utf8');
      const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      // Value imports only from the contract itself; types may come from isomorphic modules.
      const valueImports = [...text.matchAll(/^import (?!type )[^;]*from '([^']+)'/gm)].map((m) => m[1]);
      for (const spec of valueImports) expect(spec.startsWith('./'), `${f} imports ${spec}`).toBe(true);
      for (const spec of imports) expect(/^\.\/|^\.\.\/(analysis|decode)\//.test(spec), `${f} imports ${spec}`).toBe(true);
      const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      expect(code, f).not.toMatch(/\bBuffer\b|\bprocess\.|require\(|\bwindow\.|\bdocument\./);
    }
  });
});
