/**
 * XML text escaping for SVG built as strings. Packet content is hostile: every piece of text
 * that reaches the SVG goes through `xmlText` (element content and attribute values alike),
 * which also replaces characters XML 1.0 cannot carry at all. Isomorphic.
 */

// Characters XML 1.0 forbids (C0 controls except tab/LF/CR, U+FFFE/U+FFFF) and lone surrogates.
const INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xmlText(s: string): string {
  return s
    .replace(INVALID, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Shortens text to about `max` characters with an ellipsis. */
export function clip(s: string, max: number): string {
  if (max <= 1) return s.length ? '…' : '';
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
