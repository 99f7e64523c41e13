#!/usr/bin/env python3
"""CPU accounting from /proc for bench/run.sh (no pidstat needed).

    cpu.py snap LABEL=PID ...            > snap.json   # process + per-thread CPU ticks, system ticks
    cpu.py diff before.json after.json   > diff.json   # CPU seconds per process, top thread groups
    cpu.py watch OUT.csv LABEL=PID ...                  # 1-s samples of CPU % per process until killed
    cpu.py quiet MAX_BUSY_PCT TIMEOUT_S [PID ...]       # wait until the machine, not counting
                                                        # those PIDs, is at most that busy

Thread names are the kernel's (Java sets them from the Java thread name, cut to 15 characters);
digits are folded so that e.g. "GC Thread#0" and "GC Thread#1" count as one group.
"""
import json
import os
import re
import signal
import sys
import time

TCK = os.sysconf("SC_CLK_TCK")


def stat_ticks(path):
    with open(path) as f:
        s = f.read()
    fields = s[s.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def comm(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return "?"


def system_ticks():
    with open("/proc/stat") as f:
        parts = f.readline().split()[1:]
    v = list(map(int, parts))
    idle = v[3] + (v[4] if len(v) > 4 else 0)
    return {"total": sum(v[:8]), "idle": idle, "iowait": v[4] if len(v) > 4 else 0}


def snap(specs):
    out = {"time": time.time(), "system": system_ticks(), "procs": {}}
    for spec in specs:
        label, pid = spec.split("=", 1)
        if not pid or not os.path.exists("/proc/%s" % pid):
            continue
        try:
            threads = {}
            for tid in os.listdir("/proc/%s/task" % pid):
                base = "/proc/%s/task/%s" % (pid, tid)
                try:
                    threads[tid] = [comm(base + "/comm"), stat_ticks(base + "/stat")]
                except (OSError, ValueError):
                    pass
            rss = 0
            with open("/proc/%s/status" % pid) as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        rss = int(line.split()[1]) * 1024
            out["procs"][label] = {"pid": pid, "ticks": stat_ticks("/proc/%s/stat" % pid), "threads": threads,
                                   "peak_rss": rss}
        except OSError:
            pass
    return out


def group(name):
    return re.sub(r"\d+", "N", name)


def diff(a, b):
    wall = b["time"] - a["time"]
    sys_total = b["system"]["total"] - a["system"]["total"]
    res = {"wall_s": round(wall, 2),
           "system_busy_pct": round(100.0 * (1 - (b["system"]["idle"] - a["system"]["idle"]) / max(1, sys_total)), 1),
           "system_iowait_pct": round(100.0 * (b["system"]["iowait"] - a["system"]["iowait"]) / max(1, sys_total), 1),
           "ncpu": os.cpu_count(), "procs": {}}
    for label, pb in b["procs"].items():
        pa = a["procs"].get(label)
        if not pa or pa["pid"] != pb["pid"]:
            pa = {"ticks": 0, "threads": {}}
        cpu = (pb["ticks"] - pa["ticks"]) / TCK
        groups = {}
        for tid, (name, t) in pb["threads"].items():
            prev = pa["threads"].get(tid, [name, 0])[1]
            g = group(name)
            groups[g] = groups.get(g, 0) + (t - prev) / TCK
        top = sorted(((round(v, 2), k) for k, v in groups.items() if v > 0), reverse=True)[:12]
        res["procs"][label] = {"cpu_s": round(cpu, 2), "util_pct_of_one_core": round(100 * cpu / max(wall, 1e-9), 1),
                               "peak_rss_mb": round(pb.get("peak_rss", 0) / 1e6), "threads": [[k, v] for v, k in top]}
    return res


def watch(out, specs):
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    prev = snap(specs)
    t0 = prev["time"]
    with open(out, "w") as f:
        f.write("t_s,system_busy_pct," + ",".join(s.split("=")[0] + "_pct" for s in specs) + "\n")
        while not stop:
            time.sleep(1)
            cur = snap(specs)
            d = diff(prev, cur)
            row = ["%.1f" % (cur["time"] - t0), "%.0f" % d["system_busy_pct"]]
            for s in specs:
                p = d["procs"].get(s.split("=")[0])
                row.append("%.0f" % p["util_pct_of_one_core"] if p else "")
            f.write(",".join(row) + "\n")
            f.flush()
            prev = cur


def quiet(max_busy, timeout, pids):
    """Waits until machine-wide CPU use over 3 s, minus what PIDS use, is at most max_busy %
    (other people's builds on a shared machine distort the figures). Prints the seconds waited
    and the last reading."""
    def ours():
        t = 0
        for pid in pids:
            try:
                t += stat_ticks("/proc/%s/stat" % pid)
            except (OSError, ValueError):
                pass
        return t
    t0 = time.time()
    while True:
        a, oa = system_ticks(), ours()
        time.sleep(3)
        b, ob = system_ticks(), ours()
        # /proc/stat counts ticks of all CPUs; a process's ticks are in the same unit
        busy = 100.0 * (1 - (b["idle"] - a["idle"] + (ob - oa)) / max(1, b["total"] - a["total"]))
        waited = time.time() - t0
        if busy <= max_busy or waited >= timeout:
            print(json.dumps({"waited_s": round(waited, 1), "busy_pct": round(busy, 1), "quiet": busy <= max_busy}))
            return


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "snap":
        json.dump(snap(sys.argv[2:]), sys.stdout)
    elif cmd == "diff":
        with open(sys.argv[2]) as fa, open(sys.argv[3]) as fb:
            json.dump(diff(json.load(fa), json.load(fb)), sys.stdout, indent=1)
    elif cmd == "quiet":
        quiet(float(sys.argv[2]), float(sys.argv[3]), [p for p in sys.argv[4:] if p])
    elif cmd == "watch":
        watch(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(__doc__)
