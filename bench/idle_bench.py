#!/usr/bin/env python3
"""Issue 14: a thousand idle mailboxes on one mailgate node. Started by `bench/run.sh idle` (see README).

One private Dovecot (bench/dovecot.sh) with N users (default 1,000), one mailgate JVM (-Xmx512m, H2). N IMAP
connections with push on are created through the API (plain IMAP on loopback, so that 1,000 TLS proxies of
Dovecot's login processes do not measure Dovecot), then, once every connection reports mode PUSH:
- 60 s of silence: mailgate's live threads and heap used (/actuator/prometheus), its process CPU (/proc) and the
  JVM's own thread count (/proc, every thread including GC and JIT), Dovecot's CPU over the same time;
- one message into each of 100 random mailboxes, delivered as an MDA does (a file renamed into Maildir/new, all
  100 within a few milliseconds): the time until all 100 are stored (the organization's incident feed).
"""
import argparse
import base64
import json
import os
import random
import signal
import statistics
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from bench import (PASSWORD, Dovecot, Mailgate, children, load, log, prepare_launcher, process_cpu,  # noqa: E402
                   proc_status, stop)


def uid_of(name):
    """Each mailbox its own system uid: Linux allows 128 inotify instances per uid (fs.inotify.max_user_instances),
    and a Dovecot IDLE process beyond that falls back to looking every 30 s."""
    return 20000 + int(name[4:])


def add_users(dovecot, names):
    """Like `dovecot.sh user`, for many users at once (one shell per user would take minutes)."""
    home_root = os.path.join(dovecot.dir, "home")
    os.makedirs(home_root, exist_ok=True)
    with open(os.path.join(dovecot.dir, "users"), "a") as users:
        for name in names:
            home = os.path.join(home_root, name)
            for sub in ("new", "cur", "tmp"):
                os.makedirs(os.path.join(home, "Maildir", sub), exist_ok=True)
            for path in (home, os.path.join(home, "Maildir")) + tuple(
                    os.path.join(home, "Maildir", s) for s in ("new", "cur", "tmp")):
                os.chown(path, uid_of(name), 8)
            users.write(f"{name}:{PASSWORD}:{uid_of(name)}:8::{home}::\n")
    os.chmod(os.path.join(dovecot.dir, "users"), 0o644)


def deliver(dovecot, name, token):
    """An MDA's maildir delivery: write into tmp/, then rename into new/ (atomic), owned by the mail user."""
    maildir = os.path.join(dovecot.dir, "home", name, "Maildir")
    unique = f"{time.time():.6f}.{token}.bench"
    tmp = os.path.join(maildir, "tmp", unique)
    with open(tmp, "w") as f:
        f.write(f"From: Reporter <reporter@corp.example>\r\nTo: {name}@corp.example\r\nSubject: Phish report {token}\r\n"
                f"Date: {time.strftime('%a, %d %b %Y %H:%M:%S +0000', time.gmtime())}\r\n"
                f"Message-ID: <{token}@corp.example>\r\n\r\nPlease check https://{token}.bad.example/login\r\n")
    os.chown(tmp, uid_of(name), 8)
    os.rename(tmp, os.path.join(maildir, "new", unique))


def prometheus(mg):
    req = urllib.request.Request(f"http://127.0.0.1:{mg.port}/actuator/prometheus")
    req.add_header("Authorization", "Basic " + base64.b64encode(f"admin:{PASSWORD}".encode()).decode())
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            text = r.read().decode()
    except Exception as e:  # noqa: BLE001 - the figure is then missing, the rest still measured
        log(f"  /actuator/prometheus: {e}")
        return {}
    values = {}
    for line in text.splitlines():
        if line.startswith("jvm_threads_live_threads"):
            values["threads"] = float(line.split()[-1])
        elif line.startswith("jvm_memory_used_bytes") and 'area="heap"' in line:
            values["heap"] = values.get("heap", 0) + float(line.split()[-1])
    return values


def dovecot_cpu():
    """CPU seconds of all Dovecot processes (imap, imap-login, auth, master, ...) now alive."""
    total = 0.0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/comm") as f:
                comm = f.read().strip()
            if comm in ("dovecot", "imap", "imap-login", "auth", "anvil", "log", "config", "stats") \
                    or comm.startswith("dovecot"):
                total += process_cpu(pid)
        except OSError:
            pass
    return total


def feed(mg, cursor):
    page = mg.call("GET", f"/incidents?after={cursor}&limit=500")
    return page["items"], (page["nextCursor"] if page["items"] else cursor)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--mailboxes", type=int, default=1000)
    ap.add_argument("--burst", type=int, default=100, help="mailboxes that get one message each at once")
    ap.add_argument("--silence", type=int, default=60, help="seconds of silence measured")
    ap.add_argument("--interval", type=int, default=3600, help="polling.intervalSeconds of the connections")
    ap.add_argument("--xmx", default="512m")
    ap.add_argument("--startup-timeout", type=int, default=400)
    ap.add_argument("--ready-timeout", type=int, default=900, help="seconds for all connections to reach PUSH")
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    names = [f"idle{i:04d}" for i in range(args.mailboxes)]
    dovecot = Dovecot(args.work)
    add_users(dovecot, names)
    mg = None
    figures = {}
    try:
        prepare_launcher(args.work, "mailgate", args.jar, args.xmx)  # started by bin/mailgate, as bench.py does
        dovecot.start()
        mg = Mailgate(args.work, args.jar, "mailgate-idle", "h2", args.xmx, args.startup_timeout)
        mg.use_org("idle")
        figures["startup"] = mg.startup
        base = prometheus(mg)
        figures["threads0"], figures["heap0"] = base.get("threads"), base.get("heap")

        log(f"creating {args.mailboxes} IMAP connections with push on (interval {args.interval} s) through the API")
        start = time.monotonic()
        times = []
        for name in names:
            t = time.monotonic()
            mg.call("POST", "/connections", {
                "apiName": name, "name": name, "protocol": "IMAP", "enabled": True,
                "polling": {"intervalSeconds": args.interval, "push": True},
                "imap": {"host": "127.0.0.1", "port": dovecot.imap_port, "emailAddress": name, "password": PASSWORD,
                         "encryption": "NONE", "sourceFolder": "INBOX"}})
            times.append(time.monotonic() - t)
            if len(times) % 200 == 0:
                log(f"  {len(times)} created, {time.monotonic() - start:.0f} s, load {load():.1f}")
        figures["create"] = time.monotonic() - start
        figures["create_p50"] = statistics.median(times)
        figures["create_max"] = max(times)

        log("waiting until every connection reports mode PUSH")
        pending = set(names)
        deadline = time.monotonic() + args.ready_timeout
        while pending and time.monotonic() < deadline:
            for name in list(pending):
                if mg.call("GET", f"/connections/{name}/status").get("mode") == "PUSH":
                    pending.discard(name)
            if pending:
                log(f"  {args.mailboxes - len(pending)} of {args.mailboxes} PUSH, load {load():.1f}")
                time.sleep(5)
        figures["ready"] = time.monotonic() - start
        figures["push"] = args.mailboxes - len(pending)

        time.sleep(10)  # let the first polls' leftovers settle
        log(f"{args.silence} s of silence")
        cpu0, dcpu0, t0 = process_cpu(mg.proc.pid), dovecot_cpu(), time.monotonic()
        time.sleep(args.silence)
        cpu1, dcpu1, t1 = process_cpu(mg.proc.pid), dovecot_cpu(), time.monotonic()
        idle = prometheus(mg)
        figures.update(cpu=cpu1 - cpu0, dcpu=dcpu1 - dcpu0, window=t1 - t0, threads=idle.get("threads"),
                       heap=idle.get("heap"), rss=proc_status(mg.proc.pid, "VmRSS"))
        with open(f"/proc/{mg.proc.pid}/status") as f:
            figures["os_threads"] = next(int(l.split()[1]) for l in f if l.startswith("Threads:"))

        _, cursor = feed(mg, "0")
        while True:
            items, nxt = feed(mg, cursor)
            if not items:
                break
            cursor = nxt
        chosen = random.sample(names, min(args.burst, len(names)))
        tokens = {f"burst-{i}-{random.getrandbits(32):x}": name for i, name in enumerate(chosen)}
        log(f"one message into each of {len(chosen)} random mailboxes")
        sent = time.monotonic()
        for token, name in tokens.items():
            deliver(dovecot, name, token)
        delivered = time.monotonic() - sent
        arrived = {}
        while len(arrived) < len(tokens) and time.monotonic() - sent < 60:
            items, cursor = feed(mg, cursor)
            now = time.monotonic() - sent
            text = json.dumps(items)
            for token in tokens:
                if token not in arrived and token in text:
                    arrived[token] = now
            if len(arrived) < len(tokens):
                time.sleep(0.02)
        figures.update(delivered=delivered, arrived=len(arrived), all_in=max(arrived.values()) if arrived else None,
                       burst_p50=statistics.median(arrived.values()) if arrived else None,
                       first=min(arrived.values()) if arrived else None)
        after = prometheus(mg)
        figures["threads_burst"] = after.get("threads")
    finally:
        if mg:
            mg.close()
        for p in list(children):
            stop(p, 5)
        dovecot.stop()
        report(args, figures)


def report(args, f):
    def num(key, fmt="{:.1f}", scale=1.0):
        return fmt.format(f[key] * scale) if f.get(key) is not None else "-"

    print()
    print(f"mailgate idle benchmark (issue 14) — {time.strftime('%Y-%m-%d %H:%M %Z')}, {os.cpu_count()} cores, "
          f"-Xmx{args.xmx}, H2, Dovecot on loopback (plain IMAP), load {load():.1f}")
    print(f"  start-up {num('startup')} s; before any connection: {num('threads0', '{:.0f}')} live threads, heap used "
          f"{num('heap0', '{:.0f}', 1 / 2**20)} MB")
    print(f"  {args.mailboxes} connections created through the API in {num('create')} s (one POST each: median "
          f"{num('create_p50', '{:.0f}', 1000)} ms, max {num('create_max', '{:.0f}', 1000)} ms); "
          f"{f.get('push', 0)} of {args.mailboxes} in mode PUSH {num('ready')} s after the first POST")
    print(f"  idle, {num('window', '{:.0f}')} s of silence: live threads {num('threads', '{:.0f}')} (JVM metric; "
          f"{f.get('os_threads', '-')} OS threads incl. GC/JIT), heap used {num('heap', '{:.0f}', 1 / 2**20)} MB, "
          f"RSS {f.get('rss', '-')} MB, mailgate CPU {num('cpu', '{:.2f}')} s "
          f"({(f['cpu'] / f['window'] * 100) if f.get('window') else 0:.2f}% of one core), Dovecot CPU "
          f"{num('dcpu', '{:.2f}')} s")
    print(f"  burst: one message into each of {args.burst} random mailboxes (maildir delivery, all written within "
          f"{num('delivered', '{:.0f}', 1000)} ms): {f.get('arrived', 0)} of {args.burst} stored; first after "
          f"{num('first', '{:.2f}')} s, half after {num('burst_p50', '{:.2f}')} s, all after {num('all_in', '{:.2f}')} s "
          f"(Dovecot 2.3 tells idling clients 0.5 s after a change); live threads after the burst "
          f"{num('threads_burst', '{:.0f}')}")
    print("  targets: live threads < 64, heap < 512 MB, ~no CPU while idle, all 100 stored within 5 s")


if __name__ == "__main__":
    main()
