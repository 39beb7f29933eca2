/**
 * Teaching mode (issue 8), isomorphic: lessons (steps with states, notes, highlighted fields,
 * layer stacks and "Why?" answers) from a sequence diagram and the packets' detail trees; the
 * English and Simplified Chinese catalogs that word them; Markdown and annotated-SVG exports.
 * The renderer's presentation view imports it through renderer/src/teach/lib.ts.
 */
export { buildLesson, type PacketSource } from './lesson.js';
export { PacketFields } from './fields.js';
export { formatTeach, localizeParams, interpolate, catalogString, joinSentences, teachText, ROLE_PARAMS } from './format.js';
export { TEACH_CATALOGS, teachCatalog, type TeachCatalog } from './messages/index.js';
export { lessonMarkdown, escapeMarkdown } from './markdown.js';
export { annotatedSvg, wrapText } from './svg.js';
export { formatDuration } from './time.js';
export type * from './types.js';
