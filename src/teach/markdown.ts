/**
 * The lesson as a Markdown step list for slides or a handout, in English or Chinese: a header,
 * then per step its frame, arrow, real time gap, both sides' states, the highlighted fields,
 * the note, and the "Why?" answers. Packet text (DNS names, HTTP URIs) is escaped so a hostile
 * capture cannot inject markup into the handout. Isomorphic.
 */
import { formatTeach, joinSentences, teachText } from './format.js';
import { formatDuration } from './time.js';
import type { Lesson } from './types.js';

/** Escapes Markdown and inline-HTML syntax in text that came from packets. */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+!|<>~]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

function isoTime(sec: number, nsec: number): string {
  return new Date(sec * 1000 + Math.floor(nsec / 1e6)).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

export function lessonMarkdown(lesson: Lesson, locale: string): string {
  const out: string[] = [];
  const ui = (key: string, params: Record<string, string | number> = {}) => teachText(`ui.${key}`, locale, params);
  out.push(`# ${ui('markdown.title', { title: escapeMarkdown(lesson.title) })}`, '');
  out.push(ui('markdown.intro', { n: lesson.steps.length, time: isoTime(lesson.startSec, lesson.startNsec) }), '');
  const roleWord = (role: string) => teachText(`role.${role}`, locale);
  for (const step of lesson.steps) {
    const from = lesson.lifelines[step.from]?.label ?? '';
    const to = lesson.lifelines[step.to]?.label ?? '';
    const label = escapeMarkdown(`${step.label}${step.analysis.length ? ` [${step.analysis.join('] [')}]` : ''}`);
    out.push(`## ${ui('markdown.step', { n: step.index + 1, frame: step.frame, label })}`, '');
    out.push(`\`${from} → ${to}\`${step.detail ? ` · \`${step.detail}\`` : ''}`, '');
    out.push(`- ${ui('markdown.gap', { gap: step.index === 0 ? ui('gapFirst') : formatDuration(step.gapNs) })}`);
    const states = step.states
      .map((s, i) => (s.state && lesson.lifelines[i].role !== 'host' ? `${roleWord(lesson.lifelines[i].role)} ${s.state}${s.changed ? ' *' : ''}` : ''))
      .filter(Boolean);
    if (states.length) out.push(`- ${ui('markdown.states', { states: states.join(', ') })}`);
    if (step.highlights.length) {
      out.push(`- ${step.highlights.map((h) => `\`${h.field}${h.value !== '' ? ` = ${h.value.replace(/`/g, "'")}` : ''}\``).join(', ')}`);
    }
    out.push('');
    const esc = escapeMarkdown;
    out.push(joinSentences(step.notes.map((n) => formatTeach(n, locale, esc)), locale), '');
    for (const w of step.why) {
      out.push(`> **${formatTeach(w.question, locale, esc)}** ${joinSentences(w.answer.map((a) => formatTeach(a, locale, esc)), locale)}`, '');
    }
  }
  return out.join('\n');
}
