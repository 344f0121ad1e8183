import { useEffect, useState } from "react";
import { api, bodyApi, isHub, type Session, type Submission } from "../api";
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
