/**
 * Kernel drop counts for the capture helper. The `cap` binding does not expose pcap_stats(),
 * and Node cannot call getsockopt(), so a small Python process reads PACKET_STATISTICS
 * (SOL_PACKET 263, option 6: struct tpacket_stats{tp_packets, tp_drops}) from the helper's
 * packet socket, duplicated with pidfd_getfd(2) (Linux ≥ 5.6; needs ptrace rights over the
 * helper, which a root helper has). The kernel resets the counters on every read — libpcap
 * does the same in pcap_stats and keeps totals; so does the probe. Where any of this is
 * missing (no python3, not Linux, no rights) the drops stay unknown (null), never wrong.
 * tp_drops counts what the kernel dropped because the capture ring was full, as
 * tcpdump's "packets dropped by kernel" does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const PROBE = `
import os, sys, ctypes, socket, struct, select, json
pid, fd = int(sys.argv[1]), int(sys.argv[2])
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
pidfd = os.pidfd_open(pid)
local = libc.syscall(438, pidfd, fd, 0)  # pidfd_getfd
if local < 0:
    print(json.dumps({"error": os.strerror(ctypes.get_errno())}), flush=True)
    sys.exit(1)
s = socket.socket(fileno=local)
packets = drops = 0
while True:
    data = s.getsockopt(263, 6, 12)
    p, d = struct.unpack("II", data[:8])
    packets += p
    drops += d
    print(json.dumps({"packets": packets, "drops": drops}), flush=True)
    r, _, _ = select.select([sys.stdin], [], [], 0.5)
    if r and not sys.stdin.readline():
        break
`;

/** The descriptor of this process's (only) AF_PACKET socket, or -1. */
export function packetSocketFd(): number {
  let inodes: Set<string>;
  try {
    inodes = new Set(readFileSync('/proc/net/packet', 'utf8').trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/)[8]));
  } catch {
    return -1;
  }
  let found = -1;
  try {
    for (const f of readdirSync('/proc/self/fd')) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${f}`));
        if (m && inodes.has(m[1])) found = Math.max(found, Number(f));
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    return -1;
  }
  return found;
}

export class DropProbe {
  private child: ChildProcess | null = null;
  /** Latest total, null while unknown. */
  drops: number | null = null;
  private waiters: (() => void)[] = [];

  /** Starts probing the packet socket `fd` of this process. */
  start(fd: number): void {
    if (fd < 0) return;
    let child: ChildProcess;
    try {
      child = spawn('python3', ['-c', PROBE, String(process.pid), String(fd)], { stdio: ['pipe', 'pipe', 'ignore'] });
    } catch {
      return;
    }
    this.child = child;
    child.on('error', () => (this.child = null));
    let pending = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (d: string) => {
      pending += d;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        try {
          const m = JSON.parse(line) as { drops?: number };
          if (typeof m.drops === 'number') this.drops = m.drops;
        } catch {
          // not a stats line
        }
        for (const w of this.waiters.splice(0)) w();
      }
    });
  }

  /**
   * Asks for a reading now; resolves with the latest total (or null) within `ms` — longer while
   * the probe has not answered yet (Python's start-up on a busy machine).
   */
  refresh(ms = 300): Promise<number | null> {
    const child = this.child;
    if (!child || !child.stdin || child.stdin.destroyed) return Promise.resolve(this.drops);
    const wait = this.drops === null ? Math.max(ms, 3000) : ms;
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.drops), wait);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(this.drops);
      });
      child.stdin!.write('\n');
    });
  }

  stop(): void {
    this.child?.stdin?.end();
    this.child?.kill();
    this.child = null;
  }
}
