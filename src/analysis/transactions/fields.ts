/**
 * Generated fields that link a request to its response, with Wireshark's names and types
 * (packet-dns.c, packet-icmp.c, packet-icmpv6.c, packet-http.c). Defining a name twice with the
 * same type returns the same field, so a dissector may define them as well. Isomorphic.
 */
import { defineField } from '../../decode/fields/types.js';

export const dnsTxnFields = {
  responseIn: defineField({ name: 'dns.response_in', label: 'Response In', type: 'framenum', blurb: 'The response to this DNS query is in this frame' }),
  responseTo: defineField({ name: 'dns.response_to', label: 'Request In', type: 'framenum', blurb: 'This is a response to the DNS query in this frame' }),
  time: defineField({ name: 'dns.time', label: 'Time', type: 'rel_time', blurb: 'The time between the Query and the Response' }),
  retransmission: defineField({ name: 'dns.retransmission', label: 'Retransmission', type: 'bool', blurb: 'This is a retransmission' }),
  retransmitRequestIn: defineField({ name: 'dns.retransmit_request_in', label: 'Retransmitted request. Original request in', type: 'framenum' }),
  retransmitResponseIn: defineField({ name: 'dns.retransmit_response_in', label: 'Retransmitted response. Original response in', type: 'framenum' }),
  unsolicited: defineField({ name: 'dns.unsolicited', label: 'Unsolicited', type: 'bool', blurb: 'This is an unsolicited response' }),
};

export const icmpTxnFields = {
  respIn: defineField({ name: 'icmp.resp_in', label: 'Response frame', type: 'framenum', blurb: 'The response to this request is in this frame' }),
  respTo: defineField({ name: 'icmp.resp_to', label: 'Request frame', type: 'framenum', blurb: 'This is the response to the request in this frame' }),
  respTime: defineField({ name: 'icmp.resptime', label: 'Response time', type: 'double', blurb: 'The time between the request and the response, in ms.' }),
  noResp: defineField({ name: 'icmp.no_resp', label: 'No response seen', type: 'none', blurb: 'No corresponding response frame was seen' }),
};

export const icmpv6TxnFields = {
  respIn: defineField({ name: 'icmpv6.resp_in', label: 'Response In', type: 'framenum', blurb: 'The response to this request is in this frame' }),
  respTo: defineField({ name: 'icmpv6.resp_to', label: 'Response To', type: 'framenum', blurb: 'This is the response to the request in this frame' }),
  respTime: defineField({ name: 'icmpv6.resptime', label: 'Response Time', type: 'double', blurb: 'The time between the request and the response, in ms.' }),
  noResp: defineField({ name: 'icmpv6.no_resp', label: 'No response seen', type: 'none', blurb: 'No corresponding response frame was seen' }),
};

export const httpTxnFields = {
  requestNumber: defineField({ name: 'http.request_number', label: 'Request number', type: 'uint', bits: 32 }),
  responseNumber: defineField({ name: 'http.response_number', label: 'Response number', type: 'uint', bits: 32 }),
  time: defineField({ name: 'http.time', label: 'Time since request', type: 'rel_time' }),
  prevRequestIn: defineField({ name: 'http.prev_request_in', label: 'Prev request in frame', type: 'framenum' }),
  prevResponseIn: defineField({ name: 'http.prev_response_in', label: 'Prev response in frame', type: 'framenum' }),
  requestIn: defineField({ name: 'http.request_in', label: 'Request in frame', type: 'framenum' }),
  responseIn: defineField({ name: 'http.response_in', label: 'Response in frame', type: 'framenum' }),
  nextRequestIn: defineField({ name: 'http.next_request_in', label: 'Next request in frame', type: 'framenum' }),
  nextResponseIn: defineField({ name: 'http.next_response_in', label: 'Next response in frame', type: 'framenum' }),
  responseForUri: defineField({ name: 'http.response_for.uri', label: 'Request URI', type: 'string' }),
};
