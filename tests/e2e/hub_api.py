#!/usr/bin/env python3
"""End-to-end test of the hub's REST API (`renkei serve`, /api/v1) through the real binary and a
real server process on a loopback port, with a real SQLite data directory made by
`renkei admin bootstrap`.

Covered: organisations, users and tokens created through the API; every response checked against
the OpenAPI 3.1 document the server itself serves (status documented for the operation, media type,
JSON body valid against the schema, security headers); submissions (mail as message/rfc822 with
deduplication, analysis, raw bytes; JSON reports; validation errors); the authorisation matrix
over HTTP (every role x own/other organisation, token scopes, 401/403/404); the administration
endpoints for every role (users, token lists, organisation replacement, memberships, liaison
networks, consultation categories); browser sessions (password login, Set-Cookie attributes, the
cookie round trip, CSRF and Origin refusals, logout, disabled users, the login limit); keyset paging and
Japanese full-text search; limits; durability (three rounds of kill -9 during a burst of concurrent
submissions, restart, every acknowledged submission present exactly once, deduplication intact,
work left "analysing" requeued and everything analysed); clean shutdown on SIGTERM.

Only Debian's python3 standard library and python3-jsonschema."""
import base64
import hashlib
import http.client
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _harness import check, parse_args, run, summary  # noqa: E402

try:
    import jsonschema
    from jsonschema import Draft202012Validator
except ImportError:  # pragma: no cover - python3-jsonschema is a test dependency
    jsonschema = None

FIXTURE = "tests/fixtures/seed/q2-2020-case1-reply-to-return-path-cc-diverted.eml"
PASSWORD = "correct-horse-battery-staple-7"  # >= 12 characters
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
JA_PHRASE = "振込先口座変更"
JA_TEXT = "【至急】取引先を名乗る者から請求書の振込先口座変更を求めるメールを受信しました。電話で確認中です。"


# ---------------------------------------------------------------------------------------------
# The OpenAPI document: $ref resolution and per-response conformance, collected centrally.

def json_pointer(doc, ref):
    if not ref.startswith("#/"):
        raise KeyError(f"external $ref {ref!r}")
    node = doc
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[part]
    return node


def deref(node, doc, depth=0):
    """The schema with every local $ref replaced by its target (the document has no cycles)."""
    if depth > 64:
        raise RecursionError("$ref nesting too deep (a cycle?)")
    if isinstance(node, dict):
        if "$ref" in node:
            target = deref(json_pointer(doc, node["$ref"]), doc, depth + 1)
            rest = {k: deref(v, doc, depth + 1) for k, v in node.items() if k != "$ref"}
            if not rest:
                return target
            if isinstance(target, dict) and set(rest) <= {"description", "summary"}:
                return {**target, **rest}
            return {"allOf": [target, rest]}
        return {k: deref(v, doc, depth + 1) for k, v in node.items()}
    if isinstance(node, list):
        return [deref(v, doc, depth + 1) for v in node]
    return node


class Resp:
    def __init__(self, status, headers, raw):
        self.status = status
        self.headers = headers
        self.raw = raw
        self._json = None
        self._parsed = False

    @property
    def json(self):
        if not self._parsed:
            self._parsed = True
            try:
                self._json = json.loads(self.raw.decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                self._json = None
        return self._json

    def j(self, *keys, default=None):
        """A nested member of the JSON body, or default."""
        node = self.json
        for k in keys:
            if isinstance(node, dict) and k in node:
                node = node[k]
            elif isinstance(node, list) and isinstance(k, int) and -len(node) <= k < len(node):
                node = node[k]
            else:
                return default
        return node

    def __repr__(self):
        return f"HTTP {self.status} {self.raw[:300]!r}"


class Api:
    """HTTP client for /api/v1 that checks every response against the OpenAPI document."""

    def __init__(self):
        self.base = None
        self.doc = None
        self.ops = []  # (regex, template, path item)
        self.validators = {}
        self.lock = threading.Lock()
        self.results = {}  # "METHOD template status" -> [calls, [failures]]
        self.exercised = set()  # (METHOD, template)

    def load_spec(self, doc):
        self.doc = doc
        for template, item in doc.get("paths", {}).items():
            rx = re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$")
            self.ops.append((rx, template, item))

    def operation(self, method, path):
        for rx, template, item in self.ops:
            if rx.match(path):
                return template, item.get(method.lower())
        return None, None

    def validator(self, key, schema):
        v = self.validators.get(key)
        if v is None:
            v = Draft202012Validator(deref(schema, self.doc), format_checker=jsonschema.FormatChecker())
            self.validators[key] = v
        return v

    def record(self, key, failure=None):
        with self.lock:
            entry = self.results.setdefault(key, [0, []])
            entry[0] += 1
            if failure:
                entry[1].append(failure)

    def conform(self, method, path, resp, undocumented_ok):
        # Headers every response carries (docs/hub.md).
        hdr = []
        if resp.headers.get("X-Content-Type-Options", "").lower() != "nosniff":
            hdr.append("no X-Content-Type-Options: nosniff")
        if "no-store" not in resp.headers.get("Cache-Control", ""):
            hdr.append("no Cache-Control: no-store")
        if "default-src 'none'" not in resp.headers.get("Content-Security-Policy", ""):
            hdr.append("no default-src 'none' CSP")
        self.record("security headers on every response", f"{method} {path} {resp.status}: {', '.join(hdr)}" if hdr else None)
        if self.doc is None:
            return
        template, op = self.operation(method, path)
        if op is None:
            if not undocumented_ok:
                self.record(f"{method} {path} (no such operation in the document)", f"HTTP {resp.status}")
            return
        with self.lock:
            self.exercised.add((method, template))
        key = f"{method} {template} {resp.status}"
        responses = op.get("responses", {})
        spec = responses.get(str(resp.status), responses.get(f"{str(resp.status)[0]}XX", responses.get("default")))
        if spec is None:
            self.record(key, f"status {resp.status} is not documented for {method} {template} "
                             f"(documented: {', '.join(sorted(responses))}); body {resp.raw[:200]!r}")
            return
        try:
            spec = deref(spec, self.doc)
        except (KeyError, RecursionError) as e:
            self.record(key, f"cannot resolve the response's $ref: {e}")
            return
        content = spec.get("content")
        if not content:
            self.record(key)
            return
        ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
        media = {k.lower(): v for k, v in content.items()}
        if ctype not in media:
            self.record(key, f"Content-Type {ctype!r} is not one of {sorted(media)}")
            return
        schema = (media[ctype] or {}).get("schema")
        if schema is None:
            self.record(key)
            return
        if ctype != "application/json":
            self.record(key)
            return
        body = resp.json
        if body is None:
            self.record(key, f"the body is not JSON: {resp.raw[:200]!r}")
            return
        errors = sorted(self.validator(f"{method} {template} {resp.status} {ctype}", schema).iter_errors(body),
                        key=lambda e: list(e.absolute_path))
        if errors:
            e = errors[0]
            where = "/".join(str(p) for p in e.absolute_path)
            self.record(key, f"{len(errors)} schema error(s), first at /{where}: {e.message[:200]}")
        else:
            self.record(key)

    def call(self, method, path, token=None, body=None, ctype=None, query=None, authorization=None,
             timeout=20, undocumented_ok=False, headers=None):
        url = self.base + "/api/v1" + path + ("?" + urllib.parse.urlencode(query) if query else "")
        headers = dict(headers or {})
        if token is not None:
            headers["Authorization"] = "Bearer " + token
        if authorization is not None:
            headers["Authorization"] = authorization
        data = None
        if body is not None:
            if isinstance(body, (dict, list)):
                data = json.dumps(body, ensure_ascii=False).encode("utf-8")
                ctype = ctype or "application/json"
            elif isinstance(body, str):
                data = body.encode("utf-8")
            else:
                data = bytes(body)
        elif method in ("POST", "PUT", "PATCH"):
            data = b""
        if ctype is not None:
            headers["Content-Type"] = ctype
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                resp = Resp(r.status, r.headers, r.read())
        except urllib.error.HTTPError as e:
            resp = Resp(e.code, e.headers, e.read())
        self.conform(method, path, resp, undocumented_ok)
        return resp

    def report(self):
        """One check per (operation, status) seen, plus the headers check."""
        for key in sorted(self.results):
            calls, failures = self.results[key]
            check(f"openapi: {key}", not failures,
                  f"{len(failures)} of {calls} response(s) do not conform; first: {failures[0] if failures else ''}")


# ---------------------------------------------------------------------------------------------
# The server process.

def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    def __init__(self, renkei, data, log_dir):
        self.renkei = renkei
        self.data = data
        self.log_dir = log_dir
        self.port = free_port()
        self.proc = None
        self.log_path = None
        self.runs = 0

    def start(self, api, timeout=15.0):
        """Start `renkei serve` and wait for /health; True when it answers."""
        for attempt in range(3):
            self.runs += 1
            self.log_path = os.path.join(self.log_dir, f"serve-{self.runs}.stderr")
            with open(self.log_path, "wb") as err:
                self.proc = subprocess.Popen(
                    [self.renkei, "serve", "--data", self.data, "--listen", f"127.0.0.1:{self.port}", "--workers", "2"],
                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
            api.base = f"http://127.0.0.1:{self.port}"
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    break
                try:
                    r = api.call("GET", "/health", timeout=2)
                    if r.status == 200:
                        return True
                except (urllib.error.URLError, ConnectionError, socket.timeout, OSError):
                    pass
                time.sleep(0.05)
            self.stop()
            if "cannot listen" in self.stderr():
                self.port = free_port()  # taken meanwhile by someone else: another port
                continue
            return False
        return False

    def stderr(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except (OSError, TypeError):
            return ""

    def kill9(self):
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def terminate(self, timeout):
        """SIGTERM; (exit status, seconds) or (None, timeout) when it did not exit in time."""
        t0 = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None, timeout
        return rc, time.monotonic() - t0

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)


# ---------------------------------------------------------------------------------------------
# Helpers.

def small_mail(tag, line):
    """A small distinct mail for organisation A's domain."""
    return (f"From: \"Billing\" <billing@vendor-{tag}.example>\r\n"
            f"To: <h.sato@a-company.co.jp>\r\n"
            f"Subject: Invoice {tag}\r\n"
            f"Date: Tue, 22 Oct 2019 10:47:51 +0200\r\n"
            f"Message-ID: <{tag}@vendor.example>\r\n"
            f"MIME-Version: 1.0\r\n"
            f"Content-Type: text/plain; charset=us-ascii\r\n"
            f"\r\n"
            f"Hello,\r\n{line}\r\nRegards\r\n").encode("ascii")


def wait_analysed(api, token, sid, timeout=20.0):
    deadline = time.monotonic() + timeout
    r = None
    while time.monotonic() < deadline:
        r = api.call("GET", f"/submissions/{sid}", token)
        if r.status == 200 and r.j("status") in ("analysed", "failed"):
            return r
        time.sleep(0.1)
    return r


def list_all(api, token, limit=500, **query):
    """Every item of GET /submissions, following next_before; (items, pages, ok)."""
    items, pages, before = [], 0, None
    while True:
        q = dict(query, limit=limit)
        if before is not None:
            q["before"] = before
        r = api.call("GET", "/submissions", token, query=q)
        pages += 1
        if r.status != 200 or pages > 1000:
            return items, pages, False
        items.extend(r.j("items", default=[]))
        before = r.j("next_before")
        if before is None:
            return items, pages, True


def is_error_body(r):
    e = r.j("error")
    return (isinstance(e, dict) and isinstance(e.get("code"), str) and e["code"] != ""
            and isinstance(e.get("message"), str) and e["message"] != "" and isinstance(e.get("hint"), str))


# ---------------------------------------------------------------------------------------------

def main():
    args = parse_args()
    if jsonschema is None:
        print("hub api: python3-jsonschema is not installed; skipped")
        return 77
    t_start = time.monotonic()
    renkei = os.path.abspath(args.renkei)
    with open(os.path.join(args.source, FIXTURE), "rb") as f:
        fixture = f.read()

    with tempfile.TemporaryDirectory(prefix="renkei-hub-e2e-") as tmp:
        data = os.path.join(tmp, "hub")
        api = Api()
        server = Server(renkei, data, tmp)
        try:
            body(api, server, renkei, data, fixture)
        finally:
            server.stop()
            api.report()
    print(f"hub api: {time.monotonic() - t_start:.1f} s")
    return summary("hub api")


def body(api, server, renkei, data, fixture):
    # ---- 1. Set up ----------------------------------------------------------------------------
    code, out, err = run(renkei, ["admin", "bootstrap", "--data", data, "--format", "json"])
    check("setup.bootstrap", code == 0, f"{code}: {err}")
    boot = json.loads(out) if code == 0 else {}
    admin = boot.get("token", "")
    hub_org = boot.get("organization_id")
    check("setup.bootstrap_token", admin.startswith("rk_"), out)
    if not admin:
        return

    started = server.start(api)
    check("setup.serve_health", started, server.stderr())
    if not started:
        return
    check("setup.serve_says_listening", f"listening on http://127.0.0.1:{server.port}/" in server.stderr()
          and "/api/v1" in server.stderr(), server.stderr())
    r = api.call("GET", "/health")
    check("health.ok", r.status == 200 and r.j("status") == "ok" and isinstance(r.j("schema_version"), int), r)

    # ---- 3. The OpenAPI document (loaded first: every response from here on is checked) -------
    r = api.call("GET", "/openapi.json")
    doc = r.json if r.status == 200 else None
    check("openapi.served", isinstance(doc, dict), r)
    if not isinstance(doc, dict):
        return
    check("openapi.version_3_1_0", doc.get("openapi") == "3.1.0", doc.get("openapi"))
    check("openapi.content_type_json", r.headers.get("Content-Type", "").startswith("application/json"), r.headers.get("Content-Type"))
    bad_schemas = []
    for name, schema in doc.get("components", {}).get("schemas", {}).items():
        try:
            Draft202012Validator.check_schema(deref(schema, doc))
        except (jsonschema.exceptions.SchemaError, KeyError, RecursionError) as e:
            bad_schemas.append(f"{name}: {str(e)[:200]}")
    check("openapi.schemas_valid_2020_12", not bad_schemas, "; ".join(bad_schemas))
    unresolved = []
    for template, item in doc.get("paths", {}).items():
        try:
            deref(item, doc)
        except (KeyError, RecursionError) as e:
            unresolved.append(f"{template}: {e}")
    check("openapi.refs_resolve", not unresolved, "; ".join(unresolved))
    api.load_spec(doc)
    api.call("GET", "/health")  # checked against the document now
    api.call("GET", "/openapi.json")

    r = api.call("GET", "/me", admin)
    check("me.admin", r.status == 200 and r.j("role") == "hub_admin" and r.j("scopes") == ["admin"], r)

    # ---- 2. Organisations, users of every role, tokens ----------------------------------------
    org_a_body = {"name": "A Company", "name_ja": "エー社", "industry": "wholesale",
                  "domains": ["a-company.co.jp"], "partner_domains": ["b-company-gmbh.de"],
                  "vips": [{"name": "Ichiro Tanaka", "name_ja": "田中一郎", "title": "President",
                            "addresses": ["i.tanaka@a-company.co.jp"]}]}
    org_b_body = {"name": "Example Manufacturing", "name_ja": "例示製造", "industry": "manufacturing",
                  "domains": ["example-mfg.co.jp"], "partner_domains": ["b-company.co.jp"],
                  "vips": [{"name": "Taro Yamada", "name_ja": "山田太郎", "title": "CEO",
                            "addresses": ["t.yamada@example-mfg.co.jp"]}]}
    orgs = {}
    for key, b in (("A", org_a_body), ("B", org_b_body)):
        r = api.call("POST", "/organizations", admin, b)
        ok = r.status == 201 and isinstance(r.j("id"), int)
        check(f"org.create_{key}", ok, r)
        if not ok:
            return
        orgs[key] = r.j("id")
        check(f"org.create_{key}_echo", r.j("domains") == b["domains"] and r.j("partner_domains") == b["partner_domains"]
              and r.j("vips") == b["vips"] and r.j("name_ja") == b["name_ja"] and r.j("is_hub") is False, r)
    org_a, org_b = orgs["A"], orgs["B"]
    r = api.call("POST", "/organizations", admin, {"name": "A Company"})
    check("org.duplicate_name_409", r.status == 409 and is_error_body(r), r)
    r = api.call("POST", "/organizations", admin, {"name": "Bad domains", "domains": ["not a domain"]})
    check("org.bad_domain_400", r.status == 400 and is_error_body(r), r)
    r = api.call("POST", "/organizations", admin, {"name": "Wrong type", "domains": "a-company.co.jp"})
    check("org.wrong_type_400", r.status == 400 and is_error_body(r), r)
    r = api.call("POST", "/organizations", admin, {"industry": "no name"})
    check("org.no_name_400", r.status == 400 and is_error_body(r), r)

    users = {}   # "submitter_A" -> {"id", "token", "token_id", "org"}
    plan = [("hub_admin", "H", hub_org), ("hub_analyst", "H", hub_org)]
    for org_key in ("A", "B"):
        for role in ("submitter", "reader", "liaison"):
            plan.append((role, org_key, orgs[org_key]))
    for role, org_key, org_id in plan:
        name = f"{role}_{org_key}"
        r = api.call("POST", "/users", admin, {"login": f"{name}@e2e.example", "display_name": f"{role} of {org_key}",
                                               "password": PASSWORD, "role": role, "organization_id": org_id})
        ok = r.status == 201 and r.j("role") == role and r.j("organization_id") == org_id and r.j("disabled") is False
        check(f"user.create_{name}", ok, r)
        if not ok:
            return
        uid = r.j("id")
        r = api.call("POST", "/tokens", admin, {"user_id": uid, "name": f"e2e {name}"})
        ok = r.status == 201 and str(r.j("token", default="")).startswith("rk_") and isinstance(r.j("id"), int)
        check(f"token.create_{name}", ok, r)
        if not ok:
            return
        users[name] = {"id": uid, "token": r.j("token"), "token_id": r.j("id"), "org": org_id, "role": role, "org_key": org_key}
        me = api.call("GET", "/me", r.j("token"))
        check(f"token.works_{name}", me.status == 200 and me.j("id") == uid and me.j("role") == role
              and me.j("organization_id") == org_id, me)
    tok = {k: v["token"] for k, v in users.items()}
    r = api.call("POST", "/users", admin, {"login": "submitter_A@e2e.example", "password": PASSWORD,
                                           "role": "submitter", "organization_id": org_a})
    check("user.duplicate_login_409", r.status == 409 and is_error_body(r), r)
    r = api.call("POST", "/users", admin, {"login": "shortpw@e2e.example", "password": "short-pw",
                                           "role": "reader", "organization_id": org_a})
    check("user.short_password_400", r.status == 400 and is_error_body(r), r)
    r = api.call("POST", "/users", admin, {"login": "norole@e2e.example", "password": PASSWORD, "role": "superuser",
                                           "organization_id": org_a})
    check("user.unknown_role_400", r.status == 400 and is_error_body(r), r)
    r = api.call("POST", "/users", admin, {"login": "noorg@e2e.example", "password": PASSWORD, "role": "reader"})
    check("user.participant_needs_org_400", r.status == 400 and is_error_body(r), r)

    # ---- 4. Submissions -----------------------------------------------------------------------
    sub_a = tok["submitter_A"]
    r = api.call("POST", "/submissions", sub_a, fixture, ctype="message/rfc822")
    ok = r.status == 202 and isinstance(r.j("id"), int) and r.j("duplicate") is False
    check("submit.eml_202", ok, r)
    if not ok:
        return
    eml_id = r.j("id")
    check("submit.eml_location", r.headers.get("Location") == f"/api/v1/submissions/{eml_id}"
          and r.j("links", "self") == f"/api/v1/submissions/{eml_id}", r.headers.get("Location"))
    r = api.call("POST", "/submissions", sub_a, fixture, ctype="message/rfc822")
    check("submit.eml_duplicate_200", r.status == 200 and r.j("id") == eml_id and r.j("duplicate") is True, r)
    r = wait_analysed(api, sub_a, eml_id)
    check("submit.eml_analysed", r is not None and r.j("status") == "analysed", r)
    check("submit.eml_verdict_bec", r is not None and r.j("verdict") == "bec", r)
    check("submit.eml_analysis_schema", r is not None and r.j("analysis", "schema") == "renkei.analysis/1",
          r.j("analysis") if r else None)
    check("submit.eml_fields", r is not None and r.j("kind") == "email" and r.j("organization_id") == org_a
          and r.j("subject") == "RE: Refund of advance payment - PO 4500021876"
          and r.j("artefact", "sha256") == hashlib.sha256(fixture).hexdigest() and r.j("artefact", "size") == len(fixture)
          and r.j("channel") == "api" and r.j("error") is None, r)
    check("submit.timestamps_rfc3339", r is not None and RFC3339.match(str(r.j("submitted_at")))
          and RFC3339.match(str(r.j("analysed_at"))), f"{r.j('submitted_at')} {r.j('analysed_at')}" if r else None)
    r = api.call("GET", f"/submissions/{eml_id}/raw", sub_a)
    check("raw.exact_bytes", r.status == 200 and r.raw == fixture, f"HTTP {r.status}, {len(r.raw)} bytes vs {len(fixture)}")
    check("raw.attachment", r.headers.get("Content-Disposition", "").startswith("attachment"), r.headers.get("Content-Disposition"))
    check("raw.content_type", r.headers.get("Content-Type", "").startswith("message/rfc822"), r.headers.get("Content-Type"))

    # The mail view of the web UI: text, and HTML that runs and fetches nothing.
    html_mail = ("From: Accounts <billing@example.net>\r\nTo: a@a-company.co.jp\r\nSubject: HTML view\r\n"
                 "MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
                 "<p onclick=\"alert(1)\">Pay <b>today</b></p><script>alert(2)</script>"
                 "<img src=\"https://tracker.example/p.gif?u=a\"><a href=\"https://evil.example/x\">x</a>\r\n").encode()
    r = api.call("POST", "/submissions", sub_a, html_mail, ctype="message/rfc822")
    html_id = r.j("id")
    r = api.call("GET", f"/submissions/{html_id}/body", sub_a)
    check("body.text", r.status == 200 and "Pay today" in (r.j("text") or "") and r.j("has_html") is True, r)
    check("body.remote_images_listed", r.status == 200 and r.j("remote_images") == ["https://tracker.example/p.gif?u=a"], r)
    r = api.call("GET", f"/submissions/{html_id}/body.html", sub_a)
    csp = r.headers.get("Content-Security-Policy", "")
    check("body_html.sandbox_csp", r.status == 200 and "sandbox" in csp and "default-src 'none'" in csp
          and "script" not in csp, csp)
    check("body_html.sanitized", r.status == 200 and b"<b>today</b>" in r.raw and b"<script" not in r.raw
          and b"onclick" not in r.raw and b"tracker.example" not in r.raw and b"href=" not in r.raw, r.raw[:500])
    check("body_html.content_type", r.headers.get("Content-Type", "").startswith("text/html"), r.headers.get("Content-Type"))
    r = api.call("GET", f"/submissions/{eml_id}/body", sub_a)
    check("body.plain_mail", r.status == 200 and r.j("text"), r)

    comm_text = ("Phishing page reported by a partner: https://login.example-mfg-secure.com/owa/auth.php "
                 "hosted on 198.51.100.23, please block.")
    r = api.call("POST", "/submissions", sub_a, {"kind": "communication", "free_text": comm_text, "disclosure": "with_name"})
    ok = r.status == 202 and isinstance(r.j("id"), int)
    check("submit.json_communication_202", ok, r)
    comm_id = r.j("id")
    if ok:
        r = wait_analysed(api, sub_a, comm_id)
        inds = r.j("analysis", "indicators", default=[]) if r else []
        check("submit.communication_analysed", r is not None and r.j("status") == "analysed"
              and r.j("analysis", "schema") == "renkei.indicators/1", r)
        check("submit.communication_url", any(i.get("type") == "url" and "login.example-mfg-secure.com/owa/auth.php" in i.get("value", "")
                                              for i in inds), inds)
        check("submit.communication_ip", {"type": "ipv4-addr", "value": "198.51.100.23"} in inds, inds)
        check("submit.communication_fields", r.j("kind") == "communication" and r.j("disclosure") == "with_name"
              and r.j("free_text") == comm_text and r.j("artefact") is None, r)
        r = api.call("GET", f"/submissions/{comm_id}/raw", sub_a)
        check("raw.none_for_text_only_404", r.status == 404 and is_error_body(r), r)

    # The community's structure: SIGs with membership history, liaison networks.
    r = api.call("POST", "/sigs", admin, {"name": "Electricity SIG", "name_ja": "電力業界SIG"})
    check("sigs.create_201", r.status == 201 and r.j("members") == 0, r)
    sig_id = r.j("id")
    r = api.call("POST", "/sigs", sub_a, {"name": "Gas SIG"})
    check("sigs.participant_cannot_create_403", r.status == 403, r)
    if sig_id:
        r = api.call("POST", f"/sigs/{sig_id}/members", admin, {"organization_id": org_a, "joined_on": "2020-04-01"})
        check("sigs.member_201", r.status == 201 and r.j("left_on") is None, r)
        r = api.call("POST", f"/sigs/{sig_id}/members", admin, {"organization_id": org_a, "joined_on": "2020-04-31x"})
        check("sigs.bad_date_400", r.status == 400 and is_error_body(r), r)
    r = api.call("GET", "/sigs", sub_a)
    check("sigs.listed_with_count", r.status == 200 and any(g.get("members") == 1 for g in r.j("items", default=[])), r)
    # An organisation leaves a SIG: the membership is ended, its history kept.
    r = api.call("POST", "/sigs", admin, {"name": "Water SIG", "name_ja": "水道SIG"})
    water = r.j("id")
    r = api.call("POST", f"/sigs/{water}/members", admin, {"organization_id": org_a, "joined_on": "2021-04-01"})
    check("sigs.water_member_201", r.status == 201, r)
    r = api.call("PATCH", f"/sigs/{water}/members/{org_a}", sub_a, {"left_on": "2026-03-31"})
    check("sigs.participant_cannot_end_403", r.status == 403 and is_error_body(r), r)
    r = api.call("PATCH", f"/sigs/{water}/members/{org_a}", admin, {"left_on": "2021-03-31"})
    check("sigs.leave_before_joining_400", r.status == 400 and is_error_body(r), r)
    r = api.call("PATCH", f"/sigs/{water}/members/{org_a}", admin, {"left_on": "2026-03-31"})
    check("sigs.leave_200", r.status == 200 and r.j("joined_on") == "2021-04-01" and r.j("left_on") == "2026-03-31", r)
    r = api.call("PATCH", f"/sigs/{water}/members/{org_a}", admin, {"left_on": "2026-04-30"})
    check("sigs.leave_twice_404", r.status == 404 and is_error_body(r), r)
    r = api.call("GET", f"/organizations/{org_a}/memberships", admin)
    check("sigs.history_kept", r.status == 200 and {"sig_id": water, "organization_id": org_a, "joined_on": "2021-04-01",
                                                    "left_on": "2026-03-31"} in r.j("items", default=[]), r)
    r = api.call("GET", "/liaison-networks", sub_a)
    check("liaison.listed", r.status == 200 and isinstance(r.j("items"), list), r)

    r = api.call("GET", "/consultation-categories", sub_a)
    cats = [c.get("key") for c in r.j("items", default=[])]
    check("categories.listed", r.status == 200 and len(cats) >= 1, r)
    cons_id = None
    if cats:
        r = api.call("POST", "/submissions", sub_a, {"kind": "consultation", "consultation_category": cats[0],
                                                      "free_text": "Is this invoice genuine? 請求書の真偽について相談"})
        check("submit.consultation_202", r.status == 202, r)
        cons_id = r.j("id")
    r = api.call("POST", "/submissions", sub_a, {"kind": "consultation", "free_text": "no category"})
    check("submit.consultation_without_category_400", r.status == 400 and is_error_body(r), r)
    r = api.call("POST", "/submissions", sub_a, {"kind": "consultation", "consultation_category": "no-such-category",
                                                  "free_text": "unknown category"})
    check("submit.consultation_unknown_category_400", r.status == 400 and is_error_body(r), r)
    r = api.call("POST", "/submissions", sub_a, "just some text", ctype="text/plain")
    check("submit.wrong_content_type_415", r.status == 415 and is_error_body(r), r)
    r = api.call("POST", "/submissions", sub_a, '{"kind": "communication", "free_text": ', ctype="application/json")
    check("submit.malformed_json_400", r.status == 400 and is_error_body(r) and r.j("error", "hint") != "", r)
    r = api.call("POST", "/submissions", sub_a, {"kind": "pigeon", "free_text": "x"})
    check("submit.unknown_kind_400", r.status == 400 and is_error_body(r), r)
    r = api.call("POST", "/submissions", sub_a, {"kind": "communication", "free_text": 42})
    check("submit.wrong_type_400", r.status == 400 and is_error_body(r), r)
    r = api.call("POST", "/submissions", sub_a, {"kind": "email"})
    check("submit.empty_400", r.status == 400 and is_error_body(r), r)
    r = api.call("POST", "/submissions", sub_a, {"kind": "malware", "artefact_base64": "***not base64***"})
    check("submit.bad_base64_400", r.status == 400 and is_error_body(r), r)
    r = api.call("POST", "/submissions", sub_a, small_mail("disclosure-bad", "x"), ctype="message/rfc822",
                 query={"disclosure": "everyone"})
    check("submit.unknown_disclosure_400", r.status == 400 and is_error_body(r), r)
    b64_mail = small_mail("base64-json", "attached as base64 in JSON")
    r = api.call("POST", "/submissions", sub_a, {"kind": "email", "artefact_base64": base64.b64encode(b64_mail).decode()},
                 ctype="application/json; charset=utf-8")
    b64_id = r.j("id")
    check("submit.json_base64_email_202", r.status == 202, r)
    if b64_id:
        raw = api.call("GET", f"/submissions/{b64_id}/raw", sub_a)
        check("submit.json_base64_bytes_kept", raw.status == 200 and raw.raw == b64_mail, raw)
    q_mail = small_mail("disclosure-named", "with name")
    r = api.call("POST", "/submissions", sub_a, q_mail, ctype="message/rfc822", query={"disclosure": "with_name"})
    disc_id = r.j("id")
    check("submit.disclosure_query_202", r.status == 202, r)
    if disc_id:
        d = api.call("GET", f"/submissions/{disc_id}", sub_a)
        check("submit.disclosure_query_kept", d.j("disclosure") == "with_name", d)
    # RFC 9110 8.3.1: media type and subtype names are case-insensitive.
    r = api.call("POST", "/submissions", sub_a, small_mail("case", "upper-case media type"), ctype="Message/RFC822")
    check("submit.media_type_case_insensitive", r.status == 202, r)
    case_id = r.j("id") if r.status == 202 else None
    # Reports from outside the community: hub staff only.
    r = api.call("POST", "/submissions", tok["submitter_A"], {"kind": "communication", "free_text": "from outside",
                                                               "external_reporter": "Someone"})
    check("submit.external_reporter_participant_403", r.status == 403 and is_error_body(r), r)
    r = api.call("POST", "/submissions", tok["hub_analyst_H"], {"kind": "communication", "free_text": "report by phone from a non-member",
                                                                 "external_reporter": "Non-member Corp."})
    ext_id = r.j("id")
    check("submit.external_reporter_hub_202", r.status == 202, r)
    if ext_id:
        e = api.call("GET", f"/submissions/{ext_id}", tok["hub_admin_H"])
        check("submit.external_reporter_recorded", e.j("organization_id") is None and e.j("external_reporter") == "Non-member Corp.", e)

    # Org B's own submission (for the other-organisation checks).
    r = api.call("POST", "/submissions", tok["submitter_B"], small_mail("org-b-1", "B's own report"), ctype="message/rfc822")
    b_id = r.j("id")
    check("submit.org_b_202", r.status == 202 and isinstance(b_id, int), r)
    # The same bytes from another organisation are another submission (deduplication is per organisation).
    r = api.call("POST", "/submissions", tok["submitter_B"], fixture, ctype="message/rfc822")
    b_fixture_id = r.j("id")
    check("submit.dedup_per_organisation", r.status == 202 and r.j("duplicate") is False and b_fixture_id != eml_id, r)

    org_a_ids = {i for i in (eml_id, comm_id, cons_id, b64_id, disc_id, case_id, html_id) if isinstance(i, int)}
    org_b_ids = {i for i in (b_id, b_fixture_id) if isinstance(i, int)}

    # ---- 5. Authorisation matrix over HTTP ----------------------------------------------------
    nonexistent = 10_000_000
    for org_key, own, other, own_id, other_id, own_ids, other_ids in (
            ("A", org_a, org_b, eml_id, b_id, org_a_ids, org_b_ids),
            ("B", org_b, org_a, b_id, eml_id, org_b_ids, org_a_ids)):
        for role in ("submitter", "reader", "liaison"):
            name = f"{role}_{org_key}"
            t = tok[name]
            r = api.call("GET", f"/submissions/{own_id}", t)
            check(f"authz.{name}.own_submission_200", r.status == 200 and r.j("id") == own_id, r)
            check(f"authz.{name}.no_submitted_by", r.status == 200 and "submitted_by" not in r.json, r)
            r = api.call("GET", f"/submissions/{own_id}/raw", t)
            check(f"authz.{name}.own_raw_200", r.status == 200 and len(r.raw) > 0, r)
            r = api.call("GET", f"/submissions/{other_id}", t)
            check(f"authz.{name}.other_submission_404", r.status == 404 and is_error_body(r), r)
            r_missing = api.call("GET", f"/submissions/{nonexistent}", t)
            check(f"authz.{name}.other_submission_indistinguishable_from_missing",
                  r.status == 404 and r_missing.status == 404 and r.json == r_missing.json,
                  f"other organisation's: {r.raw!r}; nonexistent: {r_missing.raw!r}")
            r = api.call("GET", f"/submissions/{other_id}/raw", t)
            check(f"authz.{name}.other_raw_404", r.status == 404 and is_error_body(r) and b"From:" not in r.raw, r)
            for view in ("body", "body.html"):
                r = api.call("GET", f"/submissions/{other_id}/{view}", t)
                check(f"authz.{name}.other_{view}_404", r.status == 404 and is_error_body(r), r)
            r = api.call("GET", f"/submissions/{own_id}/body", t)
            check(f"authz.{name}.own_body_200", r.status == 200 and isinstance(r.j("text"), str), r)
            items, _, ok = list_all(api, t)
            seen = {i.get("id") for i in items}
            check(f"authz.{name}.list_own_only", ok and all(i.get("organization_id") == own for i in items)
                  and not (seen & other_ids) and own_ids <= seen, f"seen {sorted(seen)}; own {sorted(own_ids)}")
            check(f"authz.{name}.list_no_submitted_by", all("submitted_by" not in i for i in items), items[:1])
            r = api.call("GET", "/stats", t)
            check(f"authz.{name}.stats_own_only", r.status == 200 and r.j("total") == len(items)
                  and sum(r.j("by_status").values()) == len(items), f"{r.json if r.status == 200 else r}; list {len(items)}")
            r = api.call("GET", "/organizations", t)
            check(f"authz.{name}.organizations_only_own", r.status == 200 and [o.get("id") for o in r.j("items", default=[])] == [own], r)
            r = api.call("GET", f"/organizations/{own}", t)
            check(f"authz.{name}.own_organization_200", r.status == 200 and r.j("id") == own, r)
            r = api.call("GET", f"/organizations/{other}", t)
            check(f"authz.{name}.other_organization_404", r.status == 404 and is_error_body(r), r)
            r = api.call("GET", f"/organizations/{hub_org}", t)
            check(f"authz.{name}.hub_organization_404", r.status == 404, r)
            r = api.call("POST", "/submissions", t, small_mail(f"matrix-{name}", "matrix"), ctype="message/rfc822")
            if role == "submitter":
                check(f"authz.{name}.submit_202", r.status == 202, r)
                if r.status == 202:
                    own_ids.add(r.j("id"))
            else:
                check(f"authz.{name}.submit_403", r.status == 403 and is_error_body(r), r)
            r = api.call("POST", "/organizations", t, {"name": f"Rogue {name}"})
            check(f"authz.{name}.create_organization_403", r.status == 403 and is_error_body(r), r)
            r = api.call("POST", "/users", t, {"login": f"rogue-{name}@e2e.example", "password": PASSWORD,
                                               "role": "hub_admin"})
            check(f"authz.{name}.create_user_403", r.status == 403 and is_error_body(r), r)
            r = api.call("POST", "/tokens", t, {"user_id": users["hub_admin_H"]["id"], "scopes": ["read"]})
            check(f"authz.{name}.token_for_other_user_403", r.status == 403, r)
            r = api.call("GET", "/audit", t)
            check(f"authz.{name}.audit_403", r.status == 403 and is_error_body(r), r)
            r = api.call("DELETE", f"/tokens/{users['hub_analyst_H']['token_id']}", t)
            check(f"authz.{name}.revoke_other_users_token_404", r.status == 404 and is_error_body(r), r)
            r = api.call("DELETE", f"/tokens/{nonexistent}", t)
            check(f"authz.{name}.revoke_missing_token_404", r.status == 404 and is_error_body(r), r)
    r = api.call("GET", "/me", tok["hub_analyst_H"])
    check("authz.revoke_by_participant_had_no_effect", r.status == 200, r)

    all_ids = org_a_ids | org_b_ids | ({ext_id} if ext_id else set())
    for name in ("hub_admin_H", "hub_analyst_H"):
        t = tok[name]
        items, _, ok = list_all(api, t)
        seen = {i.get("id") for i in items}
        check(f"authz.{name}.sees_all_submissions", ok and all_ids <= seen, f"missing {sorted(all_ids - seen)}")
        check(f"authz.{name}.list_has_submitted_by", items and all("submitted_by" in i for i in items), items[:1])
        r = api.call("GET", f"/submissions/{eml_id}", t)
        check(f"authz.{name}.submitted_by", r.status == 200 and r.j("submitted_by") == users["submitter_A"]["id"], r)
        r = api.call("GET", f"/submissions/{b_id}/raw", t)
        check(f"authz.{name}.raw_any_org", r.status == 200, r)
        r = api.call("GET", "/stats", t, query={"since": "2000-01-01T00:00:00+09:00"})
        check(f"authz.{name}.stats_all", r.status == 200 and r.j("total") == len(items), f"{r.json if r.status == 200 else r}; list {len(items)}")
        r = api.call("GET", "/stats", t, query={"since": "last week"})
        check(f"authz.{name}.stats_bad_since_400", r.status == 400 and is_error_body(r), r)
        r = api.call("GET", "/audit", t, query={"limit": 50})
        actions = {e.get("action") for e in r.j("items", default=[])}
        check(f"authz.{name}.audit_200", r.status == 200 and "submission.create" in actions, r)
        r = api.call("GET", "/organizations", t)
        check(f"authz.{name}.organizations_all", r.status == 200
              and {org_a, org_b, hub_org} <= {o.get("id") for o in r.j("items", default=[])}, r)
        r = api.call("GET", f"/organizations/{org_b}", t)
        check(f"authz.{name}.other_organization_200", r.status == 200 and r.j("id") == org_b, r)
    r = api.call("POST", "/organizations", tok["hub_analyst_H"], {"name": "Analyst's org"})
    check("authz.hub_analyst.create_organization_403", r.status == 403, r)
    r = api.call("POST", "/users", tok["hub_analyst_H"], {"login": "x@e2e.example", "password": PASSWORD, "role": "reader",
                                                          "organization_id": org_a})
    check("authz.hub_analyst.create_user_403", r.status == 403, r)
    r = api.call("POST", "/organizations", tok["hub_admin_H"], {"name": "C Company", "domains": ["c-company.example"]})
    check("authz.hub_admin_created_via_api.create_organization_201", r.status == 201, r)

    # Token scopes: a "read" token cannot submit, and cannot mint a stronger token.
    r = api.call("POST", "/tokens", sub_a, {"name": "read only", "scopes": ["read"]})
    check("scopes.create_read_token_201", r.status == 201 and r.j("scopes") == ["read"], r)
    read_tok, read_tok_id = r.j("token"), r.j("id")
    if read_tok:
        r = api.call("POST", "/submissions", read_tok, small_mail("read-scope", "read only token"), ctype="message/rfc822")
        check("scopes.read_token_cannot_submit_403", r.status == 403 and is_error_body(r), r)
        r = api.call("GET", f"/submissions/{eml_id}", read_tok)
        check("scopes.read_token_reads_200", r.status == 200, r)
        r = api.call("POST", "/tokens", read_tok, {"name": "escalate", "scopes": ["submit"]})
        check("scopes.no_stronger_token_403", r.status == 403 and is_error_body(r), r)
        r = api.call("POST", "/tokens", read_tok, {"name": "escalate2", "scopes": ["read", "admin"]})
        check("scopes.no_admin_token_from_read_403", r.status == 403, r)
        r = api.call("POST", "/tokens", read_tok, {"name": "same"})
        check("scopes.default_scopes_are_creators", r.status == 201 and r.j("scopes") == ["read"], r)
    r = api.call("POST", "/tokens", tok["reader_A"], {"name": "reader wants submit", "scopes": ["submit"]})
    check("scopes.reader_cannot_mint_submit_403", r.status == 403, r)
    r = api.call("POST", "/tokens", sub_a, {"name": "bad scope", "scopes": ["root"]})
    check("scopes.unknown_scope_400", r.status == 400 and is_error_body(r), r)
    # A submit-only token (e.g. for a mail gateway) submits; reading is outside its scope.
    r = api.call("POST", "/tokens", sub_a, {"name": "gateway", "scopes": ["submit"]})
    gw = r.j("token")
    check("scopes.create_submit_token_201", r.status == 201 and r.j("scopes") == ["submit"], r)
    if gw:
        r = api.call("POST", "/submissions", gw, small_mail("gateway", "via gateway"), ctype="message/rfc822")
        check("scopes.submit_token_submits_202", r.status == 202, r)
        if r.status == 202:
            org_a_ids.add(r.j("id"))
        r = api.call("GET", f"/submissions/{eml_id}", gw)
        check("scopes.submit_token_cannot_read_403", r.status == 403 and is_error_body(r), r)
        r = api.call("GET", "/submissions", gw)
        check("scopes.submit_token_cannot_list_403", r.status == 403 and is_error_body(r), r)
        r = api.call("GET", f"/submissions/{eml_id}/raw", gw)
        check("scopes.submit_token_cannot_read_raw_403", r.status == 403 and is_error_body(r), r)

    # Authentication: 401 with WWW-Authenticate for missing, garbage, wrong scheme, revoked tokens.
    for label, kw in (("missing", {}), ("garbage", {"token": "rk_" + "x" * 43}),
                      ("not_bearer", {"authorization": "Basic YWRtaW46YWRtaW4="}), ("empty_bearer", {"authorization": "Bearer "})):
        r = api.call("GET", "/submissions", **kw)
        check(f"authn.{label}_401", r.status == 401 and is_error_body(r), r)
        check(f"authn.{label}_www_authenticate", r.headers.get("WWW-Authenticate", "").startswith("Bearer"), r.headers.get("WWW-Authenticate"))
    # Every operation the document marks as authenticated answers 401 without a token.
    probes = [("GET", "/me", None), ("GET", "/submissions", None), ("POST", "/submissions", {"free_text": "x"}),
              ("GET", f"/submissions/{eml_id}", None), ("GET", f"/submissions/{eml_id}/raw", None),
              ("GET", "/organizations", None), ("POST", "/organizations", {"name": "x"}),
              ("GET", f"/organizations/{org_a}", None), ("POST", "/users", {"login": "x", "role": "reader"}),
              ("POST", "/tokens", {}), ("DELETE", f"/tokens/{read_tok_id or 1}", None),
              ("GET", "/consultation-categories", None), ("GET", "/audit", None),
              ("GET", "/users", None), ("GET", f"/users/{users['reader_A']['id']}", None),
              ("PATCH", f"/users/{users['reader_A']['id']}", {"display_name": "x"}), ("GET", "/tokens", None),
              ("PUT", f"/organizations/{org_a}", {"name": "x"}), ("GET", f"/organizations/{org_a}/memberships", None),
              ("POST", "/liaison-networks", {"name": "x"}), ("POST", "/consultation-categories", {"key": "x", "name": "x"}),
              ("GET", "/session", None), ("DELETE", "/session", None)]
    for method, path, b in probes:
        r = api.call(method, path, body=b)
        check(f"authn.no_token_401 {method} {path}", r.status == 401 and "WWW-Authenticate" in r.headers, r)

    # Revocation: a participant revokes its own token; the hub admin revokes anyone's.
    if read_tok:
        r = api.call("DELETE", f"/tokens/{read_tok_id}", sub_a)
        check("tokens.revoke_own_200", r.status == 200 and r.j("revoked") is True and r.j("id") == read_tok_id, r)
        r = api.call("GET", "/me", read_tok)
        check("tokens.revoked_401", r.status == 401 and r.headers.get("WWW-Authenticate", "").startswith("Bearer"), r)
        r = api.call("DELETE", f"/tokens/{read_tok_id}", sub_a)
        check("tokens.revoke_twice_404", r.status == 404, r)
    r = api.call("POST", "/tokens", sub_a, {"name": "to be revoked by the hub"})
    victim, victim_id = r.j("token"), r.j("id")
    if victim:
        r = api.call("DELETE", f"/tokens/{victim_id}", admin)
        check("tokens.admin_revokes_any_200", r.status == 200, r)
        check("tokens.admin_revoked_401", api.call("GET", "/me", victim).status == 401, "still works")
    check("tokens.own_token_still_works", api.call("GET", "/me", sub_a).status == 200, "submitter's token broken")

    # ---- 5b. Administration endpoints x roles, browser sessions over HTTP ---------------------
    org_a_ids |= admin_endpoints(api, admin, users, org_a, org_b, org_a_body, sig_id)
    org_a_ids |= browser_sessions(api, admin, users, org_a)

    # ---- 6. Paging and search -----------------------------------------------------------------
    for i in range(12):
        r = api.call("POST", "/submissions", sub_a, small_mail(f"page-{i:02d}", f"paging line {i}"), ctype="message/rfc822")
        if r.status == 202:
            org_a_ids.add(r.j("id"))
        else:
            check(f"paging.submit_{i}", False, r)
    r = api.call("POST", "/submissions", sub_a, {"kind": "incident", "free_text": JA_TEXT})
    ja_id = r.j("id")
    check("search.ja_submit_202", r.status == 202, r)
    if ja_id:
        org_a_ids.add(ja_id)
    items, pages, ok = list_all(api, tok["reader_A"], limit=5)
    ids = [i.get("id") for i in items]
    check("paging.complete", ok and set(ids) == org_a_ids, f"missing {sorted(org_a_ids - set(ids))}, extra {sorted(set(ids) - org_a_ids)}")
    check("paging.each_once", len(ids) == len(set(ids)), ids)
    check("paging.newest_first", ids == sorted(ids, reverse=True), ids)
    check("paging.pages", pages >= (len(org_a_ids) + 4) // 5, f"{pages} pages for {len(org_a_ids)}")
    r = api.call("GET", "/submissions", tok["reader_A"], query={"limit": 5})
    check("paging.limit_respected", r.status == 200 and len(r.j("items", default=[])) == 5 and r.j("next_before") == r.j("items", -1, "id"), r)
    for bad in ({"limit": "0"}, {"limit": "501"}, {"limit": "ten"}, {"before": "x"}, {"status": "pending"}):
        r = api.call("GET", "/submissions", tok["reader_A"], query=bad)
        check(f"paging.bad_query_400 {bad}", r.status == 400 and is_error_body(r), r)
    r = api.call("GET", "/submissions", tok["reader_A"], query={"q": JA_PHRASE})
    check("search.ja_phrase_finds_exactly_it", r.status == 200 and [i.get("id") for i in r.j("items", default=[])] == [ja_id], r)
    r = api.call("GET", "/submissions", tok["hub_analyst_H"], query={"q": JA_PHRASE})
    check("search.ja_phrase_hub", r.status == 200 and [i.get("id") for i in r.j("items", default=[])] == [ja_id], r)
    r = api.call("GET", "/submissions", tok["reader_B"], query={"q": JA_PHRASE})
    check("search.ja_phrase_other_org_empty", r.status == 200 and r.j("items") == [], r)
    r = api.call("GET", "/submissions", tok["reader_A"], query={"q": "至急"})  # two characters: LIKE, not trigram
    check("search.ja_short_term", r.status == 200 and ja_id in [i.get("id") for i in r.j("items", default=[])], r)
    r = api.call("GET", "/submissions", tok["reader_A"], query={"kind": "incident"})
    check("search.kind_filter", r.status == 200 and [i.get("id") for i in r.j("items", default=[])] == [ja_id], r)
    r = api.call("GET", "/submissions", tok["reader_A"], query={"verdict": "bec"})
    check("search.verdict_filter", r.status == 200 and eml_id in [i.get("id") for i in r.j("items", default=[])]
          and all(i.get("verdict") == "bec" for i in r.j("items", default=[])), r)

    # Regression (hub hardening, finding 4): characters RFC 3986 allows unescaped in a query, as
    # browsers send them, and a malformed %-escape: an answer every time, never a dropped
    # connection; HEAD of the health check answers like GET.
    def raw(method, target, token=None):
        req = urllib.request.Request(api.base + target, method=method,
                                     headers={"Authorization": "Bearer " + token} if token else {})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return Resp(r.status, r.headers, r.read())
        except urllib.error.HTTPError as e:
            return Resp(e.code, e.headers, e.read())
        except (urllib.error.URLError, http.client.HTTPException, OSError) as e:
            return f"no HTTP response: {type(e).__name__}: {e}"
    r = raw("GET", "/api/v1/stats?since=2026-10-01T00:00:00Z", tok["reader_A"])
    check("query.raw_colon_in_since", isinstance(r, Resp) and r.status == 200 and r.j("since") == "2026-10-01T00:00:00Z", r)
    for q in ("a*", "(x)", "it's", "a,b", "x!", "$1", "a/b?c", "me@x"):
        r = raw("GET", "/api/v1/submissions?q=" + q, tok["reader_A"])
        check(f"query.raw_sub_delims {q}", isinstance(r, Resp) and r.status == 200, r)
    r = raw("GET", "/api/v1/health?x=%zz")
    check("query.bad_escape_400", isinstance(r, Resp) and r.status == 400 and is_error_body(r), r)
    r = raw("HEAD", "/api/v1/health")
    check("query.head_health_200", isinstance(r, Resp) and r.status == 200, r)

    # ---- Campaigns: every operation against the document (the scenario is hub_campaigns.py) --------
    ana = tok["hub_analyst_H"]
    mails = []
    for tag, line in (("camp-one", "Our bank details changed, see the attached form."),
                      ("camp-two", "Lunch is moved to Friday at noon.")):
        r = api.call("POST", "/submissions", sub_a, small_mail(tag, line), ctype="message/rfc822")
        mails.append(r.j("id"))
    placed = {}
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(placed) < len(mails):
        for m in mails:
            r = api.call("GET", f"/submissions/{m}", ana)
            if r.status == 200 and isinstance(r.j("campaign"), dict):
                placed[m] = r.j("campaign", "id")
        time.sleep(0.1)
    check("campaigns.assigned", len(placed) == 2, placed)
    if len(placed) == 2:
        c1 = placed[mails[0]]
        r = api.call("GET", "/campaigns", ana, query={"limit": 100, "since": "2019-01-01"})
        check("campaigns.list", r.status == 200 and any(i.get("id") == c1 for i in r.j("items", default=[])), r)
        r = api.call("GET", f"/campaigns/{c1}", ana)
        check("campaigns.read", r.status == 200 and r.j("submissions", 0, "submission_id") is not None, r)
        r = api.call("PATCH", f"/campaigns/{c1}", ana, {"name": "e2e campaign"})
        check("campaigns.rename", r.status == 200 and r.j("name") == "e2e campaign", r)
        r = api.call("POST", f"/campaigns/{c1}/split", ana, {"submissions": [mails[0]], "name": "e2e split"})
        check("campaigns.split", r.status == 201 and r.j("members") == 1, r)
        split_id = r.j("id")
        r = api.call("PUT", f"/submissions/{mails[1]}/campaign", ana, {"campaign": split_id, "pinned": True})
        check("campaigns.move", r.status == 200 and r.j("campaign") == split_id and r.j("pinned") is True, r)
        r = api.call("POST", f"/campaigns/{split_id}/merge", ana, {"campaigns": [c1]})
        check("campaigns.merge", r.status == 200 and r.j("members") == 2, r)
        r = api.call("GET", "/campaigns", sub_a)
        check("campaigns.participant_403", r.status == 403 and is_error_body(r), r)
        r = api.call("GET", f"/submissions/{mails[0]}", sub_a)
        check("campaigns.participant_sees_id_and_name", r.status == 200 and set(r.j("campaign", default={})) == {"id", "name"}, r)
        r = api.call("PATCH", f"/campaigns/{split_id}", ana, {"name": 5})
        check("campaigns.bad_name_400", r.status == 400 and is_error_body(r), r)
        # Triage: the queue, a decision, share candidates, the conversation.
        r = api.call("GET", "/triage", ana, query={"limit": 20})
        check("triage.queue", r.status == 200 and isinstance(r.j("pending"), int), r)
        r = api.call("POST", f"/submissions/{mails[0]}/triage", ana, {"decision": "share", "note": "e2e"})
        check("triage.decide", r.status == 200 and r.j("state") == "share", r)
        r = api.call("GET", "/share-candidates", ana)
        check("triage.candidates", r.status == 200 and any(mails[0] in c.get("submissions", []) for c in r.j("items", default=[])), r)
        r = api.call("POST", f"/submissions/{mails[1]}/messages", ana, {"text": "Was it opened?"})
        check("triage.question", r.status == 201 and r.j("from") == "hub", r)
        r = api.call("POST", f"/submissions/{mails[1]}/messages", sub_a, {"text": "No."})
        check("triage.answer", r.status == 201 and r.j("from") == "submitter", r)
        r = api.call("GET", f"/submissions/{mails[1]}/messages", sub_a)
        check("triage.conversation", r.status == 200 and len(r.j("items", default=[])) == 2, r)
        r = api.call("GET", "/triage", sub_a)
        check("triage.participant_403", r.status == 403 and is_error_body(r), r)

    # ---- Limits ----------------------------------------------------------------------------------
    # A file over the store's 64 MiB limit is refused with an error naming the limit; a body over
    # the server's 65 MiB limit gets the 413 "body too large" the document promises (not a reset).
    # ThreadSanitizer's build reads a large body many times slower: give it the time it needs.
    big_timeout = 240 if os.environ.get("TSAN_OPTIONS") else 30
    r = api.call("POST", "/submissions", sub_a, b"a" * ((64 << 20) + 10), ctype="message/rfc822", timeout=big_timeout)
    check("limits.file_over_64MiB_refused", r.status in (400, 413) and is_error_body(r) and "64 MiB" in r.j("error", "hint", default=""), r)
    try:
        r = api.call("POST", "/submissions", sub_a, b"a" * (66 << 20), ctype="message/rfc822", timeout=big_timeout)
        got = r
    except (urllib.error.URLError, http.client.HTTPException, OSError) as e:
        r, got = None, f"no HTTP response: {type(e).__name__}: {e}"
    check("limits.body_over_65MiB_413", r is not None and r.status == 413, got)
    check("limits.server_still_up", api.call("GET", "/health").status == 200, "server gone after a large body")

    # ---- 7. Durability: kill -9 during bursts of concurrent submissions -----------------------
    sub_b = tok["submitter_B"]
    for rnd, kill_after in enumerate((40, 8, 75)):
        if not durability_round(api, server, sub_b, org_b, f"r{rnd}", kill_after):
            return
    # A server killed in the middle of analyses leaves them "analysing" (analysis is too quick to
    # hit reliably with a signal): kill -9, put three submissions in exactly that state as a
    # killed worker leaves them, restart; the new server gives them back to the queue and analyses them.
    server.kill9()
    db = sqlite3.connect(os.path.join(data, "renkei.db"))
    victims = [sid for (sid,) in db.execute(
        "SELECT id FROM submissions WHERE org_id = ? AND status = 'analysed' ORDER BY id DESC LIMIT 3", (org_b,))]
    with db:
        db.executemany("UPDATE submissions SET status = 'analysing', claimed_by = 'serve-killed/0' WHERE id = ?",
                       [(v,) for v in victims])
    # (the kill may have caught a real analysis too)
    analysing = db.execute("SELECT count(*) FROM submissions WHERE status = 'analysing'").fetchone()[0]
    db.close()
    started = server.start(api)
    check("durability.killed_mid_analysis.restart", started, server.stderr())
    if not started:
        return
    check("durability.killed_mid_analysis.requeued", len(victims) == 3 and f", {analysing} requeued)" in server.stderr(), server.stderr())
    for v in victims:
        r = wait_analysed(api, sub_b, v)
        check(f"durability.killed_mid_analysis.analysed_again {v}", r is not None and r.j("status") == "analysed"
              and r.j("analysis", "schema") == "renkei.analysis/1", r)
    # Everything (acknowledged or not) reaches "analysed": work of the killed servers is requeued.
    deadline = time.monotonic() + 30
    pending = None
    while time.monotonic() < deadline:
        items, _, ok = list_all(api, tok["hub_analyst_H"])
        pending = [(i.get("id"), i.get("status")) for i in items if i.get("status") != "analysed"]
        if ok and not pending:
            break
        time.sleep(0.25)
    check("durability.all_analysed", pending == [], f"{len(pending or [])} not analysed: {(pending or [])[:5]}")
    check("durability.data_survives", api.call("GET", "/me", tok["reader_A"]).status == 200, "tokens lost")
    r = api.call("GET", f"/submissions/{eml_id}", sub_a)
    check("durability.earlier_analysis_survives", r.j("verdict") == "bec" and r.j("analysis", "schema") == "renkei.analysis/1", r)

    # ---- Conformance coverage ------------------------------------------------------------------
    documented = {(m.upper(), t) for t, item in doc.get("paths", {}).items() for m in item
                  if m in ("get", "post", "put", "delete", "patch")}
    check("openapi.every_operation_exercised", documented <= api.exercised, sorted(documented - api.exercised))

    # ---- 8. Clean shutdown ----------------------------------------------------------------------
    rc, secs = server.terminate(timeout=10)
    check("shutdown.sigterm_exit_0", rc == 0, f"exit {rc}; {server.stderr()}")
    check("shutdown.within_5s", rc is not None and secs < 5, f"{secs:.1f} s")
    check("shutdown.says_stopped", "renkei serve: stopped" in server.stderr(), server.stderr())


def admin_endpoints(api, admin, users, org_a, org_b, org_a_body, sig_id):
    """The administration endpoints for every role: users, token lists, organisation replacement,
    memberships, liaison networks and consultation categories. Returns the ids of organisation A's
    submissions made here."""
    if sig_id:
        r = api.call("POST", f"/sigs/{sig_id}/members", admin, {"organization_id": org_b, "joined_on": "2019-10-01", "left_on": "2020-09-30"})
        check("admin.membership_with_left_on_201", r.status == 201 and r.j("left_on") == "2020-09-30", r)
    target = users["reader_B"]["id"]
    for name, u in users.items():
        t, role, own = u["token"], u["role"], u["org"]
        is_admin, hub = role == "hub_admin", role in ("hub_admin", "hub_analyst")
        r = api.call("GET", "/users", t)
        if is_admin:
            logins = {x.get("login") for x in r.j("items", default=[])}
            check(f"admin.{name}.users_list_200", r.status == 200 and {f"{n}@e2e.example" for n in users} <= logins, r)
            check(f"admin.{name}.users_list_no_secrets", b"password" not in r.raw and b"argon2" not in r.raw, r.raw[:200])
        else:
            check(f"admin.{name}.users_list_403", r.status == 403 and is_error_body(r), r)
        r = api.call("GET", f"/users/{target}", t)
        check(f"admin.{name}.user_read_{200 if is_admin else 403}", r.status == (200 if is_admin else 403)
              and (not is_admin or r.j("id") == target), r)
        r = api.call("GET", "/users/10000000", t)
        check(f"admin.{name}.user_missing_{404 if is_admin else 403}", r.status == (404 if is_admin else 403), r)
        r = api.call("PATCH", f"/users/{target}", t, {"display_name": f"reader of B (renamed by {name})"})
        check(f"admin.{name}.user_patch_{200 if is_admin else 403}", r.status == (200 if is_admin else 403)
              and (not is_admin or r.j("display_name") == f"reader of B (renamed by {name})"), r)
        r = api.call("GET", "/tokens", t)
        items = r.j("items", default=[])
        check(f"admin.{name}.own_tokens_200", r.status == 200 and items and all(i.get("user_id") == u["id"] for i in items)
              and u["token_id"] in [i.get("id") for i in items], r)
        check(f"admin.{name}.own_tokens_no_secret", u["token"].encode() not in r.raw and all("token" not in i for i in items), r.raw[:200])
        other = users["reader_A"]["id"] if name != "reader_A" else users["reader_B"]["id"]
        r = api.call("GET", "/tokens", t, query={"user_id": other})
        check(f"admin.{name}.other_users_tokens_{200 if is_admin else 403}", r.status == (200 if is_admin else 403)
              and (not is_admin or all(i.get("user_id") == other for i in r.j("items", default=[]))), r)
        # Replacing organisation A (with its own data: nothing changes for the other checks).
        r = api.call("PUT", f"/organizations/{org_a}", t, org_a_body)
        want = 200 if is_admin else 403 if (hub or own == org_a) else 404
        check(f"admin.{name}.replace_organization_A_{want}", r.status == want and (want != 200 or r.j("domains") == org_a_body["domains"]), r)
        r = api.call("PUT", "/organizations/10000000", t, org_a_body)
        want_missing = 404 if (is_admin or not hub) else 403
        check(f"admin.{name}.replace_missing_organization_{want_missing}", r.status == want_missing, r)
        for org_key, org in (("A", org_a), ("B", org_b)):
            r = api.call("GET", f"/organizations/{org}/memberships", t)
            visible = hub or own == org
            check(f"admin.{name}.memberships_{org_key}_{200 if visible else 404}", r.status == (200 if visible else 404)
                  and (not visible or all(m.get("organization_id") == org for m in r.j("items", default=[]))), r)
        r = api.call("POST", "/liaison-networks", t, {"name": f"Network made by {name}", "represented_members": 12})
        check(f"admin.{name}.create_liaison_{201 if is_admin else 403}", r.status == (201 if is_admin else 403), r)
        r = api.call("POST", "/consultation-categories", t, {"key": f"made_by_{role}_{u['org_key'].lower()}", "name": f"By {name}"})
        check(f"admin.{name}.create_category_{201 if is_admin else 403}", r.status == (201 if is_admin else 403), r)
    r = api.call("GET", f"/organizations/{org_b}/memberships", admin)
    check("admin.memberships_dates", r.status == 200 and {"sig_id": sig_id, "organization_id": org_b, "joined_on": "2019-10-01",
                                                         "left_on": "2020-09-30"} in r.j("items", default=[]), r)
    r = api.call("GET", "/consultation-categories", users["reader_A"]["token"])
    check("admin.category_listed_last", r.status == 200 and r.j("items", -1, "key") == "made_by_hub_admin_h", r)
    r = api.call("POST", "/submissions", users["submitter_A"]["token"], {"kind": "consultation", "consultation_category": "made_by_hub_admin_h",
                                                                        "free_text": "a question in the new category"})
    check("admin.new_category_usable_202", r.status == 202, r)
    made = {r.j("id")} if r.status == 202 else set()
    r = api.call("POST", "/consultation-categories", admin, {"key": "made_by_hub_admin_h", "name": "again"})
    check("admin.category_duplicate_409", r.status == 409 and is_error_body(r), r)
    r = api.call("POST", "/consultation-categories", admin, {"key": "Not A Key", "name": "x"})
    check("admin.category_bad_key_400", r.status == 400 and is_error_body(r), r)
    r = api.call("GET", "/liaison-networks", users["reader_B"]["token"])
    check("admin.liaison_listed", r.status == 200 and "Network made by hub_admin_H" in [n.get("name") for n in r.j("items", default=[])], r)
    r = api.call("POST", "/liaison-networks", admin, {"name": "Bad count", "represented_members": -3})
    check("admin.liaison_bad_count_400", r.status == 400 and is_error_body(r), r)
    r = api.call("POST", "/liaison-networks", admin, {"name": "Bad org", "organization_id": 10000000})
    check("admin.liaison_bad_org_400", r.status == 400 and is_error_body(r), r)
    r = api.call("PUT", f"/organizations/{org_a}", admin, {"name": "Example Manufacturing"})
    check("admin.replace_organization_name_taken_409", r.status == 409 and is_error_body(r), r)
    r = api.call("PATCH", f"/users/{target}", admin, {"password": "short"})
    check("admin.user_patch_short_password_400", r.status == 400 and is_error_body(r), r)
    r = api.call("PATCH", f"/users/{target}", admin, {"login": "renamed"})
    check("admin.user_patch_unknown_member_400", r.status == 400 and is_error_body(r), r)
    r = api.call("GET", "/tokens", admin, query={"user_id": "abc"})
    check("admin.tokens_bad_user_id_400", r.status == 400 and is_error_body(r), r)
    r = api.call("GET", "/tokens", admin, query={"user_id": 10000000})
    check("admin.tokens_missing_user_404", r.status == 404 and is_error_body(r), r)
    r = api.call("GET", "/audit", admin, query={"limit": 500})
    actions = {e.get("action") for e in r.j("items", default=[])}
    check("admin.audited", {"user.update", "organization.update", "liaison.create", "category.create"} <= actions, sorted(actions))
    return made


def session_cookie(resp):
    """(value, attributes) of the renkei_session Set-Cookie of a response."""
    for h in resp.headers.get_all("Set-Cookie") or []:
        if h.startswith("renkei_session="):
            parts = [p.strip() for p in h.split(";")]
            return parts[0][len("renkei_session="):], {p.split("=")[0].lower(): (p.split("=", 1)[1] if "=" in p else True) for p in parts[1:]}
    return None, {}


def browser_sessions(api, admin, users, org_a):
    """Password login, the cookie round trip, CSRF and Origin refusals, logout, the login limit —
    over real HTTP. Returns the ids of organisation A's submissions made here."""
    made = set()
    login = "submitter_A@e2e.example"
    host = api.base[len("http://"):]
    r = api.call("POST", "/session", body={"login": login, "password": PASSWORD})
    check("session.login_200", r.status == 200 and r.j("user", "login") == login and r.j("user", "id") == users["submitter_A"]["id"], r)
    value, attrs = session_cookie(r)
    check("session.cookie_set", bool(value) and value.startswith("rk_"), r.headers.get_all("Set-Cookie"))
    for a in ("httponly", "secure"):
        check(f"session.cookie_{a}", attrs.get(a) is True, attrs)
    check("session.cookie_samesite_strict", attrs.get("samesite") == "Strict", attrs)
    check("session.cookie_path", attrs.get("path") == "/", attrs)
    check("session.cookie_max_age_12h", attrs.get("max-age") == "43200", attrs)
    check("session.no_password_echo", PASSWORD.encode() not in r.raw, r)
    csrf = r.j("csrf_token", default="")
    check("session.csrf_token", isinstance(csrf, str) and len(csrf) == 64, r)
    check("session.expires_at", isinstance(r.j("expires_at"), str) and RFC3339.match(r.j("expires_at")), r)
    if not value:
        return made
    cookie = {"Cookie": f"renkei_session={value}"}
    r = api.call("GET", "/me", headers=cookie)
    check("session.cookie_authenticates_me", r.status == 200 and r.j("id") == users["submitter_A"]["id"], r)
    r = api.call("GET", "/session", headers=cookie)
    check("session.get_200", r.status == 200 and r.j("csrf_token") == csrf and r.j("user", "login") == login, r)
    r = api.call("GET", "/submissions", headers=cookie)
    check("session.read_without_csrf_200", r.status == 200, r)
    r = api.call("GET", f"/organizations/{org_a}/memberships", headers=cookie)
    check("session.participant_reads_own_memberships", r.status == 200, r)
    incident = {"kind": "communication", "free_text": "posted from the browser: https://login.example-mfg-secure.com/"}
    r = api.call("POST", "/submissions", body=incident, headers=cookie)
    check("session.csrf_missing_403", r.status == 403 and is_error_body(r) and "X-CSRF-Token" in r.j("error", "message", default=""), r)
    r = api.call("POST", "/submissions", body=incident, headers={**cookie, "X-CSRF-Token": "0" * 64})
    check("session.csrf_wrong_403", r.status == 403 and is_error_body(r), r)
    r = api.call("POST", "/submissions", body=incident, headers={**cookie, "X-CSRF-Token": csrf, "Origin": "https://evil.example"})
    check("session.foreign_origin_403", r.status == 403 and is_error_body(r), r)
    r = api.call("POST", "/submissions", body=incident, headers={**cookie, "X-CSRF-Token": csrf, "Origin": f"http://{host}"})
    check("session.same_origin_with_csrf_202", r.status == 202, r)
    if r.status == 202:
        made.add(r.j("id"))
    r = api.call("POST", "/tokens", body={"name": "from the browser"}, headers={**cookie, "X-CSRF-Token": csrf})
    check("session.token_from_session_201", r.status == 201 and r.j("scopes") == [], r)
    r = api.call("GET", "/me", token=value.rsplit(".", 1)[0])
    check("session.secret_is_not_a_bearer_token_401", r.status == 401, r)
    # An admin's session: changes with PATCH and PUT need the token too.
    r = api.call("POST", "/session", body={"login": "hub_admin_H@e2e.example", "password": PASSWORD})
    admin_value, _ = session_cookie(r)
    admin_csrf = r.j("csrf_token", default="")
    admin_cookie = {"Cookie": f"renkei_session={admin_value}"}
    target = users["reader_A"]["id"]
    r = api.call("PATCH", f"/users/{target}", body={"display_name": "reader of A"}, headers=admin_cookie)
    check("session.patch_without_csrf_403", r.status == 403 and is_error_body(r), r)
    r = api.call("PATCH", f"/users/{target}", body={"display_name": "reader of A"}, headers={**admin_cookie, "X-CSRF-Token": admin_csrf})
    check("session.patch_with_csrf_200", r.status == 200, r)
    r = api.call("PATCH", f"/users/{target}", body={"display_name": "reader of A"}, headers={**admin_cookie, "X-CSRF-Token": csrf})
    check("session.other_sessions_csrf_403", r.status == 403, r)
    # Bearer wins when both are sent.
    r = api.call("GET", "/me", token=users["reader_B"]["token"], headers=admin_cookie)
    check("session.bearer_wins", r.status == 200 and r.j("id") == users["reader_B"]["id"], r)
    # Logout.
    r = api.call("DELETE", "/session", headers=cookie)
    check("session.logout_without_csrf_403", r.status == 403, r)
    r = api.call("DELETE", "/session", headers={**cookie, "X-CSRF-Token": csrf})
    cleared, cleared_attrs = session_cookie(r)
    check("session.logout_200", r.status == 200 and r.j("logged_out") is True, r)
    check("session.logout_clears_cookie", cleared == "" and cleared_attrs.get("max-age") == "0", r.headers.get_all("Set-Cookie"))
    r = api.call("GET", "/me", headers=cookie)
    check("session.after_logout_401", r.status == 401 and is_error_body(r), r)
    r = api.call("GET", "/session", headers=cookie)
    check("session.get_after_logout_401", r.status == 401, r)
    check("session.admin_session_unaffected", api.call("GET", "/session", headers=admin_cookie).status == 200, "admin logged out too")
    # Disabling a user ends their sessions at once.
    r = api.call("POST", "/session", body={"login": "liaison_B@e2e.example", "password": PASSWORD})
    lb_value, _ = session_cookie(r)
    lb = users["liaison_B"]["id"]
    r = api.call("PATCH", f"/users/{lb}", admin, {"disabled": True})
    check("session.disable_user_200", r.status == 200 and r.j("disabled") is True, r)
    r = api.call("GET", "/me", headers={"Cookie": f"renkei_session={lb_value}"})
    check("session.disabled_user_session_401", r.status == 401, r)
    check("session.disabled_user_token_401", api.call("GET", "/me", users["liaison_B"]["token"]).status == 401, "token still works")
    r = api.call("PATCH", f"/users/{lb}", admin, {"disabled": False})
    check("session.enable_user_200", r.status == 200 and r.j("disabled") is False, r)
    # Wrong credentials: one answer.
    wrong = api.call("POST", "/session", body={"login": login, "password": "not-the-password-1"})
    unknown = api.call("POST", "/session", body={"login": "nobody@e2e.example", "password": PASSWORD})
    check("session.wrong_password_401", wrong.status == 401 and is_error_body(wrong) and session_cookie(wrong)[0] is None, wrong)
    check("session.unknown_login_same_answer", unknown.status == 401 and unknown.json == wrong.json, f"{wrong} vs {unknown}")
    r = api.call("POST", "/session", body={"login": login, "password": 12345})
    check("session.malformed_login_400", r.status == 400 and is_error_body(r), r)
    r = api.call("GET", "/audit", admin, query={"limit": 500})
    entries = r.j("items", default=[])
    actions = {e.get("action") for e in entries}
    check("session.audited", {"session.login", "session.login_failed", "session.logout"} <= actions, sorted(actions))
    check("session.failed_login_names_the_login", any(e.get("action") == "session.login_failed" and e.get("object") == f"login:{login}"
                                                      for e in entries), entries[:3])
    check("session.audit_has_no_passwords", PASSWORD.encode() not in r.raw and b"not-the-password-1" not in r.raw, "password in the audit log")
    # Guessing is slowed: 10 attempts from one address in a burst, then 429 with Retry-After.
    statuses = []
    for i in range(14):
        statuses.append(api.call("POST", "/session", body={"login": "guess@e2e.example", "password": f"guess-{i:02d}-xxxxxxxx"}))
        if statuses[-1].status == 429:
            break
    last = statuses[-1]
    check("session.login_rate_limited_429", last.status == 429 and is_error_body(last), [s.status for s in statuses])
    check("session.login_rate_limit_retry_after", last.headers.get("Retry-After", "0").isdigit() and int(last.headers.get("Retry-After", "0")) >= 1,
          last.headers.get("Retry-After"))
    check("session.login_rate_limit_not_before_10", all(s.status == 401 for s in statuses[:-1]) and len(statuses) >= 5,
          [s.status for s in statuses])
    r = api.call("POST", "/session", body={"login": login, "password": PASSWORD})
    check("session.limited_address_waits_429", r.status == 429, r)
    check("session.tokens_unaffected_by_login_limit", api.call("GET", "/me", admin).status == 200, "bearer refused")
    return made


def durability_round(api, server, token, org_id, label, kill_after, threads_n=8, per_thread=15):
    """One burst of concurrent submissions, kill -9 once `kill_after` were acknowledged, restart,
    and check every acknowledged submission is there exactly once. False when the server did not
    come back."""
    lock = threading.Lock()
    acked = {}        # sha256 -> id (a 202/200 with an id reached the client)
    attempted = {}    # sha256 -> bytes
    statuses = []
    stop = threading.Event()

    def burst(t):
        for i in range(per_thread):
            if stop.is_set():
                return
            mail = small_mail(f"burst-{label}-{t}-{i}", f"burst {label} thread {t} request {i} " + os.urandom(8).hex())
            sha = hashlib.sha256(mail).hexdigest()
            with lock:
                attempted[sha] = mail
            try:
                r = api.call("POST", "/submissions", token, mail, ctype="message/rfc822", timeout=10)
            except (urllib.error.URLError, http.client.HTTPException, OSError):
                return  # the server is gone
            with lock:
                statuses.append(r.status)
                if r.status in (200, 202) and isinstance(r.j("id"), int):
                    acked[sha] = r.j("id")

    workers = [threading.Thread(target=burst, args=(t,), daemon=True) for t in range(threads_n)]
    for w in workers:
        w.start()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with lock:
            if len(acked) >= kill_after:
                break
        time.sleep(0.001)
    server.kill9()
    stop.set()
    for w in workers:
        w.join(timeout=15)
    total = threads_n * per_thread
    check(f"durability.{label}.kill_partway", 0 < len(acked) < total, f"{len(acked)} of {total} acknowledged")
    check(f"durability.{label}.only_2xx_before_kill", all(s in (200, 202) for s in statuses), statuses)

    started = server.start(api)
    check(f"durability.{label}.restart", started, server.stderr())
    if not started:
        return False
    missing = []
    for sha, sid in sorted(acked.items(), key=lambda kv: kv[1]):
        r = api.call("GET", f"/submissions/{sid}", token)
        if r.status != 200 or r.j("artefact", "sha256") != sha or r.j("organization_id") != org_id:
            missing.append(f"{sid}: {r}")
    check(f"durability.{label}.acknowledged_ids_exist", not missing, f"{len(missing)} lost: {missing[:3]}")
    items, _, ok = list_all(api, token)
    counts = {}
    for it in items:
        sha = (it.get("artefact") or {}).get("sha256")
        if sha:
            counts[sha] = counts.get(sha, 0) + 1
    check(f"durability.{label}.list_ok", ok, "listing failed")
    check(f"durability.{label}.acknowledged_exactly_once", all(counts.get(sha) == 1 for sha in acked),
          [f"{sha[:12]}x{counts.get(sha)}" for sha in acked if counts.get(sha) != 1][:5])
    check(f"durability.{label}.no_duplicates", all(c == 1 for c in counts.values()),
          [f"{sha[:12]}x{c}" for sha, c in counts.items() if c != 1][:5])
    unacked_stored = sum(1 for sha in attempted if sha not in acked and counts.get(sha))
    requeued = re.search(r"(\d+) requeued", server.stderr())
    print(f"durability {label}: {len(acked)} of {total} acknowledged before kill -9 ({len(attempted)} sent), "
          f"{unacked_stored} committed without an acknowledgement (allowed), "
          f"{requeued.group(1) if requeued else 0} requeued on restart")
    # The deduplication survives the kill: the same bytes again give the acknowledged id.
    dup_bad = []
    for sha, sid in list(acked.items())[:10]:
        r = api.call("POST", "/submissions", token, attempted[sha], ctype="message/rfc822")
        if not (r.status == 200 and r.j("id") == sid and r.j("duplicate") is True):
            dup_bad.append(f"{sid}: {r}")
    check(f"durability.{label}.resubmit_is_duplicate", not dup_bad, dup_bad[:3])
    return True


if __name__ == "__main__":
    sys.exit(main())
