import { useState } from "react";
import { api, ApiFailure, type Session } from "../api";
import { useI18n } from "../i18n";
import { ErrorBox } from "../components/common";

export function Login({ onLogin }: { onLogin: (s: Session) => void }) {
  const { t } = useI18n();
  const [login, setLogin] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onLogin(await api.login(login, password));
    } catch (x) {
      setError(x);
    } finally {
      setBusy(false);
    }
  };
  const wrong = error instanceof ApiFailure && error.error.status === 401;
  return (
    <form className="panel login" onSubmit={submit} data-testid="login-form">
      <h1>{t("login.title")}</h1>
      <label htmlFor="login">{t("login.login")}</label>
      <input id="login" name="login" autoComplete="username" value={login} onChange={(e) => setLogin(e.target.value)} required />
      <label htmlFor="password">{t("login.password")}</label>
      <input
        id="password"
        name="password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        required
      />
      {wrong ? <div className="error-box" role="alert">{t("login.failed")}</div> : <ErrorBox error={error} />}
      <p>
        <button type="submit" disabled={busy}>
          {t("login.submit")}
        </button>
      </p>
      <p className="muted">{t("login.hint")}</p>
    </form>
  );
}
