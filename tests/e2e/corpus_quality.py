#!/usr/bin/env python3
"""Detection quality and robustness of renkei on the shared corpora (see docs/detection-quality.md).

    corpus_quality.py --renkei build/renkei --source . --shared ../shared/data [--report PATH]

renkei runs once per corpus directory of --shared/corpus (every file in it, as a hostile input).

Quality:
  * phishing_pot (real phishing): share of messages with a malicious verdict (class bec, phishing,
    malware or scam); must be >= PHISH_MIN_PCT;
  * benign sets (spamassassin/t/data/nice, mikel_mail, imap_tools, stalwart, and the project's
    tests/fixtures/benign/*.eml when present): share with a malicious verdict; must be <= BENIGN_MAX_PCT.
    A few messages of these test corpora are really spam or scams: KNOWN_NOT_BENIGN lists them with
    the reason, and they are reported but left out of the rate;
  * mailing lists (lists/linux-nfc, lists/usrp-users: real list traffic, every message ordinary):
    share with a malicious verdict per list; must be <= LIST_MAX_PCT[list];
  * every rate is also reported for the tune half and the test half of its corpus (half_of: the
    first byte of the SHA-256 of the file's base name, even = tune, odd = test); rules are written
    looking at the tune half only, and phishing_pot's test half must stay >= PHISH_TEST_MIN_PCT;
  * class breakdown, top signals, misses and false positives (with signals and evidence) in --report.

Robustness (whole corpus, every file): exactly one JSON line per message (an mbox file gives one per
message), renkei exits 0 or 1 and is never killed by a signal, every line is valid JSON of schema
renkei.analysis/1 with the mandatory fields.

Exit 0 when everything is within the thresholds, 1 otherwise, 77 when the shared data is absent.
Python 3.11 standard library only.
"""
from __future__ import annotations

import argparse
import collections
import datetime
import hashlib
import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

SCHEMA = "renkei.analysis/1"
MALICIOUS = frozenset({"bec", "phishing", "malware", "scam"})
CLASSES = ("bec", "phishing", "malware", "scam", "spam", "benign", "unknown")
# The issue's target is 95 % (docs/detection-quality.md); the engine reaches it, so the target is
# also the floor: a change that loses it fails the test.
PHISH_TARGET_PCT = 95.0
PHISH_MIN_PCT = 95.0
# Issue 16's target is 95 % on the test half too. With the fixed split (half_of) the test half
# stood at 94.91 % (1,025 / 1,080) when the split was introduced, one message short of it, and
# no rule was tuned on it since: the assertion is that level as a regression floor until the
# target is reached.
PHISH_TEST_TARGET_PCT = 95.0
PHISH_TEST_MIN_PCT = 94.9
BENIGN_MAX_PCT = 2.0
# Real mailing lists, each on its own: issue 16's target, <= 1 % malicious, held on the whole
# list and on each half (reached: linux-nfc 0 %, usrp-users 0.25 % after the trust boundary and
# the corroboration rule; 8.6 % and 12.5 % before).
LIST_TARGET_PCT = 1.0
LIST_MAX_PCT = {"lists/linux-nfc": 1.0, "lists/usrp-users": 1.0}
LIST_SETS = (
    ("lists/linux-nfc", "lists", "linux-nfc"),
    ("lists/usrp-users", "lists", "usrp-users"),
)
RUN_TIMEOUT_S = 1200

# Benign sets: (label, corpus directory, sub-path below it).
BENIGN_SETS = (
    ("spamassassin/nice", "spamassassin", "t/data/nice"),
    ("mikel_mail", "mikel_mail", ""),
    ("imap_tools", "imap_tools", ""),
    ("stalwart", "stalwart", ""),
)
NOT_MESSAGE_NAMES = re.compile(r"^(LICENSE.*|COPYING.*|\.?gitattributes|README.*)$", re.I)
NOT_MESSAGE_EXT = {".json", ".py", ".png", ".gz", ".html", ".head", ".fuzzy1"}

# Messages of the "benign" corpora that are not ordinary benign mail (path below corpus/ -> why).
# They are reported, never counted as false positives or as true negatives.
KNOWN_NOT_BENIGN: dict[str, str] = {
    # SpamAssassin keeps these two in nice/ as DKIM test vectors (the signature verifies), but
    # the message is pharmacy spam padded with random words; its own header says so
    # ("X-Aztec-Id: spamFN-6": a spam false negative of the filter it was taken from).
    "spamassassin/t/data/nice/dkim/MIMEsimple_04":
        "pharmacy spam ('Purchase Soma Online - Huge Savings!', X-Aztec-Id: spamFN-6), a DKIM test vector",
    "spamassassin/t/data/nice/dkim/MIMEnowsp_05":
        "pharmacy spam ('Purchase Soma Online - Huge Savings!', X-Aztec-Id: spamFN-6), a DKIM test vector",
    "mikel_mail/spec/fixtures/emails/error_emails/empty_group_lists.eml":
        "advance-fee scam (Western Union $1.5M payment, Reply-To hotmail.fr)",
    "mikel_mail/spec/fixtures/emails/error_emails/content_transfer_encoding_text-html.eml":
        "mortgage spam asking to 'verify your information' on a form",
    "mikel_mail/spec/fixtures/emails/error_emails/content_transfer_encoding_with_semi_colon.eml":
        "'pre-approved home loan' scam",
    "mikel_mail/spec/fixtures/emails/error_emails/content_transfer_encoding_spam.eml":
        "pharmacy spam",
    "mikel_mail/spec/fixtures/emails/error_emails/content_transfer_encoding_plain.eml":
        "pump-and-dump stock spam",
    "mikel_mail/spec/fixtures/emails/error_emails/content_transfer_encoding_qp_with_space.eml":
        "blood-pressure product spam",
    "mikel_mail/spec/fixtures/emails/error_emails/content_transfer_encoding_empty.eml":
        "Big5 MP3-CD spam",
    "mikel_mail/spec/fixtures/emails/error_emails/bad_date_header.eml":
        "'eligible for cash from government agencies' spam",
    "mikel_mail/spec/fixtures/emails/error_emails/must_supply_encoding.eml":
        "business-phone spam",
    "mikel_mail/spec/fixtures/emails/plain_emails/raw_email_with_bad_date.eml":
        "pirated-software spam",
    "imap_tools/tests/messages/error_emails/empty_group_lists.eml":
        "advance-fee scam (Western Union $1.5M payment, Reply-To hotmail.fr)",
    "imap_tools/tests/messages/error_emails/content_transfer_encoding_text-html.eml":
        "mortgage spam asking to 'verify your information' on a form",
    "imap_tools/tests/messages/error_emails/content_transfer_encoding_with_semi_colon.eml":
        "'pre-approved home loan' scam",
    "imap_tools/tests/messages/error_emails/content_transfer_encoding_spam.eml":
        "pharmacy spam",
    "imap_tools/tests/messages/error_emails/content_transfer_encoding_plain.eml":
        "pump-and-dump stock spam",
    "imap_tools/tests/messages/error_emails/content_transfer_encoding_qp_with_space.eml":
        "blood-pressure product spam",
    "imap_tools/tests/messages/error_emails/content_transfer_encoding_empty.eml":
        "Big5 MP3-CD spam",
    "imap_tools/tests/messages/error_emails/bad_date_header.eml":
        "'eligible for cash from government agencies' spam",
    "imap_tools/tests/messages/error_emails/must_supply_encoding.eml":
        "business-phone spam",
    "imap_tools/tests/messages/plain_emails/raw_email_with_bad_date.eml":
        "pirated-software spam",
}

REQUIRED = ("schema", "source", "message", "signals", "indicators", "attachments", "verdict", "errors",
            "limits_hit")


def looks_like_mbox(data: bytes) -> bool:
    """Same rule as cli/cmd_analyze.cpp."""
    return data.startswith(b"From ") and data.find(b"\nFrom ", 5) != -1


def mbox_count(data: bytes) -> int:
    """Messages cli/cmd_analyze.cpp's split_mbox makes of this file."""
    if not looks_like_mbox(data):
        return 1
    n, pos = 0, 0
    while pos < len(data):
        nxt = data.find(b"\nFrom ", pos + 1)
        pos = len(data) if nxt == -1 else nxt + 1
        n += 1
    return n


def half_of(source: str) -> str:
    """The fixed split of docs/detection-quality.md: SHA-256 of the file's base name (an mbox
    member's "#N" left out), first byte even = "tune", odd = "test"."""
    name = os.path.basename(source.split("#")[0])
    return "tune" if hashlib.sha256(name.encode("utf-8")).digest()[0] % 2 == 0 else "test"


def halves(recs: list[dict]) -> str:
    """ "tune a/b x.xx%  test c/d y.yy%" malicious per half."""
    out = []
    for h in ("tune", "test"):
        hr = [r for r in recs if half_of(r.get("source", "")) == h]
        m = sum(1 for r in hr if is_malicious(r))
        out.append(f"{h} {m}/{len(hr)} {pct(m, len(hr)):.2f}%")
    return "  ".join(out)


def half_pct(recs: list[dict], h: str) -> float:
    hr = [r for r in recs if half_of(r.get("source", "")) == h]
    return pct(sum(1 for r in hr if is_malicious(r)), len(hr))


def is_message_file(p: Path) -> bool:
    return not (NOT_MESSAGE_NAMES.match(p.name) or p.suffix.lower() in NOT_MESSAGE_EXT)


class Run:
    def __init__(self, renkei: str, inputs: list[str], env: dict, jobs: int):
        cmd = [renkei, "analyze", "--format", "json", "--jobs", str(jobs), "-q", *inputs]
        t0 = time.monotonic()
        self.timed_out = False
        try:
            p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=RUN_TIMEOUT_S)
            self.returncode, out, err = p.returncode, p.stdout, p.stderr
        except subprocess.TimeoutExpired as e:
            self.timed_out, self.returncode = True, None
            out, err = e.stdout or b"", e.stderr or b""
        self.seconds = time.monotonic() - t0
        self.stderr = err.decode("utf-8", "replace")
        self.records: dict[str, list[dict]] = collections.defaultdict(list)
        self.bad_lines: list[str] = []
        for line in out.split(b"\n"):
            if not line.strip():
                continue
            try:
                rec = json.loads(line.decode("utf-8"))
                if not isinstance(rec, dict):
                    raise ValueError("not a JSON object")
                missing = [k for k in REQUIRED if k not in rec]
                if missing:
                    raise ValueError(f"missing {missing}")
                if rec["schema"] != SCHEMA:
                    raise ValueError(f"schema {rec['schema']!r}")
                if not isinstance(rec.get("verdict"), dict) or rec["verdict"].get("class") not in CLASSES:
                    raise ValueError(f"bad verdict {rec.get('verdict')!r}")
            except (UnicodeDecodeError, ValueError) as e:
                self.bad_lines.append(f"{e}: {line[:160]!r}")
                continue
            src = rec["source"]
            m = re.match(r"^(.*)#(\d+)$", src)
            self.records[m.group(1) if m and not os.path.exists(src) else src].append(rec)

    def crashed(self) -> str | None:
        if self.timed_out:
            return f"no result after {RUN_TIMEOUT_S}s (hang?)"
        if self.returncode is not None and self.returncode < 0:
            return f"killed by signal {-self.returncode}"
        if self.returncode not in (0, 1):
            return f"exit status {self.returncode}: {self.stderr.strip()[:300]}"
        return None


def is_malicious(rec: dict) -> bool:
    v = rec.get("verdict") or {}
    return v.get("class") in MALICIOUS


def describe(rec: dict, corpus_root: Path) -> str:
    m = rec.get("message") or {}
    fr = m.get("from") or {}
    v = rec.get("verdict") or {}
    src = rec.get("source", "")
    try:
        src = str(Path(src).relative_to(corpus_root))
    except ValueError:
        pass
    sigs = "; ".join(f"{s.get('id')}[{s.get('severity')}]: {str(s.get('evidence', ''))[:120]}"
                     for s in rec.get("signals") or [])
    return (f"{src}\n    class={v.get('class')} score={v.get('score')} reasons={','.join(v.get('reasons') or [])}\n"
            f"    subject={m.get('subject', '')[:140]!r}\n"
            f"    from={fr.get('name', '')[:60]!r} <{fr.get('address', '')}>\n"
            f"    signals: {sigs or '(none)'}\n")


def pct(a: int, b: int) -> float:
    return 100.0 * a / b if b else 0.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--renkei", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--report", help="misses, false positives and robustness failures (default: next to renkei)")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()

    shared = Path(args.shared)
    corpus_root = (shared / "corpus").resolve()
    if not corpus_root.is_dir():
        print("SKIPPED: ../shared/data absent" + ("" if shared.is_dir() else f" ({shared} not found)"))
        return 77
    renkei = Path(args.renkei)
    if not renkei.exists():
        print(f"FAIL: renkei binary {renkei} not found (build the 'renkei' target)")
        return 1
    source = Path(args.source).resolve()
    report_path = Path(args.report) if args.report else renkei.resolve().parent / "corpus-quality-report.txt"
    env = dict(os.environ)
    env.setdefault("RENKEI_DATA_DIR", str(source / "data"))

    print(f"renkei {renkei}  date {datetime.datetime.now().isoformat(timespec='seconds')}  "
          f"machine {platform.node()} {platform.machine()} {os.cpu_count()} cpus  jobs {args.jobs}")
    failures: list[str] = []
    robust_ok = robust_bad = 0
    robust_problems: list[str] = []
    runs: dict[str, Run] = {}

    # ---------------------------------------------------------------- robustness: every corpus file
    for cdir in sorted(p for p in corpus_root.iterdir() if p.is_dir()):
        run = Run(str(renkei), [str(cdir.resolve())], env, args.jobs)
        runs[cdir.name] = run
        files = sorted(p for p in cdir.rglob("*") if p.is_file() and not p.is_symlink())
        nrec = sum(len(v) for v in run.records.values())
        crash = run.crashed()
        ok = bad = 0
        if crash:
            robust_problems.append(f"{cdir.name}: renkei {crash}")
        for b in run.bad_lines:
            robust_problems.append(f"{cdir.name}: invalid JSON line: {b}")
        bad += len(run.bad_lines)
        for f in files:
            want = mbox_count(f.read_bytes())
            got = len(run.records.get(str(f.resolve()), []))
            if got == want:
                ok += 1
            else:
                bad += 1
                robust_problems.append(f"{cdir.name}: {f.relative_to(corpus_root)}: {got} JSON lines for {want} message(s)")
        if crash:
            bad += 1
        robust_ok += ok
        robust_bad += bad
        errs = sum(1 for v in run.records.values() for r in v if r.get("errors"))
        lim = sum(1 for v in run.records.values() for r in v if r.get("limits_hit"))
        print(f"[robustness] {cdir.name:13} {len(files):5} files -> {nrec:5} JSON lines, exit {run.returncode}, "
              f"{run.seconds:6.1f}s, {errs} with errors[], {lim} with limits_hit[]"
              + (f"  FAIL: {crash}" if crash else "") + (f"  ({bad} problems)" if bad else ""), flush=True)
    if robust_bad:
        failures.append(f"robustness: {robust_bad} problems (see the report)")

    # ---------------------------------------------------------------- quality
    def records_of(corpus: str, sub: str = "") -> list[dict]:
        run = runs.get(corpus)
        if run is None:
            return []
        base = (corpus_root / corpus / sub).resolve()
        out = []
        for src, recs in sorted(run.records.items()):
            p = Path(src)
            if (p == base or base in p.parents) and is_message_file(p):
                out.extend(recs)
        return out

    lines: list[str] = []
    phish = records_of("phishing_pot")
    n_ph = len(phish)
    ph_mal = [r for r in phish if is_malicious(r)]
    ph_miss = [r for r in phish if not is_malicious(r)]
    print()
    print("phishing_pot (real phishing; regression floor %.1f%%, target %.1f%%; test half: floor %.1f%%, target %.1f%%)"
          % (PHISH_MIN_PCT, PHISH_TARGET_PCT, PHISH_TEST_MIN_PCT, PHISH_TEST_TARGET_PCT))
    print(f"  {len(ph_mal)}/{n_ph} malicious = {pct(len(ph_mal), n_ph):.2f}%   ({halves(phish)})")
    ph_test = half_pct(phish, "test")
    if n_ph and ph_test + 1e-9 < PHISH_TEST_MIN_PCT:
        failures.append(f"phishing_pot test half: {ph_test:.2f}% malicious < {PHISH_TEST_MIN_PCT}%")
    by_class = collections.Counter((r.get("verdict") or {}).get("class") for r in phish)
    print("  by class: " + ", ".join(f"{c} {by_class[c]} ({pct(by_class[c], n_ph):.1f}%)" for c in CLASSES if by_class[c]))
    sig_ph = collections.Counter(s.get("id") for r in phish for s in {s.get("id"): s for s in r.get("signals") or []}.values())
    print("  top signals (messages): " + ", ".join(f"{k} {v}" for k, v in sig_ph.most_common(20)))
    if n_ph and pct(len(ph_mal), n_ph) + 1e-9 < PHISH_MIN_PCT:
        failures.append(f"phishing_pot: {pct(len(ph_mal), n_ph):.2f}% malicious < {PHISH_MIN_PCT}%")
    if n_ph == 0:
        failures.append("phishing_pot: no messages analysed")
    miss_sig = collections.Counter(s.get("id") for r in ph_miss for s in {s.get("id"): s for s in r.get("signals") or []}.values())
    nosig = sum(1 for r in ph_miss if not r.get("signals"))
    print(f"  misses: {len(ph_miss)}; {nosig} with no signal at all; signals on misses: "
          + ", ".join(f"{k} {v}" for k, v in miss_sig.most_common(12)))
    miss_dom = collections.Counter(((r.get("message") or {}).get("from") or {}).get("domain", "") for r in ph_miss)
    print("  most common From domains of misses: " + ", ".join(f"{k or '(none)'} {v}" for k, v in miss_dom.most_common(10)))
    combos = collections.Counter(",".join(sorted({s.get("id") for s in r.get("signals") or []})) or "(none)"
                                 for r in ph_miss)
    print("  signal sets of misses: " + "; ".join(f"{k} {v}" for k, v in combos.most_common(8)))
    names = collections.Counter((((r.get("message") or {}).get("from") or {}).get("name") or "")[:30] for r in ph_miss)
    print("  From names of misses: " + ", ".join(f"{k!r} {v}" for k, v in names.most_common(10)))
    lang = collections.Counter((r.get("message") or {}).get("language", "") for r in ph_miss)
    print("  languages of misses: " + ", ".join(f"{k or '?'} {v}" for k, v in lang.most_common(8)))

    # benign
    print()
    print("benign sets (ordinary mail; target: malicious <= %.1f%%)" % BENIGN_MAX_PCT)
    ben_sets = [(label, records_of(corpus, sub)) for label, corpus, sub in BENIGN_SETS]
    fixtures = sorted((source / "tests" / "fixtures" / "benign").glob("*.eml"))
    if fixtures:
        run = Run(str(renkei), [str(f) for f in fixtures], env, args.jobs)
        crash = run.crashed()
        if crash:
            failures.append(f"tests/fixtures/benign: renkei {crash}")
        ben_sets.append(("fixtures/benign", [r for v in run.records.values() for r in v]))
    else:
        print("  (tests/fixtures/benign/*.eml: none yet)")
    tot = tot_mal = 0
    fps: list[dict] = []
    known: list[tuple[dict, str]] = []
    all_benign: list[dict] = []
    sig_ben = collections.Counter()
    class_ben = collections.Counter()
    print(f"  {'set':18} {'messages':>8} {'malicious':>9} {'%':>6}  {'tune half':>22}  {'test half':>22}  classes")
    for label, recs in ben_sets:
        counted = []
        for r in recs:
            try:
                rel = str(Path(r["source"].split("#")[0]).relative_to(corpus_root))
            except ValueError:
                rel = r["source"]
            if rel in KNOWN_NOT_BENIGN:
                known.append((r, KNOWN_NOT_BENIGN[rel]))
                continue
            counted.append(r)
        mal = [r for r in counted if is_malicious(r)]
        fps.extend(mal)
        cls = collections.Counter((r.get("verdict") or {}).get("class") for r in counted)
        class_ben.update(cls)
        for r in counted:
            sig_ben.update({s.get("id") for s in r.get("signals") or []})
        tot += len(counted)
        tot_mal += len(mal)
        print(f"  {label:18} {len(counted):8} {len(mal):9} {pct(len(mal), len(counted)):6.2f}  {halves(counted)}  "
              + ", ".join(f"{c} {cls[c]}" for c in CLASSES if cls[c]))
        all_benign.extend(counted)
    print(f"  {'total':18} {tot:8} {tot_mal:9} {pct(tot_mal, tot):6.2f}  {halves(all_benign)}  "
          + ", ".join(f"{c} {class_ben[c]}" for c in CLASSES if class_ben[c]))
    print("  signals on benign (messages): " + ", ".join(f"{k} {v}" for k, v in sig_ben.most_common(15)))
    if known:
        print(f"  left out as not benign (KNOWN_NOT_BENIGN): {len(known)}, "
              f"{sum(1 for r, _ in known if is_malicious(r))} of them judged malicious")
    if tot == 0:
        failures.append("benign: no messages analysed")
    elif pct(tot_mal, tot) > BENIGN_MAX_PCT + 1e-9:
        failures.append(f"benign: {pct(tot_mal, tot):.2f}% malicious > {BENIGN_MAX_PCT}%")

    # lists: real mailing-list traffic, each list held on its own
    print()
    print("mailing lists (ordinary mail; target: malicious <= %.1f%% on each test half; floors: %s)"
          % (LIST_TARGET_PCT, ", ".join(f"{k} {v}%" for k, v in LIST_MAX_PCT.items())))
    list_fps: list[dict] = []
    list_rates: dict[str, float] = {}
    for label, corpus, sub in LIST_SETS:
        recs = records_of(corpus, sub)
        mal = [r for r in recs if is_malicious(r)]
        list_fps.extend(mal)
        cls = collections.Counter((r.get("verdict") or {}).get("class") for r in recs)
        sigs = collections.Counter(i for r in recs for i in {s.get("id") for s in r.get("signals") or []})
        list_rates[label] = pct(len(mal), len(recs))
        print(f"  {label:18} {len(recs):8} {len(mal):9} {pct(len(mal), len(recs)):6.2f}  {halves(recs)}  "
              + ", ".join(f"{c} {cls[c]}" for c in CLASSES if cls[c]))
        print("    signals (messages): " + ", ".join(f"{k} {v}" for k, v in sigs.most_common(12)))
        if not recs:
            failures.append(f"{label}: no messages analysed")
        elif pct(len(mal), len(recs)) > LIST_MAX_PCT[label] + 1e-9:
            failures.append(f"{label}: {pct(len(mal), len(recs)):.2f}% malicious > {LIST_MAX_PCT[label]}%")
        for h in ("tune", "test"):
            if half_pct(recs, h) > LIST_MAX_PCT[label] + 1e-9:
                failures.append(f"{label} {h} half: {half_pct(recs, h):.2f}% malicious > {LIST_MAX_PCT[label]}%")

    # ---------------------------------------------------------------- report
    lines.append(f"# renkei corpus quality report ({datetime.datetime.now().isoformat(timespec='seconds')})\n")
    lines.append(f"## phishing_pot misses: {len(ph_miss)} of {n_ph}\n")
    for r in sorted(ph_miss, key=lambda r: r.get("source", "")):
        lines.append(describe(r, corpus_root))
    lines.append(f"\n## benign false positives: {len(fps)} of {tot}\n")
    for r in fps:
        lines.append(describe(r, corpus_root))
    lines.append(f"\n## mailing-list false positives: {len(list_fps)}\n")
    for r in list_fps:
        lines.append(f"[{half_of(r.get('source', ''))}] " + describe(r, corpus_root))
    lines.append(f"\n## benign-corpus messages that are not benign (KNOWN_NOT_BENIGN): {len(known)}\n")
    for r, why in known:
        lines.append(f"[{why}] " + describe(r, corpus_root))
    lines.append(f"\n## robustness problems: {len(robust_problems)}\n")
    lines.extend(p + "\n" for p in robust_problems)
    report_path.parent.mkdir(parents=True, exist_ok=True)
    report_path.write_text("".join(lines), encoding="utf-8")
    print()
    print(f"misses, false positives and robustness problems written to {report_path}")

    for p in robust_problems[:50]:
        print("FAIL:", p)
    for f in failures:
        print("FAIL:", f)
    print()
    print(f"robustness: {robust_ok} files passed, {robust_bad} failed")
    q_checks = [n_ph and pct(len(ph_mal), n_ph) + 1e-9 >= PHISH_MIN_PCT,
                n_ph and ph_test + 1e-9 >= PHISH_TEST_MIN_PCT,
                tot and pct(tot_mal, tot) <= BENIGN_MAX_PCT + 1e-9]
    q_checks += [v <= LIST_MAX_PCT[k] + 1e-9 for k, v in list_rates.items()]
    print(f"quality: phishing_pot {pct(len(ph_mal), n_ph):.2f}% malicious (>= {PHISH_MIN_PCT}%), "
          f"its test half {ph_test:.2f}% (>= {PHISH_TEST_MIN_PCT}%), "
          f"benign {pct(tot_mal, tot):.2f}% malicious (<= {BENIGN_MAX_PCT}%), "
          + ", ".join(f"{k} {v:.2f}% (<= {LIST_MAX_PCT[k]}%)" for k, v in list_rates.items()) + ": "
          f"{sum(1 for c in q_checks if c)} passed, {sum(1 for c in q_checks if not c)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
