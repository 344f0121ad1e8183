// Campaigns (一連の攻撃, docs/campaigns.md): the list and one campaign's page, hub staff only.
import { useEffect, useState } from "react";
import { api, type Bilingual, type Campaign, type CampaignDetail } from "../api";
import { useI18n } from "../i18n";
import { navigate, onLinkClick, useLocation } from "../router";
import { ErrorBox, VerdictBadge } from "../components/common";

const PAGE = 50;

// The explanation is one sentence of clauses: "; " in English, "／" in Japanese — one line each.
export function explanationLines(e: Bilingual | undefined, lang: string): string[] {
  if (!e) return [];
  const text = lang === "ja" ? e.ja || e.en : e.en;
  return text
    .split(lang === "ja" && e.ja ? "／" : "; ")
    .map((x) => x.trim())
    .filter(Boolean);
}

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : "—");

export function CampaignList() {
  const { t, lang } = useI18n();
  const loc = useLocation();
  const filters = { q: loc.search.get("q") ?? "", series: loc.search.get("series") !== "0" };
  const [q, setQ] = useState(filters.q);
  const [items, setItems] = useState<Campaign[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const key = JSON.stringify(filters);

  const load = async (before?: number) => {
    setLoading(true);
    try {
      const r = await api.campaigns({ q: filters.q, min_members: filters.series ? 2 : undefined, before, limit: PAGE });
      setItems((old) => (before ? [...old, ...r.items] : r.items));
      setNext(r.next_before ?? null);
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    setItems([]);
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const setFilter = (name: string, value: string) => {
    const s = new URLSearchParams(loc.search);
    if (value) s.set(name, value);
    else s.delete(name);
    navigate("/campaigns" + (s.toString() ? "?" + s.toString() : ""));
  };

  return (
    <div>
      <h1>{t("campaigns.title")}</h1>
      <p className="muted">{t("campaigns.about")}</p>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter("q", q.trim());
        }}
      >
        <input type="search" aria-label={t("campaigns.search")} placeholder={t("campaigns.search")} value={q} onChange={(e) => setQ(e.target.value)} data-testid="campaign-search" />
        <label className="inline">
          <input type="checkbox" checked={filters.series} onChange={(e) => setFilter("series", e.target.checked ? "" : "0")} data-testid="series-only" />{" "}
          {t("campaigns.series_only")}
        </label>
      </form>
      <ErrorBox error={error} />
      <table className="stack" data-testid="campaign-table">
        <thead>
          <tr>
            <th scope="col">{t("campaigns.name")}</th>
            <th scope="col">{t("campaigns.members")}</th>
            <th scope="col">{t("campaigns.orgs")}</th>
            <th scope="col">{t("campaigns.first_seen")}</th>
            <th scope="col">{t("campaigns.last_seen")}</th>
            <th scope="col">{t("campaigns.why")}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={c.id} data-testid="campaign-row" data-members={c.members}>
              <td>
                <a href={`/campaigns/${c.id}`} onClick={onLinkClick} data-testid="campaign-link">
                  #{c.id} {c.name}
                </a>
              </td>
              <td>
                <span className="label-phone">{t("campaigns.members")}: </span>
                {c.members}
              </td>
              <td>
                <span className="label-phone">{t("campaigns.orgs")}: </span>
                {c.organizations}
              </td>
              <td className="muted">{day(c.first_seen)}</td>
              <td className="muted">{day(c.last_seen)}</td>
              <td className="small" data-testid="campaign-why">
                {explanationLines(c.explanation, lang).slice(0, 3).join(lang === "ja" ? "／" : "; ")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {!loading && items.length === 0 && !error && <p className="muted">{t("campaigns.empty")}</p>}
      {loading && <p className="muted">{t("common.loading")}</p>}
      {next && !loading && (
        <p>
          <button type="button" className="secondary" onClick={() => load(next)} data-testid="more">
            {t("common.more")}
          </button>
        </p>
      )}
    </div>
  );
}

// Arrivals per day as bars: one bar per day that had reports, in order (days without are left out,
// a series spans years).
function ArrivalsChart({ days }: { days: { day: string; count: number }[] }) {
  const { t } = useI18n();
  const max = Math.max(1, ...days.map((d) => d.count));
  const w = 14;
  const gap = 4;
  const h = 120;
  const width = Math.max(1, days.length) * (w + gap);
  return (
    <div className="chart-scroll">
      <svg
        role="img"
        aria-label={t("campaign.arrivals_chart").replace("{n}", String(days.length))}
        viewBox={`0 0 ${width} ${h + 4}`}
        width={width}
        height={h + 4}
        className="arrivals"
        data-testid="arrivals-chart"
      >
        {days.map((d, i) => {
          const bh = Math.max(2, Math.round((d.count / max) * h));
          return (
            <rect key={d.day} x={i * (w + gap)} y={h - bh} width={w} height={bh} className="bar" data-testid="arrival-bar">
              <title>{`${d.day}: ${d.count}`}</title>
            </rect>
          );
        })}
      </svg>
      {days.length > 0 && (
        <p className="muted small">
          {days[0]?.day} → {days[days.length - 1]?.day}
        </p>
      )}
    </div>
  );
}

function Counts({ title, rows, head, testid }: { title: string; rows: [string, number][]; head: string; testid: string }) {
  const { t } = useI18n();
  return (
    <div className="panel">
      <h2>{title}</h2>
      <table data-testid={testid}>
        <thead>
          <tr>
            <th scope="col">{head}</th>
            <th scope="col">{t("campaign.count")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([k, n]) => (
            <tr key={k}>
              <td>{k || "—"}</td>
              <td>{n}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function CampaignPage({ id }: { id: number }) {
  const { t, lang, date } = useI18n();
  const [c, setC] = useState<CampaignDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [done, setDone] = useState("");
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState("");
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [mergeId, setMergeId] = useState("");
  const [splitName, setSplitName] = useState("");
  const [moveId, setMoveId] = useState("");
  const [moveTo, setMoveTo] = useState("");
  const [seq, setSeq] = useState(0);

  useEffect(() => {
    let stop = false;
    api.campaign(id).then(
      (x) => {
        if (stop) return;
        setC(x);
        setError(null);
      },
      (e) => !stop && setError(e),
    );
    return () => {
      stop = true;
    };
  }, [id, seq]);
  useEffect(() => {
    if (c?.name) document.title = `${t("campaign.title")} #${c.id} ${c.name} — renkei`;
  }, [c?.id, c?.name, t]);

  const act = async (f: () => Promise<unknown>, after?: (r: unknown) => void) => {
    setActionError(null);
    setDone("");
    try {
      const r = await f();
      setDone(t("campaign.done"));
      setSelected(new Set());
      if (after) after(r);
      setSeq((n) => n + 1);
    } catch (e) {
      setActionError(e);
    }
  };

  if (error) return <ErrorBox error={error} />;
  if (!c) return <p className="muted">{t("common.loading")}</p>;
  const lines = explanationLines(c.explanation, lang);
  // Industries by their names in the user's language (the registry's words otherwise).
  const industry = (x: string) => {
    const name = t(`industry.${x}`);
    return name === `industry.${x}` ? x : name;
  };
  const toggle = (sid: number) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(sid)) n.delete(sid);
      else n.add(sid);
      return n;
    });

  return (
    <div data-testid="campaign-page">
      <p className="muted">
        <a href="/campaigns" onClick={onLinkClick}>
          {t("campaigns.title")}
        </a>
      </p>
      {renaming ? (
        <form
          className="filters"
          onSubmit={(e) => {
            e.preventDefault();
            if (name.trim()) void act(() => api.renameCampaign(c.id, name.trim()), () => setRenaming(false));
          }}
        >
          <input value={name} onChange={(e) => setName(e.target.value)} aria-label={t("campaign.new_name")} maxLength={200} data-testid="rename-input" />
          <button type="submit" data-testid="rename-save">
            {t("common.save")}
          </button>
          <button type="button" className="secondary" onClick={() => setRenaming(false)}>
            {t("common.cancel")}
          </button>
        </form>
      ) : (
        <h1>
          <span data-testid="campaign-name">
            {t("campaign.title")} #{c.id} {c.name}
          </span>{" "}
          <button
            type="button"
            className="link"
            onClick={() => {
              setName(c.name);
              setRenaming(true);
            }}
            data-testid="rename"
          >
            {t("campaign.rename")}
          </button>
        </h1>
      )}
      {c.merged_into != null && (
        <p className="error-box">
          <a href={`/campaigns/${c.merged_into}`} onClick={onLinkClick}>
            {t("campaign.merged_into").replace("{id}", String(c.merged_into))}
          </a>
        </p>
      )}
      <p className="muted" data-testid="campaign-summary">
        {t("triage.members").replace("{n}", String(c.members))} · {t("triage.orgs").replace("{n}", String(c.organizations))} ·{" "}
        {day(c.first_seen)} → {day(c.last_seen)}
      </p>
      {done && <p role="status">{done}</p>}
      <ErrorBox error={actionError} />

      <div className="panel">
        <h2>{t("campaigns.why")}</h2>
        <ul data-testid="campaign-explanation">
          {lines.map((l, i) => (
            <li key={i}>{l}</li>
          ))}
        </ul>
      </div>

      <div className="panel">
        <h2>{t("campaign.arrivals")}</h2>
        <ArrivalsChart days={c.arrivals_per_day} />
      </div>

      <div className="panel">
        <h2>{t("campaign.mails")}</h2>
        <table className="stack" data-testid="member-table">
          <thead>
            <tr>
              <th scope="col">{t("campaign.select")}</th>
              <th scope="col">{t("campaign.industry")}</th>
              <th scope="col">{t("campaign.time")}</th>
              <th scope="col">{t("campaign.subject")}</th>
              <th scope="col">{t("campaign.sender")}</th>
              <th scope="col">{t("triage.verdict")}</th>
              <th scope="col">{t("campaign.organization")}</th>
            </tr>
          </thead>
          <tbody>
            {c.submissions.map((m) => (
              <tr key={m.submission_id} data-testid="member-row">
                <td>
                  <input
                    type="checkbox"
                    checked={selected.has(m.submission_id)}
                    onChange={() => toggle(m.submission_id)}
                    aria-label={`${t("campaign.select")} #${m.submission_id}`}
                    data-testid="member-select"
                  />{" "}
                  <a href={`/submissions/${m.submission_id}`} onClick={onLinkClick}>
                    #{m.submission_id}
                  </a>
                </td>
                <td>{m.industry ? industry(m.industry) : "—"}</td>
                <td className="muted">{m.mail_time ? date(m.mail_time) : date(m.submitted_at)}</td>
                <td>{m.subject || "—"}</td>
                <td className="mono">{m.from || "—"}</td>
                <td>
                  <VerdictBadge verdict={m.verdict} />
                </td>
                <td>{m.organization || "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div className="grid2">
        <Counts title={t("campaign.by_subject")} head={t("campaign.subject")} rows={c.subjects.map((x) => [x.subject, x.count])} testid="by-subject" />
        <Counts title={t("campaign.per_quarter")} head={t("campaign.quarter")} rows={c.per_quarter.map((x) => [x.quarter, x.count])} testid="per-quarter" />
        <Counts title={t("campaign.industries")} head={t("campaign.industry")} rows={c.industries.map((x) => [industry(x.industry), x.count])} testid="industries" />
      </div>

      <div className="panel" data-testid="campaign-actions">
        <h2>{t("campaign.actions")}</h2>
        <form
          className="filters"
          onSubmit={(e) => {
            e.preventDefault();
            const other = Number(mergeId);
            if (other > 0) void act(() => api.mergeCampaigns(c.id, [other]), () => setMergeId(""));
          }}
        >
          <label htmlFor="merge-id">{t("campaign.merge")}</label>
          <input id="merge-id" inputMode="numeric" value={mergeId} onChange={(e) => setMergeId(e.target.value.replace(/\D/g, ""))} placeholder={t("campaign.merge_id")} data-testid="merge-id" />
          <button type="submit" disabled={!mergeId} data-testid="merge">
            {t("campaign.merge_do")}
          </button>
        </form>
        <form
          className="filters"
          onSubmit={(e) => {
            e.preventDefault();
            if (selected.size > 0)
              void act(
                () => api.splitCampaign(c.id, [...selected], splitName.trim()),
                (r) => {
                  setSplitName("");
                  const nid = (r as { id?: number } | null)?.id;
                  if (nid) navigate(`/campaigns/${nid}`);
                },
              );
          }}
        >
          <label htmlFor="split-name">
            {t("campaign.split")} ({selected.size})
          </label>
          <input id="split-name" value={splitName} onChange={(e) => setSplitName(e.target.value)} placeholder={t("campaign.split_name")} maxLength={200} data-testid="split-name" />
          <button type="submit" disabled={selected.size === 0} data-testid="split">
            {t("campaign.split_do")}
          </button>
        </form>
        <form
          className="filters"
          onSubmit={(e) => {
            e.preventDefault();
            const sid = Number(moveId);
            if (sid > 0) void act(() => api.moveSubmission(sid, moveTo ? Number(moveTo) : null), () => setMoveId(""));
          }}
        >
          <span>{t("campaign.move")}</span>
          <input inputMode="numeric" value={moveId} onChange={(e) => setMoveId(e.target.value.replace(/\D/g, ""))} aria-label={t("campaign.move_submission")} placeholder={t("campaign.move_submission")} data-testid="move-id" />
          <input inputMode="numeric" value={moveTo} onChange={(e) => setMoveTo(e.target.value.replace(/\D/g, ""))} aria-label={t("campaign.move_target")} placeholder={t("campaign.move_target")} data-testid="move-to" />
          <button type="submit" disabled={!moveId} data-testid="move">
            {t("campaign.move_do")}
          </button>
        </form>
      </div>
    </div>
  );
}
