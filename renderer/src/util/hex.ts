/** Hex-dump helpers shared by the hex pane and the follow-stream view. */

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function hexByte(b: number): string {
  return HEX[b & 255];
}

/** The byte as Wireshark's ASCII column shows it: printable ASCII, else ".". */
export function asciiChar(b: number): string {
  return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
}

export function offsetText(offset: number, width = 4): string {
  return offset.toString(16).padStart(width, '0');
}

/**
 * A classic hex dump (offset, 16 bytes in two groups of 8, ASCII), as Wireshark's
 * "Hex Dump" of a follow stream: one string per line.
 */
export function hexDumpLines(bytes: Uint8Array, startOffset = 0): string[] {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const chunk = bytes.subarray(i, Math.min(i + 16, bytes.length));
    let hex = '';
    let ascii = '';
    for (let j = 0; j < 16; j++) {
      if (j === 8) hex += ' ';
      hex += j < chunk.length ? `${HEX[chunk[j]]} ` : '   ';
      if (j < chunk.length) ascii += asciiChar(chunk[j]);
    }
    lines.push(`${offsetText(startOffset + i, 8)}  ${hex} ${ascii}`);
  }
  return lines;
}
