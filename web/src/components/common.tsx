import { useState } from "react";
import { ApiFailure } from "../api";
import { useI18n } from "../i18n";

// The server writes its errors in English; in Japanese the error's code says what happened, and
// the English message follows as detail for whoever reports the problem.
function serverMessage(t: (k: string) => string, lang: string, e: { code: string; message: string }): string {
  if (lang !== "ja") return e.message;
  const known = t(`error.${e.code}`);
  return known === `error.${e.code}` ? e.message : `${known}（${e.message}）`;
}

export function ErrorBox({ error }: { error: unknown }) {
  const { t, lang } = useI18n();
  if (!error) return null;
  const e = error instanceof ApiFailure ? error.error : null;
  return (
    <div className="error-box" role="alert">
      {e?.status === 404 ? t("common.not_found") : e ? serverMessage(t, lang, e) : t("common.error")}
      {e?.hint && e.status !== 404 && lang === "en" && <span className="hint">{e.hint}</span>}
    </div>
  );
}

export function VerdictBadge({ verdict, big }: { verdict: string | null | undefined; big?: boolean }) {
  const { t } = useI18n();
  const v = verdict || "none";
  return (
    <span className={`badge v-${v}${big ? " verdict-big" : ""}`} data-testid="verdict">
      {verdict ? t(`verdict.${verdict}`) : "—"}
    </span>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  if (status === "analysed") return null;
  return <span className={`badge s-${status}`}>{t(`status.${status}`)}</span>;
}

// A value with a copy button (indicators are copied defanged, as they are shown).
export function Copyable({ value }: { value: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      // clipboard refused (insecure context): the value stays selectable
    }
  };
  return (
    <span className="copyrow">
      <span className="mono">{value}</span>
      <button type="button" className="link" onClick={copy}>
        {copied ? t("common.copied") : t("common.copy")}
      </button>
    </span>
  );
}

// Defanged for people: nothing in a report is clickable by accident.
export function defang(value: string): string {
  return value
    .replace(/^http(s?):\/\//i, (_m, s: string) => `hxxp${s}://`)
    .replace(/\./g, "[.]")
    .replace(/@/g, "[@]");
}
