import { useCallback, useEffect, useMemo, useState } from "react";
import { api, ApiFailure, isHub, setCsrfToken, setUnauthenticatedHandler, type Session } from "./api";
import { dateFormatter, I18nContext, initialLang, saveLang, translator, type Lang } from "./i18n";
import { navigate, onLinkClick, useLocation } from "./router";
import { Login } from "./pages/Login";
import { Dashboard } from "./pages/Dashboard";
import { SubmitPage } from "./pages/Submit";
import { SubmissionList } from "./pages/SubmissionList";
import { SubmissionDetail } from "./pages/SubmissionDetail";
import { Admin } from "./pages/Admin";

export function App() {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const [session, setSession] = useState<Session | null>(null);
  const [checked, setChecked] = useState(false);
  const loc = useLocation();

  const setLang = useCallback((l: Lang) => {
    saveLang(l);
    setLangState(l);
  }, []);
  const i18n = useMemo(() => ({ lang, t: translator(lang), setLang, date: dateFormatter(lang) }), [lang, setLang]);
  const { t } = i18n;

  const adopt = useCallback((s: Session | null) => {
    setCsrfToken(s?.csrf_token ?? "");
    setSession(s);
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  useEffect(() => {
    setUnauthenticatedHandler(() => adopt(null));
    api
      .session()
      .then(adopt)
      .catch((e) => {
        if (!(e instanceof ApiFailure) || e.error.status !== 401) console.warn(e);
        adopt(null);
      })
      .finally(() => setChecked(true));
  }, [adopt]);

  const logout = async () => {
    try {
      await api.logout();
    } finally {
      adopt(null);
      navigate("/");
    }
  };

  let page: React.ReactNode;
  if (!checked) page = <p className="muted">{t("common.loading")}</p>;
  else if (!session) page = <Login onLogin={adopt} />;
  else {
    const m = loc.path.match(/^\/submissions\/(\d+)$/);
    if (m) page = <SubmissionDetail id={Number(m[1])} session={session} />;
    else if (loc.path === "/submissions") page = <SubmissionList />;
    else if (loc.path === "/submit") page = <SubmitPage />;
    else if (loc.path.startsWith("/admin") && session.user.role === "hub_admin") page = <Admin section={loc.path.slice(7)} />;
    else page = <Dashboard session={session} />;
  }

  const canSubmit = session && session.user.role !== "reader";
  const nav = (href: string, label: string) => (
    <a href={href} onClick={onLinkClick} className={loc.path === href || (href !== "/" && loc.path.startsWith(href)) ? "active" : ""}>
      {label}
    </a>
  );

  return (
    <I18nContext.Provider value={i18n}>
      <header className="topbar">
        <a href="/" onClick={onLinkClick} className="brand">
          <span className="brand-mark">連携</span> renkei
          <span className="brand-tag">{t("app.tagline")}</span>
        </a>
        {session && (
          <nav aria-label={t("nav.main")}>
            {nav("/", t("nav.dashboard"))}
            {canSubmit && nav("/submit", t("nav.submit"))}
            {nav("/submissions", t("nav.submissions"))}
            {session.user.role === "hub_admin" && nav("/admin", t("nav.admin"))}
          </nav>
        )}
        <div className="topbar-right">
          <button type="button" className="link" onClick={() => setLang(lang === "ja" ? "en" : "ja")} data-testid="lang-switch">
            {t("lang.switch")}
          </button>
          {session && (
            <>
              <span className="who" data-testid="who">
                {session.user.display_name || session.user.login} · {t(`role.${session.user.role}`)}
                {isHub(session.user) ? "" : ""}
              </span>
              <button type="button" className="link" onClick={logout} data-testid="logout">
                {t("nav.logout")}
              </button>
            </>
          )}
        </div>
      </header>
      <main>{page}</main>
    </I18nContext.Provider>
  );
}
