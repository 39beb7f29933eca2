/**
 * Stateful analysis over the packets of one capture, attached to the decoders through
 * DecodeHooks (TCP streams and analysis flags, UDP streams, transactions).
 */
import type { DecodeHooks } from '../decode/index.js';

export interface Analyzer {
  readonly hooks: DecodeHooks;
}

export function createAnalyzer(): Analyzer {
  return { hooks: {} };
}
