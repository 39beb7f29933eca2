/**
 * What compiled filters match, on hand-made packets (fields of every type from helpers.ts):
 * Wireshark 4's rules for several occurrences, every operator and every kind of value.
 */
import { describe, expect, it } from 'vitest';
import { hex, ip, matches, packet, T } from './helpers.js';

describe('logical operators and existence', () => {
  const p = packet([[T.port, [80]], [T.name, ['www.example.com']]]);
  it('bare fields and protocols test presence', () => {
    expect(matches('wstest.port', p)).toBe(true);
    expect(matches('wstest.addr', p)).toBe(false);
    expect(matches('wstest', packet([[T.proto, [{ value: null, offset: 0, length: 4 }]]]))).toBe(true);
    expect(matches('wstest', p)).toBe(false);
  });
  it('and, or, not, xor in both spellings, with precedence not > and > xor > or', () => {
    expect(matches('wstest.port && wstest.name', p)).toBe(true);
    expect(matches('wstest.port and wstest.addr', p)).toBe(false);
    expect(matches('wstest.addr || wstest.name', p)).toBe(true);
    expect(matches('wstest.addr or wstest.mac', p)).toBe(false);
    expect(matches('!wstest.addr', p)).toBe(true);
    expect(matches('not wstest.port', p)).toBe(false);
    expect(matches('wstest.port xor wstest.name', p)).toBe(false);
    expect(matches('wstest.port ^^ wstest.addr', p)).toBe(true);
    // (port and addr) or name → true; port and (addr or name) would also be true, so check one
    // that differs: not binds tighter than and.
    expect(matches('not wstest.addr and wstest.port', p)).toBe(true);
    expect(matches('not (wstest.port and wstest.addr)', p)).toBe(true);
    expect(matches('wstest.addr and wstest.port or wstest.name', p)).toBe(true);
    expect(matches('wstest.addr and (wstest.port or wstest.name)', p)).toBe(false);
    expect(matches('wstest.port xor wstest.name or wstest.port', p)).toBe(true);
  });
  it('the empty filter matches everything', () => {
    expect(matches('', p)).toBe(true);
    expect(matches('   ', p)).toBe(true);
  });
});

describe('several occurrences (Wireshark 4 semantics)', () => {
  // Like ip.addr: source and destination.
  const p = packet([[T.addr, [ip('192.0.2.1'), ip('198.51.100.2')]]]);
  const none = packet([]);
  it('== is true when any value is equal', () => {
    expect(matches('wstest.addr == 192.0.2.1', p)).toBe(true);
    expect(matches('wstest.addr eq 198.51.100.2', p)).toBe(true);
    expect(matches('wstest.addr any_eq 10.0.0.1', p)).toBe(false);
  });
  it('!= (ne, all_ne) is true when every value differs: !(a == b), but needs the field', () => {
    expect(matches('wstest.addr != 192.0.2.1', p)).toBe(false);
    expect(matches('wstest.addr ne 10.0.0.1', p)).toBe(true);
    expect(matches('wstest.addr all_ne 10.0.0.1', p)).toBe(true);
    expect(matches('wstest.addr != 10.0.0.1', none)).toBe(false);
    expect(matches('!(wstest.addr == 10.0.0.1)', none)).toBe(true);
  });
  it('=== (all_eq) needs every value equal; !== ~= (any_ne) one value different', () => {
    expect(matches('wstest.addr === 192.0.2.1', p)).toBe(false);
    expect(matches('wstest.addr all_eq 192.0.2.1', packet([[T.addr, [ip('192.0.2.1'), ip('192.0.2.1')]]]))).toBe(true);
    expect(matches('wstest.addr === 192.0.2.1', none)).toBe(false);
    expect(matches('wstest.addr !== 192.0.2.1', p)).toBe(true);
    expect(matches('wstest.addr ~= 192.0.2.1', packet([[T.addr, [ip('192.0.2.1')]]]))).toBe(false);
    expect(matches('wstest.addr any_ne 192.0.2.1', p)).toBe(true);
  });
  it('any/all quantifiers override the operator', () => {
    const ports = packet([[T.port, [80, 50000]]]);
    expect(matches('wstest.port > 1024', ports)).toBe(true);
    expect(matches('all wstest.port > 1024', ports)).toBe(false);
    expect(matches('all wstest.port > 10', ports)).toBe(true);
    expect(matches('any wstest.port != 80', ports)).toBe(true);
    expect(matches('all wstest.port != 80', ports)).toBe(false);
  });
  it('field against field compares every pair', () => {
    const q = packet([[T.port, [80, 443]], [T.srcport, [443]]]);
    expect(matches('wstest.port == wstest.srcport', q)).toBe(true);
    expect(matches('wstest.port != wstest.srcport', q)).toBe(false);
    expect(matches('wstest.port < wstest.srcport', q)).toBe(true);
    expect(matches('all wstest.port <= wstest.srcport', q)).toBe(true);
    expect(matches('wstest.port == wstest.count', q)).toBe(false);
  });
});

describe('integers', () => {
  const p = packet([[T.port, [74]], [T.delta, [-3]], [T.kind, [6]]]);
  it('decimal, hex, octal, binary and character constants', () => {
    for (const lit of ['74', '0x4a', '0X4A', '0112', '0b1001010', "'J'"]) {
      expect(matches(`wstest.port == ${lit}`, p), lit).toBe(true);
    }
    expect(matches('wstest.port > 0x49 && wstest.port < 0113', p)).toBe(true);
    expect(matches("wstest.port > 'A'", p)).toBe(true);
  });
  it('all comparison operators, word forms too', () => {
    const cases: [string, boolean][] = [
      ['== 74', true], ['!= 74', false], ['> 73', true], ['> 74', false], ['>= 74', true], ['< 75', true],
      ['< 74', false], ['<= 74', true], ['eq 74', true], ['ne 75', true], ['gt 74', false], ['ge 74', true],
      ['lt 74', false], ['le 73', false],
    ];
    for (const [rest, want] of cases) expect(matches(`wstest.port ${rest}`, p), rest).toBe(want);
  });
  it('negative numbers: signed fields compare, unsigned fields are never equal, above or below them', () => {
    expect(matches('wstest.delta == -3', p)).toBe(true);
    expect(matches('wstest.delta < -2', p)).toBe(true);
    expect(matches('wstest.port > -1', p)).toBe(false);
    expect(matches('wstest.port < -1', p)).toBe(false);
    expect(matches('wstest.port == -1', p)).toBe(false);
    expect(matches('wstest.port != -1', p)).toBe(true);
  });
  it('value strings name numbers, case-insensitively, quoted or not', () => {
    expect(matches('wstest.kind == TCP', p)).toBe(true);
    expect(matches('wstest.kind == Tcp', p)).toBe(true);
    expect(matches('wstest.kind == reply', packet([[T.kind, [2]]]))).toBe(true);
    expect(matches('wstest.kind == "Reply"', p)).toBe(false);
    expect(matches('wstest.kind in {Request, TCP}', p)).toBe(true);
  });
  it('doubles', () => {
    const q = packet([[T.ratio, [0.75]]]);
    expect(matches('wstest.ratio > 0.5', q)).toBe(true);
    expect(matches('wstest.ratio == 7.5e-1', q)).toBe(true);
    expect(matches('wstest.ratio < 1', q)).toBe(true);
  });
});

describe('booleans', () => {
  const set = packet([[T.flag, [true]], [T.plain, [false]]]);
  it('True/TRUE/False/FALSE, numbers (non-zero is true) and the field\'s own words', () => {
    for (const lit of ['True', 'TRUE', '1', '2', 'Set', 'set', '"Set"']) expect(matches(`wstest.flag == ${lit}`, set), lit).toBe(true);
    for (const lit of ['False', 'FALSE', '0', '"Not set"', '"not set"']) expect(matches(`wstest.flag == ${lit}`, set), lit).toBe(false);
    expect(matches('wstest.plain == true', set)).toBe(false);
    expect(matches('wstest.plain == False', set)).toBe(true);
    expect(matches('wstest.flag > 0', set)).toBe(true);
    expect(matches('wstest.flag != wstest.plain', set)).toBe(true);
  });
  it('a false boolean field is still present', () => {
    expect(matches('wstest.plain', set)).toBe(true);
  });
});

describe('addresses', () => {
  const p = packet([
    [T.addr, [ip('192.0.2.1'), ip('198.51.100.2')]],
    [T.mac, [hex('00005e005301')]],
    [T.addr6, [hex('20010db8000100000000000000000001')]],
  ]);
  it('IPv4 addresses and CIDR subnets', () => {
    expect(matches('wstest.addr == 198.51.100.0/24', p)).toBe(true);
    expect(matches('wstest.addr == 10.0.0.0/8', p)).toBe(false);
    expect(matches('wstest.addr == 0.0.0.0/0', p)).toBe(true);
    expect(matches('wstest.addr == 192.0.2.1/32', p)).toBe(true);
    expect(matches('wstest.addr == 192.0.2.77/24', p)).toBe(true);
    expect(matches('wstest.addr > 198.51.100.1', p)).toBe(true);
    expect(matches('all wstest.addr > 192.0.2.1', p)).toBe(false);
    // Ordering against a subnet compares networks: 198.51.100.2 masked to /24 equals the subnet.
    expect(matches('wstest.addr > 198.51.100.0/24', p)).toBe(false);
    expect(matches('wstest.addr >= 198.51.100.0/24', p)).toBe(true);
  });
  it('addresses above 127.255.255.255 compare as unsigned', () => {
    const q = packet([[T.addr, [ip('200.1.1.1') | 0]]]);
    expect(matches('wstest.addr > 100.0.0.0', q)).toBe(true);
    expect(matches('wstest.addr == 200.1.1.1', q)).toBe(true);
  });
  it('MAC addresses in every written form', () => {
    for (const lit of ['00:00:5e:00:53:01', '00-00-5e-00-53-01', '00.00.5e.00.53.01', '0000.5e00.5301', '00005e005301', '00:00:5E:00:53:01']) {
      expect(matches(`wstest.mac == ${lit}`, p), lit).toBe(true);
    }
    expect(matches('wstest.mac > 00:00:5e:00:53:00', p)).toBe(true);
    expect(matches('wstest.mac contains 5e:00', p)).toBe(true);
  });
  it('IPv6 addresses and prefixes', () => {
    for (const lit of ['2001:db8:1::1', '2001:DB8:1:0:0:0:0:1', '2001:db8:1::/48', '2001:db8::/32', '::/0', '2001:db8:1::1/128']) {
      expect(matches(`wstest.addr6 == ${lit}`, p), lit).toBe(true);
    }
    expect(matches('wstest.addr6 == 2001:db8:2::/48', p)).toBe(false);
    expect(matches('wstest.addr6 > 2001:db8::ffff', p)).toBe(true);
    expect(matches('wstest.addr6 == ::ffff:192.0.2.1', packet([[T.addr6, [hex('00000000000000000000ffffc0000201')]]]))).toBe(true);
  });
});

describe('strings', () => {
  const p = packet([[T.name, ['www.Example.com'], ], [T.data, [hex('474554202f20485454502f312e310d0a')]]]);
  it('equality and ordering by characters', () => {
    expect(matches('wstest.name == "www.Example.com"', p)).toBe(true);
    expect(matches('wstest.name == "www.example.com"', p)).toBe(false);
    expect(matches('wstest.name == www.Example.com', p)).toBe(true);
    expect(matches('wstest.name > "www"', p)).toBe(true);
    expect(matches('wstest.name < "www.F"', p)).toBe(true);
  });
  it('escapes and raw strings', () => {
    expect(matches('wstest.name == "\\x77ww.Example.com"', p)).toBe(true);
    expect(matches('wstest.name == "\\167ww.Example.com"', p)).toBe(true);
    expect(matches('wstest.name == "caf\\u00e9"', packet([[T.name, ['café']]]))).toBe(true);
    expect(matches('wstest.name == "\\U0001F600"', packet([[T.name, ['😀']]]))).toBe(true);
    expect(matches('wstest.name matches r"\\.com$"', p)).toBe(true);
    expect(matches(String.raw`wstest.name == r"www.Example.com"`, p)).toBe(true);
  });
  it('contains is case-sensitive; matches is case-insensitive unless (?-i)', () => {
    expect(matches('wstest.name contains "Example"', p)).toBe(true);
    expect(matches('wstest.name contains "example"', p)).toBe(false);
    expect(matches("wstest.name contains 'E'", p)).toBe(true);
    expect(matches('wstest.name matches "EXAMPLE"', p)).toBe(true);
    expect(matches('wstest.name ~ "^www\\\\.ex"', p)).toBe(true);
    expect(matches('wstest.name matches "(?-i)EXAMPLE"', p)).toBe(false);
    expect(matches('wstest.name matches "(?-i)Example"', p)).toBe(true);
  });
  it('PCRE anchors: $ also before a final newline, \\A and \\z', () => {
    const q = packet([[T.name, ['GET /\n']]]);
    expect(matches('wstest.name matches "/$"', q)).toBe(true);
    expect(matches('wstest.name matches "/\\\\z"', q)).toBe(false);
    expect(matches('wstest.name matches "\\\\AGET"', q)).toBe(true);
    expect(matches('wstest.name matches "(?s)GET.*\\\\z"', q)).toBe(true);
  });
  it('byte strings are compared with "strings" by their bytes', () => {
    expect(matches('wstest.data contains "HTTP/1.1"', p)).toBe(true);
    expect(matches('wstest.data contains 48:54:54:50', p)).toBe(true);
    expect(matches('wstest.data contains 48.54.54.50', p)).toBe(true);
    expect(matches('wstest.data contains 48-54-54-50', p)).toBe(true);
    expect(matches('wstest.data contains 0x0d', p)).toBe(true);
    expect(matches('wstest.data contains "\\r\\n"', p)).toBe(true);
    expect(matches('wstest.data matches "http/1\\\\.1\\r\\n$"', p)).toBe(true);
    expect(matches('wstest.data contains "HTTP/2"', p)).toBe(false);
  });
});

describe('byte strings', () => {
  const p = packet([[T.data, [hex('0011'), hex('ff')]]]);
  it('equality needs equal length; different lengths are unordered (tshark 4.0)', () => {
    expect(matches('wstest.data == 00:11', p)).toBe(true);
    expect(matches('wstest.data == 0011', p)).toBe(true);
    // On purpose unlike tshark 4.0, which reads a bare `ff` as the name of its FOUNDATION
    // Fieldbus protocol (so `eth.dst[0] == ff` never matches there): here it is the byte 0xff.
    expect(matches('wstest.data == ff', p)).toBe(true);
    expect(matches('wstest.data == f', packet([[T.data, [hex('0f')]]]))).toBe(true);
    expect(matches('wstest.data > 00:10', p)).toBe(true);
    expect(matches('wstest.data > 00:11', p)).toBe(false);
    expect(matches('all wstest.data < 01:00:00', p)).toBe(false);
    expect(matches('wstest.data < 01:00:00', p)).toBe(false);
  });
});

describe('set membership', () => {
  const p = packet([[T.port, [80, 50000]], [T.srcport, [50000]], [T.name, ['GET']], [T.addr, [ip('10.1.2.3')]]]);
  it('values, ranges, commas or spaces', () => {
    expect(matches('wstest.port in {443, 80}', p)).toBe(true);
    expect(matches('wstest.port in {443,8080}', p)).toBe(false);
    expect(matches('wstest.port in {443 8000..8080 49152..65535}', p)).toBe(true);
    expect(matches('wstest.port in {1..79, 81..1000}', p)).toBe(false);
    expect(matches('wstest.port in {80..80}', p)).toBe(true);
  });
  it('not in, !in, and quantifiers per element', () => {
    expect(matches('wstest.port not in {80}', p)).toBe(false);
    expect(matches('wstest.port !in {8080}', p)).toBe(true);
    expect(matches('all wstest.port in {80, 50000}', p)).toBe(false);
    expect(matches('all wstest.port in {1..65535}', p)).toBe(true);
  });
  it('strings, subnets and fields as members', () => {
    expect(matches('wstest.name in {"HEAD", "GET"}', p)).toBe(true);
    expect(matches('wstest.name in {"A".."H"}', p)).toBe(true);
    expect(matches('wstest.addr in {192.168.0.0/16, 10.0.0.0/8}', p)).toBe(true);
    expect(matches('wstest.addr in {10.1.2.1 .. 10.1.2.9}', p)).toBe(true);
    expect(matches('wstest.port in {wstest.srcport}', p)).toBe(true);
    expect(matches('wstest.port in {1..wstest.srcport}', p)).toBe(true);
    expect(matches('wstest.srcport in {-1, 3}', p)).toBe(false);
  });
});

describe('slices', () => {
  const mac = packet([[T.mac, [hex('00005e005302')]], [T.name, ['GET /x']], [T.addr, [ip('192.0.2.1')]]]);
  it('[i:j] [i-j] [i] [:j] [i:] [-n:] and several ranges', () => {
    const cases: [string, string][] = [
      ['[0:3]', '00:00:5e'], ['[3-5]', '00:53:02'], ['[2]', '5e'], ['[:2]', '00:00'], ['[4:]', '53:02'],
      ['[-1]', '02'], ['[-2:]', '53:02'], ['[-3:2]', '00:53'], ['[0:1,2,4-5]', '00:5e:53:02'],
    ];
    for (const [s, v] of cases) expect(matches(`wstest.mac${s} == ${v}`, mac), s).toBe(true);
  });
  it('a slice past the end is absent', () => {
    expect(matches('wstest.mac[6]', mac)).toBe(false);
    expect(matches('wstest.mac[5]', mac)).toBe(true);
    expect(matches('wstest.mac[4:3] == 53:02', mac)).toBe(false);
    expect(matches('wstest.mac[-7:]', mac)).toBe(false);
  });
  it('strings slice as UTF-8 bytes, IPv4 addresses in network order', () => {
    expect(matches('wstest.name[0:3] == "GET"', mac)).toBe(true);
    expect(matches('wstest.name[0:3] == 47:45:54', mac)).toBe(true);
    expect(matches('wstest.addr[0] == c0', mac)).toBe(true);
    expect(matches('wstest.addr[2:2] == 02:01', mac)).toBe(true);
  });
  it('protocols and FT_NONE nodes are the bytes they cover in the frame', () => {
    const frame = hex('aabbccdd474554');
    const q = packet([[T.proto, [{ value: null, offset: 4, length: 3 }]], [T.mark, [{ value: null, offset: 0, length: 2 }]]], frame);
    expect(matches('wstest == "GET"', q)).toBe(true);
    expect(matches('wstest contains 45', q)).toBe(true);
    expect(matches('wstest contains aa', q)).toBe(false);
    expect(matches('wstest[0] == 47', q)).toBe(true);
    expect(matches('wstest.mark[1] == bb', q)).toBe(true);
    expect(matches('len(wstest) == 3', q)).toBe(true);
  });
  it('bitwise and on a slice with a mask of the same length', () => {
    expect(matches('wstest.mac[0:2] & 00:ff', mac)).toBe(false);
    expect(matches('wstest.mac[4:2] & 00:ff', mac)).toBe(true);
    expect(matches('wstest.mac[4:2] & 00:ff == 00:02', mac)).toBe(true);
  });
});

describe('times', () => {
  const p = packet([[T.rel, [1_500_000_000]], [T.when, [{ value: { sec: 1795290784, nsec: 800455000 } }]], [T.epoch, [{ value: { sec: 1795290784, nsec: 800455000 } }]]]);
  it('relative times in seconds with up to nine decimals', () => {
    expect(matches('wstest.rel > 1', p)).toBe(true);
    expect(matches('wstest.rel == 1.5', p)).toBe(true);
    expect(matches('wstest.rel == 1.500000000', p)).toBe(true);
    expect(matches('wstest.rel < 1.499999999', p)).toBe(false);
    expect(matches('wstest.rel > -1', p)).toBe(true);
    expect(matches('wstest.rel in {1..2}', p)).toBe(true);
  });
  it('absolute times as ISO 8601 or Wireshark\'s own format, with zone', () => {
    expect(matches('wstest.when > "2026-11-21 19:53:04Z"', p)).toBe(true);
    expect(matches('wstest.when > "2026-11-21T19:53:05Z"', p)).toBe(false);
    expect(matches('wstest.when < "2026-11-21T20:53:05+01:00"', p)).toBe(true);
    expect(matches('wstest.when >= "Nov 21, 2026 19:53:04.800455 UTC"', p)).toBe(true);
    expect(matches('wstest.when > "Nov 21, 2026 19:53:04.800456 UTC"', p)).toBe(false);
    expect(matches('wstest.when > "2026-11-20"', p)).toBe(true);
  });
  it('epoch times take seconds', () => {
    expect(matches('wstest.epoch > 1795290784.8', p)).toBe(true);
    expect(matches('wstest.epoch > 1795290784.9', p)).toBe(false);
  });
});

describe('functions', () => {
  const p = packet([
    [T.name, ['Www.Example.com', 'é']],
    [T.port, [{ value: 80, length: 2 }, { value: 443, length: 2 }]],
    [T.srcport, [{ value: 50000, length: 2 }]],
    [T.data, [hex('00112233')]],
    [T.addr, [ip('192.0.2.1')]],
    [T.mac, [hex('00005e005302')]],
    [T.delta, [-7]],
    [T.rel, [-2_000_000_000]],
  ]);
  it('len() of strings (UTF-8 bytes), bytes, addresses, integers and slices', () => {
    expect(matches('len(wstest.name) == 15', p)).toBe(true);
    expect(matches('len(wstest.name) == 2', p)).toBe(true);
    expect(matches('len(wstest.data) == 4', p)).toBe(true);
    expect(matches('len(wstest.addr) == 4', p)).toBe(true);
    expect(matches('len(wstest.mac) == 6', p)).toBe(true);
    expect(matches('len(wstest.port) == 2', p)).toBe(true);
    expect(matches('len(wstest.data[1:]) == 3', p)).toBe(true);
  });
  it('count() counts occurrences and is absent when the field is', () => {
    expect(matches('count(wstest.port) == 2', p)).toBe(true);
    expect(matches('count(wstest.srcport) == 1', p)).toBe(true);
    expect(matches('count(wstest.count) == 0', p)).toBe(false);
  });
  it('lower(), upper(), string()', () => {
    expect(matches('lower(wstest.name) == "www.example.com"', p)).toBe(true);
    expect(matches('upper(wstest.name) contains "EXAMPLE"', p)).toBe(true);
    expect(matches('string(wstest.port) == "443"', p)).toBe(true);
    expect(matches('string(wstest.addr) == "192.0.2.1"', p)).toBe(true);
    expect(matches('string(wstest.mac) contains "53:02"', p)).toBe(true);
    expect(matches('string(wstest.port) matches "^4"', p)).toBe(true);
  });
  it('max(), min() over all their arguments, abs()', () => {
    expect(matches('max(wstest.port, wstest.srcport) == 50000', p)).toBe(true);
    expect(matches('min(wstest.port, wstest.srcport) == 80', p)).toBe(true);
    expect(matches('max(wstest.port) == 443', p)).toBe(true);
    expect(matches('min(wstest.port, 10) == 10', p)).toBe(true);
    expect(matches('abs(wstest.delta) == 7', p)).toBe(true);
    expect(matches('abs(wstest.rel) == 2', p)).toBe(true);
  });
  it('a function of an absent field yields nothing', () => {
    const q = packet([]);
    expect(matches('len(wstest.name) >= 0', q)).toBe(false);
    expect(matches('!(len(wstest.name) >= 0)', q)).toBe(true);
  });
});

describe('arithmetic', () => {
  const p = packet([[T.port, [80]], [T.srcport, [50000]], [T.count, [0x12]], [T.rel, [3_000_000_000]]]);
  it('+ - * / % with precedence, braces to group, unary minus', () => {
    expect(matches('wstest.port + 1 == 81', p)).toBe(true);
    expect(matches('wstest.port - 1 == 79', p)).toBe(true);
    expect(matches('wstest.port + 2 * 3 == 86', p)).toBe(true);
    expect(matches('{wstest.port + 2} * 3 == 246', p)).toBe(true);
    expect(matches('wstest.port / 3 == 26', p)).toBe(true);
    expect(matches('wstest.port % 7 == 3', p)).toBe(true);
    expect(matches('wstest.port - wstest.srcport < 0', p)).toBe(true);
    expect(matches('-wstest.port == -80', p)).toBe(true);
    expect(matches('wstest.port == 40 + 40', p)).toBe(true);
    expect(matches('wstest.port == {100 - 20}', p)).toBe(true);
    expect(matches('wstest.srcport >= wstest.port * 625', p)).toBe(true);
    expect(matches('wstest.rel - 1 == 2', p)).toBe(true);
  });
  it('division by zero gives no value', () => {
    expect(matches('wstest.port / {wstest.port - 80} == 0', p)).toBe(false);
  });
  it('bitwise and: binds looser than +, and alone is a non-zero test', () => {
    expect(matches('wstest.count & 0x02', p)).toBe(true);
    expect(matches('wstest.count & 0x01', p)).toBe(false);
    expect(matches('wstest.count & 0x12 == 0x12', p)).toBe(true);
    expect(matches('wstest.count bitwise_and 0x10 == 16', p)).toBe(true);
    expect(matches('wstest.count & 1 + 1 == 2', p)).toBe(true);
    expect(matches('wstest.srcport & 0x0c00', p)).toBe(false);
    expect(matches('wstest.srcport & 0xc000', p)).toBe(true);
  });
});
