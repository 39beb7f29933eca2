/**
 * TCP connections for the benchmark capture, simulated as a client-side capture would see
 * them: client packets at their send time, server packets at their arrival time.
 *
 * Model (RFC 9293 sequencing, RFC 5681 congestion control, RFC 6582 NewReno recovery,
 * RFC 6298 RTO, RFC 7323 timestamps/window scale, RFC 2018 SACK blocks on duplicate ACKs):
 * - handshake with MSS/SACK-permitted/timestamps/window-scale options, occasionally a lost
 *   SYN retransmitted after 1 s; refused connections (RST) and unanswered SYNs;
 * - HTTP/1.1 keep-alive request/response exchanges, or one bulk download;
 * - server data paced by the path's bottleneck, ack-clocked by the client's ACKs (one per two
 *   segments, delayed-ACK timer 40 ms), slow start then congestion avoidance;
 * - segment loss upstream of the capture point (the capture shows the gap, the client's
 *   duplicate ACKs with SACK, then the fast retransmission or an RTO retransmission),
 *   occasional reordering (out-of-order arrivals), lost client requests retransmitted on RTO;
 * - teardown by FIN (3-way or 4-way, client or server first) or by RST.
 */

import type { ContentSource } from './content.js';
import { StreamContent } from './content.js';
import type { EventQueue } from './event-queue.js';
import {
  ETH_IPV4,
  ETH_IPV6,
  PROTO_TCP,
  TCP_ACK,
  TCP_FIN,
  TCP_PSH,
  TCP_RST,
  TCP_SYN,
  pseudoSum,
  storeTransportChecksum,
  writeEthernet,
  writeIpv4,
  writeIpv6,
} from './net.js';
import type { Host } from './net.js';
import type { PcapOut } from './pcap-out.js';
import type { Prng } from './prng.js';

export interface TcpWorld {
  q: EventQueue;
  out: PcapOut;
  rng: Prng;
  content: ContentSource;
  gatewayMac: Uint8Array;
  lossRate: number;
  reorderRate: number;
  onDone(): void;
}

export type TcpKind = 'web' | 'bulk' | 'refused' | 'unanswered';

const MSS = 1448; // 1460 minus 12 bytes of timestamp option
const CLIENT_WS = 7;
const SERVER_WS = 9;
const CLIENT_WIN_RAW = 2048; // × 2^7 = 256 KiB
const SERVER_WIN_RAW = 256;
const MAX_CWND = (CLIENT_WIN_RAW << CLIENT_WS) / MSS;
const DELACK_US = 40000;
const MIN_RTO_US = 200000;

const OPT_NONE = 0;
const OPT_SYN = 1;
const OPT_TS = 2;
const OPT_TS_SACK = 3;

const enc = new TextEncoder();
const PATHS = ['/', '/index.html', '/static/app.js', '/static/style.css', '/static/font.woff2', '/api/items?page=2', '/news/today', '/search?q=tcp'];
const BULK_PATHS = ['/files/debian-12.iso', '/downloads/dataset.tar.gz', '/video/lecture-03.mp4', '/backup/db.dump'];

export class TcpConnection {
  private readonly v6: boolean;
  private readonly rtt: number;
  private readonly owd: number;
  /** Bottleneck time per full-size segment, µs. */
  private readonly gap: number;
  private readonly cIsn: number;
  private readonly sIsn: number;
  private readonly ttlIn: number;
  private readonly tsBaseC: number;
  private readonly tsBaseS: number;
  private tsRecentFromS = 0;
  private tsRecentFromC = 0;

  private readonly cData = new StreamContent();
  private readonly sData = new StreamContent();
  /** Client bytes sent / server bytes received of the client stream. */
  private cSent = 0;
  private sRcvd = 0;

  // Server sender state (stream offsets relative to ISN + 1).
  private sndUna = 0;
  private sndNxt = 0;
  private cwnd = 10;
  private ssthresh = Infinity;
  private dupAcks = 0;
  private inRecovery = false;
  private recover = 0;
  private lastArrival = 0;
  private rtoGen = 0;
  private rtoArmed = false;
  private rto: number;

  // Client receiver state.
  private rcvNext = 0;
  private readonly ooo: [number, number][] = [];
  private lastOoo = 0;
  private unacked = 0;
  private delackGen = 0;
  private awaiting = -1;

  private requestsLeft: number;
  private serverCloses: boolean;
  /** The server has queued the response to the last request. */
  private lastResponseQueued = false;
  private done = false;

  constructor(
    private readonly w: TcpWorld,
    private readonly kind: TcpKind,
    private readonly client: Host,
    private readonly server: Host,
    v6: boolean,
    private readonly cPort: number,
    private readonly sPort: number,
    private readonly hostName: string,
  ) {
    const rng = w.rng;
    this.v6 = v6;
    this.rtt = Math.round(rng.logUniform(400, 120000));
    this.owd = Math.round(this.rtt / 2);
    // Bottleneck 2 Mbit/s … 200 Mbit/s: 60 µs … 6 ms per 1514-byte frame.
    this.gap = (1514 * 8) / rng.logUniform(2, 200);
    this.rto = Math.max(MIN_RTO_US, Math.round(this.rtt * 3));
    this.cIsn = rng.u32();
    this.sIsn = rng.u32();
    this.ttlIn = 64 - rng.int(6, 20);
    this.tsBaseC = rng.u32();
    this.tsBaseS = rng.u32();
    this.requestsLeft = kind === 'web' ? rng.int(1, 12) : 1;
    this.serverCloses = rng.chance(0.15);
  }

  start(t: number): void {
    const { q, rng } = this.w;
    this.emitSyn(t, true, TCP_SYN, 64240);
    if (this.kind === 'unanswered') {
      q.at(t + 1000000, () => this.emitSyn(q.now, true, TCP_SYN, 64240));
      q.at(t + 3000000, () => {
        this.emitSyn(q.now, true, TCP_SYN, 64240);
        this.finish();
      });
      return;
    }
    let tSyn = t;
    if (rng.chance(this.w.lossRate / 2)) {
      tSyn = t + 1000000;
      q.at(tSyn, () => this.emitSyn(q.now, true, TCP_SYN, 64240));
    }
    if (this.kind === 'refused') {
      q.at(tSyn + this.rtt, () => {
        this.emitRaw(q.now, false, 0, (this.cIsn + 1) >>> 0, TCP_RST | TCP_ACK, 0, OPT_NONE, 0, 0);
        this.finish();
      });
      return;
    }
    q.at(tSyn + this.rtt + 30, () => {
      this.emitSyn(q.now, false, TCP_SYN | TCP_ACK, 65160);
      const tAck = q.now + rng.int(15, 60);
      q.at(tAck, () => {
        this.clientAck(q.now);
        q.at(q.now + rng.int(20, 200), () => this.sendRequest(q.now));
      });
    });
  }

  // ---- client side -------------------------------------------------------------------------

  private sendRequest(t: number): void {
    const { rng, q } = this.w;
    const bulk = this.kind === 'bulk';
    const path = bulk ? rng.pick(BULK_PATHS) : rng.pick(PATHS);
    const head = enc.encode(
      `GET ${path} HTTP/1.1\r\nHost: ${this.hostName}\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64) bench/1.0\r\n` +
        `Accept: */*\r\nAccept-Encoding: gzip, deflate\r\nConnection: ${this.requestsLeft > 1 || !this.serverCloses ? 'keep-alive' : 'close'}\r\n\r\n`,
    );
    const m = this.cData.append(head, 0, head, 0);
    const rel = m.start;
    const len = head.length;
    this.cSent += len;
    this.requestsLeft--;
    this.emitData(t, true, rel, len, TCP_PSH | TCP_ACK);
    let tArrive = t + this.owd;
    if (rng.chance(this.w.lossRate)) {
      // Lost after the capture point: the client's RTO resends it.
      const tRetx = t + this.rto;
      q.at(tRetx, () => this.emitData(q.now, true, rel, len, TCP_PSH | TCP_ACK));
      tArrive = tRetx + this.owd;
    }
    q.at(tArrive, () => this.serverGotRequest(q.now, rel + len, path, bulk));
  }

  /** A pure ACK from the client (also the handshake's third segment). */
  private clientAck(t: number): void {
    const q = this.w.q;
    if (t > q.now) {
      // Packets are written in time order: a later ACK is an event of its own.
      q.at(t, () => this.clientAck(q.now));
      return;
    }
    this.unacked = 0;
    this.delackGen++;
    const sack = this.ooo.length > 0;
    this.emitRaw(t, true, this.cSeq(this.cSent), this.sSeq(this.rcvNext), TCP_ACK, CLIENT_WIN_RAW, sack ? OPT_TS_SACK : OPT_TS, 0, 0);
    const ack = this.rcvNext;
    this.w.q.at(t + this.owd, () => this.serverGotAck(this.w.q.now, ack));
  }

  private clientGotData(t: number, rel: number, len: number, push: boolean): void {
    const { q, rng } = this.w;
    const end = rel + len;
    if (end <= this.rcvNext) {
      // A spurious retransmission: answer at once with a duplicate ACK.
      this.clientAck(t + rng.int(5, 30));
      return;
    }
    if (rel > this.rcvNext) {
      this.addOoo(rel, end);
      this.clientAck(t + rng.int(5, 30));
      return;
    }
    const hadHole = this.ooo.length > 0;
    this.rcvNext = end;
    while (this.ooo.length > 0 && this.ooo[0][0] <= this.rcvNext) {
      this.rcvNext = Math.max(this.rcvNext, this.ooo[0][1]);
      this.ooo.shift();
    }
    this.unacked++;
    if (hadHole || this.unacked >= 2 || push) {
      this.clientAck(t + rng.int(5, 40));
    } else {
      const gen = ++this.delackGen;
      q.at(t + DELACK_US, () => {
        if (gen === this.delackGen && this.unacked > 0) this.clientAck(q.now);
      });
    }
    if (this.awaiting >= 0 && this.rcvNext >= this.awaiting) {
      this.awaiting = -1;
      this.responseComplete(t);
    }
  }

  private addOoo(start: number, end: number): void {
    const o = this.ooo;
    let i = 0;
    while (i < o.length && o[i][1] < start) i++;
    if (i < o.length && o[i][0] <= end) {
      o[i][0] = Math.min(o[i][0], start);
      o[i][1] = Math.max(o[i][1], end);
      while (i + 1 < o.length && o[i + 1][0] <= o[i][1]) {
        o[i][1] = Math.max(o[i][1], o[i + 1][1]);
        o.splice(i + 1, 1);
      }
    } else {
      o.splice(i, 0, [start, end]);
    }
    this.lastOoo = start;
  }

  private responseComplete(t: number): void {
    const { q, rng } = this.w;
    if (this.requestsLeft > 0) {
      q.at(t + Math.round(rng.logUniform(300, 800000)), () => this.sendRequest(q.now));
      return;
    }
    if (this.serverCloses) return; // the server's FIN follows once it sees the final ACK
    q.at(t + Math.round(rng.logUniform(200, 200000)), () => this.clientClose(q.now));
  }

  private clientClose(t: number): void {
    const { q, rng } = this.w;
    const r = rng.float();
    if (r < 0.1) {
      this.emitRaw(t, true, this.cSeq(this.cSent), this.sSeq(this.rcvNext), TCP_RST | TCP_ACK, CLIENT_WIN_RAW, OPT_NONE, 0, 0);
      this.finish();
      return;
    }
    this.emitRaw(t, true, this.cSeq(this.cSent), this.sSeq(this.rcvNext), TCP_FIN | TCP_ACK, CLIENT_WIN_RAW, OPT_TS, 0, 0);
    const sFin = this.sData.total;
    const tS = t + this.rtt;
    if (r < 0.75) {
      // Three-way close: the server's FIN rides on its ACK.
      q.at(tS, () => {
        this.emitRaw(q.now, false, this.sSeq(sFin), this.cSeq(this.cSent + 1), TCP_FIN | TCP_ACK, SERVER_WIN_RAW, OPT_TS, 0, 0);
        q.at(q.now + rng.int(10, 50), () => {
          this.emitRaw(q.now, true, this.cSeq(this.cSent + 1), this.sSeq(sFin + 1), TCP_ACK, CLIENT_WIN_RAW, OPT_TS, 0, 0);
          this.finish();
        });
      });
    } else {
      q.at(tS, () => {
        this.emitRaw(q.now, false, this.sSeq(sFin), this.cSeq(this.cSent + 1), TCP_ACK, SERVER_WIN_RAW, OPT_TS, 0, 0);
        q.at(q.now + rng.int(50, 5000), () => {
          this.emitRaw(q.now, false, this.sSeq(sFin), this.cSeq(this.cSent + 1), TCP_FIN | TCP_ACK, SERVER_WIN_RAW, OPT_TS, 0, 0);
          q.at(q.now + rng.int(10, 50), () => {
            this.emitRaw(q.now, true, this.cSeq(this.cSent + 1), this.sSeq(sFin + 1), TCP_ACK, CLIENT_WIN_RAW, OPT_TS, 0, 0);
            this.finish();
          });
        });
      });
    }
  }

  // ---- server side (events at server time; packets appear at the client one-way later) ----

  private serverGotRequest(ts: number, upTo: number, path: string, bulk: boolean): void {
    const { q, rng } = this.w;
    if (upTo <= this.sRcvd) return;
    this.sRcvd = upTo;
    const think = Math.round(bulk ? rng.logUniform(500, 20000) : rng.logUniform(80, 60000));
    if (think > DELACK_US) {
      // The server's delayed ACK goes out before the response is ready.
      q.at(ts + DELACK_US + this.owd, () =>
        this.emitRaw(q.now, false, this.sSeq(this.sndNxt), this.cSeq(this.sRcvd), TCP_ACK, SERVER_WIN_RAW, OPT_TS, 0, 0),
      );
    }
    q.at(ts + think, () => {
      this.queueResponse(path, bulk);
      this.serverSend(q.now);
    });
  }

  private queueResponse(path: string, bulk: boolean): void {
    const { rng, content } = this.w;
    let status = '200 OK';
    let bodyLen: number;
    let type = 'text/html; charset=utf-8';
    let body = content.text;
    if (bulk) {
      bodyLen = Math.round(rng.logUniform(5e5, 1e7));
      type = 'application/octet-stream';
      body = content.binary;
    } else if (rng.chance(0.05)) {
      status = '404 Not Found';
      bodyLen = rng.int(150, 600);
    } else if (rng.chance(0.08)) {
      status = '304 Not Modified';
      bodyLen = 0;
    } else {
      bodyLen = Math.round(rng.logUniform(300, 250000));
      if (path.endsWith('.woff2')) {
        type = 'font/woff2';
        body = content.binary;
      } else if (path.endsWith('.js')) type = 'application/javascript';
      else if (path.endsWith('.css')) type = 'text/css';
      else if (path.startsWith('/api')) type = 'text/plain; charset=utf-8';
    }
    const close = this.requestsLeft === 0 && this.serverCloses;
    if (this.requestsLeft === 0) this.lastResponseQueued = true;
    const head = enc.encode(
      `HTTP/1.1 ${status}\r\nServer: nginx/1.24.0\r\nDate: Tue, 14 Nov 2023 22:13:20 GMT\r\nContent-Type: ${type}\r\n` +
        `Content-Length: ${bodyLen}\r\nConnection: ${close ? 'close' : 'keep-alive'}\r\n\r\n`,
    );
    const m = this.sData.append(head, bodyLen, body, rng.u32() % body.length);
    this.awaiting = m.start + head.length + bodyLen;
  }

  private inflightSegments(): number {
    return (this.sndNxt - this.sndUna) / MSS;
  }

  private serverSend(ts: number): void {
    const total = this.sData.total;
    const limit = Math.min(this.cwnd, MAX_CWND);
    while (this.sndNxt < total && this.inflightSegments() < limit) {
      const len = Math.min(MSS, total - this.sndNxt);
      this.transmit(ts, this.sndNxt, len);
      this.sndNxt += len;
    }
    if (this.sndNxt > this.sndUna && !this.rtoArmed) this.armRto(ts);
  }

  /** Puts one server segment on the path: lost, reordered, or arriving in turn. */
  private transmit(ts: number, rel: number, len: number): void {
    const { q, rng, lossRate, reorderRate } = this.w;
    if (rng.chance(lossRate)) return;
    const gap = (this.gap * (len + 66)) / (MSS + 66);
    const base = Math.max(ts + this.owd, this.lastArrival + gap);
    this.lastArrival = base;
    const arrive = rng.chance(reorderRate) ? base + 2.5 * this.gap + 3 : base;
    const push = rel + len === this.sData.messageEnd(rel);
    q.at(Math.round(arrive), () => {
      this.emitData(q.now, false, rel, len, push ? TCP_PSH | TCP_ACK : TCP_ACK);
      this.clientGotData(q.now, rel, len, push);
    });
  }

  private serverGotAck(ts: number, ack: number): void {
    if (ack > this.sndUna) {
      const acked = ack - this.sndUna;
      this.sndUna = ack;
      this.dupAcks = 0;
      if (this.inRecovery) {
        if (ack >= this.recover) {
          this.inRecovery = false;
          this.cwnd = this.ssthresh;
        } else {
          // NewReno partial ACK: the next hole is lost too.
          this.transmit(ts, this.sndUna, Math.min(MSS, this.sndNxt - this.sndUna));
        }
      } else if (this.cwnd < this.ssthresh) {
        this.cwnd += acked / MSS;
      } else {
        this.cwnd += acked / MSS / this.cwnd;
      }
      this.rtoGen++;
      this.rtoArmed = false;
      this.rto = Math.max(MIN_RTO_US, Math.round(this.rtt * 3));
    } else if (ack === this.sndUna && this.sndNxt > this.sndUna) {
      this.dupAcks++;
      if (this.dupAcks === 3 && !this.inRecovery) {
        this.ssthresh = Math.max(this.inflightSegments() / 2, 2);
        this.cwnd = this.ssthresh + 3;
        this.inRecovery = true;
        this.recover = this.sndNxt;
        this.transmit(ts, this.sndUna, Math.min(MSS, this.sndNxt - this.sndUna));
      } else if (this.inRecovery) {
        this.cwnd += 1;
      }
    }
    this.serverSend(ts);
    if (this.serverCloses && this.lastResponseQueued && this.sndUna === this.sData.total && !this.done) {
      this.serverClose(ts);
    }
  }

  private armRto(ts: number): void {
    const gen = ++this.rtoGen;
    this.rtoArmed = true;
    const { q } = this.w;
    q.at(ts + this.rto, () => {
      if (gen !== this.rtoGen || this.sndUna >= this.sndNxt || this.done) return;
      this.ssthresh = Math.max(this.inflightSegments() / 2, 2);
      this.cwnd = 1;
      this.inRecovery = false;
      this.dupAcks = 0;
      this.rto = Math.min(this.rto * 2, 60000000);
      this.transmit(q.now, this.sndUna, Math.min(MSS, this.sndNxt - this.sndUna));
      this.armRto(q.now);
    });
  }

  private serverClose(ts: number): void {
    const { q, rng } = this.w;
    this.done = true;
    const sFin = this.sData.total;
    q.at(ts + this.owd + rng.int(20, 300), () => {
      this.emitRaw(q.now, false, this.sSeq(sFin), this.cSeq(this.cSent), TCP_FIN | TCP_ACK, SERVER_WIN_RAW, OPT_TS, 0, 0);
      q.at(q.now + rng.int(10, 60), () => {
        this.emitRaw(q.now, true, this.cSeq(this.cSent), this.sSeq(sFin + 1), TCP_ACK, CLIENT_WIN_RAW, OPT_TS, 0, 0);
        q.at(q.now + rng.int(100, 3000), () => {
          this.emitRaw(q.now, true, this.cSeq(this.cSent), this.sSeq(sFin + 1), TCP_FIN | TCP_ACK, CLIENT_WIN_RAW, OPT_TS, 0, 0);
          q.at(q.now + this.rtt, () => {
            this.emitRaw(q.now, false, this.sSeq(sFin + 1), this.cSeq(this.cSent + 1), TCP_ACK, SERVER_WIN_RAW, OPT_TS, 0, 0);
            this.finishNow();
          });
        });
      });
    });
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.finishNow();
  }

  private finishNow(): void {
    this.rtoGen++;
    this.delackGen++;
    this.w.onDone();
  }

  // ---- packet output -----------------------------------------------------------------------

  private cSeq(rel: number): number {
    return (this.cIsn + 1 + rel) >>> 0;
  }

  private sSeq(rel: number): number {
    return (this.sIsn + 1 + rel) >>> 0;
  }

  /** A handshake segment: seq is the ISN, ack the peer's ISN + 1 on the SYN-ACK. */
  private emitSyn(t: number, fromClient: boolean, flags: number, win: number): void {
    const seq = fromClient ? this.cIsn : this.sIsn;
    const ack = flags & TCP_ACK ? (fromClient ? this.sIsn + 1 : this.cIsn + 1) >>> 0 : 0;
    this.emitRaw(t, fromClient, seq, ack, flags, win, OPT_SYN, 0, 0);
  }

  private emitData(t: number, fromClient: boolean, rel: number, len: number, flags: number): void {
    if (fromClient) {
      this.emitRaw(t, true, this.cSeq(rel), this.sSeq(this.rcvNext), flags, CLIENT_WIN_RAW, OPT_TS, len, rel);
    } else {
      this.emitRaw(t, false, this.sSeq(rel), this.cSeq(this.sRcvd), flags, SERVER_WIN_RAW, OPT_TS, len, rel);
    }
  }

  private emitRaw(t: number, fromClient: boolean, seq: number, ack: number, flags: number, win: number, opt: number, len: number, rel: number): void {
    const { out } = this.w;
    const v6 = this.v6;
    let optLen = 0;
    let sackBlocks = 0;
    if (opt === OPT_SYN) optLen = 20;
    else if (opt === OPT_TS) optLen = 12;
    else if (opt === OPT_TS_SACK) {
      sackBlocks = Math.min(this.ooo.length, 3);
      optLen = 12 + 4 + 8 * sackBlocks;
    }
    const tcpLen = 20 + optLen + len;
    const ipLen = v6 ? 40 : 20;
    const buf = out.buf;
    let o = out.record(t, 14 + ipLen + tcpLen);
    const src = fromClient ? this.client : this.server;
    const dst = fromClient ? this.server : this.client;
    const srcIp = v6 ? src.ip6 : src.ip4;
    const dstIp = v6 ? dst.ip6 : dst.ip4;
    const ttl = fromClient ? 64 : this.ttlIn;
    o = writeEthernet(buf, o, fromClient ? this.w.gatewayMac : this.client.mac, fromClient ? this.client.mac : this.w.gatewayMac, v6 ? ETH_IPV6 : ETH_IPV4);
    o = v6 ? writeIpv6(buf, o, srcIp, dstIp, PROTO_TCP, tcpLen, ttl, this.cPort & 0xfffff) : writeIpv4(buf, o, srcIp, dstIp, PROTO_TCP, tcpLen, ttl, out.nextIpId());
    const tcp = o;
    const sport = fromClient ? this.cPort : this.sPort;
    const dport = fromClient ? this.sPort : this.cPort;
    buf[o] = sport >>> 8;
    buf[o + 1] = sport & 0xff;
    buf[o + 2] = dport >>> 8;
    buf[o + 3] = dport & 0xff;
    put32(buf, o + 4, seq);
    put32(buf, o + 8, ack);
    buf[o + 12] = ((20 + optLen) / 4) << 4;
    buf[o + 13] = flags;
    buf[o + 14] = win >>> 8;
    buf[o + 15] = win & 0xff;
    buf[o + 16] = 0;
    buf[o + 17] = 0;
    buf[o + 18] = 0;
    buf[o + 19] = 0;
    o += 20;
    const tsval = ((fromClient ? this.tsBaseC : this.tsBaseS) + Math.floor(t / 1000)) >>> 0;
    const tsecr = flags & TCP_SYN && !(flags & TCP_ACK) ? 0 : fromClient ? this.tsRecentFromS : this.tsRecentFromC;
    if (opt === OPT_SYN) {
      // MSS 1460, SACK permitted, timestamps, NOP, window scale (Linux's order).
      buf[o] = 2;
      buf[o + 1] = 4;
      buf[o + 2] = 1460 >>> 8;
      buf[o + 3] = 1460 & 0xff;
      buf[o + 4] = 4;
      buf[o + 5] = 2;
      buf[o + 6] = 8;
      buf[o + 7] = 10;
      put32(buf, o + 8, tsval);
      put32(buf, o + 12, tsecr);
      buf[o + 16] = 1;
      buf[o + 17] = 3;
      buf[o + 18] = 3;
      buf[o + 19] = fromClient ? CLIENT_WS : SERVER_WS;
    } else if (opt !== OPT_NONE) {
      buf[o] = 1;
      buf[o + 1] = 1;
      buf[o + 2] = 8;
      buf[o + 3] = 10;
      put32(buf, o + 4, tsval);
      put32(buf, o + 8, tsecr);
      if (opt === OPT_TS_SACK) {
        buf[o + 12] = 1;
        buf[o + 13] = 1;
        buf[o + 14] = 5;
        buf[o + 15] = 2 + 8 * sackBlocks;
        // RFC 2018 §4: the block holding the most recent arrival first.
        let p = o + 16;
        const first = this.ooo.findIndex((b) => b[0] <= this.lastOoo && this.lastOoo < b[1]);
        const order = first > 0 ? [first, ...this.ooo.keys()].filter((v, i, a) => a.indexOf(v) === i) : [...this.ooo.keys()];
        for (let k = 0; k < sackBlocks; k++) {
          const b = this.ooo[order[k]];
          put32(buf, p, this.sSeq(b[0]));
          put32(buf, p + 4, this.sSeq(b[1]));
          p += 8;
        }
      }
    }
    o += optLen;
    if (len > 0) (fromClient ? this.cData : this.sData).copy(buf, o, rel, len);
    storeTransportChecksum(buf, tcp, tcpLen, tcp + 16, pseudoSum(srcIp, dstIp, PROTO_TCP, tcpLen), false);
    if (fromClient) this.tsRecentFromC = tsval;
    else this.tsRecentFromS = tsval;
  }
}

function put32(buf: Uint8Array, o: number, v: number): void {
  buf[o] = v >>> 24;
  buf[o + 1] = (v >>> 16) & 0xff;
  buf[o + 2] = (v >>> 8) & 0xff;
  buf[o + 3] = v & 0xff;
}
