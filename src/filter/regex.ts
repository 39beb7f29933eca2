/**
 * `matches` takes a PCRE2 pattern (Wireshark compiles it caseless). JavaScript's RegExp is
 * close to PCRE for everyday patterns; this adapts the differences that change results:
 *  - leading option settings like (?-i) or (?s) become RegExp flags (Node 20 has no inline
 *    modifiers), and Wireshark's default case-insensitivity is the starting point;
 *  - PCRE's `$` (without multiline) also matches before a final newline, and \A \z \Z
 *    anchors exist in PCRE only: they are rewritten as lookarounds.
 * Anything else JavaScript cannot compile is reported, not guessed.
 */

export function compilePcre(pattern: string): RegExp | { error: string } {
  const flags = { i: true, s: false, m: false };
  let rest = pattern;
  for (;;) {
    const m = /^\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?\)/.exec(rest);
    if (!m) break;
    for (const [letters, on] of [[m[1], true], [m[2] ?? '', false]] as const) {
      for (const f of letters) {
        if (f === 'i' || f === 's' || f === 'm') flags[f] = on;
        else return { error: `the regular expression option "(?${f})" is not supported (only i, s and m are)` };
      }
    }
    rest = rest.slice(m[0].length);
  }
  let body = '';
  let inClass = false;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (c === '\\') {
      const e = rest[i + 1];
      if (e === undefined) return { error: 'the regular expression ends with a lone backslash' };
      if (!inClass && e === 'A') body += '(?<![\\s\\S])';
      else if (!inClass && e === 'z') body += '(?![\\s\\S])';
      else if (!inClass && e === 'Z') body += '(?=\\n?(?![\\s\\S]))';
      else body += c + e;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      body += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      body += c;
      // A ']' right after '[' or '[^' is a literal member in PCRE.
      if (rest[i + 1] === '^') { body += '^'; i++; }
      if (rest[i + 1] === ']') { body += '\\]'; i++; }
      continue;
    }
    if (c === '(' && rest[i + 1] === '?' && /[a-zA-Z-]/.test(rest[i + 2] ?? '') && !/^\(\?<[=!]/.test(rest.slice(i)) && !/^\(\?<\w/.test(rest.slice(i))) {
      return { error: 'option settings such as "(?i)" are only supported at the start of the regular expression' };
    }
    if (c === '$' && !flags.m) { body += '(?=\\n?(?![\\s\\S]))'; continue; }
    body += c;
  }
  try {
    return new RegExp(body, (flags.i ? 'i' : '') + (flags.s ? 's' : '') + (flags.m ? 'm' : ''));
  } catch (err) {
    const msg = (err as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '');
    return { error: `the regular expression is not valid: ${msg}` };
  }
}
