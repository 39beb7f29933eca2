/**
 * The annotated diagram for slides: the analysis's standalone SVG (src/analysis/sequence/svg.ts)
 * with this lesson's notes, in the chosen language, appended under it — numbered by frame and
 * wrapped to the drawing's width (CJK characters count double). Every text is XML-escaped.
 * Isomorphic: "Export SVG" in the presentation view and any script can call it.
 */
import { renderSequenceSvg } from '../analysis/sequence/svg.js';
import type { SequenceDiagramModel } from '../analysis/sequence/types.js';
import { xmlText } from '../analysis/sequence/xml.js';
import { formatTeach, joinSentences, teachText } from './format.js';
import type { Lesson, LessonDiagram } from './types.js';

const FONT = "'DejaVu Sans', 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";
const LINE_H = 19;
const FONT_PX = 13;

/** Display width in units of a Latin character (CJK and full-width forms take two). */
function widthOf(ch: string): number {
  const c = ch.codePointAt(0)!;
  return (c >= 0x2e80 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff00 && c <= 0xffef) || (c >= 0x3000 && c <= 0x303f) ? 2 : 1;
}

/** Greedy wrap at spaces (Latin) or between any two CJK characters. */
export function wrapText(text: string, maxUnits: number): string[] {
  const lines: string[] = [];
  let line = '';
  let units = 0;
  let lastBreak = -1;
  for (const ch of text) {
    const w = widthOf(ch);
    if (units + w > maxUnits && line) {
      if (lastBreak > 0 && widthOf(ch) === 1 && ch !== ' ') {
        lines.push(line.slice(0, lastBreak).trimEnd());
        line = line.slice(lastBreak).trimStart();
      } else {
        lines.push(line.trimEnd());
        line = '';
      }
      units = [...line].reduce((s, c) => s + widthOf(c), 0);
      lastBreak = -1;
    }
    if (ch === ' ' && !line) continue;
    line += ch;
    units += w;
    if (ch === ' ' || w === 2) lastBreak = line.length;
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}

export function annotatedSvg(diagram: LessonDiagram, lesson: Lesson, locale: string, theme: 'light' | 'dark' = 'light'): string {
  const base = renderSequenceSvg(diagram as unknown as SequenceDiagramModel, { theme });
  const m = /<svg[^>]*\bwidth="(\d+(?:\.\d+)?)"[^>]*\bheight="(\d+(?:\.\d+)?)"/.exec(base);
  if (!m) return base;
  const width = Number(m[1]);
  const height = Number(m[2]);
  const text = theme === 'dark' ? '#f9fafb' : '#111827';
  const muted = theme === 'dark' ? '#9ca3af' : '#6b7280';
  const bg = theme === 'dark' ? '#111827' : '#ffffff';
  const maxUnits = Math.floor((width - 90) / (FONT_PX * 0.58));
  const rows: string[] = [];
  let y = height + 10;
  rows.push(`<text x="20" y="${y + 16}" font-size="15" font-weight="bold" fill="${text}">${xmlText(teachText('ui.svgNotes', locale))}</text>`);
  y += 34;
  for (const step of lesson.steps) {
    const para = joinSentences(step.notes.map((n) => formatTeach(n, locale)), locale);
    if (!para) continue;
    const lines = wrapText(para, maxUnits);
    rows.push(`<text x="20" y="${y + FONT_PX}" font-size="${FONT_PX}" font-weight="bold" fill="${muted}">#${step.frame}</text>`);
    lines.forEach((l, i) => rows.push(`<text x="70" y="${y + FONT_PX + i * LINE_H}" font-size="${FONT_PX}" fill="${text}">${xmlText(l)}</text>`));
    y += lines.length * LINE_H + 8;
  }
  const newHeight = Math.ceil(y + 20);
  const notes = `<g font-family="${xmlText(FONT)}">\n<rect x="0" y="${height}" width="${width}" height="${newHeight - height}" fill="${bg}"/>\n${rows.join('\n')}\n</g>\n`;
  return base
    .replace(/(<svg[^>]*\bheight=")(\d+(?:\.\d+)?)(")/, `$1${newHeight}$3`)
    .replace(/(<svg[^>]*\bviewBox="0 0 \d+(?:\.\d+)? )(\d+(?:\.\d+)?)(")/, `$1${newHeight}$3`)
    .replace(/(<rect x="0" y="0" width="\d+(?:\.\d+)?" height=")(\d+(?:\.\d+)?)(")/, `$1${newHeight}$3`)
    .replace(/<\/svg>\s*$/, `${notes}</svg>\n`);
}
