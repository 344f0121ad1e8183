// The headers drawn so the trick is visible at a glance: what the reader sees (From), where
// answers go (Reply-To), where the mail really came from (Return-Path), who else is copied —
// each address with its domain compared with the sender's, and look-alikes shown against the
// domain they imitate with the differing characters marked.
import type { Address, Analysis, LookalikeFinding, Signal } from "../api";
import { useI18n } from "../i18n";
import { diffPieces } from "./diff";

type Lookalike = LookalikeFinding;

function lookalikes(findings: LookalikeFinding[]): Map<string, Lookalike> {
  return new Map(findings.map((f) => [f.domain.toLowerCase(), f]));
}

function DomainView({ domain, look }: { domain: string; look?: Lookalike }) {
  if (!look) return <>{domain}</>;
  return (
    <>
      {diffPieces(domain, look.of).map((p, i) =>
        p.differs ? (
          <mark className="diff" key={i}>
            {p.text}
          </mark>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </>
  );
}

function AddressLine({
  a,
  fromDomain,
  looks,
  flagged,
  trailing,
}: {
  a: Address;
  fromDomain: string;
  looks: Map<string, Lookalike>;
  flagged: boolean;
  trailing?: string;
}) {
  const { t, lang } = useI18n();
  const [local, domain] = splitAddress(a.address);
  const look = looks.get(domain.toLowerCase());
  const differs = fromDomain !== "" && domain.toLowerCase() !== fromDomain.toLowerCase();
  // A display name that holds an address is drawn as a name, in its own box, so it cannot be
  // read as the address the mail came from.
  const nameHasAddress = a.name.includes("@");
  return (
    <div data-testid="address" data-flagged={flagged ? "true" : undefined} className={flagged ? "addr flagged" : "addr"}>
      {a.name && (
        <span className={"addr-name" + (nameHasAddress ? " name-box" : "")} data-testid="display-name">
          <span className="sr-label">{t("lane.display_name")}: </span>“{a.name}”
        </span>
      )}
      <span className="mono addr-spec" data-testid="addr-spec">
        &lt;{local}@
        <span className={differs ? "domain-mismatch" : ""} data-testid="domain">
          <DomainView domain={domain} look={look} />
        </span>
        &gt;
      </span>
      {trailing && (
        <span className="name-box trailing" data-testid="from-trailing">
          <span className="sr-label">{t("lane.trailing")}: </span>“{trailing}”
        </span>
      )}
      {nameHasAddress && <span className="note">{t("lane.name_has_address")}</span>}
      {trailing && <span className="note">{t("lane.trailing_note")}</span>}
      {look && (
        <span className="note" data-testid="lookalike-note" data-techniques={look.techniques.join(" ")}>
          {t("detail.lookalike_of")
            .split(/(\{of\})/)
            .map((part, i) =>
              part === "{of}" ? (
                <span className="mono" key={i}>
                  {look.of}
                </span>
              ) : (
                part
              ),
            )}
          {look.owner ? ` (${look.owner})` : ""} — {look.techniques.map((x) => t(`technique.${x}`)).join(lang === "ja" ? "、" : ", ")}
        </span>
      )}
      {!look && differs && (
        <span className={flagged ? "note" : "note neutral"}>{t("detail.differs").replace("{domain}", fromDomain)}</span>
      )}
    </div>
  );
}

function splitAddress(address: string): [string, string] {
  const at = address.lastIndexOf("@");
  return at < 0 ? [address, ""] : [address.slice(0, at), address.slice(at + 1)];
}

// The signals that concern each lane: they are shown in it, and only they make it red — a
// bounce address of a bulk-mail service differs from From and is harmless.
const laneSignals: Record<string, string[]> = {
  from: [
    "sender_lookalike",
    "executive_impersonation",
    "display_name_has_address",
    "from_mailto_trick",
    "freemail_embeds_identity",
    "self_sent_spoof",
    "from_header_malformed",
    "random_sender_domain",
    "infrastructure_lure_address",
  ],
  reply_to: ["reply_to_diverges", "freemail_reply_to"],
  return_path: ["return_path_diverges"],
  mdn: ["mdn_to_other"],
  cc: ["cc_diverted", "cc_lookalike"],
  to: ["cc_diverted", "cc_lookalike"],
};

function LaneSignals({ signals }: { signals: Signal[] }) {
  const { t, lang } = useI18n();
  if (signals.length === 0) return null;
  return (
    <ul className="lane-signals">
      {signals.map((s) => (
        <li key={s.id} data-signal={s.id} data-testid="lane-signal">
          <span className={`sev-word sev-${s.severity}`}>{t(`severity.${s.severity}`)}</span>{" "}
          {lang === "ja" ? s.explanation.ja : s.explanation.en}
          {s.evidence && <span className="evidence">{s.evidence}</span>}
        </li>
      ))}
    </ul>
  );
}

export function HeaderLanes({ analysis }: { analysis: Analysis }) {
  const { t } = useI18n();
  const m = analysis.message;
  if (!m) return null;
  const looks = lookalikes(analysis.lookalikes ?? []);
  const fromDomain = m.from?.domain ?? "";
  const signals = analysis.signals ?? [];
  // Recipients the engine found to be the attacker's (a diverted or look-alike Cc/To).
  const attackerRecipients = new Set(
    (analysis.indicators ?? [])
      .filter((x) => x.type === "email-addr" && (x.role === "cc_diverted" || x.role === "cc_lookalike"))
      .map((x) => x.value.toLowerCase()),
  );
  const lanes: { id: string; label: string; addrs: Address[]; compare: boolean }[] = [
    { id: "from", label: t("detail.from"), addrs: m.from?.address ? [m.from] : [], compare: false },
    { id: "reply_to", label: t("detail.reply_to"), addrs: m.reply_to ?? [], compare: true },
    {
      id: "return_path",
      label: t("detail.envelope"),
      addrs: m.return_path ? [{ address: m.return_path, name: "", domain: splitAddress(m.return_path)[1] }] : [],
      compare: true,
    },
    { id: "mdn", label: t("detail.mdn"), addrs: m.disposition_notification_to ?? [], compare: true },
    // Recipients are expected to differ from the sender: only look-alikes and diverted ones are marked.
    { id: "cc", label: t("detail.cc"), addrs: m.cc ?? [], compare: false },
    { id: "to", label: t("detail.to"), addrs: m.to ?? [], compare: false },
  ];
  return (
    <div className="lanes" data-testid="header-lanes">
      {lanes
        .filter((l) => l.addrs.length > 0)
        .map((l) => {
          const recipients = l.id === "cc" || l.id === "to";
          const flaggedAddr = (a: Address) => {
            const d = splitAddress(a.address)[1].toLowerCase();
            return looks.has(d) || (recipients && attackerRecipients.has(a.address.toLowerCase()));
          };
          const mine = signals.filter(
            (s) => (laneSignals[l.id] ?? []).includes(s.id) && (!recipients || l.addrs.some((a) => flaggedAddr(a))),
          );
          const suspect = mine.length > 0 || l.addrs.some(flaggedAddr);
          return (
            <div className={"lane" + (suspect ? " suspect" : "")} key={l.id} data-lane={l.id} data-testid="lane" data-suspect={suspect ? "true" : "false"}>
              <div className="lane-label">
                {l.label}
                {suspect && <span className="lane-flag">{t("lane.suspect")}</span>}
              </div>
              <div className="lane-value">
                {l.addrs.map((a, i) => (
                  <AddressLine
                    key={i}
                    a={a}
                    fromDomain={l.compare ? fromDomain : ""}
                    looks={looks}
                    flagged={flaggedAddr(a) || (l.compare && mine.length > 0)}
                    trailing={l.id === "from" ? m.from?.trailing : undefined}
                  />
                ))}
                <LaneSignals signals={mine} />
              </div>
            </div>
          );
        })}
    </div>
  );
}
