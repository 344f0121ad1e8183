#!/usr/bin/env python3
"""Python's `email` peer of bench/run.sh.

For every file named on the command line (or, with no arguments or "-", one path per line on
standard input), sequentially: parse it with
email.message_from_binary_file(f, policy=email.policy.default), read Subject, From and To (the
default policy decodes RFC 2047 and parses the address lists on access), walk every part with
msg.walk() reading its content type and filename, and call get_content() on every text/* leaf part
(transfer decoding plus charset decoding to str). Attachments and other non-text leaves are not
decoded.

Prints one line at the end: "messages=N parts=N failed=N bytes=N checksum=N".
"""
import email
import email.policy
import os
import sys


def paths():
    args = sys.argv[1:]
    if not args or args == ["-"]:
        for line in sys.stdin:
            line = line.rstrip("\r\n")
            if line:
                yield line
    else:
        yield from args


def main():
    messages = parts = failed = total_bytes = checksum = 0
    policy = email.policy.default
    for path in paths():
        try:
            total_bytes += os.path.getsize(path)
            with open(path, "rb") as f:
                msg = email.message_from_binary_file(f, policy=policy)
            for name in ("subject", "from", "to"):
                value = msg[name]
                if value is not None:
                    checksum += len(str(value))
            for part in msg.walk():
                parts += 1
                ctype = part.get_content_type()
                checksum += len(ctype)
                filename = part.get_filename()
                if filename:
                    checksum += len(filename)
                if part.get_content_maintype() == "text" and not part.is_multipart():
                    try:
                        checksum += len(part.get_content())
                    except Exception:  # undecodable text part: counted, not fatal
                        pass
            messages += 1
        except Exception as exc:  # a damaged message must not stop the batch
            failed += 1
            print(f"python_email: {path}: {exc!r}", file=sys.stderr)
    print(f"messages={messages} parts={parts} failed={failed} bytes={total_bytes} checksum={checksum}")


if __name__ == "__main__":
    main()
