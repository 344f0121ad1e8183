// The headers drawn so the trick is visible at a glance: what the reader sees (From), where
// answers go (Reply-To), where the mail really came from (Return-Path), who else is copied —
// each address with its domain compared with the sender's, and look-alikes shown against the
// domain they imitate with the differing characters marked.
import type { Address, Analysis, LookalikeFinding } from "../api";
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

function AddressLine({ a, fromDomain, looks }: { a: Address; fromDomain: string; looks: Map<string, Lookalike> }) {
  const { t, lang } = useI18n();
  const [local, domain] = splitAddress(a.address);
  const look = looks.get(domain.toLowerCase());
  const differs = fromDomain !== "" && domain.toLowerCase() !== fromDomain.toLowerCase();
  return (
    <div data-testid="address">
      {a.name && <span className="addr-name">{a.name}</span>}
      <span className="mono">
        &lt;{local}@
        <span className={differs ? "domain-mismatch" : ""} data-testid="domain">
          <DomainView domain={domain} look={look} />
        </span>
        &gt;
      </span>
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
        <span className="note">
          {t("detail.differs")} {fromDomain}
        </span>
      )}
    </div>
  );
}

function splitAddress(address: string): [string, string] {
  const at = address.lastIndexOf("@");
  return at < 0 ? [address, ""] : [address.slice(0, at), address.slice(at + 1)];
}

export function HeaderLanes({ analysis }: { analysis: Analysis }) {
  const { t } = useI18n();
  const m = analysis.message;
  if (!m) return null;
  const looks = lookalikes(analysis.lookalikes ?? []);
  const fromDomain = m.from?.domain ?? "";
  const lanes: { label: string; addrs: Address[]; compare: boolean }[] = [
    { label: t("detail.from"), addrs: m.from?.address ? [m.from] : [], compare: false },
    { label: t("detail.reply_to"), addrs: m.reply_to ?? [], compare: true },
    {
      label: t("detail.envelope"),
      addrs: m.return_path ? [{ address: m.return_path, name: "", domain: splitAddress(m.return_path)[1] }] : [],
      compare: true,
    },
    // Recipients are expected to differ from the sender: only look-alikes among them are marked.
    { label: t("detail.cc"), addrs: m.cc ?? [], compare: false },
    { label: t("detail.to"), addrs: m.to ?? [], compare: false },
  ];
  return (
    <div className="lanes" data-testid="header-lanes">
      {lanes
        .filter((l) => l.addrs.length > 0)
        .map((l) => {
          const suspect = l.addrs.some((a) => {
            const d = splitAddress(a.address)[1].toLowerCase();
            return looks.has(d) || (l.compare && fromDomain !== "" && d !== fromDomain.toLowerCase());
          });
          return [
            <div className="lane-label" key={l.label + "-l"}>
              {l.label}
            </div>,
            <div className={"lane-value" + (suspect ? " suspect" : "")} key={l.label + "-v"}>
              {l.addrs.map((a, i) => (
                <AddressLine key={i} a={a} fromDomain={l.compare ? fromDomain : ""} looks={looks} />
              ))}
            </div>,
          ];
        })}
    </div>
  );
}
