import { useCallback, useEffect, useMemo, useState } from "react";
import { api, ApiFailure, isHub, setCsrfToken, setUnauthenticatedHandler, type Session } from "./api";
import { dateFormatter, I18nContext, initialLang, saveLang, translator, type Lang } from "./i18n";
import { navigate, onLinkClick, useLocation } from "./router";
import { Login } from "./pages/Login";
import { Dashboard } from "./pages/Dashboard";
import { SubmitPage } from "./pages/Submit";
import { SubmissionList } from "./pages/SubmissionList";
import { SubmissionDetail } from "./pages/SubmissionDetail";
import { Admin, Tokens } from "./pages/Admin";
import { Triage } from "./pages/Triage";
import { CampaignList, CampaignPage } from "./pages/Campaigns";

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

  // Why the login form is shown: never without a word when a session ended or the hub is down.
  const [loginReason, setLoginReason] = useState<"" | "expired" | "unreachable">("");
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setLoginReason("expired");
      adopt(null);
    });
    api
      .session()
      .then((s) => {
        setLoginReason("");
        adopt(s);
      })
      .catch((e) => {
        // 401: not logged in. Anything else: the hub did not answer as it should.
        if (!(e instanceof ApiFailure) || e.error.status !== 401) {
          console.warn(e);
          setLoginReason("unreachable");
        } else {
          setLoginReason((r) => (r === "unreachable" ? "" : r));
        }
        adopt(null);
      })
      .finally(() => setChecked(true));
  }, [adopt, attempt]);

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
  else if (!session && loginReason === "unreachable")
    page = (
      <div className="error-box" role="alert" data-testid="hub-unreachable">
        {t("app.unreachable")}{" "}
        <button type="button" className="secondary" onClick={() => setAttempt(attempt + 1)}>
          {t("common.retry")}
        </button>
      </div>
    );
  else if (!session)
    page = (
      <>
        {loginReason === "expired" && (
          <p className="error-box" role="status" data-testid="session-expired">
            {t("app.session_expired")}
          </p>
        )}
        <Login
          onLogin={(s) => {
            setLoginReason("");
            adopt(s);
          }}
        />
      </>
    );
  else {
    const m = loc.path.match(/^\/submissions\/(\d+)$/);
    const cm = loc.path.match(/^\/campaigns\/(\d+)$/);
    const hubOnly = (p: React.ReactNode) =>
      isHub(session.user) ? (
        p
      ) : (
        <p className="error-box" role="alert" data-testid="not-allowed">
          {t("app.hub_only")}
        </p>
      );
    if (loc.path === "/triage") page = hubOnly(<Triage />);
    else if (loc.path === "/campaigns") page = hubOnly(<CampaignList />);
    else if (cm) page = hubOnly(<CampaignPage id={Number(cm[1])} />);
    else if (m) page = <SubmissionDetail id={Number(m[1])} session={session} />;
    else if (loc.path === "/submissions") page = <SubmissionList />;
    else if (loc.path === "/submit")
      page =
        session.user.role === "reader" ? (
          <p className="error-box" role="alert" data-testid="not-allowed">
            {t("app.reader_cannot_submit")}
          </p>
        ) : (
          <SubmitPage />
        );
    else if (loc.path === "/tokens")
      page = (
        <div>
          <h1>{t("tokens.title")}</h1>
          <p className="muted">{t("tokens.about")}</p>
          <Tokens
            offered={
              session.user.role === "hub_admin" ? ["read", "submit", "admin"] : session.user.role === "reader" ? ["read"] : ["read", "submit"]
            }
          />
        </div>
      );
    else if (loc.path.startsWith("/admin"))
      page =
        session.user.role === "hub_admin" ? (
          <Admin section={loc.path.slice(7)} />
        ) : (
          <p className="error-box" role="alert" data-testid="not-allowed">
            {t("app.admin_only")}
          </p>
        );
    else page = <Dashboard session={session} />;
  }

  // The browser tab names the page (the submission page names itself once it has loaded).
  useEffect(() => {
    const name = !session
      ? t("login.title")
      : loc.path.startsWith("/submissions/")
        ? `${t("detail.title")} #${loc.path.slice(13)}`
        : loc.path === "/submissions"
          ? t("nav.submissions")
          : loc.path === "/submit"
            ? t("nav.submit")
            : loc.path === "/triage"
              ? t("nav.triage")
              : loc.path.startsWith("/campaigns")
                ? t("nav.campaigns")
            : loc.path === "/tokens"
              ? t("tokens.title")
              : loc.path.startsWith("/admin")
              ? t("nav.admin")
              : t("nav.dashboard");
    document.title = `${name} — renkei`;
  }, [loc.path, session, t]);

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
            {isHub(session.user) && nav("/triage", t("nav.triage"))}
            {isHub(session.user) && nav("/campaigns", t("nav.campaigns"))}
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
              <a href="/tokens" onClick={onLinkClick} data-testid="my-tokens">
                {t("nav.tokens")}
              </a>
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
