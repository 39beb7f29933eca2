/**
 * Imports every protocol module so it registers in the dispatch tables. One line per protocol;
 * the order does not matter.
 */
import './data.js';
import './ethernet.js';
import './vlan.js';
import './llc.js';
import './sll.js';
import './null.js';
import './rawip.js';
import './arp.js';
import './ipv4.js';
import './ipv6.js';
import './tcp.js';
import './udp.js';
import './dns.js';
import './icmp.js';
import './icmpv6.js';
import './http.js';
