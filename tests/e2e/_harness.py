"""Shared helpers of the end-to-end scripts (not a test itself: CMake skips files starting with _).

check() records a named expectation; run() runs the real binary; summary() prints the closing
line ("N passed, N failed") and gives the exit status."""
import subprocess

FAILS = []
PASSES = [0]


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
