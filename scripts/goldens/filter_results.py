#!/usr/bin/env python3
"""Run every display filter of expressions.txt over every fixture with tshark.

usage: filter_results.py EXPRESSIONS.txt RESULTS.json FIXTURE...

For each expression (one per line; blank lines and lines starting with '#' are skipped)
and each fixture this runs
    tshark -n -2 -r FIXTURE -Y EXPR -T fields -e frame.number
and writes { "<expr>": { "<fixture file name>": [frame numbers] | {"error": "<message>"} } }
with expressions in file order and fixtures in the order given. The error message is
tshark's stderr without its "tshark: " prefix and without the run-as-root notice.
FILTERS_INCREMENTAL=1 in the environment reuses the results already in RESULTS.json for
expressions still listed and runs only the new ones (only while the fixtures are unchanged).
Two-pass (-2) so that fields pointing at later frames (dns.response_in, http.response_in,
icmp.resp_in) are set, as they are in Wireshark's GUI after loading.
"""
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

ROOT_NOTICE = 'Running as user "root" and group "root". This could be dangerous.'


def run(expr, path):
    p = subprocess.run(["tshark", "-n", "-2", "-r", path, "-Y", expr, "-T", "fields", "-e", "frame.number"],
                       capture_output=True, text=True)
    err = "\n".join(l for l in p.stderr.splitlines() if l.strip() and l.strip() != ROOT_NOTICE)
    if p.returncode != 0 or err:
        msg = err[len("tshark: "):] if err.startswith("tshark: ") else err
        return {"error": msg or ("tshark exited with status %d" % p.returncode)}
    return [int(x) for x in p.stdout.split()]


def write_json(out, exprs, data):
    with open(out, "w", encoding="utf-8") as fh:
        # one fixture per line: readable diffs, still small
        fh.write("{\n")
        for i, e in enumerate(exprs):
            fh.write("  %s: {\n" % json.dumps(e, ensure_ascii=False))
            items = list(data[e].items())
            for j, (f, r) in enumerate(items):
                fh.write("    %s: %s%s\n" % (json.dumps(f), json.dumps(r, ensure_ascii=False, separators=(",", ":")),
                                             "," if j < len(items) - 1 else ""))
            fh.write("  }%s\n" % ("," if i < len(exprs) - 1 else ""))
        fh.write("}\n")


def main():
    exprs_file, out, fixtures = sys.argv[1], sys.argv[2], sys.argv[3:]
    exprs = []
    with open(exprs_file, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if line not in exprs:
                exprs.append(line)
    workers = max(1, os.cpu_count() or 1)
    # FILTERS_INCREMENTAL=1: keep the results already in OUT for expressions still listed
    # (only valid while the fixtures are unchanged), run tshark for the new ones only.
    old = {}
    if os.environ.get("FILTERS_INCREMENTAL") == "1" and os.path.exists(out):
        with open(out, encoding="utf-8") as fh:
            old = json.load(fh)
        names = [os.path.basename(f) for f in fixtures]
        old = {e: v for e, v in old.items() if e in exprs and list(v) == names}
    todo = [e for e in exprs if e not in old]
    # A rejected expression is rejected whatever the file: try each on the smallest fixture
    # first and give the same error to every fixture (saves most of the runs for errors).
    smallest = min(fixtures, key=os.path.getsize)
    with ThreadPoolExecutor(max_workers=workers) as ex:
        first = dict(zip(todo, ex.map(lambda e: run(e, smallest), todo)))
    jobs = [(e, f) for e in todo for f in fixtures if not isinstance(first[e], dict) and f != smallest]
    with ThreadPoolExecutor(max_workers=workers) as ex:
        done = dict(zip(jobs, ex.map(lambda j: run(*j), jobs)))
    data = {e: old[e] for e in old}
    for e in todo:
        for f in fixtures:
            data.setdefault(e, {})[os.path.basename(f)] = first[e] if (isinstance(first[e], dict) or f == smallest) \
                else done[(e, f)]
    write_json(out, exprs, data)
    nerr = sum(1 for e in exprs if all(isinstance(r, dict) for r in data[e].values()))
    print("[goldens] %d expressions x %d fixtures, %d rejected by tshark" % (len(exprs), len(fixtures), nerr),
          file=sys.stderr)


if __name__ == "__main__":
    main()
