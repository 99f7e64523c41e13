#!/usr/bin/env python3
"""Deterministic mixed test data for bench/run.sh.

    gen_data.py generate DIR [--scale S]   # ~1 GiB at scale 1.0 (logs, SQL, binaries, text, small files)
    gen_data.py change DIR                 # the "about 1 %" change (~10 MB), deterministic
    gen_data.py reset DIR [--scale S]      # undo "change" (regenerates the touched files)

Everything comes from seeded PRNGs, so the same parameters give byte-identical trees.
"""
import multiprocessing
import os
import random
import sys

MB = 1_000_000
GEN_VERSION = 1  # bump when the generator's output changes
# Different content from the same generator (used for the warm-up tree): GEN_SEED_OFFSET=N
SEED_OFFSET = int(os.environ.get("GEN_SEED_OFFSET", "0"))

WORDS = (
    "the of and to in is that for it as was with be by on not he this are or his from at which but have an they "
    "you were her she there been one all we their has would when if so no will more can out up what about into "
    "than them only other its time new some could these two may first then do any like my now over such our man "
    "me even most made after also did many before must through back years where much your way well down should "
    "because each just those people how too little state good very make world still own see men work long get "
    "here between both life being under never day same another know while last might us great old year off come "
    "since against go came right used take three backup restore kafka chunk stream broker partition offset "
    "replica storage encrypt compress verify manifest repository snapshot retention schedule recovery").split()
LEVELS = ["INFO"] * 12 + ["DEBUG"] * 6 + ["WARN"] * 2 + ["ERROR"]
LOGGERS = ["c.e.api.OrderController", "c.e.svc.PaymentService", "c.e.db.ConnectionPool", "o.a.kafka.Consumer",
           "c.e.auth.TokenFilter", "c.e.svc.InventorySync", "c.e.http.AccessLog"]
MSGS = [
    "request {rid} GET /api/orders/{n} took {ms} ms status={st}",
    "payment {rid} amount={amt} currency=EUR customer={cust} result={res}",
    "pool stats active={a} idle={i} waiting={w} total={t}",
    "fetched {n} records from partition {p} offset {off} lag={lag}",
    "token for user {cust} validated in {ms} ms scope=read,write",
    "synced {n} items for warehouse {p} in {ms} ms ({a} changed)",
    "10.0.{p}.{a} - - \"POST /api/cart/{n} HTTP/1.1\" {st} {amt} \"-\" \"client/{i}.{w}\"",
]


def _vocabulary():
    """~20,000 pseudo-words from syllables with Zipf weights, so text compresses like prose (~3x)."""
    rnd = random.Random(42)
    syl = ["ka", "lo", "ri", "ten", "mar", "os", "bel", "und", "stra", "pe", "qui", "no", "vi", "ag", "ex", "tor",
           "ssi", "an", "em", "ul", "chi", "ro", "da", "fen", "gu", "ha", "ly", "mo", "ne", "po", "sa", "th"]
    words = list(dict.fromkeys(WORDS))
    while len(words) < 20000:
        words.append("".join(rnd.choices(syl, k=rnd.randint(1, 4))))
    cum, acc = [], 0.0
    for r in range(len(words)):
        acc += 1.0 / (r + 1.5)
        cum.append(acc)
    return words, cum


VOCAB, VOCAB_CUM = _vocabulary()


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def text_block(rnd, nbytes):
    out, size = [], 0
    while size < nbytes:
        n = rnd.randint(40, 160)
        para = " ".join(rnd.choices(VOCAB, cum_weights=VOCAB_CUM, k=n)).capitalize() + ".\n\n"
        out.append(para)
        size += len(para)
    return "".join(out).encode()[:nbytes]


def log_lines(rnd, nbytes, t0):
    out, size, t = [], 0, t0
    ri, ch = rnd.randint, rnd.choice
    while size < nbytes:
        t += ri(0, 40)
        s, ms = divmod(t, 1000)
        h, rem = divmod(s % 86400, 3600)
        m, sec = divmod(rem, 60)
        msg = ch(MSGS).format(rid="%016x" % rnd.getrandbits(64), n=ri(1, 999999), ms=ri(1, 3000),
                               st=ch((200, 200, 200, 201, 204, 400, 404, 500)), amt=ri(100, 99999),
                               cust=ri(1000, 99999), res=ch(("OK", "OK", "OK", "DECLINED")),
                               a=ri(0, 50), i=ri(0, 50), w=ri(0, 9), t=50, p=ri(0, 31),
                               off=ri(10**6, 10**9), lag=ri(0, 5000))
        line = "2026-11-%02d %02d:%02d:%02d.%03d %-5s [worker-%d] %s - %s\n" % (
            1 + (s // 86400) % 28, h, m, sec, ms, ch(LEVELS), ri(1, 16), ch(LOGGERS), msg)
        out.append(line)
        size += len(line)
    return "".join(out).encode(), t


def sql_dump(rnd, nbytes, table_no):
    out = ["-- SQL dump (synthetic)\nSET NAMES utf8mb4;\n",
           "CREATE TABLE orders_%d (id BIGINT PRIMARY KEY, customer_id INT, sku VARCHAR(16), qty INT, "
           "price DECIMAL(10,2), status VARCHAR(12), note TEXT, created_at TIMESTAMP);\n" % table_no]
    size, row = sum(map(len, out)), 1
    ri, ch = rnd.randint, rnd.choice
    while size < nbytes:
        vals = []
        for _ in range(50):
            vals.append("(%d,%d,'SKU-%06d',%d,%d.%02d,'%s','%s','2026-%02d-%02d %02d:%02d:%02d')" % (
                row, ri(1, 200000), ri(0, 999999), ri(1, 20), ri(1, 2000), ri(0, 99),
                ch(("new", "paid", "shipped", "delivered", "returned")),
                " ".join(rnd.choices(WORDS, k=ri(0, 8))), ri(1, 12), ri(1, 28), ri(0, 23), ri(0, 59), ri(0, 59)))
            row += 1
        stmt = "INSERT INTO orders_%d VALUES %s;\n" % (table_no, ",".join(vals))
        out.append(stmt)
        size += len(stmt)
    return "".join(out).encode()


def _task(args):
    kind, root, i, nbytes = args
    if kind == "log":
        # each log continues in time from a per-file start
        data, _ = log_lines(random.Random(SEED_OFFSET + 1000 + i), nbytes, 1_700_000_000_000 + i * 86_400_000)
        write(os.path.join(root, "logs", "app-%02d.log" % i), data)
        return 1
    if kind == "sql":
        write(os.path.join(root, "db", "orders_%d.sql" % i), sql_dump(random.Random(SEED_OFFSET + 2000 + i), nbytes, i))
        return 1
    if kind == "bin":
        write(os.path.join(root, "bin", "blob-%02d.bin" % i), random.Random(SEED_OFFSET + 3000 + i).randbytes(nbytes))
        return 1
    if kind == "text":
        write(os.path.join(root, "text", "chapter-%02d.txt" % i), text_block(random.Random(SEED_OFFSET + 4000 + i), nbytes))
        return 1
    # small files: one top-level folder per task, 1-20 KiB files (text, log-like, random) nested below it
    rnd, total, n = random.Random(SEED_OFFSET + 5000 + i), 0, 0
    while total < nbytes:
        size = rnd.randint(1024, 20 * 1024)
        kind = rnd.random()
        if kind < 0.45:
            data = text_block(rnd, size)
        elif kind < 0.75:
            data = log_lines(rnd, size, 1_700_000_000_000 + n * 1000)[0][:size]
        else:
            data = rnd.randbytes(size)
        write(os.path.join(root, "small", "d%02d" % i, "e%02d" % (n % 15), "f%02d" % (n // 15 % 7), "%05d.dat" % n), data)
        total += size
        n += 1
    return n


def generate(root, scale):
    """~250 MB logs, 200 MB SQL, 250 MB random binaries, 150 MB text, 150 MB small files (scale 1)."""
    mb = lambda x: int(x * MB * scale)
    tasks = [("log", root, i, mb(25)) for i in range(10)]
    tasks += [("sql", root, i, mb(50)) for i in range(4)]
    tasks += [("bin", root, i, mb(s)) for i, s in enumerate([60, 45, 40, 30, 30, 20, 15, 10])]
    tasks += [("text", root, i, mb(5)) for i in range(30)]
    tasks += [("small", root, i, mb(7.5)) for i in range(20)]
    tasks.sort(key=lambda t: -t[3])  # big ones first for better packing
    with multiprocessing.Pool(os.cpu_count() or 2) as pool:
        counts = pool.map(_task, tasks, chunksize=1)
    return sum(c for t, c in zip(tasks, counts) if t[0] == "small")


def change(root):
    """About 10 MB changed, spread over files: appended logs, patched binaries, an edited text
    file (insertion in the middle, shifting the rest), an edited SQL dump, new small files."""
    rnd = random.Random(777)
    changed = 0
    # append 2 MB to three logs
    for i in (1, 4, 7):
        data, _ = log_lines(random.Random(9000 + i), 2 * MB, 1_800_000_000_000)
        with open(os.path.join(root, "logs", "app-%02d.log" % i), "ab") as f:
            f.write(data)
        changed += len(data)
    # overwrite 1 MB in the middle of two binaries, plus 16 scattered 4 KiB patches each
    for i in (0, 3):
        p = os.path.join(root, "bin", "blob-%02d.bin" % i)
        size = os.path.getsize(p)
        with open(p, "r+b") as f:
            f.seek(size // 2)
            f.write(rnd.randbytes(MB))
            changed += MB
            for _ in range(16):
                f.seek(rnd.randrange(0, size - 4096))
                f.write(rnd.randbytes(4096))
                changed += 4096
    # insert 500 kB in the middle of a text file (everything after it shifts)
    p = os.path.join(root, "text", "chapter-07.txt")
    with open(p, "rb") as f:
        data = f.read()
    ins = text_block(rnd, 500_000)
    with open(p, "wb") as f:
        f.write(data[: len(data) // 2] + ins + data[len(data) // 2:])
    changed += len(ins)
    # SQL: replace 1 MB of INSERTs near the end of a dump (same length)
    p = os.path.join(root, "db", "orders_2.sql")
    size = os.path.getsize(p)
    with open(p, "r+b") as f:
        n = min(MB, size // 3)
        f.seek(max(0, size - 3 * n))
        f.write(sql_dump(rnd, n, 2)[:n])
    changed += n
    # 200 new small files (~2 MB)
    for k in range(200):
        size = rnd.randint(1024, 20 * 1024)
        data = text_block(rnd, size) if k % 2 else rnd.randbytes(size)
        write(os.path.join(root, "small", "new", "n%02d" % (k % 10), "g%04d.dat" % k), data)
        changed += size
    return changed


def reset(root, scale):
    """Undo change(): regenerate exactly the files it touched and drop the files it added."""
    import shutil
    mb = lambda x: int(x * MB * scale)
    tasks = [("log", root, i, mb(25)) for i in (1, 4, 7)]
    tasks += [("bin", root, 0, mb(60)), ("bin", root, 3, mb(30)), ("text", root, 7, mb(5)), ("sql", root, 2, mb(50))]
    with multiprocessing.Pool(os.cpu_count() or 2) as pool:
        pool.map(_task, tasks, chunksize=1)
    shutil.rmtree(os.path.join(root, "small", "new"), ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in ("generate", "change", "reset"):
        sys.exit(__doc__)
    cmd, root = sys.argv[1], sys.argv[2]
    scale = float(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[3] == "--scale" else 1.0
    if cmd == "generate":
        n = generate(root, scale)
        print("generated %s (%d small files)" % (root, n))
    elif cmd == "reset":
        reset(root, scale)
        print("reset %s to its generated state" % root)
    else:
        print("changed %d bytes in %s" % (change(root), root))
