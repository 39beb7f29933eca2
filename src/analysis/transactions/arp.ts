/**
 * ARP request ↔ reply pairing and address conflicts (Wireshark has no pairing fields; its
 * duplicate-address detection is the ARP dissector's arp.duplicate-address-* fields). A request
 * "who has T? tell S" is answered by the next reply "T is at M" sent to S; gratuitous ARPs
 * (sender = target address) announce rather than ask; an IPv4 address claimed by a second MAC
 * while the first is still known is a conflict — what ARP spoofing looks like. Isomorphic.
 */

export interface ArpPacket {
  frame: number;
  tsSec: number;
  tsNsec: number;
  /** 1 request, 2 reply. */
  opcode: number;
  senderMac: string;
  senderIp: string;
  targetMac: string;
  targetIp: string;
}

export interface ArpExchange {
  requestFrame: number;
  /** 0 while unanswered. */
  replyFrame: number;
  askedFor: string;
  askedBy: string;
  /** MAC in the reply ("" while unanswered). */
  answer: string;
  /** Nanoseconds from request to reply, -1 when unanswered. */
  responseTimeNs: number;
}

export interface ArpConflict {
  frame: number;
  ip: string;
  mac: string;
  earlierMac: string;
  earlierFrame: number;
}

/** What one ARP packet meant, for notes and views. */
export interface ArpOutcome {
  gratuitous: boolean;
  /** For a reply: the request it answers (0 when none was seen). For a request: 0. */
  requestFrame: number;
  /** A request repeated while unanswered: the first one's frame (0 otherwise). */
  repeatOf: number;
  conflict: ArpConflict | null;
}

const MAX_ENTRIES = 65536;

export class ArpTracker {
  readonly exchanges: ArpExchange[] = [];
  readonly conflicts: ArpConflict[] = [];
  /** "target|asker" → the open exchange. */
  private open = new Map<string, ArpExchange & { tsSec: number; tsNsec: number }>();
  /** IP → the MAC that owns it and the last frame that said so. */
  private owners = new Map<string, { mac: string; frame: number }>();

  onArp(p: ArpPacket): ArpOutcome {
    const gratuitous = p.senderIp === p.targetIp;
    const out: ArpOutcome = { gratuitous, requestFrame: 0, repeatOf: 0, conflict: null };
    out.conflict = this.claim(p.frame, p.senderIp, p.senderMac);
    if (p.opcode === 1 && !gratuitous) {
      const key = `${p.targetIp}|${p.senderIp}`;
      const prev = this.open.get(key);
      if (prev) out.repeatOf = prev.requestFrame;
      else if (this.open.size < MAX_ENTRIES) {
        const ex = {
          requestFrame: p.frame, replyFrame: 0, askedFor: p.targetIp, askedBy: p.senderIp, answer: '',
          responseTimeNs: -1, tsSec: p.tsSec, tsNsec: p.tsNsec,
        };
        this.open.set(key, ex);
        this.exchanges.push(ex);
      }
    } else if (p.opcode === 2 && !gratuitous) {
      const key = `${p.senderIp}|${p.targetIp}`;
      const ex = this.open.get(key);
      if (ex) {
        this.open.delete(key);
        ex.replyFrame = p.frame;
        ex.answer = p.senderMac;
        ex.responseTimeNs = (p.tsSec - ex.tsSec) * 1e9 + (p.tsNsec - ex.tsNsec);
        out.requestFrame = ex.requestFrame;
      }
    }
    return out;
  }

  /** Requests nobody answered. */
  unanswered(): ArpExchange[] {
    return this.exchanges.filter((e) => e.replyFrame === 0);
  }

  private claim(frame: number, ip: string, mac: string): ArpConflict | null {
    if (ip === '0.0.0.0' || mac === 'ff:ff:ff:ff:ff:ff' || mac === '00:00:00:00:00:00') return null;
    const owner = this.owners.get(ip);
    if (!owner) {
      if (this.owners.size < MAX_ENTRIES) this.owners.set(ip, { mac, frame });
      return null;
    }
    if (owner.mac === mac) {
      owner.frame = frame;
      return null;
    }
    const conflict = { frame, ip, mac, earlierMac: owner.mac, earlierFrame: owner.frame };
    this.conflicts.push(conflict);
    return conflict;
  }
}
