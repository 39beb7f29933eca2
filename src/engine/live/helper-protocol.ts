/**
 * The contract between the engine and the capture helper process (capture-helper.ts), the
 * only part of Wirescope that needs capture privileges (the dumpcap model).
 *
 *  - stdout: the capture as a pcapng byte stream (SHB, IDB, then EPBs), nothing else;
 *  - fd 3: status messages, one JSON object per line (HelperMessage);
 *  - stdin: "stop\n" ends the capture cleanly; EOF on stdin does too (the engine went away,
 *    so nobody would read the packets);
 *  - exit status 0 after a clean stop, 2 after a reported error.
 */
import type { ApiErrorCode, InterfaceInfo } from '../../api/types.js';

export type HelperMessage =
  | { type: 'ready'; interface: string; linkType: number; snaplen: number; promiscuous: boolean; note?: string }
  | { type: 'stats'; packets: number; bytes: number; kernelDrops: number | null }
  | { type: 'error'; code: ApiErrorCode; message: string }
  | { type: 'stopped'; packets: number; bytes: number; kernelDrops: number | null }
  | { type: 'interfaces'; interfaces: InterfaceInfo[] };

export interface HelperCaptureArgs {
  interface: string;
  captureFilter: string;
  snaplen: number;
  promiscuous: boolean;
}

export const DEFAULT_SNAPLEN = 262144;

export function helperArgs(a: HelperCaptureArgs): string[] {
  return [
    'capture', '--interface', a.interface, '--filter', a.captureFilter, '--snaplen', String(a.snaplen),
    '--promiscuous', a.promiscuous ? '1' : '0',
  ];
}

/** How to get capture rights, for the permission error. */
export const PERMISSION_HINT =
  'Live capture needs the CAP_NET_RAW and CAP_NET_ADMIN capabilities. Either run Wirescope as root, ' +
  'or grant them to the Node.js binary that runs the capture helper: ' +
  'sudo setcap cap_net_raw,cap_net_admin=eip "$(command -v node)" (set WIRESCOPE_NODE to use another binary).';

export const CAP_MISSING_HINT =
  'Live capture is unavailable: the optional "cap" module (libpcap binding) is not installed or not built. ' +
  'Install libpcap (Debian/Ubuntu: sudo apt-get install libpcap-dev), then run npm install ' +
  '(npm 11: npm install-scripts approve cap) so that cap is compiled.';
