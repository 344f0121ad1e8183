import { useState } from "react";
import type { Analysis, Attachment, Indicator } from "../api";
import { useI18n } from "../i18n";
import { Copyable, defang } from "./common";

const severityOrder = { high: 0, medium: 1, low: 2, info: 3 } as const;

export function Signals({ analysis }: { analysis: Analysis }) {
  const { t, lang } = useI18n();
  const signals = [...(analysis.signals ?? [])].sort((a, b) => severityOrder[a.severity] - severityOrder[b.severity]);
  if (signals.length === 0) return <p className="muted">{t("common.none")}</p>;
  return (
    <ul className="signals" data-testid="signals">
      {signals.map((s, i) => (
        <li key={i} data-signal={s.id}>
          <span className={`sev-word sev-${s.severity}`}>{t(`severity.${s.severity}`)}</span> {lang === "ja" ? s.explanation.ja : s.explanation.en}
          <span className="signal-id">{s.id}</span>
          {s.evidence && <span className="evidence">{s.evidence}</span>}
        </li>
      ))}
    </ul>
  );
}

const dispositionOrder = { attacker: 0, unknown: 1, legitimate: 2, victim: 3 } as const;

// Who controls each indicator, as the engine decided it: the attacker's first. A victim's own
// address is not offered for copying unless asked for — pasting it into a block list or a share
// would hurt the victim. Values are copied as they are (machine form) or defanged.
export function Indicators({ analysis }: { analysis: Analysis }) {
  const { t } = useI18n();
  const [showVictims, setShowVictims] = useState(false);
  const [defanged, setDefanged] = useState(true);
  const list = [...(analysis.indicators ?? [])].sort(
    (a, b) => (dispositionOrder[a.disposition ?? "unknown"] ?? 1) - (dispositionOrder[b.disposition ?? "unknown"] ?? 1),
  );
  if (list.length === 0) return <p className="muted">{t("common.none")}</p>;
  const victims = list.filter((x) => x.disposition === "victim").length;
  const shown = (x: Indicator) => (x.type === "file" || !defanged ? x.value : defang(x.value));
  return (
    <div>
      <div className="filters">
        <label className="check">
          <input type="checkbox" checked={defanged} onChange={(e) => setDefanged(e.target.checked)} data-testid="copy-defanged" />
          {t("ind.defanged")}
        </label>
        {victims > 0 && (
          <label className="check">
            <input type="checkbox" checked={showVictims} onChange={(e) => setShowVictims(e.target.checked)} data-testid="show-victims" />
            {t("ind.show_victims")} ({victims})
          </label>
        )}
      </div>
      <table data-testid="indicators" className="stack">
        <thead>
          <tr>
            <th scope="col">{t("ind.disposition")}</th>
            <th scope="col">{t("ind.type")}</th>
            <th scope="col">{t("ind.value")}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((x, i) => {
            const d = x.disposition ?? "unknown";
            const hidden = d === "victim" && !showVictims;
            return (
              <tr key={i} data-disposition={d} data-testid="indicator">
                <td>
                  <span className={`badge disp-${d}`}>{t(`disp.${d}`)}</span>
                  <span className="reason">{reasonText(t, x)}</span>
                </td>
                <td className="muted">
                  {t(`ioc.${x.type}`)}
                  <span className="reason">{t(`ioc_role.${x.role}`)}</span>
                </td>
                <td>
                  {hidden ? (
                    <span className="muted" data-testid="victim-hidden">
                      {t("ind.victim_hidden")}
                    </span>
                  ) : (
                    <Copyable value={shown(x)} />
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function reasonText(t: (k: string) => string, x: Indicator): string {
  if (!x.disposition_reason) return "";
  // Without its detail (redacted for participants) a reason is said in its general form.
  const key = x.disposition_detail ? `disp_reason.${x.disposition_reason}` : `disp_reason_general.${x.disposition_reason}`;
  const general = t(key);
  const text = general === key ? t(`disp_reason.${x.disposition_reason}`) : general;
  return text.replace("{detail}", x.disposition_detail ?? "");
}

function flags(a: Attachment, t: (k: string) => string): string[] {
  const out: string[] = [];
  if (a.extension_mismatch) out.push(`${t("detail.declared")} ≠ ${t("detail.real_type")}`);
  if (a.double_extension) out.push(t("flag.double_extension"));
  if (a.executable) out.push(t("flag.executable"));
  if (a.macros) out.push(t("flag.macros"));
  if (a.encrypted) out.push(t("flag.encrypted"));
  return out;
}

export function Attachments({ analysis }: { analysis: Analysis }) {
  const { t } = useI18n();
  const list = analysis.attachments ?? [];
  if (list.length === 0) return <p className="muted">{t("common.none")}</p>;
  return (
    <div data-testid="attachments">
      {list.map((a, i) => (
        <div key={i} className="panel">
          <strong className="mono">{a.filename || t("flag.no_name")}</strong>{" "}
          <span className="muted">
            {a.size.toLocaleString()} B · {t("detail.declared")}: {a.declared_type} · {t("detail.real_type")}: <strong>{a.real_type}</strong>
          </span>
          {flags(a, t).length > 0 && <div className="sev-high">{flags(a, t).join(" · ")}</div>}
          <div>
            <Copyable value={`SHA-256 ${a.sha256}`} />
          </div>
          <div className="muted mono">
            MD5 {a.md5} · SHA-1 {a.sha1}
            {a.ssdeep ? ` · ssdeep ${a.ssdeep}` : ""}
          </div>
          {a.entries && a.entries.length > 0 && (
            <table>
              <tbody>
                {a.entries.map((e, j) => (
                  <tr key={j}>
                    <td className="mono">{e.path}</td>
                    <td>{e.size.toLocaleString()} B</td>
                    <td>{e.real_type}</td>
                    <td className="sev-high">{[e.executable ? t("flag.executable") : "", e.encrypted ? t("flag.encrypted") : ""].filter(Boolean).join(" · ")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      ))}
    </div>
  );
}
