#!/usr/bin/env python3
"""End-to-end tests of `renkei submit` against a real `renkei serve`: files and directories, the
token from the environment, idempotence, --wait with the verdict, JSON output, and the errors
(no token, bad token, unreachable hub, unreadable file)."""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _harness import Hub, check, parse_args, run, summary  # noqa: E402


def main():
    args = parse_args()
    r = args.renkei
    seed = os.path.join(args.source, "tests", "fixtures", "seed")
    bec = os.path.join(seed, "q2-2020-case1-reply-to-return-path-cc-diverted.eml")
    benign_dir = os.path.join(args.source, "tests", "fixtures", "benign")

    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "hub")
        code, out, err = run(r, ["admin", "bootstrap", "--data", data, "--format", "json"])
        check("bootstrap", code == 0, err)
        token = json.loads(out)["token"] if code == 0 else ""
        env = dict(os.environ, RENKEI_TOKEN=token)
        with Hub(r, data) as hub:
            code, out, err = run(r, ["submit", "--server", hub.url, "--wait", bec], env=env)
            check("submit.exit", code == 0, f"{code}: {err}")
            check("submit.verdict", "→ submission 1" in out and "verdict bec" in out, out)

            code, out, err = run(r, ["submit", "--server", hub.url, "--format", "json", bec], env=env)
            rec = json.loads(out) if code == 0 and out.strip() else {}
            check("submit.duplicate", rec.get("id") == 1 and rec.get("duplicate") is True, out)

            code, out, err = run(r, ["submit", "--server", hub.url, "--format", "json", "--wait", benign_dir], env=env)
            recs = [json.loads(l) for l in out.splitlines() if l.strip()]
            n_files = len([f for f in os.listdir(benign_dir) if f.endswith(".eml")])
            check("dir.all_sent", code == 0 and len(recs) == n_files, f"{code}: {len(recs)} of {n_files}: {err}")
            check("dir.benign", all(x.get("verdict") == "benign" for x in recs),
                  str([(x["file"], x.get("verdict")) for x in recs if x.get("verdict") != "benign"]))

            code, _, err = run(r, ["submit", "--server", hub.url, bec], env=dict(os.environ, RENKEI_TOKEN=""))
            check("no_token", code == 2 and "RENKEI_TOKEN" in err, f"{code}: {err}")
            code, _, err = run(r, ["submit", "--server", hub.url, "--token", "rk_" + "A" * 43, bec])
            check("bad_token", code == 3 and "unknown" in err and "revoked" in err, f"{code}: {err}")
            code, out, err = run(r, ["submit", "--server", hub.url, os.path.join(tmp, "missing.eml"), bec], env=env)
            check("missing_file", code == 1 and "missing.eml  error" in out and "→ submission 1" in out, f"{code}: {out}")
        code, _, err = run(r, ["submit", "--server", hub.url, bec], env=env)
        check("unreachable", code == 3 and "cannot reach the hub" in err, f"{code}: {err}")

        # `renkei serve` refuses a bad configuration at once, with what to fix.
        bad = os.path.join(tmp, "bad.toml")
        with open(bad, "w") as f:
            f.write('listen = "127.0.0.1:8080\nworkers = [\n')
        code, _, err = run(r, ["serve", "--data", data, "--config", bad], timeout=30)
        check("serve.bad_config", code == 3 and "line" in err and "keys:" in err, f"{code}: {err}")
        for listen in ("localhost", "127.0.0.1:0", "127.0.0.1:99999", "127.0.0.1:80x"):
            code, _, err = run(r, ["serve", "--data", data, "--listen", listen], timeout=30)
            check(f"serve.bad_listen {listen}", code == 2 and "HOST:PORT" in err, f"{code}: {err}")
        code, _, err = run(r, ["serve", "--data", data, "--rate-limit", "-1"], timeout=30)
        check("serve.bad_rate", code == 2, f"{code}: {err}")

    return summary("submit cli")


if __name__ == "__main__":
    sys.exit(main())
