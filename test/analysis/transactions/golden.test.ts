/**
 * Request ↔ response links against tshark -2 (the tcp-analysis goldens): DNS, ICMP and ICMPv6
 * echo, HTTP, ARP duplicate-address detection, and the "(reply in N)" / "(request in N)" /
 * "(no response found!)" parts of the Info column.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { fixtureFiles, fixturePath, goldenBase, goldenFieldList, readGolden } from '../../helpers/fixtures.js';

const TRANSACTION_FIELD = /^(dns\.(response_in|response_to|time)|icmp\.|icmpv6\.|http\.(request_in|response_in|time|response_for\.uri|prev_request_in|prev_response_in)|arp\.duplicate)/;
const fields = goldenFieldList('tcp-analysis').filter((f) => TRANSACTION_FIELD.test(f));

describe('transaction fields', () => {
  it('are in the golden list', () => {
    expect(fields).toEqual(expect.arrayContaining(['dns.response_in', 'icmp.resp_in', 'http.response_in', 'icmp.no_resp']));
  });
});

describe.each(fixtureFiles())('transactions on %s', (fixture) => {
  it('equal tshark -2 field for field, with the Info column links', async () => {
    const golden = readGolden(`${goldenBase(fixture)}.tcp-analysis.tsv`);
    expect(golden).toBeDefined();
    const lines = golden!.replace(/\n$/, '').split('\n');
    const header = lines[0].split('\t');
    const cols = ['frame.number', ...fields, '_ws.col.Info'];
    const run = await runCli(['fields', fixturePath(fixture), '-2', ...cols.flatMap((c) => ['-e', c])]);
    const ours = run.stdout.replace(/\n$/, '').split('\n').map((l) => l.split('\t'));
    expect(ours.length).toBe(lines.length - 1);
    const bad: string[] = [];
    lines.slice(1).forEach((line, r) => {
      const g = line.split('\t');
      cols.forEach((c, k) => {
        const want = g[header.indexOf(c)] ?? '';
        if (c === '_ws.col.Info' && !/\((reply|request) in \d+\)|no response found/.test(want + ours[r][k])) return;
        if (ours[r][k] !== want) bad.push(`frame ${g[0]} ${c}: tshark "${want}" ours "${ours[r][k]}"`);
      });
    });
    expect(bad.slice(0, 8).join('\n')).toBe('');
  });
});
