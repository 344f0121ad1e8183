import { useEffect, useRef, useState } from "react";
import { api, ApiFailure, type Category } from "../api";
import { useI18n } from "../i18n";
import { onLinkClick } from "../router";
import { ErrorBox } from "../components/common";

interface Sent {
  name: string;
  id?: number;
  duplicate?: boolean;
  error?: string;
}

const MAX_FILES = 200;

// The first line of an RFC 5322 message is a header field: a name of printable ASCII without
// colon or space, then ":" (an mbox's "From " separator line is accepted too).
export function looksLikeMail(bytes: ArrayBuffer): boolean {
  const head = new TextDecoder("latin1").decode(bytes.slice(0, 1024)).replace(/^\uFEFF/, "");
  return /^(From |[!-9;-~]+:)/.test(head);
}

export function SubmitPage() {
  const { t, lang } = useI18n();
  const [disclosure, setDisclosure] = useState("anonymised");
  const [over, setOver] = useState(false);
  const [sent, setSent] = useState<Sent[]>([]);
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const [kind, setKind] = useState("incident");
  const [text, setText] = useState("");
  const [category, setCategory] = useState("");
  const [categories, setCategories] = useState<Category[]>([]);
  const [reportError, setReportError] = useState<unknown>(null);
  const [reportId, setReportId] = useState<number | null>(null);

  useEffect(() => {
    api.categories().then((r) => setCategories(r.items), () => setCategories([]));
  }, []);

  // Each file is sent on its own and listed as it is received, newest batches below older ones.
  const sendFiles = async (files: File[]) => {
    setBusy(true);
    for (const f of files.slice(0, MAX_FILES)) {
      let result: Sent;
      const bytes = await f.arrayBuffer();
      // A mail begins with a header field ("Received:", "From:"…); anything else (a text file, a
      // document) would be accepted by the hub and analysed as an empty mail.
      if (!looksLikeMail(bytes)) {
        setSent((old) => [...old, { name: f.name, error: t("submit.not_mail") }]);
        continue;
      }
      try {
        const r = await api.submitEml(bytes, disclosure);
        result = { name: f.name, id: r.id, duplicate: r.duplicate };
      } catch (e) {
        result = { name: f.name, error: e instanceof ApiFailure ? `${e.error.message} ${e.error.hint}` : String(e) };
      }
      setSent((old) => [...old, result]);
    }
    setBusy(false);
  };

  const sendReport = async (e: React.FormEvent) => {
    e.preventDefault();
    setReportError(null);
    setReportId(null);
    try {
      const r = await api.submitReport({
        kind,
        free_text: text,
        disclosure,
        consultation_category: kind === "consultation" ? category : undefined,
      });
      setReportId(r.id);
      setText("");
    } catch (x) {
      setReportError(x);
    }
  };

  return (
    <div>
      <h1>{t("submit.title")}</h1>
      <div className="panel">
        <label htmlFor="disclosure">{t("submit.disclosure")}</label>
        <select id="disclosure" value={disclosure} onChange={(e) => setDisclosure(e.target.value)} data-testid="disclosure">
          {["not_shared", "anonymised", "with_name"].map((d) => (
            <option key={d} value={d}>
              {t(`disclosure.${d}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="grid2">
        <div className="panel">
          <h2>{t("submit.mail")}</h2>
          <div
            className={"dropzone" + (over ? " over" : "")}
            onDragOver={(e) => {
              e.preventDefault();
              setOver(true);
            }}
            onDragLeave={() => setOver(false)}
            onDrop={(e) => {
              e.preventDefault();
              setOver(false);
              void sendFiles(Array.from(e.dataTransfer.files));
            }}
            data-testid="dropzone"
          >
            <p>{t("submit.drop")}</p>
            <input
              ref={fileInput}
              type="file"
              accept=".eml,message/rfc822"
              multiple
              hidden
              onChange={(e) => void sendFiles(Array.from(e.target.files ?? []))}
              data-testid="file-input"
            />
            <button type="button" onClick={() => fileInput.current?.click()} disabled={busy}>
              {t("submit.choose")}
            </button>
          </div>
          <ul className="results" data-testid="submit-results">
            {sent.map((s, i) => (
              <li key={i}>
                <span className="mono">{s.name}</span>{" "}
                {s.error ? (
                  <span className="sev-high">
                    {t("submit.failed")}: {s.error}
                  </span>
                ) : (
                  <>
                    {s.duplicate ? t("submit.duplicate") : t("submit.sent")}{" "}
                    <a href={`/submissions/${s.id}`} onClick={onLinkClick}>
                      #{s.id}
                    </a>
                  </>
                )}
              </li>
            ))}
          </ul>
        </div>
        <form className="panel" onSubmit={sendReport} data-testid="report-form">
          <h2>{t("submit.other")}</h2>
          <label htmlFor="kind">{t("submit.kind")}</label>
          <select id="kind" value={kind} onChange={(e) => setKind(e.target.value)}>
            {["incident", "communication", "malware", "fake_site", "consultation"].map((k) => (
              <option key={k} value={k}>
                {t(`kind.${k}`)}
              </option>
            ))}
          </select>
          {kind === "consultation" && (
            <>
              <label htmlFor="category">{t("submit.category")}</label>
              <select id="category" value={category} onChange={(e) => setCategory(e.target.value)} required>
                <option value="" />
                {categories.map((c) => (
                  <option key={c.key} value={c.key}>
                    {lang === "ja" ? c.name_ja || c.name : c.name}
                  </option>
                ))}
              </select>
            </>
          )}
          <label htmlFor="text">{t("submit.text")}</label>
          <textarea id="text" value={text} onChange={(e) => setText(e.target.value)} required maxLength={60000} />
          <ErrorBox error={reportError} />
          {reportId != null && (
            <p>
              {t("submit.sent")}{" "}
              <a href={`/submissions/${reportId}`} onClick={onLinkClick}>
                #{reportId}
              </a>
            </p>
          )}
          <button type="submit">{t("submit.send")}</button>
        </form>
      </div>
    </div>
  );
}
