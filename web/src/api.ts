// The hub's public REST API (/api/v1, described by /api/v1/openapi.json) — the only thing the UI
// talks to. The browser session is an HttpOnly cookie set by POST /api/v1/session; every request
// that changes something carries the session's CSRF token in X-CSRF-Token.

export interface ApiError {
  status: number;
  code: string;
  message: string;
  hint: string;
}

export class ApiFailure extends Error {
  constructor(public readonly error: ApiError) {
    super(error.message);
  }
}

export type Role = "hub_admin" | "hub_analyst" | "submitter" | "reader" | "liaison";

export interface User {
  id: number;
  login: string;
  display_name: string;
  role: Role;
  organization_id: number | null;
  disabled: boolean;
}

export interface Session {
  user: User;
  csrf_token: string;
  expires_at: string;
}

export interface Address {
  address: string;
  name: string;
  domain: string;
}

export interface Signal {
  id: string;
  severity: "info" | "low" | "medium" | "high";
  evidence: string;
  category: string;
  explanation: { en: string; ja: string };
}

export interface LookalikeFinding {
  domain: string;
  of: string;
  techniques: string[];
  owner: string;
}

export type Disposition = "attacker" | "victim" | "legitimate" | "unknown";

export interface Indicator {
  type: string;
  value: string;
  role: string;
  // renkei.analysis/1 since issue 17; absent in analyses stored before, and in renkei.indicators/1.
  disposition?: Disposition;
  disposition_reason?: string;
  disposition_detail?: string;
}

export interface ArchiveEntry {
  path: string;
  size: number;
  encrypted: boolean;
  executable: boolean;
  real_type: string;
}

export interface Attachment {
  filename: string;
  declared_type: string;
  real_type: string;
  description: string;
  size: number;
  md5: string;
  sha1: string;
  sha256: string;
  ssdeep: string;
  encrypted: boolean;
  executable: boolean;
  macros: boolean;
  double_extension: boolean;
  extension_mismatch: boolean;
  entries?: ArchiveEntry[];
}

export interface Analysis {
  schema: string;
  message?: {
    subject: string;
    date: string;
    from: Address & { trailing?: string };
    reply_to: Address[];
    disposition_notification_to?: Address[];
    to: Address[];
    cc: Address[];
    sender: Address[];
    return_path: string;
    language: string;
    links: { url: string; text: string; host: string; where?: string; wrapped_host?: string }[];
    message_id?: string;
    date_unix?: number | null;
    received?: { from_host: string; from_ip: string; by_host: string; with: string; time_unix: number | null }[];
    authentication_results?: {
      authserv_id: string;
      believed: boolean;
      believed_why: string;
      results: { method: string; result: string }[];
    }[];
    text_excerpt: string;
  };
  report_envelope?: { from: Address; subject: string; date: string; text: string };
  signals?: Signal[];
  lookalikes?: LookalikeFinding[];
  indicators?: Indicator[];
  attachments?: Attachment[];
  verdict?: {
    class: string;
    bec_type: number | null;
    targeting: string;
    score: number;
    malicious: boolean;
    reasons: string[];
  };
  errors?: string[];
  limits_hit?: { limit: string; detail: string }[];
}

export interface Submission {
  id: number;
  organization_id: number | null;
  external_reporter: string;
  kind: string;
  channel: string;
  disclosure: string;
  consultation_category: string;
  free_text: string;
  status: "queued" | "analysing" | "analysed" | "failed";
  submitted_at: string;
  analysed_at: string | null;
  verdict: string | null;
  subject: string;
  artefact: { sha256: string; size: number } | null;
  error: string | null;
  submitted_by?: number | null;
  analysis?: Analysis | null;
  campaign?: CampaignRef | null;
  triage?: TriageState | null;
}

export interface Organization {
  id: number;
  name: string;
  name_ja: string;
  industry: string;
  is_hub: boolean;
  domains: string[];
  partner_domains: string[];
  vips: { name: string; name_ja: string; title: string; addresses: string[] }[];
}

export interface Sig {
  id: number;
  name: string;
  name_ja: string;
  members: number;
}

export interface Category {
  key: string;
  name: string;
  name_ja: string;
}

export interface TokenInfo {
  id: number;
  user_id: number;
  name: string;
  scopes: string[];
  created_at: string;
  revoked_at: string | null;
}

export interface LiaisonNetwork {
  id: number;
  name: string;
  name_ja: string;
  represented_members: number;
  organization_id: number | null;
}

export type Bilingual = { en: string; ja: string };

export interface CampaignRef {
  id: number;
  name: string;
  members?: number;
  organizations?: number;
  assigned_by?: string;
  pinned?: boolean;
  score?: number;
}

export interface VerdictOverride {
  class?: string | null;
  bec_type?: number | null;
  targeting?: string | null;
}

export interface TriageState {
  state: "pending" | "share" | "not_shared" | "needs_info";
  reason: string | null;
  decided_at: string | null;
  analyst_verdict: VerdictOverride | null;
  note?: string;
  decided_by?: number | null;
}

export interface TriageItem {
  submission_id: number;
  organization_id: number | null;
  kind: string;
  status: string;
  submitted_at: string;
  subject: string;
  from: string;
  verdict: string | null;
  bec_type: number | null;
  targeting: string | null;
  score: number | null;
  analyst_verdict: VerdictOverride | null;
  indicators: number;
  proposed: { decision: string; reason: string | null; why: Bilingual };
  campaign: CampaignRef | null;
}

export interface Campaign {
  id: number;
  name: string;
  name_locked: boolean;
  members: number;
  organizations: number;
  first_seen: string | null;
  last_seen: string | null;
  explanation: Bilingual;
  merged_into: number | null;
  created_at: string;
  updated_at: string;
}

export interface CampaignMember {
  submission_id: number;
  organization_id: number | null;
  organization: string;
  industry: string;
  mail_time: string | null;
  submitted_at: string;
  subject: string;
  from: string;
  verdict: string | null;
  language: string;
  assigned_by: string;
  pinned: boolean;
}

export interface CampaignDetail extends Campaign {
  submissions: CampaignMember[];
  arrivals_per_day: { day: string; count: number }[];
  per_quarter: { quarter: string; count: number }[];
  subjects: { subject: string; count: number }[];
  industries: { industry: string; count: number }[];
  languages: { language: string; count: number }[];
}

export interface ConversationMessage {
  id: number;
  from: "hub" | "submitter";
  text: string;
  at: string;
}

let csrfToken = "";
let onUnauthenticated: () => void = () => {};

export function setCsrfToken(token: string) {
  csrfToken = token;
}

export function setUnauthenticatedHandler(f: () => void) {
  onUnauthenticated = f;
}

async function request<T>(method: string, path: string, body?: BodyInit, contentType?: string): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (contentType) headers["Content-Type"] = contentType;
  if (method !== "GET" && method !== "HEAD" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  let response: Response;
  try {
    response = await fetch("/api/v1" + path, { method, headers, body, credentials: "same-origin", cache: "no-store" });
  } catch {
    throw new ApiFailure({ status: 0, code: "unavailable", message: "The hub cannot be reached.", hint: "Check the connection and retry." });
  }
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) {
    const e = (json as { error?: Partial<ApiError> } | null)?.error ?? {};
    const failure: ApiError = {
      status: response.status,
      code: e.code ?? "error",
      message: e.message ?? `HTTP ${response.status}`,
      hint: e.hint ?? "",
    };
    if (response.status === 401 && path !== "/session") onUnauthenticated();
    throw new ApiFailure(failure);
  }
  return json as T;
}

const q = (params: Record<string, string | number | undefined>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") s.set(k, String(v));
  const str = s.toString();
  return str ? "?" + str : "";
};

export const api = {
  session: () => request<Session>("GET", "/session"),
  login: (login: string, password: string) =>
    request<Session>("POST", "/session", JSON.stringify({ login, password }), "application/json"),
  logout: () => request<unknown>("DELETE", "/session"),

  submissions: (f: { q?: string; status?: string; verdict?: string; kind?: string; before?: number; limit?: number }) =>
    request<{ items: Submission[] }>("GET", "/submissions" + q(f)),
  submission: (id: number) => request<Submission>("GET", `/submissions/${id}`),
  submitEml: (bytes: ArrayBuffer, disclosure: string) =>
    request<{ id: number; duplicate: boolean }>("POST", "/submissions" + q({ disclosure, channel: "web" }), bytes, "message/rfc822"),
  submitReport: (r: { kind: string; free_text: string; disclosure: string; consultation_category?: string }) =>
    request<{ id: number; duplicate: boolean }>("POST", "/submissions", JSON.stringify(r), "application/json"),
  stats: (since: string) =>
    request<{ total: number; by_verdict: Record<string, number>; by_status: Record<string, number>; by_kind: Record<string, number> }>(
      "GET",
      "/stats" + q({ since }),
    ),

  organizations: () => request<{ items: Organization[] }>("GET", "/organizations"),
  updateOrganization: (o: Organization) => request<Organization>("PUT", `/organizations/${o.id}`, JSON.stringify(o), "application/json"),
  createOrganization: (o: Partial<Organization>) => request<Organization>("POST", "/organizations", JSON.stringify(o), "application/json"),
  sigs: () => request<{ items: Sig[] }>("GET", "/sigs"),
  createSig: (name: string, name_ja: string) => request<Sig>("POST", "/sigs", JSON.stringify({ name, name_ja }), "application/json"),
  addSigMember: (sig: number, organization_id: number, joined_on: string) =>
    request<unknown>("POST", `/sigs/${sig}/members`, JSON.stringify({ organization_id, joined_on }), "application/json"),
  leaveSig: (sig: number, organization_id: number, left_on: string) =>
    request<unknown>("PATCH", `/sigs/${sig}/members/${organization_id}`, JSON.stringify({ left_on }), "application/json"),
  users: () => request<{ items: User[] }>("GET", "/users"),
  createUser: (u: { login: string; display_name: string; role: Role; organization_id: number | null; password?: string }) =>
    request<User>("POST", "/users", JSON.stringify(u), "application/json"),
  updateUser: (id: number, patch: Partial<{ display_name: string; role: Role; disabled: boolean; password: string }>) =>
    request<User>("PATCH", `/users/${id}`, JSON.stringify(patch), "application/json"),
  tokens: () => request<{ items: TokenInfo[] }>("GET", "/tokens"),
  createToken: (name: string, scopes: string[]) =>
    request<{ id: number; token: string; scopes: string[] }>("POST", "/tokens", JSON.stringify({ name, scopes }), "application/json"),
  revokeToken: (id: number) => request<unknown>("DELETE", `/tokens/${id}`),
  categories: () => request<{ items: Category[] }>("GET", "/consultation-categories"),
  createCategory: (c: Category) => request<Category>("POST", "/consultation-categories", JSON.stringify(c), "application/json"),
  liaisonNetworks: () => request<{ items: LiaisonNetwork[] }>("GET", "/liaison-networks"),

  triage: (limit = 100, offset = 0) => request<{ items: TriageItem[]; pending: number }>("GET", "/triage" + q({ limit, offset })),
  decide: (id: number, d: { decision: string; reason?: string; note?: string; question?: string }) =>
    request<unknown>("POST", `/submissions/${id}/triage`, JSON.stringify(d), "application/json"),
  campaigns: (f: { q?: string; min_members?: number; before?: number; limit?: number }) =>
    request<{ items: Campaign[]; next_before?: number | null }>("GET", "/campaigns" + q(f)),
  campaign: (id: number) => request<CampaignDetail>("GET", `/campaigns/${id}`),
  renameCampaign: (id: number, name: string) => request<unknown>("PATCH", `/campaigns/${id}`, JSON.stringify({ name }), "application/json"),
  mergeCampaigns: (id: number, campaigns: number[]) =>
    request<unknown>("POST", `/campaigns/${id}/merge`, JSON.stringify({ campaigns }), "application/json"),
  splitCampaign: (id: number, submissions: number[], name: string) =>
    request<{ id: number }>("POST", `/campaigns/${id}/split`, JSON.stringify({ submissions, name }), "application/json"),
  moveSubmission: (id: number, campaign: number | null) =>
    request<unknown>("PUT", `/submissions/${id}/campaign`, JSON.stringify({ campaign, pinned: true }), "application/json"),
  messages: (id: number) => request<{ items: ConversationMessage[] }>("GET", `/submissions/${id}/messages`),
  postMessage: (id: number, text: string) => request<unknown>("POST", `/submissions/${id}/messages`, JSON.stringify({ text }), "application/json"),
};

export const isHub = (u: User) => u.role === "hub_admin" || u.role === "hub_analyst";

export interface MailBody {
  text: string;
  has_html: boolean;
  remote_images: string[];
}

export const bodyApi = {
  body: (id: number) => request<MailBody>("GET", `/submissions/${id}/body`),
  // The HTML part, served by the hub with a CSP of its own (sandbox, default-src 'none'):
  // only ever shown in a sandboxed iframe.
  htmlUrl: (id: number) => `/api/v1/submissions/${id}/body.html`,
  rawUrl: (id: number) => `/api/v1/submissions/${id}/raw`,
  // The original's header section: read until the first empty line, then the download stops —
  // a mail of many megabytes costs a few kilobytes on a slow line.
  rawHeaders: async (id: number): Promise<string> => {
    const response = await fetch(`/api/v1/submissions/${id}/raw`, { credentials: "same-origin" });
    if (!response.ok || !response.body) throw new ApiFailure({ status: response.status, code: "", message: response.statusText, hint: "" });
    const reader = response.body.getReader();
    const decoder = new TextDecoder("utf-8");
    let text = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (value) text += decoder.decode(value, { stream: true });
      const end = text.search(/\r?\n\r?\n/);
      if (end >= 0 || text.length > 256 * 1024) {
        await reader.cancel();
        return end >= 0 ? text.slice(0, end) : text;
      }
      if (done) return text;
    }
  },
};
