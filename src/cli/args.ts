/** Command-line parsing for `wirescope`: a command word, positionals and tshark-like options. */

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface ParsedArgs {
  command: string;
  positionals: string[];
  /** Repeatable options keep every value in order (`-e a -e b`). */
  options: Map<string, string[]>;
  flags: Set<string>;
}

/** Options that take a value; everything else starting with '-' is a flag. */
const VALUE_OPTIONS = new Set(['-e', '-Y', '--stream', '--format', '--port', '--host', '-o']);

export function parseArgs(argv: string[]): ParsedArgs {
  const [command = '', ...rest] = argv;
  const positionals: string[] = [];
  const options = new Map<string, string[]>();
  const flags = new Set<string>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--') {
      positionals.push(...rest.slice(i + 1));
      break;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (VALUE_OPTIONS.has(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : rest[++i];
      if (value === undefined) throw new UsageError(`option ${name} needs a value`);
      const list = options.get(name) ?? [];
      list.push(value);
      options.set(name, list);
    } else if (arg.startsWith('-') && arg.length > 1) {
      flags.add(arg);
    } else {
      positionals.push(arg);
    }
  }
  return { command, positionals, options, flags };
}

export function single(args: ParsedArgs, name: string): string | undefined {
  const v = args.options.get(name);
  if (v && v.length > 1) throw new UsageError(`option ${name} given more than once`);
  return v?.[0];
}

export function checkFlags(args: ParsedArgs, allowed: string[]): void {
  for (const f of args.flags) {
    if (!allowed.includes(f)) throw new UsageError(`unknown option ${f} for "${args.command}"`);
  }
  for (const o of args.options.keys()) {
    if (!allowed.includes(o)) throw new UsageError(`option ${o} does not apply to "${args.command}"`);
  }
}
