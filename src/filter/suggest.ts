/**
 * Help with field names: "did you mean" suggestions for misspelt names (edit distance over
 * the registry) and prefix completion for the filter bar.
 */
import { allFields, type FieldDef, type FieldType } from '../decode/fields/types.js';

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), capped. */
export function editDistance(a: string, b: string, cap = Infinity): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > cap) return cap + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length];
}

/** The registered name closest to `name`, if one is close enough to be a likely typo. */
export function suggestField(name: string): FieldDef | undefined {
  const lower = name.toLowerCase();
  // Longer names tolerate more typos; one edit for short names keeps "foo" from matching "fc".
  const cap = lower.length <= 4 ? 1 : lower.length <= 10 ? 2 : 3;
  let best: FieldDef | undefined;
  let bestScore = Infinity;
  for (const def of allFields()) {
    const d = editDistance(lower, def.name.toLowerCase(), cap);
    if (d > cap) continue;
    // Prefer names in the same protocol (same text before the first dot), then shorter names.
    const sameProto = def.name.split('.')[0] === lower.split('.')[0] ? 0 : 0.5;
    const score = d + sameProto + def.name.length / 1000;
    if (score < bestScore) { best = def; bestScore = score; }
  }
  return best;
}

export interface FieldCompletion {
  name: string;
  label: string;
  type: FieldType;
}

/**
 * Field names starting with `prefix` (case-insensitive) for the filter bar: protocols and
 * the direct children of the prefix's protocol first, then by name.
 */
export function completeField(prefix: string, limit = 50): FieldCompletion[] {
  const p = prefix.toLowerCase();
  const matches = allFields().filter((d) => d.name.toLowerCase().startsWith(p));
  const depth = (n: string) => n.split('.').length;
  matches.sort((a, b) =>
    (a.type === 'protocol' ? 0 : 1) - (b.type === 'protocol' ? 0 : 1) ||
    depth(a.name) - depth(b.name) ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return matches.slice(0, Math.max(0, limit)).map((d) => ({ name: d.name, label: d.label, type: d.type }));
}
