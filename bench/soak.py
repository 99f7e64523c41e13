#!/usr/bin/env python3
"""Soak run: back up, verify and restore continuously under `lifeboat up`, with random faults.

Started by bench/soak.sh (which builds and picks the ports). Each round changes the source folder
a little, records what it holds (sha256 per file), maybe injects a fault, backs it up, and every
few rounds verifies and restores a random earlier backup and compares it with what that backup
reported it held. Faults: the broker killed mid-backup, `up` killed mid-backup (then started
again), `up` stopped with SIGTERM (must exit within 15 s), a byte flipped in a stored chunk (bit
rot), a byte flipped in an older manifest.

Counts what happened and what was lost. Lost means: a backup reported SUCCESS and later restored
to something else than its source, or could not be verified for a reason no injected fault
explains. A backup that fails because of an injected fault is an expected failure, not a loss.
"""
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINUTES = float(os.environ.get("SOAK_MINUTES", "30"))
WORK = Path(os.environ["SOAK_DIR"])
KAFKA_PORT = os.environ["SOAK_KAFKA_PORT"]
API_PORT = os.environ["SOAK_API_PORT"]
SEED = int(os.environ.get("SOAK_SEED", "1"))
FAULT_RATE = float(os.environ.get("SOAK_FAULT_RATE", "0.4"))
FAULTS = os.environ.get(
    "SOAK_FAULTS", "kill-broker,kill-up,sigterm-up,rot-chunk,damage-manifest").split(",")
LB = os.environ.get("SOAK_LIFEBOAT", str(ROOT / "lifeboat"))
HOME = WORK / "home"
SRC = WORK / "source"
LOG = WORK / "soak.log"
rng = random.Random(SEED)

counts = {
    "rounds": 0,
    "backups_requested": 0,
    "backups_success": 0,
    "backups_partial": 0,
    "backups_failed_expected": 0,
    "rot_detected_by_backup": 0,
    "backups_failed_unexpected": 0,
    "backups_unanswered": 0,
    "faults": {},
    "verifies": 0,
    "verify_failures_explained": 0,
    "restores": 0,
    "restores_identical": 0,
    "sigterm_stop_seconds_max": 0.0,
    "lost": 0,
}
lost = []
expected = {}  # backup id -> {relative path: sha256}
rotted_chunks = set()  # hex ids of chunks we damaged
damaged_manifests = set()  # backup ids whose manifest we damaged
up = None


def log(msg):
    line = time.strftime("%H:%M:%S ") + msg
    print(line, flush=True)
    with LOG.open("a") as f:
        f.write(line + "\n")


def common():
    return ["--home", str(HOME), "--kafka-port", KAFKA_PORT, "--api-port", API_PORT]


def lifeboat(args, timeout=300):
    try:
        p = subprocess.run([LB, *args, *common()], capture_output=True, text=True, timeout=timeout)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return 124, "", "timed out after %d s" % timeout


def start_up():
    global up
    out = open(WORK / "up.log", "a")
    up = subprocess.Popen([LB, "up", *common()], stdout=out, stderr=subprocess.STDOUT)
    deadline = time.time() + 180
    while time.time() < deadline:
        if up.poll() is not None:
            raise SystemExit("lifeboat up exited with %s; see %s" % (up.returncode, WORK / "up.log"))
        code, _, _ = lifeboat(["list", "--limit", "1"], timeout=30)
        if code == 0:
            return
        time.sleep(2)
    raise SystemExit("lifeboat up did not answer within 180 s")


def broker_pid():
    try:
        return int((HOME / "kafka" / "broker.pid").read_text().strip())
    except (OSError, ValueError):
        return None


def snapshot(root):
    out = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            p = Path(dirpath) / name
            out[str(p.relative_to(root))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def mutate():
    files = sorted(p for p in SRC.rglob("*") if p.is_file())
    for _ in range(rng.randint(1, 3)):
        if files:
            p = rng.choice(files)
            data = bytearray(p.read_bytes())
            if data:
                at = rng.randrange(len(data))
                data[at:at + 64] = rng.randbytes(min(64, len(data) - at))
                p.write_bytes(bytes(data))
    for _ in range(rng.randint(0, 2)):
        d = SRC / ("d%d" % rng.randint(0, 5))
        d.mkdir(exist_ok=True)
        (d / ("f%06d.bin" % rng.randint(0, 999999))).write_bytes(
            rng.randbytes(rng.choice([1024, 50_000, 300_000, 1_500_000])))
    if len(files) > 20 and rng.random() < 0.5:
        rng.choice(files).unlink()


def backup(fault=None):
    """One backup, with an optional fault injected while it runs."""
    counts["backups_requested"] += 1
    before = snapshot(SRC)
    cmd = [LB, "backup", "files:" + str(SRC), "--name", "soak", "--wait", "--json",
           "--timeout", "PT4M", *common()]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if fault == "kill-broker":
        time.sleep(rng.uniform(0.5, 3))
        pid = broker_pid()
        if pid:
            os.kill(pid, signal.SIGKILL)
            log("  fault: killed the broker (pid %d) mid-backup" % pid)
    elif fault == "kill-up":
        time.sleep(rng.uniform(0.5, 3))
        up.kill()
        up.wait()
        log("  fault: killed lifeboat up mid-backup; starting it again")
        start_up()
    try:
        out, err = proc.communicate(timeout=330)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    code = proc.returncode
    result = None
    for line in out.splitlines():
        if line.startswith("{"):
            try:
                result = json.loads(line)
            except ValueError:
                pass
    status = (result or {}).get("status")
    bid = (result or {}).get("backupId")
    if status == "SUCCESS":
        counts["backups_success"] += 1
        expected[bid] = before
    elif status == "PARTIAL":
        counts["backups_partial"] += 1  # files changed while read: not kept as a reference
    elif status == "FAILED":
        reason = (result or {}).get("reason", "")
        if fault in ("kill-broker", "kill-up") or "damaged in storage" in reason:
            counts["backups_failed_expected"] += 1
            if "damaged in storage" in reason:
                counts["rot_detected_by_backup"] += 1
        else:
            counts["backups_failed_unexpected"] += 1
            log("  unexpected FAILED: %s" % reason[:300])
    else:
        counts["backups_unanswered"] += 1
        log("  no answer (exit %s): %s" % (code, (err or out)[-300:].strip()))
    log("  backup %s: %s (exit %s)" % (bid, status, code))
    return bid, status


def flip_byte(path):
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x5A
    path.write_bytes(bytes(data))


def rot_chunk():
    chunks = [p for p in (HOME / "repository" / "chunks").rglob("*") if p.is_file()]
    if chunks:
        # half the time one of the newest chunks: the next backup most likely reuses it, which is
        # the case that must not end in a false SUCCESS; otherwise any chunk (older backups)
        chunks.sort(key=lambda p: p.stat().st_mtime)
        c = rng.choice(chunks[-10:] if rng.random() < 0.5 else chunks)
        flip_byte(c)
        rotted_chunks.add(c.name)
        log("  fault: flipped a byte in chunk %s" % c.name[:16])


def damage_manifest():
    olds = [b for b in expected if b not in damaged_manifests]
    if len(olds) > 2:
        bid = rng.choice(olds[:-1])
        flip_byte(HOME / "repository" / "manifests" / bid)
        damaged_manifests.add(bid)
        log("  fault: flipped a byte in the manifest of %s" % bid)


def sigterm_up():
    t = time.time()
    up.send_signal(signal.SIGTERM)
    try:
        up.wait(timeout=60)
    except subprocess.TimeoutExpired:
        up.kill()
        up.wait()
    took = time.time() - t
    counts["sigterm_stop_seconds_max"] = max(counts["sigterm_stop_seconds_max"], round(took, 1))
    log("  fault: SIGTERM to up; it stopped in %.1f s" % took)
    if took > 15:
        lost.append("up took %.1f s to stop on SIGTERM" % took)
    start_up()


def explained(text):
    return any(h in text for h in rotted_chunks) or any(b in text for b in damaged_manifests)


def check(bid):
    """Verify and restore one SUCCESS backup; anything unexplained is a loss."""
    counts["verifies"] += 1
    code, out, err = lifeboat(["verify", bid, "--json"])
    if code != 0:
        if explained(out + err) or bid in damaged_manifests:
            counts["verify_failures_explained"] += 1
            return
        lost.append("verify of %s failed: %s" % (bid, (out + err)[-400:].strip()))
        log("  LOSS: verify of %s failed: %s" % (bid, (out + err)[-300:].strip()))
        return
    target = WORK / "restore"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir()
    counts["restores"] += 1
    code, out, err = lifeboat(["restore", bid, "--to", str(target), "--force"])
    got = snapshot(target) if code == 0 else None
    if got == expected[bid]:
        counts["restores_identical"] += 1
    elif code != 0 and explained(out + err):
        counts["verify_failures_explained"] += 1
    else:
        diff = "exit %s" % code if got is None else "%d paths differ" % len(
            set(got.items()) ^ set(expected[bid].items()))
        lost.append("restore of %s: %s" % (bid, diff))
        log("  LOSS: restore of %s: %s %s" % (bid, diff, (out + err)[-300:].strip()))


def main():
    if HOME.exists():
        shutil.rmtree(HOME)
    shutil.rmtree(SRC, ignore_errors=True)
    SRC.mkdir(parents=True)
    for i in range(30):
        (SRC / ("seed%02d.bin" % i)).write_bytes(rng.randbytes(rng.choice([2048, 100_000, 800_000])))
    LOG.write_text("")
    log("soak: %s minutes, seed %d, fault rate %.2f, work %s" % (MINUTES, SEED, FAULT_RATE, WORK))
    start_up()
    end = time.time() + MINUTES * 60
    try:
        while time.time() < end:
            counts["rounds"] += 1
            mutate()
            fault = None
            if rng.random() < FAULT_RATE:
                fault = rng.choice(FAULTS)
                counts["faults"][fault] = counts["faults"].get(fault, 0) + 1
            log("round %d%s" % (counts["rounds"], " (" + fault + ")" if fault else ""))
            if fault == "rot-chunk":
                rot_chunk()
            elif fault == "damage-manifest":
                damage_manifest()
            elif fault == "sigterm-up":
                sigterm_up()
            backup(fault if fault in ("kill-broker", "kill-up") else None)
            if expected and counts["rounds"] % 3 == 0:
                check(rng.choice(list(expected)))
        # at the end every SUCCESS backup is checked once more, newest first, up to 25
        for bid in list(expected)[::-1][:25]:
            check(bid)
    finally:
        if up and up.poll() is None:
            up.send_signal(signal.SIGTERM)
            try:
                up.wait(timeout=30)
            except subprocess.TimeoutExpired:
                up.kill()
    counts["lost"] = len(lost)
    report = {"minutes": MINUTES, "seed": SEED, "counts": counts, "lost": lost}
    (WORK / "soak-report.json").write_text(json.dumps(report, indent=2))
    log("report: " + json.dumps(report))
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
