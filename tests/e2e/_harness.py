"""Shared helpers of the end-to-end scripts (not a test itself: CMake skips files starting with _).

check() records a named expectation; run() runs the real binary; summary() prints the closing
line ("N passed, N failed") and gives the exit status."""
import argparse
import subprocess

FAILS = []
PASSES = [0]


def parse_args():
    """The arguments ctest gives every end-to-end script: the binary, the source tree, ../shared/data."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--renkei", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--shared", required=False)
    return ap.parse_args()


def check(name, cond, detail=""):
    if cond:
        PASSES[0] += 1
    else:
        FAILS.append(f"{name}: {detail}")
        print(f"FAIL {name}: {detail}")


def run(renkei, args, stdin=None, env=None, timeout=300):
    p = subprocess.run([renkei, *args], input=stdin, capture_output=True, timeout=timeout, env=env)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def summary(label):
    print(f"{label}: {PASSES[0]} passed, {len(FAILS)} failed")
    return 1 if FAILS else 0


class Hub:
    """A real `renkei serve` on a free loopback port over data_dir (and `args`, e.g. --database),
    stopped with SIGTERM on exit."""

    def __init__(self, renkei, data_dir, args=()):
        import socket
        self.renkei, self.data_dir, self.args = renkei, data_dir, list(args)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None

    def __enter__(self):
        import time
        import urllib.request
        self.proc = subprocess.Popen([self.renkei, "serve", "--data", self.data_dir, "--listen", f"127.0.0.1:{self.port}", *self.args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(100):
            try:
                with urllib.request.urlopen(self.url + "/api/v1/health", timeout=1) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("renkei serve did not come up: " + self.proc.stderr.read(2000).decode("utf-8", "replace"))

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return False


def postgres_database(name):
    """A new, empty database on the PostgreSQL server ctest started (tests/pg/pg_server.sh), as a
    libpq URL; None when no server runs (the script then skips and says so)."""
    import os
    url_file = os.environ.get("RENKEI_TEST_PG_URL_FILE", "")
    if not url_file or not os.path.exists(url_file):
        return None
    admin = open(url_file).read().strip()
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", admin, "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)",
                    "-c", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    return admin[: admin.rfind("/") + 1] + name


def psql(url, sql):
    """Rows of a query on `url`, as lists of strings."""
    p = subprocess.run(["psql", "-qAtX", "-F", "\t", url, "-c", sql], check=True, capture_output=True)
    return [line.split("\t") for line in p.stdout.decode().splitlines() if line]
