#!/usr/bin/env python3
"""End-to-end tests of `renkei admin` through the real binary and a real SQLite file: migrate,
bootstrap (once per data directory), backup while in use, restore, and the audit trail."""
import json
import os
import re
import sqlite3
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _harness import check, parse_args, run, summary  # noqa: E402


def main():
    r = parse_args().renkei

    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "hub")
        code, out, err = run(r, ["admin", "migrate", "--data", data])
        check("migrate.exit", code == 0, f"{code}: {err}")
        m = re.search(r"schema version (\d+) \(was 0\)", out)
        check("migrate.says", m is not None and int(m.group(1)) >= 2, out)
        code, out, _ = run(r, ["admin", "migrate", "--data", data])
        check("migrate.idempotent", code == 0 and "already up to date" in out, out)

        code, out, err = run(r, ["admin", "bootstrap", "--data", data, "--format", "json", "--login", "root@hub.example"])
        check("bootstrap.exit", code == 0, f"{code}: {err}")
        boot = json.loads(out) if code == 0 else {}
        check("bootstrap.token", boot.get("token", "").startswith("rk_") and len(boot["token"]) == 46, out)
        check("bootstrap.password", len(boot.get("password", "")) >= 20, out)

        db = sqlite3.connect(os.path.join(data, "renkei.db"))
        row = db.execute("SELECT role, password_hash FROM users WHERE login = 'root@hub.example'").fetchone()
        check("bootstrap.user", row is not None and row[0] == "hub_admin", str(row))
        check("bootstrap.argon2id", row is not None and row[1].startswith("$argon2id$"), str(row))
        check("bootstrap.password_not_stored", boot.get("password", "x") not in (row[1] if row else ""), "plain password in db")
        digests = [d for (d,) in db.execute("SELECT digest FROM api_tokens")]
        check("bootstrap.token_hashed", len(digests) == 1 and boot.get("token") not in digests[0], str(digests))
        hub = db.execute("SELECT name, is_hub FROM organizations").fetchall()
        check("bootstrap.hub_org", hub == [("Information hub", 1)], str(hub))
        check("bootstrap.wal", db.execute("PRAGMA journal_mode").fetchone()[0] == "wal", "not WAL")
        db.close()

        code, _, err = run(r, ["admin", "bootstrap", "--data", data])
        check("bootstrap.once", code == 2 and "has an admin already" in err, f"{code}: {err}")

        # RENKEI_DATA instead of --data.
        env = dict(os.environ, RENKEI_DATA=os.path.join(tmp, "from-env"))
        code, out, err = run(r, ["admin", "bootstrap"], env=env)
        check("env.data", code == 0 and os.path.exists(os.path.join(tmp, "from-env", "renkei.db")), f"{code}: {err}")

        backup = os.path.join(tmp, "backup.db")
        code, out, err = run(r, ["admin", "backup", "--data", data, backup])
        check("backup.exit", code == 0 and os.path.exists(backup), f"{code}: {err}")
        code, _, err = run(r, ["admin", "backup", "--data", data, backup])
        check("backup.no_overwrite", code == 2 and "exists already" in err, f"{code}: {err}")

        restored = os.path.join(tmp, "restored")
        code, out, err = run(r, ["admin", "restore", "--data", restored, backup])
        check("restore.exit", code == 0, f"{code}: {err}")
        db = sqlite3.connect(os.path.join(restored, "renkei.db"))
        logins = [l for (l,) in db.execute("SELECT login FROM users")]
        check("restore.content", logins == ["root@hub.example"], str(logins))
        actions = [a for (a,) in db.execute("SELECT action FROM audit_log ORDER BY id")]
        check("audit.trail", actions[:2] == ["schema.migrate", "hub.bootstrap"] and actions[-1] == "hub.restore", str(actions))
        db.close()

        not_db = os.path.join(tmp, "not.db")
        with open(not_db, "w") as f:
            f.write("hello")
        code, _, err = run(r, ["admin", "restore", "--data", os.path.join(tmp, "x"), not_db])
        check("restore.refuses_garbage", code != 0 and err.strip() != "", f"{code}: {err}")

    return summary("admin cli")


if __name__ == "__main__":
    sys.exit(main())
