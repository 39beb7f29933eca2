/** Helpers for PacketRecord values. Isomorphic. */

import type { PacketRecord } from './types.js';

/** A fresh record object the readers fill in place. */
export function emptyRecord(): PacketRecord {
  return {
    number: 0,
    interfaceIndex: 0,
    interfaceId: 0,
    linkType: 0,
    tsSec: 0,
    tsNsec: 0,
    capLen: 0,
    origLen: 0,
    dataOffset: 0,
    recordOffset: 0,
    data: new Uint8Array(0),
    comments: undefined,
  };
}

/**
 * A snapshot of a record that stays valid after the callback returns: own object, own copy of
 * the bytes (the reader's `data` is a view into a buffer it reuses).
 */
export function copyRecord(rec: PacketRecord): PacketRecord {
  const out: PacketRecord = {
    number: rec.number,
    interfaceIndex: rec.interfaceIndex,
    interfaceId: rec.interfaceId,
    linkType: rec.linkType,
    tsSec: rec.tsSec,
    tsNsec: rec.tsNsec,
    capLen: rec.capLen,
    origLen: rec.origLen,
    dataOffset: rec.dataOffset,
    recordOffset: rec.recordOffset,
    data: new Uint8Array(rec.data), // a copy, also when handed a Buffer view
  };
  if (rec.comments !== undefined) out.comments = rec.comments.slice();
  return out;
}
