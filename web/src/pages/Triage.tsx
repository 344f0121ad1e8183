// The analyst's queue (docs/triage.md): pending submissions in the API's order, each with its
// proposed decision; an action takes the row out of the queue.
import { useEffect, useState } from "react";
import { api, type TriageItem } from "../api";
import { useI18n } from "../i18n";
import { onLinkClick } from "../router";
import { ErrorBox, VerdictBadge } from "../components/common";

const PAGE = 100;

export const kReasons = ["mass_mailed", "not_an_attack", "duplicate", "insufficient_information"] as const;

export function Triage() {
  const { t, lang, date } = useI18n();
  const [items, setItems] = useState<TriageItem[] | null>(null);
  const [pending, setPending] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<number | null>(null);

  const [loading, setLoading] = useState(false);
  // Decided rows have left the queue on the server too, so the next page starts at the rows shown.
  const load = (offset: number) => {
    setLoading(true);
    api
      .triage(PAGE, offset)
      .then(
        (r) => {
          setItems((old) => (offset > 0 && old ? [...old, ...r.items.filter((x) => !old.some((o) => o.submission_id === x.submission_id))] : r.items));
          setPending(r.pending);
        },
        setError,
      )
      .finally(() => setLoading(false));
  };
  useEffect(() => load(0), []);

  const decided = (id: number) => {
    setItems((xs) => (xs ? xs.filter((x) => x.submission_id !== id) : xs));
    setPending((n) => Math.max(0, n - 1));
    setDone(id);
  };

  return (
    <div>
      <h1>{t("triage.title")}</h1>
      <p className="muted">{t("triage.about")}</p>
      <ErrorBox error={error} />
      {items === null && !error && <p className="muted">{t("common.loading")}</p>}
      {items !== null && (
        <p className="muted" data-testid="triage-pending" aria-live="polite">
          {t("triage.pending").replace("{n}", String(pending))}
        </p>
      )}
      {done !== null && (
        <p role="status" data-testid="triage-done">
          {t("triage.done").replace("{id}", String(done))}
        </p>
      )}
      {items !== null && items.length === 0 && <p className="muted">{t("triage.empty")}</p>}
      {items !== null && items.length > 0 && (
        <table className="stack" data-testid="triage-table">
          <thead>
            <tr>
              <th scope="col">{t("triage.submission")}</th>
              <th scope="col">{t("triage.verdict")}</th>
              <th scope="col">{t("triage.campaign")}</th>
              <th scope="col">{t("triage.proposed")}</th>
              <th scope="col">{t("triage.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((x) => (
              <TriageRow key={x.submission_id} item={x} onDecided={decided} lang={lang} date={date} />
            ))}
          </tbody>
        </table>
      )}
      {items !== null && items.length < pending && !loading && (
        <p>
          <button type="button" className="secondary" onClick={() => load(items.length)} data-testid="more">
            {t("common.more")}
          </button>
        </p>
      )}
    </div>
  );
}

function TriageRow({
  item: x,
  onDecided,
  lang,
  date,
}: {
  item: TriageItem;
  onDecided: (id: number) => void;
  lang: string;
  date: (iso: string) => string;
}) {
  const { t } = useI18n();
  const [reason, setReason] = useState<string>(x.proposed.reason ?? "mass_mailed");
  const [asking, setAsking] = useState(false);
  const [question, setQuestion] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const av = x.analyst_verdict;
  const verdict = av?.class ?? x.verdict;

  const decide = async (d: { decision: string; reason?: string; question?: string }) => {
    setBusy(true);
    try {
      await api.decide(x.submission_id, d);
      onDecided(x.submission_id);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  const id = `tr-${x.submission_id}`;
  return (
    <tr data-testid="triage-row" data-id={x.submission_id}>
      <td className="c-subject">
        <a href={`/submissions/${x.submission_id}`} onClick={onLinkClick} data-testid="triage-link">
          #{x.submission_id} {x.subject || t(`kind.${x.kind}`)}
        </a>
        <div className="muted small">
          {x.from && <span className="mono">{x.from}</span>} {date(x.submitted_at)}
        </div>
      </td>
      <td>
        <VerdictBadge verdict={verdict} />
        {av?.class && <span className="muted small"> ({t("triage.analyst")})</span>}
        {(av?.bec_type ?? x.bec_type) != null && <div className="muted small">{t(`bec_type.${av?.bec_type ?? x.bec_type}`)}</div>}
      </td>
      <td data-testid="triage-campaign">
        {x.campaign ? (
          <>
            <a href={`/campaigns/${x.campaign.id}`} onClick={onLinkClick}>
              {x.campaign.name}
            </a>
            <div className="muted small">
              {t("triage.members").replace("{n}", String(x.campaign.members ?? 1))} ·{" "}
              {t("triage.orgs").replace("{n}", String(x.campaign.organizations ?? 1))}
            </div>
          </>
        ) : (
          "—"
        )}
      </td>
      <td data-testid="triage-proposed">
        <strong data-decision={x.proposed.decision}>{t(`decision.${x.proposed.decision}`)}</strong>
        {x.proposed.reason && <> · {t(`reason.${x.proposed.reason}`)}</>}
        <div className="small">{lang === "ja" ? x.proposed.why.ja : x.proposed.why.en}</div>
      </td>
      <td>
        <div className="triage-actions">
          <button type="button" disabled={busy} onClick={() => decide({ decision: "share" })} data-testid="act-share">
            {t("triage.share")}
          </button>
          <span className="triage-not-shared">
            <select value={reason} onChange={(e) => setReason(e.target.value)} aria-label={`${t("triage.reason")} #${x.submission_id}`} data-testid="act-reason">
              {kReasons.map((r) => (
                <option key={r} value={r}>
                  {t(`reason.${r}`)}
                </option>
              ))}
            </select>
            <button type="button" className="secondary" disabled={busy} onClick={() => decide({ decision: "not_shared", reason })} data-testid="act-not-shared">
              {t("triage.not_shared")}
            </button>
          </span>
          <button type="button" className="secondary" disabled={busy} onClick={() => setAsking(!asking)} aria-expanded={asking} data-testid="act-ask">
            {t("triage.ask")}
          </button>
        </div>
        {asking && (
          <form
            className="triage-question"
            onSubmit={(e) => {
              e.preventDefault();
              if (question.trim()) void decide({ decision: "needs_info", question: question.trim() });
            }}
          >
            <label htmlFor={id}>{t("triage.question")}</label>
            <textarea id={id} value={question} onChange={(e) => setQuestion(e.target.value)} maxLength={8000} rows={3} data-testid="act-question" />
            <button type="submit" disabled={busy || !question.trim()} data-testid="act-send">
              {t("triage.send")}
            </button>
          </form>
        )}
        <ErrorBox error={error} />
      </td>
    </tr>
  );
}
