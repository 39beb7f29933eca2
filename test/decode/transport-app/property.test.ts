/**
 * Property tests: whatever the bytes, decoding never throws, never loops, and every node stays
 * inside the buffer it points into. Inputs: seeded random payloads on the TCP/UDP ports of the
 * decoders under test, random TCP headers, and seeded mutations of the recorded fixture packets
 * (bytes flipped, lengths cut), with and without the analysis hooks.
 */
import { describe, expect, it } from 'vitest';
import { readCaptureFileSync } from '../../../src/capture/read-node.js';
import { createAnalyzer } from '../../../src/analysis/index.js';
import { decodePacket, DecodeSession, TreeSink } from '../../../src/decode/index.js';
import { fixtureFiles, fixturePath } from '../../helpers/fixtures.js';
import {
  decode, dnsMessage, dnsName, expectSound, frameInfo, prng, tcpFrame, tcpSegment, udpDatagram, udpFrame,
} from './helpers.js';

function randomBytes(rnd: () => number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(rnd() * 256);
  return b;
}

/** Random text-ish bytes: more likely to hit the HTTP and DNS parsers' interesting paths. */
function randomText(rnd: () => number, n: number): Uint8Array {
  const alphabet = 'GET HTTP/1.1\r\n: 0123456789abcdef;chunked\r\nContent-Length: Transfer-Encoding:\r\n\r\n';
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = rnd() < 0.9 ? alphabet.charCodeAt(Math.floor(rnd() * alphabet.length)) : Math.floor(rnd() * 256);
  return b;
}

describe('never throws, nodes stay in their bytes', () => {
  it('random payloads to DNS, mDNS, LLMNR, HTTP and the heuristics', () => {
    const rnd = prng(1);
    for (let i = 0; i < 600; i++) {
      const n = Math.floor(rnd() * 300);
      const payload = i % 2 ? randomBytes(rnd, n) : randomText(rnd, n);
      const port = [53, 5353, 5355, 80, 8080, 8000, 4444][i % 7];
      expectSound(decode(udpFrame(udpDatagram(40000, port, payload))));
      expectSound(decode(tcpFrame(tcpSegment(40000, port, payload))));
    }
  });

  it('random DNS messages with a valid header and random sections', () => {
    const rnd = prng(2);
    for (let i = 0; i < 600; i++) {
      const head = dnsMessage({ id: i, flags: Math.floor(rnd() * 65536), counts: [1 + Math.floor(rnd() * 4), Math.floor(rnd() * 8), Math.floor(rnd() * 3), Math.floor(rnd() * 3)] });
      const body = new Uint8Array(Math.floor(rnd() * 200));
      for (let k = 0; k < body.length; k++) {
        // Lots of small numbers and pointers (0xc0..) so names and records get parsed deep.
        const r = rnd();
        body[k] = r < 0.4 ? Math.floor(rnd() * 12) : r < 0.55 ? 0xc0 : r < 0.7 ? Math.floor(rnd() * 64) : Math.floor(rnd() * 256);
      }
      const msg = new Uint8Array(head.length + body.length);
      msg.set(head);
      msg.set(body, head.length);
      expectSound(decode(udpFrame(udpDatagram(53, 40000, msg))));
    }
  });

  it('random TCP headers (data offset, flags, options) with random IP lengths', () => {
    const rnd = prng(3);
    for (let i = 0; i < 300; i++) {
      const seg = randomBytes(rnd, 20 + Math.floor(rnd() * 60));
      const total = rnd() < 0.5 ? undefined : 20 + Math.floor(rnd() * 100);
      expectSound(decode(tcpFrame(seg, { totalLength: total })));
    }
  });

  it('a well-formed query survives every single-byte change', () => {
    const msg = dnsMessage({ id: 1, flags: 0x0100, questions: [{ name: dnsName('www', 'example', 'com'), type: 1 }] });
    const frame = udpFrame(udpDatagram(40000, 53, msg));
    for (let at = 34; at < frame.length; at++) {
      for (const v of [0x00, 0x3f, 0x40, 0x80, 0xc0, 0xff]) {
        const f = frame.slice();
        f[at] = v;
        expectSound(decode(f));
      }
    }
  });
});

describe('mutations of the recorded fixtures', () => {
  const fixtures = fixtureFiles();

  it('has fixtures to mutate', () => expect(fixtures.length).toBeGreaterThan(0));

  for (const fixture of fixtures) {
    it(`${fixture}: flipped bytes and cut lengths, with the analysis hooks`, () => {
      const rnd = prng(fixture.length * 7919);
      const records: { data: Uint8Array; linkType: number }[] = [];
      readCaptureFileSync(fixturePath(fixture), (rec) => {
        // The first packets of each file carry every kind it has; the bulk download's tail adds time, not cases.
        if (records.length < 500) records.push({ data: rec.data.slice(), linkType: rec.linkType });
      });
      const session = new DecodeSession(createAnalyzer().hooks);
      let n = 0;
      const t0 = performance.now();
      for (let round = 0; round < 2; round++) {
        for (const rec of records) {
          const f = rec.data.slice();
          const flips = 1 + Math.floor(rnd() * 4);
          for (let k = 0; k < flips; k++) f[Math.floor(rnd() * f.length)] = Math.floor(rnd() * 256);
          const cut = rnd() < 0.3 ? f.subarray(0, Math.floor(rnd() * f.length)) : f;
          const tree = new TreeSink();
          const info = { ...frameInfo(cut, f.length, ++n), linkType: rec.linkType };
          const ctx = decodePacket(info, cut, session, tree);
          expectSound({ ctx, tree, frame: cut });
        }
      }
      expect(performance.now() - t0).toBeLessThan(60_000);
    });
  }
});
