/**
 * The renderer's one door to src/: the engine API contract (types, flags, formatters, the typed
 * client and the two transports). Nothing else in renderer/ imports from src/ (§2).
 */
export * from '../../src/api/index.js';
