#!/usr/bin/env python3
"""End-to-end tests of `renkei lookalike` through the real binary: the seed domains against the
seed registry, JSON contract, stdin, defanged input, --generate and its round trip, exit codes."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _harness import check, parse_args, run, summary  # noqa: E402


# The seed reports' look-alikes and what they imitate (SPEC 4.1; Q2-2020 case 2, Q4-2020 cases).
SEED = [
    ("b-companys-cc.com", "b-companys.com.cc", "label-reorder"),
    ("b-cornpanysgroup-cc.com", "b-companysgroup.com.cc", "homoglyph"),
    ("b-company-jp.co", "b-company.co.jp", "label-reorder"),
    ("a-compeny.co.jp", "a-company.co.jp", "vowel-swap"),
]


def main():
    args = parse_args()
    r = args.renkei
    registry = os.path.join(args.source, "tests", "fixtures", "registries", "seed.toml")

    # JSON: one object per input domain with the contract's fields.
    domains = [d for d, _, _ in SEED] + ["example-mfg.co.jp", "toyota.co.jp"]
    code, out, err = run(r, ["lookalike", "--registry", registry, "--format", "json", *domains])
    check("json.exit", code == 0, f"exit {code}: {err}")
    objs = [json.loads(l) for l in out.splitlines() if l.strip()]
    check("json.one_per_input", len(objs) == len(domains), f"{len(objs)} objects for {len(domains)} inputs")
    for obj in objs:
        for field in ["domain", "lookalike_of", "techniques", "score", "explanation"]:
            check(f"json.{obj.get('domain')}.{field}", field in obj, f"missing in {obj}")
    by_domain = {o["domain"]: o for o in objs}
    for cand, real, technique in SEED:
        o = by_domain.get(cand, {})
        check(f"seed.{cand}.of", o.get("lookalike_of") == real, str(o))
        check(f"seed.{cand}.technique", technique in o.get("techniques", []), str(o.get("techniques")))
        check(f"seed.{cand}.score", isinstance(o.get("score"), int) and 50 <= o["score"] <= 100, str(o.get("score")))
        check(f"seed.{cand}.explains", real in (o.get("explanation") or "") and cand in (o.get("explanation") or ""),
              str(o.get("explanation")))
    check("seed.reorder_words", "labels reordered and a dot replaced by a hyphen"
          in (by_domain.get("b-companys-cc.com", {}).get("explanation") or ""), str(by_domain.get("b-companys-cc.com")))
    check("own.protected", by_domain.get("example-mfg.co.jp", {}).get("lookalike_of") is None
          and by_domain.get("example-mfg.co.jp", {}).get("protected") is True, str(by_domain.get("example-mfg.co.jp")))
    check("unrelated.null", by_domain.get("toyota.co.jp", {}).get("lookalike_of") is None
          and by_domain.get("toyota.co.jp", {}).get("techniques") == [], str(by_domain.get("toyota.co.jp")))

    # Stdin, one per line, with comments, blank lines, defanged forms, a URL and an address.
    stdin = ("# suspicious senders\n\nb-companys-cc[.]com\nhxxps://login.example-mfg.co.jp.verify-id[.]net/x\n"
             "bob@a-compeny.co.jp\n").encode()
    code, out, err = run(r, ["lookalike", "--registry", registry, "--format", "json"], stdin=stdin)
    objs = [json.loads(l) for l in out.splitlines() if l.strip()]
    check("stdin.exit", code == 0, f"exit {code}: {err}")
    check("stdin.count", len(objs) == 3, f"{len(objs)}: {out}")
    check("stdin.all_found", all(o.get("lookalike_of") for o in objs), out)
    check("stdin.subdomain", "subdomain" in objs[1].get("techniques", []) if len(objs) > 1 else False, out)

    # Brands are the default protected set; IDN shown decoded; Japanese explanations.
    code, out, err = run(r, ["lookalike", "--format", "json", "--lang", "ja", "xn--pple-43d.com", "amaz0n.co.jp"])
    objs = [json.loads(l) for l in out.splitlines() if l.strip()]
    check("brands.exit", code == 0, f"exit {code}: {err}")
    check("brands.idn", len(objs) == 2 and objs[0].get("lookalike_of") == "apple.com"
          and "аpple.com" in (objs[0].get("explanation") or ""), out)
    check("brands.ja", len(objs) == 2 and "似た文字" in (objs[1].get("explanation") or "")
          and objs[1].get("lookalike_of") == "amazon.co.jp", out)

    # Text output for people.
    code, out, err = run(r, ["lookalike", "--registry", registry, "b-companys-cc.com"])
    check("text.exit", code == 0, f"exit {code}: {err}")
    check("text.says", "look-alike of b-companys.com.cc" in out and "B Companys" in out, out)

    # Errors: a bad input is reported and the rest goes on (exit 1); a bad registry is setup (3);
    # nothing to compare with is usage (2).
    code, out, err = run(r, ["lookalike", "--format", "json", "not a domain", "b-companys-cc.com", "--protect", "b-companys.com.cc"])
    objs = [json.loads(l) for l in out.splitlines() if l.strip()]
    check("bad_input.exit", code == 1, f"exit {code}")
    check("bad_input.reported", len(objs) == 2 and "error" in objs[0] and objs[1].get("lookalike_of") == "b-companys.com.cc", out)
    # A line that is no domain name at all (5,000 bytes, binary) is reported and skipped; the rest goes on.
    code, out, err = run(r, ["lookalike", "--format", "json", "--protect", "b-companys.com.cc"],
                         stdin=b"\xff\x00" * 2500 + b"\nb-companys-cc.com\n")
    objs = [json.loads(l) for l in out.splitlines() if l.strip()]
    check("long_line.skipped", code == 1 and "longer than" in err and len(objs) == 1
          and objs[0].get("lookalike_of") == "b-companys.com.cc", f"{code}: {err} {out}")
    code, _, err = run(r, ["lookalike", "--registry", "/nonexistent/registry.toml", "x.com"])
    check("bad_registry.exit", code == 3, f"exit {code}")
    check("bad_registry.hint", "--registry" in err, err)
    code, _, err = run(r, ["lookalike", "--no-brands", "x.com"])
    check("nothing_to_compare.exit", code == 2, f"exit {code}")

    # --generate: variants of every technique, each recognised by the checker (round trip).
    code, out, err = run(r, ["lookalike", "--generate", "a-company.co.jp", "--format", "json"])
    check("generate.exit", code == 0, f"exit {code}: {err}")
    variants = [json.loads(l) for l in out.splitlines() if l.strip()]
    techniques = {v["technique"] for v in variants}
    check("generate.many", len(variants) > 200, str(len(variants)))
    for t in ["homoglyph", "label-reorder", "tld-swap", "subdomain", "vowel-swap", "addition", "omission",
              "repetition", "replacement", "transposition", "insertion", "hyphenation", "bitsquatting",
              "plural", "dictionary"]:
        check(f"generate.has_{t}", t in techniques, str(sorted(techniques)))
    check("generate.seed_vowel", any(v["domain"] == "a-compeny.co.jp" and v["technique"] == "vowel-swap"
                                     for v in variants), "a-compeny.co.jp missing")
    sample = [v["domain"] for v in variants][::7]
    code, out, err = run(r, ["lookalike", "--no-brands", "--protect", "a-company.co.jp", "--format", "json"],
                         stdin=("\n".join(sample) + "\n").encode())
    back = [json.loads(l) for l in out.splitlines() if l.strip()]
    missed = [b["domain"] for b in back if b.get("lookalike_of") != "a-company.co.jp"]
    check("generate.round_trip", len(back) == len(sample) and not missed, f"{len(missed)} missed: {missed[:5]}")
    code, _, err = run(r, ["lookalike", "--generate", "a-company.co.jp", "--max-variants", "10"])
    check("generate.truncated", code == 0 and "stopped at 10" in err, err)
    code, _, err = run(r, ["lookalike", "--generate", "co.jp"])
    check("generate.bad", code == 1 and "co.jp" in err, f"exit {code}: {err}")

    return summary("lookalike cli")


if __name__ == "__main__":
    sys.exit(main())
