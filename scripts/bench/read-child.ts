/**
 * One measured read of a capture file, run in its own process by read-bench.ts so that its
 * peak RSS is its own. Prints one JSON line.
 *
 *   read-child.ts FILE [ours|pcap-parser|noop] [chunkBytes]
 *
 * `noop` loads the same modules and reads nothing: the process start-up cost.
 */

import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { readCaptureFileSync } from '../../src/capture/read-node.js';

interface PcapParserPacket {
  header: { capturedLength: number };
}
interface PcapParserEmitter {
  on(event: 'packet', cb: (p: PcapParserPacket) => void): void;
  on(event: 'end', cb: () => void): void;
  on(event: 'error', cb: (e: Error) => void): void;
}

async function main(): Promise<void> {
  const [file, mode = 'ours', chunkArg] = process.argv.slice(2);
  const t0 = process.hrtime.bigint();
  let packets = 0;
  let capBytes = 0;
  if (mode === 'noop') {
    // start-up only
  } else if (mode === 'ours') {
    readCaptureFileSync(
      file,
      (rec) => {
        packets++;
        capBytes += rec.capLen;
      },
      chunkArg ? { chunkSize: Number(chunkArg) } : {},
    );
  } else {
    const pcapParser = createRequire(import.meta.url)('pcap-parser') as { parse(s: NodeJS.ReadableStream): PcapParserEmitter };
    await new Promise<void>((resolve, reject) => {
      const p = pcapParser.parse(createReadStream(file, chunkArg ? { highWaterMark: Number(chunkArg) } : {}));
      p.on('packet', (pkt) => {
        packets++;
        capBytes += pkt.header.capturedLength;
      });
      p.on('end', resolve);
      p.on('error', reject);
    });
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const maxRssKiB = process.resourceUsage().maxRSS;
  console.log(JSON.stringify({ mode, ms, packets, capBytes, maxRssKiB }));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
