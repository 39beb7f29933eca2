/**
 * The capture helper: a separate process, the only one that opens network interfaces (the
 * dumpcap model — only it needs CAP_NET_RAW/CAP_NET_ADMIN). It captures with libpcap through
 * the `cap` binding and streams the packets as pcapng to stdout; status goes to fd 3 as JSON
 * lines (helper-protocol.ts). It never decodes anything.
 *
 *   node capture-helper.js list
 *   node capture-helper.js capture --interface lo --filter "tcp port 80" --snaplen 262144 --promiscuous 1
 *
 * Known limits of cap 0.2.1 (the binding): it does not pass libpcap's packet header, so the
 * timestamp is taken when the packet reaches this process (a monotonic clock anchored to the
 * wall clock at start, nanosecond resolution) and the original length is the captured length
 * (libpcap's snaplen is fixed at 65535 by cap; --snaplen cuts shorter); it always opens the
 * interface in promiscuous mode; it does not expose pcap_stats, so kernel drops are read by
 * drop-probe.ts.
 * A poll error (interface down or removed) makes the binding abort the process: the engine
 * recognises that exit and reports it.
 */
import { readFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiErrorCode, InterfaceAddress, InterfaceInfo } from '../../api/types.js';
import { DropProbe, packetSocketFd } from './drop-probe.js';
import { DEFAULT_SNAPLEN, PERMISSION_HINT, CAP_MISSING_HINT, type HelperMessage } from './helper-protocol.js';

interface CapDevice {
  name: string;
  description?: string;
  addresses?: { addr?: string; netmask?: string; broadaddr?: string }[];
  flags?: string;
}

interface CapInstance {
  open(device: string, filter: string, bufSize: number, buffer: Buffer): string;
  close(): boolean;
}

interface CapModule {
  Cap: { new (): CapInstance; deviceList(): CapDevice[] };
}

const STATUS_FD = 3;

function status(msg: HelperMessage): void {
  try {
    writeSync(STATUS_FD, JSON.stringify(msg) + '\n');
  } catch {
    // The engine closed the status pipe: nothing left to tell.
  }
}

function fail(code: ApiErrorCode, message: string): never {
  status({ type: 'error', code, message });
  process.exit(2);
}

function loadCap(): CapModule {
  // WIRESCOPE_CAP_MODULE names another binding (tests use a missing one to see the error).
  const name = process.env.WIRESCOPE_CAP_MODULE ?? 'cap';
  try {
    return createRequire(import.meta.url)(name) as CapModule;
  } catch (err) {
    return fail('capture-unavailable', `${CAP_MISSING_HINT} (${(err as Error).message.split('\n')[0]})`);
  }
}

// ------------------------------------------------------------------ interfaces

function sysFlags(name: string): number | null {
  try {
    return parseInt(readFileSync(`/sys/class/net/${name}/flags`, 'utf8').trim(), 16);
  } catch {
    return null;
  }
}

const IFF_UP = 0x1;
const IFF_LOOPBACK = 0x8;

/** libpcap's PCAP_IF_LOOPBACK, or the kernel's IFF_LOOPBACK from /sys. */
function loopbackOf(capFlags: string | undefined, sys: number | null): boolean {
  return (capFlags ?? '').includes('LOOPBACK') || (sys !== null && (sys & IFF_LOOPBACK) !== 0);
}

export function describeInterfaces(devices: CapDevice[]): InterfaceInfo[] {
  return devices.map((d) => {
    const flags = sysFlags(d.name);
    const addresses: InterfaceAddress[] = (d.addresses ?? [])
      .filter((a) => typeof a.addr === 'string')
      .map((a) => ({
        address: a.addr!,
        netmask: a.netmask ?? null,
        family: a.addr!.includes(':') ? 'ipv6' : /^\d+\.\d+\.\d+\.\d+$/.test(a.addr!) ? 'ipv4' : 'other',
      }));
    const loopback = loopbackOf(d.flags, flags);
    const status: InterfaceInfo['status'] = d.name === 'any' ? 'up' : flags === null ? 'unknown' : flags & IFF_UP ? 'up' : 'down';
    return { name: d.name, description: d.description ?? null, addresses, loopback, status };
  });
}

// ------------------------------------------------------------------- errors

/** Sorts libpcap's error text into the API's error codes, with what to do about it. */
export function classifyOpenError(device: string, message: string): { code: ApiErrorCode; message: string } {
  if (/Operation not permitted|permission|not permitted|EPERM|EACCES/i.test(message)) {
    return { code: 'capture-permission', message: `No permission to capture on ${device} (${message}). ${PERMISSION_HINT}` };
  }
  if (/No such device|doesn't exist|no such interface|not found/i.test(message)) {
    return { code: 'no-such-interface', message: `There is no network interface named "${device}" (${message}). Pick one from the interface list.` };
  }
  if (/network is down|not up/i.test(message)) {
    return { code: 'interface-gone', message: `The interface ${device} is down (${message}). Bring it up (ip link set ${device} up) and start again.` };
  }
  return { code: 'io', message: `Cannot capture on ${device}: ${message}` };
}

// ------------------------------------------------------------- pcapng output

const LINKTYPE_BY_NAME: Record<string, number> = {
  NULL: 0, ETHERNET: 1, RAW: 101, LINKTYPE_LINUX_SLL: 113, IEEE802_11_RADIO: 127,
};

/** LINKTYPE_* for cap's answer ("ETHERNET", or "Unknown linktype <DLT>"). */
export function linkTypeOf(capName: string): number {
  const known = LINKTYPE_BY_NAME[capName];
  if (known !== undefined) return known;
  const m = /(\d+)/.exec(capName);
  const dlt = m ? Number(m[1]) : 1;
  // DLT_RAW is 12 (14 on OpenBSD); its LINKTYPE is 101. Above 104 DLT and LINKTYPE agree.
  return dlt === 12 || dlt === 14 ? 101 : dlt;
}

const pad4 = (n: number): number => (n + 3) & ~3;

function headerBlocks(linkType: number, snaplen: number, ifName: string): Buffer {
  const name = Buffer.from(ifName, 'utf8');
  const appl = Buffer.from('Wirescope capture helper', 'utf8');
  const shbLen = 28 + 4 + pad4(appl.length) + 4;
  const idbLen = 20 + 4 + pad4(name.length) + 4 + 4 + 4;
  const b = Buffer.alloc(shbLen + idbLen);
  // Section Header Block (pcapng §4.1), option shb_userappl (4).
  b.writeUInt32LE(0x0a0d0d0a, 0);
  b.writeUInt32LE(shbLen, 4);
  b.writeUInt32LE(0x1a2b3c4d, 8);
  b.writeUInt16LE(1, 12);
  b.writeUInt16LE(0, 14);
  b.writeInt32LE(-1, 16);
  b.writeInt32LE(-1, 20);
  b.writeUInt16LE(4, 24);
  b.writeUInt16LE(appl.length, 26);
  appl.copy(b, 28);
  // opt_endofopt is the zeroed 4 bytes after the padded value.
  b.writeUInt32LE(shbLen, shbLen - 4);
  // Interface Description Block (§4.2): if_name (2), if_tsresol (9) = 9 → nanoseconds.
  let p = shbLen;
  b.writeUInt32LE(1, p);
  b.writeUInt32LE(idbLen, p + 4);
  b.writeUInt16LE(linkType, p + 8);
  b.writeUInt32LE(snaplen, p + 12);
  b.writeUInt16LE(2, p + 16);
  b.writeUInt16LE(name.length, p + 18);
  name.copy(b, p + 20);
  p += 20 + pad4(name.length);
  b.writeUInt16LE(9, p);
  b.writeUInt16LE(1, p + 2);
  b.writeUInt8(9, p + 4);
  p += 8 + 4;
  b.writeUInt32LE(idbLen, p);
  return b;
}

/**
 * sec·10⁹ + nsec as two 32-bit halves, exactly, in doubles: the product needs up to 62 bits, so
 * it is assembled from 16-bit limbs whose partial products stay below 2⁵³.
 */
export function nanosHighLow(sec: number, nsec: number): [number, number] {
  const sh = Math.floor(sec / 65536);
  const sl = sec - sh * 65536;
  const a = sh * 1e9; // < 2^46: the part to shift left by 16
  const ah = Math.floor(a / 65536);
  const al = a - ah * 65536;
  const c = al * 65536 + sl * 1e9 + nsec; // < 2^47
  const carry = Math.floor(c / 4294967296);
  return [ah + carry, c - carry * 4294967296];
}

// ------------------------------------------------------------------ capture

function parseArgs(argv: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) out.set(argv[i].slice(2), argv[i + 1] ?? '');
  }
  return out;
}

/** Receives the binding's packet callbacks (set once the output is ready). */
let packetHandler: (nbytes: number) => void = () => {};

/**
 * The binding calls its object's `emit('packet', n)` for every packet; a subclass whose emit
 * goes straight to the handler skips EventEmitter's dispatch on this per-packet path.
 */
function fastCap(cap: CapModule): CapModule['Cap'] {
  class FastCap extends cap.Cap {
    emit(event: string, nbytes: number): boolean {
      if (event === 'packet') packetHandler(nbytes);
      return true;
    }
  }
  return FastCap as unknown as CapModule['Cap'];
}

/**
 * The kernel capture buffer. The `cap` binding always asks for a 65535-byte snapshot in
 * immediate mode, so libpcap uses TPACKET_V2 with one fixed frame per packet, sized for the
 * snapshot clipped to the interface MTU: ~1.6 KB on Ethernet, but 64 KB on loopback (MTU
 * 65536). 32 MB was then only ~500 frames on lo — 5 ms at 100k packets/s, so any pause of the
 * helper made the kernel drop. 256 MB gives lo ~4,000 frames (40 ms); elsewhere 64 MB is
 * ~40,000 frames.
 */
export function captureBufferBytes(loopback: boolean): number {
  return (loopback ? 256 : 64) * 1024 * 1024;
}

function isLoopback(cap: CapModule, device: string): boolean {
  let capFlags: string | undefined;
  try {
    capFlags = cap.Cap.deviceList().find((d) => d.name === device)?.flags;
  } catch {
    capFlags = undefined;
  }
  return loopbackOf(capFlags, sysFlags(device));
}

/** Closed Cap objects that must never be garbage collected (see `capture`). */
const retiredCaps: CapInstance[] = [];

function capture(capModule: CapModule, args: Map<string, string>): void {
  const cap = { ...capModule, Cap: fastCap(capModule) };
  const device = args.get('interface') ?? '';
  const filter = args.get('filter') ?? '';
  const snaplen = Math.max(1, Number(args.get('snaplen') ?? DEFAULT_SNAPLEN) || DEFAULT_SNAPLEN);
  const promiscuous = args.get('promiscuous') !== '0';
  const loopback = isLoopback(cap, device);
  const bufSize = captureBufferBytes(loopback);
  const buffer = Buffer.alloc(65536);

  // Open without a filter first: a failure here is about the interface or the rights; a
  // failure with the filter is then libpcap's verdict on the filter. (Never reuse a Cap
  // object after a failed open: the binding crashes on it.) Every Cap object that is
  // replaced is kept reachable for the life of the process: the binding's close() stops its
  // uv_poll handle but never uv_close()s it, so the handle stays in libuv's handle queue,
  // and if the garbage collector freed the object the next handle created or closed would
  // write into freed memory — the helper died with SIGSEGV under load before this.
  let c: CapInstance = new cap.Cap();
  let capLinkType = '';
  // With a filter to apply, this first open only checks the interface and the rights: a
  // small ring, since setting up a 256 MB one costs ~80 ms of kernel time.
  const filtered = filter.trim() !== '';
  try {
    capLinkType = c.open(device, '', filtered ? 1024 * 1024 : bufSize, buffer);
  } catch (err) {
    const e = classifyOpenError(device, (err as Error).message);
    fail(e.code, e.message);
  }
  if (filtered) {
    c.close();
    retiredCaps.push(c);
    c = new cap.Cap();
    try {
      capLinkType = c.open(device, filter, bufSize, buffer);
    } catch (err) {
      fail('bad-capture-filter', `The capture filter "${filter}" is not valid: ${(err as Error).message}`);
    }
  }
  const linkType = linkTypeOf(capLinkType);

  // Timestamps: the wall clock at start plus the monotonic clock since (performance.now(),
  // sub-microsecond, no allocation), in ns; seconds and nanoseconds kept apart (no BigInt on
  // this per-packet path).
  const wallMs = Date.now();
  const perf0 = performance.now();
  const anchorSec = Math.floor(wallMs / 1000);
  const anchorNs = (wallMs - anchorSec * 1000) * 1e6;
  const BATCH = 1 << 20;
  let batch = Buffer.allocUnsafe(BATCH);
  let view = new DataView(batch.buffer, batch.byteOffset, batch.byteLength);
  let used = 0;
  /** Start of the bytes not yet handed to stdout; everything before is never touched again. */
  let unsent = 0;
  let flushQueued = false;
  let packets = 0;
  let bytes = 0;
  let stopping = false;

  const out = process.stdout;
  out.write(headerBlocks(linkType, snaplen, device));

  // Each flush writes the new part of the batch and the next packets go on after it; a new
  // batch is allocated only when this one is full. (A fresh 1 MB buffer per flush — a flush
  // per event-loop turn, thousands a second — cost more in GC than the packets themselves.)
  const flush = (): void => {
    flushQueued = false;
    if (used === unsent) return;
    out.write(batch.subarray(unsent, used));
    unsent = used;
  };
  const nextBatch = (): void => {
    flush();
    batch = Buffer.allocUnsafe(BATCH);
    view = new DataView(batch.buffer, batch.byteOffset, batch.byteLength);
    used = 0;
    unsent = 0;
  };

  const onPacket = (nbytes: number): void => {
    if (stopping) return;
    const capLen = nbytes < snaplen ? nbytes : snaplen;
    const total = 32 + pad4(capLen);
    if (used + total > BATCH) nextBatch();
    let nsec = anchorNs + Math.round((performance.now() - perf0) * 1e6);
    const carry = Math.floor(nsec / 1e9);
    nsec -= carry * 1e9;
    const [high, low] = nanosHighLow(anchorSec + carry, nsec);
    const p = used;
    view.setUint32(p, 6, true);
    view.setUint32(p + 4, total, true);
    view.setUint32(p + 8, 0, true);
    view.setUint32(p + 12, high, true);
    view.setUint32(p + 16, low, true);
    view.setUint32(p + 20, capLen, true);
    view.setUint32(p + 24, nbytes, true);
    buffer.copy(batch, p + 28, 0, capLen);
    for (let q = p + 28 + capLen; q < p + total - 4; q++) batch[q] = 0;
    view.setUint32(p + total - 4, total, true);
    used += total;
    packets++;
    bytes += nbytes;
    // Everything libpcap has ready arrives in one burst of callbacks: write it as one chunk.
    if (!flushQueued) {
      flushQueued = true;
      setImmediate(flush);
    }
  };
  packetHandler = onPacket;

  const probe = new DropProbe();
  probe.start(packetSocketFd());

  status({
    type: 'ready', interface: device, linkType, snaplen, promiscuous: true,
    ...(promiscuous ? {} : { note: 'the cap binding always opens interfaces in promiscuous mode' }),
  });
  const statsTimer = setInterval(() => status({ type: 'stats', packets, bytes, kernelDrops: probe.drops }), 500);

  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    clearInterval(statsTimer);
    // The last kernel count is read before the socket closes.
    void probe.refresh().then((kernelDrops) => {
      probe.stop();
      c.close();
      flush();
      status({ type: 'stopped', packets, bytes, kernelDrops });
      out.end(() => process.exit(0));
    });
  };
  let pendingInput = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (d: string) => {
    pendingInput += d;
    if (pendingInput.includes('stop')) stop();
  });
  process.stdin.on('end', stop);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // A reader that went away (EPIPE) means nobody keeps the packets: stop.
  out.on('error', () => {
    stopping = true;
    probe.stop();
    c.close();
    process.exit(3);
  });
}

function main(argv: string[]): void {
  const [command, ...rest] = argv;
  if (command === 'list') {
    const cap = loadCap();
    let devices: CapDevice[];
    try {
      devices = cap.Cap.deviceList();
    } catch (err) {
      return fail('io', `cannot list the network interfaces: ${(err as Error).message}`);
    }
    status({ type: 'interfaces', interfaces: describeInterfaces(devices) });
    process.exit(0);
  }
  if (command === 'capture') {
    capture(loadCap(), parseArgs(rest));
    return;
  }
  fail('bad-request', `capture helper: unknown command "${command ?? ''}" (use "list" or "capture")`);
}

const invokedDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1]);
if (invokedDirectly) main(process.argv.slice(2));
