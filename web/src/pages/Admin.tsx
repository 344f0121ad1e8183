// Administration for hub admins: organisations with their registry data, SIGs and memberships,
// users, API tokens, consultation categories, liaison networks — all through the public API.
import { useEffect, useState } from "react";
import { api, type Category, type LiaisonNetwork, type Organization, type Role, type Sig, type TokenInfo, type User } from "../api";
import { useI18n } from "../i18n";
import { onLinkClick } from "../router";
import { ErrorBox } from "../components/common";

const sections = ["orgs", "sigs", "users", "tokens", "categories", "liaison"] as const;
type Section = (typeof sections)[number];

const lines = (s: string) =>
  s
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);

function useLoad<T>(f: () => Promise<T>): [T | null, unknown, () => void] {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [n, setN] = useState(0);
  useEffect(() => {
    f().then(
      (d) => {
        setData(d);
        setError(null);
      },
      setError,
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [n]);
  return [data, error, () => setN((x) => x + 1)];
}

// Runs a change, then reloads; keeps the last error to show.
function useAction(reload: () => void): [unknown, (f: () => Promise<unknown>) => Promise<boolean>] {
  const [error, setError] = useState<unknown>(null);
  const act = async (f: () => Promise<unknown>) => {
    try {
      await f();
      setError(null);
      reload();
      return true;
    } catch (x) {
      setError(x);
      return false;
    }
  };
  return [error, act];
}

// Executives as lines an admin can edit: "Name | 日本語名 | Title | address, address".
type Vip = Organization["vips"][number];
const vipsToText = (vips: Vip[]) => vips.map((v) => [v.name, v.name_ja, v.title, v.addresses.join(", ")].join(" | ")).join("\n");
const vipsFromText = (text: string): Vip[] =>
  text
    .split("\n")
    .map((line) => line.split("|").map((x) => x.trim()))
    .filter((f) => f.some(Boolean))
    .map(([name = "", name_ja = "", title = "", addresses = ""]) => ({ name, name_ja, title, addresses: lines(addresses) }));

export function Admin({ section }: { section: string }) {
  const { t } = useI18n();
  const current: Section = (sections as readonly string[]).includes(section) ? (section as Section) : "orgs";
  const labels: Record<Section, string> = {
    orgs: t("admin.orgs"),
    sigs: t("admin.sigs"),
    users: t("admin.users"),
    tokens: t("admin.tokens"),
    categories: t("admin.categories"),
    liaison: t("admin.liaison"),
  };
  return (
    <div>
      <h1>{t("admin.title")}</h1>
      <nav className="tabs" aria-label={t("admin.title")}>
        {sections.map((s) => (
          <a key={s} href={`/admin/${s}`} onClick={onLinkClick} className={s === current ? "active" : ""}>
            {labels[s]}
          </a>
        ))}
      </nav>
      {current === "orgs" && <Orgs />}
      {current === "sigs" && <Sigs />}
      {current === "users" && <Users />}
      {current === "tokens" && <Tokens />}
      {current === "categories" && <Categories />}
      {current === "liaison" && <Liaison />}
    </div>
  );
}

function Orgs() {
  const { t, lang } = useI18n();
  const [data, error, reload] = useLoad(() => api.organizations());
  const [editing, setEditing] = useState<Organization | null>(null);
  const [form, setForm] = useState({ name: "", name_ja: "", industry: "", domains: "" });
  const [actionError, act] = useAction(reload);
  const create = async (e: React.FormEvent) => {
    e.preventDefault();
    const ok = await act(() =>
      api.createOrganization({ name: form.name, name_ja: form.name_ja, industry: form.industry, domains: lines(form.domains) }),
    );
    if (ok) setForm({ name: "", name_ja: "", industry: "", domains: "" });
  };
  const save = async () => {
    if (editing && (await act(() => api.updateOrganization(editing)))) setEditing(null);
  };
  return (
    <div>
      <ErrorBox error={error || actionError} />
      <form className="panel inline-form" onSubmit={create}>
        <div>
          <label>{t("common.name")}</label>
          <input aria-label={t("common.name")} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required />
        </div>
        <div>
          <label>{t("common.name_ja")}</label>
          <input aria-label={t("common.name_ja")} value={form.name_ja} onChange={(e) => setForm({ ...form, name_ja: e.target.value })} />
        </div>
        <div>
          <label>{t("admin.industry")}</label>
          <input aria-label={t("admin.industry")} value={form.industry} onChange={(e) => setForm({ ...form, industry: e.target.value })} />
        </div>
        <div>
          <label>{t("admin.domains")}</label>
          <input aria-label={t("admin.domains")} value={form.domains} onChange={(e) => setForm({ ...form, domains: e.target.value })} placeholder="example.co.jp" />
        </div>
        <button type="submit">{t("common.create")}</button>
      </form>
      <table data-testid="org-table" className="stack">
        <thead>
          <tr>
            <th>{t("common.id")}</th>
            <th>{t("common.name")}</th>
            <th>{t("admin.industry")}</th>
            <th>{t("admin.domains")}</th>
            <th>{t("admin.partner_domains")}</th>
            <th>{t("admin.vips")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {data?.items.map((o) =>
            editing?.id === o.id ? (
              <tr key={o.id}>
                <td>{o.id}</td>
                <td>
                  <input aria-label={t("common.name")} value={editing.name} onChange={(e) => setEditing({ ...editing, name: e.target.value })} />
                  <input aria-label={t("common.name_ja")} value={editing.name_ja} onChange={(e) => setEditing({ ...editing, name_ja: e.target.value })} />
                </td>
                <td>
                  <input aria-label={t("admin.industry")} value={editing.industry} onChange={(e) => setEditing({ ...editing, industry: e.target.value })} />
                </td>
                <td>
                  <textarea aria-label={t("admin.domains")} defaultValue={editing.domains.join("\n")} onChange={(e) => setEditing({ ...editing, domains: lines(e.target.value) })} />
                </td>
                <td>
                  <textarea
                    aria-label={t("admin.partner_domains")}
                    defaultValue={editing.partner_domains.join("\n")}
                    onChange={(e) => setEditing({ ...editing, partner_domains: lines(e.target.value) })}
                  />
                </td>
                <td>
                  <textarea
                    aria-label={t("admin.vips")}
                    defaultValue={vipsToText(editing.vips)}
                    placeholder="Taro Yamada | 山田太郎 | CEO | t.yamada@example.co.jp"
                    onChange={(e) => setEditing({ ...editing, vips: vipsFromText(e.target.value) })}
                    data-testid="vips-editor"
                  />
                </td>
                <td>
                  <button type="button" onClick={save}>
                    {t("common.save")}
                  </button>{" "}
                  <button type="button" className="secondary" onClick={() => setEditing(null)}>
                    {t("common.cancel")}
                  </button>
                </td>
              </tr>
            ) : (
              <tr key={o.id}>
                <td>{o.id}</td>
                <td>{lang === "ja" && o.name_ja ? o.name_ja : o.name}</td>
                <td>{o.industry ? t(`industry.${o.industry}`) : ""}</td>
                <td className="mono">{o.domains.join(" ")}</td>
                <td className="mono">{o.partner_domains.join(" ")}</td>
                <td>{o.vips.map((v) => (lang === "ja" && v.name_ja ? v.name_ja : v.name)).join("、")}</td>
                <td>
                  <button type="button" className="link" onClick={() => setEditing(o)}>
                    ✎
                  </button>
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}

function Sigs() {
  const { t, lang } = useI18n();
  const [data, error, reload] = useLoad(() => Promise.all([api.sigs(), api.organizations()]));
  const [name, setName] = useState("");
  const [nameJa, setNameJa] = useState("");
  const [member, setMember] = useState({ sig: "", org: "", joined: new Date().toISOString().slice(0, 10) });
  const [actionError, act] = useAction(reload);
  const sigs: Sig[] = data?.[0].items ?? [];
  const orgs: Organization[] = data?.[1].items ?? [];
  return (
    <div>
      <ErrorBox error={error || actionError} />
      <form
        className="panel inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void act(() => api.createSig(name, nameJa)).then((ok) => {
            if (!ok) return;
            setName("");
            setNameJa("");
          });
        }}
      >
        <div>
          <label>{t("common.name")}</label>
          <input aria-label={t("common.name")} value={name} onChange={(e) => setName(e.target.value)} required />
        </div>
        <div>
          <label>{t("common.name_ja")}</label>
          <input aria-label={t("common.name_ja")} value={nameJa} onChange={(e) => setNameJa(e.target.value)} />
        </div>
        <button type="submit">{t("common.create")}</button>
      </form>
      <form
        className="panel inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void act(() => api.addSigMember(Number(member.sig), Number(member.org), member.joined));
        }}
      >
        <div>
          <label>{t("admin.sigs")}</label>
          <select aria-label={t("admin.sigs")} value={member.sig} onChange={(e) => setMember({ ...member, sig: e.target.value })} required>
            <option value="" />
            {sigs.map((s) => (
              <option key={s.id} value={s.id}>
                {lang === "ja" && s.name_ja ? s.name_ja : s.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label>{t("admin.org")}</label>
          <select aria-label={t("admin.org")} value={member.org} onChange={(e) => setMember({ ...member, org: e.target.value })} required>
            <option value="" />
            {orgs.map((o) => (
              <option key={o.id} value={o.id}>
                {lang === "ja" && o.name_ja ? o.name_ja : o.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label>
            {t("admin.joined")} / {t("admin.left")}
          </label>
          <input type="date" aria-label={t("admin.joined")} value={member.joined} onChange={(e) => setMember({ ...member, joined: e.target.value })} required />
        </div>
        <button type="submit">{t("admin.add_member")}</button>
        <button
          type="button"
          className="secondary"
          onClick={() => act(() => api.leaveSig(Number(member.sig), Number(member.org), member.joined))}
          disabled={!member.sig || !member.org}
        >
          {t("admin.record_leaving")}
        </button>
      </form>
      <table className="stack">
        <thead>
          <tr>
            <th>{t("common.id")}</th>
            <th>{t("common.name")}</th>
            <th>{t("admin.members")}</th>
          </tr>
        </thead>
        <tbody>
          {sigs.map((s) => (
            <tr key={s.id}>
              <td>{s.id}</td>
              <td>
                {s.name} <span className="muted">{s.name_ja}</span>
              </td>
              <td>{s.members}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const roles: Role[] = ["hub_admin", "hub_analyst", "submitter", "reader", "liaison"];

function Users() {
  const { t, lang } = useI18n();
  const [data, error, reload] = useLoad(() => Promise.all([api.users(), api.organizations()]));
  const [form, setForm] = useState({ login: "", display_name: "", role: "submitter" as Role, org: "", password: "" });
  const [actionError, act] = useAction(reload);
  const users: User[] = data?.[0].items ?? [];
  const orgs = new Map((data?.[1].items ?? []).map((o) => [o.id, lang === "ja" && o.name_ja ? o.name_ja : o.name]));
  return (
    <div>
      <ErrorBox error={error || actionError} />
      <form
        className="panel inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void act(() =>
            api.createUser({
              login: form.login,
              display_name: form.display_name,
              role: form.role,
              organization_id: form.org ? Number(form.org) : null,
              password: form.password || undefined,
            }),
          );
        }}
      >
        <div>
          <label>{t("login.login")}</label>
          <input aria-label={t("login.login")} value={form.login} onChange={(e) => setForm({ ...form, login: e.target.value })} required />
        </div>
        <div>
          <label>{t("common.name")}</label>
          <input aria-label={t("common.name")} value={form.display_name} onChange={(e) => setForm({ ...form, display_name: e.target.value })} />
        </div>
        <div>
          <label>{t("admin.role")}</label>
          <select aria-label={t("admin.role")} value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label>{t("admin.org")}</label>
          <select aria-label={t("admin.org")} value={form.org} onChange={(e) => setForm({ ...form, org: e.target.value })}>
            <option value="" />
            {[...orgs].map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label>{t("login.password")}</label>
          <input aria-label={t("login.password")} type="password" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />
        </div>
        <button type="submit">{t("common.create")}</button>
      </form>
      <table data-testid="user-table" className="stack">
        <thead>
          <tr>
            <th>{t("common.id")}</th>
            <th>{t("login.login")}</th>
            <th>{t("common.name")}</th>
            <th>{t("admin.role")}</th>
            <th>{t("admin.org")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} className={u.disabled ? "muted" : ""}>
              <td>{u.id}</td>
              <td className="mono">{u.login}</td>
              <td>{u.display_name}</td>
              <td>{t(`role.${u.role}`)}</td>
              <td>{u.organization_id != null ? orgs.get(u.organization_id) : "—"}</td>
              <td>
                <button type="button" className={u.disabled ? "secondary" : "danger"} onClick={() => act(() => api.updateUser(u.id, { disabled: !u.disabled }))}>
                  {u.disabled ? t("admin.enable") : t("admin.disable")}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// The caller's own API tokens (TAXII and feeds use them): in the administration for the hub
// admin, and at /tokens for everyone, offering only the scopes the caller's role has.
export function Tokens({ offered = ["read", "submit", "admin"] }: { offered?: string[] }) {
  const { t, date, lang } = useI18n();
  const [data, error, reload] = useLoad(() => api.tokens());
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<string[]>(offered.filter((x) => x !== "admin"));
  const [secret, setSecret] = useState("");
  const [actionError, act] = useAction(reload);
  const list: TokenInfo[] = data?.items ?? [];
  return (
    <div>
      <ErrorBox error={error || actionError} />
      <form
        className="panel inline-form"
        data-testid="token-form"
        onSubmit={async (e) => {
          e.preventDefault();
          if (await act(async () => setSecret((await api.createToken(name, scopes)).token))) setName("");
        }}
      >
        <div>
          <label>{t("common.name")}</label>
          <input aria-label={t("common.name")} value={name} onChange={(e) => setName(e.target.value)} required />
        </div>
        {offered.map((s) => (
          <label key={s}>
            <input
              type="checkbox"
              checked={scopes.includes(s)}
              onChange={(e) => setScopes(e.target.checked ? [...scopes, s] : scopes.filter((x) => x !== s))}
            />{" "}
            {t(`scope.${s}`)}
          </label>
        ))}
        <button type="submit">{t("common.create")}</button>
      </form>
      {secret && (
        <p className="token-secret">
          {t("admin.new_token")} <code data-testid="token-secret">{secret}</code>
        </p>
      )}
      <table className="stack" data-testid="token-table">
        <thead>
          <tr>
            <th>{t("common.id")}</th>
            <th>{t("common.name")}</th>
            <th>{t("admin.scopes")}</th>
            <th>{t("admin.created")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.map((k) => (
            <tr key={k.id} className={k.revoked_at ? "muted" : ""}>
              <td>{k.id}</td>
              <td>{k.name}</td>
              <td>{k.scopes.map((x) => t(`scope.${x}`)).join(lang === "ja" ? "、" : ", ") || "—"}</td>
              <td>{date(k.created_at)}</td>
              <td>
                {k.revoked_at ? (
                  t("admin.revoked")
                ) : (
                  <button type="button" className="danger" onClick={() => act(() => api.revokeToken(k.id))}>
                    {t("admin.revoke")}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Categories() {
  const { t } = useI18n();
  const [data, error, reload] = useLoad(() => api.categories());
  const [form, setForm] = useState<Category>({ key: "", name: "", name_ja: "" });
  const [actionError, act] = useAction(reload);
  return (
    <div>
      <ErrorBox error={error || actionError} />
      <form
        className="panel inline-form"
        onSubmit={async (e) => {
          e.preventDefault();
          if (await act(() => api.createCategory(form))) setForm({ key: "", name: "", name_ja: "" });
        }}
      >
        <div>
          <label>{t("admin.key")}</label>
          <input aria-label={t("admin.key")} value={form.key} onChange={(e) => setForm({ ...form, key: e.target.value })} required pattern="[a-z0-9_]+" />
        </div>
        <div>
          <label>{t("common.name")}</label>
          <input aria-label={t("common.name")} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required />
        </div>
        <div>
          <label>{t("common.name_ja")}</label>
          <input aria-label={t("common.name_ja")} value={form.name_ja} onChange={(e) => setForm({ ...form, name_ja: e.target.value })} />
        </div>
        <button type="submit">{t("common.create")}</button>
      </form>
      <table className="stack">
        <tbody>
          {data?.items.map((c) => (
            <tr key={c.key}>
              <td className="mono">{c.key}</td>
              <td>{c.name}</td>
              <td>{c.name_ja}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Liaison() {
  const { t } = useI18n();
  const [data, error] = useLoad(() => api.liaisonNetworks());
  const list: LiaisonNetwork[] = data?.items ?? [];
  return (
    <div>
      <ErrorBox error={error} />
      <table className="stack">
        <thead>
          <tr>
            <th>{t("common.id")}</th>
            <th>{t("common.name")}</th>
            <th>{t("admin.represented")}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((n) => (
            <tr key={n.id}>
              <td>{n.id}</td>
              <td>
                {n.name} <span className="muted">{n.name_ja}</span>
              </td>
              <td>{n.represented_members.toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
