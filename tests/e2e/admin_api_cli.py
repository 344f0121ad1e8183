#!/usr/bin/env python3
"""End-to-end tests of the `renkei admin` subcommands that are clients of the hub's API (orgs,
users, tokens, sigs, liaison, categories) against a real `renkei serve` on a free loopback port with
a fresh SQLite store (bootstrap gives the first token): text tables (Japanese columns aligned),
--format json equal to the API's answer, changes visible through the API (a password set with
--password-stdin logs in), the hub's errors with message and hint and the documented exit codes
(1 refused, 2 usage or malformed, 3 no hub / bad token), and backup/restore refusing --database."""
import json
import os
import sys
import tempfile
import unicodedata
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _harness import Hub, check, parse_args, run, summary  # noqa: E402

PASSWORD = "a-long-enough-password-1"
NEW_PASSWORD = "another-long-password-2"


def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in s)


def column_starts(line, cells):
    """Display columns where each of `cells` starts in `line` (searched left to right)."""
    out, pos = [], 0
    for c in cells:
        i = line.index(c, pos)
        out.append(width(line[:i]))
        pos = i + len(c)
    return out


def api_get(hub, token, path):
    req = urllib.request.Request(hub.url + "/api/v1" + path, headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def login(hub, name, password):
    req = urllib.request.Request(hub.url + "/api/v1/session", data=json.dumps({"login": name, "password": password}).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def main():
    args = parse_args()
    r = args.renkei

    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "hub")
        code, out, err = run(r, ["admin", "bootstrap", "--data", data, "--format", "json"])
        check("bootstrap", code == 0, err)
        token = json.loads(out)["token"] if code == 0 else ""

        code, out, _ = run(r, ["admin", "--help"])
        check("help.lists_api_commands", code == 0 and all(g in out for g in ("orgs", "users", "tokens", "sigs", "liaison", "categories")), out)

        with Hub(r, data) as hub:
            env = dict(os.environ, RENKEI_SERVER=hub.url, RENKEI_TOKEN=token)

            def admin(*a, stdin=None, e=env):
                return run(r, ["admin", *a], stdin=stdin.encode() if isinstance(stdin, str) else stdin, env=e, timeout=60)

            # ---- Organisations ----
            code, out, err = admin("orgs", "create", "--name", "A Company", "--name-ja", "エー社", "--industry", "wholesale",
                                   "--domain", "a-company.co.jp", "--partner-domain", "b-company.co.jp", "--format", "json")
            org = json.loads(out) if code == 0 else {}
            check("orgs.create", code == 0 and org.get("name") == "A Company" and org.get("domains") == ["a-company.co.jp"], f"{code}: {out} {err}")
            org_id = org.get("id", 0)
            code, out, err = admin("orgs", "create", "--name", "Example Manufacturing", "--domain", "example-mfg.co.jp")
            check("orgs.create_text", code == 0 and out.startswith("created organisation ") and "Example Manufacturing" in out, f"{code}: {out} {err}")
            code, out, err = admin("orgs", "list")
            lines = out.splitlines()
            check("orgs.list_table", code == 0 and lines[0].split()[:4] == ["ID", "NAME", "NAME_JA", "INDUSTRY"]
                  and any("A Company" in ln and "エー社" in ln and "a-company.co.jp" in ln for ln in lines), out)
            code, out, err = admin("orgs", "list", "--format", "json")
            check("orgs.list_json_is_the_apis", code == 0 and json.loads(out) == api_get(hub, token, "/organizations"), out[:300])

            # update: what no option names is kept; a list given replaces the list
            code, out, err = admin("orgs", "update", str(org_id), "--domain", "a-company.co.jp", "--domain", "a-company.com")
            check("orgs.update", code == 0 and f"updated organisation {org_id}" in out, f"{code}: {out} {err}")
            o = api_get(hub, token, f"/organizations/{org_id}")
            check("orgs.update_replaced_domains", o.get("domains") == ["a-company.co.jp", "a-company.com"], o)
            check("orgs.update_kept_the_rest", o.get("name_ja") == "エー社" and o.get("partner_domains") == ["b-company.co.jp"]
                  and o.get("industry") == "wholesale", o)
            vips = {"vips": [{"name": "Ichiro Tanaka", "name_ja": "田中一郎", "title": "President", "addresses": ["i.tanaka@a-company.co.jp"]}]}
            vip_file = os.path.join(tmp, "vips.json")
            with open(vip_file, "w", encoding="utf-8") as f:
                json.dump(vips, f, ensure_ascii=False)
            code, out, err = admin("orgs", "update", str(org_id), "--from-json", vip_file, "--industry", "trade")
            o = api_get(hub, token, f"/organizations/{org_id}")
            check("orgs.update_from_json", code == 0 and o.get("vips") == vips["vips"] and o.get("industry") == "trade"
                  and o.get("domains") == ["a-company.co.jp", "a-company.com"], f"{code}: {err} {o}")
            code, out, err = admin("orgs", "update", str(org_id), "--from-json", "-", stdin=json.dumps({"name_ja": "エー株式会社"}))
            check("orgs.update_from_stdin", code == 0 and api_get(hub, token, f"/organizations/{org_id}").get("name_ja") == "エー株式会社",
                  f"{code}: {err}")
            code, out, err = admin("orgs", "show", str(org_id))
            check("orgs.show", code == 0 and "Ichiro Tanaka" in out and "a-company.com" in out and "エー株式会社" in out, f"{code}: {out} {err}")
            code, out, err = admin("orgs", "create", "--name", "A Company")
            check("orgs.duplicate_exit_1", code == 1 and "exists already" in err and out == "", f"{code}: {out} {err}")
            code, out, err = admin("orgs", "create", "--name", "Bad", "--domain", "not a domain")
            check("orgs.bad_domain_exit_2", code == 2 and "renkei admin orgs create:" in err, f"{code}: {err}")
            code, out, err = admin("orgs", "show", "999999")
            check("orgs.missing_exit_1", code == 1 and "no organisation here" in err, f"{code}: {err}")
            code, out, err = admin("orgs", "show", "abc")
            check("orgs.bad_id_exit_2", code == 2 and "not an id" in err, f"{code}: {err}")
            code, out, err = admin("orgs", "create")
            check("orgs.create_needs_name", code == 2 and "--name" in err, f"{code}: {err}")

            # ---- Users ----
            code, out, err = admin("users", "create", "--login", "alice", "--role", "submitter", "--org", str(org_id),
                                   "--display-name", "Alice Sato", "--password-stdin", "--format", "json", stdin=PASSWORD + "\n")
            alice = json.loads(out) if code == 0 else {}
            check("users.create", code == 0 and alice.get("login") == "alice" and alice.get("organization_id") == org_id, f"{code}: {out} {err}")
            check("users.create_no_password_echo", PASSWORD not in out, out)
            alice_id = alice.get("id", 0)
            check("users.password_set", login(hub, "alice", PASSWORD) == 200, "login with the password failed")
            code, out, err = admin("users", "create", "--login", "bob", "--role", "reader")
            check("users.participant_needs_org_exit_2", code == 2 and "organization_id" in err, f"{code}: {err}")
            code, out, err = admin("users", "list")
            row = [ln for ln in out.splitlines() if " alice " in f" {ln} "]
            check("users.list", code == 0 and out.splitlines()[0].split()[:5] == ["ID", "LOGIN", "ROLE", "ORG", "STATE"]
                  and row and "submitter" in row[0] and "active" in row[0] and "Alice Sato" in row[0], out)
            code, out, err = admin("users", "update", str(alice_id), "--disable")
            check("users.disable", code == 0 and "disabled" in out, f"{code}: {out} {err}")
            check("users.disabled_cannot_log_in", login(hub, "alice", PASSWORD) == 401, "a disabled user logged in")
            code, out, err = admin("users", "update", str(alice_id), "--enable", "--role", "reader", "--display-name", "Alice")
            u = api_get(hub, token, f"/users/{alice_id}")
            check("users.enable_and_role", code == 0 and u.get("disabled") is False and u.get("role") == "reader"
                  and u.get("display_name") == "Alice", f"{code}: {err} {u}")
            code, out, err = admin("users", "update", str(alice_id), "--password-stdin", stdin=NEW_PASSWORD + "\r\n")
            check("users.password_changed", code == 0 and login(hub, "alice", NEW_PASSWORD) == 200 and login(hub, "alice", PASSWORD) == 401,
                  f"{code}: {out} {err}")
            code, out, err = admin("users", "update", str(alice_id))
            check("users.update_nothing_exit_2", code == 2 and "nothing to change" in err, f"{code}: {err}")
            code, out, err = admin("users", "update", str(alice_id), "--disable", "--enable")
            check("users.update_contradiction_exit_2", code == 2, f"{code}: {err}")
            code, out, err = admin("users", "update", str(alice_id), "--password-stdin", stdin="")
            check("users.update_empty_password_exit_2", code == 2 and "no password" in err, f"{code}: {err}")
            code, out, err = admin("users", "update", "999999", "--disable")
            check("users.update_missing_exit_1", code == 1 and "no user here" in err, f"{code}: {err}")
            code, out, err = admin("users", "update", str(alice_id), "--role", "emperor")
            check("users.update_bad_role_exit_2", code == 2 and "unknown role" in err and "(" in err, f"{code}: {err}")

            # ---- Tokens ----
            code, out, err = admin("tokens", "create", "--name", "ci", "--scope", "read", "--format", "json")
            ci = json.loads(out) if code == 0 else {}
            check("tokens.create", code == 0 and ci.get("token", "").startswith("rk_") and ci.get("scopes") == ["read"], f"{code}: {out} {err}")
            code, out, err = admin("tokens", "list")
            check("tokens.list", code == 0 and any(" ci " in f" {ln} " and "read" in ln and "active" in ln for ln in out.splitlines())
                  and ci.get("token", "-") not in out and token not in out, out)
            code, out, err = admin("tokens", "create", "--user", str(alice_id), "--name", "alice-cli")
            alice_token = next((ln.strip() for ln in out.splitlines() if ln.strip().startswith("rk_")), "")
            check("tokens.create_for_user_text", code == 0 and alice_token and "not shown again" in out, f"{code}: {out} {err}")
            code, out, err = admin("tokens", "list", "--user", str(alice_id), "--format", "json")
            items = json.loads(out).get("items", []) if code == 0 else []
            check("tokens.list_for_user", code == 0 and [t.get("name") for t in items] == ["alice-cli"]
                  and all(t.get("user_id") == alice_id for t in items), f"{code}: {out} {err}")
            # A reader's token: the hub's refusal, with message and hint, exit 1.
            code, out, err = admin("users", "list", "--token", alice_token)
            check("refused_exit_1", code == 1 and "may not list users" in err and "ask a hub admin" in err, f"{code}: {err}")
            code, out, err = admin("tokens", "list", "--token", alice_token)
            check("tokens.participant_lists_own", code == 0 and "alice-cli" in out, f"{code}: {out} {err}")
            alice_token_id = items[0]["id"] if items else 0
            code, out, err = admin("tokens", "revoke", str(alice_token_id))
            check("tokens.revoke", code == 0 and f"revoked token {alice_token_id}" in out, f"{code}: {out} {err}")
            code, out, err = admin("tokens", "list", "--user", str(alice_id))
            check("tokens.list_revoked", code == 0 and "revoked" in out, out)
            code, out, err = admin("users", "list", "--token", alice_token)
            check("revoked_token_exit_3", code == 3 and "revoked" in err, f"{code}: {err}")
            code, out, err = admin("tokens", "revoke", str(alice_token_id))
            check("tokens.revoke_twice_exit_1", code == 1, f"{code}: {err}")
            code, out, err = admin("tokens", "create", "--scope", "root")
            check("tokens.bad_scope_exit_2", code == 2, f"{code}: {err}")

            # ---- SIGs, liaison networks, consultation categories ----
            code, out, err = admin("sigs", "create", "--name", "Electricity SIG", "--name-ja", "電力業界SIG", "--format", "json")
            sig = json.loads(out) if code == 0 else {}
            check("sigs.create", code == 0 and sig.get("members") == 0, f"{code}: {out} {err}")
            admin("sigs", "create", "--name", "Gas SIG", "--name-ja", "ガス業界SIG")
            code, out, err = admin("sigs", "add-member", str(sig.get("id", 0)), "--org", str(org_id), "--joined", "2020-04-01")
            check("sigs.add_member", code == 0 and f"in SIG {sig.get('id')} from 2020-04-01" in out, f"{code}: {out} {err}")
            code, out, err = admin("sigs", "add-member", str(sig.get("id", 0)), "--org", str(org_id), "--joined", "April")
            check("sigs.bad_date_exit_2", code == 2 and "YYYY-MM-DD" in err, f"{code}: {err}")
            code, out, err = admin("sigs", "create", "--name", "Water SIG", "--format", "json")
            water = json.loads(out).get("id", 0) if code == 0 else 0
            admin("sigs", "add-member", str(water), "--org", str(org_id), "--joined", "2021-04-01")
            code, out, err = admin("sigs", "leave", str(water), "--org", str(org_id), "--left", "2026-03-31")
            check("sigs.leave", code == 0 and "left SIG" in out and "2026-03-31" in out and "2021-04-01" in out, f"{code}: {out} {err}")
            code, out, err = admin("sigs", "leave", str(water), "--org", str(org_id), "--left", "2026-04-01")
            check("sigs.leave_twice_exit_1", code == 1 and "not a member" in err, f"{code}: {err}")
            code, out, err = admin("sigs", "list")
            lines = out.splitlines()
            elec = [ln for ln in lines if "Electricity SIG" in ln]
            gas = [ln for ln in lines if "Gas SIG" in ln]
            check("sigs.list", code == 0 and elec and elec[0].rstrip().endswith("1") and gas and gas[0].rstrip().endswith("0"), out)
            # Columns line up in a terminal, Japanese (double-width) names included.
            if elec and gas:
                head = column_starts(lines[0], ["ID", "NAME", "NAME_JA", "MEMBERS"])
                e = column_starts(elec[0], [str(sig.get("id")), "Electricity SIG", "電力業界SIG", "1"])
                check("sigs.table_aligned", head == e, f"{head} vs {e}\n{out}")
            code, out, err = admin("orgs", "show", str(org_id))
            check("orgs.show_memberships", code == 0 and "joined 2020-04-01" in out, out)
            code, out, err = admin("liaison", "create", "--name", "Medical associations", "--name-ja", "医療関係団体", "--members", "5500",
                                   "--org", str(org_id))
            check("liaison.create", code == 0 and "relays to 5500" in out, f"{code}: {out} {err}")
            code, out, err = admin("liaison", "list")
            check("liaison.list", code == 0 and any("Medical associations" in ln and "5500" in ln for ln in out.splitlines()), out)
            code, out, err = admin("liaison", "create", "--name", "Medical associations")
            check("liaison.duplicate_exit_1", code == 1, f"{code}: {err}")
            code, out, err = admin("categories", "create", "--key", "supply_chain", "--name", "Supply chain", "--name-ja", "サプライチェーン")
            check("categories.create", code == 0 and "supply_chain" in out, f"{code}: {out} {err}")
            code, out, err = admin("categories", "list")
            rows = out.splitlines()
            check("categories.list_last", code == 0 and rows[-1].startswith("supply_chain") and "サプライチェーン" in rows[-1], out)
            code, out, err = admin("categories", "list", "--format", "json")
            check("categories.json_is_the_apis", code == 0 and json.loads(out) == api_get(hub, token, "/consultation-categories"), out)
            code, out, err = admin("categories", "create", "--key", "supply_chain", "--name", "again")
            check("categories.duplicate_exit_1", code == 1 and "exists already" in err, f"{code}: {err}")
            code, out, err = admin("categories", "create", "--key", "Bad Key", "--name", "x")
            check("categories.bad_key_exit_2", code == 2 and "lowercase" in err, f"{code}: {err}")

            # ---- The audit log saw it all, through the API ----
            actions = {e["action"] for e in api_get(hub, token, "/audit?limit=500")["items"]}
            check("audit", {"organization.create", "organization.update", "user.create", "user.update", "token.create", "token.revoke",
                            "sig.create", "sig.membership", "liaison.create", "category.create"} <= actions, sorted(actions))

            # ---- Where the server and token come from ----
            no_env = {k: v for k, v in os.environ.items() if k not in ("RENKEI_SERVER", "RENKEI_TOKEN")}
            code, out, err = admin("orgs", "list", "--server", hub.url, "--token", token, e=no_env)
            check("flags_instead_of_env", code == 0 and "A Company" in out, f"{code}: {err}")
            code, out, err = admin("orgs", "list", "--server", hub.url, e=no_env)
            check("no_token_exit_2", code == 2 and "RENKEI_TOKEN" in err, f"{code}: {err}")
            code, out, err = admin("orgs", "list", "--token", "rk_" + "A" * 43)
            check("bad_token_exit_3", code == 3 and "unknown" in err, f"{code}: {err}")
            url = hub.url
        code, out, err = admin("orgs", "list", "--server", url)
        check("unreachable_exit_3", code == 3 and "cannot reach the hub" in err, f"{code}: {err}")

        # backup and restore copy SQLite only: with --database they say what to use instead.
        for cmd in (["backup", os.path.join(tmp, "b.db")], ["restore", vip_file]):
            code, out, err = run(r, ["admin", *cmd, "--data", data, "--database", "postgresql://renkei@127.0.0.1:1/renkei"])
            check(f"{cmd[0]}.refuses_database", code == 2 and "SQLite" in err and "pg_dump" in err, f"{code}: {err}")
        check("backup.nothing_written", not os.path.exists(os.path.join(tmp, "b.db")), "a file was written")

    return summary("admin api cli")


if __name__ == "__main__":
    sys.exit(main())
