#!/usr/bin/env python3
"""End-to-end test of the README's main job: `renkei admin demo` fills a new hub with the demo
community, `renkei serve` analyses every submission, and every demo account works with its role."""
import json
import os
import sqlite3
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _harness import Hub, check, parse_args, run, summary  # noqa: E402


def get(hub, path, token):
    req = urllib.request.Request(hub.url + "/api/v1" + path, headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def main():
    args = parse_args()
    r = args.renkei
    fx = os.path.join(args.source, "tests", "fixtures")

    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "demo")
        code, out, err = run(r, ["admin", "demo", "--data", data, "--format", "json", "--registry",
                                 os.path.join(fx, "registries", "seed.toml"), "--mails",
                                 os.path.join(fx, "seed"), os.path.join(fx, "ja_phishing"), os.path.join(fx, "benign")])
        check("demo.exit", code == 0, f"{code}: {err}")
        demo = json.loads(out) if code == 0 else {"accounts": [], "submissions": 0}
        check("demo.few_hundred", 200 <= demo.get("submissions", 0) <= 1000, str(demo.get("submissions")))
        roles = {a["role"] for a in demo["accounts"]}
        check("demo.every_role", roles == {"hub_admin", "hub_analyst", "submitter", "reader", "liaison"}, str(roles))
        code, _, err = run(r, ["admin", "demo", "--data", data])
        check("demo.once", code == 2 and "organisations already" in err, f"{code}: {err}")

        db = sqlite3.connect(os.path.join(data, "renkei.db"))
        sigs = db.execute("SELECT COUNT(*) FROM sigs").fetchone()[0]
        multi = db.execute("SELECT COUNT(*) FROM (SELECT org_id FROM sig_memberships GROUP BY org_id HAVING COUNT(*) > 1)").fetchone()[0]
        left = db.execute("SELECT COUNT(*) FROM sig_memberships WHERE left_on IS NOT NULL").fetchone()[0]
        liaison = db.execute("SELECT represented_members FROM liaison_networks").fetchall()
        kinds = {k for (k,) in db.execute("SELECT DISTINCT kind FROM submissions")}
        external = db.execute("SELECT COUNT(*) FROM submissions WHERE external_reporter != ''").fetchone()[0]
        vips = db.execute("SELECT COUNT(*) FROM vips").fetchone()[0]
        db.close()
        check("community.sigs", sigs == 13, str(sigs))
        check("community.several_sigs", multi >= 5, str(multi))
        check("community.history", left >= 1, str(left))
        check("community.liaison", liaison == [(5500,)], str(liaison))
        check("community.kinds", kinds == {"email", "communication", "incident", "malware", "fake_site", "consultation"}, str(kinds))
        check("community.external", external >= 5, str(external))
        check("community.vips", vips >= 20, str(vips))

        accounts = {a["role"]: a for a in demo["accounts"]}
        with Hub(r, data) as hub:
            admin = accounts.get("hub_admin", {}).get("token", "")
            # A second server on the same SQLite data directory refuses to start (it would give
            # back the first one's work in progress).
            code, _, err = run(r, ["serve", "--data", data, "--listen", f"127.0.0.1:{hub.port + 1 if hub.port < 65535 else 1024}"],
                               timeout=30)
            check("serve.one_per_data_dir", code == 3 and "another renkei serve is using the data directory" in err, f"{code}: {err}")
            deadline = time.time() + 60
            queued = None
            while time.time() < deadline:
                queued = get(hub, "/submissions?status=queued&limit=1", admin)["items"]
                busy = get(hub, "/submissions?status=analysing&limit=1", admin)["items"]
                if not queued and not busy:
                    break
                time.sleep(0.3)
            check("serve.all_analysed", queued == [], "still queued after 60 s")
            counts = {}
            for verdict in ["bec", "phishing", "malware", "scam", "benign"]:
                counts[verdict] = len(get(hub, f"/submissions?verdict={verdict}&limit=500", admin)["items"])
            check("serve.verdicts", all(counts[v] > 0 for v in ["bec", "phishing", "benign"]), str(counts))
            for role, acc in accounts.items():
                me = get(hub, "/me", acc["token"])
                check(f"account.{role}", me["role"] == role and me["login"] == acc["login"], str(me))
            mine = get(hub, "/submissions?limit=500", accounts["submitter"]["token"])["items"]
            orgs = {s["organization_id"] for s in mine}
            check("participant.own_only", len(mine) > 0 and len(orgs) == 1, f"{len(mine)} items, orgs {orgs}")
            everything = get(hub, "/submissions?limit=500", accounts["hub_analyst"]["token"])["items"]
            check("analyst.sees_all", len(everything) == demo["submissions"], f"{len(everything)} of {demo['submissions']}")

    return summary("demo hub")


if __name__ == "__main__":
    sys.exit(main())
