#!/usr/bin/env python3
"""Generates campaign series for evaluating `renkei campaigns` (issue 18, docs/campaigns.md
"Evaluation"): several attack series shaped like the J-CSIP seed reports' tables (000_*.txt
table 4-5, 001_*.txt table 4-6), each with its own vocabulary and tricks, sent to fictional
organisations of several industries over 2019-07 .. 2021-03, in Japanese and English, mixed with
singletons and (optionally) unrelated real phishing from ../shared/data/corpus/phishing_pot.

    campaign_series.py --out DIR [--seed N] [--noise-dir .../phishing_pot] [--noise N]

writes
    DIR/mails/mail-NNNN.eml      the generated mails, in an order that says nothing of the series
    DIR/mails/reported.mbox      30 more generated mails in one mbox (inputs "reported.mbox#N")
    DIR/mails/noise/<name>       copies of the noise sample (unchanged bytes)
    DIR/registry.toml            the identity registry of the fictional organisations (SPEC 5)
    DIR/truth.json               {"files": {"mail-0001.eml": "cosmic-ceo", "noise/sample-7.eml":
                                 null, ...}, "series": {id: description}, "noise": {...}, "seed": N}
Keys of "files" are paths relative to DIR/mails ("reported.mbox#N" for the mbox's messages,
counted from 1). Deterministic for a given --seed (and noise
directory). Python 3.11 standard library only; MIME building from tests/fixtures/_tools/mailgen.py.
Domains are fictional; IPs come from the documentation and benchmarking ranges (RFC 5737, RFC
2544), except the real sending service SendGrid that the seed report names.
"""
from __future__ import annotations

import argparse
import datetime as dt
import email.utils
import hashlib
import json
import os
import random
import re
import shutil
import string
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "fixtures" / "_tools"))
import mailgen as mg  # noqa: E402

DEFAULT_SEED = 18
DEFAULT_NOISE = 300
MBOX_NAME = "reported.mbox"
MBOX_MAILS = 30  # generated mails written into one mbox instead of .eml files
NOISE_HALF = "test"  # the half of phishing_pot no rule was written on (docs/detection-quality.md)
JST = dt.timezone(dt.timedelta(hours=9))
UTC = dt.timezone.utc

# Series ids and what they are; singletons ("single-NN") are added by singletons().
SERIES = {
    "cosmic-ceo": "CEO fraud like 000 table 4 / 001 table 4 (Cosmic Lynx): From/Reply-To "
                  "<mail-security word>-<celestial or region word>@<security words>.cc|.net|.com, "
                  "subjects 'Project <Word>' (earlier: legal counsel, corporate action), each "
                  "target's real CEO as display name, English, 2019-07 .. 2021-02",
    "japanised-ceo": "'Japanese-ised' CEO fraud like 000 table 5 / 001 table 5: local parts "
                     "relay/relay2/board/board-1/smtp/secure on domains of mobile/outlook/secure/"
                     "sec/ssl/365/email/host/intern words, the same lure in Japanese and English "
                     "(金融合併と買収につきまして / Finance M&A / Liaise with counsel), sent through "
                     "SendGrid with its open beacon, 2019-11 .. 2020-12",
    "work-scam": "mass Japanese scam like 001 table 6 / figure 7: info@<random letters>.work, the "
                 "ten subjects of table 6 with their counts and decorations, two body templates of "
                 "fictitious organisations, no link and no attachment, 2020-11 .. 2021-01",
    "invoice-lookalike": "invoice / bank-change BEC (IPA type 1): From on a look-alike of each "
                         "target's partner domain, one Reply-To mailbox reused behind changing "
                         "display names, PDF invoice, Japanese and English, 2019-08 .. 2021-03",
    "invoice-webmail": "a second invoice-fraud actor, superficially alike: partner name on a "
                       "'<partner>-billing' domain, its own Reply-To mailbox, webmail "
                       "(Roundcube) infrastructure, English only, 2020-06 .. 2020-12",
    "malware-seikyusho": "Japanese malware mail: 請求書_<date>.zip with the same executable "
                         "(three builds), the same X-Mailer, rotating compromised senders and "
                         "sending IPs, 2020-09 .. 2020-12",
    "malware-docm": "English malware mail in reply-chain style: Document_<n>.docm with a macro "
                    "(two builds), rotating senders, 2020-10 .. 2021-01",
    "cred-phish": "credential phishing: link hosts on random subdomains of two registrable "
                  "domains, one path shape carrying the recipient's address, password-expiry / "
                  "quota subjects in Japanese and English, 2020-06 .. 2021-02",
}
HOLDOUT_SERIES = {
    "holdout-cloud-ceo": "held out: CEO fraud of another actor, <cloud word>-<greek letter> on "
                         "<cloud><route word> domains (.io/.biz/.org) through a Mailgun-like "
                         "service, 'Confidential transaction <Greek>-<n>' in English and Japanese, "
                         "2020-02 .. 2020-11",
    "holdout-xyz-scam": "held out: mass Japanese unpaid-fee scam, support@<random>.xyz|.top, five "
                        "decorated subjects, one body template with a phone number, five weeks of 2020",
    "holdout-html-attach": "held out: phishing by HTML attachment Payment_Advice_<n>.html whose "
                           "form posts to one host per wave, rotating senders, 2020-08 and 2021-01",
}


# ------------------------------------------------------------------------------ organisations

@dataclass
class Person:
    en: str
    ja: str | None
    local: str

    @property
    def first(self) -> str:
        return self.en.split()[0]


@dataclass
class Org:
    key: str
    name: str
    name_ja: str | None
    industry: str
    domain: str
    lang: str  # language its staff read (ja|en)
    ceo: Person
    staff: list[Person]
    partner: tuple[str, str, Person]  # (name, domain, contact)
    mx_ip: str = ""
    extra_vips: list[tuple[Person, str]] = field(default_factory=list)

    def addr(self, p: Person) -> str:
        return f"{p.local}@{self.domain}"


ORGS = [
    Org("hoshizora", "Hoshizora Manufacturing", "星空製作所", "manufacturing", "hoshizora-mfg.co.jp", "ja",
        Person("Kenji Morita", "森田 健二", "k.morita"),
        [Person("Hiroshi Kato", "加藤 浩", "h.kato"), Person("Yumi Saito", "斉藤 由美", "y.saito"),
         Person("Daisuke Mori", "森 大輔", "d.mori"), Person("Shota Ueda", "上田 翔太", "s.ueda")],
        ("Kowa Seiki", "kowa-seiki.co.jp", Person("Ryo Tanabe", "田辺 亮", "r.tanabe"))),
    Org("minato", "Minato Trust Bank", "みなと信託銀行", "finance", "minato-trust.co.jp", "ja",
        Person("Yuko Sakamoto", "坂本 裕子", "y.sakamoto"),
        [Person("Takuya Ishii", "石井 拓也", "t.ishii"), Person("Mai Kondo", "近藤 舞", "m.kondo"),
         Person("Jun Ogawa", "小川 純", "j.ogawa")],
        ("Sanwa Systems", "sanwa-sys.co.jp", Person("Koji Hara", "原 浩二", "k.hara"))),
    Org("aozora", "Aozora Logistics", "青空ロジスティクス", "transport", "aozora-logi.co.jp", "ja",
        Person("Takeshi Ono", "小野 武", "t.ono"),
        [Person("Akira Nishida", "西田 明", "a.nishida"), Person("Rie Matsui", "松井 理恵", "r.matsui"),
         Person("Kenta Abe", "阿部 健太", "k.abe")],
        ("Pacific Freight Lines", "pacific-freight.com", Person("Grace Wong", None, "grace.wong"))),
    Org("sakura", "Sakura Power & Gas", "さくら電力ガス", "utilities", "sakura-pg.co.jp", "ja",
        Person("Hiroshi Ishikawa", "石川 博", "h.ishikawa"),
        [Person("Naomi Fujita", "藤田 直美", "n.fujita"), Person("Yusuke Endo", "遠藤 裕介", "y.endo"),
         Person("Emi Kubo", "久保 恵美", "e.kubo")],
        ("Tohoku Turbine Service", "tohoku-turbine.co.jp", Person("Shin Goto", "後藤 慎", "s.goto"))),
    Org("northbridge", "Northbridge Pharma", None, "research", "northbridge-pharma.com", "en",
        Person("Emily Carter", None, "emily.carter"),
        [Person("Daniel Brooks", None, "daniel.brooks"), Person("Sofia Ramirez", None, "sofia.ramirez"),
         Person("Liam Foster", None, "liam.foster")],
        ("Helix Lab Supplies", "helix-labsupply.com", Person("Nora Quinn", None, "nora.quinn"))),
    Org("tsubasa", "Tsubasa Systems", "つばさシステムズ", "information", "tsubasa-sys.co.jp", "ja",
        Person("Naoki Fujii", "藤井 直樹", "n.fujii"),
        [Person("Kaori Yoshida", "吉田 香織", "k.yoshida"), Person("Ryota Inoue", "井上 亮太", "r.inoue"),
         Person("Mika Shimizu", "清水 美香", "m.shimizu")],
        ("Marunouchi Data Center", "marunouchi-dc.co.jp", Person("Eiji Kudo", "工藤 英二", "e.kudo"))),
    Org("kaede", "Kaede Construction", "楓建設", "construction", "kaede-kensetsu.co.jp", "ja",
        Person("Masato Kimura", "木村 正人", "m.kimura"),
        [Person("Satoshi Yamaguchi", "山口 聡", "s.yamaguchi"), Person("Aya Hasegawa", "長谷川 彩", "a.hasegawa"),
         Person("Tomoya Ikeda", "池田 智也", "t.ikeda")],
        ("Chubu Steel Works", "chubu-steel.co.jp", Person("Minoru Okada", "岡田 稔", "m.okada"))),
    Org("harbor", "Harbor Retail Group", None, "retail", "harbor-retail.com", "en",
        Person("David Lin", None, "david.lin"),
        [Person("Megan Hughes", None, "megan.hughes"), Person("Oliver Grant", None, "oliver.grant"),
         Person("Priya Nair", None, "priya.nair")],
        ("Evergreen Packaging", "evergreen-pack.com", Person("Tom Becker", None, "tom.becker"))),
    Org("yamabuki", "Yamabuki Chemical", "山吹化学", "chemical", "yamabuki-chem.co.jp", "ja",
        Person("Akiko Hayashi", "林 明子", "a.hayashi"),
        [Person("Kazuki Nomura", "野村 一樹", "k.nomura"), Person("Saki Arai", "新井 沙希", "s.arai"),
         Person("Hideo Maeda", "前田 英雄", "h.maeda")],
        ("Rhein Chemie Handel", "rhein-chemie-handel.de", Person("Lukas Weber", None, "lukas.weber"))),
]
for _i, _o in enumerate(ORGS):
    _o.mx_ip = f"192.0.2.{20 + _i}"


# ------------------------------------------------------------------------------ helpers

class Gen:
    """One run: the random source, the output list and the helpers every series shares."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.mails: list[tuple[str, bytes]] = []  # (series id, bytes)

    def token(self, n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def date_between(self, start: dt.datetime, end: dt.datetime) -> dt.datetime:
        span = int((end - start).total_seconds())
        return start + dt.timedelta(seconds=self.rng.randrange(span))

    def working_hours(self, d: dt.datetime, tz=JST) -> dt.datetime:
        """d moved to a weekday between 08:00 and 19:00 local time (attackers send in office hours)."""
        d = d.astimezone(tz)
        while d.weekday() >= 5:
            d += dt.timedelta(days=1)
        return d.replace(hour=self.rng.randrange(8, 19), minute=self.rng.randrange(60),
                         second=self.rng.randrange(60))

    def add(self, series: str, msg: str, crlf: bool | None = None) -> None:
        if crlf is None:
            crlf = self.rng.random() < 0.5
        self.mails.append((series, mg.to_bytes(msg, crlf)))


def fmt(d: dt.datetime) -> str:
    return email.utils.format_datetime(d)


def subject_header(subject: str, charset: str = "UTF-8", enc: str = "B") -> str:
    if not mg.needs_encoding(subject):
        return "Subject: " + subject
    return "Subject: " + mg.fold(mg.encoded_words(subject, charset, enc, chars_per_word=10))


def delivery(g: Gen, org: Org, rcpt: str, helo: str, rdns: str, ip: str, sent: dt.datetime,
             *, tls: bool = True) -> tuple[list[str], dt.datetime]:
    """The receiving organisation's two hops (its MX, then its mail store) for one message:
    the same for every series that reaches `org`, as in real mail."""
    recv = (sent + dt.timedelta(seconds=g.rng.randrange(3, 90))).astimezone(JST)
    store = recv + dt.timedelta(seconds=g.rng.randrange(1, 4))
    qid = g.token(12, string.ascii_uppercase + string.digits)
    hops = [
        mg.received(f"mx.{org.domain}", f"mx.{org.domain}", "10.10.1.25", f"mailstore.{org.domain}",
                    fmt(store), id_=g.token(10, string.ascii_letters + string.digits), for_=rcpt,
                    with_="LMTP", software="Dovecot", tls=None),
        mg.received(helo, rdns, ip, f"mx.{org.domain}", fmt(recv), id_=qid, for_=rcpt,
                    with_="ESMTPS" if tls else "ESMTP", tls=None if not tls else
                    "(using TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits))"),
    ]
    return hops, recv


def msgid(g: Gen, host: str) -> str:
    return f"Message-ID: <{g.token(20, string.ascii_lowercase + string.digits)}@{host}>"


def pick_paraphrase(g: Gen, slots: list, **kw) -> str:
    """A body from slots: each slot is a string, a list of alternatives, or (probability, slot)
    for an optional sentence. Lines are joined with newlines; {names} are substituted."""
    out = []
    for s in slots:
        if isinstance(s, tuple):
            p, s = s
            if g.rng.random() >= p:
                continue
        if isinstance(s, list):
            s = g.rng.choice(s)
        out.append(s.format(**kw))
    return "\n".join(out) + "\n"


def ja_name(p: Person) -> str:
    return p.ja or p.en


def surname_ja(p: Person) -> str:
    return (p.ja or p.en).split()[0]


# ------------------------------------------------------------------------------ (a) Cosmic Lynx

SEC_WORDS = ["secure", "encrypted", "smtp", "mx", "tls", "ssl", "gateway", "relay", "outbound",
             "mail", "transport", "server", "host", "provider", "service", "protection",
             "intranet", "resolver", "agent"]
CELESTIAL = ["neptune", "uranus", "pluto", "saturn", "jupiter", "sirius", "mercury", "venus",
             "tucana", "taurus", "atlas", "apollo", "vulcan", "orion", "vega", "lyra", "andromeda",
             "triton", "nexus", "callisto", "io", "rigel"]
REGIONS = ["eu", "asia", "us", "apac", "emea"]
CODE_WORDS = ["Mockingbird", "Daylight", "Ambience", "Hexagon", "Gemini", "Magnolia", "Helium",
              "Evergreen", "Cairo", "Biltmore", "Asterix", "Rosetta", "Lancelot", "Clementine",
              "Bravestar", "Pegasus", "Argessa", "Triton", "Indigo", "Kestrel", "Granite",
              "Meridian", "Halcyon", "Sapphire", "Orchid", "Nimbus", "Topaz", "Vanguard"]


def lynx_domain(g: Gen) -> str:
    n = g.rng.choice([2, 3, 3])
    words = g.rng.sample(["secure", "encrypted", "smtp", "mx", "mail", "gateway", "server", "host",
                          "provider", "service", "protection", "transport", "resolver", "intranet",
                          "relay", "email"], n)
    tld = g.rng.choice(["cc", "cc", "cc", "net", "com", "com"])
    return "-".join(words) + "." + tld


def lynx_local(g: Gen) -> str:
    sec = g.rng.choice(["secure", "smtp", "tls", "encrypted", "gateway", "mx", "relay", "ssl"])
    cel = g.rng.choice(CELESTIAL)
    reg = g.rng.choice(REGIONS)
    form = g.rng.choice(["{s}-{c}", "{s}-{c}", "{s}-{c}-net", "{s}-outbound-{c}", "mx-{c}-host",
                         "{r}-{s}-outbound-{c}", "{s}-{r}-1-outbound", "{r}-smtp-outbound-1"])
    return form.format(s=sec, c=cel, r=reg)


LYNX_OPENERS = {
    "none": [],
    "covid": [["I hope you and your loved ones are safe and healthy during this global crisis.",
               "I hope this email finds you and your family safe during the COVID-19 outbreak.",
               "I trust you and your family are staying safe in these uncertain times."]],
    "recovery": [["I hope you and your family are coping fine.", "I hope you are keeping well."],
                 ["As countries around the world gradually ease lockdown restrictions and companies "
                  "resume business, we must now look beyond the crisis and position ourselves for the "
                  "economic recovery.",
                  "As economies reopen and lockdown measures are eased, we need to look past the crisis "
                  "and prepare ourselves for the recovery."]],
    "vaccine": [["I trust you are keeping well.", "I hope you are doing well."],
                ["With several countries reintroducing restrictions while the first vaccines are being "
                 "rolled out, we need to position the company for next year.",
                 "With restrictions being reintroduced and vaccines on the horizon, we must get the "
                 "company ready for the coming year."]],
}


def lynx_body(g: Gen, period: str, first: str, ceo: str, code: str) -> str:
    slots = [["Dear {first},", "{first},", "Hello {first},"], ""]
    slots += LYNX_OPENERS[period]
    slots += [
        ["We are in the closing phase of acquiring the assets of a foreign target company.",
         "We are about to close the acquisition of a company in Southeast Asia.",
         "Notwithstanding these challenging times, we are pushing ahead with our expansion plans "
         "and are now finalising the acquisition of a foreign company."],
        ["We have mandated our legal team to work on its execution and I will appreciate your help "
         "with certain time pressing issues.",
         "Our external legal counsel is handling the execution and I will need your assistance "
         "with some time sensitive matters.",
         "The lawyers need a contact on our side for some urgent formalities and I would like it "
         "to be you."],
        ["To safeguard confidentiality, the acquisition is codenamed \"Project {code}\".",
         "For confidentiality reasons the transaction is referred to as \"Project {code}\"."],
        ["I hope to count on your discretion in this very sensitive matter.",
         "Please treat this with the utmost discretion and do not discuss it internally.",
         "This must remain strictly confidential until the official announcement."],
        ["Please let me know soonest by email if you can handle this and I will let you know what "
         "needs to be done.", "Kindly confirm by email that you can assist.",
         "Reply to me by email only, I am in back-to-back meetings."],
        "", ["Thanks,", "Regards,", "Best regards,"], "{ceo}", (0.55, "\nSent from my iPhone"),
    ]
    return pick_paraphrase(g, slots, first=first, ceo=ceo, code=code)


def cosmic_ceo(g: Gen) -> None:
    """Bursts like table 4: one sender address on one domain mails 1-4 people of one target on
    one day; the domain is reused for a few bursts, then replaced."""
    start, end = dt.datetime(2019, 7, 23, tzinfo=UTC), dt.datetime(2021, 2, 20, tzinfo=UTC)
    days = sorted(g.date_between(start, end) for _ in range(26))
    domain, uses = lynx_domain(g), 0
    ips = [f"203.0.113.{n}" for n in (58, 61, 77, 102, 140, 141, 199)]  # one hosting provider
    for day in days:
        if uses >= g.rng.choice([1, 2, 3]):
            domain, uses = lynx_domain(g), 0
        uses += 1
        local = lynx_local(g)
        reply_to = None
        if g.rng.random() < 0.35:
            reply_to = f"{lynx_local(g)}@{domain}"
        org = g.rng.choice(ORGS)
        if day < dt.datetime(2020, 3, 20, tzinfo=UTC):
            period = "none"
            subject = g.rng.choice(["Liaise with external legal counsel", "Resolve matter with law firm",
                                    "Matter with law firm", "Possible corporate action",
                                    "New corporate development initiative"])
        elif day < dt.datetime(2020, 5, 1, tzinfo=UTC):
            period = "covid"
            subject = g.rng.choice(["Coronavirus Sensitive Matter", "Possible corporate transaction",
                                    "New corporate development project", "Potential corporate transaction"])
        else:
            period = "recovery" if day < dt.datetime(2020, 10, 15, tzinfo=UTC) else "vaccine"
            subject = None
        code = g.rng.choice(CODE_WORDS)
        if subject is None:
            subject = f"Project {code}"
        ip = g.rng.choice(ips)
        for p in g.rng.sample(org.staff, g.rng.choice([1, 1, 2, 3])):
            sent = g.working_hours(day, UTC if org.lang == "en" else JST).astimezone(UTC)
            sent += dt.timedelta(minutes=g.rng.randrange(30))
            rcpt = org.addr(p)
            hops, _ = delivery(g, org, rcpt, f"mail.{domain}", f"mail.{domain}", ip, sent)
            headers = [f"Return-Path: <{local}@{domain}>", *hops,
                       mg.auth_results(f"mx.{org.domain}", spf="pass", mailfrom=domain, dkim="pass",
                                       dkim_d=domain, dmarc="pass", header_from=domain, ip=ip),
                       mg.dkim_signature(domain),
                       "From: " + mg.mailbox(org.ceo.en, f"{local}@{domain}")]
            if reply_to:
                headers.append("Reply-To: " + mg.mailbox(org.ceo.en, reply_to))
            headers += ["To: " + mg.mailbox(p.en, rcpt), subject_header(subject), f"Date: {fmt(sent)}",
                        msgid(g, f"mail.{domain}")]
            body = lynx_body(g, period, p.first, org.ceo.en, code)
            g.add("cosmic-ceo", mg.message(headers, mg.text_part(body, "us-ascii", "7bit")))


# ------------------------------------------------------------------------------ (b) Japanese-ised CEO fraud

JP_LOCALS = ["relay", "relay2", "relay3", "board", "board-1", "smtp", "secure"]
JP_WORDS = ["mobile", "outlook", "secure", "secured", "sec", "ssl", "365", "email", "host", "intern",
            "iphone"]


def japanised_domain(g: Gen) -> str:
    a, b = g.rng.sample(JP_WORDS, 2)
    n = g.rng.choice(["81", "081", "33", "1", ""])
    form = g.rng.choice(["{a}{n}-{b}", "{b}-{a}{n}", "{a}-by-{b}", "e-{a}", "{a}{b}-{c}", "{a}-{b}"])
    c = g.rng.choice(JP_WORDS)
    tld = g.rng.choice(["com", "com", "host", "online", "net"])
    return form.format(a=a, b=b, n=n, c=c) + "." + tld


JP_LURE_JA = [
    ["{sur}さん", "{sur}様"], "",
    ["お疲れ様です。", "お疲れ様です。{ceo_sur}です。"],
    ["現在出張中のため、メールにて失礼します。", "出張中のため、取り急ぎメールで連絡します。"],
    "",
    ["当社で進めている企業買収の件で、{sur}さんにご協力いただきたいことがあります。",
     "海外企業の買収について、{sur}さんにお願いしたい作業があります。"],
    ["本件はまだ公表前の機密事項のため、社内の他の方には伝えないでください。",
     "機密性の高い案件のため、本件は他言無用でお願いします。"],
    (0.5, "外部の弁護士と連携して進めることになります。"),
    "",
    ["対応可能かどうか、このメールに直接ご返信ください。", "本日中に対応できるか、このメールにご返信ください。"],
    "", "{ceo_ja}", (0.4, "\niPhoneから送信"),
]
JP_LURE_EN = [
    ["{first},", "Dear {first},"], "",
    ["I am currently travelling and need your help with a confidential matter.",
     "I am on a business trip and writing to you by email for that reason."],
    ["We are finalising the acquisition of a foreign company and I need your assistance with it.",
     "We are working on the acquisition of an overseas company and there is something I would like "
     "you to handle."],
    ["This matter has not been announced yet: please do not share it with anyone internally.",
     "Please treat this with the utmost discretion and do not discuss it with anyone."],
    (0.5, "You will need to liaise with our external counsel, who will contact you with the details."),
    "",
    ["Please reply to this email directly and let me know if you can handle it.",
     "Reply to this email only and let me know if you can take care of it today."],
    "", "{ceo}", (0.4, "\nSent from my iPhone"),
]


def japanised_ceo(g: Gen) -> None:
    start, end = dt.datetime(2019, 11, 20, tzinfo=JST), dt.datetime(2020, 12, 15, tzinfo=JST)
    targets = [o for o in ORGS if o.lang == "ja"] + [ORGS[4]]  # one English target too
    domain, uses = japanised_domain(g), 0
    days = sorted(g.date_between(start, end) for _ in range(24))
    accounts = ["14436820", "14436820", "9017342"]  # the attacker's SendGrid accounts
    for day in days:
        if uses >= g.rng.choice([1, 2, 3, 4]):
            domain, uses = japanised_domain(g), 0
        uses += 1
        local = g.rng.choice(JP_LOCALS)
        org = g.rng.choice(targets)
        if org.lang == "en":
            subject = g.rng.choice(["Finance M&A", "Liaise with counsel"])
        else:
            subject = g.rng.choice(["金融合併と買収につきまして", "金融合併と買収につきまして",
                                    "金融合併と買収につきまして", "Finance M&A", "Liaise with counsel",
                                    "Project Recovery"])
        lang = "ja" if not subject.isascii() else "en"
        via_sendgrid = g.rng.random() < 0.8
        acct = g.rng.choice(accounts)
        for p in g.rng.sample(org.staff, g.rng.choice([1, 1, 1, 2, 3])):
            sent = g.working_hours(day).astimezone(UTC)
            rcpt = org.addr(p)
            kw = dict(sur=surname_ja(p), ceo_sur=surname_ja(org.ceo), ceo_ja=ja_name(org.ceo).replace(" ", ""),
                      first=p.first, ceo=org.ceo.en)
            text = pick_paraphrase(g, JP_LURE_JA if lang == "ja" else JP_LURE_EN, **kw)
            parts = [mg.text_part(text, "UTF-8", "quoted-printable")]
            display = ja_name(org.ceo) if lang == "ja" else org.ceo.en
            if g.rng.random() < 0.3:  # the real address inside the display name (001 table 5)
                display = f"{display} <{org.addr(org.ceo)}>"
            if via_sendgrid:
                o = g.rng.randrange(1000000, 9999999)
                ip = f"167.89.{g.rng.choice([12, 55, 101, 115])}.{g.rng.randrange(2, 250)}"
                helo = f"o{o}x{g.rng.randrange(10, 99)}.outbound-mail.sendgrid.net"
                html = ("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">"
                        "</head><body><div style=\"font-family:'MS PGothic',sans-serif\">"
                        + "".join(f"<p>{ln}</p>" if ln else "<br>" for ln in text.splitlines())
                        + f"</div>\n<img src=\"https://u{acct}.ct.sendgrid.net/wf/open?upn={g.token(180)}\" "
                        "alt=\"\" width=\"1\" height=\"1\" border=\"0\" style=\"height:1px !important;"
                        "width:1px !important;border-width:0 !important;\"/>\n</body></html>\n")
                parts.append(mg.text_part(html, "UTF-8", "quoted-printable", subtype="html"))
                rp = f"bounces+{acct}-{g.token(4, '0123456789abcdef')}-{rcpt.replace('@', '=')}@sendgrid.net"
                hops, _ = delivery(g, org, rcpt, helo, helo, ip, sent)
                headers = [f"Return-Path: <{rp}>", *hops,
                           mg.auth_results(f"mx.{org.domain}", spf="pass", mailfrom="sendgrid.net",
                                           dkim="pass", dkim_d="sendgrid.net", dmarc="none",
                                           header_from=domain, ip=ip),
                           mg.dkim_signature("sendgrid.net", "smtpapi")]
                tail = [msgid(g, f"ismtpd{g.rng.randrange(1, 300):04d}p1hnd1.sendgrid.net"),
                        f"X-SG-EID: {g.token(64)}", f"X-SG-ID: {g.token(40)}"]
            else:
                ip = f"198.51.100.{g.rng.randrange(180, 220)}"
                hops, _ = delivery(g, org, rcpt, domain, f"mail.{domain}", ip, sent)
                headers = [f"Return-Path: <{local}@{domain}>", *hops,
                           mg.auth_results(f"mx.{org.domain}", spf="pass", mailfrom=domain, dmarc="none",
                                           header_from=domain, ip=ip)]
                tail = [msgid(g, f"mail.{domain}")]
            headers += ["From: " + mg.mailbox(display, f"{local}@{domain}")]
            if g.rng.random() < 0.5:
                headers.append("Reply-To: " + mg.mailbox(display, f"{g.rng.choice(JP_LOCALS)}@{domain}"))
            headers += ["To: " + mg.mailbox(ja_name(p) if lang == "ja" else p.en, rcpt),
                        subject_header(subject), f"Date: {fmt(sent)}", *tail]
            body = parts[0] if len(parts) == 1 else mg.multipart(
                "alternative", g.token(32, "0123456789abcdef"), parts)
            g.add("japanised-ceo", mg.message(headers, body))


# ------------------------------------------------------------------------------ (c) .work scam

WORK_SUBJECTS = [  # table 6 of 001_*.txt: subject, count
    ("(■ WEB契約の更新・継続について)", 1),
    ("[ 社会情勢悪化に伴う特別通知(令和二年度)を再度ご確認下さい。]", 6),
    ("[※令和二年度 社会情勢悪化に伴う特別枠決定通知を再度ご確認下さい。]", 6),
    ("[令和二年度 社会情勢悪化に伴う特別枠通知を再度ご確認下さい。]", 1),
    ("≪WEB契約の更新・継続について≫", 62),
    ("■ WEB契約の更新 継続について ■", 13),
    ("□ WEB契約の更新/継続について □", 57),
    ("■情報開示手続きを経た電子告知", 1),
    ("※ WEB契約の更新 継続について ※", 1),
    ("入会 済 番組の継続/解約の確認通知", 37),
]
WORK_ORGS = ["電子申請総合取引機構", "電子申請総合機構", "臨時申請機構"]
WORK_BODY_CONTRACT = [
    "{name}様", "",
    ["平素より格別のご高配を賜り、厚く御礼申し上げます。", "平素より当機構をご利用いただき、誠にありがとうございます。"],
    ["ご登録いただいておりますWEB契約につきまして、更新・継続のお手続きが完了しておりません。",
     "お客様のWEB契約の更新期限が近づいております。継続のお手続きが確認できておりません。"],
    ["期日までにお手続きがない場合、未納料金が発生いたしますのでご注意ください。",
     "お手続きがない場合、契約は自動的に継続となり、料金が発生いたします。"],
    "継続または解約のご意向を、本メールにご返信のうえお知らせください。", "",
    "※本メールは重要なお知らせのため、配信停止の設定にかかわらずお送りしております。", "",
    "━━━━━━━━━━━━━━━━━━", "{org}", "お客様窓口 受付時間 平日10時から17時", "━━━━━━━━━━━━━━━━━━",
]
WORK_BODY_SPECIAL = [
    "{name}様", "",
    ["令和二年度 社会情勢悪化に伴う臨時助成制度につきまして、特別枠の決定通知をお送りしております。",
     "社会情勢悪化に伴う特別通知を先日お送りいたしましたが、まだご確認いただけておりません。"],
    ["お受け取りには、本メールへのご返信による意思確認が必要です。",
     "受給のご意思がある場合は、本メールにご返信ください。"],
    "期限を過ぎますと、特別枠は取り消しとなりますので、お早めにご確認下さい。", "",
    "※本メールは重要なお知らせのため、配信停止の設定にかかわらずお送りしております。", "",
    "━━━━━━━━━━━━━━━━━━", "{org}", "お客様窓口 受付時間 平日10時から17時", "━━━━━━━━━━━━━━━━━━",
]


def work_scam(g: Gen) -> None:
    """185 mails over two months, arrivals peaking mid-December like figure 7."""
    start = dt.datetime(2020, 11, 9, tzinfo=JST)
    subjects = [s for s, n in WORK_SUBJECTS for _ in range(n)]
    g.rng.shuffle(subjects)
    domain, uses = None, 99
    people = [(o, p) for o in ORGS if o.lang == "ja" for p in o.staff]
    for subject in subjects:
        if uses >= g.rng.choice([2, 4, 6, 9]):
            domain = "".join(g.rng.choice(string.ascii_lowercase) for _ in range(g.rng.randrange(6, 11))) + ".work"
            uses = 0
        uses += 1
        day = start + dt.timedelta(days=min(60, int(abs(g.rng.gauss(34, 12)))))
        sent = (day + dt.timedelta(hours=g.rng.randrange(0, 24), minutes=g.rng.randrange(60),
                                 seconds=g.rng.randrange(60))).astimezone(UTC)
        org, p = g.rng.choice(people)
        rcpt = org.addr(p)
        ip = f"198.18.{g.rng.choice([7, 8])}.{g.rng.randrange(10, 240)}"  # one bulk VPS provider
        hops, _ = delivery(g, org, rcpt, f"mail.{domain}", f"mail.{domain}", ip, sent, tls=False)
        special = "社会情勢" in subject or "情報開示" in subject
        body = pick_paraphrase(g, WORK_BODY_SPECIAL if special else WORK_BODY_CONTRACT,
                               name=ja_name(p).replace(" ", ""), org=g.rng.choice(WORK_ORGS))
        cs = g.rng.choice(["ISO-2022-JP", "UTF-8"])
        part = mg.text_part(body, cs, "7bit" if cs == "ISO-2022-JP" else "base64")
        headers = [f"Return-Path: <info@{domain}>", *hops,
                   mg.auth_results(f"mx.{org.domain}", spf="pass", mailfrom=domain, dmarc="none",
                                   header_from=domain, ip=ip),
                   "From: " + mg.mailbox(g.rng.choice(WORK_ORGS), f"info@{domain}", charset=cs),
                   "To: " + rcpt, subject_header(subject, cs), f"Date: {fmt(sent.astimezone(JST))}",
                   msgid(g, domain), "X-Mailer: PHPMailer 6.1.7 (https://github.com/PHPMailer/PHPMailer)"]
        g.add("work-scam", mg.message(headers, part))


# ------------------------------------------------------------------------------ (d) invoice BEC, two actors

def lookalike(g: Gen, domain: str) -> str:
    name, _, suffix = domain.partition(".")
    tricks = [
        lambda: f"{name}-jp.com" if suffix.endswith("jp") else f"{name}-group.com",
        lambda: f"{name}s.{suffix}",
        lambda: f"{name.replace('-', '')}.{suffix}",
        lambda: f"{name.replace('l', '1', 1) if 'l' in name else name + 'e'}.{suffix}",
        lambda: f"{name}.co" if suffix != "co" else f"{name}.cc",
        lambda: f"{name[:-1]}{name[-1]}{name[-1]}.{suffix}",
    ]
    return g.rng.choice(tricks)()


INV_A_EN = [
    ["Dear {first},", "Hello {first},"], "",
    ["Please find attached the invoice {inv} for the last shipment.",
     "Attached is our invoice {inv} which is now due for payment."],
    ["Kindly note that our bank account has been changed due to the annual audit, and the previous "
     "account can no longer receive funds.",
     "Please be informed that due to an ongoing audit our usual account is temporarily suspended."],
    ["Please arrange the payment to the new account stated in the attached invoice.",
     "The new remittance details are in the attached document; please update your records."],
    "Do not hesitate to contact me if you have any questions.", "",
    "Best regards,", "{contact}", "Accounts Receivable", "{partner}",
]
INV_A_JA = [
    "{org_ja}", "経理ご担当 {sur}様", "",
    "いつもお世話になっております。{partner}の{contact_ja}です。",
    ["請求書（{inv}）を添付にてお送りいたします。", "{inv}のご請求につきまして、添付の通りご連絡いたします。"],
    ["弊社の監査に伴い、振込先口座を変更いたしました。", "この度、弊社の振込先口座が変更となりました。"],
    "お手数ですが、今後のお振込は添付記載の新しい口座へお願いいたします。", "",
    "何卒よろしくお願い申し上げます。", "", "{partner}", "{contact_ja}",
]


def invoice_lookalike(g: Gen) -> None:
    """Actor A: a look-alike of each target's partner; one Reply-To mailbox for the whole series."""
    reply_box = "remit.accounts.desk@outlook.com"
    start, end = dt.datetime(2019, 8, 5, tzinfo=JST), dt.datetime(2021, 3, 20, tzinfo=JST)
    fakes = {o.key: lookalike(g, o.partner[1]) for o in ORGS}
    for _ in range(34):
        org = g.rng.choice(ORGS)
        pname, pdom, contact = org.partner
        if g.rng.random() < 0.25:
            fakes[org.key] = lookalike(g, pdom)  # a new look-alike now and then
        fake = fakes[org.key]
        p = g.rng.choice(org.staff)
        sent = g.working_hours(g.date_between(start, end)).astimezone(UTC)
        rcpt = org.addr(p)
        inv = f"{pname.split()[0][:2].upper()}-{sent:%y%m}-{g.rng.randrange(100, 999)}"
        lang = org.lang if org.partner[2].ja or org.lang == "en" else "en"
        if lang == "ja":
            subject = g.rng.choice(["【重要】お振込先口座変更のお知らせ", "RE: 請求書の件", f"請求書送付のご案内（{inv}）",
                                    "≪重要≫ 振込先変更につきまして"])
            text = pick_paraphrase(g, INV_A_JA, org_ja=org.name_ja or org.name, sur=surname_ja(p),
                                   partner=pname, contact_ja=ja_name(contact), inv=inv)
        else:
            subject = g.rng.choice([f"RE: Invoice {inv}", f"Invoice {inv} - payment due",
                                    "Change of bank account", f"RE: Outstanding payment {inv}"])
            text = pick_paraphrase(g, INV_A_EN, first=p.first, inv=inv, contact=contact.en, partner=pname)
        display = g.rng.choice([contact.en, ja_name(contact), f"{pname} Accounts", "Accounts Receivable",
                                f"{contact.en} ({pname})", "経理部"])
        ip = f"198.18.20.{g.rng.randrange(30, 90)}"
        hops, _ = delivery(g, org, rcpt, f"mail.{fake}", f"mail.{fake}", ip, sent)
        pdf = mg.pdf_document([f"INVOICE {inv}", pname, "Beneficiary: " + pname,
                               "Bank: Pacific Asia Commerce Bank Ltd.", "Account No.: 012-384756-001",
                               "SWIFT: PACBHKHH", f"Amount due: USD {g.rng.randrange(12, 480)},{g.rng.randrange(100, 999)}.00"],
                              title=f"Invoice {inv}")
        body = mg.multipart("mixed", "----=_NextPart_" + g.token(24, "0123456789ABCDEF"), [
            mg.text_part(text, "UTF-8", "base64"),
            mg.attachment(pdf, "application/pdf", f"Invoice_{inv}.pdf")])
        headers = [f"Return-Path: <{contact.local}@{fake}>", *hops,
                   mg.auth_results(f"mx.{org.domain}", spf="pass", mailfrom=fake, dmarc="none",
                                   header_from=fake, ip=ip),
                   "From: " + mg.mailbox(display, f"{contact.local}@{fake}"),
                   "Reply-To: " + mg.mailbox(display, reply_box),
                   "To: " + mg.mailbox(p.en if lang == "en" else ja_name(p), rcpt),
                   subject_header(subject), f"Date: {fmt(sent)}", msgid(g, fake),
                   "X-Mailer: Microsoft Outlook 16.0"]
        g.add("invoice-lookalike", mg.message(headers, body))


INV_B = [
    ["Good day {first},", "Hi {first},", "Dear Sir/Madam,"], "",
    ["Kindly be advised that we have updated our banking details effective immediately.",
     "Kindly note our company has changed its receiving bank."],
    ["All outstanding invoices should now be settled to our new account.",
     "Please remit the payment of the open invoices to the updated account."],
    ["Kindly confirm when you are ready so I can forward the new details.",
     "Let me know once you receive this so I can send you the official letter with the details."],
    "", "Warm regards,", "{display}", "Billing Department",
]


def invoice_webmail(g: Gen) -> None:
    """Actor B: same theme as A, other infrastructure and wording: a '<partner>-billing' domain
    through Roundcube webmail on its own host, its own Reply-To mailbox, no attachment."""
    reply_box = "billing.dept.payments@gmail.com"
    start, end = dt.datetime(2020, 6, 1, tzinfo=UTC), dt.datetime(2020, 12, 20, tzinfo=UTC)
    for _ in range(24):
        org = g.rng.choice(ORGS)
        pname, pdom, contact = org.partner
        fake = pdom.split(".")[0] + g.rng.choice(["-billing.com", "-billing.net", "-payments.com"])
        p = g.rng.choice(org.staff)
        sent = g.working_hours(g.date_between(start, end), UTC)
        rcpt = org.addr(p)
        display = g.rng.choice([contact.en, f"{pname} Billing", pname])
        subject = g.rng.choice(["Updated banking details", "Invoice payment - new bank details",
                                "RE: Invoice", "Change of bank account", "Payment update"])
        text = pick_paraphrase(g, INV_B, first=p.first, display=display)
        ip = f"198.18.44.{g.rng.randrange(2, 30)}"
        client = f"198.18.{g.rng.randrange(60, 64)}.{g.rng.randrange(1, 254)}"
        hops, _ = delivery(g, org, rcpt, f"webmail.{fake}", f"host{g.rng.randrange(10, 40)}.vps-hosting.example",
                           ip, sent)
        headers = [f"Return-Path: <billing@{fake}>", *hops,
                   mg.received("webmail." + fake, "localhost", "127.0.0.1", "webmail." + fake,
                               fmt(sent), id_=g.token(12), with_="ESMTPA", tls=None),
                   mg.auth_results(f"mx.{org.domain}", spf="softfail", mailfrom=fake, dmarc="none",
                                   header_from=fake, ip=ip),
                   "From: " + mg.mailbox(display, f"billing@{fake}"),
                   "Reply-To: " + mg.mailbox(display, reply_box),
                   "To: " + rcpt, subject_header(subject), f"Date: {fmt(sent)}", msgid(g, fake),
                   "User-Agent: Roundcube Webmail/1.4.9", f"X-Originating-IP: [{client}]"]
        g.add("invoice-webmail", mg.message(headers, mg.text_part(text, "us-ascii", "7bit")))


# ------------------------------------------------------------------------------ (e) malware mail, two series

JP_SMB = ["tanaka-kogyo", "yamamoto-shoji", "kobayashi-denki", "sato-unyu", "suzuki-seimitsu",
          "watanabe-kensetsu", "ito-foods", "nakamura-tsusho", "kato-giken", "yoshida-sangyo",
          "ikeda-kikai", "hashimoto-design", "ishida-print", "ogawa-fudosan", "matsumoto-denko"]
JP_SMB_TLD = ["co.jp", "jp", "com", "ne.jp"]
# Each series that sends from hijacked sites has its own pool of them: two actors sharing one set
# of compromised senders would be one actor's infrastructure.
SMALL_SITE_A = ["garden", "bakery", "dental", "yoga", "florist", "studio", "auto", "travel"]
SMALL_SITE_B = ["house", "works", "place", "point", "corner"]
TRADER_A = ["global", "prime", "asia", "euro", "star", "union"]
TRADER_B = ["trade", "link", "freight", "supply", "metal"]


def small_site(g: Gen) -> str:
    """A small business's web site (hijacked WordPress relaying phishing)."""
    return (f"{g.rng.choice(SMALL_SITE_A)}-{g.rng.choice(SMALL_SITE_B)}{g.rng.randrange(10, 99)}."
            + g.rng.choice(["com", "net", "org"]))


def trader_site(g: Gen) -> str:
    """A trading company's domain (hijacked mailboxes sending payment advices)."""
    return (f"{g.rng.choice(TRADER_A)}{g.rng.choice(TRADER_B)}-{g.rng.choice(['intl', 'group', 'co', 'ltd'])}."
            + g.rng.choice(["com", "net", "biz"]))


def malware_seikyusho(g: Gen) -> None:
    builds = [mg.pe_stub(b"renkei-campaign-eval build %d" % i) for i in range(3)]
    waves = [(dt.datetime(2020, 9, 14, tzinfo=JST), 0, 16), (dt.datetime(2020, 10, 19, tzinfo=JST), 1, 22),
             (dt.datetime(2020, 12, 7, tzinfo=JST), 2, 20)]
    for wave_start, build, n in waves:
        for _ in range(n):
            sent = g.working_hours(wave_start + dt.timedelta(hours=g.rng.randrange(0, 72)))
            org = g.rng.choice([o for o in ORGS if o.lang == "ja"])
            p = g.rng.choice(org.staff)
            rcpt = org.addr(p)
            smb = g.rng.choice(JP_SMB)
            sdom = f"{smb}.{g.rng.choice(JP_SMB_TLD)}"
            sender = f"{g.rng.choice(['info', 'keiri', 'jimu', 'sales', 'office', 'soumu'])}@{sdom}"
            ymd = f"{sent:%Y%m%d}"
            zname = f"請求書_{ymd}.zip"
            inner = f"請求書_{ymd}.exe" if build != 1 else f"請求書_{ymd}.pdf.exe"
            data = mg.zip_archive([(inner, builds[build])], utf8_names=False)
            subject = g.rng.choice(["請求書の送付", f"【請求書】{sent.month}月分", "請求書送付のご案内",
                                    "請求書を送付いたします", f"{sent.month}月分 請求書"])
            text = pick_paraphrase(g, [
                "{org}", "{sur}様", "", "いつもお世話になっております。",
                ["請求書を送付いたします。ご確認の程よろしくお願いいたします。",
                 "今月分の請求書をお送りいたします。ご確認ください。"],
                (0.5, "ご不明な点がございましたらご連絡ください。"), "", "{smb}"],
                org=org.name_ja or org.name, sur=surname_ja(p), smb=g.rng.choice(["経理部", "総務部", "営業部"]))
            ip = f"{g.rng.choice(['192.0.2', '198.51.100', '203.0.113', '198.18.90', '198.19.3'])}.{g.rng.randrange(1, 254)}"
            hops, _ = delivery(g, org, rcpt, f"[{ip}]", f"unknown", ip, sent.astimezone(UTC), tls=False)
            body = mg.multipart("mixed", "----=_NextPart_000_" + g.token(16, "0123456789ABCDEF"), [
                mg.text_part(text, "ISO-2022-JP", "7bit"),
                mg.attachment(data, "application/x-zip-compressed", zname, style="ew-iso2022jp")])
            headers = [f"Return-Path: <{sender}>", *hops,
                       mg.auth_results(f"mx.{org.domain}", spf="softfail", mailfrom=sdom, dmarc="none",
                                       header_from=sdom, ip=ip),
                       "From: " + mg.mailbox(g.rng.choice(["経理部", "請求書担当", smb.split('-')[0].capitalize(), None]),
                                             sender, charset="ISO-2022-JP"),
                       "To: " + rcpt, subject_header(subject, "ISO-2022-JP"), f"Date: {fmt(sent)}",
                       msgid(g, sdom), "X-Mailer: Microsoft Outlook Express 6.00.2900.5512"]
            g.add("malware-seikyusho", mg.message(headers, body))


EN_THREADS = ["Quarterly review", "Meeting minutes", "Purchase order 4471", "Shipping schedule",
              "Contract draft", "Budget 2021", "Site visit", "Price list update"]


def malware_docm(g: Gen) -> None:
    builds = [mg.docm_with_macro("Enable content to view this document."),
              mg.docm_with_macro("This document was created in an earlier version. Enable editing and content.")]
    start, end = dt.datetime(2020, 10, 5, tzinfo=UTC), dt.datetime(2021, 1, 25, tzinfo=UTC)
    for i in range(24):
        org = g.rng.choice(ORGS)
        p = g.rng.choice(org.staff)
        rcpt = org.addr(p)
        sent = g.working_hours(g.date_between(start, end), UTC)
        other = g.rng.choice([o for o in ORGS if o is not org])
        sp = g.rng.choice(other.staff)
        thread = g.rng.choice(EN_THREADS)
        fname = f"Document_{g.rng.randrange(1000000, 9999999)}.docm"
        text = pick_paraphrase(g, [
            ["Please see attached.", "Please find the attached file.", "Attached is the document you asked for."],
            ["Thank you.", "Thanks,", "Regards"], "{sp}", "",
            "-----Original Message-----", f"From: {p.en} <{rcpt}>", f"Subject: {thread}", "",
            ["Could you send me the updated file?", "Please check and revert."]],
            sp=sp.en)
        ip = f"198.19.{g.rng.randrange(100, 140)}.{g.rng.randrange(1, 254)}"
        hops, _ = delivery(g, org, rcpt, f"mail.{other.domain}.example", "unknown", ip, sent, tls=False)
        sender = f"{sp.local}@{other.domain}"
        body = mg.multipart("mixed", g.token(28, "0123456789abcdef"), [
            mg.text_part(text, "us-ascii", "7bit"),
            mg.attachment(builds[i % 2], "application/vnd.ms-word.document.macroEnabled.12", fname)])
        headers = [f"Return-Path: <{sender}>", *hops,
                   mg.auth_results(f"mx.{org.domain}", spf="fail", mailfrom=other.domain, dmarc="fail",
                                   header_from=other.domain, ip=ip, policy="NONE"),
                   "From: " + mg.mailbox(sp.en, sender), "To: " + mg.mailbox(p.en, rcpt),
                   subject_header(f"RE: {thread}"), f"Date: {fmt(sent)}", msgid(g, other.domain)]
        g.add("malware-docm", mg.message(headers, body))


# ------------------------------------------------------------------------------ (f) credential phishing

PHISH_SUBJECTS_JA = ["パスワードの有効期限のお知らせ", "【重要】パスワードの有効期限が近づいています",
                     "≪重要≫メールボックス容量超過のお知らせ", "[{dom}] アカウント確認のお願い",
                     "※至急※ メールアカウントの再認証"]
PHISH_SUBJECTS_EN = ["Password expires today", "[{dom}] Password expiry notice",
                     "Mailbox quota exceeded - action required", "Action required: verify your mailbox",
                     "■ Your password will expire in 24 hours ■"]


def cred_phish(g: Gen) -> None:
    reg_domains = ["mailbox-verify-portal.com", "secure-webmail-auth.net"]
    waves = [(dt.datetime(2020, 6, 8, tzinfo=UTC), dt.datetime(2020, 8, 25, tzinfo=UTC), 0, 26),
             (dt.datetime(2020, 12, 1, tzinfo=UTC), dt.datetime(2021, 2, 15, tzinfo=UTC), 1, 22)]
    for start, end, wave, n in waves:
        for _ in range(n):
            org = g.rng.choice(ORGS)
            p = g.rng.choice(org.staff)
            rcpt = org.addr(p)
            sent = g.working_hours(g.date_between(start, end), UTC if org.lang == "en" else JST).astimezone(UTC)
            reg = reg_domains[wave] if g.rng.random() < 0.85 else reg_domains[1 - wave]
            host = f"{g.token(g.rng.randrange(8, 13), string.ascii_lowercase + string.digits)}.{reg}"
            url = f"https://{host}/owa/auth/{g.token(16, string.ascii_lowercase + string.digits)}/logon.php?email={rcpt}"
            if org.lang == "ja":
                subject = g.rng.choice(PHISH_SUBJECTS_JA).format(dom=org.domain)
                disp = g.rng.choice(["システム管理者", f"{org.name_ja} 情報システム部", "メール管理センター"])
                lines = [f"{rcpt} 様", "", "お使いのメールアカウントのパスワードの有効期限が本日で切れます。",
                         "引き続きご利用いただくには、以下より現在のパスワードを確認してください。"]
                button, foot = "パスワードを維持する", "このメールは自動送信されています。"
            else:
                subject = g.rng.choice(PHISH_SUBJECTS_EN).format(dom=org.domain)
                disp = g.rng.choice(["IT Helpdesk", f"{org.name} IT Service Desk", "Mail Administrator"])
                lines = [f"Dear {rcpt},", "", "The password of your mailbox expires today.",
                         "To keep using your current password, confirm it below."]
                button, foot = "Keep same password", "This is an automated message."
            html = ("<html><body style=\"font-family:Arial,sans-serif\">"
                    + "".join(f"<p>{ln}</p>" for ln in lines if ln)
                    + f"<p><a href=\"{url}\" style=\"background:#0072c6;color:#fff;padding:8px 16px;"
                    f"text-decoration:none\">{button}</a></p><p style=\"color:#888;font-size:11px\">{foot}"
                    f"<br>&copy; {sent.year} {org.domain}</p></body></html>\n")
            relay = small_site(g)
            ip = f"198.19.{200 + wave}.{g.rng.randrange(1, 254)}"
            hops, _ = delivery(g, org, rcpt, f"mail.{relay}", f"mail.{relay}", ip, sent)
            headers = [f"Return-Path: <wordpress@{relay}>", *hops,
                       mg.auth_results(f"mx.{org.domain}", spf="pass", mailfrom=relay, dmarc="fail",
                                       header_from=org.domain, ip=ip, policy="NONE"),
                       "From: " + mg.mailbox(disp, f"no-reply@{org.domain}"), "To: " + rcpt,
                       subject_header(subject), f"Date: {fmt(sent)}", msgid(g, relay)]
            g.add("cred-phish", mg.message(headers, mg.text_part(html, "UTF-8", "quoted-printable", subtype="html")))


# ------------------------------------------------------------------------------ held-out series
# Built on the same principles as the series above with vocabularies, services and lures of their
# own. Tune the clustering looking at the series above only ("tune" in truth.json "split"); these
# ("test") tell whether it generalises, like the test half of the corpora.

CLOUD_WORDS = ["cloud", "vault", "azure", "nimbus", "stratus", "cirrus", "sky", "edge"]
GREEK = ["alpha", "beta", "gamma", "delta", "sigma", "omega", "kappa", "lambda", "theta", "zeta"]
ROUTE_WORDS = ["routing", "dispatch", "relayhub", "mailflow", "postbox", "courier", "exchange"]


def holdout_cfo(g: Gen) -> None:
    """CEO fraud of another actor: <cloud word>-<greek letter> local parts on <cloud><route>
    domains (.io/.biz/.org), through Mailgun, subjects 'Confidential transaction <Greek>-<n>' and
    their Japanese form, the CEO asking for an urgent transfer for a supplier settlement."""
    start, end = dt.datetime(2020, 2, 3, tzinfo=UTC), dt.datetime(2020, 11, 27, tzinfo=UTC)
    days = sorted(g.date_between(start, end) for _ in range(14))
    for day in days:
        dom = f"{g.rng.choice(CLOUD_WORDS)}{g.rng.choice(ROUTE_WORDS)}{g.rng.choice(['', '-secure', '-mx'])}." \
              + g.rng.choice(["io", "biz", "org"])
        local = f"{g.rng.choice(CLOUD_WORDS)}-{g.rng.choice(GREEK)}"
        org = g.rng.choice(ORGS)
        ref = f"{g.rng.choice(GREEK).capitalize()}-{g.rng.randrange(10, 99)}"
        ja = org.lang == "ja" and g.rng.random() < 0.6
        subject = (g.rng.choice([f"極秘：{ref}案件のお振込について", f"【至急】{ref}案件の件"]) if ja else
                   g.rng.choice([f"Confidential transaction {ref}", f"Urgent: settlement {ref}",
                                 f"Re: {ref} supplier settlement"]))
        for p in g.rng.sample(org.staff, g.rng.choice([1, 2])):
            sent = g.working_hours(day, JST if org.lang == "ja" else UTC).astimezone(UTC)
            rcpt = org.addr(p)
            if ja:
                text = pick_paraphrase(g, [
                    "{sur}さん", "",
                    ["海外の取引先との和解金の支払いを本日中に行う必要があります。",
                     "極秘で進めている海外取引先との精算を本日中に完了させたいと考えています。"],
                    "案件番号は{ref}です。正式な発表までは社内でも口外しないでください。",
                    ["送金の手続きについて指示しますので、このメールに返信してください。",
                     "対応できるか、すぐにこのメールに返信してください。"], "", "{ceo}"],
                    sur=surname_ja(p), ref=ref, ceo=ja_name(org.ceo).replace(" ", ""))
            else:
                text = pick_paraphrase(g, [
                    ["{first},", "Hi {first},"], "",
                    ["We need to settle a payment with an overseas supplier today.",
                     "I need a settlement with one of our foreign suppliers completed today."],
                    "The file reference is {ref}; keep it confidential until it is announced.",
                    ["Reply to this email and I will send you the wire instructions.",
                     "Let me know right away by email if you can process it."], "", "{ceo}"],
                    first=p.first, ref=ref, ceo=org.ceo.en)
            ip = f"198.19.40.{g.rng.randrange(2, 200)}"  # the mail service's pool
            helo = f"m{g.rng.randrange(10, 99)}-{g.rng.randrange(100, 250)}.mailgun.example"
            hops, _ = delivery(g, org, rcpt, helo, helo, ip, sent)
            headers = [f"Return-Path: <bounce+{g.token(6, '0123456789abcdef')}.{rcpt.replace('@', '=')}@mg.{dom}>",
                       *hops,
                       mg.auth_results(f"mx.{org.domain}", spf="pass", mailfrom=f"mg.{dom}", dkim="pass",
                                       dkim_d=dom, dmarc="pass", header_from=dom, ip=ip),
                       mg.dkim_signature(dom, "mx"),
                       "From: " + mg.mailbox(ja_name(org.ceo) if ja else org.ceo.en, f"{local}@{dom}"),
                       "To: " + rcpt, subject_header(subject), f"Date: {fmt(sent)}",
                       msgid(g, dom), f"X-Mailgun-Sid: {g.token(40)}"]
            g.add("holdout-cloud-ceo", mg.message(headers, mg.text_part(text, "UTF-8", "base64")))


XYZ_SUBJECTS = [("【重要】未払い料金のお知らせ", 22), ("≪最終通告≫ 有料動画サイトご利用料金について", 31),
                ("■ご利用料金の確認のお願い■", 12), ("[再送] 未払い料金のお知らせ", 9),
                ("※法的手続きの開始について※", 6)]


def holdout_xyz_scam(g: Gen) -> None:
    """Mass Japanese 'unpaid fee' scam: support@<random consonant-vowel name>.xyz|.top, five
    subjects with decorations, one body template with a phone number, five weeks."""
    start = dt.datetime(2020, 4, 6, tzinfo=JST)
    subjects = [s for s, n in XYZ_SUBJECTS for _ in range(n)]
    g.rng.shuffle(subjects)
    people = [(o, p) for o in ORGS if o.lang == "ja" for p in o.staff]
    dom, uses = None, 99
    for subject in subjects:
        if uses >= g.rng.choice([3, 5, 8]):
            dom = "".join(g.rng.choice("bdgkmnprstz") + g.rng.choice("aeiou") for _ in range(g.rng.randrange(3, 5))) \
                  + g.rng.choice([".xyz", ".top"])
            uses = 0
        uses += 1
        sent = (start + dt.timedelta(days=g.rng.randrange(0, 35), hours=g.rng.randrange(24),
                                     minutes=g.rng.randrange(60), seconds=g.rng.randrange(60))).astimezone(UTC)
        org, p = g.rng.choice(people)
        rcpt = org.addr(p)
        text = pick_paraphrase(g, [
            "お客様各位", "",
            ["ご利用中の有料動画サイトの料金が未納となっております。", "有料動画サイトのご利用料金のお支払いが確認できておりません。"],
            ["本日中にご連絡がない場合、法的手続きに移行いたします。", "期日までにご連絡がない場合、法的措置を取らせていただきます。"],
            "お問い合わせ：03-{a}-{b}（担当：{who}）", "", "料金管理センター"],
            a=g.rng.randrange(1000, 9999), b=g.rng.randrange(1000, 9999),
            who=g.rng.choice(["佐藤", "鈴木", "高橋"]))
        ip = f"198.19.{g.rng.choice([60, 61])}.{g.rng.randrange(2, 250)}"
        hops, _ = delivery(g, org, rcpt, dom, f"vps{g.rng.randrange(100, 999)}.cheap-vps.example", ip, sent, tls=False)
        headers = [f"Return-Path: <support@{dom}>", *hops,
                   mg.auth_results(f"mx.{org.domain}", spf="none", mailfrom=dom, dmarc="none", header_from=dom, ip=ip),
                   "From: " + mg.mailbox("料金管理センター", f"support@{dom}", charset="ISO-2022-JP"),
                   "To: " + rcpt, subject_header(subject, "ISO-2022-JP"), f"Date: {fmt(sent.astimezone(JST))}",
                   msgid(g, dom)]
        g.add("holdout-xyz-scam", mg.message(headers, mg.text_part(text, "ISO-2022-JP", "7bit")))


def holdout_html_attach(g: Gen) -> None:
    """Phishing by HTML attachment: Payment_Advice_<n>.html holding a login form that posts to
    /<token>/next.php on one host of a dynamic-DNS-looking domain per wave; senders rotate."""
    waves = [(dt.datetime(2020, 8, 3, tzinfo=UTC), "payportal.dyn-host.example"),
             (dt.datetime(2021, 1, 11, tzinfo=UTC), "remit-view.dyn-host.example")]
    for wave_start, host in waves:
        for _ in range(16):
            org = g.rng.choice(ORGS)
            p = g.rng.choice(org.staff)
            rcpt = org.addr(p)
            sent = g.working_hours(wave_start + dt.timedelta(days=g.rng.randrange(0, 10)), UTC)
            n = g.rng.randrange(100000, 999999)
            form = (f"<html><head><title>Payment Advice</title></head><body><h3>View remittance {n}</h3>"
                    f"<form method=\"post\" action=\"https://{host}/{g.token(10, string.ascii_lowercase)}/next.php\">"
                    f"<input name=\"email\" value=\"{rcpt}\"><input name=\"pass\" type=\"password\">"
                    "<button>View document</button></form></body></html>\n").encode()
            text = pick_paraphrase(g, [
                ["Hello,", "Dear customer,", "Good morning,"], "",
                ["Please find attached the payment advice for your invoice.",
                 "Attached is the remittance advice of today's transfer."],
                "Open the attachment and sign in with your email to view it.", "", "Accounts Payable"])
            sdom = trader_site(g)
            sender = f"{g.rng.choice(['payments', 'ap', 'accounts', 'finance'])}@{sdom}"
            ip = f"198.19.{g.rng.randrange(150, 160)}.{g.rng.randrange(2, 250)}"
            hops, _ = delivery(g, org, rcpt, f"mail.{sdom}", f"mail.{sdom}", ip, sent)
            body = mg.multipart("mixed", g.token(30, "0123456789abcdef"), [
                mg.text_part(text, "us-ascii", "7bit"),
                mg.attachment(form, "text/html", f"Payment_Advice_{n}.html")])
            headers = [f"Return-Path: <{sender}>", *hops,
                       mg.auth_results(f"mx.{org.domain}", spf="pass", mailfrom=sdom, dmarc="none",
                                       header_from=sdom, ip=ip),
                       "From: " + mg.mailbox("Accounts Payable", sender), "To: " + rcpt,
                       subject_header(g.rng.choice([f"Payment Advice {n}", "Remittance advice",
                                                    f"Payment confirmation #{n}"])),
                       f"Date: {fmt(sent)}", msgid(g, sdom)]
            g.add("holdout-html-attach", mg.message(headers, body))


# ------------------------------------------------------------------------------ singletons

def singletons(g: Gen) -> dict[str, str]:
    """One-off mails that belong with nothing: each is its own series of one."""
    cases = [
        ("fake lawyer asking for a call about a confidential acquisition, from a law-firm look-alike",
         "harbor", "Confidential - legal matter", "Jonathan Pierce, Esq.", "jpierce@pierce-legal-partners.com",
         "Dear {first},\n\nI have been instructed by your CEO to contact you regarding a confidential "
         "transaction. Please let me know your direct phone number so we can speak today.\n\nJonathan Pierce\n"),
        ("debtor-list request posing as the auditor", "minato", "監査資料のご提出について", "監査法人 青葉 佐野",
         "sano@aoba-kansa.jp",
         "{sur}様\n\n期末監査のため、売掛金の債務者一覧（取引先名・金額・担当者連絡先）をExcelでお送りください。\n"
         "本件は社内で共有せず、直接ご返信ください。\n\n佐野\n"),
        ("sextortion with a bitcoin address", "northbridge", "Your account was hacked", None,
         "mail@northbridge-pharma.com",
         "Hello!\n\nI have access to your device and recorded you. Pay 1200 USD in Bitcoin to "
         "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh within 48 hours.\n"),
        ("COVID donation scam in English", "harbor", "Support our COVID-19 relief fund", "Global Relief Network",
         "donate@global-relief-net.org",
         "Dear friend,\n\nMillions need help. Donate today to our relief fund via the bank details below.\n"
         "Account: 4432 9921 0087\n\nGlobal Relief Network\n"),
        ("fake delivery notice with one link", "aozora", "ご不在連絡票のお知らせ", "配送センター",
         "notice@delivery-center-jp.top",
         "お荷物をお届けにあがりましたが、ご不在でした。\n再配達のご依頼はこちら: "
         "http://redelivery-jp.top/r/8812\n"),
        ("job application carrying a RAR", "tsubasa", "求人応募の件（履歴書添付）", "高橋 誠", "m.takahashi.job@gmail.com",
         "採用ご担当者様\n\n貴社の求人に応募いたします。履歴書を添付いたしますのでご確認ください。\n\n高橋 誠\n"),
        ("tax refund phishing in English", "northbridge", "Tax refund notification", "Revenue Service",
         "refunds@tax-refund-service.info",
         "You are eligible for a tax refund of 842.50. Submit your claim at "
         "https://claim.tax-refund-service.info/form within 3 days.\n"),
        ("lone CEO fraud from a free-mail address", "kaede", "至急のお願い", "木村 正人", "kimura.ceo.office@gmail.com",
         "{sur}さん\n\n今、会議中で電話に出られません。至急お願いしたいことがあります。このメールに返信してください。\n\n木村\n"),
        ("survey phishing for HR", "yamabuki", "従業員満足度アンケートのお願い", "人事部", "hr-survey@yamabuki-chem-hr.com",
         "{sur}様\n\n従業員満足度アンケートにご協力ください。\nhttps://forms-yamabuki-chem-hr.com/survey?id=5521\n"),
        ("fake domain-renewal notice", "sakura", "Domain renewal notice: sakura-pg.co.jp", "Domain Registry Services",
         "renewals@domain-registry-services.net",
         "Your domain sakura-pg.co.jp expires soon. Renew now to avoid losing your search listing:\n"
         "https://domain-registry-services.net/renew?d=sakura-pg.co.jp\n"),
    ]
    series = {}
    for i, (desc, okey, subject, disp, sender, text) in enumerate(cases, 1):
        sid = f"single-{i:02d}"
        series[sid] = desc
        org = next(o for o in ORGS if o.key == okey)
        p = g.rng.choice(org.staff)
        rcpt = org.addr(p)
        sent = g.working_hours(dt.datetime(2019, 9, 1, tzinfo=JST) + dt.timedelta(days=40 * i)).astimezone(UTC)
        sdom = sender.split("@")[1]
        ip = f"198.18.{120 + i}.{g.rng.randrange(2, 250)}"
        hops, _ = delivery(g, org, rcpt, f"mail.{sdom}", f"mail.{sdom}", ip, sent)
        parts = [mg.text_part(text.format(first=p.first, sur=surname_ja(p)), "UTF-8", "base64")]
        if "RAR" in desc:
            parts.append(mg.attachment(b"Rar!\x1a\x07\x00" + mg.pe_stub(b"single")[:600], "application/x-rar-compressed",
                                       "履歴書_高橋誠.rar"))
        body = parts[0] if len(parts) == 1 else mg.multipart("mixed", g.token(24, "0123456789abcdef"), parts)
        headers = [f"Return-Path: <{sender}>", *hops,
                   mg.auth_results(f"mx.{org.domain}", spf="pass", mailfrom=sdom, dmarc="none",
                                   header_from=sdom, ip=ip),
                   "From: " + mg.mailbox(disp, sender), "To: " + rcpt, subject_header(subject),
                   f"Date: {fmt(sent)}", msgid(g, sdom)]
        g.add(sid, mg.message(headers, body))
    return series


# ------------------------------------------------------------------------------ noise and output

def read_member(mails: Path, key: str) -> bytes:
    """The bytes of one input of a set: a file, or message N of an mbox for "file#N" (as renkei
    splits it: on "From " lines, ">From " unescaped, the separator line dropped)."""
    path, _, n = key.partition("#")
    data = (mails / path).read_bytes()
    if not n:
        return data
    chunks = re.split(rb"(?:^|\n)From [^\n]*\n", data)[1:]
    msg = chunks[int(n) - 1]
    return re.sub(rb"(?m)^>(>*From )", rb"\1", msg)


def half_of(name: str) -> str:
    """The fixed split of docs/detection-quality.md (tests/e2e/corpus_quality.py half_of)."""
    return "tune" if hashlib.sha256(name.encode("utf-8")).digest()[0] % 2 == 0 else "test"


def noise_sample(noise_dir: Path, count: int, half: str = NOISE_HALF) -> list[Path]:
    """`count` messages of the given half of phishing_pot, the same ones on every machine: the
    half's files ordered by the SHA-256 of their base name, first `count` taken."""
    names = [n for n in os.listdir(noise_dir) if n.endswith(".eml") and half_of(n) == half]
    names.sort(key=lambda n: hashlib.sha256(("campaign-noise/" + n).encode()).hexdigest())
    return [noise_dir / n for n in names[:count]]


def registry_toml() -> str:
    out = ["# Identity registry of the fictional organisations of tests/tools/campaign_series.py",
           "# (SPEC section 5 format). Generated; placeholders, not real organisations.", ""]
    for o in ORGS:
        out += ["[[organization]]", f'name = "{o.name}"']
        if o.name_ja:
            out.append(f'name_ja = "{o.name_ja}"')
        out += [f'industry = "{o.industry}"', f'domains = ["{o.domain}"]',
                f'partner_domains = ["{o.partner[1]}"]', "", "[[organization.vip]]",
                f'name = "{o.ceo.en}"']
        if o.ceo.ja:
            out.append(f'name_ja = "{o.ceo.ja.replace(" ", "")}"')
        out += ['title = "CEO"', f'addresses = ["{o.addr(o.ceo)}"]', ""]
    return "\n".join(out)


def generate(out: Path, seed: int = DEFAULT_SEED, noise_dir: Path | None = None,
             noise_count: int = DEFAULT_NOISE) -> dict:
    """Write the set into `out` (see the module doc) and return the truth document."""
    g = Gen(seed)
    cosmic_ceo(g)
    japanised_ceo(g)
    work_scam(g)
    invoice_lookalike(g)
    invoice_webmail(g)
    malware_seikyusho(g)
    malware_docm(g)
    cred_phish(g)
    holdout_cfo(g)
    holdout_xyz_scam(g)
    holdout_html_attach(g)
    series = dict(SERIES)
    series.update(HOLDOUT_SERIES)
    series.update(singletons(g))
    g.rng.shuffle(g.mails)
    mails = out / "mails"
    if mails.exists():
        shutil.rmtree(mails)
    mails.mkdir(parents=True)
    files: dict[str, str | None] = {}
    in_mbox = g.mails[-MBOX_MAILS:]
    for i, (sid, data) in enumerate(g.mails[:-MBOX_MAILS], 1):
        name = f"mail-{i:04d}.eml"
        (mails / name).write_bytes(data)
        files[name] = sid
    # A participant's folder of reported mails exported as one mbox (mboxrd): members "#1".."#N".
    with open(mails / MBOX_NAME, "wb") as f:
        for n, (sid, data) in enumerate(in_mbox, 1):
            msg = email.message_from_bytes(data)
            sender = email.utils.parseaddr(msg["Return-Path"] or "")[1] or "MAILER-DAEMON"
            when = email.utils.parsedate_to_datetime(msg["Date"]).astimezone(UTC)
            f.write(f"From {sender} {when:%a %b %d %H:%M:%S %Y}\n".encode())
            text = data.replace(b"\r\n", b"\n")
            for line in text.removesuffix(b"\n").split(b"\n"):
                f.write((b">" + line if line.lstrip(b">").startswith(b"From ") else line) + b"\n")
            f.write(b"\n")
            files[f"{MBOX_NAME}#{n}"] = sid
    noise = {"source": None, "half": NOISE_HALF, "count": 0,
             "rule": "phishing_pot files whose SHA-256(base name) first byte is odd (the test half of "
                     "docs/detection-quality.md), ordered by SHA-256('campaign-noise/' + name), first N"}
    if noise_dir is not None and noise_dir.is_dir() and noise_count > 0:
        (mails / "noise").mkdir()
        sample = noise_sample(noise_dir, noise_count)
        for src in sample:
            shutil.copyfile(src, mails / "noise" / src.name)
            files[f"noise/{src.name}"] = None
        noise.update(source=str(noise_dir), count=len(sample))
    (out / "registry.toml").write_text(registry_toml(), encoding="utf-8")
    split = {sid: "test" if sid in HOLDOUT_SERIES else "tune" for sid in series}
    truth = {"seed": seed, "series": series, "split": split, "noise": noise, "files": files}
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return truth


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--noise-dir", type=Path, help="../shared/data/corpus/phishing_pot")
    ap.add_argument("--noise", type=int, default=DEFAULT_NOISE, help="noise messages to mix in")
    a = ap.parse_args()
    truth = generate(a.out, a.seed, a.noise_dir, a.noise)
    counts: dict[str, int] = {}
    for sid in truth["files"].values():
        counts[sid or "(noise)"] = counts.get(sid or "(noise)", 0) + 1
    for sid, n in sorted(counts.items(), key=lambda kv: (kv[0].startswith("single"), -kv[1], kv[0])):
        print(f"{sid:22} {n:4}")
    print(f"{len(truth['files'])} mails in {a.out / 'mails'}; truth in {a.out / 'truth.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
