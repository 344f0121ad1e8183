// Keyset paging (?before=<last id>) keeps every page as fast as the first at 100k rows.
import { useEffect, useRef, useState } from "react";
import { api, type Submission } from "../api";
import { useI18n } from "../i18n";
import { navigate, onLinkClick, useLocation } from "../router";
import { ErrorBox, StatusBadge, VerdictBadge } from "../components/common";

const PAGE = 50;

// The list as last shown, in sessionStorage (this tab only): the rows for Back, their ids for
// previous/next on a submission.
interface ListState {
  key: string;
  items: Submission[];
  more: boolean;
  scroll: number;
  search: string;
}
const kListState = "renkei.list";

function readListState(key: string): ListState | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(kListState) ?? "null") as ListState | null;
    return s && s.key === key ? s : null;
  } catch {
    return null;
  }
}

function writeListState(key: string, items: Submission[], more: boolean) {
  try {
    // Only what a row shows: the analyses are not part of the list.
    const rows = items.map(({ analysis: _a, ...row }) => row);
    sessionStorage.setItem(kListState, JSON.stringify({ key, items: rows, more, scroll: window.scrollY, search: location.search }));
  } catch {
    // storage full or disabled: Back reloads the first page
  }
}

// Where the list was scrolled to is kept as the user leaves it.
function rememberScroll() {
  try {
    const s = JSON.parse(sessionStorage.getItem(kListState) ?? "null") as ListState | null;
    if (s) sessionStorage.setItem(kListState, JSON.stringify({ ...s, scroll: window.scrollY }));
  } catch {
    // nothing to keep
  }
}

// The neighbours of a submission in the list last shown, and the list's address.
export function listNeighbours(id: number): { prev?: number; next?: number; list: string } | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(kListState) ?? "null") as ListState | null;
    if (!s) return null;
    const i = s.items.findIndex((x) => x.id === id);
    if (i < 0) return null;
    return { prev: s.items[i - 1]?.id, next: s.items[i + 1]?.id, list: "/submissions" + s.search };
  } catch {
    return null;
  }
}

export function SubmissionList() {
  const { t, date } = useI18n();
  const loc = useLocation();
  const [q, setQ] = useState(loc.search.get("q") ?? "");
  const filters = {
    q: loc.search.get("q") ?? "",
    status: loc.search.get("status") ?? "",
    verdict: loc.search.get("verdict") ?? "",
    kind: loc.search.get("kind") ?? "",
  };
  const key = JSON.stringify(filters);
  // Back from a submission finds the list as it was left: its rows (all pages loaded) and where
  // it was scrolled to.
  const [cached] = useState(() => readListState(key));
  const [items, setItems] = useState<Submission[]>(cached?.items ?? []);
  const [more, setMore] = useState(cached?.more ?? false);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(!cached);
  const seq = useRef(0);
  const restored = useRef(cached !== null);
  useEffect(() => {
    if (cached) window.scrollTo(0, cached.scroll);
  }, [cached]);
  useEffect(() => {
    if (!loading) writeListState(key, items, more);
  }, [key, items, more, loading]);

  const load = async (before?: number) => {
    const mine = ++seq.current;
    setLoading(true);
    try {
      const r = await api.submissions({ ...filters, before, limit: PAGE });
      if (mine !== seq.current) return;
      setItems((old) => (before ? [...old, ...r.items] : r.items));
      setMore(r.items.length === PAGE);
      setError(null);
    } catch (e) {
      if (mine === seq.current) setError(e);
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  };
  useEffect(() => {
    if (restored.current) {
      restored.current = false;
      return;
    }
    // Other filters: the old rows go at once, so no one reads them as the new result.
    setItems([]);
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const setFilter = (name: string, value: string) => {
    const s = new URLSearchParams(loc.search);
    if (value) s.set(name, value);
    else s.delete(name);
    navigate("/submissions" + (s.toString() ? "?" + s.toString() : ""));
  };

  return (
    <div>
      <h1>{t("list.title")}</h1>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter("q", q.trim());
        }}
      >
        <input type="search" aria-label={t("list.search")} placeholder={t("list.search")} value={q} onChange={(e) => setQ(e.target.value)} data-testid="search" />
        <select value={filters.verdict} onChange={(e) => setFilter("verdict", e.target.value)} aria-label={t("list.verdict")}>
          <option value="">
            {t("list.verdict")}: {t("list.any")}
          </option>
          {["bec", "phishing", "malware", "scam", "spam", "benign", "unknown"].map((v) => (
            <option key={v} value={v}>
              {t(`verdict.${v}`)}
            </option>
          ))}
        </select>
        <select value={filters.status} onChange={(e) => setFilter("status", e.target.value)} aria-label={t("list.status")}>
          <option value="">
            {t("list.status")}: {t("list.any")}
          </option>
          {["queued", "analysing", "analysed", "failed"].map((v) => (
            <option key={v} value={v}>
              {t(`status.${v}`)}
            </option>
          ))}
        </select>
        <select value={filters.kind} onChange={(e) => setFilter("kind", e.target.value)} aria-label={t("list.kind")}>
          <option value="">
            {t("list.kind")}: {t("list.any")}
          </option>
          {["email", "communication", "incident", "malware", "fake_site", "consultation"].map((v) => (
            <option key={v} value={v}>
              {t(`kind.${v}`)}
            </option>
          ))}
        </select>
      </form>
      <ErrorBox error={error} />
      <table data-testid="submission-table" className="list-table">
        <thead>
          <tr>
            <th scope="col">{t("common.id")}</th>
            <th scope="col">{t("list.verdict")}</th>
            <th scope="col">{t("list.subject")}</th>
            <th scope="col">{t("list.kind")}</th>
            <th scope="col">{t("list.at")}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((s) => (
            <tr
              key={s.id}
              className="clickable"
              // The links are real (Ctrl-click, middle click, keyboard); a click elsewhere on the row opens it too.
              onClick={(e) => {
                rememberScroll();
                if (!(e.target instanceof HTMLElement) || !e.target.closest("a")) navigate(`/submissions/${s.id}`);
              }}
              data-testid="submission-row"
            >
              <td>
                <a href={`/submissions/${s.id}`} onClick={onLinkClick} tabIndex={-1}>
                  #{s.id}
                </a>
              </td>
              <td>
                <VerdictBadge verdict={s.verdict} /> <StatusBadge status={s.status} />
              </td>
              <td className="c-subject">
                <a href={`/submissions/${s.id}`} onClick={onLinkClick} data-testid="row-link">
                  {s.subject || s.free_text.slice(0, 120) || "—"}
                </a>
              </td>
              <td className="c-kind">{t(`kind.${s.kind}`)}</td>
              <td className="muted c-date">{date(s.submitted_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {items.length > 0 && (
        <p className="muted" data-testid="result-count" aria-live="polite">
          {t("list.count").replace("{n}", String(items.length))}
          {more ? "+" : ""}
        </p>
      )}
      {!loading && items.length === 0 && !error && <p className="muted">{t("list.empty")}</p>}
      {loading && <p className="muted">{t("common.loading")}</p>}
      {more && !loading && (
        <p>
          <button type="button" className="secondary" onClick={() => load(items[items.length - 1]?.id)} data-testid="more">
            {t("common.more")}
          </button>
        </p>
      )}
    </div>
  );
}
