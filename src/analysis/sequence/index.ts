/**
 * Sequence diagrams (issue 4 part B, used by the teaching view of issue 8): build the model
 * from packets, render it as SVG or text. Isomorphic.
 */
export { buildSequenceDiagram, tcpArrowLabel, tcpArrowDetail, analysisTexts, type BuildOptions } from './build.js';
export { DiagramCollector, tcpEndpoint } from './collect.js';
export { renderSequenceSvg, type SvgOptions } from './svg.js';
export { renderSequenceText, type TextOptions } from './text.js';
export { noteText } from './notes.js';
export { xmlText } from './xml.js';
export type * from './types.js';
