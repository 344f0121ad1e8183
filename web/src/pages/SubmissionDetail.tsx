import { useEffect, useState } from "react";
import { api, bodyApi, isHub, type ConversationMessage, type Session, type Submission } from "../api";
import { useI18n } from "../i18n";
import { ErrorBox, StatusBadge, VerdictBadge } from "../components/common";
import { HeaderLanes } from "../components/HeaderLanes";
import { Attachments, Indicators, Signals } from "../components/Findings";
import { MailBody } from "../components/MailBody";
import { listNeighbours } from "./SubmissionList";
import { onLinkClick } from "../router";
import { Authentication, Links, RawHeaders, Transport } from "../components/Transport";

export function SubmissionDetail({ id, session }: { id: number; session: Session }) {
  const { t, lang, date } = useI18n();
  const [s, setS] = useState<Submission | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let stop = false;
    let timer: ReturnType<typeof setTimeout>;
    const load = () =>
      api.submission(id).then(
        (x) => {
          if (stop) return;
          setS(x);
          // Until the analysis is stored, look again.
          if (x.status === "queued" || x.status === "analysing") timer = setTimeout(load, 1000);
        },
        (e) => !stop && setError(e),
      );
    load();
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [id]);

  useEffect(() => {
    if (s?.subject) document.title = `#${s.id} ${s.subject} — renkei`;
  }, [s?.id, s?.subject]);

  if (error) return <ErrorBox error={error} />;
  if (!s) return <p className="muted">{t("common.loading")}</p>;
  const a = s.analysis;
  const v = a?.verdict;
  const reasons = new Set(v?.reasons ?? []);
  const why = (a?.signals ?? []).filter((x) => reasons.has(x.id));
  const isMail = s.kind === "email" && a?.schema === "renkei.analysis/1";

  const around = listNeighbours(id);
  return (
    <div data-testid="submission-detail">
      {around && (
        <nav className="pager" aria-label={t("detail.pager")} data-testid="pager">
          <a href={around.list} onClick={onLinkClick}>
            {t("detail.back_to_list")}
          </a>
          {around.prev !== undefined && (
            <a href={`/submissions/${around.prev}`} onClick={onLinkClick} rel="prev" data-testid="prev">
              {t("detail.prev")} #{around.prev}
            </a>
          )}
          {around.next !== undefined && (
            <a href={`/submissions/${around.next}`} onClick={onLinkClick} rel="next" data-testid="next">
              {t("detail.next")} #{around.next}
            </a>
          )}
        </nav>
      )}
      <h1>
        {t("detail.title")} #{s.id} <StatusBadge status={s.status} />
      </h1>
      <p className="muted">
        {t(`kind.${s.kind}`)} · {date(s.submitted_at)} · {t(`disclosure.${s.disclosure}`)}
        {isHub(session.user) && s.external_reporter ? ` · ${s.external_reporter}` : ""}
      </p>
      {(s.status === "queued" || s.status === "analysing") && <p className="muted">{t("detail.pending")}</p>}
      {s.status === "failed" && (
        <div className="error-box">
          {t("detail.failed")} {s.error}
        </div>
      )}

      {isMail && v && (
        <div className="panel">
          <div className="verdict-head">
            <VerdictBadge verdict={v.class} big />
            <span className="score">
              {t("detail.score")} {v.score}/100
            </span>
            {v.bec_type != null && (
              <span className="score" data-testid="bec-type">
                {t(`bec_type.${v.bec_type}`)}
              </span>
            )}
            <strong data-testid="subject">{a?.message?.subject}</strong>
          </div>
          {why.length > 0 && (
            <>
              <h2>{t("detail.why")}</h2>
              <ul data-testid="reasons">
                {why.map((x) => (
                  <li key={x.id}>{lang === "ja" ? x.explanation.ja : x.explanation.en}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}

      <CampaignAndTriage s={s} session={session} />

      {s.free_text && (
        <div className="panel">
          <h2>{t("detail.free_text")}</h2>
          <pre className="body-text">{s.free_text}</pre>
        </div>
      )}

      {isMail && a && (
        <>
          <div className="panel">
            <h2>{t("detail.headers")}</h2>
            <HeaderLanes analysis={a} />
          </div>
          <div className="panel">
            <h2>{t("detail.signals")}</h2>
            <Signals analysis={a} />
          </div>
          <div className="panel" data-testid="transport">
            <h2>{t("transport.title")}</h2>
            <h3>{t("transport.auth")}</h3>
            <Authentication analysis={a} />
            <Transport analysis={a} />
            <h3>{t("transport.links")}</h3>
            <Links analysis={a} />
            {s.artefact && (
              <>
                <h3>{t("transport.raw_headers")}</h3>
                <RawHeaders id={s.id} />
              </>
            )}
          </div>
          <div className="panel">
            <h2>{t("detail.indicators")}</h2>
            <Indicators analysis={a} />
          </div>
          <div className="panel">
            <h2>{t("detail.attachments")}</h2>
            <Attachments analysis={a} />
          </div>
        </>
      )}
      {!isMail && a && (
        <div className="panel">
          <h2>{t("detail.indicators")}</h2>
          <Indicators analysis={a} />
        </div>
      )}

      {s.kind === "email" && s.artefact && (
        <div className="panel">
          <h2>{t("detail.body")}</h2>
          <MailBody id={s.id} />
          <p>
            <a href={bodyApi.rawUrl(s.id)} download={`submission-${s.id}.eml`}>
              {t("detail.raw")}
            </a>
          </p>
        </div>
      )}
    </div>
  );
}

// Its campaign (a link for hub staff, the name only for participants), the triage state and the
// conversation with the hub (docs/triage.md): the hub asks, the submitting organisation answers.
function CampaignAndTriage({ s, session }: { s: Submission; session: Session }) {
  const { t, date } = useI18n();
  const hub = isHub(session.user);
  const [messages, setMessages] = useState<ConversationMessage[] | null>(null);
  const [text, setText] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [seq, setSeq] = useState(0);
  useEffect(() => {
    api.messages(s.id).then((r) => setMessages(r.items), () => setMessages([]));
  }, [s.id, seq]);
  const tr = s.triage;
  const canWrite = hub || session.user.role === "submitter";
  const send = async () => {
    setError(null);
    try {
      await api.postMessage(s.id, text.trim());
      setText("");
      setSeq((n) => n + 1);
    } catch (e) {
      setError(e);
    }
  };
  if (!s.campaign && !tr && (messages === null || messages.length === 0)) return null;
  return (
    <div className="panel" data-testid="campaign-triage">
      <dl className="facts">
        {s.campaign && (
          <>
            <dt>{t("detail.campaign")}</dt>
            <dd data-testid="detail-campaign">
              {hub ? (
                <a href={`/campaigns/${s.campaign.id}`} onClick={onLinkClick}>
                  #{s.campaign.id} {s.campaign.name}
                </a>
              ) : (
                s.campaign.name
              )}
            </dd>
          </>
        )}
        {tr && (
          <>
            <dt>{t("detail.triage")}</dt>
            <dd data-testid="detail-triage" data-state={tr.state}>
              {t(`decision.${tr.state}`)}
              {tr.reason ? ` · ${t(`reason.${tr.reason}`)}` : ""}
              {tr.decided_at ? ` · ${date(tr.decided_at)}` : ""}
              {tr.analyst_verdict?.class ? ` · ${t("triage.analyst")}: ${t(`verdict.${tr.analyst_verdict.class}`)}` : ""}
            </dd>
          </>
        )}
      </dl>
      <h2>{t("detail.conversation")}</h2>
      {messages !== null && messages.length === 0 && <p className="muted">{t("detail.no_messages")}</p>}
      {messages !== null && messages.length > 0 && (
        <ul className="conversation" data-testid="conversation">
          {messages.map((m) => (
            <li key={m.id} className={m.from === "hub" ? "from-hub" : "from-submitter"} data-from={m.from}>
              <div className="muted small">
                {m.from === "hub" ? t("detail.from_hub") : t("detail.from_submitter")} · {date(m.at)}
              </div>
              <div className="text">{m.text}</div>
            </li>
          ))}
        </ul>
      )}
      {canWrite && (
        <form
          className="triage-question"
          onSubmit={(e) => {
            e.preventDefault();
            if (text.trim()) void send();
          }}
        >
          <label htmlFor="message-text">{hub ? t("triage.question") : t("detail.answer")}</label>
          <textarea id="message-text" value={text} onChange={(e) => setText(e.target.value)} maxLength={8000} rows={3} data-testid="message-text" />
          <button type="submit" disabled={!text.trim()} data-testid="message-send">
            {t("detail.send")}
          </button>
        </form>
      )}
      <ErrorBox error={error} />
    </div>
  );
}
