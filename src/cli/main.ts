/**
 * `wirescope` — the tshark-like command line (§3). Exit status: 0 fine; 1 the file is damaged
 * and the complete packets before the damage were printed; 2 usage error or unreadable file.
 */
import { CaptureFileError } from '../capture/types.js';
import { compileFilter, formatFilterError } from '../filter/index.js';
import { checkFlags, parseArgs, single, UsageError, type ParsedArgs } from './args.js';
import { BufferedWriter, processIO, type CliIO } from './io.js';
import type { CommandContext } from './commands/context.js';
import { runFields } from './commands/fields.js';
import { runSummary } from './commands/summary.js';
import { runStats } from './commands/stats.js';
import { runFollow } from './commands/follow.js';
import { runDiagram } from './commands/diagram.js';
import type { ReadResult } from '../capture/types.js';

export const USAGE = `Usage: wirescope <command> FILE [options]

Commands:
  summary FILE [-Y FILTER] [--json]           one line per packet (No., Time, Source, Destination,
                                              Protocol, Length, Info), like tshark's default output
  fields FILE -e FIELD ... [-Y FILTER] [--header] [--json]
                                              tab-separated field values, like tshark -T fields
  stats FILE [-Y FILTER] [--json]             packets, bytes, duration, protocol hierarchy,
                                              conversations, TCP analysis counts
  follow FILE --stream N [--format ascii|hex|raw|json]
                                              one TCP stream's bytes in order, both directions,
                                              like tshark -q -z follow,tcp,ascii,N
  diagram FILE (--stream N[,M] | -Y FILTER) [--format text|svg|json] [--notes]
                                              sequence diagram: arrows with flags, relative
                                              seq/ack, analysis flags, each side's TCP state
  serve [FILE] [--port N] [--host H]          the analyzer in a browser: serves the UI and the
                                              engine API on 127.0.0.1 with an access token

-2 (summary, fields, stats): two passes like tshark -2: the whole file is analysed before
printing, so end-of-file knowledge (tcp.completeness, response links) shows on every packet.

Field names are Wireshark's display-filter names (ip.src, tcp.stream, dns.qry.name ...).
Exit status: 0 ok, 1 damaged file (partial output printed), 2 usage error or unreadable file.
`;

type FileCommand = (cmd: CommandContext, args: ParsedArgs, out: BufferedWriter) => ReadResult;

const COMMANDS: Record<string, { flags: string[]; run: FileCommand }> = {
  summary: { flags: ['-Y', '--json', '-2'], run: (cmd, _a, out) => runSummary(cmd, out) },
  fields: {
    flags: ['-e', '-Y', '--header', '--json', '-2'],
    run: (cmd, a, out) => runFields(cmd, a.options.get('-e') ?? [], a.flags.has('--header'), out),
  },
  stats: { flags: ['-Y', '--json', '-2'], run: (cmd, _a, out) => runStats(cmd, out) },
  follow: {
    flags: ['--stream', '--format', '--json'],
    run: (cmd, a, out) => runFollow(cmd, single(a, '--stream'), single(a, '--format'), out),
  },
  diagram: {
    flags: ['--stream', '--format', '--notes', '-Y', '--json'],
    run: (cmd, a, out) => runDiagram(cmd, single(a, '--stream'), single(a, '--format'), a.flags.has('--notes'), out),
  },
};

export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const out = new BufferedWriter(io.stdout);
  try {
    const args = parseArgs(argv);
    if (!args.command || args.command === 'help' || args.flags.has('--help') || args.command === '--help' || args.command === '-h') {
      io.stdout.write(USAGE);
      return args.command ? 0 : 2;
    }
    if (args.command === 'serve') return await (await import('./commands/serve.js')).runServe(args, io);
    const command = COMMANDS[args.command];
    if (!command) throw new UsageError(`unknown command "${args.command}"`);
    checkFlags(args, command.flags);
    const [file, ...extra] = args.positionals;
    if (!file) throw new UsageError(`${args.command} needs a capture FILE`);
    if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const cmd: CommandContext = { file, json: args.flags.has('--json'), twoPass: args.flags.has('-2') };
    const filterText = single(args, '-Y');
    if (filterText !== undefined) {
      const compiled = compileFilter(filterText);
      if (!compiled.ok) {
        // Like tshark: the sentence and a caret line under the bad range, not the whole usage.
        io.stderr.write(`wirescope: invalid display filter: ${formatFilterError(filterText, compiled.error)}\n`);
        return 2;
      }
      cmd.filter = compiled.filter;
    }
    const result = command.run(cmd, args, out);
    out.flush();
    if (result.warning) {
      io.stderr.write(`wirescope: ${result.warning.message}; the ${result.packets} complete packets before it were read.\n`);
      return 1;
    }
    return 0;
  } catch (err) {
    out.flush();
    if (err instanceof UsageError) {
      io.stderr.write(`wirescope: ${err.message}\n${USAGE}`);
      return 2;
    }
    if (err instanceof CaptureFileError) {
      io.stderr.write(`wirescope: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

const invokedDirectly = import.meta.url === `file://${process.argv[1]}`;
if (invokedDirectly) {
  main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
