/**
 * Teaching mode's door to src/: the isomorphic lesson model, catalogs and exports (src/teach),
 * browser-safe like the API (no engine code, no Node). The only other import from src/ besides
 * renderer/src/api.ts.
 */
export * from '../../../src/teach/index.js';
