/** A bad -Y filter: one sentence and a caret line under the bad range, exit 2, no usage dump. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';

describe('wirescope -Y with an invalid filter', () => {
  it('names the problem, marks its range and exits 2', async () => {
    const run = await runCli(['summary', fixturePath('arp.pcap'), '-Y', 'tcp.prot == 80']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'wirescope: invalid display filter: "tcp.prot" is not a field — did you mean "tcp.port"?\n' +
        '    tcp.prot == 80\n' +
        '    ^~~~~~~~\n',
    );
  });
});
