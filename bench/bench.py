#!/usr/bin/env python3
"""Side-by-side ingest benchmark: mailgate against mbsync and a Python imaplib script, on one Dovecot.

Started by bench/run.sh (which builds the jar and bounds the total time); see README "Benchmarks".

For each N: a corpus (bench/corpus.py, cached under the work directory) is hard-linked into a fresh Dovecot
user per client and round, so every client sees the same N unseen messages. Each client runs over IMAPS
directly (0 ms) and through bench/delayproxy.py (20 ms round trip). mailgate runs as its own JVM, started the way
the README starts it (bin/mailgate with JAVA_OPTS=-Xmx512m; --launcher jar: java -Xmx512m -jar), in a fresh
working directory, with H2 (its default file database) and with a fresh
PostgreSQL database, one IMAPS connection polling every second; its time runs from enabling the connection
to all N messages stored or quarantined. Then, on the H2 instance, the push latency of issue 14.
"""
import argparse
import base64
import imaplib
import json
import os
import random
import re
import resource
import shutil
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
PASSWORD = "bench"
children = []
keep_bulk = False  # --keep
launcher = "bin"  # --launcher
jdks = {}  # --jdk: client -> JAVA_HOME
java_opts = {}  # --java-opts: client -> JVM options after -Xmx
LAUNCHER = os.path.join(os.path.dirname(HERE), "bin", "mailgate")


def discard(path):
    """Removes what a round leaves behind once it is measured (mail copies, a database): a run of 1,000 and 10,000
    messages wrote about 6 GB, and a few runs filled this machine's disk. --keep leaves everything for inspection;
    logs and the report are always kept."""
    if not keep_bulk:
        shutil.rmtree(path, ignore_errors=True)


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load():
    return os.getloadavg()[0]


def spawn(args, **kw):
    p = subprocess.Popen(args, **kw)
    children.append(p)
    return p


def stop(p, grace=20):
    if p.poll() is None:
        p.terminate()
        try:
            p.wait(grace)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    if p in children:
        children.remove(p)


def children_cpu():
    """CPU seconds (user + system) of the child processes waited for so far."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def read_stat(path):
    """A /proc stat file's name (comm) and the fields after it (fields[11] is utime), or None once it is gone."""
    try:
        with open(path) as f:
            stat = f.read()
    except OSError:
        return None
    return stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:].split()


def process_cpu(pid):
    """CPU seconds (user + system) a running process has used, from /proc/<pid>/stat."""
    fields = read_stat(f"/proc/{pid}/stat")[1]
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# mailgate's threads by what they do (Linux keeps the first 15 characters of a thread's name)
THREAD_GROUPS = (
    ("JIT", ("C1 CompilerThre", "C2 CompilerThre")),
    ("GC", ("GC Thread", "G1 ")),
    ("workers", ("mailgate-ingest",)),
    ("committer", ("mailgate-group-",)),
    ("IMAP", ("mailgate-imap",)),
)


def thread_cpu(pid):
    """CPU seconds (user + system) per thread group of a running process, from /proc/<pid>/task/*/stat. A thread
    that ended takes its CPU with it, so this is for pools that live through a round."""
    groups = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        stat = read_stat(f"/proc/{pid}/task/{tid}/stat")
        if stat is None:
            continue
        name, fields = stat
        group = next((g for g, prefixes in THREAD_GROUPS if name.startswith(prefixes)), "other")
        groups[group] = groups.get(group, 0) + (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return groups


# The servers' processes by name (Linux's comm): Dovecot's master and its children, PostgreSQL's postmaster and its
# backends and background processes. Only the benchmark's Dovecot runs here; PostgreSQL is the machine's.
SERVER_PROCESSES = (
    ("imapd", ("dovecot", "imap", "imap-login", "auth", "anvil", "log", "config", "stats")),
    ("pg", ("postgres",)),
)


def server_cpu():
    """CPU seconds per server: user + system of each of its processes, plus that of its children that ended and were
    waited for (cutime, cstime), so a connection's process that exits within a round still counts, in its parent."""
    totals = dict.fromkeys((name for name, _ in SERVER_PROCESSES), 0.0)
    for pid in filter(str.isdigit, os.listdir("/proc")):
        stat = read_stat(f"/proc/{pid}/stat")
        if stat is None:
            continue
        comm, fields = stat
        server = next((name for name, comms in SERVER_PROCESSES if comm in comms), None)
        if server:
            totals[server] += sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    return totals


def proc_status(pid, field):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) // 1024  # kB -> MB
    except OSError:
        pass
    return None


class Dovecot:
    """Users are all added before Dovecot starts: its passwd-file reader may miss a user added a moment after
    the previous lookup."""

    def __init__(self, work):
        self.dir = os.path.join(work, "dovecot")
        self.imap_port, self.imaps_port = free_port(), free_port()
        self.cert = os.path.join(self.dir, "cert.pem")

    def add_user(self, name, template=None):
        subprocess.run([f"{HERE}/dovecot.sh", "user", self.dir, name] + ([template] if template else []), check=True)
        return name

    def start(self):
        subprocess.run([f"{HERE}/dovecot.sh", "start", self.dir, str(self.imap_port), str(self.imaps_port)],
                       check=True, stdout=subprocess.DEVNULL)
        log(f"dovecot on 127.0.0.1:{self.imap_port} (IMAP) and :{self.imaps_port} (IMAPS), {self.dir}")

    def check(self, name, expect):
        # let Dovecot index the mailbox now (new/ -> UIDs) so no client pays for it, and check it is all unseen
        out = subprocess.run(["doveadm", "-c", os.path.join(self.dir, "dovecot.conf"), "mailbox", "status",
                              "-u", name, "messages unseen", "INBOX"], check=True, capture_output=True, text=True).stdout
        if f"unseen={expect}" not in out:
            raise RuntimeError(f"user {name}: expected {expect} unseen, dovecot says {out.strip()}")

    def unseen(self, name):
        out = subprocess.run(["doveadm", "-c", os.path.join(self.dir, "dovecot.conf"), "mailbox", "status",
                              "-u", name, "unseen", "INBOX"], capture_output=True, text=True).stdout
        return int(out.split("unseen=")[1]) if "unseen=" in out else None

    def stop(self):
        subprocess.run([f"{HERE}/dovecot.sh", "stop", self.dir])


def corpus(corpus_dir, n, seed):
    path = os.path.join(corpus_dir, f"corpus-{n}-{seed}")
    if os.path.isdir(os.path.join(path, "new")) and len(os.listdir(os.path.join(path, "new"))) == n:
        return path
    subprocess.run(["rm", "-rf", path], check=True)
    log(f"generating corpus of {n} messages")
    out = subprocess.run([sys.executable, f"{HERE}/corpus.py", path, str(n), str(seed)], check=True,
                         capture_output=True, text=True).stdout
    log(out.strip())
    return path


# --- peers -------------------------------------------------------------------------------------------
def run_mbsync(work, dovecot, port, user, n):
    out = os.path.join(work, "out", user)
    os.makedirs(os.path.join(out, "mail"))
    cfg = os.path.join(out, "mbsyncrc")
    with open(cfg, "w") as f:
        f.write(f"""FSync yes
IMAPAccount far
Host 127.0.0.1
Port {port}
User {user}
Pass {PASSWORD}
SSLType IMAPS
CertificateFile {dovecot.cert}

IMAPStore far
Account far

MaildirStore near
Path {out}/mail/
Inbox {out}/mail/INBOX

Channel bench
Far :far:
Near :near:
Patterns INBOX
Create Near
Sync Pull
Expunge None
SyncState *
""")
    start, cpu = time.monotonic(), children_cpu()
    subprocess.run(["mbsync", "-q", "-c", cfg, "-a"], check=True)
    seconds, cpu = time.monotonic() - start, children_cpu() - cpu
    got = len(os.listdir(f"{out}/mail/INBOX/new")) + len(os.listdir(f"{out}/mail/INBOX/cur"))
    discard(os.path.join(out, "mail"))
    if got != n:
        raise RuntimeError(f"mbsync stored {got} of {n}")
    return seconds, f"{got} stored", got, cpu


def run_pyimap(work, dovecot, port, user, n):
    out = os.path.join(work, "out", user)
    start, cpu = time.monotonic(), children_cpu()
    got = subprocess.run([sys.executable, f"{HERE}/pyimap.py", "127.0.0.1", str(port), user, PASSWORD,
                          dovecot.cert, out], check=True, capture_output=True, text=True).stdout.strip()
    seconds, cpu = time.monotonic() - start, children_cpu() - cpu
    discard(out)
    if int(got) != n or dovecot.unseen(user) != 0:
        raise RuntimeError(f"pyimap handled {got} of {n}, {dovecot.unseen(user)} still unseen")
    return seconds, f"{got} stored", int(got), cpu


# --- mailgate ----------------------------------------------------------------------------------------
class Mailgate:
    """One mailgate JVM in its own working directory, driven through its REST API."""

    def __init__(self, work, jar, name, db, xmx, startup_timeout, client="mailgate"):
        """client: the label whose --jdk and --java-opts apply (bench/idle_bench.py has one JVM and neither)."""
        self.dir = os.path.join(work, name)
        os.makedirs(self.dir)
        self.port = free_port()
        self.root = f"http://127.0.0.1:{self.port}/api/v1/orgs"
        self.base = self.root + "/default"
        self.key = None
        self.client = client
        env = launcher_env(jar, xmx, client) if launcher == "bin" else dict(os.environ)
        self.dbname = None
        if db == "pg":
            dbname = self.dbname = "mailgate_bench"
            subprocess.run(["su", "postgres", "-c", f"dropdb --if-exists {dbname} && createdb -O mailgate {dbname}"],
                           check=True)
            env.update(SPRING_DATASOURCE_URL=f"jdbc:postgresql://127.0.0.1:5432/{dbname}",
                       SPRING_DATASOURCE_USERNAME="mailgate", SPRING_DATASOURCE_PASSWORD="mailgate")
        self.out = open(os.path.join(self.dir, "stdout.log"), "w")
        self.startup = self.http = self.started_line = self.idle_rss = self.proc = None
        try:
            self._start(jar, env, xmx, startup_timeout)
        except BaseException:
            self.close()
            raise

    def _start(self, jar, env, xmx, startup_timeout):
        start = time.monotonic()
        # the launcher execs the JVM, so proc.pid is mailgate's JVM either way
        command = [LAUNCHER] if launcher == "bin" else [
            os.path.join(jdks[self.client], "bin", "java") if self.client in jdks else "java",
            f"-Xmx{xmx}", *java_opts.get(self.client, "").split(), "-jar", jar]
        self.proc = spawn(command + [f"--server.port={self.port}", f"--mailgate.admin-password={PASSWORD}"],
                          cwd=self.dir, env=env, stdout=self.out, stderr=subprocess.STDOUT)
        deadline = start + startup_timeout
        self.http = None  # the port answers (any status) before the application has finished starting
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"mailgate exited with {self.proc.returncode}; see {self.out.name}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"mailgate did not answer within {startup_timeout} s")
            try:
                self.call("GET", "/connections")  # ready: the admin exists and the API answers
                break
            except urllib.error.HTTPError:
                self.http = self.http or time.monotonic() - start
                time.sleep(0.1)
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        self.startup = time.monotonic() - start
        self.http = self.http or self.startup  # the first answer was already the API's
        self.started_line = None
        # The API may answer before Spring logs "Started" (the admin exists before the port opens, the routes start
        # after it): wait a little for the line instead of reading the log once.
        while self.started_line is None and time.monotonic() < deadline:
            with open(self.out.name) as f:
                for line in f:
                    if "Started MailgateApplication in" in line:
                        self.started_line = float(line.split("Started MailgateApplication in ")[1].split()[0])
            if self.started_line is None:
                time.sleep(0.1)
        time.sleep(5)  # settle, then measure idle memory
        self.idle_rss = proc_status(self.proc.pid, "VmRSS")
        self.use_org("default")

    def use_org(self, handle):
        """Each round runs in an organization of its own, so that one round's messages are not duplicates of the
        previous round's (the same corpus) and its incident feed is its own. Like a SOAR, the API is called with
        an API key: HTTP Basic would cost a bcrypt check per request."""
        self.key = None
        if handle != "default":
            self.base = self.root
            self.call("POST", "", {"handle": handle, "name": handle})
        self.base = f"{self.root}/{handle}"
        self.key = self.call("POST", "/api-keys", {"name": "bench", "role": "ADMIN"})["key"]

    def call(self, method, path, body=None, content_type="application/json"):
        data = body if isinstance(body, bytes) else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", content_type)
        if self.key:
            req.add_header("Authorization", f"Bearer {self.key}")
        else:
            req.add_header("Authorization", "Basic " + base64.b64encode(f"admin:{PASSWORD}".encode()).decode())
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                text = r.read().decode()
        except urllib.error.HTTPError as e:
            if self.key is None and method == "GET" and path == "/connections":
                raise
            raise RuntimeError(f"{method} {path} -> {e.code} {e.read().decode()[:500]}") from None
        return json.loads(text) if text else None

    def connection(self, api_name, dovecot, port, user, interval, push, enabled):
        return {"apiName": api_name, "name": api_name, "protocol": "IMAP", "enabled": enabled,
                "polling": {"intervalSeconds": interval, "push": push},
                "imap": {"host": "127.0.0.1", "port": port, "emailAddress": user, "password": PASSWORD,
                         "encryption": "SSL_TLS", "sourceFolder": "INBOX"}}

    def add_connection(self, api_name, dovecot, port, user, interval, push):
        """Creates the connection disabled, trusts Dovecot's self-signed certificate for it, then enables it;
        returns the time it was enabled."""
        body = self.connection(api_name, dovecot, port, user, interval, push, False)
        self.call("POST", "/connections", body)
        with open(dovecot.cert, "rb") as f:
            self.call("POST", f"/connections/{api_name}/trusted-certificates", f.read(), "application/x-pem-file")
        body["enabled"] = True
        del body["apiName"]
        started = time.monotonic()
        self.call("PUT", f"/connections/{api_name}", body)
        self.last_connection = body
        return started

    def group_commits(self):
        """The group committer's counters (io.mailgate.pipeline.GroupCommitMetrics) from /actuator/prometheus, summed
        over its labels: commits, messages, alone, rollbacks."""
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}/actuator/prometheus")
        req.add_header("Authorization", "Basic " + base64.b64encode(f"admin:{PASSWORD}".encode()).decode())
        with urllib.request.urlopen(req, timeout=30) as r:
            text = r.read().decode()
        counts = {}
        for line in text.splitlines():
            m = re.match(r"mailgate_ingest_group_(\w+)_total(?:\{.*\})? ([0-9.eE+-]+)$", line)
            if m:
                counts[m.group(1)] = counts.get(m.group(1), 0) + float(m.group(2))
        return counts

    def disable(self, api_name):
        """A finished round's connection stops polling, so that it costs the next rounds nothing."""
        self.call("PUT", f"/connections/{api_name}", dict(self.last_connection, enabled=False))

    def status(self, api_name):
        return self.call("GET", f"/connections/{api_name}/status")

    def row(self, n, db):
        return {"n": n, "db": db, "startup": self.startup, "http": self.http, "started": self.started_line,
                "idle": self.idle_rss, "peak": self.proc and proc_status(self.proc.pid, "VmHWM"), "load": load()}

    def close(self):
        if self.proc:
            stop(self.proc)
        self.out.close()
        discard(os.path.join(self.dir, "data"))  # H2's database and the spool; logs/ and stdout.log stay
        if self.dbname and not keep_bulk:
            subprocess.run(["su", "postgres", "-c", f"dropdb --if-exists {self.dbname}"])


def launcher_env(jar, xmx, client, **more):
    """The environment bin/mailgate runs with: this one, plus the jar, the heap, the client's JDK (--jdk) and JVM
    options (--java-opts)."""
    env = dict(os.environ, MAILGATE_JAR=jar, JAVA_OPTS=f"-Xmx{xmx} {java_opts.get(client, '')}".strip(), **more)
    if client in jdks:
        env["JAVA_HOME"] = jdks[client]
    return env


def prepare_launcher(work, label, jar, xmx):
    """bin/mailgate's first start of a jar extracts it and makes its class archive in a training start of about a
    minute; done here, before the rounds, so that no measured start-up includes it."""
    log(f"{label}: bin/mailgate prepares the jar (extraction, training start)")
    with open(os.path.join(work, f"prepare-{label.replace('@', '-')}.log"), "w") as out:
        subprocess.run([LAUNCHER], env=launcher_env(jar, xmx, label, MAILGATE_PREPARE_ONLY="true"),
                       stdout=out, stderr=subprocess.STDOUT, check=True, timeout=900)


def warm_up(mg, dovecot, warm_users, n):
    """Ingests n messages in an organization of their own (not reported), so that no measured round pays for JIT."""
    if not n:
        return
    warm_user = warm_users.pop()
    dovecot.check(warm_user, n)
    mg.use_org("warmup")
    log(f"  warm-up: {n} messages")
    run_mailgate(mg, dovecot, dovecot.imaps_port, warm_user, n, 300, "warmup")


def poll_pause(done, n, elapsed):
    """How long to wait before asking mailgate's status again: a fifth of the time the round still needs at its rate
    so far, between 50 ms and 2 s. Each status call costs mailgate several queries; polling 4 times a second took
    about a tenth of its CPU in a 10,000-message round, which the observer should not take. Near the end the polls
    are 50 ms apart, so the round's time is still known to within 50 ms."""
    if done <= 0 or elapsed <= 0:
        return 0.25
    remaining = (n - done) / (done / elapsed)
    return min(2.0, max(0.05, remaining / 5))


def run_mailgate(mg, dovecot, port, user, n, timeout, api_name="bench", threads=None):
    # the counters first: the actuator takes HTTP Basic, whose bcrypt check (about 0.1 s of CPU) is not the round's
    groups = mg.group_commits() if threads is not None else {}
    cpu = process_cpu(mg.proc.pid)
    by_thread = thread_cpu(mg.proc.pid)
    started = mg.add_connection(api_name, dovecot, port, user, 1, False)
    deadline = started + timeout
    last_report = time.monotonic()
    while True:
        s = mg.status(api_name)
        done = s["messagesIngested"] + s["messagesQuarantined"]
        now = time.monotonic()
        if done >= n:
            seconds = now - started
            break
        if now > deadline:  # bounded: report the rate so far
            seconds = now - started
            log(f"  mailgate: round timeout, {done} of {n} after {seconds:.0f} s (state {s['state']}: {s.get('reason')})")
            break
        if now - last_report > 30:
            log(f"  mailgate: {done}/{n} after {now - started:.0f} s, state {s['state']}, load {load():.1f}")
            last_report = now
        time.sleep(poll_pause(done, n, now - started))
    detail = f"{s['messagesIngested']} stored, {s['messagesQuarantined']} quarantined"
    if done < n:
        detail = f"TIMEOUT after {seconds:.0f} s, rate so far; " + detail
    unseen = dovecot.unseen(user)
    if unseen:
        detail += f", {unseen} still unseen"
    cpu = process_cpu(mg.proc.pid) - cpu
    if threads is not None:
        threads.update({g: c - by_thread.get(g, 0) for g, c in thread_cpu(mg.proc.pid).items()})
        threads["groups"] = {k: v - groups.get(k, 0) for k, v in mg.group_commits().items()}
    mg.disable(api_name)
    return seconds, detail, done, cpu


class IdleWatcher:
    """A bare IMAP IDLE client on the push mailbox (plain IMAP, no library): the time each "* N EXISTS" arrives.
    It tells the server's own notification delay (Dovecot 2.3 waits NOTIFY_DELAY_MSECS = 500 ms after a change
    before it tells idling clients) from the time mailgate takes after the notification."""

    def __init__(self, port, user):
        import threading
        self.exists = {}
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.file = self.sock.makefile("rb")
        self.file.readline()
        for tag, command in (("a", f"LOGIN {user} {PASSWORD}"), ("b", "SELECT INBOX")):
            self.sock.sendall(f"{tag} {command}\r\n".encode())
            while not self.file.readline().startswith(tag.encode() + b" "):
                pass
        self.sock.sendall(b"c IDLE\r\n")
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            for line in self.file:
                now = time.monotonic()
                parts = line.split()
                if len(parts) == 3 and parts[0] == b"*" and parts[2] == b"EXISTS":
                    self.exists.setdefault(int(parts[1]), now)
        except (OSError, ValueError):
            pass

    def close(self):
        try:
            self.sock.sendall(b"DONE\r\nd LOGOUT\r\n")
            self.sock.close()
        except OSError:
            pass


def push_latency(mg, dovecot, user, samples, timeout, give_up):
    """Issue 14: APPEND one message at a time (0.2-0.8 s apart, as reports arrive independently); time from APPEND
    completing to its incident in the feed, polled every 5 ms. Returns (total, server notification, mailgate)."""
    dovecot.check(user, 0)
    mg.add_connection("push", dovecot, dovecot.imaps_port, user, 300, True)
    deadline = time.monotonic() + 60
    while mg.status("push").get("mode") != "PUSH" and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1)
    cursor = "0"
    while True:
        page = mg.call("GET", f"/incidents?after={cursor}&limit=100")
        if not page["items"]:
            break
        cursor = page["nextCursor"]
    watcher = IdleWatcher(dovecot.imap_port, user)
    imap = imaplib.IMAP4("127.0.0.1", dovecot.imap_port)
    imap.login(user, PASSWORD)
    count = int(imap.select("INBOX")[1][0])
    latencies, notified, misses = [], [], 0
    for i in range(samples):
        time.sleep(random.uniform(0.2, 0.8))
        token = f"push-{i}-{random.getrandbits(40):x}"
        msg = (f"From: Reporter <reporter@corp.example>\r\nTo: soc@corp.example\r\nSubject: Phish report {token}\r\n"
               f"Date: {time.strftime('%a, %d %b %Y %H:%M:%S +0000', time.gmtime())}\r\n"
               f"Message-ID: <{token}@corp.example>\r\n\r\nPlease check https://{token}.bad.example/login\r\n")
        imap.append("INBOX", None, None, msg.encode())
        sent = time.monotonic()
        count += 1
        found = None
        while found is None and time.monotonic() - sent < timeout:
            page = mg.call("GET", f"/incidents?after={cursor}&limit=100")
            if token in json.dumps(page):
                found = time.monotonic() - sent
            cursor = page["nextCursor"] if page["items"] else cursor
            if found is None:
                time.sleep(0.005)
        seen_at = watcher.exists.get(count)
        notified.append(seen_at - sent if seen_at else float("inf"))
        if found is None:
            misses += 1
            latencies.append(float("inf"))
            if misses >= give_up and not any(x != float("inf") for x in latencies):
                break
        else:
            latencies.append(found)
    imap.logout()
    watcher.close()
    return latencies, notified


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


def fmt_ms(x, timeout):
    return f">{timeout * 1000:.0f} ms" if x == float("inf") else f"{x * 1000:.0f} ms"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sizes", nargs="*", type=int, default=[1000])
    ap.add_argument("--jar", required=True, action="append",
                    help="mailgate jar, or LABEL=jar; repeat to measure several builds side by side in one run")
    ap.add_argument("--work", required=True)
    ap.add_argument("--corpus-dir", required=True, help="generated corpora are kept here for the next run")
    ap.add_argument("--label", default="")
    ap.add_argument("--db", default="h2,pg", help="mailgate databases: h2,pg")
    ap.add_argument("--rtt", default="0,20", help="round trips in ms (0 = direct, else through the delay proxy)")
    ap.add_argument("--clients", default="mbsync,python,mailgate")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--xmx", default="512m")
    ap.add_argument("--launcher", default="bin", choices=("bin", "jar"),
                    help="bin: bin/mailgate, as the README starts it (the extracted jar with Spring's AOT bean "
                         "definitions and a class archive, prepared once per jar before the rounds); jar: java -jar")
    ap.add_argument("--jdk", action="append", default=[], metavar="LABEL=JAVA_HOME",
                    help="run that --jar label's mailgate on this JDK, e.g. to measure Java 17 and 25 side by side "
                         "with the same jar under two labels; repeat per label")
    ap.add_argument("--java-opts", action="append", default=[], metavar="LABEL=OPTIONS",
                    help="JVM options for that --jar label's mailgate after -Xmx, e.g. to measure a collector or an "
                         "AOT cache side by side with the same jar under two labels; repeat per label")
    ap.add_argument("--round-timeout", type=float, default=120,
                    help="seconds a mailgate round may take per 1,000 messages (at least 300 s); then the rate so far")
    ap.add_argument("--startup-timeout", type=int, default=400)
    ap.add_argument("--warmup", type=int, default=200,
                    help="messages each mailgate JVM ingests (in an organization of its own, not reported) before its "
                         "measured rounds, so that no round pays for JIT compilation; 0 measures a cold JVM first")
    ap.add_argument("--push-samples", type=int, default=20, help="0 skips the push latency test")
    ap.add_argument("--push-timeout", type=float, default=10.0, help="seconds to wait for one pushed message")
    ap.add_argument("--keep", action="store_true",
                    help="keep the mail copies and databases of every round (by default removed once measured)")
    ap.add_argument("--push-only", action="store_true",
                    help="only the push latency test, on one mailgate JVM per jar with H2 (no ingest rounds)")
    args = ap.parse_args()
    global keep_bulk, launcher
    keep_bulk = args.keep
    launcher = args.launcher
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    os.makedirs(os.path.join(args.work, "out"), exist_ok=True)
    dbs = [d for d in args.db.split(",") if d]
    if set(dbs) - {"h2", "pg"}:
        ap.error(f"--db {args.db}: the databases are h2 and pg")  # anything else ran on H2 under another name
    rtts = [int(r) for r in args.rtt.split(",") if r]
    clients = args.clients.split(",")
    if set(clients) - {"mbsync", "python", "mailgate"}:
        ap.error(f"--clients {args.clients}: the clients are mbsync, python and mailgate")
    rows, mg_rows, pushes = [], [], []
    jars = {}
    for spec in args.jar:
        label, _, path = spec.rpartition("=")
        jars["mailgate" + (f"@{label}" if label else "")] = path

    def per_label(specs, flag):
        """LABEL=VALUE of --jdk or --java-opts: a value for that --jar label's mailgate."""
        values = {}
        for spec in specs:
            label, _, value = spec.partition("=")
            if f"mailgate@{label}" not in jars:
                ap.error(f"{flag} {spec}: no --jar labelled {label}")
            values[f"mailgate@{label}"] = value
        return values

    jdks.update(per_label(args.jdk, "--jdk"))
    java_opts.update(per_label(args.java_opts, "--java-opts"))
    # peers first, then one mailgate JVM per (N, database) running each round trip time in turn
    plan = []
    for n in args.sizes:
        for rtt in rtts:
            plan += [(n, rtt, c, "-") for c in ("mbsync", "python") if c in clients]
        if "mailgate" in clients:
            plan += [(n, rtt, mg_client, db) for mg_client in jars for db in dbs for rtt in rtts]
    if args.push_only:
        plan = []
    templates = {n: corpus(args.corpus_dir, n, args.seed) for n in args.sizes} if plan else {}
    dovecot = Dovecot(args.work)
    users = {key: dovecot.add_user(f"n{key[0]}_{i}_{key[2].split('@')[0]}_{key[3].strip('-') or 'x'}_{key[1]}",
                                   templates[key[0]]) for i, key in enumerate(plan)}
    push_users = {client: dovecot.add_user(f"push{i}") for i, client in enumerate(jars)}
    warm_template = corpus(args.corpus_dir, args.warmup, args.seed + 1) if args.warmup else None
    warm_users = [dovecot.add_user(f"warm{i}", warm_template) for i, key in enumerate(plan)
                  if warm_template and key[2].startswith("mailgate")]
    if args.push_only and warm_template:
        warm_users = [dovecot.add_user(f"warm{i}", warm_template) for i, _ in enumerate(jars)]
    proxies = {}
    mg = None
    try:
        if launcher == "bin" and (args.push_only or any(c.startswith("mailgate") for _, _, c, _ in plan)):
            for client in jars:
                prepare_launcher(args.work, client, jars[client], args.xmx)
        dovecot.start()
        for rtt in rtts:
            if rtt:
                proxies[rtt] = free_port()
                spawn([sys.executable, f"{HERE}/delayproxy.py", str(proxies[rtt]), "127.0.0.1",
                       str(dovecot.imaps_port), str(rtt / 2)], stdout=subprocess.DEVNULL)
        time.sleep(0.5)
        for i, (n, rtt, client, db) in enumerate(plan):
            port = proxies.get(rtt, dovecot.imaps_port)
            user = users[(n, rtt, client, db)]
            log(f"{client} N={n} db={db} rtt={rtt} ms (load {load():.1f})")
            row = {"client": client, "n": n, "db": db, "rtt": rtt, "load0": load()}
            try:
                dovecot.check(user, n)
                servers = server_cpu()
                if client == "mbsync":
                    row["seconds"], row["detail"], row["done"], row["cpu"] = run_mbsync(args.work, dovecot, port, user, n)
                elif client == "python":
                    row["seconds"], row["detail"], row["done"], row["cpu"] = run_pyimap(args.work, dovecot, port, user, n)
                else:  # mailgate
                    if mg is None:
                        mg = Mailgate(args.work, jars[client], f"{client.replace('@', '-')}-{n}-{db}", db, args.xmx,
                                      args.startup_timeout, client)
                        mg_rows.append(mg.row(n, db))
                        mg_rows[-1]["client"] = client
                        warm_up(mg, dovecot, warm_users, args.warmup)
                    mg.use_org(f"rtt{rtt}")
                    row["threads"] = {}
                    row["seconds"], row["detail"], row["done"], row["cpu"] = run_mailgate(
                        mg, dovecot, port, user, n, max(300, args.round_timeout * n / 1000), threads=row["threads"])
                    mg_rows[-1]["peak"] = proc_status(mg.proc.pid, "VmHWM")
                row["servers"] = {k: v - servers[k] for k, v in server_cpu().items()}
            except Exception as e:  # a failed round is reported in the table, the others still run
                row["error"] = str(e).splitlines()[0][:160]
                log(f"  failed: {row['error']}")
            row["load1"] = load()
            rows.append(row)
            if "seconds" in row:
                log(f"  {row['done'] / row['seconds']:.1f} msgs/s ({row['seconds']:.1f} s; {row['detail']})")
            last_of_jvm = i + 1 == len(plan) or plan[i + 1][2] != client or plan[i + 1][3] != db \
                or plan[i + 1][0] != n
            if mg and last_of_jvm:
                if args.push_samples and not any(p["client"] == client for p in pushes):
                    log(f"push latency: {args.push_samples} messages one by one")
                    try:
                        mg.use_org("push")
                        lat, notified = push_latency(mg, dovecot, push_users[client], args.push_samples,
                                                     args.push_timeout, 3)
                        pushes.append({"client": client, "db": db, "lat": lat, "notified": notified, "load": load()})
                    except Exception as e:
                        log(f"  push latency failed: {e}")
                mg_rows[-1]["peak"] = proc_status(mg.proc.pid, "VmHWM")
                mg.close()
                mg = None
        for client in (jars if args.push_only else []):
            log(f"{client}: push latency only, {args.push_samples} messages one by one")
            mg = Mailgate(args.work, jars[client], f"{client.replace('@', '-')}-push", "h2", args.xmx,
                          args.startup_timeout, client)
            mg_rows.append(dict(mg.row(0, "h2"), client=client))
            warm_up(mg, dovecot, warm_users, args.warmup)
            mg.use_org("push")
            lat, notified = push_latency(mg, dovecot, push_users[client], args.push_samples, args.push_timeout, 3)
            pushes.append({"client": client, "db": "h2", "lat": lat, "notified": notified, "load": load()})
            mg.close()
            mg = None
    finally:  # also when the run's time limit stops it: clean up, then print what was measured
        if mg:
            mg.close()
        for p in list(children):
            stop(p, 5)
        dovecot.stop()
        discard(os.path.join(dovecot.dir, "home"))  # the users' mailboxes: links to the corpus, and Dovecot's indexes
        report(args, rows, mg_rows, pushes)


def java_version(home=None):
    """The JDK mailgate runs on: the java that bin/mailgate and java -jar find (JAVA_HOME first for the launcher),
    or the one --jdk names."""
    home = home or (os.environ.get("JAVA_HOME") if launcher == "bin" else None)
    java = os.path.join(home, "bin", "java") if home else "java"
    text = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
    m = re.search(r'version "([^"]+)"', text)
    return f"Java {m.group(1)}" if m else "Java ?"


def server_ms(row, server):
    """A server's CPU per message in a round, as printed."""
    return f"{row['servers'][server] * 1000 / max(row['done'], 1):.1f}" if "servers" in row else "-"


def report(args, rows, mg_rows, pushes):
    print()
    print(f"mailgate ingest benchmark {args.label} — {time.strftime('%Y-%m-%d %H:%M %Z')}, "
          f"{os.cpu_count()} cores, mailgate -Xmx{args.xmx} "
          f"({'bin/mailgate' if launcher == 'bin' else 'java -jar'}, {java_version()}"
          f"{''.join(f'; {c} on {java_version(h)}' for c, h in jdks.items())}"
          f"{''.join(f'; {c} with {o}' for c, o in java_opts.items())}), Dovecot {subprocess.run(['dovecot', '--version'], capture_output=True, text=True).stdout.split()[0]}, "
          f"IMAPS on loopback")
    print("msgs/s is wall time and depends on the machine's load (other processes); cpu ms/msg is the client's own "
          "CPU (user + system, not Dovecot's) per message, which load barely changes; imapd and pg are the CPU per "
          "message of Dovecot's and PostgreSQL's processes in the same time (pg only for rounds on PostgreSQL: other "
          "rounds have none)")
    print(f"{'client':<20} {'N':>6} {'db':<3} {'rtt':>5} {'msgs/s':>8} {'x mbsync':>8} {'x python':>8} {'seconds':>8} "
          f"{'cpu ms/msg':>10} {'imapd':>6} {'pg':>5} {'load':>9}  detail")
    order = {"mbsync": 0, "python": 1}
    for r in sorted(rows, key=lambda r: (r["n"], r["rtt"], order.get(r["client"], 2), r["client"], r["db"])):
        ref = {c: next((x for x in rows if x["client"] == c and x["n"] == r["n"] and x["rtt"] == r["rtt"]
                        and "seconds" in x), None) for c in ("mbsync", "python")}
        if "seconds" in r:
            rate = r["done"] / r["seconds"]
            ratios = [f"{rate / (ref[c]['done'] / ref[c]['seconds']):.2f}" if ref[c] else "-" for c in ("mbsync", "python")]
            print(f"{r['client']:<20} {r['n']:>6} {r['db']:<3} {r['rtt']:>3}ms {rate:>8.1f} {ratios[0]:>8} {ratios[1]:>8} "
                  f"{r['seconds']:>8.1f} {r['cpu'] * 1000 / max(r['done'], 1):>10.1f} "
                  f"{server_ms(r, 'imapd'):>6} {server_ms(r, 'pg') if r['db'] == 'pg' else '-':>5} "
                  f"{r['load0']:>4.1f}-{r['load1']:<4.1f}  {r['detail']}")
        else:
            print(f"{r['client']:<20} {r['n']:>6} {r['db']:<3} {r['rtt']:>3}ms {'FAILED':>8} {'':>8} {'':>8} {'':>8} {'':>10} "
                  f"{'':>6} {'':>5} "
                  f"{r['load0']:>4.1f}-{r['load1']:<4.1f}  {r['error']}")
    threaded = [r for r in rows if r.get("threads") and "seconds" in r]
    if threaded:
        print()
        groups = [g for g, _ in THREAD_GROUPS] + ["other"]
        print("where mailgate's CPU went: ms per message by thread group (JIT = the C1/C2 compiler threads, still "
              "compiling the application; workers = decrypt and parse; committer = dedup, link, store and commit; "
              "IMAP = fetch and poll; other = everything else, HTTP and Camel included)")
        print(f"{'client':<20} {'N':>6} {'db':<3} {'rtt':>5} " + "".join(f"{g:>10}" for g in groups))
        for r in sorted(threaded, key=lambda r: (r["n"], r["rtt"], r["client"], r["db"])):
            per = lambda g: r["threads"].get(g, 0) * 1000 / max(r["done"], 1)
            print(f"{r['client']:<20} {r['n']:>6} {r['db']:<3} {r['rtt']:>3}ms " + "".join(f"{per(g):>10.1f}" for g in groups))
        print()
        print("group commit (io.mailgate.pipeline.GroupCommitMetrics, this round): transactions that stored a group, "
              "messages per group, messages stored alone (one transaction each), groups rolled back and redone alone")
        print(f"{'client':<20} {'N':>6} {'db':<3} {'rtt':>5} {'groups':>8} {'per group':>10} {'alone':>8} {'rollbacks':>10}")
        for r in sorted(threaded, key=lambda r: (r["n"], r["rtt"], r["client"], r["db"])):
            g = r["threads"].get("groups") or {}
            commits = g.get("commits", 0)
            print(f"{r['client']:<20} {r['n']:>6} {r['db']:<3} {r['rtt']:>3}ms {commits:>8.0f} "
                  f"{g.get('messages', 0) / commits if commits else 0:>10.1f} {g.get('alone', 0):>8.0f} "
                  f"{g.get('rollbacks', 0):>10.0f}")
    if mg_rows:
        print()
        print(f"mailgate JVM (-Xmx{args.xmx}): start-up until the HTTP port answers, until the API answers the admin, "
              f"and the 'Started MailgateApplication in' figure; RSS idle (5 s after start-up) and peak (VmHWM after all "
              f"its rounds: one JVM runs each round trip time in turn, each in an organization of its own)")
        print(f"{'client':<20} {'N':>6} {'db':<3} {'port':>7} {'API':>7} {'Started':>8} {'idle RSS':>9} {'peak RSS':>9} {'load':>5}")
        for m in mg_rows:
            sec = lambda x: f"{x:.1f} s" if x is not None else "-"
            print(f"{m['client']:<20} {m['n']:>6} {m['db']:<3} {sec(m['http']):>7} {sec(m['startup']):>7} "
                  f"{sec(m['started']):>8} {m['idle']:>6} MB {m['peak'] if m['peak'] is not None else '-':>6} MB "
                  f"{m['load']:>5.1f}")
    for push in pushes:
        lat, ld, db = push["lat"], push["load"], push["db"]
        got = [x for x in lat if x != float("inf")]
        print()
        print(f"push latency of {push['client']} (issue 14; polling.intervalSeconds 300, push on, {db}): APPEND "
              f"completed -> incident in GET incidents?after=<cursor>, {len(lat)} messages sent one by one, "
              f"{len(got)} arrived within {args.push_timeout:.0f} s; load {ld:.1f}")
        print(f"  p50 {fmt_ms(pct(lat, 50), args.push_timeout)}, p90 {fmt_ms(pct(lat, 90), args.push_timeout)}, "
              f"max {fmt_ms(max(lat), args.push_timeout)}"
              + ("" if len(lat) == args.push_samples else
                 f" (stopped after {len(lat)}: none arrived, so push is not working)"))
        notified = push["notified"]
        share = [x - n for x, n in zip(lat, notified) if x != float("inf") and n != float("inf")]
        print(f"  of which Dovecot's own notification (APPEND -> '* N EXISTS' at a bare IDLE client on the same "
              f"mailbox): p50 {fmt_ms(pct(notified, 50), args.push_timeout)}, p90 "
              f"{fmt_ms(pct(notified, 90), args.push_timeout)}")
        if share:
            print(f"  and mailgate's share (EXISTS -> incident in the feed, including the feed's 5 ms polling): "
                  f"p50 {pct(share, 50) * 1000:.0f} ms, p90 {pct(share, 90) * 1000:.0f} ms, max {max(share) * 1000:.0f} ms")

if __name__ == "__main__":
    main()
