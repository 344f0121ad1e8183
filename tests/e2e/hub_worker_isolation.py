#!/usr/bin/env python3
"""Issue 15, finding 3: a mail that kills the analyser cannot take the API down, and is not retried
forever. Through the real `renkei serve` on SQLite, with the test-only fault injection of
lib/hub/worker_pool.cpp (RENKEI_TEST_ANALYSIS_FAULT=KIND:MARKER, compiled only in builds with
tests; without the variable no mail can trigger it):

- a mail that crashes its analysis process (SIGSEGV) is submitted with good mail; the API keeps
  answering during and after (health, lists, submissions); the good mail is analysed; the crashing
  one ends `failed` with the reason after kMaxInterruptions (5) claims, and is never claimed again;
  the worker was restarted each time and the server never died;
- a mail whose analysis runs away with memory ends in its worker (the worker's address-space limit),
  and one that loops ends in its worker (the CPU limit per analysis), not in the server;
- SIGTERM stops the server and its workers (no analysis process outlives it).

The worker limits are lowered for the test (RENKEI_TEST_WORKER_ADDRESS_SPACE_MB,
RENKEI_TEST_ANALYSIS_CPU_SECONDS; test builds only) so that it is bounded in time and memory."""
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

from _harness import check, parse_args, run, summary  # noqa: E402


def mail(tag, marker=""):
    return (f"From: Accounts <billing@b-companys-cc.com>\r\nTo: alice@a-company.co.jp\r\nSubject: Invoice {tag}\r\n"
            f"Message-ID: <{tag}@e2e>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            f"Please transfer the payment for {tag} to our new account. {marker}\r\n").encode()


def call(base, token, path, method="GET", body=None, timeout=10):
    headers = {"Authorization": "Bearer " + token}
    if body is not None:
        headers["Content-Type"] = "message/rfc822"
    req = urllib.request.Request(base + path, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def children(pid):
    """The processes `pid` started, from any of its threads (the server forks from a thread)."""
    found = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                found += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return found


def row(db, sid):
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as c:
        return c.execute("SELECT status, attempts, error FROM submissions WHERE id = ?", (sid,)).fetchone()


def wait_status(db, sid, status, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if row(db, sid)[0] == status:
            return True
        time.sleep(0.1)
    return False


def main():
    args = parse_args()
    r = args.renkei
    crash, hog, spin = (f"renkei-test-{k}-{os.urandom(6).hex()}" for k in ("segv", "memory", "loop"))
    with tempfile.TemporaryDirectory() as data:
        code, out, err = run(r, ["admin", "bootstrap", "--data", data, "--format", "json"])
        check("bootstrap", code == 0, err)
        token = json.loads(out)["token"]
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        base = f"http://127.0.0.1:{port}/api/v1"
        env = dict(os.environ, RENKEI_TEST_ANALYSIS_FAULT=f"segv:{crash},memory:{hog},loop:{spin}",
                   RENKEI_TEST_WORKER_ADDRESS_SPACE_MB="1024", RENKEI_TEST_ANALYSIS_CPU_SECONDS="2")
        log_path = os.path.join(data, "serve.stderr")
        with open(log_path, "wb") as log:
            proc = subprocess.Popen([r, "serve", "--data", data, "--listen", f"127.0.0.1:{port}", "--workers", "2",
                                     "--web-root", "none", "--rate-limit", "100000"],
                                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log, env=env)
        try:
            for _ in range(150):
                try:
                    urllib.request.urlopen(base + "/health", timeout=1).read()
                    break
                except OSError:
                    time.sleep(0.1)
            workers_at_start = children(proc.pid)
            check("two_worker_processes", len(workers_at_start) == 2, workers_at_start)

            # The API is watched for the whole test: every answer must come, and be 200.
            api_failures, api_calls = [], [0]
            stop = threading.Event()

            def watch():
                while not stop.is_set():
                    for path in ("/health", "/submissions?limit=5", "/stats"):
                        try:
                            status, _ = call(base, token, path)
                            if status != 200:
                                api_failures.append(f"{path}: {status}")
                        except OSError as e:
                            api_failures.append(f"{path}: {e!r}")
                        api_calls[0] += 1
                    time.sleep(0.05)

            watcher = threading.Thread(target=watch, daemon=True)
            watcher.start()

            status, j = call(base, token, "/submissions", "POST", mail("crash", crash))
            check("crashing_mail_accepted", status == 202, f"{status} {j}")
            crash_id = j.get("id")
            good = []
            for i in range(10):
                status, j = call(base, token, "/submissions", "POST", mail(f"good-{i}"))
                check(f"good_mail_accepted {i}", status == 202, f"{status} {j}")
                good.append(j.get("id"))
            db = os.path.join(data, "renkei.db")
            check("crashing_mail_failed", wait_status(db, crash_id, "failed", 60), row(db, crash_id))
            status_, attempts, error = row(db, crash_id)
            check("failed_after_the_limit", attempts == 5, f"{attempts} claims")
            check("failed_with_the_reason", "interrupted 5 times" in error, error)
            for sid in good:
                check(f"good_mail_analysed {sid}", wait_status(db, sid, "analysed", 30), row(db, sid))
            # Never claimed again: still failed, still five claims, a while later.
            time.sleep(2)
            check("never_claimed_again", row(db, crash_id)[:2] == ("failed", 5), row(db, crash_id))
            status, j = call(base, token, f"/submissions/{crash_id}")
            check("api_shows_failed", status == 200 and j.get("status") == "failed", f"{status} {j.get('status')}")

            # Runaway memory and CPU end in their worker too (one claim each is enough to show it).
            # Sanitizer builds have no address-space limit (shadow memory): no memory runaway there.
            limited = "address-space limit none" not in open(log_path, encoding="utf-8", errors="replace").read()
            if not limited:
                print("SKIP memory runaway: a sanitizer build has no address-space limit")
            for tag, marker in ((("memory", hog),) if limited else ()) + (("loop", spin),):
                status, j = call(base, token, "/submissions", "POST", mail(tag, marker))
                sid = j.get("id")
                # CPU seconds, not wall time: on a loaded machine (CI) two of them can take a while.
                deadline = time.monotonic() + 120
                while time.monotonic() < deadline and (row(db, sid)[1] < 2):
                    time.sleep(0.1)
                check(f"{tag}_runaway_ends_in_its_worker", row(db, sid)[1] >= 2 and proc.poll() is None, row(db, sid))
            status, j = call(base, token, "/submissions", "POST", mail("after"))
            check("good_mail_after_runaways_analysed", status == 202 and wait_status(db, j.get("id"), "analysed", 30),
                  f"{status} {j}")

            stop.set()
            watcher.join(timeout=30)
            check("api_answered_throughout", not api_failures and api_calls[0] > 20,
                  f"{len(api_failures)} of {api_calls[0]} failed: {api_failures[:5]}")
            check("server_alive", proc.poll() is None, proc.poll())
            stderr = open(log_path, encoding="utf-8", errors="replace").read()
            # SIGSEGV; in a sanitizer build ASan's report, then exit 1, or SIGABRT when the test
            # preset sets abort_on_error=1 (no memory runaway runs there, so no other SIGABRT).
            crashes = stderr.count("was killed by signal 11 (SIGSEGV)") + stderr.count("exited with status 1;")
            if not limited:
                crashes += stderr.count("was killed by signal 6 (SIGABRT)")
            check("worker_restarted_after_each_crash", crashes >= 5 and stderr.count("restarting in") >= 6 + limited,
                  f"{crashes} crashes, {stderr.count('restarting in')} restarts")
            if limited:
                check("memory_limit_hit", "SIGABRT" in stderr or "exited with status 3" in stderr, stderr[-1500:])
            check("cpu_limit_hit", "SIGXCPU" in stderr, stderr[-1500:])
            check("two_workers_now", len(children(proc.pid)) == 2, children(proc.pid))

            # SIGTERM: the server stops, and no worker outlives it.
            workers = children(proc.pid)
            proc.send_signal(signal.SIGTERM)
            rc = proc.wait(timeout=30)
            check("sigterm_exit_0", rc == 0, rc)
            time.sleep(0.2)
            left = [w for w in workers if os.path.exists(f"/proc/{w}") and
                    open(f"/proc/{w}/stat").read().split()[2] != "Z"]
            check("workers_stopped_with_the_server", not left, left)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    return summary("hub worker isolation")


if __name__ == "__main__":
    sys.exit(main())
