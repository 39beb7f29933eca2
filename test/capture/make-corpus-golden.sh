#!/usr/bin/env bash
# Regenerates test/capture/corpus-golden.json: what tshark says about every capture in
# ../shared/corpus/tcpdump-tests, so corpus.test.ts can compare our reader with tshark
# without needing tshark installed.
#
# Per file: tshark's packet count and a hash of its frame fields
#   tshark -r F -T fields -e frame.number -e frame.time_epoch -e frame.len -e frame.cap_len -e frame.interface_id
# ("h": first 16 hex digits of the SHA-256 of that output, "hl": the same with the
# time_epoch column removed), or — for files tshark refuses — its error message and the packet
# count tcpdump reads from them (`tcpdump -r F --count`).
#
# Usage: bash test/capture/make-corpus-golden.sh [corpus-dir]   (tshark 4.0, tcpdump 4.99)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
corpus="${1:-$repo/../shared/corpus/tcpdump-tests}"
out="$here/corpus-golden.json"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

for f in "$corpus"/*.pcap "$corpus"/*.pcapng; do
  b="$(basename "$f")"
  if tshark -r "$f" -T fields -e frame.number -e frame.time_epoch -e frame.len -e frame.cap_len \
      -e frame.interface_id >"$tmp/$b.tsv" 2>"$tmp/$b.err"; then
    echo ok >"$tmp/$b.status"
  else
    echo error >"$tmp/$b.status"
    (tcpdump -r "$f" --count 2>/dev/null || true) | sed -n 's/^\([0-9]*\) packets\{0,1\}$/\1/p' >"$tmp/$b.tcpdump"
  fi
done

TMPDIR_GOLDEN="$tmp" TSHARK_VERSION="$(tshark --version | head -1)" node --input-type=module -e '
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
const dir = process.env.TMPDIR_GOLDEN;
const h = (s) => createHash("sha256").update(s).digest("hex").slice(0, 16);
const files = {};
for (const st of readdirSync(dir).filter((n) => n.endsWith(".status")).sort()) {
  const name = st.slice(0, -".status".length);
  if (readFileSync(`${dir}/${st}`, "utf8").trim() === "ok") {
    const tsv = readFileSync(`${dir}/${name}.tsv`, "utf8");
    const lines = tsv === "" ? [] : tsv.replace(/\n$/, "").split("\n");
    const noTime = lines.map((l) => l.split("\t").filter((_, i) => i !== 1).join("\t"));
    files[name] = { n: lines.length, h: h(tsv), hl: h(noTime.join("\n")) };
  } else {
    const err = readFileSync(`${dir}/${name}.err`, "utf8").split("\n")
      .filter((l) => l && !l.startsWith("Running as user")).join(" ").replace(/"[^"]*"/g, "F");
    const td = readFileSync(`${dir}/${name}.tcpdump`, "utf8").trim();
    files[name] = { error: err, tcpdump: td === "" ? null : Number(td) };
  }
}
const golden = {
  generator: "test/capture/make-corpus-golden.sh",
  tshark: process.env.TSHARK_VERSION,
  fields: "frame.number frame.time_epoch frame.len frame.cap_len frame.interface_id",
  files,
};
writeFileSync(process.argv[1], JSON.stringify(golden, null, 0).replace(/\},"/g, "},\n\"") + "\n");
' "$out"
echo "wrote $out ($(wc -c <"$out") bytes)"
