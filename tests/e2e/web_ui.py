#!/usr/bin/env python3
"""The web UI in a real browser: Playwright (playwright-core from web/node_modules) driving
Debian's Chromium (/usr/bin/chromium, headless) against a real `renkei serve` with a fresh SQLite
store holding the demo community (`renkei admin demo`).

This script sets the hub up, runs a canary HTTP server, writes a hostile mail whose every trick
(script, event handlers, javascript: links, CSS url() exfiltration, remote images and backgrounds,
iframes, meta refresh, forms, SVG) points at the canary, and runs web/e2e/ui.mjs, which logs in as
every role, submits mail through the UI, reads the verdict and the highlighted headers, checks
what a participant must not see, renders the hostile HTML — and the canary must stay silent.
Screenshots of the main pages in both languages go to <build>/web-screenshots.

Skips (exit 77) when /usr/bin/chromium is absent (scripts/test.sh installs it)."""
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

from _harness import Hub, check, parse_args, run, summary  # noqa: E402


class Canary(http.server.BaseHTTPRequestHandler):
    hits = []

    def do_GET(self):  # noqa: N802 (the standard library's name)
        Canary.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/gif")
        self.end_headers()

    do_POST = do_GET

    def log_message(self, *args):
        pass


def hostile_mail(canary):
    c = f"http://canary.localtest.me:{canary}" if False else f"http://127.0.0.1:{canary}"
    html = f"""<html><head>
<meta http-equiv="refresh" content="0;url={c}/refresh">
<link rel="stylesheet" href="{c}/link.css">
<style>body {{ background: url({c}/style-bg.gif) }} @import url({c}/import.css);</style>
<script src="{c}/script.js"></script>
<script>window.parent.__pwned = true; alert('xss'); new Image().src = '{c}/inline-script';</script>
<base href="{c}/">
</head>
<body onload="alert('onload')">
<p>Invoice 2026-118: please pay today.</p>
<img src="{c}/canary-pixel.gif" width="1" height="1">
<img src="x" onerror="alert('onerror'); fetch('{c}/onerror')">
<a href="javascript:alert('js-link')">javascript link</a>
<a href="{c}/click">ordinary link</a>
<div style="background-image: url('{c}/inline-style.gif')">styled</div>
<table background="{c}/table-bg.gif"><tr><td>cell</td></tr></table>
<iframe src="{c}/iframe"></iframe>
<object data="{c}/object"></object>
<svg onload="alert('svg')"><image href="{c}/svg-image.png"/></svg>
<form action="{c}/form" method="post"><input name="password" type="password"><button>Log in</button></form>
<video poster="{c}/poster.jpg"></video>
</body></html>"""
    return ("From: Accounts <billing@b-companys-cc.com>\r\nTo: alice@example-mfg-usa.com\r\n"
            "Subject: Invoice 2026-118 (hostile HTML test)\r\nMessage-ID: <hostile-ui@test>\r\n"
            "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n"
            "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nInvoice 2026-118: please pay today.\r\n"
            f"--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n--b--\r\n").encode()


def api(hub, path, token):
    req = urllib.request.Request(hub.url + "/api/v1" + path, headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)


def web_root_option():
    """--web-root DIR (or RENKEI_WEB_ROOT): the built UI to test; by default the one beside the binary."""
    if "--web-root" in sys.argv:
        i = sys.argv.index("--web-root")
        value = sys.argv[i + 1]
        del sys.argv[i:i + 2]
        return os.path.abspath(value)
    return os.environ.get("RENKEI_WEB_ROOT") or None


def main():
    web_root_given = web_root_option()
    args = parse_args()
    r = args.renkei
    chromium = "/usr/bin/chromium"
    if not os.path.exists(chromium):
        print("SKIP: /usr/bin/chromium is missing (scripts/test.sh installs Debian's chromium)")
        return 77
    node = shutil.which("node")
    web_root = web_root_given or os.path.join(os.path.dirname(os.path.abspath(r)), "web")
    check("ui_built", os.path.exists(os.path.join(web_root, "index.html")), web_root)
    check("node", node is not None, "Node.js is missing: run scripts/setup.sh")
    if not node or not os.path.exists(os.path.join(web_root, "index.html")):
        return summary("web ui")

    fx = os.path.join(args.source, "tests", "fixtures")
    canary = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Canary)
    threading.Thread(target=canary.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "hub")
        code, out, err = run(r, ["admin", "demo", "--data", data, "--format", "json", "--registry",
                                 os.path.join(fx, "registries", "seed.toml"), "--mails", os.path.join(fx, "seed"),
                                 os.path.join(fx, "ja_phishing"), os.path.join(fx, "benign")])
        check("demo", code == 0, f"{code}: {err}")
        if code != 0:
            return summary("web ui")
        accounts = {a["role"]: a for a in json.loads(out)["accounts"]}
        hostile = os.path.join(tmp, "hostile.eml")
        with open(hostile, "wb") as f:
            f.write(hostile_mail(canary.server_address[1]))

        with Hub(r, data, ["--web-root", web_root]) as hub:
            admin = accounts["hub_admin"]["token"]
            me = api(hub, "/me", accounts["submitter"]["token"])
            # The demo's mails are analysed in the background: wait for them (subjects come from
            # the analysis).
            for _ in range(240):
                everything, before = [], ""
                while True:
                    page = api(hub, "/submissions?limit=500" + before, admin)
                    everything += page["items"]
                    if not page.get("next_before"):
                        break
                    before = f"&before={page['next_before']}"
                if all(s["status"] in ("analysed", "failed") for s in everything):
                    break
                time.sleep(0.5)
            # Seed cases the browser checks the evidence of, found by their sender.
            wanted = {"michael.brown@b-company-gmbh.de": "cc_diverted", "board@mobile81-intern.com": "exec_sendgrid",
                      "t.yamada@example-mfg.co.jp": "mailto_trick"}
            cases = {}
            for s in everything:
                if s.get("kind") != "email" or s.get("subject") not in (
                        "RE: Refund of advance payment - PO 4500021876", "金融合併と買収につきまして", "Confidential request"):
                    continue
                a = api(hub, f"/submissions/{s['id']}", admin).get("analysis") or {}
                sender = ((a.get("message") or {}).get("from") or {}).get("address", "")
                if sender in wanted and (wanted[sender] != "mailto_trick" or (a["message"]["from"].get("trailing"))):
                    cases.setdefault(wanted[sender], s["id"])
            check("seed_cases_found", len(cases) == len(wanted),
                  json.dumps(cases) + " " + json.dumps(sorted({s.get("subject", "") for s in everything})[:40], ensure_ascii=False))
            own = [s["id"] for s in everything if s["organization_id"] == me["organization_id"]]
            other = next(s["id"] for s in everything if s["organization_id"] not in (None, me["organization_id"]))
            # The largest campaign, for the campaign pages (the demo's seed mails form several series).
            series = api(hub, "/campaigns?min_members=2&limit=200", admin)["items"]
            campaign = None
            if series:
                top = api(hub, f"/campaigns/{max(series, key=lambda c: c['members'])['id']}", admin)
                first = top["submissions"][0]
                campaign = {"id": top["id"], "members": len(top["submissions"]), "days": len(top["arrivals_per_day"]),
                            "subjects": len(top["subjects"]), "quarters": len(top["per_quarter"]),
                            "industries": len(top["industries"]), "sender": first["from"], "org": first["organization"],
                            "search": top["name"].split()[0]}
            check("campaign_found", campaign is not None and campaign["members"] >= 3, json.dumps(campaign))
            cfg = {
                "campaign": campaign,
                "url": hub.url,
                "chromium": chromium,
                "users": {role: {"login": a["login"], "password": a["password"]} for role, a in accounts.items()},
                "files": {"lookalike": os.path.join(fx, "seed", "q2-2020-case2-lookalike-domains-mdn-hong-kong-account.eml"),
                          "hostile": hostile,
                          "dropped": os.path.join(fx, "seed", "q2-2020-case1-reply-to-return-path-cc-diverted.eml")},
                "otherOrgSubmission": other,
                "cases": cases,
                # What the submitter's organisation has, and what the test itself will add.
                "ownOrgSubmissions": own + list(range(max(s["id"] for s in everything) + 1, max(s["id"] for s in everything) + 10)),
                "screenshots": (web_root_given.rstrip("/") + "-screenshots") if web_root_given else
                               os.path.join(os.path.dirname(os.path.abspath(r)), "web-screenshots"),
            }
            p = subprocess.run([node, os.path.join(args.source, "web", "e2e", "ui.mjs")], input=json.dumps(cfg).encode(),
                               capture_output=True, timeout=600, cwd=os.path.join(args.source, "web"))
            lines = [ln for ln in p.stdout.decode("utf-8", "replace").splitlines() if ln.startswith("{")]
            for ln in lines:
                res = json.loads(ln)
                if "measure" in res:  # a measurement for docs/web.md, not a check
                    print("measure:", ln)
                    continue
                check("browser." + res["name"], res["ok"], res["detail"])
            check("browser.ran", p.returncode in (0, 1) and len(lines) > 30,
                  f"exit {p.returncode}, {len(lines)} checks\n{p.stderr.decode('utf-8', 'replace')[-3000:]}")
            check("canary.silent", Canary.hits == [], f"the hostile mail reached the canary: {Canary.hits}")
    canary.shutdown()
    return summary("web ui")


if __name__ == "__main__":
    sys.exit(main())
