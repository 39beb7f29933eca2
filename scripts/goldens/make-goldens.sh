#!/usr/bin/env bash
# Regenerate every tshark golden under fixtures/golden/ from the committed fixtures.
#
# usage: scripts/goldens/make-goldens.sh            (all fixtures)
#        scripts/goldens/make-goldens.sh --no-filters    (skip filters/results.json, the slow part)
#        scripts/goldens/make-goldens.sh --only-filters  (only filters/results.json and the README)
#        FILTERS_INCREMENTAL=1 scripts/goldens/make-goldens.sh --only-filters
#                                   (run only expressions that results.json lacks; fixtures unchanged)
#
# Inputs (committed, edited by hand):
#   fixtures/*.pcap fixtures/*.pcapng                 the recorded captures (fixtures/record.sh)
#   fixtures/golden/fields/{frame,dissect,tcp-analysis}.txt   field lists, one field per line
#   fixtures/golden/filters/expressions.txt           display filters, one per line
# Outputs: see fixtures/golden/README.md (written by this script).
#
# Deterministic: tshark runs with an empty configuration directory (default preferences, no
# user profile), -n (no name resolution: no manuf/hosts/services lookups), TZ=UTC, LC_ALL=C.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
FIX="$ROOT/fixtures"
G="$FIX/golden"
HERE="$ROOT/scripts/goldens"
DO_FILTERS=1 DO_FILES=1
case "${1:-}" in
  --no-filters) DO_FILTERS=0 ;;
  --only-filters) DO_FILES=0 ;;
  "") ;;
  *) echo "usage: $0 [--no-filters|--only-filters]" >&2; exit 2 ;;
esac

command -v tshark >/dev/null || { echo "make-goldens: tshark is needed (apt-get install -y tshark)" >&2; exit 2; }

CFG="$(mktemp -d /tmp/wsgold-cfg.XXXXXX)"
trap 'rm -rf "$CFG"' EXIT
export WIRESHARK_CONFIG_DIR="$CFG" TZ=UTC LC_ALL=C
# tshark prints this on stderr when run as root; it is not a warning about the file
ROOTWARN='^Running as user "root" and group "root". This could be dangerous.$'

ts() { # tshark with our fixed options; fails on any stderr line other than the root notice
  local err="$CFG/stderr" rc=0
  tshark -n "$@" 2>"$err" || rc=$?
  if grep -v -E "$ROOTWARN" "$err" | grep -q .; then
    echo "make-goldens: tshark $* said:" >&2; grep -v -E "$ROOTWARN" "$err" >&2
    return 1
  fi
  return $rc
}

FIELDOPTS=(-T fields -E header=y -E separator=/t -E occurrence=a -E aggregator=, -E quote=n)
efields() { sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$1" | awk '{print "-e"; print $1}'; }
mapfile -t E_FRAME < <(efields "$G/fields/frame.txt")
mapfile -t E_DISSECT < <(efields "$G/fields/dissect.txt")
mapfile -t E_TCPA < <(efields "$G/fields/tcp-analysis.txt")

# Streams whose follow output is bigger than this get no hex golden (it is ~4.5x the ASCII).
HEX_LIMIT=${HEX_LIMIT:-262144}
# Extra goldens for these fixtures with tcp.reassemble_out_of_order:TRUE (Wireshark's
# default is FALSE; with loss, out-of-order data then blocks reassembly of the PDU).
OOO_FIXTURES=" http-bulk-lossy "

mkdir -p "$G/filters"

mapfile -t FILES < <(cd "$FIX" && ls -1 *.pcap *.pcapng 2>/dev/null | LC_ALL=C sort)
((${#FILES[@]})) || { echo "make-goldens: no fixtures in $FIX" >&2; exit 2; }

# remove what a previous run generated (inputs stay)
if ((DO_FILES)); then find "$G" -maxdepth 1 -type f \( -name '*.tsv' -o -name '*.txt' \) -delete; fi
# (FILTERS_INCREMENTAL=1 with --only-filters keeps the results of expressions already there)
if ((DO_FILTERS)) && { ((DO_FILES)) || [[ "${FILTERS_INCREMENTAL:-}" != 1 ]]; }; then rm -f "$G/filters/results.json"; fi

if ((DO_FILES)); then for file in "${FILES[@]}"; do
  F="$FIX/$file"
  b="${file%.*}"
  echo "[goldens] $file" >&2
  # field lists: frame and dissect in one pass (tshark's default), tcp-analysis in two passes (-2)
  ts -r "$F" "${FIELDOPTS[@]}" "${E_FRAME[@]}" > "$G/$b.frame.tsv"
  ts -r "$F" "${FIELDOPTS[@]}" "${E_DISSECT[@]}" > "$G/$b.dissect.tsv"
  ts -2 -r "$F" "${FIELDOPTS[@]}" "${E_TCPA[@]}" > "$G/$b.tcp-analysis.tsv"
  # default one-line summary
  ts -r "$F" > "$G/$b.summary.txt"
  # statistics
  ts -q -r "$F" -z io,phs > "$G/$b.phs.txt"
  ts -q -r "$F" -z conv,eth > "$G/$b.conv-eth.txt"
  ts -q -r "$F" -z conv,ip > "$G/$b.conv-ip.txt"
  ts -q -r "$F" -z conv,ipv6 > "$G/$b.conv-ipv6.txt"
  ts -q -r "$F" -z conv,tcp > "$G/$b.conv-tcp.txt"
  ts -q -r "$F" -z conv,udp > "$G/$b.conv-udp.txt"
  ts -q -r "$F" -z endpoints,ip > "$G/$b.endpoints-ip.txt"
  ts -q -r "$F" -z endpoints,ipv6 > "$G/$b.endpoints-ipv6.txt"
  ts -q -r "$F" -z expert > "$G/$b.expert.txt"
  # follow every TCP stream
  for n in $(ts -r "$F" -Y tcp -T fields -e tcp.stream | LC_ALL=C sort -un); do
    ts -q -r "$F" -z "follow,tcp,ascii,$n" > "$G/$b.follow-$n.txt"
    if (($(stat -c %s "$G/$b.follow-$n.txt") <= HEX_LIMIT)); then
      ts -q -r "$F" -z "follow,tcp,hex,$n" > "$G/$b.follow-hex-$n.txt"
    fi
  done
  if [[ "$OOO_FIXTURES" == *" $b "* ]]; then
    ts -o tcp.reassemble_out_of_order:TRUE -r "$F" > "$G/$b.reassemble-ooo.summary.txt"
  fi
done; fi

if ((DO_FILTERS)); then
  echo "[goldens] filters/results.json" >&2
  python3 "$HERE/filter_results.py" "$G/filters/expressions.txt" "$G/filters/results.json" "${FILES[@]/#/$FIX/}"
fi

VERSION="$(tshark --version 2>/dev/null | head -1)"
export VERSION HEX_LIMIT
python3 "$HERE/write_readme.py" "$G" "${FILES[@]}"
echo "[goldens] done: $(du -sh "$G" | cut -f1) in $G" >&2
