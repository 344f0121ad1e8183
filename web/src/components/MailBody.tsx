// The message as text, and its HTML only in a sandboxed iframe: the iframe has no permissions
// (sandbox=""), and the hub serves the HTML with a CSP of its own (sandbox; default-src 'none'),
// so no script runs and nothing is fetched — remote images are listed instead of loaded.
import { useEffect, useState } from "react";
import { bodyApi, type MailBody as Body } from "../api";
import { useI18n } from "../i18n";
import { ErrorBox, defang } from "./common";

export function MailBody({ id }: { id: number }) {
  const { t } = useI18n();
  const [body, setBody] = useState<Body | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [showHtml, setShowHtml] = useState(false);
  useEffect(() => {
    bodyApi.body(id).then(setBody, setError);
  }, [id]);
  if (error) return <ErrorBox error={error} />;
  if (!body) return <p className="muted">{t("common.loading")}</p>;
  return (
    <div>
      <pre className="body-text" data-testid="body-text" tabIndex={0} aria-label={t("detail.text")}>
        {body.text}
      </pre>
      {body.has_html && (
        <div>
          <h3>
            <button
              type="button"
              className="secondary"
              aria-expanded={showHtml}
              aria-controls={`html-view-${id}`}
              onClick={() => setShowHtml(!showHtml)}
              data-testid="show-html"
            >
              {t("detail.html")}
            </button>
          </h3>
          {showHtml && (
            <iframe
              className="html-view"
              sandbox=""
              referrerPolicy="no-referrer"
              src={bodyApi.htmlUrl(id)}
              title={t("detail.html_frame")}
              id={`html-view-${id}`}
              data-testid="html-frame"
            />
          )}
        </div>
      )}
      {body.remote_images.length > 0 && (
        <div data-testid="remote-images">
          <h3>{t("detail.remote_images")}</h3>
          <ul>
            {body.remote_images.map((u, i) => (
              <li key={i} className="mono">
                {defang(u)}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
