/**
 * `npm run bench`: every benchmark in one run, so the ratios against tshark/capinfos are taken
 * on the same machine under the same load. Each part runs as its own process (its peak RSS is
 * its own); their JSON result lines are gathered into one summary at the end.
 *
 *   npm run bench [-- --size 550MB]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const ext = fileURLToPath(import.meta.url).endsWith('.ts') ? 'ts' : 'js';

const PARTS: { name: string; script: string; args: string[] }[] = [
  { name: 'capture reading vs capinfos', script: `read-bench.${ext}`, args: ['--runs', '3'] },
  { name: 'CLI vs tshark (fields, analysis, filters)', script: `cli-bench.${ext}`, args: [] },
  { name: 'engine: open, first rows, full load, re-filter, live capture', script: `engine-bench.${ext}`, args: [] },
];

function main(argv: string[]): number {
  const sizeIdx = argv.indexOf('--size');
  const sizeArgs = sizeIdx >= 0 ? ['--size', argv[sizeIdx + 1]] : [];
  const results: unknown[] = [];
  let failed = 0;
  for (const part of PARTS) {
    const script = join(here, part.script);
    if (!existsSync(script)) {
      console.log(`\n== ${part.name}: ${part.script} is missing`);
      failed++;
      continue;
    }
    console.log(`\n== ${part.name}`);
    const r = spawnSync(process.execPath, [...process.execArgv, script, ...part.args, ...sizeArgs], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 26,
    });
    process.stdout.write(r.stdout ?? '');
    if (r.status !== 0) {
      console.log(`(${part.name} failed with exit status ${r.status})`);
      failed++;
    }
    for (const line of (r.stdout ?? '').split('\n')) {
      if (line.startsWith('{"bench"')) results.push(JSON.parse(line));
    }
  }
  console.log('\n== all results (JSON)');
  console.log(JSON.stringify(results, null, 2));
  return failed ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
