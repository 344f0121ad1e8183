// What a mail client's "show original" gives, read for the analyst: the authentication results
// the engine believed (and from which server), the Received hops with the first external one
// marked, the Message-ID and the mail's own Date, the links (visible text → real target,
// rewriters unwrapped) and, on request, the raw header section.
import { useState } from "react";
import { bodyApi, type Analysis } from "../api";
import { useI18n } from "../i18n";
import { ErrorBox, defang } from "./common";

function unixDate(date: (iso: string) => string, unix: number | null | undefined): string {
  return unix == null ? "" : date(new Date(unix * 1000).toISOString());
}

export function Authentication({ analysis }: { analysis: Analysis }) {
  const { t } = useI18n();
  const results = analysis.message?.authentication_results ?? [];
  if (results.length === 0) return <p className="muted">{t("transport.no_auth")}</p>;
  return (
    <table className="stack" data-testid="auth-results">
      <thead>
        <tr>
          <th scope="col">{t("transport.authserv")}</th>
          <th scope="col">{t("transport.results")}</th>
          <th scope="col">{t("transport.believed")}</th>
        </tr>
      </thead>
      <tbody>
        {results.map((r, i) => (
          <tr key={i} data-believed={r.believed ? "true" : "false"}>
            <td className="mono">{r.authserv_id || "—"}</td>
            <td>
              {r.results.map((x, j) => (
                <span key={j} className={`auth auth-${x.result}`}>
                  {x.method.toUpperCase()}={x.result}
                </span>
              ))}
            </td>
            <td>
              <strong>{r.believed ? t("transport.believed_yes") : t("transport.believed_no")}</strong>
              {r.believed_why && <span className="reason">{r.believed_why}</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Transport({ analysis }: { analysis: Analysis }) {
  const { t, date } = useI18n();
  const m = analysis.message;
  if (!m) return null;
  const hops = m.received ?? [];
  // The engine's originating hop: the first external IP from the bottom of the chain.
  const origin = (analysis.indicators ?? []).find((x) => x.role === "received")?.value ?? "";
  let marked = false;
  const firstExternal = [...hops.keys()].reverse().find((i) => hops[i]?.from_ip === origin && origin !== "");
  return (
    <div>
      <dl className="facts">
        <dt>Message-ID</dt>
        <dd className="mono" data-testid="message-id">
          {m.message_id || "—"}
        </dd>
        <dt>{t("transport.date")}</dt>
        <dd data-testid="mail-date">
          <span className="mono">{m.date || "—"}</span>
          {m.date_unix != null && <span className="reason">{unixDate(date, m.date_unix)}</span>}
        </dd>
      </dl>
      <h3>{t("transport.hops")}</h3>
      {hops.length === 0 ? (
        <p className="muted">{t("common.none")}</p>
      ) : (
        <div className="scroll-x" tabIndex={0} role="region" aria-label={t("transport.hops")}>
          <table className="stack" data-testid="received">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t("transport.from_host")}</th>
                <th scope="col">IP</th>
                <th scope="col">{t("transport.by_host")}</th>
                <th scope="col">{t("transport.time")}</th>
              </tr>
            </thead>
            <tbody>
              {hops.map((h, i) => {
                const first = i === firstExternal && !marked;
                if (first) marked = true;
                return (
                  <tr key={i} className={first ? "first-external" : ""} data-testid={first ? "first-external" : undefined}>
                    <td>{hops.length - i}</td>
                    <td className="mono">{h.from_host || "—"}</td>
                    <td className="mono">
                      {h.from_ip || "—"}
                      {first && <span className="reason strong">{t("transport.first_external")}</span>}
                    </td>
                    <td className="mono">
                      {h.by_host || "—"}
                      {h.with && <span className="reason">{h.with}</span>}
                    </td>
                    <td>{unixDate(date, h.time_unix) || "—"}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export function Links({ analysis }: { analysis: Analysis }) {
  const { t } = useI18n();
  const links = analysis.message?.links ?? [];
  if (links.length === 0) return <p className="muted">{t("common.none")}</p>;
  return (
    <ul className="links" data-testid="links">
      {links.map((l, i) => (
        <li key={i}>
          <span className="link-text">{l.text ? `“${l.text.trim()}”` : t("transport.plain_link")}</span>
          <span aria-hidden="true"> → </span>
          <span className="sr-label">{t("transport.goes_to")} </span>
          <span className="mono">{defang(l.url)}</span>
          {l.wrapped_host !== undefined && (
            <span className="reason" data-testid="unwrapped">
              {t("transport.unwrapped")} <span className="mono">{l.wrapped_host ? defang(l.wrapped_host) : t("transport.opaque")}</span>
            </span>
          )}
          {l.where === "attachment" && <span className="reason">{t("transport.in_attachment")}</span>}
        </li>
      ))}
    </ul>
  );
}

export function RawHeaders({ id }: { id: number }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const toggle = () => {
    if (!open && text === null) bodyApi.rawHeaders(id).then(setText, setError);
    setOpen(!open);
  };
  return (
    <div>
      <button type="button" className="secondary" aria-expanded={open} aria-controls="raw-headers" onClick={toggle} data-testid="show-raw-headers">
        {t("transport.raw_headers")}
      </button>
      {open && (
        <div id="raw-headers">
          <ErrorBox error={error} />
          {text === null && !error ? (
            <p className="muted">{t("common.loading")}</p>
          ) : (
            <pre className="raw-headers" tabIndex={0} aria-label={t("transport.raw_headers")} data-testid="raw-headers">
              {text}
            </pre>
          )}
        </div>
      )}
    </div>
  );
}
