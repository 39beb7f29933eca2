/**
 * The fast path for display filters that only ask what the index already knows: the filters
 * the UI itself builds (Follow Stream's `tcp.stream eq 3`, conversation filters, analysis
 * flags, protocol names, frame ranges), combined with and/or/not. They run over the typed
 * arrays in milliseconds instead of a decoding pass. Anything else returns null and goes to the
 * decoding path of src/filter — so results never depend on which path ran, only the speed.
 */
import { ANALYSIS_FLAG_FIELDS, AnalysisFlag, TCP_ANALYSIS_MASK } from '../api/flags.js';
import { IndexBit, type PacketIndex } from './packet-index.js';

export type IndexPredicate = (index: PacketIndex, i: number) => boolean;

/** Protocol names whose presence in frame.protocols is what the filter `name` tests. */
const PROTOCOL_NAMES = new Set([
  'eth', 'vlan', 'sll', 'null', 'arp', 'ip', 'ipv6', 'icmp', 'icmpv6', 'tcp', 'udp', 'dns', 'http', 'data',
]);

/**
 * The analysis bits under which each tcp.analysis.* field appears: Wireshark adds the
 * retransmission item to fast and spurious retransmissions too.
 */
const FLAG_BY_FIELD = new Map<string, number>(ANALYSIS_FLAG_FIELDS.map(([bit, name]) => [name, bit]));
FLAG_BY_FIELD.set('tcp.analysis.retransmission',
  AnalysisFlag.RETRANSMISSION | AnalysisFlag.FAST_RETRANSMISSION | AnalysisFlag.SPURIOUS_RETRANSMISSION);

type Token = { kind: 'word' | 'num' | 'op' | 'paren'; text: string };

function tokenize(s: string): Token[] | null {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      out.push({ kind: 'paren', text: c });
      i++;
      continue;
    }
    const two = s.slice(i, i + 2);
    if (two === '&&' || two === '||' || two === '==' || two === '<=' || two === '>=' || two === '!=') {
      out.push({ kind: 'op', text: two });
      i += 2;
      continue;
    }
    if (c === '!' || c === '<' || c === '>') {
      out.push({ kind: 'op', text: c });
      i++;
      continue;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(s.slice(i));
    if (m) {
      out.push({ kind: 'word', text: m[0] });
      i += m[0].length;
      continue;
    }
    const n = /^\d+(?![\w.:])/.exec(s.slice(i));
    if (n) {
      out.push({ kind: 'num', text: n[0] });
      i += n[0].length;
      continue;
    }
    return null;
  }
  return out;
}

const WORD_OPS: Record<string, string> = {
  and: '&&', or: '||', not: '!', eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=',
};

class Parser {
  private p = 0;
  /** Every field name the expression mentions. */
  readonly fields: string[] = [];
  constructor(private readonly t: Token[]) {}

  private peekOp(): string | null {
    const tok = this.t[this.p];
    if (!tok) return null;
    if (tok.kind === 'op') return tok.text;
    if (tok.kind === 'word' && WORD_OPS[tok.text]) return WORD_OPS[tok.text];
    return null;
  }

  parse(): IndexPredicate | null {
    const e = this.or();
    return e && this.p === this.t.length ? e : null;
  }

  private or(): IndexPredicate | null {
    let left = this.and();
    while (left && this.peekOp() === '||') {
      this.p++;
      const right = this.and();
      if (!right) return null;
      const l = left;
      left = (ix, i) => l(ix, i) || right(ix, i);
    }
    return left;
  }

  private and(): IndexPredicate | null {
    let left = this.not();
    while (left && this.peekOp() === '&&') {
      this.p++;
      const right = this.not();
      if (!right) return null;
      const l = left;
      left = (ix, i) => l(ix, i) && right(ix, i);
    }
    return left;
  }

  private not(): IndexPredicate | null {
    if (this.peekOp() === '!') {
      this.p++;
      const inner = this.not();
      return inner ? (ix, i) => !inner(ix, i) : null;
    }
    const tok = this.t[this.p];
    if (tok?.kind === 'paren' && tok.text === '(') {
      this.p++;
      const inner = this.or();
      const close = this.t[this.p];
      if (!inner || close?.kind !== 'paren' || close.text !== ')') return null;
      this.p++;
      return inner;
    }
    return this.atom();
  }

  private atom(): IndexPredicate | null {
    const tok = this.t[this.p];
    if (!tok || tok.kind !== 'word' || WORD_OPS[tok.text]) return null;
    this.p++;
    const field = tok.text;
    this.fields.push(field);
    const op = this.peekOp();
    if (op && ['==', '!=', '<', '<=', '>', '>='].includes(op)) {
      this.p++;
      const num = this.t[this.p];
      if (!num || num.kind !== 'num') return null;
      this.p++;
      return comparison(field, op, Number(num.text));
    }
    return presence(field);
  }
}

function compare(op: string, a: number, b: number): boolean {
  switch (op) {
    case '==': return a === b;
    case '!=': return a !== b;
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    default: return a >= b;
  }
}

function comparison(field: string, op: string, value: number): IndexPredicate | null {
  if (field === 'frame.number') return (_ix, i) => compare(op, i + 1, value);
  if (field === 'tcp.stream' || field === 'udp.stream') {
    const bit = field === 'tcp.stream' ? IndexBit.TCP : IndexBit.UDP;
    const kind = field === 'tcp.stream' ? 'tcp' : 'udp';
    // A comparison matches when any occurrence matches (Wireshark's "any" semantics; a packet
    // without the field matches none, not even !=). ICMP errors quoting a TCP/UDP header carry
    // the quoted header's stream as a further occurrence (PacketIndex.nestedStreams).
    return (ix, i) => {
      if ((ix.flags[i] & bit) !== 0 && ix.stream[i] >= 0 && compare(op, ix.stream[i], value)) return true;
      const nested = ix.nestedStreams.get(i);
      return nested !== undefined && nested.some((n) => n.kind === kind && compare(op, n.stream, value));
    };
  }
  if (field === 'frame.len') return (ix, i) => compare(op, ix.origLen[i], value);
  if (field === 'frame.cap_len') return (ix, i) => compare(op, ix.capLen[i], value);
  return null;
}

function presence(field: string): IndexPredicate | null {
  if (field === 'frame') return () => true;
  if (field === 'tcp.analysis.flags') return (ix, i) => (ix.flags[i] & IndexBit.ANALYSIS_FLAGS) !== 0;
  const bit = FLAG_BY_FIELD.get(field);
  if (bit !== undefined) return (ix, i) => (ix.flags[i] & bit & TCP_ANALYSIS_MASK) !== 0;
  if (PROTOCOL_NAMES.has(field)) {
    const cache = new Map<number, boolean>();
    return (ix, i) => {
      const id = ix.chain[i];
      let v = cache.get(id);
      if (v === undefined) {
        v = ix.chains.get(id).split(':').includes(field);
        cache.set(id, v);
      }
      return v;
    };
  }
  return null;
}

export interface IndexFilter {
  predicate: IndexPredicate;
  /** Field names the expression uses (to check they exist when the filter module is not consulted). */
  fields: string[];
}

/** A predicate over the index equivalent to the expression, or null when it needs decoding. */
export function compileIndexFilter(expression: string): IndexFilter | null {
  const tokens = tokenize(expression.trim());
  if (!tokens || tokens.length === 0) return null;
  const parser = new Parser(tokens);
  const predicate = parser.parse();
  return predicate ? { predicate, fields: parser.fields } : null;
}
