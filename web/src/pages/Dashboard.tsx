import { useEffect, useState } from "react";
import { api, type Session, type Submission } from "../api";
import { useI18n } from "../i18n";
import { onLinkClick } from "../router";
import { ErrorBox, StatusBadge, VerdictBadge } from "../components/common";

// The first day of the current quarter, in the user's time zone, as an RFC 3339 instant.
function quarterStart(): { since: string; label: string } {
  const now = new Date();
  const q = Math.floor(now.getMonth() / 3);
  const start = new Date(now.getFullYear(), q * 3, 1);
  return { since: start.toISOString(), label: `${now.getFullYear()} Q${q + 1}` };
}

export function Dashboard({ session }: { session: Session }) {
  const { t, date } = useI18n();
  const [recent, setRecent] = useState<Submission[] | null>(null);
  const [attention, setAttention] = useState<Submission[] | null>(null);
  const [stats, setStats] = useState<Awaited<ReturnType<typeof api.stats>> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const quarter = quarterStart();

  useEffect(() => {
    api.submissions({ limit: 10 }).then((r) => setRecent(r.items), setError);
    Promise.all([
      api.submissions({ verdict: "bec", limit: 5 }),
      api.submissions({ verdict: "malware", limit: 5 }),
      api.submissions({ status: "failed", limit: 5 }),
    ]).then((rs) => setAttention(rs.flatMap((r) => r.items).sort((a, b) => b.id - a.id).slice(0, 10)), setError);
    api.stats(quarter.since).then(setStats, () => setStats(null));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const malicious = stats ? ["bec", "phishing", "malware", "scam"].reduce((n, v) => n + (stats.by_verdict[v] ?? 0), 0) : null;
  const row = (s: Submission) => (
    <tr key={s.id}>
      <td>
        <a href={`/submissions/${s.id}`} onClick={onLinkClick}>
          #{s.id}
        </a>
      </td>
      <td>
        <VerdictBadge verdict={s.verdict} /> <StatusBadge status={s.status} />
      </td>
      <td>
        <a href={`/submissions/${s.id}`} onClick={onLinkClick}>
          {s.subject || s.free_text.slice(0, 80) || "—"}
        </a>
      </td>
      <td className="muted">{date(s.submitted_at)}</td>
    </tr>
  );

  return (
    <div>
      <h1>
        {t("dash.title")} <span className="muted">· {session.user.display_name || session.user.login}</span>
      </h1>
      <ErrorBox error={error} />
      <h2>
        {t("dash.quarter")} ({quarter.label})
      </h2>
      <div className="cards" data-testid="quarter-cards">
        <div className="card">
          <div className="num">{stats?.total ?? "—"}</div>
          <div className="label">{t("dash.total")}</div>
        </div>
        <div className="card">
          <div className="num sev-high">{malicious ?? "—"}</div>
          <div className="label">{t("dash.malicious")}</div>
        </div>
        {["bec", "phishing", "malware", "scam"].map((v) => (
          <div className="card" key={v}>
            <div className="num">{stats?.by_verdict[v] ?? 0}</div>
            <div className="label">{t(`verdict.${v}`)}</div>
          </div>
        ))}
        <div className="card">
          <div className="num">{(stats?.by_status.queued ?? 0) + (stats?.by_status.analysing ?? 0)}</div>
          <div className="label">{t("dash.queued")}</div>
        </div>
      </div>
      <div className="grid2">
        <div className="panel">
          <h2>{t("dash.attention")}</h2>
          {attention && attention.length === 0 && <p className="muted">{t("dash.nothing")}</p>}
          {attention && attention.length > 0 && (
            <table className="stack">
              <tbody>{attention.map(row)}</tbody>
            </table>
          )}
        </div>
        <div className="panel">
          <h2>
            <a href="/submissions" onClick={onLinkClick}>
              {t("dash.recent")}
            </a>
          </h2>
          {recent && recent.length === 0 && <p className="muted">{t("list.empty")}</p>}
          {recent && recent.length > 0 && (
            <table data-testid="recent" className="stack">
              <tbody>{recent.map(row)}</tbody>
            </table>
          )}
        </div>
      </div>
    </div>
  );
}
