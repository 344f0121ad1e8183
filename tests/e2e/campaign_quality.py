#!/usr/bin/env python3
"""Quality of `renkei campaigns` on generated campaign series (issue 18; docs/campaigns.md,
"Evaluation").

    campaign_quality.py --renkei build/release/renkei --source . [--shared ../shared/data]
                        [--seed N] [--noise N] [--set DIR] [--keep DIR] [--no-registry]
                        [--report FILE] [-v]
    campaign_quality.py --self-test --source . [--shared ../shared/data]

tests/tools/campaign_series.py writes the series (each with its own vocabulary, infrastructure
and targets; see SERIES there) and a deterministic sample of real phishing from
--shared/corpus/phishing_pot as noise (truth null). renkei runs once:
`renkei campaigns --format json --registry SET/registry.toml SET/mails`, and the result is scored:

  * purity: for each predicted campaign, the share of its generated members that come from its
    majority series; weighted by campaign size (noise members are left out here, they count as
    contamination);
  * completeness: for each generated series, the share of its mails in its largest campaign;
    the floor is on the mean over the series of two mails or more (each series counts once, so
    the 185 mails of the .work scam do not hide a shattered small series); the mail-weighted value
    is printed too;
  * the adjusted Rand index (Hubert & Arabie) over the generated mails;
  * fragmentation: how many campaigns hold the mails of each series;
  * contamination: noise mails placed in a campaign with generated members, as a share of the
    noise; and the largest campaign made only of noise (reported, not judged: phishing_pot has
    real campaigns of its own);
  * purity, completeness and ARI again for the tune series and for the held-out ones (truth.json
    "split"), which the clustering must not be tuned on.

Output contract checks (failures too): one JSON object per line with id (string, unique), name,
members (list of strings), explanation {en, ja}, first_seen / last_seen (ISO 8601 or null); every
input in exactly one campaign, nothing else.

Exit 0 when every floor holds, 1 otherwise, 77 (skip) when the binary has no `campaigns`
command yet. A missing binary is a failure. Without the shared data the set has no noise and
the run says so. --self-test checks the metric functions on partitions with known values and
the generator (determinism, sizes, every mail parses), without renkei.
Python 3.11 standard library only.
"""
from __future__ import annotations

import argparse
import collections
import datetime
import email
import email.policy
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

# Floors (issue 18). First values; to be set to the measured values minus a margin once
# `renkei campaigns` runs on them (docs/campaigns.md, "Evaluation").
PURITY_MIN = 0.95
COMPLETENESS_MIN = 0.85
ARI_MIN = 0.85
CONTAMINATION_MAX_PCT = 2.0
RUN_TIMEOUT_S = 900
WORST_LISTED = 8

NOISE = "(noise)"


# ------------------------------------------------------------------------------ metrics (pure)

def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def clusters_of(pred: dict[str, str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = collections.defaultdict(list)
    for item, c in pred.items():
        out[c].append(item)
    return out


def adjusted_rand_index(truth: dict[str, str], pred: dict[str, str]) -> float:
    """ARI over the items of `truth` (label per item) given `pred` (cluster per item). 1 for
    identical partitions, about 0 for a random one; 1 when both put everything alone or together."""
    items = list(truth)
    n = len(items)
    if n < 2:
        return 1.0
    cont = collections.Counter((truth[i], pred[i]) for i in items)
    a = collections.Counter(truth[i] for i in items)
    b = collections.Counter(pred[i] for i in items)
    index = sum(_pairs(v) for v in cont.values())
    sa = sum(_pairs(v) for v in a.values())
    sb = sum(_pairs(v) for v in b.values())
    expected = sa * sb / _pairs(n)
    maximum = (sa + sb) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)


def purity(truth: dict[str, str], pred: dict[str, str]) -> float:
    """Share of items that belong to the majority label of their cluster (items of `truth` only)."""
    per = collections.defaultdict(collections.Counter)
    for i, lab in truth.items():
        per[pred[i]][lab] += 1
    n = len(truth)
    return sum(c.most_common(1)[0][1] for c in per.values()) / n if n else 1.0


def completeness_by_label(truth: dict[str, str], pred: dict[str, str]) -> dict[str, float]:
    """For each label, the share of its items in the one cluster that holds most of them."""
    per = collections.defaultdict(collections.Counter)
    for i, lab in truth.items():
        per[lab][pred[i]] += 1
    return {lab: c.most_common(1)[0][1] / sum(c.values()) for lab, c in per.items()}


def completeness(truth: dict[str, str], pred: dict[str, str], *, weighted: bool,
                 min_size: int = 1) -> float:
    """Mean of completeness_by_label over labels with >= min_size items, weighted by label size
    (the inverse purity) or not (each label once)."""
    sizes = collections.Counter(truth.values())
    comp = completeness_by_label(truth, pred)
    labs = [lab for lab in comp if sizes[lab] >= min_size]
    if not labs:
        return 1.0
    if weighted:
        return sum(comp[lab] * sizes[lab] for lab in labs) / sum(sizes[lab] for lab in labs)
    return sum(comp[lab] for lab in labs) / len(labs)


def evaluate(truth_files: dict[str, str | None], pred: dict[str, str]) -> dict:
    """Every figure of the report from truth (file -> series or None for noise) and the predicted
    partition (file -> campaign id, every file of truth present)."""
    pred = {f: pred[f] for f in truth_files}  # a subset of the set is scored on its own
    gen = {f: s for f, s in truth_files.items() if s is not None}
    noise = [f for f, s in truth_files.items() if s is None]
    gen_pred = {f: pred[f] for f in gen}
    clusters = clusters_of(pred)
    sizes = collections.Counter(gen.values())
    comp = completeness_by_label(gen, gen_pred)
    fragments = {lab: len({pred[f] for f in gen if gen[f] == lab}) for lab in sizes}
    mixed_noise = [f for f in noise if any(truth_files[m] is not None for m in clusters[pred[f]])]
    gen_with_noise = [f for f in gen if any(truth_files[m] is None for m in clusters[pred[f]])]
    noise_only = [c for c, ms in clusters.items() if all(truth_files[m] is None for m in ms)]
    largest_noise = max(noise_only, key=lambda c: (len(clusters[c]), c), default=None)
    return {
        "generated": len(gen), "noise": len(noise), "campaigns": len(clusters),
        "purity": purity(gen, gen_pred),
        "completeness": completeness(gen, gen_pred, weighted=False, min_size=2),
        "completeness_weighted": completeness(gen, gen_pred, weighted=True),
        "ari": adjusted_rand_index(gen, gen_pred),
        "per_series": {lab: {"mails": sizes[lab], "completeness": comp[lab], "campaigns": fragments[lab]}
                       for lab in sizes},
        "contaminated_noise": len(mixed_noise),
        "contamination_pct": 100.0 * len(mixed_noise) / len(noise) if noise else 0.0,
        "generated_with_noise": len(gen_with_noise),
        "largest_noise_campaign": (largest_noise, len(clusters[largest_noise])) if largest_noise else None,
    }


# ------------------------------------------------------------------------------ renkei's output

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")


def parse_output(stdout: str, mails_dir: Path, expected: set[str]):
    """Campaign records of `renkei campaigns --format json` and the partition they make.
    Returns (campaigns by id, file -> campaign id, contract problems). Members are matched to
    `expected` (paths relative to mails_dir) by their real path."""
    problems: list[str] = []
    campaigns: dict[str, dict] = {}
    pred: dict[str, str] = {}
    base = os.path.realpath(mails_dir)
    for n, line in enumerate(stdout.splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            problems.append(f"line {n}: not JSON ({e})")
            continue
        if not isinstance(rec, dict):
            problems.append(f"line {n}: not an object")
            continue
        cid = rec.get("id")
        if not isinstance(cid, str) or not cid:
            problems.append(f"line {n}: id missing or not a string")
            continue
        if cid in campaigns:
            problems.append(f"line {n}: id {cid} repeated")
            continue
        if not isinstance(rec.get("name"), str):
            problems.append(f"campaign {cid}: name missing or not a string")
        ex = rec.get("explanation")
        several = isinstance(rec.get("members"), list) and len(rec["members"]) > 1
        if not (isinstance(ex, dict) and isinstance(ex.get("en"), str) and isinstance(ex.get("ja"), str)
                and (not several or (ex["en"] and ex["ja"]))):
            problems.append(f"campaign {cid}: explanation must have en and ja (non-empty when it has "
                            "several members)")
        for k in ("first_seen", "last_seen"):
            v = rec.get(k, "absent")
            if not (v is None or (isinstance(v, str) and ISO.match(v))):
                problems.append(f"campaign {cid}: {k} {v!r} is not ISO 8601 or null")
        fs, ls = rec.get("first_seen"), rec.get("last_seen")
        if isinstance(fs, str) and isinstance(ls, str) and ISO.match(fs) and ISO.match(ls) and fs[:10] > ls[:10]:
            problems.append(f"campaign {cid}: first_seen {fs} after last_seen {ls}")
        members = rec.get("members")
        if not (isinstance(members, list) and members and all(isinstance(m, str) for m in members)):
            problems.append(f"campaign {cid}: members must be a non-empty list of strings")
            members = [m for m in members if isinstance(m, str)] if isinstance(members, list) else []
        campaigns[cid] = rec
        for m in members:
            path, _, part = m.partition("#")
            rel = os.path.relpath(os.path.realpath(path), base).replace(os.sep, "/") + (f"#{part}" if part else "")
            if rel not in expected:
                problems.append(f"campaign {cid}: member {m} is not an input")
            elif rel in pred:
                problems.append(f"member {m} in campaigns {pred[rel]} and {cid}")
            else:
                pred[rel] = cid
    for f in sorted(expected - pred.keys()):
        problems.append(f"input {f} is in no campaign")
    return campaigns, pred, problems


def check_seen(campaigns: dict[str, dict], pred: dict[str, str], truth_files: dict, mails: Path) -> list[str]:
    """first_seen / last_seen of the campaigns made only of generated mails must span their
    members' Date headers, within a day (renkei may read a Received time instead)."""
    dates = {}
    for f, s in truth_files.items():
        if s is not None:
            msg = parse_input(mails, f)
            dates[f] = msg["Date"].datetime
    problems = []
    day = datetime.timedelta(days=1)
    for c, ms in clusters_of(pred).items():
        if not all(f in dates for f in ms):
            continue
        rec = campaigns.get(c, {})
        lo, hi = min(dates[f] for f in ms), max(dates[f] for f in ms)
        for k, want in (("first_seen", lo), ("last_seen", hi)):
            v = rec.get(k)
            if not isinstance(v, str) or not ISO.match(v):
                continue
            try:
                got = datetime.datetime.fromisoformat(v.replace(" ", "T"))
            except ValueError:
                problems.append(f"campaign {c}: {k} {v} unreadable")
                continue
            if got.tzinfo is None:
                got = got.replace(tzinfo=datetime.timezone.utc)
            if abs(got - want) > day:
                problems.append(f"campaign {c}: {k} {v}, its members' Date say {want.isoformat()}")
    return problems


# ------------------------------------------------------------------------------ the report

def label_of(truth_files: dict, f: str) -> str:
    return truth_files[f] or NOISE


def report(truth: dict, pred: dict[str, str], campaigns: dict[str, dict], m: dict, verbose: bool) -> list[str]:
    files = truth["files"]
    clusters = clusters_of(pred)
    out = []
    out.append(f"set: {m['generated']} generated mails in {len(m['per_series'])} series "
               f"({sum(1 for s in m['per_series'].values() if s['mails'] == 1)} singletons), "
               f"{m['noise']} noise mails; {m['campaigns']} campaigns predicted")
    out.append("")
    out.append(f"{'series':22} {'mails':>5} {'campaigns':>9} {'complete':>8}  {'main campaign':14} "
               f"{'size':>5} {'purity':>6} {'noise':>5}  name")
    rows = sorted(m["per_series"].items(), key=lambda kv: (kv[1]["mails"] == 1, -kv[1]["mails"], kv[0]))
    for lab, s in rows:
        c = collections.Counter(pred[f] for f, l in files.items() if l == lab).most_common(1)[0][0]
        comp = collections.Counter(label_of(files, f) for f in clusters[c])
        gen_n = sum(v for k, v in comp.items() if k != NOISE)
        name = campaigns.get(c, {}).get("name", "")
        mark = "*" if truth.get("split", {}).get(lab) == "test" else " "
        out.append(f"{lab:21}{mark} {s['mails']:5} {s['campaigns']:9} {s['completeness']:8.3f}  {c[:14]:14} "
                   f"{len(clusters[c]):5} {comp[lab] / gen_n:6.3f} {comp.get(NOISE, 0):5}  {str(name)[:40]}")
    out.append("(* held-out series: not to be looked at while tuning)")
    out.append("")
    out.append(f"purity                {m['purity']:.4f}  (floor {PURITY_MIN})")
    out.append(f"completeness          {m['completeness']:.4f}  (mean over series of 2+ mails; floor {COMPLETENESS_MIN}); "
               f"mail-weighted {m['completeness_weighted']:.4f}")
    out.append(f"adjusted Rand index   {m['ari']:.4f}  (floor {ARI_MIN})")
    if m["noise"]:
        out.append(f"contamination         {m['contamination_pct']:.2f}%  ({m['contaminated_noise']} of {m['noise']} "
                   f"noise mails share a campaign with generated mails; {m['generated_with_noise']} generated "
                   f"mails affected; ceiling {CONTAMINATION_MAX_PCT}%)")
        ln = m["largest_noise_campaign"]
        if ln:
            out.append(f"largest noise-only campaign: {ln[1]} mails ({ln[0]}: "
                       f"{campaigns.get(ln[0], {}).get('name', '')})")
    else:
        out.append("contamination         not measured: no noise in this set")
    split = truth.get("split", {})
    for half, what in (("tune", "tune series"), ("test", "held-out series")):
        sub = {f: s for f, s in files.items() if s is None or split.get(s, "tune") == half}
        if any(s is not None for s in sub.values()):
            hm = evaluate(sub, pred)
            out.append(f"  {what:16} purity {hm['purity']:.4f}  completeness {hm['completeness']:.4f}  "
                       f"ARI {hm['ari']:.4f}  ({hm['generated']} mails"
                       + (f"; noise merged with them {hm['contaminated_noise']}" if hm["noise"] else "") + ")")
    # Worst merges: campaigns holding mails of several series (or series and noise).
    merges = []
    for c, ms in clusters.items():
        comp = collections.Counter(label_of(files, f) for f in ms)
        if len(comp) > 1 and any(k != NOISE for k in comp):
            merges.append((len(ms) - comp.most_common(1)[0][1], c, comp))
    merges.sort(key=lambda t: (-t[0], t[1]))
    out.append("")
    out.append(f"worst merges ({len(merges)} campaigns mix series or series and noise):")
    for minority, c, comp in merges[:WORST_LISTED]:
        rec = campaigns.get(c, {})
        parts = ", ".join(f"{k} {v}" for k, v in comp.most_common())
        out.append(f"  {c} \"{rec.get('name', '')}\" [{parts}]")
        ex = (rec.get("explanation") or {}).get("en", "")
        if ex:
            out.append(f"      why: {ex[:200]}")
        if verbose:
            for f in sorted(ms for ms in clusters[c] if label_of(files, ms) != comp.most_common(1)[0][0])[:6]:
                out.append(f"      {f} ({label_of(files, f)})")
    if not merges:
        out.append("  none")
    # Worst splits: series spread over several campaigns.
    splits = [(s["completeness"], lab) for lab, s in m["per_series"].items() if s["campaigns"] > 1]
    splits.sort()
    out.append(f"worst splits ({len(splits)} series spread over several campaigns):")
    for comp_v, lab in splits[:WORST_LISTED]:
        per = collections.Counter(pred[f] for f, l in files.items() if l == lab)
        big = [f"{c} \"{campaigns.get(c, {}).get('name', '')}\" {n}" for c, n in per.most_common(4)]
        alone = sum(1 for c, n in per.items() if len(clusters[c]) == 1)
        out.append(f"  {lab} ({comp_v:.3f}): " + "; ".join(big)
                   + (f"; +{len(per) - 4} more" if len(per) > 4 else "") + (f" ({alone} alone)" if alone else ""))
        if verbose:
            main = per.most_common(1)[0][0]
            for f in sorted(f for f, l in files.items() if l == lab and pred[f] != main)[:6]:
                out.append(f"      {f} in {pred[f]}")
    if not splits:
        out.append("  none")
    return out


def floors_failed(m: dict) -> list[str]:
    fails = []
    if m["purity"] < PURITY_MIN:
        fails.append(f"purity {m['purity']:.4f} < {PURITY_MIN}")
    if m["completeness"] < COMPLETENESS_MIN:
        fails.append(f"completeness {m['completeness']:.4f} < {COMPLETENESS_MIN}")
    if m["ari"] < ARI_MIN:
        fails.append(f"adjusted Rand index {m['ari']:.4f} < {ARI_MIN}")
    if m["noise"] and m["contamination_pct"] > CONTAMINATION_MAX_PCT:
        fails.append(f"contamination {m['contamination_pct']:.2f}% > {CONTAMINATION_MAX_PCT}%")
    return fails


# ------------------------------------------------------------------------------ running

def load_generator(source: Path):
    sys.path.insert(0, str(source / "tests" / "tools"))
    import campaign_series  # noqa: E402
    return campaign_series


def read_input(mails: Path, key: str) -> bytes:
    """The bytes of one input of a set ("file" or "file.mbox#N"), as the generator wrote it."""
    return sys.modules["campaign_series"].read_member(mails, key)


def parse_input(mails: Path, key: str):
    return email.message_from_bytes(read_input(mails, key), policy=email.policy.default)


def has_campaigns_command(renkei: str) -> bool:
    """True when `renkei --help` lists a `campaigns` subcommand."""
    p = subprocess.run([renkei, "--help"], capture_output=True, timeout=60)
    text = (p.stdout + p.stderr).decode("utf-8", "replace")
    return re.search(r"^ {1,4}campaigns\s", text, re.M) is not None


def noise_dir_of(shared: str | None) -> Path | None:
    if not shared:
        return None
    d = Path(shared) / "corpus" / "phishing_pot"
    return d if d.is_dir() else None


def run(a) -> int:
    if not (os.path.isfile(a.renkei) and os.access(a.renkei, os.X_OK)):
        print(f"FAIL: renkei binary {a.renkei} is missing or not executable")
        return 1
    if not has_campaigns_command(a.renkei):
        print(f"SKIP: {a.renkei} has no `campaigns` command yet (not listed by --help); "
              "nothing to evaluate")
        return 77
    source = Path(a.source).resolve()
    with tempfile.TemporaryDirectory(prefix="renkei-campaigns-") as td:
        if a.set:
            out = Path(a.set)
            truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
            print(f"set: {out} (seed {truth.get('seed')})")
        else:
            out = Path(a.keep) if a.keep else Path(td)
            gen = load_generator(source)
            nd = noise_dir_of(a.shared)
            truth = gen.generate(out, a.seed, nd, a.noise)
            print(f"set: generated with seed {a.seed} into {out}")
        noise = truth["noise"]
        if noise.get("count"):
            print(f"noise: {noise['count']} messages of phishing_pot, the {noise['half']} half "
                  f"({noise['source']})")
        else:
            print("noise: none (the shared data's corpus/phishing_pot is absent): the run scores the "
                  "generated series only and contamination is not measured")
        mails = out / "mails"
        args = ["campaigns", "--format", "json"]
        if not a.no_registry and (out / "registry.toml").exists():
            args += ["--registry", str(out / "registry.toml")]
        args.append(str(mails))
        print("run: renkei " + " ".join(args))
        t0 = datetime.datetime.now()
        try:
            p = subprocess.run([a.renkei, *args], capture_output=True, timeout=RUN_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            print(f"FAIL: renkei campaigns did not finish in {RUN_TIMEOUT_S} s")
            return 1
        secs = (datetime.datetime.now() - t0).total_seconds()
        stderr = p.stderr.decode("utf-8", "replace")
        print(f"renkei campaigns: exit {p.returncode} in {secs:.1f} s for {len(truth['files'])} mails")
        failures = []
        if p.returncode not in (0, 1):
            failures.append(f"renkei campaigns exited {p.returncode}: {stderr[-800:]}")
        elif p.returncode == 1:
            print("note: exit 1 (some inputs unreadable): " + stderr[-400:])
        campaigns, pred, problems = parse_output(p.stdout.decode("utf-8", "replace"), mails,
                                                 set(truth["files"]))
        problems += check_seen(campaigns, pred, {f: s for f, s in truth["files"].items() if f in pred}, mails)
        for pr in problems[:30]:
            print("FAIL contract: " + pr)
        if len(problems) > 30:
            print(f"FAIL contract: ... {len(problems) - 30} more")
        failures += [f"contract: {pr}" for pr in problems]
        placed = {f: s for f, s in truth["files"].items() if f in pred}
        if len(placed) < len(truth["files"]):
            print(f"note: {len(truth['files']) - len(placed)} inputs in no campaign are left out of the scores")
        if any(s is not None for s in placed.values()):
            m = evaluate(placed, pred)
            lines = report({**truth, "files": placed}, pred, campaigns, m, a.verbose)
            print("\n".join(lines))
            failures += floors_failed(m)
            if a.report:
                Path(a.report).write_text("\n".join(lines) + "\n", encoding="utf-8")
            summary = (f"campaign quality: purity {m['purity']:.3f}, completeness {m['completeness']:.3f}, "
                       f"ARI {m['ari']:.3f}, contamination "
                       + (f"{m['contamination_pct']:.2f}%" if m["noise"] else "n/a")
                       + f", {m['campaigns']} campaigns for {m['generated']} + {m['noise']} mails")
        else:
            summary = "campaign quality: not scored (the output places no generated mail)"
        for f in failures:
            if not f.startswith("contract: "):
                print("FAIL " + f)
        print(summary)
        return 1 if failures else 0


# ------------------------------------------------------------------------------ naive baselines

def baselines(truth: dict, mails: Path) -> list[str]:
    """Scores of naive groupings (one feature each) on a set: what a clustering must beat. Not a
    stand-in for renkei; printed by --self-test and --baselines."""
    def key_from(msg, how: str, f: str) -> str:
        if how == "From domain":
            a = msg["From"].addresses if msg["From"] is not None else ()
            return a[0].domain.lower() if a else f
        if how == "Reply-To or From address":
            h = msg["Reply-To"] if msg["Reply-To"] is not None else msg["From"]
            a = h.addresses if h is not None else ()
            return a[0].addr_spec.lower() if a else f
        return str(msg["Subject"] or f)
    msgs = {}
    for f in truth["files"]:
        try:
            msgs[f] = parse_input(mails, f)
        except Exception:  # noqa: BLE001 - a noise file Python cannot parse stays alone
            msgs[f] = None
    out = []
    for how in ("From domain", "Reply-To or From address", "Subject"):
        pred = {}
        for f, msg in msgs.items():
            try:
                pred[f] = key_from(msg, how, f) if msg is not None else f
            except Exception:  # noqa: BLE001
                pred[f] = f
        m = evaluate(truth["files"], pred)
        out.append(f"baseline by {how:25} purity {m['purity']:.3f}  completeness {m['completeness']:.3f}  "
                   f"ARI {m['ari']:.3f}  contamination "
                   + (f"{m['contamination_pct']:.2f}%" if m["noise"] else "n/a"))
    return out


# ------------------------------------------------------------------------------ self-test

def self_test(a) -> int:
    fails: list[str] = []

    def check(name: str, cond: bool, detail: str = "") -> None:
        if not cond:
            fails.append(f"{name}: {detail}")
            print(f"FAIL {name}: {detail}")

    def close(x: float, y: float) -> bool:
        return math.isclose(x, y, abs_tol=1e-9)

    def part(labels: list) -> dict[str, str]:
        return {f"m{i}": str(v) for i, v in enumerate(labels)}

    # Known values (the examples of scikit-learn's adjusted_rand_score documentation).
    check("ari.known_4_7", close(adjusted_rand_index(part([0, 0, 1, 2]), part([0, 0, 1, 1])), 4 / 7))
    check("ari.known_0_2424", close(adjusted_rand_index(part([0, 0, 0, 1, 1, 1]), part([0, 0, 1, 1, 2, 2])),
                                    0.24242424242424243))
    check("ari.relabelled", close(adjusted_rand_index(part([0, 0, 1, 1]), part([5, 5, 3, 3])), 1.0))
    check("ari.all_alone_vs_pairs", close(adjusted_rand_index(part([0, 0, 1, 1]), part([0, 1, 2, 3])), 0.0))
    check("purity.half", close(purity(part([0, 0, 1, 1]), part([0, 0, 0, 0])), 0.5))

    src = Path(a.source).resolve()
    gen = load_generator(src)
    nd = noise_dir_of(a.shared)
    with tempfile.TemporaryDirectory(prefix="renkei-campaigns-selftest-") as td:
        t1 = gen.generate(Path(td) / "a", 7, nd, 40)
        t2 = gen.generate(Path(td) / "b", 7, nd, 40)
        t3 = gen.generate(Path(td) / "c", 8, None, 0)
        same = t1["files"] == t2["files"] and all(
            read_input(Path(td) / "a" / "mails", f) == read_input(Path(td) / "b" / "mails", f)
            for f in t1["files"])
        check("generator.deterministic", same, "two runs with one seed differ")
        differs = any(read_input(Path(td) / "c" / "mails", f) != read_input(Path(td) / "a" / "mails", f)
                      for f in t3["files"] if f in t1["files"])
        check("generator.seed_matters", differs, "seeds 7 and 8 give the same mails")
        truth = t1
        files = truth["files"]
        gen_files = {f: s for f, s in files.items() if s is not None}
        sizes = collections.Counter(gen_files.values())
        print(f"generator: {len(gen_files)} mails in {len(sizes)} series; noise "
              f"{truth['noise']['count']} ({'phishing_pot, ' + truth['noise']['half'] + ' half' if nd else 'absent'})")
        check("generator.total", 400 <= len(gen_files) <= 700, f"{len(gen_files)} generated mails")
        for s in gen.SERIES:
            check(f"generator.size.{s}", sizes[s] >= 20, f"{sizes[s]} mails")
        for s in gen.HOLDOUT_SERIES:
            check(f"generator.size.{s}", sizes[s] >= 12 and truth["split"][s] == "test", f"{sizes[s]} mails")
        check("generator.work_scam_table6", sizes["work-scam"] == 185, f"{sizes['work-scam']}")
        check("generator.series_described", set(sizes) <= set(truth["series"]), "a series without description")
        if nd:
            check("generator.noise", truth["noise"]["count"] == 40 and all(
                gen.half_of(f.split("/")[-1]) == gen.NOISE_HALF for f, s in files.items() if s is None),
                "noise sample not 40 files of the test half")
        # Every generated mail parses and carries what a real delivery would.
        bad = []
        for f in gen_files:
            msg = parse_input(Path(td) / "a" / "mails", f)
            for h in ("From", "To", "Subject", "Date", "Message-ID", "Received"):
                if msg[h] is None:
                    bad.append(f"{f} lacks {h}")
            if msg["Date"] is not None and msg["Date"].datetime is None:
                bad.append(f"{f}: Date unparsable")
            if msg.defects:
                bad.append(f"{f}: {msg.defects}")
        check("generator.mails_parse", not bad, "; ".join(bad[:5]))
        in_mbox = [f for f in gen_files if "#" in f]
        check("generator.mbox", len(in_mbox) == gen.MBOX_MAILS and f"{gen.MBOX_NAME}#1" in files
              and f"{gen.MBOX_NAME}#{gen.MBOX_MAILS}" in files, f"{len(in_mbox)} mbox members")
        series_ceo = [f for f, s in gen_files.items() if s == "cosmic-ceo"]
        froms = {parse_input(Path(td) / "a" / "mails", f)["From"].addresses[0].domain for f in series_ceo}
        check("generator.cosmic_domains_vary", len(froms) >= 8, f"{len(froms)} sender domains")

        # The whole pipeline on stand-in partitions, through parse_output as renkei's output would be.
        mails = Path(td) / "a" / "mails"

        def lines_of(partition: dict[str, str]) -> str:
            out = []
            for c, ms in sorted(clusters_of(partition).items()):
                out.append(json.dumps({"id": c, "name": f"campaign {c}", "members": [str(mails / f) for f in sorted(ms)],
                                       "explanation": {"en": "test", "ja": "テスト"},
                                       "first_seen": "2020-01-02T03:04:05Z", "last_seen": None}))
            return "\n".join(out) + "\n"

        expected = set(files)
        perfect = {f: (s if s is not None else "noise:" + f) for f, s in files.items()}
        camp, pred, problems = parse_output(lines_of(perfect), mails, expected)
        check("pipeline.perfect.contract", not problems, "; ".join(problems[:3]))
        m = evaluate(files, pred)
        check("pipeline.perfect.scores", close(m["purity"], 1) and close(m["completeness"], 1)
              and close(m["ari"], 1) and m["contaminated_noise"] == 0 and not floors_failed(m), str(floors_failed(m)))
        report(truth, pred, camp, m, True)
        seen = {c: dict(r) for c, r in camp.items()}
        for c, ms in clusters_of(pred).items():
            if all(files[f] is not None for f in ms):
                ds = sorted(parse_input(mails, f)["Date"].datetime
                            for f in ms)
                seen[c]["first_seen"] = ds[0].astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
                seen[c]["last_seen"] = ds[-1].isoformat()
        check("seen.right", not check_seen(seen, pred, files, mails), "; ".join(check_seen(seen, pred, files, mails)[:3]))
        seen["cosmic-ceo"]["first_seen"] = "2018-01-01"
        seen["work-scam"]["last_seen"] = "2020-11-01T00:00:00+09:00"
        wrong = check_seen(seen, pred, files, mails)
        check("seen.wrong", len(wrong) == 2 and "cosmic-ceo" in wrong[0] + wrong[1], "; ".join(wrong))
        for ln in baselines(truth, mails):
            print(ln)

        one = {f: "all" for f in files}
        m = evaluate(files, one)
        check("pipeline.one_cluster", close(m["completeness"], 1) and m["purity"] < 0.5 and close(m["ari"], 0)
              and (not nd or close(m["contamination_pct"], 100)), f"{m['purity']} {m['ari']}")
        check("pipeline.one_cluster.fails", bool(floors_failed(m)), "floors hold for one cluster")

        rng = random.Random(1)
        labels = list(perfect.values())
        rng.shuffle(labels)
        shuffled = dict(zip(perfect, labels))
        m = evaluate(files, shuffled)
        check("pipeline.random", abs(m["ari"]) < 0.05 and m["purity"] < 0.7 and bool(floors_failed(m)),
              f"ARI {m['ari']:.3f} purity {m['purity']:.3f}")

        alone = {f: f for f in files}
        m = evaluate(files, alone)
        check("pipeline.all_alone", close(m["purity"], 1) and m["completeness"] < 0.2 and m["ari"] < 0.01,
              f"{m['completeness']} {m['ari']}")

        # One series split in two halves: completeness of that series 0.5.
        split = dict(perfect)
        wf = sorted(f for f, s in files.items() if s == "work-scam")
        for f in wf[: len(wf) // 2]:
            split[f] = "work-scam-b"
        m = evaluate(files, split)
        check("pipeline.split", close(m["per_series"]["work-scam"]["completeness"], (len(wf) - len(wf) // 2) / len(wf))
              and m["per_series"]["work-scam"]["campaigns"] == 2 and close(m["purity"], 1), str(m["per_series"]["work-scam"]))
        lines = report(truth, split, {}, m, False)
        check("pipeline.split.listed", any(ln.startswith("  work-scam (") for ln in lines), "split not listed")

        if nd:
            polluted = dict(perfect)
            noise_files = sorted(f for f, s in files.items() if s is None)
            for f in noise_files[:3]:
                polluted[f] = "work-scam"
            m = evaluate(files, polluted)
            check("pipeline.contamination", m["contaminated_noise"] == 3 and close(m["contamination_pct"], 7.5)
                  and close(m["purity"], 1) and bool(floors_failed(m)), str(m["contamination_pct"]))
            lines = report(truth, polluted, {}, m, False)
            check("pipeline.contamination.listed", any("(noise) 3" in ln for ln in lines), "merge not listed")

        # Contract problems are found: a missing member, a duplicate, a foreign path, bad fields.
        text = lines_of(perfect).splitlines()
        recs = [json.loads(x) for x in text]
        recs[0]["members"] = recs[0]["members"][1:]
        recs[1]["members"].append(recs[2]["members"][0])
        recs[3]["members"].append("/elsewhere/x.eml")
        recs[4]["explanation"] = {"en": "x"}
        recs[5]["last_seen"] = "yesterday"
        del recs[6]["name"]
        _, _, problems = parse_output("\n".join(json.dumps(r) for r in recs) + "\nnot json\n", mails, expected)
        for what in ("is in no campaign", "in campaigns", "is not an input", "explanation", "last_seen",
                     "name missing", "not JSON"):
            check(f"contract.{what.replace(' ', '_')}", any(what in p for p in problems), "not reported")
    print(f"campaign_quality self-test: {len(fails)} failed")
    return 1 if fails else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--renkei")
    ap.add_argument("--source", default=str(Path(__file__).resolve().parents[2]))
    ap.add_argument("--shared")
    ap.add_argument("--seed", type=int, default=None, help="generator seed (default: the generator's)")
    ap.add_argument("--noise", type=int, default=None, help="noise messages (default: the generator's)")
    ap.add_argument("--set", help="score an existing set (DIR with mails/ and truth.json) instead")
    ap.add_argument("--keep", help="generate into this directory and keep it")
    ap.add_argument("--no-registry", action="store_true", help="run without the set's registry.toml")
    ap.add_argument("--report", help="also write the report to this file")
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    if a.self_test:
        return self_test(a)
    if not a.renkei:
        ap.error("--renkei is required (or --self-test)")
    gen = load_generator(Path(a.source).resolve())
    a.seed = gen.DEFAULT_SEED if a.seed is None else a.seed
    a.noise = gen.DEFAULT_NOISE if a.noise is None else a.noise
    return run(a)


if __name__ == "__main__":
    sys.exit(main())
