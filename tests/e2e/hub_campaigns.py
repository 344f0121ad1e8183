#!/usr/bin/env python3
"""Campaigns in the hub, through the real `renkei serve` and its REST API, on SQLite and (when
ctest started one) on PostgreSQL with two servers assigning at once:

- every analysed mail is assigned to exactly one campaign as it arrives (the seed fixtures: the
  `.work` scam's two mails, the three variants of the mailto trick and the invoice fraud's two
  mails each in one campaign; members counted right);
- an analyst merges, splits, moves, pins and renames, and every decision is in the audit log;
  the assignments that follow respect them (a renamed campaign keeps its name as mails join);
- a participant sees the campaign of their own submission (id and name only) and never the
  campaigns API (403), nor another organisation's submission;
- on PostgreSQL, two servers taking the same burst give every mail exactly one campaign and the
  campaigns' counts add up to the mails.
"""
import glob
import json
import os
import sys
import tempfile
import time
import urllib.error
import urllib.request

from _harness import Hub, check, parse_args, postgres_database, run, summary  # noqa: E402


def call(url, token, method="GET", body=None, ctype=None, timeout=20):
    headers = {"Authorization": "Bearer " + token}
    if ctype:
        headers["Content-Type"] = ctype
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def wait_assigned(url, token, ids, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        missing = []
        for i in ids:
            status, j = call(f"{url}/api/v1/submissions/{i}", token)
            if status != 200 or j.get("campaign") is None:
                missing.append(i)
        if not missing:
            return True
        ids = missing
        time.sleep(0.3)
    return False


def scenario(label, r, source, tmp, db_args):
    data = os.path.join(tmp, label)
    code, out, err = run(r, ["admin", "demo", "--data", data, "--format", "json", *db_args])
    check(f"{label}.demo", code == 0, f"{code}: {err}")
    if code != 0:
        return
    tokens = {a["role"]: a["token"] for a in json.loads(out)["accounts"]}
    analyst, submitter = tokens["hub_analyst"], tokens["submitter"]
    seeds = sorted(glob.glob(os.path.join(source, "tests/fixtures/seed/*.eml")))
    with Hub(r, data, ["--workers", "2", "--rate-limit", "100000", *db_args]) as hub:
        api = hub.url + "/api/v1"
        ids = {}
        for path in seeds:
            with open(path, "rb") as f:
                status, j = call(api + "/submissions", submitter, "POST", f.read(), "message/rfc822")
            check(f"{label}.submit", status in (200, 201, 202), f"{path}: {status} {j}")
            ids[os.path.basename(path)[:-4]] = j.get("id")
        check(f"{label}.assigned", wait_assigned(hub.url, analyst, list(ids.values())), "not every mail got a campaign")

        def camp(name):
            return call(f"{api}/submissions/{ids[name]}", analyst)[1]["campaign"]["id"]

        check(f"{label}.work_scam_one_campaign",
              camp("q4-2020-sec5-fictitious-org-web-keiyaku-koushin") == camp("charset-mislabeled-sjis-body-labelled-iso-2022-jp"))
        trio = {camp(n) for n in ("q2-2020-case4-from-mailto-trick-quoted", "q2-2020-case4-from-mailto-trick-spec-form",
                                  "q2-2020-case4-from-mailto-trick-unquoted")}
        check(f"{label}.mailto_trick_one_campaign", len(trio) == 1, trio)
        check(f"{label}.invoice_fraud_one_campaign",
              camp("q2-2020-case3a-covid-lockdown-opener-freemail-reply-to") == camp("q2-2020-case3b-hold-payment-freemail-reply-to"))
        check(f"{label}.different_attackers_apart",
              camp("q4-2020-sec7-zoom-invitation-phishing") != camp("idn-homograph-apple-cyrillic-a"))

        status, listed = call(api + "/campaigns?limit=500", analyst)
        check(f"{label}.list", status == 200, listed)
        total = sum(c["members"] for c in listed.get("items", []))
        check(f"{label}.members_add_up", total == len(seeds), f"{total} members for {len(seeds)} mails")
        status, series = call(api + "/campaigns?min_members=2", analyst)
        check(f"{label}.series_filter", status == 200 and all(c["members"] >= 2 for c in series["items"]) and series["items"], series)
        status, recent = call(api + "/campaigns?limit=500&since=2020-10-01", analyst)
        check(f"{label}.since_filter", status == 200 and recent["items"]
              and all(c["last_seen"] >= "2020-10-01" for c in recent["items"])
              and len(recent["items"]) < len(listed["items"]), recent)
        status, bad = call(api + "/campaigns?since=yesterday", analyst)
        check(f"{label}.since_refused", status == 400, bad)
        trio_id = trio.pop()
        status, page = call(f"{api}/campaigns/{trio_id}", analyst)
        check(f"{label}.page", status == 200 and page["members"] == 3 and len(page["submissions"]) == 3
              and page["explanation"]["en"] and page["explanation"]["ja"] and page["arrivals_per_day"], page)
        check(f"{label}.page_mailbox", "relay@365-offices.com" in page["explanation"]["en"], page["explanation"])

        # The analyst's decisions.
        lynx = [n for n in ids if "cosmic-lynx" in n]
        lynx_camps = sorted({camp(n) for n in lynx})
        status, merged = call(f"{api}/campaigns/{lynx_camps[0]}/merge", analyst, "POST",
                              {"campaigns": lynx_camps[1:]} if len(lynx_camps) > 1 else {"campaigns": [trio_id]})
        check(f"{label}.merge", status == 200, merged)
        if len(lynx_camps) > 1:
            check(f"{label}.merged_all", {camp(n) for n in lynx} == {lynx_camps[0]}, {camp(n) for n in lynx})
        target = lynx_camps[0]
        status, renamed = call(f"{api}/campaigns/{target}", analyst, "PATCH", {"name": "Cosmic Lynx"})
        check(f"{label}.rename", status == 200 and renamed["name"] == "Cosmic Lynx" and renamed["name_locked"], renamed)
        one = ids[lynx[0]]
        status, split = call(f"{api}/campaigns/{target}/split", analyst, "POST", {"submissions": [one], "name": "split off"})
        check(f"{label}.split", status == 201 and split["members"] == 1 and split["name"] == "split off", split)
        status, moved = call(f"{api}/submissions/{one}/campaign", analyst, "PUT", {"campaign": target})
        check(f"{label}.move_back", status == 200 and moved["campaign"] == target and moved["pinned"], moved)
        status, unpinned = call(f"{api}/submissions/{one}/campaign", analyst, "PUT", {"pinned": False})
        check(f"{label}.unpin", status == 200 and not unpinned["pinned"], unpinned)
        status, bad = call(f"{api}/campaigns/{target}/merge", analyst, "POST", {"campaigns": [target]})
        check(f"{label}.merge_self_refused", status == 400, bad)
        status, gone = call(f"{api}/campaigns/999999", analyst)
        check(f"{label}.missing_404", status == 404, gone)

        # Later assignments respect the analyst's name: another Cosmic Lynx-like mail joins.
        with open(os.path.join(source, "tests/fixtures/seed/q4-2020-case3-cosmic-lynx-project-triton-vaccines.eml"), "rb") as f:
            again = f.read().replace(b"Project Triton", b"Project Andromeda").replace(b"Message-ID: <", b"Message-ID: <again-")
        status, j = call(api + "/submissions", submitter, "POST", again, "message/rfc822")
        check(f"{label}.submit_again", status in (200, 201, 202), j)
        check(f"{label}.assigned_again", wait_assigned(hub.url, analyst, [j.get("id")]))
        new_camp = call(f"{api}/submissions/{j.get('id')}", analyst)[1]["campaign"]
        check(f"{label}.joins_renamed_campaign", new_camp["id"] == target and new_camp["name"] == "Cosmic Lynx", new_camp)

        status, audit = call(api + "/audit?limit=100", tokens["hub_admin"])
        actions = {e["action"] for e in audit.get("items", [])}
        check(f"{label}.audited", {"campaign.merge", "campaign.rename", "campaign.split", "campaign.move", "campaign.unpin"} <= actions, actions)

        # Triage: the queue, proposals, decisions, folding and the conversation with the submitter.
        status, q = call(api + "/triage?limit=200", analyst)
        check(f"{label}.triage_queue", status == 200 and q["pending"] >= len(seeds) and q["items"], q)
        items = q.get("items", [])
        tiers = [0 if i["verdict"] == "bec" and i["targeting"] == "targeted" else 1 for i in items]
        check(f"{label}.triage_targeted_bec_first", tiers == sorted(tiers), tiers[:20])
        by_id = {i["submission_id"]: i for i in items}
        work = by_id.get(ids["q4-2020-sec5-fictitious-org-web-keiyaku-koushin"], {})
        check(f"{label}.triage_proposes", work.get("proposed", {}).get("decision") in ("share", "not_shared", "review")
              and work["proposed"]["why"]["ja"], work)
        malicious_lynx = [n for n in lynx if by_id.get(ids[n], {}).get("verdict") in ("bec", "phishing", "scam", "malware")]
        check(f"{label}.triage_lynx_malicious", len(malicious_lynx) >= 3, malicious_lynx)
        lynx = malicious_lynx + [n for n in lynx if n not in malicious_lynx]
        lynx_item = by_id.get(ids[lynx[1]], {})
        check(f"{label}.triage_lynx_share", lynx_item.get("proposed", {}).get("decision") == "share", lynx_item)
        status, t = call(f"{api}/submissions/{ids[lynx[1]]}/triage", analyst, "POST",
                         {"decision": "share", "note": "Cosmic Lynx again", "verdict": {"class": "bec", "bec_type": 2, "targeting": "targeted"}})
        check(f"{label}.triage_decide_share", status == 200 and t["state"] == "share" and t["analyst_verdict"]["bec_type"] == 2, t)
        status, q2 = call(api + "/triage?limit=200", analyst)
        sibling = next((i for i in q2.get("items", []) if i["submission_id"] == ids[lynx[2]]), {})
        check(f"{label}.triage_folds_campaign", sibling.get("proposed", {}).get("decision") == "share"
              and "share" in sibling["proposed"]["why"]["en"], sibling)
        status, cands = call(api + "/share-candidates", analyst)
        cand = next((c for c in cands.get("items", []) if c["campaign"] and c["campaign"]["id"] == target), None)
        check(f"{label}.share_candidate", status == 200 and cand and ids[lynx[1]] in cand["submissions"], cands)
        status, bad = call(f"{api}/submissions/{ids[lynx[2]]}/triage", analyst, "POST", {"decision": "not_shared"})
        check(f"{label}.not_shared_needs_reason", status == 400, bad)
        status, t = call(f"{api}/submissions/{ids[lynx[2]]}/triage", analyst, "POST", {"decision": "not_shared", "reason": "duplicate"})
        check(f"{label}.not_shared_duplicate", status == 200 and t["reason"] == "duplicate", t)
        asked = ids["q2-2020-case3a-covid-lockdown-opener-freemail-reply-to"]
        status, t = call(f"{api}/submissions/{asked}/triage", analyst, "POST",
                         {"decision": "needs_info", "question": "Did anyone reply to this sender?"})
        check(f"{label}.ask_submitter", status == 200 and t["state"] == "needs_info", t)
        status, own = call(f"{api}/submissions/{asked}", submitter)
        check(f"{label}.submitter_sees_state", own.get("triage", {}).get("state") == "needs_info" and "note" not in own["triage"], own.get("triage"))
        status, msgs = call(f"{api}/submissions/{asked}/messages", submitter)
        check(f"{label}.submitter_sees_question", status == 200 and msgs["items"] and msgs["items"][0]["from"] == "hub", msgs)
        status, ans = call(f"{api}/submissions/{asked}/messages", submitter, "POST", {"text": "Yes, accounting replied on 5/8."})
        check(f"{label}.submitter_answers", status == 201 and ans["from"] == "submitter", ans)
        status, back = call(f"{api}/submissions/{asked}", analyst)
        check(f"{label}.answer_back_to_queue", back.get("triage", {}).get("state") == "pending", back.get("triage"))
        for bad_body in ({"text": ""}, {"text": "x" * 8001}, {"text": 5}, ["not an object"]):
            status, j = call(f"{api}/submissions/{asked}/messages", submitter, "POST", bad_body)
            check(f"{label}.message_refused {str(bad_body)[:30]}", status == 400 and "error" in j, f"{status} {j}")
        status, j = call(f"{api}/submissions/{asked}/triage", analyst, "POST", {"decision": "share", "verdict": {"class": "x"}})
        check(f"{label}.bad_verdict_refused", status == 400, j)
        status, j = call(f"{api}/submissions/{asked}/triage", analyst, "POST", {"decision": "share", "verdict": {"bec_type": 9}})
        check(f"{label}.bad_bec_type_refused", status == 400, j)
        status, j = call(f"{api}/submissions/{asked}/messages", tokens["reader"], "POST", {"text": "reader"})
        check(f"{label}.reader_cannot_answer", status == 403, j)
        status, j = call(api + "/triage", submitter)
        check(f"{label}.participant_no_triage", status == 403, j)
        status, audit = call(api + "/audit?limit=200", tokens["hub_admin"])
        actions = {e["action"] for e in audit.get("items", [])}
        check(f"{label}.triage_audited", {"triage.decide", "triage.answer"} <= actions, actions)

        # A participant: their own submission's campaign (id and name), never the campaigns.
        status, own = call(f"{api}/submissions/{one}", submitter)
        check(f"{label}.participant_sees_own_campaign", status == 200 and set(own["campaign"]) == {"id", "name"}, own.get("campaign"))
        for path, method, body in (("/campaigns", "GET", None), (f"/campaigns/{target}", "GET", None),
                                   (f"/campaigns/{target}", "PATCH", {"name": "x"}),
                                   (f"/submissions/{one}/campaign", "PUT", {"pinned": True})):
            status, j = call(api + path, submitter, method, body)
            check(f"{label}.participant_refused {method} {path}", status == 403, f"{status} {j}")
        status, j = call(api + "/campaigns", tokens["reader"])
        check(f"{label}.reader_refused", status == 403, j)


def two_servers(r, source, tmp, db):
    """Two servers on one PostgreSQL take the same burst at once: one campaign per mail."""
    data = os.path.join(tmp, "pg2")
    code, out, err = run(r, ["admin", "demo", "--data", data, "--format", "json", "--database", db])
    check("pg2.demo", code == 0, err)
    if code != 0:
        return
    tokens = {a["role"]: a["token"] for a in json.loads(out)["accounts"]}
    seeds = sorted(glob.glob(os.path.join(source, "tests/fixtures/seed/*.eml")))
    args = ["--database", db, "--workers", "2", "--rate-limit", "100000"]
    with Hub(r, os.path.join(tmp, "a"), args) as a, Hub(r, os.path.join(tmp, "b"), args) as b:
        ids = []
        for n, path in enumerate(seeds):
            hub = a if n % 2 else b
            with open(path, "rb") as f:
                status, j = call(hub.url + "/api/v1/submissions", tokens["submitter"], "POST", f.read(), "message/rfc822")
            ids.append(j.get("id"))
        check("pg2.assigned", wait_assigned(a.url, tokens["hub_analyst"], ids))
        status, listed = call(a.url + "/api/v1/campaigns?limit=500", tokens["hub_analyst"])
        total = sum(c["members"] for c in listed.get("items", []))
        check("pg2.members_add_up", total == len(seeds), f"{total} members for {len(seeds)} mails")
        camps = {call(f"{a.url}/api/v1/submissions/{i}", tokens["hub_analyst"])[1]["campaign"]["id"] for i in ids}
        check("pg2.fewer_campaigns_than_mails", len(camps) < len(seeds), len(camps))


def main():
    args = parse_args()
    r = args.renkei
    with tempfile.TemporaryDirectory() as tmp:
        scenario("sqlite", r, args.source, tmp, [])
        db = postgres_database(f"rk_camp_{os.getpid()}")
        if db is None:
            print("note: no PostgreSQL server (ctest starts one): the PostgreSQL part is skipped")
        else:
            scenario("postgres", r, args.source, tmp, ["--database", db])
            db2 = postgres_database(f"rk_camp2_{os.getpid()}")
            two_servers(r, args.source, tmp, db2)
    return summary("hub_campaigns")


if __name__ == "__main__":
    sys.exit(main())
