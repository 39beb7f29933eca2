/**
 * Lessons built the way the presentation view builds them: the engine (in this thread) opens a
 * fixture, answers getSequence for a stream or a filter and getPacket for each frame, and
 * buildLesson turns that into steps. Plus tshark goldens as the independent reference.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openLoaded } from '../engine/helpers.js';
import { buildLesson, formatTeach, joinSentences, type Lesson, type LessonPacket, type Step, type StepNote } from '../../src/teach/index.js';
import type { SequenceDiagram } from '../../src/api/types.js';

export const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');

export interface Built {
  diagram: SequenceDiagram;
  packets: Map<number, LessonPacket>;
  lesson: Lesson;
}

export async function lessonOf(fixture: string, target: { stream: number } | { filter: string }): Promise<Built> {
  const { session } = await openLoaded(join(FIXTURES, fixture));
  const diagram = await session.getSequence('filter' in target ? { filter: target.filter, limit: 5000 } : { streams: [target.stream], protocol: 'tcp', limit: 5000 });
  const packets = new Map<number, LessonPacket>();
  for (const a of diagram.arrows) packets.set(a.frame, session.getPacket(a.frame));
  return { diagram, packets, lesson: buildLesson(diagram, packets) };
}

/** Rows of a tshark golden TSV (first line: field names) keyed by frame.number. */
export function golden(fixture: string, list: string): Map<number, Record<string, string>> {
  const text = readFileSync(join(FIXTURES, 'golden', `${fixture.replace(/\.pcapn?g?$/, '')}.${list}.tsv`), 'utf8');
  const [head, ...lines] = text.split('\n').filter((l) => l.length);
  const names = head.split('\t');
  const out = new Map<number, Record<string, string>>();
  lines.forEach((line, index) => {
    const cells = line.split('\t');
    const row: Record<string, string> = {};
    names.forEach((n, i) => (row[n] = cells[i] ?? ''));
    // Lists without frame.number (dissect) have one line per frame, in order.
    out.set(row['frame.number'] ? Number(row['frame.number']) : index + 1, row);
  });
  return out;
}

export const LOCALES = ['en', 'zh-CN'] as const;

export function noteTexts(step: Step, locale: string): string {
  return joinSentences(step.notes.map((n) => formatTeach(n, locale)), locale);
}

export function findNote(step: Step, key: string): StepNote | undefined {
  return step.notes.find((n) => n.key === `note.${key}`);
}

export function stepsWith(lesson: Lesson, key: string): { step: Step; note: StepNote }[] {
  const out: { step: Step; note: StepNote }[] = [];
  for (const step of lesson.steps) for (const note of step.notes) if (note.key === `note.${key}`) out.push({ step, note });
  return out;
}
