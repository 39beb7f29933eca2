import { describe, expect, it } from 'vitest';
import { AddResult, FragmentHead } from '../../../src/analysis/reassembly/fragments.js';
import { ACK, PSH, SYN, bytes, tcpFrame } from './segments.js';
import { decodeFrames } from './decode.js';

describe('fragment list (Wireshark reassemble.c semantics)', () => {
  it('completes when the bytes up to the last fragment are contiguous, in any arrival order', () => {
    const h = new FragmentHead();
    expect(h.add(3, 10, 5, false, bytes('KLMNO'))).toBe(AddResult.Incomplete);
    expect(h.add(4, 0, 6, true, bytes('ABCDEF'))).toBe(AddResult.Incomplete);
    expect(h.add(5, 6, 4, true, bytes('GHIJ'))).toBe(AddResult.Complete);
    expect(h.reassembledIn).toBe(5);
    expect(new TextDecoder().decode(h.assemble()!)).toBe('ABCDEFGHIJKLMNO');
  });

  it('keeps the first copy where fragments overlap', () => {
    const h = new FragmentHead();
    h.add(1, 0, 4, true, bytes('abcd'));
    h.add(2, 2, 4, false, bytes('XYef'));
    expect(new TextDecoder().decode(h.assemble()!)).toBe('abcdef');
  });

  it('reopens a completed PDU only when partial reassembly was asked for', () => {
    const h = new FragmentHead();
    expect(h.add(1, 0, 3, false, bytes('abc'))).toBe(AddResult.Complete);
    expect(h.add(2, 3, 3, false, bytes('def'))).toBe(AddResult.Incomplete); // past the end, not partial
    h.setPartial();
    expect(h.add(2, 3, 3, false, bytes('def'))).toBe(AddResult.Complete);
    expect(h.reassembledIn).toBe(2);
    expect(h.assemble()!.length).toBe(6);
  });

  it('does not add a fragment the capture cut short', () => {
    const h = new FragmentHead();
    expect(h.add(1, 0, 10, false, bytes('abc'))).toBe(AddResult.Incomplete);
    expect(h.fragments).toHaveLength(0);
  });

  it('answers a second look at the same fragment from what was recorded', () => {
    const h = new FragmentHead();
    h.add(1, 0, 2, true, bytes('ab'));
    h.add(2, 2, 2, false, bytes('cd'));
    expect(h.lookup(1, 0)).toBe(AddResult.Complete);
    expect(h.lookup(3, 0)).toBe(AddResult.Incomplete);
  });
});

const C: [string, number] = ['192.0.2.1', 40000];
const S: [string, number] = ['192.0.2.2', 80];
const none = new Uint8Array(0);

/** A request whose headers span three segments, then a response whose body spans two. */
function httpFlow(): Uint8Array[] {
  const pad = 'X-Pad: ' + 'p'.repeat(60) + '\r\n';
  const req = bytes(`GET /split HTTP/1.1\r\nHost: example\r\n${pad}${pad}\r\n`);
  const body = 'b'.repeat(100);
  const resp = bytes(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  const r1 = req.subarray(0, 40);
  const r2 = req.subarray(40, 100);
  const r3 = req.subarray(100);
  const s1 = resp.subarray(0, 90);
  const s2 = resp.subarray(90);
  const cs = 1001;
  const ss = 5001;
  return [
    tcpFrame(C, S, 1000, 0, SYN, none),
    tcpFrame(S, C, 5000, 1001, SYN | ACK, none),
    tcpFrame(C, S, cs, ss, ACK, none),
    tcpFrame(C, S, cs, ss, PSH | ACK, r1),
    tcpFrame(C, S, cs + 40, ss, PSH | ACK, r2),
    tcpFrame(C, S, cs + 100, ss, PSH | ACK, r3),
    tcpFrame(S, C, ss, cs + req.length, ACK, s1),
    tcpFrame(S, C, ss, cs + req.length, ACK, s1), // a retransmission of the first response segment
    tcpFrame(S, C, ss + 90, cs + req.length, PSH | ACK, s2),
  ];
}

const FIELDS = ['tcp.reassembled_in', 'tcp.segment', 'tcp.segment.count', 'tcp.reassembled.length', 'http.request.method', 'http.response.code'];

describe('desegmentation of HTTP over TCP (one pass)', () => {
  const rows = decodeFrames(httpFlow(), FIELDS);

  it('shows segments that wait for the rest of a message as TCP with Wireshark\'s note', () => {
    for (const f of [4, 5]) {
      expect(rows[f - 1].protocol).toBe('TCP');
      expect(rows[f - 1].info).toBe('GET /split HTTP/1.1  [TCP segment of a reassembled PDU]');
      expect(rows[f - 1].protocols).toEqual(['eth', 'ethertype', 'ip', 'tcp']);
      expect(rows[f - 1].fields['http.request.method']).toBe('');
    }
    expect(rows[6].info).toBe('HTTP/1.1 200 OK  [TCP segment of a reassembled PDU]');
  });

  it('dissects the whole message on the segment that completes it, listing its segments', () => {
    expect(rows[5].protocol).toBe('HTTP');
    expect(rows[5].fields['http.request.method']).toBe('GET');
    expect(rows[5].fields['tcp.segment']).toBe('4,5,6');
    expect(rows[5].fields['tcp.segment.count']).toBe('3');
    expect(rows[8].fields['http.response.code']).toBe('200');
    expect(rows[8].fields['tcp.segment']).toBe('7,9');
    const respLen = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n'.length + 100;
    expect(rows[8].fields['tcp.reassembled.length']).toBe(String(respLen));
  });

  it('does not use a retransmitted copy', () => {
    expect(rows[7].info).toMatch(/^\[TCP Retransmission\] 80 → 40000 \[ACK\]/);
    expect(rows[7].info).not.toContain('reassembled PDU');
    expect(rows[7].fields['tcp.reassembled_in']).toBe('');
  });

  it('cannot point back to the completing frame in one pass', () => {
    expect(rows[3].fields['tcp.reassembled_in']).toBe('');
  });
});

describe('desegmentation of HTTP over TCP (two passes, tshark -2)', () => {
  const rows = decodeFrames(httpFlow(), FIELDS, 2);

  it('points every earlier segment at the frame that reassembled its message', () => {
    expect(rows[3].fields['tcp.reassembled_in']).toBe('6');
    expect(rows[4].fields['tcp.reassembled_in']).toBe('6');
    expect(rows[6].fields['tcp.reassembled_in']).toBe('9');
  });

  it('does not hand the first segment to HTTP again (Info is TCP\'s own)', () => {
    expect(rows[3].info).toBe('40000 → 80 [PSH, ACK] Seq=1 Ack=1 Win=65535 Len=40 [TCP segment of a reassembled PDU]');
    expect(rows[5].fields['http.request.method']).toBe('GET');
    expect(rows[8].fields['tcp.segment']).toBe('7,9');
  });
});
