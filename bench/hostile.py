#!/usr/bin/env python3
"""Time renkei on hostile messages built to find super-linear paths (a benchmark, not a test).

    python3 bench/hostile.py [--renkei build/release/renkei] [--scale 1.0] [--markdown]

Writes a set of generated messages (each 0.1-15 MB: one long line full of addresses, a million
'@' or '<', deep or wide HTML, a long run of one byte as an attachment, thousands of encoded
words or Received headers, ...) into a temporary directory, runs `renkei analyze --format json
--jobs 1` on each one separately and prints, per message, its size, the analysis time renkei
reports (`elapsed_ms`), microseconds per KB and the limits it hit. The ordinary mail of
phishing_pot costs ~15-30 us/KB; a row far above that, or one that grows faster than its input
when --scale is doubled, is a path worth a look. Nothing here needs ../shared/data.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

HEAD = "From: a <a@example.com>\nTo: b@example.org\nSubject: test\nMIME-Version: 1.0\n"
TEXT = "Content-Type: text/plain; charset=utf-8\n"
HTML = "Content-Type: text/html; charset=utf-8\n"


def cases(k):
    """(name, bytes) for every hostile shape; k scales the repetition counts."""
    n = lambda base: max(1, int(base * k))  # noqa: E731
    rng = random.Random(1)
    yield "freemail addresses on one line", TEXT, " ".join(f"write x{i}@gmail.com" for i in range(n(60000)))
    yield "one million '@'", TEXT, "@" * n(1000000)
    yield "'a@b ' repeated", TEXT, "a@b " * n(250000)
    yield "URLs on one line", TEXT, " ".join(f"http://x{i}.example.com/a" for i in range(n(60000)))
    yield "URLs one per line", TEXT, "\n".join(f"http://x{i}.example.com/a" for i in range(n(60000)))
    yield "one million '.'", TEXT, "." * n(1000000)
    yield "'www.' repeated", TEXT, "www." * n(250000)
    yield "one 2 MB word", TEXT, "a" * n(2000000)
    yield "defanged URLs", TEXT, "hxxp[:]//a[.]b[.]c " * n(100000)
    yield "percent escapes", TEXT, "http://a.com/" + "%41" * n(300000)
    yield "'<a@b.com>' repeated", TEXT, "<a@b.com>" * n(200000)
    yield "quoted 50 deep", TEXT, "\n".join("> " * 50 + "line" for _ in range(n(20000)))
    yield "forwarded From: lines", TEXT, "\n".join(f"From: x{i}@gmail.com" for i in range(n(50000)))
    yield "Japanese text", TEXT, "お支払い方法の更新をお願いします。" * n(50000)
    yield "zero-width between letters", TEXT, "a\u200b" * n(500000)
    yield "RTL overrides", TEXT, "\u202e" * n(500000)
    yield "undeclared 8-bit garbage", "Content-Type: text/plain\n", bytes(rng.randrange(128, 256) for _ in range(n(1000000)))
    yield "ISO-2022-JP escapes only", "Content-Type: text/plain; charset=iso-2022-jp\n", "\x1b$B" * n(300000)
    yield "quoted-printable '='", "Content-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n", "=" * n(1000000)
    yield "anchors", HTML, "".join(f'<a href="http://x{i}.com/">click {i}</a>' for i in range(n(60000)))
    yield "nested <div>", HTML, "<div>" * n(100000) + "x" + "</div>" * n(100000)
    yield "attributes on one tag", HTML, "<a " + " ".join(f'h{i}="x"' for i in range(n(100000))) + ">x</a>"
    yield "unclosed comments", HTML, "<!--" * n(200000)
    yield "inline style", HTML, '<p style="' + "color:red;" * n(200000) + '">x</p>'
    yield "entities", HTML, "&amp;" * n(300000) + "&#x41;" * n(100000)
    yield "one million '<'", HTML, "<" * n(1000000)
    yield "parts", 'Content-Type: multipart/mixed; boundary="b"\n', "".join("--b\nContent-Type: text/plain\n\nx\n" for _ in range(n(20000))) + "--b--\n"
    yield "boundary-like lines", 'Content-Type: multipart/mixed; boundary="b"\n', "--b" * n(300000)
    attachment = ("QUFB" * 19 + "\n") * n(200000)
    yield "attachment of one repeated byte", 'Content-Type: multipart/mixed; boundary="b"\n', (
        "--b\nContent-Type: application/octet-stream; name=x.bin\nContent-Transfer-Encoding: base64\n\n"
        + attachment + "--b--\n")
    yield "headers", None, "".join(f"X-H{i}: v\n" for i in range(n(100000))) + TEXT + "\nx"
    yield "Received headers", None, "".join(
        f"Received: from a{i}.example.com (a{i} [10.0.0.{i % 255}]) by b.example.com; Mon, 3 Apr 2023 11:22:16 +0000\n"
        for i in range(n(20000))) + TEXT + "\nx"
    yield "encoded words in Subject", None, "Subject: " + " ".join("=?utf-8?B?44GC?=" for _ in range(n(100000))) + "\n" + TEXT + "\nx"
    yield "addresses in To", None, "To: " + ", ".join(f"u{i}@example.com" for i in range(n(100000))) + "\n" + TEXT + "\nx"
    yield "nested comments in From", None, "From: " + "(" * n(100000) + "a@example.com\n" + TEXT + "\nx"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--renkei", default=os.path.join(here, "..", "build", "release", "renkei"))
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every repetition count")
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    if not os.access(args.renkei, os.X_OK):
        sys.exit(f"hostile: {args.renkei} is not built (cmake --build --preset release)")

    rows = []
    with tempfile.TemporaryDirectory(prefix="renkei-hostile-") as tmp:
        # One process for all of them, an ordinary mail first: the first message of a process also
        # pays for loading libmagic's database and the like, which is not what is measured here.
        with open(os.path.join(tmp, "00-warm-up.eml"), "w") as f:
            f.write(HEAD + TEXT + "\nHello, the minutes of today's meeting are attached.\n")
        names = {}
        for i, (name, content_type, body) in enumerate(cases(args.scale), start=1):
            if content_type is None:  # the case writes its own header block
                head = "From: a <a@example.com>\nTo: b@example.org\nMIME-Version: 1.0\n"
            else:
                head = HEAD + content_type + "\n"
            path = os.path.join(tmp, f"{i:02d}.eml")
            with open(path, "wb") as f:
                f.write(head.encode() + (body if isinstance(body, bytes) else body.encode()))
            names[path] = name
        out = subprocess.run([args.renkei, "analyze", "--format", "json", "--jobs", "1", tmp],
                             capture_output=True, text=True)
        seen = set()
        for line in out.stdout.splitlines():
            result = json.loads(line)
            name = names.get(result["source"])
            if name is None:
                continue
            seen.add(result["source"])
            limits = sorted({h.get("limit", "?") if isinstance(h, dict) else str(h) for h in result["limits_hit"]})
            rows.append((name, os.path.getsize(result["source"]), result["elapsed_ms"], ", ".join(limits)))
        for path, name in names.items():
            if path not in seen:
                rows.append((name, os.path.getsize(path), None, f"no result (exit {out.returncode})"))

    header = ["case", "MB", "ms", "us/KB", "limits hit"]
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
    else:
        print(f"{'case':34}{'MB':>7}{'ms':>9}{'us/KB':>8}  limits hit")
    for name, size, ms, note in sorted(rows, key=lambda r: -(r[2] if r[2] is not None else 1e9) / r[1]):
        if ms is None:
            cells = [name, f"{size / 1e6:.2f}", "failed", "", note]
        else:
            cells = [name, f"{size / 1e6:.2f}", f"{ms:.1f}", f"{1000 * ms / (size / 1024):.1f}", note]
        if args.markdown:
            print("| " + " | ".join(cells) + " |")
        else:
            print(f"{cells[0]:34}{cells[1]:>7}{cells[2]:>9}{cells[3]:>8}  {cells[4]}")


if __name__ == "__main__":
    main()
