#!/usr/bin/env python3
"""Several `renkei serve` processes sharing one PostgreSQL (the real server ctest starts with
tests/pg/pg_server.sh), driven over HTTP:

- a fresh database is set up without a browser: `renkei admin migrate/bootstrap --database`;
- two servers take a burst of concurrent submissions, the same mails sent to both at once among
  them: each mail is stored once (the second is a duplicate of the first, whichever server got it);
- one server is killed with SIGKILL in the middle of the burst and started again: every
  acknowledged submission is there exactly once, and every one is analysed; no analysis was claimed
  twice except the one the killed server had in hand;
- PostgreSQL itself restarted in the middle of a burst to two servers (a private server, so the
  tests beside this one are not disturbed): requests during the outage fail cleanly with 503, the
  servers reconnect, nothing acknowledged is lost or duplicated, everything is analysed;
- Japanese full-text search on PostgreSQL (pg_trgm) through the API;
- an unreachable database is a clear error at start, not a hang.

Skips (exit 77) when no PostgreSQL runs (outside ctest)."""
import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from _harness import Hub, check, parse_args, postgres_database, psql, run, summary  # noqa: E402


def mail(tag, subject=None):
    subject = subject or f"Invoice {tag}"
    return (f"From: Accounts <billing@b-companys-cc.com>\r\nTo: alice@a-company.co.jp\r\nSubject: {subject}\r\n"
            f"Message-ID: <{tag}@e2e>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            f"Please transfer the payment for {tag} to our new account.\r\n").encode()


def call(url, token, method="GET", body=None, ctype=None, timeout=10):
    headers = {"Authorization": "Bearer " + token}
    if ctype:
        headers["Content-Type"] = ctype
    req = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def wait_analysed(db, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        left = int(psql(db, "SELECT COUNT(*) FROM submissions WHERE status IN ('queued', 'analysing')")[0][0])
        if left == 0:
            return True
        time.sleep(0.2)
    return False


def pg_restart_during_burst(r, source):
    """Two servers on a private PostgreSQL (tests/pg/pg_server.sh: restarting the shared one would
    disturb the tests beside this one), a burst of submissions to both, PostgreSQL restarted (fast
    shutdown: every session cut) once 40 were acknowledged. During the outage a request fails
    cleanly with 503 and the error body; no connection is dropped, no server dies; afterwards both
    answer again on new connections, every acknowledged submission is stored exactly once and all
    are analysed."""
    pg_sh = os.path.join(source, "tests", "pg", "pg_server.sh")
    pg_dir = f"/tmp/renkei-e2e-pg-restart-{os.getpid()}"
    started = subprocess.run([pg_sh, "start", pg_dir], capture_output=True, timeout=120)
    if started.returncode != 0:
        check("pg_restart.private_server", False, started.stderr.decode("utf-8", "replace")[-500:])
        return
    try:
        db = started.stdout.decode().strip()
        code, out, err = run(r, ["admin", "migrate", "--database", db])
        code2, out2, err2 = run(r, ["admin", "bootstrap", "--database", db, "--format", "json"])
        check("pg_restart.setup", code == 0 and code2 == 0, f"{err} {err2}")
        if code != 0 or code2 != 0:
            return
        token = json.loads(out2)["token"]
        serve_args = ["--database", db, "--workers", "1", "--rate-limit", "100000"]
        with tempfile.TemporaryDirectory() as tmp:
            a, b = Hub(r, os.path.join(tmp, "a"), serve_args), Hub(r, os.path.join(tmp, "b"), serve_args)
            with a, b:
                lock = threading.Lock()
                acked, statuses, dropped, bodies_503 = {}, [], [], []

                def burst(t):
                    for i in range(40):
                        hub = a if (t + i) % 2 == 0 else b
                        m = mail(f"pgrestart-{t}-{i}-{os.urandom(4).hex()}")
                        try:
                            status, j = call(hub.url + "/api/v1/submissions", token, "POST", m, "message/rfc822", timeout=30)
                        except (OSError, ValueError) as e:  # closed without an answer, or not JSON
                            with lock:
                                dropped.append(repr(e))
                            continue
                        with lock:
                            statuses.append(status)
                            if status in (200, 201, 202) and isinstance(j.get("id"), int):
                                acked[hashlib.sha256(m).hexdigest()] = j["id"]
                            elif status == 503:
                                bodies_503.append(j)
                        time.sleep(0.01)

                threads = [threading.Thread(target=burst, args=(t,), daemon=True) for t in range(8)]
                for t in threads:
                    t.start()
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline and len(acked) < 40:
                    time.sleep(0.002)
                restarted = subprocess.run([pg_sh, "restart", pg_dir], capture_output=True, timeout=60)
                check("pg_restart.restarted", restarted.returncode == 0, restarted.stderr.decode("utf-8", "replace")[-500:])
                for t in threads:
                    t.join(timeout=60)
                check("pg_restart.servers_alive", a.proc.poll() is None and b.proc.poll() is None,
                      f"a: {a.proc.poll()}, b: {b.proc.poll()}")
                check("pg_restart.no_dropped_connection", not dropped, dropped[:5])
                check("pg_restart.only_2xx_or_503", set(statuses) <= {200, 201, 202, 503}, sorted(set(statuses)))
                check("pg_restart.outage_seen_as_503", len(bodies_503) > 0, f"{len(statuses)} answers, none 503")
                check("pg_restart.503_has_error_body",
                      all(isinstance(j.get("error"), dict) and j["error"].get("code") for j in bodies_503), bodies_503[:3])
                check("pg_restart.acknowledged_after_restart", len(acked) > 40, f"{len(acked)} acknowledged")
                # Both servers work again on new connections: authentication (a token read) and a list.
                for hub in (a, b):
                    status, j = call(hub.url + "/api/v1/submissions?limit=1", token)
                    check(f"pg_restart.answers_again {hub.port}", status == 200 and j.get("items"), f"{status} {j}")
                check("pg_restart.all_analysed", wait_analysed(db, 50),
                      psql(db, "SELECT status, COUNT(*) FROM submissions GROUP BY status"))
                stored = {sha: int(i) for i, sha in psql(db, "SELECT id, artefact_sha256 FROM submissions")}
                missing = [sha for sha in acked if sha not in stored]
                check("pg_restart.every_acknowledged_stored", not missing, f"{len(missing)} of {len(acked)} missing")
                check("pg_restart.acknowledged_ids_match", all(stored.get(sha) == i for sha, i in acked.items()))
                rows = psql(db, "SELECT COUNT(*), COUNT(DISTINCT artefact_sha256) FROM submissions")
                check("pg_restart.exactly_once", rows[0][0] == rows[0][1], rows)
                states = dict((s, int(n)) for s, n in psql(db, "SELECT status, COUNT(*) FROM submissions GROUP BY status"))
                check("pg_restart.none_failed", set(states) == {"analysed"}, states)
                print(f"pg restart: {len(acked)} acknowledged, {len(bodies_503)} answered 503 during the outage, "
                      f"{len(stored)} stored", flush=True)
    finally:
        subprocess.run([pg_sh, "stop", pg_dir], capture_output=True, timeout=60)


def main():
    args = parse_args()
    r = args.renkei
    db = postgres_database(f"rk_e2e_{os.getpid()}")
    if db is None:
        print("SKIP: no PostgreSQL server (ctest starts one with tests/pg/pg_server.sh)")
        return 77

    with tempfile.TemporaryDirectory() as tmp:
        # ---- Set-up without a browser ----
        code, out, err = run(r, ["admin", "migrate", "--database", db])
        check("migrate", code == 0 and "schema version" in out, f"{code}: {out} {err}")
        code, out, err = run(r, ["admin", "bootstrap", "--database", db, "--format", "json"])
        check("bootstrap", code == 0, f"{code}: {err}")
        token = json.loads(out)["token"] if code == 0 else ""
        tables = {row[0] for row in psql(db, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
        check("schema_in_postgres", {"submissions", "organizations", "api_tokens", "audit_log"} <= tables, tables)

        serve_args = ["--database", db, "--workers", "1", "--rate-limit", "100000"]
        a = Hub(r, os.path.join(tmp, "a"), serve_args)
        b = Hub(r, os.path.join(tmp, "b"), serve_args)
        with a, b:
            # ---- The same mails sent to both servers at once: stored once ----
            same = [mail(f"both-{i}") for i in range(20)]
            results = {}

            def send(hub, i):
                results[(hub.port, i)] = call(hub.url + "/api/v1/submissions", token, "POST", same[i], "message/rfc822")

            threads = [threading.Thread(target=send, args=(h, i)) for i in range(len(same)) for h in (a, b)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            ok = True
            for i in range(len(same)):
                (sa, ja), (sb, jb) = results[(a.port, i)], results[(b.port, i)]
                one_new = sorted([ja.get("duplicate"), jb.get("duplicate")]) == [False, True]
                if not ({sa, sb} == {200, 202} and ja.get("id") == jb.get("id") and one_new):
                    ok = False
                    check("dedup_across_servers", False, f"mail {i}: {sa} {ja} / {sb} {jb}")
                    break
            check("dedup_across_servers", ok)
            rows = psql(db, "SELECT COUNT(*), COUNT(DISTINCT dedup_key) FROM submissions")
            check("dedup_rows", rows == [[str(len(same)), str(len(same))]], rows)

            # ---- A burst on both; server A killed partway and started again ----
            lock = threading.Lock()
            acked = {}  # sha256 -> id
            stop_a = threading.Event()

            def burst(t):
                for i in range(30):
                    hub = a if (t + i) % 2 == 0 else b
                    if hub is a and stop_a.is_set():
                        hub = b
                    m = mail(f"burst-{t}-{i}-{os.urandom(4).hex()}")
                    try:
                        status, j = call(hub.url + "/api/v1/submissions", token, "POST", m, "message/rfc822")
                    except OSError:
                        continue  # A is gone: this one was never acknowledged
                    if status in (200, 202) and isinstance(j.get("id"), int):
                        with lock:
                            acked[hashlib.sha256(m).hexdigest()] = j["id"]

            threads = [threading.Thread(target=burst, args=(t,), daemon=True) for t in range(8)]
            for t in threads:
                t.start()
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and len(acked) < 60:
                time.sleep(0.002)
            os.kill(a.proc.pid, signal.SIGKILL)
            a.proc.wait()
            stop_a.set()
            for t in threads:
                t.join(timeout=60)
            check("burst_partly_before_kill", len(acked) >= 60, len(acked))

            a2 = Hub(r, os.path.join(tmp, "a"), serve_args)
            with a2:
                check("all_analysed_after_restart", wait_analysed(db), psql(db, "SELECT status, COUNT(*) FROM submissions GROUP BY status"))
                stored = {sha: int(i) for i, sha in psql(db, "SELECT id, artefact_sha256 FROM submissions")}
                missing = [sha for sha in acked if sha not in stored]
                check("every_acknowledged_stored", not missing, f"{len(missing)} of {len(acked)} missing")
                check("acknowledged_ids_match", all(stored.get(sha) == i for sha, i in acked.items()))
                rows = psql(db, "SELECT COUNT(*), COUNT(DISTINCT artefact_sha256) FROM submissions")
                check("exactly_once", rows[0][0] == rows[0][1], rows)
                states = dict((s, int(n)) for s, n in psql(db, "SELECT status, COUNT(*) FROM submissions GROUP BY status"))
                check("none_failed", set(states) == {"analysed"}, states)
                retried = int(psql(db, "SELECT COUNT(*) FROM submissions WHERE attempts > 1")[0][0])
                # Only what the killed server's one worker had in hand is analysed a second time.
                check("no_job_claimed_twice", retried <= 1, f"{retried} submissions claimed more than once")

                # ---- Japanese full-text search on pg_trgm ----
                status, j = call(a2.url + "/api/v1/submissions", token, "POST", mail("jp-1", "=?UTF-8?B?" +
                                 __import__("base64").b64encode("【至急】請求書の振込先変更のお知らせ".encode()).decode() + "?="),
                                 "message/rfc822")
                check("submit_japanese", status == 202, j)
                wait_analysed(db, 30)
                for term in ("振込先", "請求書", "至急"):
                    status, j = call(b.url + "/api/v1/submissions?q=" + urllib.parse.quote(term), token)
                    hits = [it.get("subject", "") for it in j.get("items", [])]
                    check(f"search_{term}", status == 200 and len(hits) == 1 and term in hits[0], hits)

    # ---- PostgreSQL restarted under two servers in the middle of a burst ----
    pg_restart_during_burst(r, args.source)

    # ---- An unreachable database is a clear error at start ----
    t0 = time.monotonic()
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, out, err = run(r, ["serve", "--database", "postgresql://renkei@127.0.0.1:1/none", "--listen", f"127.0.0.1:{port}"], timeout=60)
    check("unreachable_database", code != 0 and "PostgreSQL" in err and time.monotonic() - t0 < 30, f"{code}: {err}")
    code, out, err = run(r, ["admin", "migrate", "--database", "postgresql://renkei@127.0.0.1:1/none"])
    check("unreachable_database_admin", code != 0 and "cannot connect to PostgreSQL" in err, f"{code}: {err}")

    subprocess.run(["psql", "-q", open(os.environ["RENKEI_TEST_PG_URL_FILE"]).read().strip(), "-c",
                    f"DROP DATABASE IF EXISTS rk_e2e_{os.getpid()} WITH (FORCE)"], capture_output=True)
    return summary("hub on postgresql")


if __name__ == "__main__":
    sys.exit(main())
