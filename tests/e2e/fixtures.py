#!/usr/bin/env python3
"""Data-driven end-to-end test: every tests/fixtures/**/<name>.eml with a <name>.expect.json
beside it goes through the real binary (`renkei analyze --format json`), and each expectation
is checked against the JSON Lines output (SPEC 4.6). See docs/fixtures.md.

    fixtures.py --renkei build/cli/renkei --source . [--shared ../shared/data]
    fixtures.py --self-check --source .        # validate the fixtures themselves, no renkei

Exit 0 when every check passes, 1 otherwise (a missing renkei binary is a failure, not a skip).
Python 3.11 standard library only.
"""
from __future__ import annotations

import argparse
import base64
import email
import email.policy
import hashlib
import html.parser
import io
import json
import os
import quopri
import re
import subprocess
import sys
import tomllib
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

SCHEMA = "renkei.analysis/1"

# Every signal id of SPEC 4.1-4.3.
SIGNAL_IDS = frozenset("""
    reply_to_diverges return_path_diverges cc_diverted cc_lookalike sender_lookalike
    freemail_reply_to freemail_embeds_identity display_name_has_address from_mailto_trick
    mdn_to_other executive_impersonation infrastructure_lure_address random_sender_domain
    auth_failed tracking_beacon charset_mislabeled
    payment_change_request payment_hold_request secrecy_urgency acquisition_pretext
    counsel_pretext crisis_pretext mobile_signoff thread_hijack signature_address_removed
    data_request credential_lure brand_impersonation fictitious_org_lure
    link_text_mismatch idn_homograph url_shortener encrypted_archive executable_attachment
    extension_mismatch macro_document html_attachment
""".split()) | frozenset("""
    scam_lure homoglyph_text callback_lure attachment_password_in_body recipient_in_link
""".split())  # the engine's own signals beyond SPEC 4 that fixtures expect (tests/fixtures/campaigns)

CLASSES = frozenset({"bec", "phishing", "malware", "scam", "spam", "benign", "unknown"})
MALICIOUS = frozenset({"bec", "phishing", "malware", "scam"})
TARGETING = frozenset({"targeted", "mass", "unknown"})
SEVERITY = {"info": 0, "low": 1, "medium": 2, "high": 3}
SETS = ("seed", "ja_phishing", "benign")
MIN_PER_SET = {"seed": 1, "ja_phishing": 20, "benign": 20}

EXPECT_KEYS = frozenset({
    "description", "registry", "signals", "absent_signals", "verdict", "malicious", "message",
    "needs_registry", "indicators", "attachments", "max_severity", "errors_allowed",
    "self_check_skip", "self_check_inner", "zip_password",
})
MESSAGE_KEYS = frozenset({"subject", "from.address", "from.name", "language", "return_path",
                          "reply_to.address", "to.address", "cc.address"})


# ============================================================================ discovery

@dataclass
class Fixture:
    eml: Path
    name: str            # path below tests/fixtures without .eml, e.g. "seed/q2-2020-case1-..."
    set: str             # first path component
    expect: dict
    registry: Path | None
    problems: list[str] = field(default_factory=list)


def discover(fixtures_root: Path) -> tuple[list[Fixture], list[str]]:
    fixtures, problems = [], []
    for eml in sorted(fixtures_root.rglob("*.eml")):
        rel = eml.relative_to(fixtures_root)
        if any(part.startswith("_") for part in rel.parts):
            continue
        exp_path = eml.with_name(eml.name[:-4] + ".expect.json")
        name = rel.as_posix()[:-4]
        if not exp_path.exists():
            problems.append(f"{name}: .eml without .expect.json (not run)")
            continue
        try:
            expect = json.loads(exp_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            problems.append(f"{name}: unreadable expect file: {e}")
            continue
        reg = expect.get("registry")
        registry = (eml.parent / reg).resolve() if isinstance(reg, str) else None
        fx = Fixture(eml=eml.resolve(), name=name, set=rel.parts[0], expect=expect, registry=registry)
        fx.problems = validate_expect(fx)
        fixtures.append(fx)
    for exp in sorted(fixtures_root.rglob("*.expect.json")):
        if not exp.with_name(exp.name[: -len(".expect.json")] + ".eml").exists():
            problems.append(f"{exp.relative_to(fixtures_root).as_posix()}: expect file without .eml")
    return fixtures, problems


def validate_expect(fx: Fixture) -> list[str]:
    """Structural checks of an expect file, so a typo cannot silently weaken a test."""
    e, out = fx.expect, []
    if not isinstance(e, dict):
        return ["expect file is not a JSON object"]
    for k in e:
        if k not in EXPECT_KEYS:
            out.append(f"unknown expect key {k!r}")
    if not isinstance(e.get("description"), str) or not e["description"].strip():
        out.append("missing description")
    for key in ("signals", "absent_signals"):
        v = e.get(key, [])
        if not isinstance(v, list) or not all(isinstance(s, str) for s in v):
            out.append(f"{key} must be a list of signal ids")
            continue
        for s in v:
            if s not in SIGNAL_IDS:
                out.append(f"{key}: {s!r} is not a known signal id")
    both = set(e.get("signals", [])) & set(e.get("absent_signals", []))
    if both:
        out.append(f"signals both expected and absent: {sorted(both)}")
    if not isinstance(e.get("malicious"), bool):
        out.append("missing boolean 'malicious'")
    v = e.get("verdict", {})
    if not isinstance(v, dict):
        out.append("verdict must be an object")
    else:
        for k, val in v.items():
            vals = val if isinstance(val, list) else [val]
            if k == "class" and not all(x in CLASSES for x in vals):
                out.append(f"verdict.class {val!r} not in {sorted(CLASSES)}")
            elif k == "bec_type" and not all(x is None or x in (1, 2, 3, 4, 5) for x in vals):
                out.append(f"verdict.bec_type {val!r} not 1-5/null")
            elif k == "targeting" and not all(x in TARGETING for x in vals):
                out.append(f"verdict.targeting {val!r} not in {sorted(TARGETING)}")
            elif k not in ("class", "bec_type", "targeting", "score"):
                out.append(f"unknown verdict key {k!r}")
        classes = v.get("class")
        if classes is not None and isinstance(e.get("malicious"), bool):
            cl = classes if isinstance(classes, list) else [classes]
            if any((c in MALICIOUS) != e["malicious"] for c in cl):
                out.append(f"verdict.class {classes!r} contradicts malicious={e['malicious']}")
    for k in e.get("message", {}):
        if k not in MESSAGE_KEYS:
            out.append(f"unknown message key {k!r}")
    if e.get("max_severity") is not None and e["max_severity"] not in SEVERITY:
        out.append(f"max_severity {e['max_severity']!r} not in {list(SEVERITY)}")
    if fx.registry is not None and not fx.registry.is_file():
        out.append(f"registry {e.get('registry')!r} does not exist")
    if e.get("needs_registry") and fx.registry is None:
        out.append("needs_registry without a registry")
    for ind in e.get("indicators", []):
        if not (isinstance(ind, dict) and set(ind) == {"type", "value"}):
            out.append(f"indicator {ind!r} must be {{type, value}}")
    for att in e.get("attachments", []):
        if not (isinstance(att, dict) and "filename" in att):
            out.append(f"attachment {att!r} needs a filename")
    return out


# ============================================================================ running renkei

def run_renkei(renkei: str, registry: Path | None, files: list[Path], timeout: int
               ) -> tuple[int | None, list[dict], list[str]]:
    cmd = [renkei, "analyze", "--format", "json"]
    if registry is not None:
        cmd += ["--registry", str(registry)]
    cmd += [str(f) for f in files]
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, [], [f"timed out after {timeout}s"]
    except OSError as e:
        return None, [], [f"cannot run {renkei}: {e}"]
    records, notes = [], []
    for n, line in enumerate(proc.stdout.decode("utf-8", "replace").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError as e:
            notes.append(f"stdout line {n} is not JSON ({e}): {line[:120]!r}")
            continue
        if isinstance(rec, dict):
            records.append(rec)
        else:
            notes.append(f"stdout line {n} is not a JSON object")
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        notes.append(f"exit status {proc.returncode}" + (f": {err[-1][:200]}" if err else ""))
    return proc.returncode, records, notes


def _key(p: str | os.PathLike) -> str:
    return os.path.normcase(os.path.realpath(p))


# ============================================================================ checking output

def _norm_domain(d: str) -> str:
    d = d.strip().rstrip(".").lower()
    try:
        return d.encode("idna").decode("ascii")
    except UnicodeError:
        return d


def _norm_indicator(t: str, v: str) -> str:
    v = str(v).strip()
    v = v.replace("[.]", ".").replace("hxxp", "http")
    if t == "domain-name":
        return _norm_domain(v)
    if t == "email-addr":
        local, _, dom = v.rpartition("@")
        return f"{local.lower()}@{_norm_domain(dom)}"
    if t == "url":
        try:
            u = urlsplit(v)
            host = _norm_domain(u.hostname or "")
            port = f":{u.port}" if u.port else ""
            rest = u.path.rstrip("/") + (f"?{u.query}" if u.query else "")
            return f"{u.scheme.lower()}://{host}{port}{rest}"
        except ValueError:
            return v
    return v.lower()


def _resolve(message: dict, path: str):
    """'from.address' -> message['from']['address']; maps over lists ('cc.address' -> [..])."""
    cur = message
    for part in path.split("."):
        if isinstance(cur, list):
            cur = [c.get(part) if isinstance(c, dict) else None for c in cur]
        elif isinstance(cur, dict):
            cur = cur.get(part)
        else:
            return None
    if path == "return_path" and isinstance(cur, dict):
        cur = cur.get("address")
    return cur


def _eq(path: str, want, got) -> bool:
    if isinstance(want, list):
        return isinstance(got, list) and len(want) == len(got) and all(
            _eq(path, w, g) for w, g in zip(want, got))
    if got is None or not isinstance(got, str):
        return False
    if path == "language":
        return want.split("-")[0].lower() == got.split("-")[0].lower()
    if path.endswith("address") or path == "return_path":
        return want.lower() == got.strip("<>").lower()
    return want == got


def check_record(fx: Fixture, rec: dict) -> list[str]:
    e, out = fx.expect, []
    if rec.get("schema") != SCHEMA:
        out.append(f"schema is {rec.get('schema')!r}, expected {SCHEMA!r}")
    sigs = rec.get("signals") if isinstance(rec.get("signals"), list) else []
    fired = {s.get("id"): s for s in sigs if isinstance(s, dict)}
    fired_ids = sorted(i for i in fired if isinstance(i, str))
    for s in e.get("signals", []):
        if s not in fired:
            out.append(f"signal {s} expected, not fired (fired: {', '.join(fired_ids) or 'none'})")
    for s in e.get("absent_signals", []):
        if s in fired:
            ev = fired[s].get("evidence")
            out.append(f"signal {s} must not fire (fired with evidence {str(ev)[:160]!r})")
    if e.get("max_severity"):
        cap = SEVERITY[e["max_severity"]]
        for sid, s in fired.items():
            sev = s.get("severity")
            if SEVERITY.get(sev, 99) > cap:
                out.append(f"signal {sid} has severity {sev!r}, at most {e['max_severity']!r} allowed")
    verdict = rec.get("verdict") if isinstance(rec.get("verdict"), dict) else {}
    for k, want in e.get("verdict", {}).items():
        got = verdict.get(k)
        ok = got in want if isinstance(want, list) else got == want
        if not ok:
            out.append(f"verdict.{k} expected {want!r}, found {got!r} "
                       f"(reasons: {verdict.get('reasons')})")
    got_mal = verdict.get("class") in MALICIOUS
    if "malicious" in e and got_mal != e["malicious"]:
        out.append(f"malicious expected {e['malicious']}, verdict.class is {verdict.get('class')!r}")
    msg = rec.get("message") if isinstance(rec.get("message"), dict) else {}
    for path, want in e.get("message", {}).items():
        got = _resolve(msg, path)
        if not _eq(path, want, got):
            out.append(f"message.{path} expected {want!r}, found {got!r}")
    inds = rec.get("indicators") if isinstance(rec.get("indicators"), list) else []
    have = {(i.get("type"), _norm_indicator(i.get("type", ""), i.get("value", "")))
            for i in inds if isinstance(i, dict)}
    for ind in e.get("indicators", []):
        if (ind["type"], _norm_indicator(ind["type"], ind["value"])) not in have:
            out.append(f"indicator {ind['type']} {ind['value']!r} missing")
    atts = rec.get("attachments") if isinstance(rec.get("attachments"), list) else []
    for want in e.get("attachments", []):
        match = [a for a in atts if isinstance(a, dict) and a.get("filename") == want["filename"]]
        if not match:
            names = [a.get("filename") for a in atts if isinstance(a, dict)]
            out.append(f"attachment {want['filename']!r} missing (found {names})")
            continue
        for k in ("sha256", "md5", "sha1", "size"):
            if k in want and not any(str(a.get(k, "")).lower() == str(want[k]).lower() for a in match):
                out.append(f"attachment {want['filename']!r} {k} expected {want[k]}, "
                           f"found {[a.get(k) for a in match]}")
    if not e.get("errors_allowed"):
        for k in ("errors", "limits_hit"):
            v = rec.get(k)
            if v:
                out.append(f"{k} not empty: {json.dumps(v, ensure_ascii=False)[:200]}")
    return out


def run_suite(args, fixtures: list[Fixture]) -> int:
    renkei = args.renkei
    if not renkei or not (os.path.isfile(renkei) and os.access(renkei, os.X_OK)):
        print(f"FAIL renkei binary not found or not executable: {renkei!r}")
        print(f"fixtures: 0 passed, {len(fixtures)} failed")
        return 1
    groups: dict[Path | None, list[Fixture]] = {}
    for fx in fixtures:
        groups.setdefault(fx.registry, []).append(fx)
    results: dict[str, list[str]] = {}
    records: dict[str, dict] = {}
    suite_failures: list[str] = []
    for reg, group in groups.items():
        label = f"registry {reg.name}" if reg else "no registry"
        by_key = {_key(fx.eml): fx for fx in group}
        recs_by_key: dict[str, list[dict]] = {}

        def collect(recs: list[dict]) -> None:
            for r in recs:
                src = r.get("source")
                k = _key(src) if isinstance(src, str) else None
                if k in by_key:
                    recs_by_key.setdefault(k, []).append(r)
                else:
                    print(f"NOTE output record with unknown source {src!r}")

        chunk = 200
        for i in range(0, len(group), chunk):
            part = group[i:i + chunk]
            rc, recs, notes = run_renkei(renkei, reg, [fx.eml for fx in part], args.timeout)
            collect(recs)
            missing = [fx for fx in part if _key(fx.eml) not in recs_by_key]
            if rc == 0 and not notes and not missing:
                continue
            # Exit status must be 0 when every input was read (SPEC 4.6 / docs/cli.md). Pin a
            # failing or incomplete batch to its files by running each of them alone.
            for n in notes:
                print(f"NOTE renkei ({label}, {len(part)} files): {n}")
            alone_ok = True
            for fx in part:
                rc1, recs1, notes1 = run_renkei(renkei, reg, [fx.eml], args.timeout)
                if _key(fx.eml) not in recs_by_key:
                    collect(recs1)
                if rc1 != 0 or notes1:
                    alone_ok = False
                    results.setdefault(fx.name, []).append(
                        "renkei run on this file alone: " + "; ".join(notes1 or [f"exit status {rc1}"]))
            if alone_ok:
                suite_failures.append(f"renkei batch run ({label}, {len(part)} files) failed although "
                                      f"each file alone succeeds: {'; '.join(notes) or 'missing output'}")
        for k, fx in by_key.items():
            fails = results.setdefault(fx.name, [])
            if fx.problems:
                fails.extend(f"bad expect file: {p}" for p in fx.problems)
                continue
            cands = recs_by_key.get(k, [])
            if not cands:
                fails.append("no output from renkei for this file")
                continue
            # Several records for one source (e.g. a report and its forwarded inner message):
            # judge the one that matches the expectation best.
            judged = [(check_record(fx, r), r) for r in cands]
            best, rec = min(judged, key=lambda t: len(t[0]))
            fails.extend(best)
            records[fx.name] = rec

    known = load_known_failures(Path(args.source) / "tests" / "fixtures" / "known_failures.txt")
    used: set[tuple[str, str]] = set()
    passed = failed = xfailed = 0
    per_set: dict[str, list[int]] = {}
    for fx in fixtures:
        fails = results.get(fx.name, ["not run"])
        expected_fail = []
        for f in list(fails):
            entry = next(((n, p) for n, p in known if n == fx.name and f.startswith(p)), None)
            if entry:
                used.add(entry)
                expected_fail.append(f)
                fails.remove(f)
        for f in expected_fail:
            print(f"XFAIL {fx.name}: {f}")
        row = per_set.setdefault(fx.set, [0, 0, 0])  # total, passed, verdict right
        row[0] += 1
        rec = records.get(fx.name)
        if rec is not None:
            v = rec.get("verdict") if isinstance(rec.get("verdict"), dict) else {}
            if (v.get("class") in MALICIOUS) == fx.expect.get("malicious"):
                row[2] += 1
        if expected_fail and not fails:
            xfailed += 1
        elif fails:
            failed += 1
            for f in fails:
                print(f"FAIL {fx.name}: {f}")
        else:
            passed += 1
            row[1] += 1
            if args.verbose:
                print(f"ok   {fx.name}")
    print()
    print(f"{'set':<14}{'fixtures':>9}{'all checks':>12}{'verdict':>10}")
    for s in sorted(per_set, key=lambda s: (SETS.index(s) if s in SETS else 99, s)):
        total, ok, verdict_ok = per_set[s]
        word = "clean" if s == "benign" else "caught"
        print(f"{s:<14}{total:>9}{ok:>12}{verdict_ok:>5}/{total:<3} {word}")
    for f in suite_failures:
        print(f"FAIL {f}")
    failed += len(suite_failures)
    for n, p in sorted(set(known) - used):
        if args.filter is None or args.filter in n:
            print(f"NOTE known failure no longer seen, remove it: {n} {p}".rstrip())
    print()
    if xfailed:
        print(f"{xfailed} fixtures fail only checks listed in tests/fixtures/known_failures.txt "
              "(counted as skipped)")
    print(f"fixtures: {passed} passed, {failed} failed" + (f", {xfailed} skipped" if xfailed else ""))
    return 0 if failed == 0 else 1


def load_known_failures(path: Path) -> list[tuple[str, str]]:
    """Optional list of failures the engine is known not to pass yet, one per line:
    '<fixture name>' (every check) or '<fixture name> <start of the FAIL text>'; '#' comments.
    Listed failures print as XFAIL and do not fail the run; an entry that no longer fails is
    reported so the list only shrinks."""
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, prefix = line.partition(" ")
            out.append((name, prefix.strip()))
    return out


# ============================================================================ self-check
# Validates the fixtures themselves with Python's email package: they parse, their subjects and
# senders decode to what the expect files say, attachments extract, and every expected signal
# has visible evidence in the message.

_EW = re.compile(r"=\?([^?\s*]+)(?:\*[^?\s]*)?\?([BbQq])\?([^?\s]*)\?=")
_CODEC = {"shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
          "iso-2022-jp": "iso2022_jp", "euc-jp": "euc_jp", "gb2312": "gb2312",
          "us-ascii": "ascii", "utf-8": "utf-8", "utf8": "utf-8"}
_ALTERNATIVES = ("utf-8", "cp932", "euc_jp", "iso2022_jp")


def _codec(charset: str) -> str:
    return _CODEC.get(charset.lower(), charset.lower())


def decode_rfc2047(raw: str, charset_override: dict | None = None) -> tuple[str, list[str]]:
    """Decode a header the way SPEC 4.5 asks: adjacent encoded-words of one charset are joined
    as bytes before decoding (multibyte characters and ISO-2022-JP state may straddle words).
    Returns (text, charsets used)."""
    raw = re.sub(r"\r?\n[ \t]", " ", raw)
    pieces: list[tuple[str | None, bytes | str]] = []
    pos, last_end_was_word = 0, False
    for m in _EW.finditer(raw):
        between = raw[pos:m.start()]
        if not (last_end_was_word and between.strip() == ""):
            if between:
                pieces.append((None, between))
        cs, enc, payload = m.group(1), m.group(2).upper(), m.group(3)
        if enc == "B":
            data = base64.b64decode(payload + "=" * (-len(payload) % 4))
        else:
            data = quopri.decodestring(payload.replace("_", " ").encode("ascii"), header=True)
        if pieces and pieces[-1][0] is not None and pieces[-1][0].lower() == cs.lower():
            pieces[-1] = (pieces[-1][0], pieces[-1][1] + data)
        else:
            pieces.append((cs, data))
        pos, last_end_was_word = m.end(), True
    if raw[pos:]:
        pieces.append((None, raw[pos:]))
    out, used = [], []
    for cs, data in pieces:
        if cs is None:
            out.append(data)
        else:
            codec = (charset_override or {}).get(cs.lower(), _codec(cs))
            used.append(cs)
            out.append(data.decode(codec, "replace"))
    return "".join(out).strip(), used


def _raw_header(data: bytes, name: str) -> str | None:
    """The first `name` header of the top-level header block, unfolded, as text (8-bit bytes
    read as UTF-8, else Latin-1), encoded-words left as they are."""
    head = re.split(rb"\r?\n\r?\n", data, maxsplit=1)[0]
    head = re.sub(rb"\r?\n(?=[ \t])", b"", head)
    for line in re.split(rb"\r?\n", head):
        k, sep, v = line.partition(b":")
        if sep and k.strip().lower() == name.lower().encode():
            try:
                return v.strip().decode("utf-8")
            except UnicodeDecodeError:
                return v.strip().decode("latin-1")
    return None


def _words_independent(raw: str) -> bool:
    """True when every encoded-word decodes on its own (RFC 2047 compliant), i.e. nothing is
    split between words; then Python's email package must agree with the expected subject."""
    for m in _EW.finditer(raw):
        cs, enc, payload = m.group(1), m.group(2).upper(), m.group(3)
        try:
            data = (base64.b64decode(payload + "=" * (-len(payload) % 4)) if enc == "B" else
                    quopri.decodestring(payload.replace("_", " ").encode("ascii"), header=True))
            text = data.decode(_codec(cs))
        except (UnicodeDecodeError, LookupError, ValueError):
            return False
        if _codec(cs) == "iso2022_jp" and data.count(b"\x1b$B") != data.count(b"\x1b(B"):
            return False
    return True


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.imgs: list[dict] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self._href, self._text = a["href"], []
        elif tag == "img":
            self.imgs.append(a)

    def handle_data(self, d):
        if self._href is not None:
            self._text.append(d)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append(("".join(self._text).strip(), self._href))
            self._href = None


_URL = re.compile(r"https?://[^\s<>\"')]+", re.I)
_DOMAINISH = re.compile(r"(?:https?://)?((?:[\w-]+\.)+[a-z\u0080-\uffff]{2,})", re.I)


def _host(url: str) -> str:
    try:
        return _norm_domain(urlsplit(url).hostname or "")
    except ValueError:
        return ""


def _load_list(shared: Path | None, names: list[str], fallback: set[str]) -> set[str]:
    out = set(fallback)
    if shared is None:
        return out
    for n in names:
        p = shared / "lists" / n
        if not p.is_file():
            continue
        text = p.read_text(encoding="utf-8", errors="replace")
        if n.endswith(".json"):
            try:
                out.update(x.lower() for x in json.loads(text).get("list", []))
            except ValueError:
                pass
            continue
        for line in text.splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("freemail_domains"):
                out.update(w.lower() for w in line.split()[1:])
            elif " " not in line:
                out.add(line.lower())
    return out


FREEMAIL_FALLBACK = {"gmail.com", "mail.com", "consultant.com", "yahoo.co.jp", "outlook.com",
                     "hotmail.com", "email.com", "gmx.com"}
SHORTENER_FALLBACK = {"bit.ly", "tinyurl.com", "t.co", "is.gd", "ow.ly", "goo.gl", "x.gd",
                      "rebrand.ly", "cutt.ly"}


@dataclass
class Parsed:
    msg: email.message.EmailMessage
    raw: bytes
    texts: list[tuple[str, str]]          # (subtype, decoded text)
    links: list[tuple[str, str]]          # (text, href)
    urls: list[str]
    imgs: list[dict]
    attachments: list[tuple[str | None, str, bytes]]  # (filename, content-type, payload)
    mislabeled: list[str]


def _part_text(part) -> tuple[str, str | None]:
    """Decode a text part; returns (text, note) where note flags a charset mislabel."""
    payload = part.get_payload(decode=True) or b""
    label = (part.get_content_charset() or "us-ascii").lower()
    codec = _codec(label)
    try:
        return payload.decode(codec), None
    except (UnicodeDecodeError, LookupError):
        pass
    for alt in _ALTERNATIVES:
        try:
            return payload.decode(alt), f"body labelled {label} decodes as {alt}"
        except UnicodeDecodeError:
            continue
    return payload.decode(codec, "replace"), f"body labelled {label} does not decode"


def parse_fixture(data: bytes, inner: bool) -> Parsed:
    msg = email.message_from_bytes(data, policy=email.policy.default)
    raw = data
    if inner:
        for part in msg.walk():
            if part.get_content_type() == "message/rfc822":
                sub = part.get_payload()[0]
                raw = sub.as_bytes(policy=email.policy.compat32)
                msg = email.message_from_bytes(raw, policy=email.policy.default)
                break
    texts, links, imgs, atts, mislabeled = [], [], [], [], []
    for part in msg.walk():
        if part.is_multipart() or part.get_content_type() == "message/rfc822":
            continue
        filename = part.get_filename()
        ctype = part.get_content_type()
        if part.get_content_maintype() == "text" and not filename and \
                part.get_content_disposition() != "attachment":
            text, note = _part_text(part)
            if note:
                mislabeled.append(note)
            texts.append((part.get_content_subtype(), text))
            if part.get_content_subtype() == "html":
                p = _Links()
                p.feed(text)
                links.extend(p.links)
                imgs.extend(p.imgs)
        else:
            atts.append((filename, ctype, part.get_payload(decode=True) or b""))
    urls = []
    for _, t in texts:
        urls.extend(_URL.findall(t))
    urls.extend(h for _, h in links if h.lower().startswith("http"))
    return Parsed(msg, raw, texts, links, urls, imgs, atts, mislabeled)


def _zip_entries(data: bytes) -> list[tuple[zipfile.ZipInfo, zipfile.ZipFile]]:
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        return [(i, z) for i in z.infolist()]
    except zipfile.BadZipFile:
        return []


def _domain_of(addr: str) -> str:
    return addr.rpartition("@")[2].lower()


def _addresses(msg, name: str) -> list:
    try:
        h = msg[name]
        return list(h.addresses) if h is not None and hasattr(h, "addresses") else []
    except Exception:  # noqa: BLE001 - malformed headers are a finding, not a crash
        return []


def evidence_problems(fx: Fixture, p: Parsed, shared: Path | None) -> list[str]:
    """For each expected signal, check the message visibly carries that trick."""
    msg, out = p.msg, []
    body = "\n".join(t for _, t in p.texts)
    freemail = _load_list(shared, ["spamassassin_20_freemail_domains.cf",
                                   "spamassassin_20_freemail_mailcom_domains.cf",
                                   "rspamd_maps_free.txt"], FREEMAIL_FALLBACK)
    shorteners = _load_list(shared, ["misp_warninglist_url-shortener.json"], SHORTENER_FALLBACK)
    from_addrs = _addresses(msg, "From")
    from_dom = _domain_of(from_addrs[-1].addr_spec) if from_addrs else ""
    reply = _addresses(msg, "Reply-To")
    zips = [(n, d) for n, _, d in p.attachments if d[:2] == b"PK"]
    entries = [e for _, d in zips for e in _zip_entries(d)]

    def need(cond: bool, sig: str, what: str):
        if sig in fx.expect.get("signals", []) and not cond:
            out.append(f"expects {sig} but {what}")

    need(bool(reply) and any(_domain_of(a.addr_spec) != from_dom for a in reply),
         "reply_to_diverges", "no Reply-To in another domain")
    rp = msg.get("Return-Path", "")
    need(bool(rp) and from_dom not in str(rp).lower(), "return_path_diverges",
         "Return-Path missing or same as From")
    need(bool(msg.get("Cc")), "cc_diverted", "no Cc")
    need(bool(msg.get("Cc")), "cc_lookalike", "no Cc")
    need(bool(msg.get("Return-Receipt-To") or msg.get("Disposition-Notification-To")),
         "mdn_to_other", "no MDN request header")
    quoted = bool(re.search(r"^(>|From: |差出人: |-----Original Message-----)", body, re.M))
    need(bool(msg.get("In-Reply-To") or msg.get("References")) and quoted, "thread_hijack",
         "no In-Reply-To/References with a quoted thread")
    need(any("fail" in str(h).lower() for h in msg.get_all("Authentication-Results", [])),
         "auth_failed", "no failing Authentication-Results")
    need(any(i.get("width") == "1" and i.get("height") == "1" for i in p.imgs) or "/wf/open" in body,
         "tracking_beacon", "no 1x1 image")
    def mismatched(text: str, href: str) -> bool:
        m = _DOMAINISH.search(text)
        return bool(m) and _norm_domain(m.group(1)) != _host(href) and \
            not _host(href).endswith("." + _norm_domain(m.group(1)))
    need(any(mismatched(t, h) for t, h in p.links), "link_text_mismatch",
         "no anchor whose text names another host than its href")
    need(any("xn--" in _host(u) for u in p.urls), "idn_homograph", "no punycode host")
    need(any(_host(u) in shorteners for u in p.urls), "url_shortener", "no shortener link")
    need(any(i.flag_bits & 1 for i, _ in entries), "encrypted_archive", "no encrypted zip entry")
    exe_inside = any((not i.flag_bits & 1) and z.read(i)[:2] == b"MZ" for i, z in entries)
    need(any(d[:2] == b"MZ" for _, _, d in p.attachments) or exe_inside,
         "executable_attachment", "no MZ executable attached or archived")
    need(any(i.filename.endswith("vbaProject.bin") for _, d in zips for i, _ in _zip_entries(d)),
         "macro_document", "no vbaProject.bin in an attached document")
    need(any(d.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")) for _, _, d in p.attachments),
         "html_attachment", "no HTML attachment")
    names = [n or "" for n, _, _ in p.attachments] + [i.filename for i, _ in entries]
    need(any(re.search(r"\.\w{2,4}\.\w{2,4}$", n) for n in names) or any(
        (n or "").lower().endswith(".pdf") and d[:4] != b"%PDF" for n, _, d in p.attachments),
        "extension_mismatch", "no double extension or wrong-content .pdf")
    need(bool(p.mislabeled) or "charset_mislabeled" not in fx.expect.get("signals", []) or
         _subject_mislabeled(p.raw), "charset_mislabeled", "every label decodes cleanly")
    need(any(_domain_of(a.addr_spec) in freemail for a in reply + from_addrs),
         "freemail_reply_to", "no free-mail From/Reply-To")
    need(any("@" in (a.display_name or "") for a in from_addrs + reply) or
         "display_name_has_address" not in fx.expect.get("signals", []) or
         "@" in str(decode_rfc2047(_raw_header(p.raw, "From") or "")[0]).rsplit("<", 1)[0],
         "display_name_has_address", "no display name with an address")
    need("mailto:" in (_raw_header(p.raw, "From") or ""), "from_mailto_trick", "no mailto: in From")
    need(bool(re.search(r"iPhone|iPad|Android|Envoyé de mon|Enviado desde", body)), "mobile_signoff",
         "no mobile sign-off")
    return out


def _subject_mislabeled(raw: bytes) -> bool:
    s = _raw_header(raw, "Subject") or ""
    for m in _EW.finditer(s):
        cs = m.group(1).lower()
        if cs in ("gb2312", "iso-2022-jp", "shift_jis", "euc-jp"):
            return True
    return False


def self_check(args, fixtures: list[Fixture], discovery_problems: list[str]) -> int:
    shared = Path(args.shared) if args.shared and Path(args.shared).is_dir() else None
    failures: dict[str, list[str]] = {}
    for p in discovery_problems:
        print(f"FAIL {p}")
    covered: set[str] = set()
    registries_checked: set[Path] = set()
    for fx in fixtures:
        out = list(fx.problems)
        e = fx.expect
        covered.update(e.get("signals", []))
        if fx.registry and fx.registry not in registries_checked and fx.registry.is_file():
            registries_checked.add(fx.registry)
            out.extend(check_registry(fx.registry))
        data = fx.eml.read_bytes()
        try:
            p = parse_fixture(data, bool(e.get("self_check_inner")))
        except Exception as ex:  # noqa: BLE001
            failures[fx.name] = out + [f"Python cannot parse it: {ex!r}"]
            continue
        skip = set(e.get("self_check_skip", []))
        want = e.get("message", {})
        if "subject" in want and "subject" not in skip:
            raw = _raw_header(p.raw, "Subject") or ""
            mine, used = decode_rfc2047(raw)
            ok = mine == want["subject"]
            if not ok and "charset_mislabeled" in e.get("signals", []):
                for alt in _ALTERNATIVES:
                    alt_text, _ = decode_rfc2047(raw, {cs.lower(): alt for cs in used})
                    if alt_text == want["subject"]:
                        ok = True
                        break
            if not ok:
                out.append(f"subject decodes to {mine!r}, expect says {want['subject']!r}")
            else:
                py = str(p.msg.get("Subject", ""))
                if py != want["subject"] and "charset_mislabeled" not in e.get("signals", []) \
                        and _words_independent(raw) and raw.isascii():
                    out.append(f"Python's email package decodes the subject as {py!r}")
        from_addrs = _addresses(p.msg, "From")
        if "from.address" in want and "from.address" not in skip:
            got = from_addrs[0].addr_spec if from_addrs else None
            if (got or "").lower() != want["from.address"].lower():
                out.append(f"From address parses as {got!r}, expect says {want['from.address']!r}")
        if "from.name" in want and "from.name" not in skip:
            got = from_addrs[0].display_name if from_addrs else None
            if got != want["from.name"]:
                out.append(f"From display name parses as {got!r}, expect says {want['from.name']!r}")
        lang = want.get("language")
        text = str(p.msg.get("Subject", "")) + "\n" + "\n".join(t for _, t in p.texts)
        if lang:
            has_ja = bool(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", text))
            if (lang.split("-")[0] == "ja") != has_ja:
                out.append(f"language {lang!r} but Japanese script {'present' if has_ja else 'absent'}")
        for att in e.get("attachments", []):
            found = [d for n, _, d in p.attachments if n == att["filename"]]
            if not found:
                out.append(f"attachment {att['filename']!r} not found by Python "
                           f"(has {[n for n, _, _ in p.attachments]})")
            elif "sha256" in att and hashlib.sha256(found[0]).hexdigest() != att["sha256"]:
                out.append(f"attachment {att['filename']!r} sha256 differs from the expect file")
        for n, ctype, d in p.attachments:
            for info, z in _zip_entries(d):
                try:
                    pwd = e.get("zip_password", "").encode() if info.flag_bits & 1 else None
                    if info.flag_bits & 1 and not pwd:
                        out.append(f"{n}: encrypted entry {info.filename!r} and no zip_password")
                        continue
                    z.read(info, pwd=pwd)
                except Exception as ex:  # noqa: BLE001
                    out.append(f"{n}: entry {info.filename!r} does not extract: {ex}")
        out.extend(evidence_problems(fx, p, shared))
        if p.msg.defects and not e.get("errors_allowed"):
            out.append(f"Python reports defects {[type(d).__name__ for d in p.msg.defects]}")
        if out:
            failures[fx.name] = out
    counts: dict[str, int] = {}
    for fx in fixtures:
        counts[fx.set] = counts.get(fx.set, 0) + 1
    set_problems = [f"set {s} has {counts.get(s, 0)} fixtures, at least {n} wanted"
                    for s, n in MIN_PER_SET.items() if counts.get(s, 0) < n]
    names = {fx.name for fx in fixtures}
    for n, _ in load_known_failures(Path(args.source) / "tests" / "fixtures" / "known_failures.txt"):
        if n not in names and not args.filter:
            set_problems.append(f"known_failures.txt names no fixture: {n}")
    uncovered = sorted(SIGNAL_IDS - covered)
    for fx in fixtures:
        for f in failures.get(fx.name, []):
            print(f"FAIL {fx.name}: {f}")
    for s in set_problems:
        print(f"FAIL {s}")
    if uncovered:
        print(f"FAIL no fixture expects these SPEC signals: {', '.join(uncovered)}")
    print()
    for s in sorted(counts, key=lambda s: (SETS.index(s) if s in SETS else 99, s)):
        print(f"{s:<14}{counts[s]:>4} fixtures")
    print(f"signals covered: {len(covered & SIGNAL_IDS)}/{len(SIGNAL_IDS)}")
    failed = len(failures) + len(discovery_problems) + len(set_problems) + (1 if uncovered else 0)
    print()
    print(f"self-check: {len(fixtures) - len(failures)} passed, {failed} failed")
    return 0 if failed == 0 else 1


def check_registry(path: Path) -> list[str]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        return [f"registry {path.name}: {e}"]
    out = []
    orgs = data.get("organization")
    if not isinstance(orgs, list) or not orgs:
        return [f"registry {path.name}: no [[organization]]"]
    for o in orgs:
        if not isinstance(o.get("name"), str) or not o.get("domains"):
            out.append(f"registry {path.name}: organization without name/domains: {o.get('name')}")
        for vip in o.get("vip", []):
            if not vip.get("name") or not isinstance(vip.get("addresses", []), list):
                out.append(f"registry {path.name}: bad vip in {o.get('name')}")
    return out


# ============================================================================ main

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--renkei", help="path of the renkei binary")
    ap.add_argument("--source", default=str(Path(__file__).resolve().parents[2]),
                    help="project root (tests/fixtures is below it)")
    ap.add_argument("--shared", help="../shared/data (optional: lists for the self-check)")
    ap.add_argument("--self-check", action="store_true",
                    help="validate the fixtures with Python's email package; renkei not needed")
    ap.add_argument("--filter", help="only fixtures whose name contains this text")
    ap.add_argument("--timeout", type=int, default=600, help="seconds per renkei run")
    ap.add_argument("-v", "--verbose", action="store_true", help="list passing fixtures too")
    args = ap.parse_args(argv)
    root = Path(args.source) / "tests" / "fixtures"
    if not root.is_dir():
        print(f"FAIL no fixture directory {root}")
        return 1
    fixtures, problems = discover(root)
    if args.filter:
        fixtures = [f for f in fixtures if args.filter in f.name]
    if not fixtures:
        print(f"FAIL no fixtures under {root}")
        return 1
    if args.self_check:
        return self_check(args, fixtures, problems)
    for p in problems:
        print(f"NOTE {p}")
    # A fixture with a registry that does not need it is also run without one: detection must
    # work from the message and its thread alone, and the registry must only add to it.
    fixtures += [replace(fx, name=fx.name + " (without registry)", registry=None, problems=list(fx.problems))
                 for fx in fixtures if fx.registry is not None and not fx.expect.get("needs_registry")]
    return run_suite(args, fixtures)


if __name__ == "__main__":
    sys.exit(main())
