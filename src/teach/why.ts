/**
 * "Why?" expanders: the classic questions (why three handshakes and not two, why ack = ISN + 1,
 * why the ISN is random, what if the third ACK is lost, why four segments to close, why
 * TIME_WAIT, why a RST, why duplicate ACKs, DNS recursion, ARP broadcast, TTL), each answered
 * with this capture's frames and numbers. Built after every step was read, so the SYN's step
 * can already name the frame of the third ACK. Isomorphic.
 */
import type { StreamContext } from './tcp-notes.js';
import type { MessageParam, TeachMessage, WhyTopic, WhyTopicId } from './types.js';

const msg = (key: string, params: Record<string, MessageParam> = {}): TeachMessage => ({ key: `why.${key}`, params });

function topic(id: WhyTopicId, answer: TeachMessage[], params: Record<string, MessageParam> = {}): WhyTopic {
  return { id, question: msg(`${id}.q`, params), answer };
}

/** Handshake topics for a TCP stream (only what the capture can back with numbers). */
export function handshakeTopics(s: StreamContext, firstClientData: { frame: number; ack: number } | null): WhyTopic[] {
  const out: WhyTopic[] = [];
  const clientIsn = s.client.rawIsn;
  const serverIsn = s.server.rawIsn;
  if (clientIsn < 0) return out;
  const synFrame = s.client.synFrame;
  if (s.synAckFrame) {
    const a: TeachMessage[] = [msg('three-way.a1', { clientIsn, synFrame, synAckFrame: s.synAckFrame, synAckRawAck: s.synAckRawAck })];
    if (s.handshakeAckFrame) {
      a.push(msg('three-way.a2', { serverIsn, ackFrame: s.handshakeAckFrame, ackRawAck: s.handshakeRawAck }));
    } else {
      a.push(msg('three-way.a2-missing', { serverIsn }));
    }
    a.push(msg('three-way.a3'));
    out.push(topic('three-way', a));
    out.push(topic('ack-plus-one', [msg('ack-plus-one.a', { isn: clientIsn, ack: s.synAckRawAck, synFrame, synAckFrame: s.synAckFrame })]));
  }
  out.push(topic('isn-random', [
    serverIsn >= 0 ? msg('isn-random.a1', { clientIsn, serverIsn }) : msg('isn-random.a1-client', { clientIsn }),
    msg('isn-random.a2'),
  ]));
  if (s.handshakeAckFrame && s.synAckFrame) {
    const a = [msg('third-ack-lost.a1', { ackFrame: s.handshakeAckFrame, synAckFrame: s.synAckFrame })];
    if (firstClientData) a.push(msg('third-ack-lost.a2', { dataFrame: firstClientData.frame, ack: firstClientData.ack }));
    else a.push(msg('third-ack-lost.a2-nodata'));
    out.push(topic('third-ack-lost', a, { ackFrame: s.handshakeAckFrame }));
  }
  return out;
}

/** Teardown topics: why four segments (or three here), why TIME_WAIT. */
export function teardownTopics(s: StreamContext): WhyTopic[] {
  const out: WhyTopic[] = [];
  const first = s.firstFin;
  if (!first) return out;
  const other = first.role === 'client' ? 'server' : 'client';
  const a: TeachMessage[] = [msg('four-way.a1', { first: first.role, other, firstFin: first.frame })];
  const second = s.secondFin;
  if (second) {
    a.push(msg(second.merged ? 'four-way.a2-merged' : 'four-way.a2', { other, secondFin: second.frame }));
  } else {
    a.push(msg('four-way.a2-half', { other }));
  }
  out.push(topic('four-way', a));
  if (s.timeWait && s.lastCloseAck) {
    const role = s.timeWait.role;
    out.push(topic('time-wait', [
      msg('time-wait.a1', { side: role, peer: role === 'client' ? 'server' : 'client', frame: s.lastCloseAck.frame }),
      msg('time-wait.a2'),
    ]));
  } else if (s.timeWait) {
    const role = s.timeWait.role;
    out.push(topic('time-wait', [msg('time-wait.a1-noack', { side: role }), msg('time-wait.a2')]));
  }
  return out;
}

export function rstTopic(s: StreamContext, port: number, host: string): WhyTopic | null {
  if (!s.rst) return null;
  return s.rst.refused
    ? topic('rst', [msg('rst.a-refused', { port, host, frame: s.rst.frame })])
    : topic('rst', [msg('rst.a-abort', { sender: s.rst.role, frame: s.rst.frame })]);
}

export function dupAckTopic(ack: number, count: number): WhyTopic {
  return topic('dup-ack', [msg('dup-ack.a1', { ack }), msg('dup-ack.a2', { count })]);
}

export function dnsTopic(server: string, rd: boolean, ra: boolean | undefined): WhyTopic {
  const a = [msg('dns-recursion.a1', { server, rd: rd ? 1 : 0 })];
  if (ra !== undefined) a.push(msg(ra ? 'dns-recursion.a2' : 'dns-recursion.a2-off', { server }));
  a.push(msg('dns-recursion.a3'));
  return topic('dns-recursion', a);
}

export function arpTopic(asker: string, target: string): WhyTopic {
  return topic('arp-broadcast', [msg('arp-broadcast.a1', { asker, target }), msg('arp-broadcast.a2', { target })]);
}

export function ttlTopic(ttl: number): WhyTopic {
  return topic('ttl', [msg('ttl.a1', { ttl }), msg('ttl.a2')]);
}
