/**
 * IEEE 802.2 Logical-Link Control, carried by IEEE 802.3 length frames: DSAP, SSAP and the
 * control field (Wireshark's wording for U, I and S frames), SNAP with the encapsulated
 * EtherType dispatched like Ethernet II ("eth:llc:ip"), everything else as data. Isomorphic.
 */
import type { DissectContext } from '../context.js';
import { defineField, defineProtocol } from '../fields/types.js';
import { etherTypes } from '../registry.js';
import { dissectData } from './data.js';
import { registerLlc } from './ethernet.js';
import { ETHERTYPE_NAMES } from './ethernet-types.js';
import { need } from './ip-damage.js';

/** Wireshark's sap_vals (the SAP with its I/G or C/R bit cleared). */
const SAP_NAMES: Readonly<Record<number, string>> = {
  0x00: 'NULL LSAP', 0x02: 'LLC Sub-Layer Management', 0x04: 'SNA Path Control', 0x06: 'TCP/IP',
  0x08: 'SNA', 0x0c: 'SNA', 0x0e: 'PROWAY (IEC955) Network Management and Initialization',
  0x10: 'NetWare (unofficial?)', 0x14: 'ISO Network Layer (OSLAN 1)', 0x18: 'Texas Instruments',
  0x20: 'ISO Network Layer (unofficial?)', 0x34: 'ISO Network Layer (unofficial?)',
  0x42: 'Spanning Tree BPDU', 0x4e: 'EIA RS-511 Manufacturing Message Service',
  0x54: 'ISO Network Layer (OSLAN 2)', 0x7e: 'ISO 8208 (X.25 over 802.2)', 0x80: 'XNS',
  0x82: 'BACnet', 0x86: 'Nestar', 0x8e: 'PROWAY (IEC955) Active Station List Maintenance',
  0x98: 'ARP', 0xaa: 'SNAP', 0xb4: 'HP JetDirect Printer', 0xba: 'Banyan Vines', 0xbc: 'Banyan Vines',
  0xe0: 'NetWare', 0xf0: 'NetBIOS', 0xf4: 'IBM Net Management', 0xf8: 'HP Extended LLC',
  0xfa: 'Ungermann-Bass', 0xfc: 'Remote Program Load', 0xfe: 'ISO Network Layer',
};
const SAP_VALUE_NAMES: Record<number, string> = {};
for (const [k, v] of Object.entries(SAP_NAMES)) SAP_VALUE_NAMES[Number(k)] = v;
SAP_VALUE_NAMES[0x01] = 'NULL LSAP';
SAP_VALUE_NAMES[0xff] = 'Global LSAP';

/** Unnumbered-frame modifiers (control & 0xec): long names, then Wireshark's short Info names. */
const U_CMD: Readonly<Record<number, readonly [string, string]>> = {
  0x00: ['Unnumbered Information', 'UI'], 0x20: ['Unnumbered Poll', 'UP'], 0x40: ['Disconnect', 'DISC'],
  0x60: ['Unnumbered Acknowledge', 'UA'], 0x80: ['Set Normal Response Mode', 'SNRM'], 0xe0: ['Test', 'TEST'],
  0x04: ['Set Initialization Mode', 'SIM'], 0x84: ['Frame reject', 'FRMR'], 0xc4: ['Configure', 'CFGR'],
  0x0c: ['Set Asynchronous Response Mode', 'SARM'], 0x2c: ['Set Asynchronous Balanced Mode', 'SABM'],
  0x4c: ['Set Asynchronous Response Mode Extended', 'SARME'],
  0x6c: ['Set Asynchronous Balanced Mode Extended', 'SABME'], 0x8c: ['Reset', 'RSET'],
  0xac: ['Exchange identification', 'XID'], 0xcc: ['Set Normal Response Mode Extended', 'SNRME'],
  0xec: ['Beacon', 'BCN'],
};
const U_RESP: Readonly<Record<number, readonly [string, string]>> = {
  ...U_CMD,
  0x40: ['Request Disconnect', 'RD'], 0x04: ['Request Initialization Mode', 'RIM'], 0x0c: ['Disconnected mode', 'DM'],
};
const S_NAMES = [['Receiver ready', 'RR'], ['Receiver not ready', 'RNR'], ['Reject', 'REJ'], ['Selective reject', 'SREJ']] as const;

/** Organization codes Wireshark names in the SNAP header. */
const OUI_NAMES: Readonly<Record<number, string>> = {
  0x000000: 'Officially Xerox, but 0:0:0:0:0:0 is more common',
  0x0000f8: 'Cisco 90-Compatible',
  0x00000c: 'Cisco Systems, Inc',
  0x0080c2: 'IEEE 802.1 Chair',
  0x00120f: 'IEEE 802.3 Chair',
  0x080007: 'Apple',
};

function namesOf(table: Readonly<Record<number, readonly [string, string]>>): Record<number, string> {
  const out: Record<number, string> = {};
  for (const [k, v] of Object.entries(table)) out[Number(k) >> 2] = v[0];
  return out;
}

export const llcProto = defineProtocol('llc', 'Logical-Link Control');
export const llcFields = {
  dsap: defineField({ name: 'llc.dsap', label: 'DSAP', type: 'uint', base: 'hex', bits: 8, valueStrings: SAP_VALUE_NAMES }),
  dsapSap: defineField({ name: 'llc.dsap.sap', label: 'SAP', type: 'uint', bits: 8, bitmask: 0xfe }),
  dsapIg: defineField({ name: 'llc.dsap.ig', label: 'IG Bit', type: 'bool', bits: 8, bitmask: 0x01, trueFalse: ['Group', 'Individual'] }),
  ssap: defineField({ name: 'llc.ssap', label: 'SSAP', type: 'uint', base: 'hex', bits: 8, valueStrings: SAP_VALUE_NAMES }),
  ssapSap: defineField({ name: 'llc.ssap.sap', label: 'SAP', type: 'uint', bits: 8, bitmask: 0xfe }),
  ssapCr: defineField({ name: 'llc.ssap.cr', label: 'CR Bit', type: 'bool', bits: 8, bitmask: 0x01, trueFalse: ['Response', 'Command'] }),
  control: defineField({ name: 'llc.control', label: 'Control', type: 'uint', base: 'hex', bits: 16 }),
  nR: defineField({ name: 'llc.control.n_r', label: 'N(R)', type: 'uint', bits: 16, bitmask: 0xfe00 }),
  nS: defineField({ name: 'llc.control.n_s', label: 'N(S)', type: 'uint', bits: 16, bitmask: 0x00fe }),
  p: defineField({ name: 'llc.control.p', label: 'Poll', type: 'bool', bits: 8, bitmask: 0x10, trueFalse: ['Set', 'Not set'] }),
  f: defineField({ name: 'llc.control.f', label: 'Final', type: 'bool', bits: 8, bitmask: 0x10, trueFalse: ['Set', 'Not set'] }),
  sFtype: defineField({
    name: 'llc.control.s_ftype', label: 'Supervisory frame type', type: 'uint', base: 'hex', bits: 16, bitmask: 0x0c,
    valueStrings: { 0: 'Receiver ready', 1: 'Receiver not ready', 2: 'Reject', 3: 'Selective reject' },
  }),
  uCmd: defineField({ name: 'llc.control.u_modifier_cmd', label: 'Command', type: 'uint', base: 'hex', bits: 8, bitmask: 0xec, valueStrings: namesOf(U_CMD) }),
  uResp: defineField({ name: 'llc.control.u_modifier_resp', label: 'Response', type: 'uint', base: 'hex', bits: 8, bitmask: 0xec, valueStrings: namesOf(U_RESP) }),
  ftype: defineField({
    name: 'llc.control.ftype', label: 'Frame type', type: 'uint', base: 'hex', bits: 16, bitmask: 0x01,
    valueStrings: { 0: 'Information frame', 1: 'Supervisory frame', 3: 'Unnumbered frame' },
  }),
  oui: defineField({ name: 'llc.oui', label: 'Organization Code', type: 'uint', bits: 24 }),
  type: defineField({ name: 'llc.type', label: 'Type', type: 'uint', base: 'hex', bits: 16, valueStrings: ETHERTYPE_NAMES }),
  pid: defineField({ name: 'llc.pid', label: 'Protocol ID', type: 'uint', base: 'hex', bits: 16 }),
};

function sapName(sap: number): string {
  return SAP_NAMES[sap] ?? `0x${sap.toString(16).padStart(2, '0')}`;
}

function hex(v: number, digits: number): string {
  return '0x' + v.toString(16).padStart(digits, '0');
}

export function dissectLlc(ctx: DissectContext, offset: number, end: number): void {
  const { sink, bytes } = ctx;
  ctx.protocols.push('llc');
  ctx.setProtocol('LLC');
  ctx.setInfo('');
  const text = sink.wantsText;
  sink.open(llcProto, offset, Math.max(0, Math.min(3, ctx.remaining(offset), end - offset)), null);
  if (!need(ctx, 'LLC', 'llc.dsap', offset, 2, end)) {
    sink.close();
    return;
  }
  const dsap = bytes[offset];
  const ssap = bytes[offset + 1];
  sink.open(llcFields.dsap, offset, 1, dsap);
  sink.add(llcFields.dsapSap, offset, 1, dsap >> 1, 0, text ? `${bitsOf(dsap, 0xfe)} = SAP: ${SAP_NAMES[dsap & 0xfe] ?? 'Unknown'}` : undefined);
  sink.add(llcFields.dsapIg, offset, 1, (dsap & 1) === 1);
  sink.close();
  sink.open(llcFields.ssap, offset + 1, 1, ssap);
  sink.add(llcFields.ssapSap, offset + 1, 1, ssap >> 1, 0, text ? `${bitsOf(ssap, 0xfe)} = SAP: ${SAP_NAMES[ssap & 0xfe] ?? 'Unknown'}` : undefined);
  sink.add(llcFields.ssapCr, offset + 1, 1, (ssap & 1) === 1);
  sink.close();
  const isResponse = (ssap & 1) === 1;

  if (!need(ctx, 'LLC', 'llc.control', offset + 2, 1, end)) {
    sink.close();
    return;
  }
  const c0 = bytes[offset + 2];
  let info: string;
  let ctlLen = 1;
  if ((c0 & 3) === 3) {
    // Unnumbered: one byte, modifier bits and P/F.
    const mod = c0 & 0xec;
    const names = (isResponse ? U_RESP : U_CMD)[mod];
    const pf = (c0 & 0x10) !== 0 ? (isResponse ? ' F' : ' P') : '';
    info = `U${pf}, func=${names ? names[1] : 'Unknown'}`;
    sink.open(llcFields.control, offset + 2, 1, c0, 0, text ? `Control field: ${info} (${hex(c0, 2)})` : undefined);
    sink.add(isResponse ? llcFields.uResp : llcFields.uCmd, offset + 2, 1, mod >> 2);
    if (c0 & 0x10) sink.add(isResponse ? llcFields.f : llcFields.p, offset + 2, 1, true);
    sink.add(llcFields.ftype, offset + 2, 1, 3, 0, text ? '.... ..11 = Frame type: Unnumbered frame (0x3)' : undefined);
    sink.close();
  } else {
    // Information and supervisory frames use the 2-byte (modulo 128) control field, little-endian.
    ctlLen = 2;
    if (!need(ctx, 'LLC', 'llc.control', offset + 2, 2, end)) {
      sink.close();
      return;
    }
    const c = c0 | (bytes[offset + 3] << 8);
    const nr = c >> 9;
    const pf = (c & 0x100) !== 0 ? (isResponse ? ' F' : ' P') : '';
    if ((c0 & 1) === 0) {
      info = `I${pf}, N(R)=${nr}, N(S)=${(c >> 1) & 0x7f}`;
    } else {
      info = `S${pf}, func=${S_NAMES[(c >> 2) & 3][1]}, N(R)=${nr}`;
    }
    sink.open(llcFields.control, offset + 2, 2, c, 0, text ? `Control field: ${info} (${hex(c, 4)})` : undefined);
    sink.add(llcFields.nR, offset + 2, 2, nr);
    if ((c0 & 1) === 0) sink.add(llcFields.nS, offset + 2, 2, (c >> 1) & 0x7f);
    else sink.add(llcFields.sFtype, offset + 2, 2, (c >> 2) & 3);
    sink.add((isResponse ? llcFields.f : llcFields.p), offset + 2, 2, (c & 0x100) !== 0);
    sink.add(llcFields.ftype, offset + 2, 2, c0 & 1 ? 1 : 0);
    sink.close();
  }
  ctx.setInfo(info);
  let pos = offset + 2 + ctlLen;

  if (dsap === 0xaa && ssap === 0xaa && ctlLen === 1) {
    // SNAP: 3-byte organization code, 2-byte protocol id.
    if (!need(ctx, 'LLC', 'llc.oui', pos, 5, end)) {
      sink.close();
      return;
    }
    const oui = (bytes[pos] << 16) | (bytes[pos + 1] << 8) | bytes[pos + 2];
    const pid = (bytes[pos + 3] << 8) | bytes[pos + 4];
    const ouiName = OUI_NAMES[oui] ?? 'Unknown';
    sink.add(llcFields.oui, pos, 3, oui, 0,
      text ? `Organization Code: ${hex(bytes[pos], 2).slice(2)}:${hex(bytes[pos + 1], 2).slice(2)}:${hex(bytes[pos + 2], 2).slice(2)} (${ouiName})` : undefined);
    const encapsulatedEthernet = oui === 0 || oui === 0x0000f8;
    sink.add(encapsulatedEthernet ? llcFields.type : llcFields.pid, pos + 3, 2, pid);
    sink.close(Math.max(0, Math.min(pos + 5, end, ctx.bytes.length) - offset));
    pos += 5;
    ctx.appendInfo(`; SNAP, OUI ${hex(oui, 6).toUpperCase().replace('0X', '0x')} (${ouiName}), PID ${hex(pid, 4).toUpperCase().replace('0X', '0x')}`);
    const next = encapsulatedEthernet ? etherTypes.get(pid) : undefined;
    if (next) next(ctx, pos, end);
    else dissectData(ctx, pos, end);
    return;
  }
  sink.close(Math.max(0, Math.min(pos, end, ctx.bytes.length) - offset));
  ctx.setInfo(`${info}; DSAP ${sapName(dsap & 0xfe)} ${dsap & 1 ? 'Group' : 'Individual'}, SSAP ${sapName(ssap & 0xfe)} ${isResponse ? 'Response' : 'Command'}`);
  dissectData(ctx, pos, end);
}

/** "1010 101." for an 8-bit value under a mask. */
function bitsOf(value: number, mask: number): string {
  let out = '';
  for (let i = 7; i >= 0; i--) {
    out += mask & (1 << i) ? (value & (1 << i) ? '1' : '0') : '.';
    if (i === 4) out += ' ';
  }
  return out;
}

registerLlc(dissectLlc);
