import type { Analysis, Attachment } from "../api";
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
          <strong className={`sev-${s.severity}`}>●</strong> {lang === "ja" ? s.explanation.ja : s.explanation.en}
          <span className="signal-id">{s.id}</span>
          {s.evidence && <span className="evidence">{s.evidence}</span>}
        </li>
      ))}
    </ul>
  );
}

export function Indicators({ analysis }: { analysis: Analysis }) {
  const { t } = useI18n();
  const list = analysis.indicators ?? [];
  if (list.length === 0) return <p className="muted">{t("common.none")}</p>;
  return (
    <table data-testid="indicators">
      <tbody>
        {list.map((x, i) => (
          <tr key={i}>
            <td className="muted">{x.type}</td>
            <td className="muted">{x.role}</td>
            <td>
              <Copyable value={x.type === "file" ? x.value : defang(x.value)} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function flags(a: Attachment, t: (k: string) => string): string[] {
  const out: string[] = [];
  if (a.extension_mismatch) out.push(`${t("detail.declared")} ≠ ${t("detail.real_type")}`);
  if (a.double_extension) out.push("double extension");
  if (a.executable) out.push("executable");
  if (a.macros) out.push("macros");
  if (a.encrypted) out.push("encrypted");
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
          <strong className="mono">{a.filename || "(no name)"}</strong>{" "}
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
                    <td className="sev-high">{[e.executable ? "executable" : "", e.encrypted ? "encrypted" : ""].filter(Boolean).join(" · ")}</td>
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
