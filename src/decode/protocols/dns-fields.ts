/**
 * DNS field definitions and value names as Wireshark 4.0 has them (packet-dns.c): display-filter
 * names, types, labels, and the value_strings the tree and the Info column use. mDNS and LLMNR
 * are separate protocols in Wireshark (frame.protocols "mdns", "llmnr") sharing the dns.* fields.
 */
import { defineField, defineProtocol, type FieldDef } from '../fields/types.js';

export const dnsProto = defineProtocol('dns', 'Domain Name System');
export const mdnsProto = defineProtocol('mdns', 'Multicast Domain Name System');
export const llmnrProto = defineProtocol('llmnr', 'Link-local Multicast Name Resolution');

function flag(name: string, label: string, bitmask: number, trueFalse: readonly [string, string]): FieldDef {
  return defineField({ name: `dns.flags.${name}`, label, type: 'bool', bits: 16, bitmask, trueFalse });
}
const u16 = (name: string, label: string): FieldDef => defineField({ name, label, type: 'uint', bits: 16 });
const u32 = (name: string, label: string): FieldDef => defineField({ name, label, type: 'uint', bits: 32 });
const str = (name: string, label: string): FieldDef => defineField({ name, label, type: 'string' });

export const dnsFields = {
  length: u16('dns.length', 'Length'),
  id: defineField({ name: 'dns.id', label: 'Transaction ID', type: 'uint', base: 'hex', bits: 16 }),
  flags: defineField({ name: 'dns.flags', label: 'Flags', type: 'uint', base: 'hex', bits: 16 }),
  response: flag('response', 'Response', 0x8000, ['Message is a response', 'Message is a query']),
  opcode: defineField({ name: 'dns.flags.opcode', label: 'Opcode', type: 'uint', bits: 16, bitmask: 0x7800 }),
  authoritative: flag('authoritative', 'Authoritative', 0x0400,
    ['Server is an authority for domain', 'Server is not an authority for domain']),
  conflict: flag('conflict', 'Conflict', 0x0400,
    ['The sender received multiple responses', 'None']),
  truncated: flag('truncated', 'Truncated', 0x0200, ['Message is truncated', 'Message is not truncated']),
  recdesired: flag('recdesired', 'Recursion desired', 0x0100,
    ['Do query recursively', "Don't do query recursively"]),
  tentative: flag('tentative', 'Tentative', 0x0100, ['Tentative', 'Not tentative']),
  recavail: flag('recavail', 'Recursion available', 0x0080,
    ['Server can do recursive queries', "Server can't do recursive queries"]),
  z: flag('z', 'Z', 0x0040, ['reserved - incorrect!', 'reserved (0)']),
  authenticated: flag('authenticated', 'Answer authenticated', 0x0020,
    ['Answer/authority portion was authenticated by the server',
      'Answer/authority portion was not authenticated by the server']),
  checkdisable: flag('checkdisable', 'Non-authenticated data', 0x0010, ['Acceptable', 'Unacceptable']),
  rcode: defineField({ name: 'dns.flags.rcode', label: 'Reply code', type: 'uint', bits: 16, bitmask: 0x000f }),
  countQueries: u16('dns.count.queries', 'Questions'),
  countZones: u16('dns.count.zones', 'Zones'),
  countAnswers: u16('dns.count.answers', 'Answer RRs'),
  countPrerequisites: u16('dns.count.prerequisites', 'Prerequisites'),
  countAuthRr: u16('dns.count.auth_rr', 'Authority RRs'),
  countUpdates: u16('dns.count.updates', 'Updates'),
  countAddRr: u16('dns.count.add_rr', 'Additional RRs'),
  qryName: str('dns.qry.name', 'Name'),
  qryNameLen: u16('dns.qry.name.len', 'Name Length'),
  countLabels: u16('dns.count.labels', 'Label Count'),
  qryType: u16('dns.qry.type', 'Type'),
  qryClass: defineField({ name: 'dns.qry.class', label: 'Class', type: 'uint', base: 'hex', bits: 16 }),
  qryQu: defineField({ name: 'dns.qry.qu', label: '"QU" question', type: 'bool', bits: 16, bitmask: 0x8000 }),
  respName: str('dns.resp.name', 'Name'),
  respType: u16('dns.resp.type', 'Type'),
  respClass: defineField({ name: 'dns.resp.class', label: 'Class', type: 'uint', base: 'hex', bits: 16 }),
  cacheFlush: defineField({ name: 'dns.resp.cache_flush', label: 'Cache flush', type: 'bool', bits: 16, bitmask: 0x8000 }),
  respTtl: u32('dns.resp.ttl', 'Time to live'),
  respLen: u16('dns.resp.len', 'Data length'),
  a: defineField({ name: 'dns.a', label: 'Address', type: 'ipv4' }),
  aaaa: defineField({ name: 'dns.aaaa', label: 'AAAA Address', type: 'ipv6' }),
  ns: str('dns.ns', 'Name Server'),
  cname: str('dns.cname', 'CNAME'),
  dname: str('dns.dname', 'Dname'),
  ptr: str('dns.ptr.domain_name', 'Domain Name'),
  md: str('dns.md', 'Mail Destination'),
  mf: str('dns.mf', 'Mail Forwarder'),
  mxPreference: u16('dns.mx.preference', 'Preference'),
  mxMailExchange: str('dns.mx.mail_exchange', 'Mail Exchange'),
  txtLength: defineField({ name: 'dns.txt.length', label: 'TXT Length', type: 'uint', bits: 8 }),
  txt: str('dns.txt', 'TXT'),
  spfLength: defineField({ name: 'dns.spf.length', label: 'SPF Length', type: 'uint', bits: 8 }),
  spf: str('dns.spf', 'SPF'),
  soaMname: str('dns.soa.mname', 'Primary name server'),
  soaRname: str('dns.soa.rname', "Responsible authority's mailbox"),
  soaSerial: u32('dns.soa.serial_number', 'Serial Number'),
  soaRefresh: u32('dns.soa.refresh_interval', 'Refresh Interval'),
  soaRetry: u32('dns.soa.retry_interval', 'Retry Interval'),
  soaExpire: u32('dns.soa.expire_limit', 'Expire limit'),
  soaMinimum: u32('dns.soa.minimum_ttl', 'Minimum TTL'),
  srvService: str('dns.srv.service', 'Service'),
  srvProto: str('dns.srv.proto', 'Protocol'),
  srvName: str('dns.srv.name', 'Name'),
  srvPriority: u16('dns.srv.priority', 'Priority'),
  srvWeight: u16('dns.srv.weight', 'Weight'),
  srvPort: u16('dns.srv.port', 'Port'),
  srvTarget: str('dns.srv.target', 'Target'),
  udpPayloadSize: u16('dns.rr.udp_payload_size', 'UDP payload size'),
  extRcode: defineField({ name: 'dns.resp.ext_rcode', label: 'Higher bits in extended RCODE', type: 'uint', base: 'hex', bits: 8 }),
  edns0Version: defineField({ name: 'dns.resp.edns0_version', label: 'EDNS0 version', type: 'uint', bits: 8 }),
  respZ: defineField({ name: 'dns.resp.z', label: 'Z', type: 'uint', base: 'hex', bits: 16 }),
  zDo: defineField({
    name: 'dns.resp.z.do', label: 'DO bit', type: 'bool', bits: 16, bitmask: 0x8000,
    trueFalse: ['Accepts DNSSEC security RRs', 'Cannot handle DNSSEC security RRs'],
  }),
  zReserved: defineField({ name: 'dns.resp.z.reserved', label: 'Reserved', type: 'uint', base: 'hex', bits: 16, bitmask: 0x7fff }),
  opt: defineField({ name: 'dns.opt', label: 'Option', type: 'none' }),
  optCode: u16('dns.opt.code', 'Option Code'),
  optLen: u16('dns.opt.len', 'Option Length'),
  optData: defineField({ name: 'dns.opt.data', label: 'Option Data', type: 'bytes' }),
  optClientFamily: u16('dns.opt.client.family', 'Family'),
  optClientNetmask: defineField({ name: 'dns.opt.client.netmask', label: 'Source Netmask', type: 'uint', bits: 8 }),
  optClientScope: defineField({ name: 'dns.opt.client.scope', label: 'Scope Netmask', type: 'uint', bits: 8 }),
  optClientAddr: defineField({ name: 'dns.opt.client.addr', label: 'Client Subnet', type: 'bytes' }),
  optClientAddr4: defineField({ name: 'dns.opt.client.addr4', label: 'Client Subnet', type: 'ipv4' }),
  optClientAddr6: defineField({ name: 'dns.opt.client.addr6', label: 'Client Subnet', type: 'ipv6' }),
  optCookieClient: defineField({ name: 'dns.opt.cookie.client', label: 'Client Cookie', type: 'bytes' }),
  optCookieServer: defineField({ name: 'dns.opt.cookie.server', label: 'Server Cookie', type: 'bytes' }),
  optKeepalive: u16('dns.opt.edns_tcp_keepalive.timeout', 'Timeout'),
  optPadding: defineField({ name: 'dns.opt.padding', label: 'Padding', type: 'bytes' }),
  data: defineField({ name: 'dns.data', label: 'Data', type: 'bytes' }),
  extraneousData: defineField({ name: 'dns.extraneous.data', label: 'Extraneous Data Bytes', type: 'bytes' }),
  extraneousLength: defineField({ name: 'dns.extraneous.length', label: 'Extraneous Data Length', type: 'int', bits: 32 }),
};

/**
 * Text-only tree lines ("Queries", "www.example.com: type A, class IN") have no filter name in
 * Wireshark (its hf_text_only); they share this FT_NONE pseudo-field so the tree can show them.
 */
export const textField = defineField({ name: 'text', label: 'Text item', type: 'none' });

export const DNS_OPCODES: Readonly<Record<number, string>> = {
  0: 'Standard query', 1: 'Inverse query', 2: 'Server status request', 4: 'Zone change notification',
  5: 'Dynamic update', 6: 'DNS Stateful operations (DSO)',
};
export const OPCODE_UPDATE = 5;

export const DNS_RCODES: Readonly<Record<number, string>> = {
  0: 'No error', 1: 'Format error', 2: 'Server failure', 3: 'No such name', 4: 'Not implemented',
  5: 'Refused', 6: 'Name exists', 7: 'RRset exists', 8: 'RRset does not exist', 9: 'Not authoritative',
  10: 'Name out of zone', 11: 'DSO-Type not implemented',
};

export const DNS_CLASSES: Readonly<Record<number, string>> = {
  1: 'IN', 2: 'CS', 3: 'CH', 4: 'HS', 254: 'NONE', 255: 'ANY',
};

export const EDNS_OPTION_NAMES: Readonly<Record<number, string>> = {
  1: 'LLQ - Long-lived query', 2: 'UL - Update lease', 3: 'NSID - Name Server Identifier',
  4: 'Owner (reserved)', 5: 'DAU - DNSSEC Algorithm Understood (RFC6975)',
  6: 'DHU - DS Hash Understood (RFC6975)', 7: 'N3U - NSEC3 Hash Understood (RFC6975)',
  8: 'CSUBNET - Client subnet', 9: 'EDNS EXPIRE (RFC7314)', 10: 'COOKIE', 11: 'EDNS TCP Keepalive',
  12: 'PADDING', 13: 'CHAIN', 15: 'Extended DNS Error', 0x50fa: 'Experimental - CSUBNET - Client subnet',
};

export const T_A = 1;
export const T_NS = 2;
export const T_MD = 3;
export const T_MF = 4;
export const T_CNAME = 5;
export const T_SOA = 6;
export const T_MB = 7;
export const T_MG = 8;
export const T_MR = 9;
export const T_PTR = 12;
export const T_MX = 15;
export const T_TXT = 16;
export const T_AAAA = 28;
export const T_SRV = 33;
export const T_DNAME = 39;
export const T_OPT = 41;
export const T_SPF = 99;
/** Short names (Info column, "type A"): Wireshark's dns_types_vals, including its MAILA/MAILB swap. */
export const DNS_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'Unused', 1: 'A', 2: 'NS', 3: 'MD', 4: 'MF', 5: 'CNAME', 6: 'SOA', 7: 'MB', 8: 'MG', 9: 'MR',
  10: 'NULL', 11: 'WKS', 12: 'PTR', 13: 'HINFO', 14: 'MINFO', 15: 'MX', 16: 'TXT', 17: 'RP', 18: 'AFSDB',
  19: 'X25', 20: 'ISDN', 21: 'RT', 22: 'NSAP', 23: 'NSAP-PTR', 24: 'SIG', 25: 'KEY', 26: 'PX', 27: 'GPOS',
  28: 'AAAA', 29: 'LOC', 30: 'NXT', 31: 'EID', 32: 'NIMLOC', 33: 'SRV', 34: 'ATMA', 35: 'NAPTR', 36: 'KX',
  37: 'CERT', 38: 'A6', 39: 'DNAME', 40: 'SINK', 41: 'OPT', 42: 'APL', 43: 'DS', 44: 'SSHFP', 45: 'IPSECKEY',
  46: 'RRSIG', 47: 'NSEC', 48: 'DNSKEY', 49: 'DHCID', 50: 'NSEC3', 51: 'NSEC3PARAM', 52: 'TLSA', 55: 'HIP',
  57: 'RKEY', 58: 'TALINK', 59: 'CDS', 60: 'CDNSKEY', 61: 'OPENPGPKEY', 62: 'CSYNC', 63: 'ZONEMD',
  64: 'SVCB', 65: 'HTTPS', 99: 'SPF', 100: 'UINFO', 101: 'UID', 102: 'GID', 103: 'UNSPEC', 104: 'NID',
  105: 'L32', 106: 'L64', 107: 'LP', 108: 'EUI48', 109: 'EUI64', 249: 'TKEY', 250: 'TSIG', 251: 'IXFR',
  252: 'AXFR', 253: 'MAILA', 254: 'MAILB', 255: 'ANY', 256: 'URI', 257: 'CAA', 32768: 'TA', 32769: 'DLV',
};

/** Tree descriptions ("Type: A (Host Address) (1)"): dns_types_description_vals. */
export const DNS_TYPE_DESCRIPTIONS: Readonly<Record<number, string>> = {
  0: 'Unused', 1: 'A (Host Address)', 2: 'NS (authoritative Name Server)', 3: 'MD (Mail Destination)',
  4: 'MF (Mail Forwarder)', 5: 'CNAME (Canonical NAME for an alias)',
  6: 'SOA (Start Of a zone of Authority)', 7: 'MB (MailBox domain name)', 8: 'MG (Mail Group member)',
  9: 'MR (Mail Rename domain)', 10: 'NULL RR', 11: 'WKS (Well Known Service)',
  12: 'PTR (domain name PoinTeR)', 13: 'HINFO (host information)',
  14: 'MINFO (Mailbox or mail list information)', 15: 'MX (Mail eXchange)', 16: 'TXT (Text strings)',
  17: 'RP (Responsible Person)', 18: 'AFSDB (AFS Data Base location)', 19: 'X25 (XX.25 PSDN address)',
  20: 'ISDN (ISDN address)', 21: 'RT (Route Through)', 22: 'NSAP (NSAP address)',
  23: 'NSAP-PTR (NSAP domain name pointer)', 24: 'SIG (security signature)', 25: 'KEY (security key)',
  26: 'PX (X.400 mail mapping information)', 27: 'GPOS (Geographical Position)', 28: 'AAAA (IPv6 Address)',
  29: 'LOC (Location Information)', 30: 'NXT (Next Domain)', 31: 'EID (Endpoint Identifier)',
  32: 'NIMLOC (Nimrod Locator)', 33: 'SRV (Server Selection)', 34: 'ATMA (ATM Address)',
  35: 'NAPTR (Naming Authority Pointer)', 36: 'KX (Key Exchanger)', 37: 'CERT',
  38: 'A6 (OBSOLETE - use AAAA)', 39: 'DNAME', 40: 'SINK', 41: 'OPT', 42: 'APL',
  43: 'DS (Delegation Signer)', 44: 'SSHFP (SSH Key Fingerprint)', 45: 'IPSECKEY',
  46: 'RRSIG (Resource Record Signature)', 47: 'NSEC (Next Secure)', 48: 'DNSKEY (DNS Public Key)',
  49: 'DHCID', 50: 'NSEC3', 51: 'NSEC3PARAM', 52: 'TLSA', 55: 'HIP (Host Identity Protocol)', 57: 'RKEY',
  58: 'TALINK (Trust Anchor LINK)', 59: 'CDS (Child DS)',
  60: 'CDNSKEY (DNSKEY(s) the Child wants reflected in DS)', 61: 'OPENPGPKEY (OpenPGP Key)',
  62: 'CSYNC (Child-to-Parent Synchronization)', 63: 'ZONEMD',
  64: 'SVCB (General Purpose Service Endpoints)', 65: 'HTTPS (HTTPS Specific Service Endpoints)', 99: 'SPF',
  100: 'UINFO', 101: 'UID', 102: 'GID', 103: 'UNSPEC', 104: 'NID (NodeID)', 105: 'L32 (Locator32)',
  106: 'L64 (Locator64)', 107: 'LP (Locator FQDN)', 108: 'EUI48', 109: 'EUI64',
  249: 'TKEY (Transaction Key)', 250: 'TSIG (Transaction Signature)', 251: 'IXFR (incremental transfer)',
  252: 'AXFR (transfer of an entire zone)', 253: 'MAILB (mailbox-related RRs)',
  254: 'MAILA (mail agent RRs)', 255: '* (A request for all records the server/cache has available)',
  256: 'URI', 257: 'CAA (Certification Authority Restriction)', 32768: 'TA (DNSSEC Trust Authorities)',
  32769: 'DLV (DNSSEC Lookaside Validation)',
};
