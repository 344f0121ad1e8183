#!/usr/bin/env python3
"""End-to-end tests of `renkei analyze` through the real binary: inputs, formats, exit codes."""
import json
import os
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _harness import check, parse_args, run, summary  # noqa: E402

BEC = (b"From: Bob Smith <bob@b-company.co.jp>\r\n"
       b"Reply-To: Bob Smith <bob.b-company@mail.com>\r\n"
       b"To: Alice <alice@a-company.co.jp>\r\n"
       b"Subject: Change of bank account\r\n"
       b"Date: Mon, 21 Oct 2019 10:00:00 +0900\r\n"
       b"Message-ID: <1@b-company.co.jp>\r\n\r\n"
       b"Dear Alice,\r\nOur bank has a technical problem. Please use our alternative account in Hong Kong "
       b"for the refund.\r\nRegards,\r\nBob\r\n")


def main():
    args = parse_args()
    r = args.renkei

    with tempfile.TemporaryDirectory() as tmp:
        eml = os.path.join(tmp, "bec.eml")
        with open(eml, "wb") as f:
            f.write(BEC)

        # JSON Lines for one file; verdict and contract fields.
        code, out, err = run(r, ["analyze", "--format", "json", eml])
        check("json.exit", code == 0, f"exit {code}: {err}")
        lines = [l for l in out.splitlines() if l.strip()]
        check("json.one_line", len(lines) == 1, f"{len(lines)} lines")
        obj = json.loads(lines[0]) if lines else {}
        check("json.schema", obj.get("schema") == "renkei.analysis/1", str(obj.get("schema")))
        check("json.source", obj.get("source") == eml, str(obj.get("source")))
        for field in ["message", "signals", "indicators", "attachments", "verdict", "errors", "limits_hit"]:
            check(f"json.has_{field}", field in obj, "missing")
        ids = {s["id"] for s in obj.get("signals", [])}
        check("json.reply_to_diverges", "reply_to_diverges" in ids, str(ids))
        check("json.payment_change", "payment_change_request" in ids, str(ids))
        check("json.verdict_bec", obj.get("verdict", {}).get("class") == "bec", str(obj.get("verdict")))
        check("json.bec_type_1", obj.get("verdict", {}).get("bec_type") == 1, str(obj.get("verdict")))
        for s in obj.get("signals", []):
            check(f"json.signal_shape.{s.get('id')}", s.get("severity") in ("info", "low", "medium", "high") and
                  "evidence" in s and s.get("explanation", {}).get("ja"), str(s))

        # stdin
        code, out, _ = run(r, ["analyze", "--format", "json", "-"], stdin=BEC)
        check("stdin.exit", code == 0, f"exit {code}")
        check("stdin.source", json.loads(out.splitlines()[0]).get("source") == "-", out[:200])

        # text output in both languages
        code, out, _ = run(r, ["analyze", "--no-color", eml])
        check("text.en", code == 0 and "reply_to_diverges" in out and "verdict: bec" in out, out[:400])
        code, out, _ = run(r, ["analyze", "--no-color", "--lang", "ja", eml])
        check("text.ja", code == 0 and "判定" in out and "ビジネスメール詐欺" in out, out[:400])

        # mbox with three messages, one containing an escaped >From line
        mbox = os.path.join(tmp, "box.mbox")
        with open(mbox, "wb") as f:
            for i in range(3):
                f.write(b"From sender@example.com Mon Jan  1 00:00:00 2024\n")
                f.write(BEC.replace(b"\r\n", b"\n").replace(b"Subject: Change", b"Subject: %d Change" % i))
                f.write(b">From the desk of Bob\n\n")
        code, out, _ = run(r, ["analyze", "--format", "json", mbox])
        objs = [json.loads(l) for l in out.splitlines() if l.strip()]
        check("mbox.count", len(objs) == 3, f"{len(objs)} objects")
        check("mbox.sources", [o["source"] for o in objs] == [f"{mbox}#{i}" for i in (1, 2, 3)],
              str([o["source"] for o in objs]))

        # directory, order, jobs
        d = os.path.join(tmp, "dir")
        os.makedirs(os.path.join(d, "sub"))
        for i in range(12):
            with open(os.path.join(d, "sub" if i % 2 else "", f"m{i:02d}.eml"), "wb") as f:
                f.write(BEC)
        code, out, _ = run(r, ["analyze", "--format", "json", "--jobs", "4", d])
        srcs = [json.loads(l)["source"] for l in out.splitlines() if l.strip()]
        check("dir.count", len(srcs) == 12, f"{len(srcs)}")
        check("dir.sorted_order", srcs == sorted(srcs), str(srcs))

        # missing file and empty file: reported, batch goes on, exit 1
        empty = os.path.join(tmp, "empty.eml")
        open(empty, "wb").close()
        code, out, err = run(r, ["analyze", "--format", "json", os.path.join(tmp, "nope.eml"), empty, eml])
        objs = [json.loads(l) for l in out.splitlines() if l.strip()]
        check("errors.exit1", code == 1, f"exit {code}")
        check("errors.batch_goes_on", len(objs) == 3 and objs[2]["verdict"]["class"] == "bec", str(len(objs)))
        check("errors.message", objs and objs[0]["errors"] and "no such file" in objs[0]["errors"][0], str(objs[:1]))
        check("errors.empty", len(objs) > 1 and objs[1]["errors"], str(objs[1:2]))

        # usage errors
        code, _, _ = run(r, ["analyze", "--format", "xml", eml])
        check("usage.bad_format", code == 2, f"exit {code}")
        code, _, _ = run(r, ["analyze"])
        check("usage.no_input", code == 2, f"exit {code}")
        code, _, err = run(r, ["analyze", "--registry", os.path.join(tmp, "missing.toml"), eml])
        check("setup.missing_registry", code == 3 and "registry" in err.lower(), f"exit {code}: {err}")
        bad = os.path.join(tmp, "bad.toml")
        with open(bad, "w") as f:
            f.write("[[organization]]\nname = \"X\"\ndomains = [\"x.example\"\nfoo=1\n")
        code, _, err = run(r, ["analyze", "--registry", bad, eml])
        check("setup.bad_registry", code == 3 and "bad.toml" in err, f"exit {code}: {err}")

        # forwarded-as-attachment report: inner message analysed, outer kept as envelope
        fwd = os.path.join(tmp, "fwd.eml")
        with open(fwd, "wb") as f:
            f.write(b"From: Reporter <soc@member.example>\r\nTo: hub@hub.example\r\nSubject: Fw: suspicious\r\n"
                    b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
                    b"--b\r\nContent-Type: text/plain\r\n\r\nPlease check this mail.\r\n"
                    b"--b\r\nContent-Type: message/rfc822\r\n\r\n" + BEC + b"\r\n--b--\r\n")
        code, out, _ = run(r, ["analyze", "--format", "json", fwd])
        obj = json.loads(out.splitlines()[0])
        check("forward.inner_from", obj["message"]["from"]["address"] == "bob@b-company.co.jp", str(obj["message"]["from"]))
        check("forward.envelope", obj.get("report_envelope", {}).get("from", {}).get("address") == "soc@member.example",
              str(obj.get("report_envelope")))
        check("forward.verdict", obj["verdict"]["class"] == "bec", str(obj["verdict"]))

        # limits: a message over --max-message-mb is cut and reported
        big = os.path.join(tmp, "big.eml")
        with open(big, "wb") as f:
            f.write(b"Subject: big\r\n\r\n" + b"x" * (2 * 1024 * 1024))
        code, out, _ = run(r, ["analyze", "--format", "json", "--max-message-mb", "1", big])
        obj = json.loads(out.splitlines()[0])
        check("limits.message_size", any(l["limit"] == "max_message_bytes" for l in obj["limits_hit"]), str(obj["limits_hit"]))

        # a named pipe (no size to read up front): read in steps to the end, and cut at the limit
        def through_fifo(name, payload, extra):
            fifo = os.path.join(tmp, name)
            os.mkfifo(fifo)

            def feed():
                try:
                    with open(fifo, "wb") as w:
                        w.write(payload)
                except BrokenPipeError:
                    pass  # renkei stops reading at the size limit

            writer = threading.Thread(target=feed)
            writer.start()
            code, out, err = run(r, ["analyze", "--format", "json"] + extra + [fifo])
            writer.join()
            return code, out, err

        body = b"Subject: piped\r\n\r\n" + b"line of text\r\n" * 20000  # ~280 KB: several reads
        code, out, err = through_fifo("pipe.eml", body, [])
        obj = json.loads(out.splitlines()[0]) if out.strip() else {}
        check("fifo.exit", code == 0, f"exit {code}: {err}")
        check("fifo.whole_message", obj.get("size") == len(body), f"{obj.get('size')} of {len(body)}")
        check("fifo.subject", obj.get("message", {}).get("subject") == "piped", str(obj.get("message", {}).get("subject")))
        code, out, err = through_fifo("big-pipe.eml", b"Subject: big\r\n\r\n" + b"x" * (3 * 1024 * 1024),
                                      ["--max-message-mb", "1"])
        obj = json.loads(out.splitlines()[0]) if out.strip() else {}
        check("fifo.limit", any(l["limit"] == "max_message_bytes" for l in obj.get("limits_hit", [])),
              str(obj.get("limits_hit")))

        # --help everywhere
        code, out, _ = run(r, ["analyze", "--help"])
        check("help", code == 0 and "--registry" in out and "--jobs" in out, out[:200])

    return summary("cli")


if __name__ == "__main__":
    sys.exit(main())
