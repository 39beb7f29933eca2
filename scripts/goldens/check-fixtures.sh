#!/usr/bin/env bash
# Check the recorded fixtures with tshark: each opens without a warning, and shows what it
# should (packet counts, TCP streams, the lossy capture's analysis flags by direction).
# usage: scripts/goldens/check-fixtures.sh     (exit 1 when a check fails)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
FIX="$ROOT/fixtures"
CFG="$(mktemp -d /tmp/wscheck-cfg.XXXXXX)"
trap 'rm -rf "$CFG"' EXIT
export WIRESHARK_CONFIG_DIR="$CFG" TZ=UTC LC_ALL=C
ROOTWARN='^Running as user "root" and group "root". This could be dangerous.$'
fail=0
count() { tshark -n -r "$1" -Y "$2" -T fields -e frame.number 2>/dev/null | wc -l; }
want() { # file filter op n what
  local n; n=$(count "$1" "$2")
  if ! (( n $3 $4 )); then echo "FAIL $(basename "$1"): $5 ($2: $n, want $3 $4)"; fail=1; fi
}

printf '%-24s %8s %9s %8s  %s\n' fixture packets bytes streams encapsulation
for f in "$FIX"/*.pcap "$FIX"/*.pcapng; do
  err=$(tshark -n -r "$f" -q 2>&1 >/dev/null | grep -v -E "$ROOTWARN" || true)
  [[ -z "$err" ]] || { echo "FAIL $(basename "$f"): tshark says: $err"; fail=1; }
  pk=$(count "$f" frame)
  st=$(tshark -n -r "$f" -Y tcp -T fields -e tcp.stream 2>/dev/null | sort -u | grep -c . || true)
  enc=$(capinfos -E "$f" 2>/dev/null | awk -F': *' '/encapsulation/{print $2}')
  printf '%-24s %8s %9s %8s  %s\n' "$(basename "$f")" "$pk" "$(stat -c %s "$f")" "$st" "$enc"
  bad=$(tshark -n -r "$f" -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE \
    -Y 'ip.checksum.status==0 || tcp.checksum.status==0 || udp.checksum.status==0 || icmp.checksum.status==0 || icmpv6.checksum.status==0' 2>/dev/null | wc -l)
  ((bad == 0)) || { echo "FAIL $(basename "$f"): $bad frames with a bad checksum"; fail=1; }
done

# what each fixture must show
F="$FIX"
want "$F/arp.pcap" 'arp.opcode == 1' '>=' 3 "ARP requests"
want "$F/arp.pcap" 'arp.opcode == 2' '>=' 2 "ARP replies"
want "$F/arp.pcap" 'arp.isgratuitous' '>=' 2 "gratuitous ARP"
want "$F/arp.pcap" 'arp.duplicate-address-detected' '>=' 1 "conflicting ARP reply"
want "$F/ping.pcap" 'icmp.type == 8' '>=' 8 "echo requests"
want "$F/ping.pcap" 'icmp.type == 0' '>=' 5 "echo replies"
want "$F/ping.pcap" 'icmp.type == 3 && icmp.code == 3' '==' 1 "port unreachable"
want "$F/ping.pcap" 'icmp.type == 11' '==' 1 "time exceeded"
want "$F/ping.pcap" 'ip.flags.mf == 1' '>=' 2 "IPv4 fragments"
want "$F/http-handshake.pcap" 'tcp.stream != 0' '==' 0 "exactly one TCP stream"
want "$F/http-handshake.pcap" 'tcp.flags.syn == 1' '==' 2 "one handshake"
want "$F/http-handshake.pcap" 'tcp.flags.fin == 1' '==' 2 "FIN teardown"
want "$F/http-handshake.pcap" 'http.request.method == "GET"' '==' 1 "one GET"
want "$F/http-keepalive.pcap" 'tcp.stream != 0' '==' 0 "one connection"
want "$F/http-keepalive.pcap" 'http.request' '>=' 8 "several requests"
want "$F/http-keepalive.pcap" 'http.response.code == 404' '==' 1 "one 404"
want "$F/http-keepalive.pcap" 'tcp.reassembled.length' '>=' 3 "messages over several segments"
want "$F/http-bulk-lossy.pcap" 'tcp.analysis.lost_segment' '>' 0 "previous segment not captured"
for fl in retransmission fast_retransmission duplicate_ack out_of_order; do
  want "$F/http-bulk-lossy.pcap" "tcp.analysis.$fl && tcp.srcport == 80" '>' 0 "$fl server->client"
  want "$F/http-bulk-lossy.pcap" "tcp.analysis.$fl && tcp.dstport == 80" '>' 0 "$fl client->server"
done
want "$F/dns-udp.pcap" 'dns.flags.response == 0' '==' 8 "8 queries"
want "$F/dns-udp.pcap" 'dns.flags.rcode == 3' '==' 1 "NXDOMAIN"
want "$F/dns-udp.pcap" 'dns.cname' '>=' 1 "CNAME chain"
want "$F/dns-tcp.pcap" 'tcp && dns.flags.response == 1' '>=' 5 "DNS answers over TCP"
want "$F/http-ipv6.pcap" 'icmpv6.type == 135' '>=' 1 "neighbor solicitation"
want "$F/http-ipv6.pcap" 'icmpv6.type == 136' '>=' 1 "neighbor advertisement"
want "$F/http-ipv6.pcap" 'ipv6 && http.request' '==' 1 "HTTP over IPv6"
want "$F/tcp-refused.pcap" 'tcp.flags.reset == 1' '==' 2 "two RSTs"
want "$F/two-interfaces.pcapng" 'frame.interface_id == 1' '>' 0 "packets on the second interface"
want "$F/two-interfaces.pcapng" 'frame.comment' '==' 2 "packet comments"
capinfos -T -t "$F/nanosecond.pcap" 2>/dev/null | grep -q nsecpcap || { echo "FAIL nanosecond.pcap: not a nanosecond pcap"; fail=1; }
want "$F/linux-cooked.pcap" 'sll' '==' 18 "SLL"
want "$F/linux-cooked-sll2.pcap" 'sll' '==' 18 "SLL2"
want "$F/hostile.pcap" 'http.request.uri contains "<script>"' '>=' 1 "script in a URI"
want "$F/hostile.pcap" 'dns.qry.name contains "<img"' '>=' 1 "img tag in a DNS name"

echo
echo "http-bulk-lossy.pcap analysis flags (frames):"
printf '  %-36s %8s %8s\n' flag 's->c' 'c->s'
for fl in flags retransmission fast_retransmission spurious_retransmission out_of_order duplicate_ack \
          lost_segment ack_lost_segment window_update window_full zero_window zero_window_probe keep_alive; do
  printf '  %-36s %8s %8s\n' "tcp.analysis.$fl" "$(count "$F/http-bulk-lossy.pcap" "tcp.analysis.$fl && tcp.srcport == 80")" \
    "$(count "$F/http-bulk-lossy.pcap" "tcp.analysis.$fl && tcp.dstport == 80")"
done
((fail == 0)) && echo "all fixture checks passed" || { echo "some fixture checks FAILED"; exit 1; }
