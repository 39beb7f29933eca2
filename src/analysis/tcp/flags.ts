/**
 * Wireshark's TCP analysis flags (packet-tcp.c TCP_A_*): the bit values are Wireshark's, so a
 * bitmask stored by the packet index means the same thing as in Wireshark's sources and docs.
 * Isomorphic.
 */

export const TCP_A_RETRANSMISSION = 0x0001;
export const TCP_A_LOST_PACKET = 0x0002;
export const TCP_A_ACK_LOST_PACKET = 0x0004;
export const TCP_A_KEEP_ALIVE = 0x0008;
export const TCP_A_DUPLICATE_ACK = 0x0010;
export const TCP_A_ZERO_WINDOW = 0x0020;
export const TCP_A_ZERO_WINDOW_PROBE = 0x0040;
export const TCP_A_ZERO_WINDOW_PROBE_ACK = 0x0080;
export const TCP_A_KEEP_ALIVE_ACK = 0x0100;
export const TCP_A_OUT_OF_ORDER = 0x0200;
export const TCP_A_FAST_RETRANSMISSION = 0x0400;
export const TCP_A_WINDOW_UPDATE = 0x0800;
export const TCP_A_WINDOW_FULL = 0x1000;
export const TCP_A_REUSED_PORTS = 0x2000;
export const TCP_A_SPURIOUS_RETRANSMISSION = 0x4000;

/** Number of distinct flag bits (bit i ↔ 1 << i). */
export const TCP_FLAG_BITS = 15;

/** Flag bit → display-filter suffix (tcp.analysis.<name>), as Wireshark names them. */
export const TCP_FLAG_NAMES: Readonly<Record<number, string>> = {
  [TCP_A_RETRANSMISSION]: 'retransmission',
  [TCP_A_LOST_PACKET]: 'lost_segment',
  [TCP_A_ACK_LOST_PACKET]: 'ack_lost_segment',
  [TCP_A_KEEP_ALIVE]: 'keep_alive',
  [TCP_A_DUPLICATE_ACK]: 'duplicate_ack',
  [TCP_A_ZERO_WINDOW]: 'zero_window',
  [TCP_A_ZERO_WINDOW_PROBE]: 'zero_window_probe',
  [TCP_A_ZERO_WINDOW_PROBE_ACK]: 'zero_window_probe_ack',
  [TCP_A_KEEP_ALIVE_ACK]: 'keep_alive_ack',
  [TCP_A_OUT_OF_ORDER]: 'out_of_order',
  [TCP_A_FAST_RETRANSMISSION]: 'fast_retransmission',
  [TCP_A_WINDOW_UPDATE]: 'window_update',
  [TCP_A_WINDOW_FULL]: 'window_full',
  [TCP_A_REUSED_PORTS]: 'reused_ports',
  [TCP_A_SPURIOUS_RETRANSMISSION]: 'spurious_retransmission',
};

/** The flag names of a bitmask, in bit order (for JSON / the diagram). */
export function flagNames(flags: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < TCP_FLAG_BITS; i++) {
    const bit = 1 << i;
    if (flags & bit) out.push(TCP_FLAG_NAMES[bit]);
  }
  return out;
}

/** Flags that mean "this segment carries data that was already sent" (any retransmission kind). */
export const TCP_A_ANY_RETRANSMISSION =
  TCP_A_RETRANSMISSION | TCP_A_FAST_RETRANSMISSION | TCP_A_SPURIOUS_RETRANSMISSION;

/**
 * The Info column prefix Wireshark puts in front of a flagged segment. Wireshark prepends each
 * text with col_prepend_fence_fstr in the order tcp_print_sequence_number_analysis reports them
 * (reused ports, retransmission kinds, lost, window, keep-alive, dup ACK, zero window), so the
 * last one reported ends up first: e.g. "[TCP Window Full] [TCP Previous segment not captured] ".
 */
export function infoPrefix(flags: number, dupAckFrame: number, dupAckNum: number): string {
  if (flags === 0) return '';
  let s = '';
  const pre = (t: string) => { s = t + s; };
  if (flags & TCP_A_REUSED_PORTS) pre('[TCP Port numbers reused] ');
  if (flags & TCP_A_RETRANSMISSION) pre('[TCP Retransmission] ');
  if (flags & TCP_A_FAST_RETRANSMISSION) pre('[TCP Fast Retransmission] ');
  if (flags & TCP_A_SPURIOUS_RETRANSMISSION) pre('[TCP Spurious Retransmission] ');
  if (flags & TCP_A_OUT_OF_ORDER) pre('[TCP Out-Of-Order] ');
  if (flags & TCP_A_LOST_PACKET) pre('[TCP Previous segment not captured] ');
  if (flags & TCP_A_ACK_LOST_PACKET) pre('[TCP ACKed unseen segment] ');
  if (flags & TCP_A_WINDOW_UPDATE) pre('[TCP Window Update] ');
  if (flags & TCP_A_WINDOW_FULL) pre('[TCP Window Full] ');
  if (flags & TCP_A_KEEP_ALIVE) pre('[TCP Keep-Alive] ');
  if (flags & TCP_A_KEEP_ALIVE_ACK) pre('[TCP Keep-Alive ACK] ');
  if ((flags & TCP_A_DUPLICATE_ACK) && dupAckNum) pre(`[TCP Dup ACK ${dupAckFrame}#${dupAckNum}] `);
  if (flags & TCP_A_ZERO_WINDOW_PROBE) pre('[TCP ZeroWindowProbe] ');
  if (flags & TCP_A_ZERO_WINDOW) pre('[TCP ZeroWindow] ');
  if (flags & TCP_A_ZERO_WINDOW_PROBE_ACK) pre('[TCP ZeroWindowProbeAck] ');
  return s;
}
