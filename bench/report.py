#!/usr/bin/env python3
"""Turns bench/run.sh results into a Markdown report.

    report.py RESULTS_DIR [DOC]

Prints the report; with DOC, also writes it there. Text between the markers
<!-- analysis:begin --> and <!-- analysis:end --> in an existing DOC is kept (hand-written notes).
"""
import csv
import json
import os
import sys

MB = 1e6
BEGIN, END = "<!-- analysis:begin -->", "<!-- analysis:end -->"


def load(d, name):
    p = os.path.join(d, name)
    if not os.path.exists(p):
        return None
    with open(p) as f:
        return json.load(f)


REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def relative(text):
    """Paths of the machine the report ran on, as paths in the repository: the report is read elsewhere."""
    text = text.replace(REPO + "/", "").replace(REPO, ".")
    home = os.path.expanduser("~")
    return text.replace(home + "/", "~/") if home not in ("", "/") else text


def f1(x, nd=1):
    return "–" if x is None else ("{:,.%df}" % nd).format(x)


def mbps(nbytes, s):
    return None if not s else nbytes / MB / s


def lb_row(r):
    res = r.get("result") or {}
    cli = r.get("cli") or {}
    procs = (r.get("cpu") or {}).get("procs", {})
    cpu = sum(p["cpu_s"] for p in procs.values()) + cli.get("user_s", 0) + cli.get("sys_s", 0)
    own = res.get("durationMs", 0) / 1000 or None
    comp = (res.get("components") or [{}])[0]
    status = res.get("status", "rc=%s" % r["rc"])
    if r.get("log_errors"):
        status += " ⚠ %d ERROR log lines%s" % (r["log_errors"], ", OutOfMemoryError" if r.get("log_ooms") else "")
    status += noisy(r.get("cpu"), other_cpu(r.get("cpu"), cpu))
    return {
        "status": status,
        "wall": r["wall_s"], "own": own,
        "mbps_wall": mbps(r["data_bytes"], r["wall_s"]), "mbps_own": mbps(r["data_bytes"], own),
        "new": "%s new / %s dedup" % (res.get("newChunks", "?"), res.get("dedupedChunks", "?")),
        "stored": res.get("storedBytes", 0) / MB, "repo": r["repo_bytes"] / MB,
        "ratio": res.get("compressionRatio") if res.get("newChunks") else None,
        "cpu": cpu, "size": res.get("sizeBytes"), "dump_s": comp.get("durationMs", 0) / 1000,
        "kafka": r.get("kafka_bytes", 0) / MB,
        "other": other_cpu(r.get("cpu"), cpu),
    }


def other_cpu(window, ours):
    """CPU seconds used by processes other than the measured ones during a step (noise indicator)."""
    if not window:
        return None
    total = window["system_busy_pct"] / 100 * window["ncpu"] * window["wall_s"]
    return max(0.0, total - ours)


def noisy(window, other):
    """Share of the machine other processes used during a step, when it is high enough to matter."""
    if not window or other is None:
        return ""
    share = other / (window["ncpu"] * max(window["wall_s"], 1e-9))
    return " ⚠ noisy: others used %.0f %% of the machine" % (100 * share) if share > 0.15 and other > 2 else ""


def restic_row(r):
    s = r.get("summary") or {}
    cli = r.get("cli") or {}
    stored = r["raw_after"] - r["raw_before"]
    own = s.get("total_duration")
    ours = cli.get("user_s", 0) + cli.get("sys_s", 0) + sum(p["cpu_s"] for p in (r.get("background") or {}).get("procs", {}).values())
    return {
        "status": ("OK" if r["rc"] == 0 else "rc=%s" % r["rc"]) + noisy(r.get("background"), other_cpu(r.get("background"), ours)),
        "wall": r["wall_s"], "own": own,
        "mbps_wall": mbps(r["data_bytes"], r["wall_s"]), "mbps_own": mbps(r["data_bytes"], own),
        "new": "%s data + %s tree blobs" % (s.get("data_blobs", "?"), s.get("tree_blobs", "?")),
        "stored": stored / MB, "repo": r["repo_bytes"] / MB,
        "ratio": (s.get("data_added", 0) / stored) if stored > 0 else None,
        "cpu": cli.get("user_s", 0) + cli.get("sys_s", 0),
        "other": other_cpu(r.get("background"), ours),
        "files": "%s new, %s changed, %s unmodified" % (s.get("files_new"), s.get("files_changed"), s.get("files_unmodified")),
    }


def timeline(path, bucket=5):
    if not os.path.exists(path):
        return ""
    with open(path) as f:
        rows = list(csv.DictReader(f))
    if not rows:
        return ""
    out = []
    for i in range(0, len(rows), bucket):
        part = rows[i:i + bucket]
        avg = lambda k: sum(float(x[k] or 0) for x in part) / len(part)
        out.append("%3.0f–%-3.0f s | %3.0f %% | %3.0f %% | %3.0f %%" % (
            float(part[0]["t_s"]) - 1, float(part[-1]["t_s"]), avg("lifeboat_pct"), avg("broker_pct"), avg("system_busy_pct")))
    return "\n".join(out)


def main():
    d = sys.argv[1]
    doc = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else None
    facts = load(d, "facts.json") or {}
    data0 = load(d, "data0.json") or {}
    updown = load(d, "lifeboat-updown.json") or {}
    steps = [("first", "first backup"), ("nochange", "no-change backup"), ("change", "after ~1 % change")]
    L = {k: load(d, "lb-%s.json" % k) for k, _ in steps}
    R = {k: load(d, "restic-%s.json" % k) for k, _ in steps}
    LR, RR = load(d, "lb-restore.json"), load(d, "restic-restore.json")
    change = open(os.path.join(d, "change.txt")).read().strip() if os.path.exists(os.path.join(d, "change.txt")) else "?"

    o = []
    w = o.append
    w("# Benchmarks: Lifeboat vs restic")
    w("")
    w("Produced by `bench/run.sh` (%s). Both tools ran on the same data, on the same machine, one after the other." % facts.get("date", "?"))
    w("")
    w("## Machine")
    w("")
    w("| | |\n|---|---|")
    for k, label in [("nproc", "CPUs (`nproc`)"), ("cpu", "CPU"), ("mem_gb", "memory (GB)"), ("os", "OS"), ("kernel", "kernel"),
                     ("fs", "file system of the work dir"), ("java", "JDK (`java -version`)"), ("lifeboat_java_opts", "LIFEBOAT_JAVA_OPTS"),
                     ("restic", "restic"), ("git", "Lifeboat commit"), ("jar_built", "Lifeboat jar built"),
                     ("loadavg_at_start", "load average at start")]:
        w("| %s | %s |" % (label, str(facts.get(k, "?")).replace("|", "/")))
    jvm = load(d, "jvm-opts.json") or {}
    if jvm:
        w("| JVM options of `lifeboat up` | `%s` |" % (jvm.get("up") or "?"))
        w("| JVM options of its broker | `%s` |" % (jvm.get("broker") or "?"))
    w("")
    w("## Data")
    w("")
    w("%s bytes (`du -sb`, %.1f MB) in %s files, deterministic (`bench/gen_data.py`, %s in %s s): ~250 MB logs "
      "(repetitive lines, varying numbers and ids), ~200 MB SQL dumps (INSERTs), ~250 MB random binaries "
      "(incompressible), ~150 MB text, ~150 MB of 1–20 KiB files in nested folders. The change step (`gen_data.py change`): "
      "appends 2 MB to 3 logs, overwrites 1 MB plus 16 × 4 KiB inside 2 binaries, inserts 500 kB in the middle of a text "
      "file, rewrites 1 MB of a SQL dump, adds 200 small files (%s). "
      "MB/s below = source size (`du -sb` of the data at that step) / time, MB = 10^6 bytes."
      % (f1(data0.get("bytes"), 0), data0.get("bytes", 0) / MB, data0.get("files"), data0.get("how"), data0.get("seconds"), change))
    w("")
    w("Page cache: it cannot be dropped without privileges, so the script reads the whole tree once before the first "
      "backups (and again after the change); the data (1 GB) is far smaller than RAM, so both tools read from memory alike.")
    w("")
    w("## Results")
    w("")
    w("| step | tool | status | wall s | MB/s (wall) | tool's own s | MB/s (own) | new chunks | stored MB | repo on disk MB | compression | CPU s | other CPU s |")
    w("|---|---|---|--:|--:|--:|--:|---|--:|--:|--:|--:|--:|")
    for k, label in steps:
        for tool, r, fn in (("Lifeboat", L[k], lb_row), ("restic", R[k], restic_row)):
            if not r:
                w("| %s | %s | missing | | | | | | | | | | |" % (label, tool))
                continue
            x = fn(r)
            w("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                label, tool, x["status"], f1(x["wall"]), f1(x["mbps_wall"]), f1(x["own"]), f1(x["mbps_own"]), x["new"],
                f1(x["stored"]), f1(x["repo"]), "–" if x["ratio"] is None else "%.2f×" % x["ratio"], f1(x["cpu"]), f1(x["other"])))
    for tool, r in (("Lifeboat", LR), ("restic", RR)):
        if not r:
            w("| full restore | %s | missing | | | | | | | | | | |" % tool)
            continue
        cli = r.get("cli") or {}
        c = r.get("compare") or {}
        ours = cli.get("user_s", 0) + cli.get("sys_s", 0)
        other = other_cpu(r.get("background"), ours)
        w("| full restore | %s | %s | %s | %s | | | content %s, metadata mismatches %s | | | | %s | %s |" % (
            tool, ("OK" if r["rc"] == 0 else "rc=%s" % r["rc"]) + noisy(r.get("background"), other), f1(r["wall_s"]),
            f1(mbps(r["data_bytes"], r["wall_s"])), c.get("content", "?").upper(), c.get("metadata_mismatches", "?"), f1(ours), f1(other)))
    w("")
    w("Columns: *wall s* = wall clock of the whole command (for Lifeboat the `lifeboat backup --wait --json` client: "
      "its JVM start, publishing the request, waiting for the completion event). *tool's own s* = Lifeboat's `durationMs` "
      "(request → verified and committed) / restic's `total_duration`. *new chunks* = Lifeboat `newChunks`/`dedupedChunks`, "
      "restic `data_blobs`/`tree_blobs` of the summary. *stored MB* = Lifeboat `storedBytes` / growth of restic's "
      "`stats --mode raw-data` (both after compression and encryption). *compression* = Lifeboat `compressionRatio` "
      "(plaintext of new chunks / stored) / restic `data_added` ÷ stored. *CPU s* = user+sys CPU: for Lifeboat the `up` JVM + "
      "the broker JVM + the client JVM during the command; for restic the restic process. *other CPU s* = CPU used by everything else on the machine meanwhile (from `/proc/stat`; includes the script's 1-s sampler during Lifeboat backups): a noise indicator; a step where it exceeds 15 % of the machine (and 2 CPU s) is flagged *noisy* (other people's builds on this shared machine). Restore rows: *tool's own s* "
      "column left empty, the printed figures are below; content = `diff -r` of source and restore; metadata = entries whose "
      "type, mode, size or mtime (to the second) differ.")
    w("")
    if LR:
        w("Printed by `lifeboat restore`: `%s`  " % LR.get("printed", "").strip())
    if RR:
        w("Printed by `restic restore`: `%s`" % RR.get("printed", "").strip())
    w("")
    if L.get("first"):
        x = lb_row(L["first"])
        w("Lifeboat extras: `sizeBytes` (the pax-tar stream) %s bytes vs `du -sb` %s; the dump stage took %.1f s of the "
          "%.1f s `durationMs` on the first backup; `up` was ready %s s after start and stopped %s s after SIGTERM; the "
          "embedded broker's `kafka/` dir held %.0f MB after the first backup." % (
              f1(x["size"], 0), f1(L["first"]["data_bytes"], 0), x["dump_s"], x["own"] or 0, updown.get("start_s", "?"),
              updown.get("stop_s", "?"), x["kafka"]))
        w("")
    w("## CPU during Lifeboat's first backup")
    w("")
    if L.get("first") and L["first"].get("cpu"):
        cpu = L["first"]["cpu"]
        cli = L["first"].get("cli") or {}
        w("Measured from `/proc` (per process and per thread) over the %.1f s of the `lifeboat backup` command; machine "
          "busy %.0f %% of %s cores (iowait %.0f %%)." % (cpu["wall_s"], cpu["system_busy_pct"], cpu["ncpu"], cpu["system_iowait_pct"]))
        w("")
        w("| process | CPU s | avg utilisation (100 % = 1 core) | peak RSS MB | busiest threads (CPU s) |")
        w("|---|--:|--:|--:|---|")
        for label in ("lifeboat", "broker"):
            p = cpu["procs"].get(label)
            if p:
                w("| %s JVM | %s | %s %% | %s | %s |" % (label, f1(p["cpu_s"]), f1(p["util_pct_of_one_core"], 0), p["peak_rss_mb"],
                                                          ", ".join("%s %.1f" % (n.replace("|", "/"), s) for n, s in p["threads"][:8])))
        w("| client JVM (`lifeboat backup`) | %s | %s %% | %s | |" % (
            f1(cli.get("user_s", 0) + cli.get("sys_s", 0)),
            f1(100 * (cli.get("user_s", 0) + cli.get("sys_s", 0)) / max(cli.get("wall_s", 1), 1e-9), 0), round(cli.get("maxrss_kb", 0) / 1e3)))
        if R.get("first"):
            rc = R["first"].get("cli") or {}
            w("| restic (its first backup, for comparison) | %s | %s %% | %s | |" % (
                f1(rc.get("user_s", 0) + rc.get("sys_s", 0)),
                f1(100 * (rc.get("user_s", 0) + rc.get("sys_s", 0)) / max(rc.get("wall_s", 1), 1e-9), 0), round(rc.get("maxrss_kb", 0) / 1e3)))
        w("")
        tl = timeline(os.path.join(d, "lb-first.timeline.csv"))
        if tl:
            w("Timeline (5-s averages, 100 %% = one core, machine = all %s cores):" % cpu["ncpu"])
            w("")
            w("```\n  window  | lifeboat | broker | machine\n" + tl + "\n```")
            w("")
    idle = load(d, "lb-idle.cpu.json")
    if idle:
        w("Idle `lifeboat up` for %.0f s right after its no-change backup: %s." % (idle["wall_s"], ", ".join(
            "%s JVM %.1f CPU s (%.0f %% of one core, busiest: %s)" % (k, p["cpu_s"], p["util_pct_of_one_core"],
                                                                     ", ".join("%s %.1f" % (n, c) for n, c in p["threads"][:4]))
            for k, p in idle["procs"].items())))
        w("")
    waits = [(f[:-11], load(d, f)) for f in sorted(os.listdir(d)) if f.endswith(".quiet.json")]
    if waits:
        w("Before each timed step the script waited until the rest of the machine (not counting `lifeboat up` and its broker) was ≤ 25 %% busy over 3 s: %s." % ", ".join(
            "%s %s s%s" % (n, q["waited_s"], "" if q["quiet"] else " (still %s %% busy)" % q["busy_pct"]) for n, q in waits))
        w("")
    bg = [R[k].get("background") for k in ("first", "nochange", "change") if R.get(k) and R[k].get("background")]
    if any(b["procs"] for b in bg):
        w("⚠ A Lifeboat process was running during a restic backup: %s." % "; ".join(
            ", ".join("%s %.1f CPU s" % (k, p["cpu_s"]) for k, p in b["procs"].items()) for b in bg if b["procs"]))
        w("")
    errs = [(k, L[k]) for k, _ in steps if L.get(k) and L[k].get("log_errors")]
    if errs:
        w("⚠ `lifeboat up` logged errors: %s (log slices in `%s/lb-<step>.uplog.txt`)." % ("; ".join(
            "%s backup: %d ERROR lines%s" % (k, r["log_errors"], ", %d mention OutOfMemoryError" % r["log_ooms"] if r.get("log_ooms") else "")
            for k, r in errs), d))
        w("")
    w("## How to run")
    w("")
    w("```sh\nbench/run.sh                     # ~3.5 min (+30 s the first time, to generate data); writes docs/benchmarks.md\n"
      "BENCH_SCALE=0.1 BENCH_DOC= bench/run.sh   # quick smoke run (~100 MB), report printed only\n```")
    w("")
    w("Knobs (environment): `BENCH_DIR` work dir (default `bench/work/`, git-ignored: data, Lifeboat home, restic repo, "
      "restores, `results/` with every raw figure), `BENCH_SCALE` data size factor (1.0 ≈ 1 GB), `BENCH_KAFKA_PORT` "
      "(default 19092; the controller takes the next port) and `BENCH_API_PORT` (18080) so a dev instance on 9092/8080 is "
      "not disturbed, `BENCH_SNAPSHOT` (1: run a frozen copy of the `./lifeboat` script and `cli/target`'s jars, taken after "
      "`./lifeboat --help` has built them, so a rebuild triggered by concurrent source edits cannot stall a timed command or swap jars under `up`; 0: call "
      "`./lifeboat` directly), `BENCH_DOC` (report path; empty = print only), `LIFEBOAT_JAVA_OPTS` (unset: whatever `./lifeboat` defaults to; the options `up` and its broker actually ran with are listed above). "
      "Requires restic (installed with apt when missing), jq, python3, curl. The data is generated once and reused; the "
      "Lifeboat home and the restic repository are recreated on every run. Ordering (both tools see identical data "
      "states; restic never runs next to a live `lifeboat up`): generate/reuse data and read it into the page cache → "
      "restic init (`--repository-version 2`, compression auto), first and no-change backups → Lifeboat `up`, first and "
      "no-change backups, 20 s idle → change ~1 % → Lifeboat backup, stop `up` (SIGTERM) → restic backup → Lifeboat "
      "restore + compare → restic restore + compare. Before each timed step the script waits (up to "
      "`BENCH_QUIET_TIMEOUT`=120 s) until the rest of the machine is at most `BENCH_QUIET_PCT`=25 % busy. "
      "`BENCH_RESULTS` moves the raw results (default `$BENCH_DIR/results`).")
    w("")
    keep = None
    if doc and os.path.exists(doc):
        old = open(doc).read()
        if BEGIN in old and END in old:
            keep = old[old.index(BEGIN):old.index(END) + len(END)]
    w("## Observations")
    w("")
    w(keep or (BEGIN + "\n(hand-written analysis goes here; bench/report.py keeps it when it regenerates this file)\n" + END))
    w("")
    text = relative("\n".join(o))
    print(text)
    if doc:
        os.makedirs(os.path.dirname(os.path.abspath(doc)), exist_ok=True)
        with open(doc, "w") as f:
            f.write(text)
        print("\nwritten to %s" % doc, file=sys.stderr)


if __name__ == "__main__":
    main()
