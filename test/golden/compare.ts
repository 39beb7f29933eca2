/**
 * Cell-by-cell comparison of `wirescope fields` output with a tshark golden (TSV with a header
 * line). Mismatches are grouped by field so a failure says which decoder is wrong and where.
 */
export interface Mismatch {
  field: string;
  count: number;
  examples: string[];
}

export function compareTsv(golden: string, ours: string, ignore: ReadonlySet<string> = new Set()): Mismatch[] {
  const gLines = golden.replace(/\n$/, '').split('\n');
  const oLines = ours.replace(/\n$/, '').split('\n');
  const header = gLines[0].split('\t');
  const byField = new Map<string, Mismatch>();
  const note = (field: string, text: string) => {
    let m = byField.get(field);
    if (!m) byField.set(field, (m = { field, count: 0, examples: [] }));
    m.count++;
    if (m.examples.length < 4) m.examples.push(text);
  };
  if (oLines[0] !== gLines[0]) note('(header)', `expected ${gLines[0]} got ${oLines[0]}`);
  if (gLines.length !== oLines.length) note('(rows)', `expected ${gLines.length - 1} packets, got ${oLines.length - 1}`);
  const rows = Math.min(gLines.length, oLines.length);
  for (let r = 1; r < rows; r++) {
    const g = gLines[r].split('\t');
    const o = oLines[r].split('\t');
    for (let c = 0; c < header.length; c++) {
      if (ignore.has(header[c])) continue;
      if ((g[c] ?? '') !== (o[c] ?? '')) {
        note(header[c], `packet ${r}: tshark "${g[c] ?? ''}" ours "${o[c] ?? ''}"`);
      }
    }
  }
  return [...byField.values()];
}

export function describeMismatches(ms: Mismatch[]): string {
  return ms.map((m) => `${m.field}: ${m.count} cells differ\n    ${m.examples.join('\n    ')}`).join('\n');
}
