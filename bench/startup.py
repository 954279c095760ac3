#!/usr/bin/env python3
"""mailgate start-up benchmark: how long until it is started and answers, what CPU that costs, and what an idle
mailgate holds in memory. Started by bench/startup.sh (which builds the jar); see README "Start-up".

Each run starts `java -Xmx512m [extra JVM options] -jar mailgate.jar` in a fresh working directory (so H2 and Flyway
start from an empty database, as on a first start; --restart measures a second start on the same data instead) and
prints, per run and as the median of the runs:
  started   seconds from exec until the log says "Started MailgateApplication" (Spring's own figure in brackets)
  health    seconds until GET /actuator/health answers 200
  api       seconds until the first authenticated API call (GET /api/v1/orgs/default/connections, HTTP Basic as admin)
            answers 200
  cpu@start CPU seconds (user+sys, all threads) the JVM used until "Started": less sensitive to a busy machine
  cpu@api   the same until the API answered
  rss/heap  after --idle seconds without requests: resident set, heap used/committed, metaspace, code cache and
            threads (from jcmd)

--extract runs the jar as Spring Boot's tools extract it (java -Djarmode=tools -jar mailgate.jar extract: the
application jar next to lib/ with plain jars, no nested-jar class loader); --cds also makes a class data sharing
archive of it with one training run (-XX:ArchiveClassesAtExit, -Dspring.context.exit=onRefresh, in a scratch
directory) and runs with -XX:SharedArchiveFile; --aot does the same with Java 25's AOT cache. --spring-aot adds
-Dspring.aot.enabled=true (the bean definitions Spring generated at build time) to the training and the runs.
--launcher runs bin/mailgate instead, as a user does (extracted jar, Spring's AOT and an archive; its own training
start happens once, before the measured runs, in a scratch folder); the extra JVM options go to it in JAVA_OPTS.
"""
import argparse
import base64
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

PASSWORD = "startup-bench"
LAUNCHER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bin", "mailgate")
TICK = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def proc_status(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return line.split()[1]
    return None


def get(url, auth=False):
    req = urllib.request.Request(url)
    if auth:
        req.add_header("Authorization", "Basic " + base64.b64encode(f"admin:{PASSWORD}".encode()).decode())
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            r.read()
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except (urllib.error.URLError, OSError):
        return None


def jcmd(pid, *command):
    r = subprocess.run(["jcmd", str(pid), *command], capture_output=True, text=True, timeout=60)
    return r.stdout


def memory(pid):
    """Heap used/committed, metaspace used and code cache used in MB, from jcmd (no NMT needed)."""
    heap = jcmd(pid, "GC.heap_info")
    out = {}
    m = re.search(r"total (\d+)K, used (\d+)K", heap)
    if m:
        out["heap_committed"], out["heap_used"] = int(m.group(1)) / 1024, int(m.group(2)) / 1024
    m = re.search(r"Metaspace\s+used (\d+)K, committed (\d+)K", heap)
    if m:
        out["metaspace"] = int(m.group(2)) / 1024
    used = re.findall(r"CodeHeap '[^']+': size=\d+Kb used=(\d+)Kb", jcmd(pid, "Compiler.codecache"))
    if used:
        out["code_cache"] = sum(int(u) for u in used) / 1024
    return out


def prepare(jar, mode, work, spring_aot):
    """Returns (jar to run, extra JVM options) for mode 'jar', 'extract', 'cds' or 'aot'."""
    if mode == "jar":
        return jar, []
    dest = os.path.join(work, "extracted")
    subprocess.run(["java", "-Djarmode=tools", "-jar", jar, "extract", "--destination", dest], check=True,
                   stdout=subprocess.DEVNULL)
    app = os.path.join(dest, os.path.basename(jar))
    if mode == "extract":
        return app, []
    # cds: a dynamic CDS archive (Java 13+); aot: Java 25's AOT cache (JEP 483, 514, 515: classes loaded and
    # linked, and method profiles, from the training run)
    archive = os.path.join(dest, "mailgate.aot" if mode == "aot" else "mailgate.jsa")
    training = f"-XX:AOTCacheOutput={archive}" if mode == "aot" else f"-XX:ArchiveClassesAtExit={archive}"
    scratch = tempfile.mkdtemp(prefix="mailgate-cds-training-")
    started = time.monotonic()
    with open(os.path.join(work, "cds-training.log"), "w") as out:
        subprocess.run(["java", "-Xmx512m", training, *spring_aot, "-Dspring.context.exit=onRefresh",
                        "-jar", app, "--server.port=0", f"--mailgate.admin-password={PASSWORD}"],
                       cwd=scratch, stdout=out, stderr=subprocess.STDOUT, check=True, timeout=900)
    shutil.rmtree(scratch, ignore_errors=True)
    print(f"{mode.upper()} archive {archive}: {os.path.getsize(archive) / 2**20:.0f} MB, training run "
          f"{time.monotonic() - started:.0f} s", flush=True)
    return app, [f"-XX:AOTCache={archive}" if mode == "aot" else f"-XX:SharedArchiveFile={archive}"]


def launcher_env(jar, jvm_opts, log_dir):
    """bin/mailgate's environment: this jar, its launch folder under the logs, the JVM options in JAVA_OPTS."""
    return dict(os.environ, MAILGATE_JAR=jar, MAILGATE_LAUNCH_DIR=os.path.join(log_dir, "launch"),
                JAVA_OPTS=" ".join(["-Xmx512m", *jvm_opts]))


def run_once(jar, jvm_opts, idle, restart_dir=None, log_dir=None, index=0, timeout=300, env=None):
    """One start; env is bin/mailgate's environment (launcher_env) to run the launcher instead of java -jar."""
    work = restart_dir or tempfile.mkdtemp(prefix="mailgate-startup-")
    port = free_port()
    log_path = os.path.join(log_dir or work, f"startup-{index}.log")
    out = open(log_path, "w")
    app_args = [f"--server.port={port}", f"--mailgate.admin-password={PASSWORD}"]
    if env is None:
        cmd = ["java", "-Xmx512m", *jvm_opts, "-jar", jar, *app_args]
    else:  # the launcher execs java: the process (and its CPU figure) stays the same one
        cmd = [LAUNCHER, *app_args]
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=work, stdout=out, stderr=subprocess.STDOUT, env=env)
    r = {"log": log_path}
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = start + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"mailgate exited with {proc.returncode}; see {log_path}")
            now = time.monotonic() - start
            if "started" not in r:
                with open(log_path, errors="replace") as f:
                    m = re.search(r"Started MailgateApplication in ([\d.]+) seconds \(process running for ([\d.]+)\)",
                                  f.read())
                if m:
                    r["started"], r["cpu_start"] = now, cpu_seconds(proc.pid)
                    r["spring"], r["process"] = float(m.group(1)), float(m.group(2))
            if "health" not in r and get(base + "/actuator/health") == 200:
                r["health"] = time.monotonic() - start
            if "health" in r and "api" not in r and get(base + "/api/v1/orgs/default/connections", True) == 200:
                r["api"], r["cpu_api"] = time.monotonic() - start, cpu_seconds(proc.pid)
            if "api" in r and "started" in r:
                break
            time.sleep(0.05)
        else:
            raise RuntimeError(f"mailgate did not answer within {timeout} s; see {log_path}")
        time.sleep(idle)
        r["rss"] = int(proc_status(proc.pid, "VmRSS")) / 1024
        r["threads"] = int(proc_status(proc.pid, "Threads"))
        r["cpu_idle"] = cpu_seconds(proc.pid) - r["cpu_api"]
        r.update(memory(proc.pid))
    finally:
        proc.terminate()
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        out.close()
        if restart_dir is None and log_dir is not None:
            shutil.rmtree(work, ignore_errors=True)
    return r


COLUMNS = [("started", "started s", "{:.1f}"), ("spring", "(spring)", "({:.1f})"), ("health", "health s", "{:.1f}"),
           ("api", "api s", "{:.1f}"), ("cpu_start", "cpu@start", "{:.1f}"), ("cpu_api", "cpu@api", "{:.1f}"),
           ("cpu_idle", "cpu idle", "{:.1f}"), ("rss", "rss MB", "{:.0f}"), ("heap_used", "heap used", "{:.0f}"),
           ("heap_committed", "heap comm", "{:.0f}"), ("metaspace", "metaspace", "{:.0f}"),
           ("code_cache", "code", "{:.0f}"), ("threads", "threads", "{:d}")]


def print_row(label, r):
    cells = []
    for key, _, fmt in COLUMNS:
        v = r.get(key)
        cells.append(fmt.format(v) if v is not None else "-")
    print(f"{label:<8}" + "".join(f"{c:>11}" for c in cells), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jar", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--idle", type=float, default=60, help="seconds to stay idle before measuring memory")
    ap.add_argument("--restart", action="store_true",
                    help="measure restarts on one working directory (a first start creates its database)")
    ap.add_argument("--log-dir", default=None, help="keep each run's log here")
    ap.add_argument("--timeout", type=float, default=300, help="seconds a start may take before the run fails")
    ap.add_argument("--extract", action="store_true", help="run the extracted jar (see above)")
    ap.add_argument("--cds", action="store_true", help="run the extracted jar with a CDS archive (see above)")
    ap.add_argument("--aot", action="store_true", help="run the extracted jar with an AOT cache (Java 25 or later)")
    ap.add_argument("--spring-aot", action="store_true", help="with Spring's build-time bean definitions (see above)")
    ap.add_argument("--launcher", action="store_true", help="run bin/mailgate (see above)")
    ap.add_argument("jvm_opts", nargs="*", help="extra JVM options, after --")
    args = ap.parse_args()
    log_dir = args.log_dir or tempfile.mkdtemp(prefix="mailgate-startup-logs-")
    os.makedirs(log_dir, exist_ok=True)
    mode = ("launcher" if args.launcher else "aot" if args.aot else "cds" if args.cds else "extract" if args.extract
            else "jar")
    spring_aot = ["-Dspring.aot.enabled=true"] if args.spring_aot else []
    env = None
    if mode == "launcher":
        jar = args.jar
        env = launcher_env(jar, args.jvm_opts, log_dir)
        started = time.monotonic()
        run_once(jar, [], 0, None, log_dir, "training", args.timeout, env)  # the launcher's one training start
        print(f"launcher's first start (training included): {time.monotonic() - started:.0f} s", flush=True)
    else:
        jar, cds_opts = prepare(args.jar, mode, log_dir, spring_aot)
        args.jvm_opts = cds_opts + spring_aot + args.jvm_opts
    restart_dir = None
    if args.restart:
        restart_dir = tempfile.mkdtemp(prefix="mailgate-startup-")
        run_once(jar, args.jvm_opts, 0, restart_dir, log_dir, "init", args.timeout, env)
    load = os.getloadavg()[0]
    how = (f"bin/mailgate, JAVA_OPTS={env['JAVA_OPTS']}" if env else
           f"java -Xmx512m {' '.join(args.jvm_opts)} -jar {os.path.basename(jar)}")
    data = "restart on existing data" if args.restart else "fresh data directory"
    print(f"mailgate start-up: {os.cpu_count()} cores, load {load:.2f}, {how} ({mode}), {data}, "
          f"memory after {args.idle:.0f} s idle; logs in {log_dir}", flush=True)
    print(f"{'run':<8}" + "".join(f"{h:>11}" for _, h, _ in COLUMNS), flush=True)
    results = []
    for i in range(args.runs):
        try:
            r = run_once(jar, args.jvm_opts, args.idle, restart_dir, log_dir, i + 1, args.timeout, env)
        except RuntimeError as e:
            print(f"{i + 1:<8}failed: {e}", flush=True)
            continue
        results.append(r)
        print_row(str(i + 1), r)
    median = {}
    for key, _, _ in COLUMNS:
        vals = [r[key] for r in results if r.get(key) is not None]
        if vals:
            m = statistics.median(vals)
            median[key] = int(m) if isinstance(vals[0], int) else m
    print_row("median", median)
    if restart_dir:
        shutil.rmtree(restart_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
