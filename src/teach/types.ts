/**
 * Teaching mode's step model (issue 8): a lesson is a connection (or a DNS / ICMP / ARP
 * exchange, or a display filter's packets) told one packet at a time. Each step carries what
 * the presentation view draws — the arrow, both sides' TCP states after it, the real time gap,
 * the layer stack with the fields that matter highlighted — and what it says: notes and "Why?"
 * answers as message keys plus parameters, worded by a message catalog (English, Simplified
 * Chinese; vue-i18n syntax) so the same facts read in any language.
 * Plain JSON-able data. Isomorphic: built in the renderer, in tests and for exports alike.
 */
import type { Arrow, ArrowStyle, DiagramNote, DiagramTcp, Lifeline } from '../analysis/sequence/types.js';
import type { EndpointState } from '../analysis/tcp/states.js';

/** A parameter of a message: numbers stay numbers (tests compare them with the analysis). */
export type MessageParam = string | number;

/**
 * One sentence (or two) to show: a catalog key under `teach.` and its parameters. Parameters
 * named in ROLE_PARAMS hold a role code ('client', 'server', 'host') that is translated before
 * interpolation; every other parameter is shown as is.
 */
export interface TeachMessage {
  key: string;
  params: Record<string, MessageParam>;
}

/** How a note should look: plain, a remark worth attention, or a problem on the wire. */
export type NoteTone = 'info' | 'attention' | 'problem';

export interface StepNote extends TeachMessage {
  tone: NoteTone;
}

/** A "Why?" expander: a question and its answer, both worded from this capture's numbers. */
export interface WhyTopic {
  id: WhyTopicId;
  question: TeachMessage;
  answer: TeachMessage[];
}

export type WhyTopicId =
  | 'three-way' | 'ack-plus-one' | 'isn-random' | 'third-ack-lost'
  | 'four-way' | 'time-wait' | 'rst' | 'dup-ack' | 'dns-recursion' | 'arp-broadcast' | 'ttl';

/** A field the UI should highlight in the layer stack, the detail tree and the hex pane. */
export interface FieldHighlight {
  /** Display-filter name ("tcp.seq", "tcp.options.mss_val", "dns.flags.recdesired"). */
  field: string;
  /** The value as tshark prints it (from the packet when known, else from the analysis). */
  value: string;
  /** Why it matters here: a catalog key under `teach.why-field.` ("isn", "ack-isn-plus-one" …). */
  reason: string;
}

/** One field row in a layer of the stack. */
export interface LayerField {
  field: string;
  /** Wireshark's tree line ("Sequence Number: 0    (relative sequence number)"). */
  label: string;
  value: string;
  /** Byte range in the frame (length 0 for generated values like tcp.nxtseq). */
  offset: number;
  length: number;
  highlighted: boolean;
  /** Set when highlighted: `FieldHighlight.reason`. */
  reason?: string;
}

/** The OSI-ish layer a protocol belongs to (for the stack's captions). */
export type LayerRole = 'link' | 'network' | 'transport' | 'application';

export interface LayerView {
  /** Protocol field name of the layer's tree node ("eth", "ip", "tcp", "dns"). */
  protocol: string;
  role: LayerRole;
  /** Short name ("Ethernet II", "IPv4", "TCP", "DNS"). */
  name: string;
  /** The layer's tree line ("Transmission Control Protocol, Src Port: …"). */
  summary: string;
  offset: number;
  length: number;
  fields: LayerField[];
}

/** What changed on a lifeline at this step. */
export interface StepState {
  state: EndpointState | undefined;
  changed: boolean;
}

export interface Step {
  /** 0-based position in the lesson. */
  index: number;
  /** Index of the diagram arrow this step shows. */
  arrow: number;
  frame: number;
  from: number;
  to: number;
  protocol: string;
  label: string;
  detail: string;
  analysis: string[];
  style: ArrowStyle;
  /** Since the lesson's first packet, and since the previous step (the real gap), in ns. */
  timeNs: number;
  gapNs: number;
  /** Each lifeline's state after this step (index = lifeline). */
  states: StepState[];
  /** The analysis's notes for this arrow (facts), kept for exports and tests. */
  facts: DiagramNote[];
  notes: StepNote[];
  highlights: FieldHighlight[];
  /** The layer stack, when the packet's detail tree was given. */
  layers: LayerView[] | null;
  /** "Why?" topics this step can answer. */
  why: WhyTopic[];
  tcp?: DiagramTcp;
}

export type LessonKind = 'tcp' | 'dns' | 'icmp' | 'arp' | 'mixed';

export interface Lesson {
  title: string;
  kind: LessonKind;
  lifelines: Lifeline[];
  steps: Step[];
  /** Epoch seconds/nanoseconds of the first step (for the Markdown header). */
  startSec: number;
  startNsec: number;
  truncated: boolean;
}

/** The diagram a lesson is built from: the analysis's model or the API's SequenceDiagram. */
export interface LessonDiagram {
  title: string;
  lifelines: Lifeline[];
  /** The analysis's arrows; over the API the JSON may carry null for "no state". */
  arrows: (Omit<Arrow, 'states'> & { states: (EndpointState | undefined | null)[] })[];
  startSec: number;
  startNsec: number;
  truncated: boolean;
}

/**
 * A node of a packet's detail tree (the API's DetailNode has this shape): what the step builder
 * reads to find DNS flags, ICMP ids, TTLs, ARP addresses and the layer stack.
 */
export interface TreeNode {
  field: string;
  label: string;
  value: string;
  offset: number;
  length: number;
  hidden?: boolean;
  generated?: boolean;
  children?: TreeNode[];
}

/** One decoded packet as the lesson needs it (the API's PacketDetail fits). */
export interface LessonPacket {
  number: number;
  layers: string[];
  tree: TreeNode[];
}
