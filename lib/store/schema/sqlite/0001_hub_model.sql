-- name: hub model: organisations, registry data, SIGs, liaison networks, users, tokens, submissions, audit
-- The model of the hub issue. Times are RFC 3339 UTC text ("2026-11-22T06:30:00Z"), so they sort
-- and compare as text and read the same in every tool.
CREATE TABLE organizations (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  name_ja     TEXT NOT NULL DEFAULT '',
  industry    TEXT NOT NULL DEFAULT '',
  is_hub      INTEGER NOT NULL DEFAULT 0,
  created_at  TEXT NOT NULL
);
CREATE TABLE organization_domains (
  org_id  INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  domain  TEXT NOT NULL,
  kind    TEXT NOT NULL CHECK (kind IN ('own', 'partner')),
  PRIMARY KEY (org_id, domain, kind)
);
CREATE INDEX organization_domains_domain ON organization_domains(domain);
CREATE TABLE vips (
  id       INTEGER PRIMARY KEY,
  org_id   INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  name     TEXT NOT NULL DEFAULT '',
  name_ja  TEXT NOT NULL DEFAULT '',
  title    TEXT NOT NULL DEFAULT ''
);
CREATE TABLE vip_addresses (
  vip_id   INTEGER NOT NULL REFERENCES vips(id) ON DELETE CASCADE,
  address  TEXT NOT NULL,
  PRIMARY KEY (vip_id, address)
);
CREATE TABLE sigs (
  id       INTEGER PRIMARY KEY,
  name     TEXT NOT NULL UNIQUE,
  name_ja  TEXT NOT NULL DEFAULT ''
);
CREATE TABLE sig_memberships (
  sig_id     INTEGER NOT NULL REFERENCES sigs(id) ON DELETE CASCADE,
  org_id     INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  joined_on  TEXT NOT NULL,
  left_on    TEXT,
  PRIMARY KEY (sig_id, org_id, joined_on)
);
CREATE TABLE liaison_networks (
  id                   INTEGER PRIMARY KEY,
  name                 TEXT NOT NULL UNIQUE,
  name_ja              TEXT NOT NULL DEFAULT '',
  represented_members  INTEGER NOT NULL DEFAULT 0,
  org_id               INTEGER REFERENCES organizations(id)
);
CREATE TABLE users (
  id             INTEGER PRIMARY KEY,
  org_id         INTEGER REFERENCES organizations(id),
  login          TEXT NOT NULL UNIQUE,
  display_name   TEXT NOT NULL DEFAULT '',
  role           TEXT NOT NULL CHECK (role IN ('hub_admin', 'hub_analyst', 'submitter', 'reader', 'liaison')),
  password_hash  TEXT,
  disabled       INTEGER NOT NULL DEFAULT 0,
  created_at     TEXT NOT NULL
);
CREATE TABLE api_tokens (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name          TEXT NOT NULL DEFAULT '',
  digest        TEXT NOT NULL UNIQUE,
  scopes        TEXT NOT NULL DEFAULT '',
  created_at    TEXT NOT NULL,
  revoked_at    TEXT
);
CREATE TABLE consultation_categories (
  key      TEXT PRIMARY KEY,
  name     TEXT NOT NULL,
  name_ja  TEXT NOT NULL
);
CREATE TABLE artefacts (
  sha256      TEXT PRIMARY KEY,
  size        INTEGER NOT NULL,
  bytes       BLOB NOT NULL,
  created_at  TEXT NOT NULL
);
CREATE TABLE submissions (
  id                     INTEGER PRIMARY KEY,
  org_id                 INTEGER REFERENCES organizations(id),
  external_reporter      TEXT NOT NULL DEFAULT '',
  submitted_by           INTEGER REFERENCES users(id),
  kind                   TEXT NOT NULL CHECK (kind IN ('email', 'communication', 'incident', 'malware', 'fake_site', 'consultation')),
  channel                TEXT NOT NULL,
  disclosure             TEXT NOT NULL CHECK (disclosure IN ('not_shared', 'anonymised', 'with_name')),
  consultation_category  TEXT NOT NULL DEFAULT '',
  free_text              TEXT NOT NULL DEFAULT '',
  artefact_sha256        TEXT REFERENCES artefacts(sha256),
  artefact_size          INTEGER NOT NULL DEFAULT 0,
  dedup_key              TEXT UNIQUE,
  status                 TEXT NOT NULL CHECK (status IN ('queued', 'analysing', 'analysed', 'failed')),
  claimed_by             TEXT,
  claimed_at             TEXT,
  attempts               INTEGER NOT NULL DEFAULT 0,
  submitted_at           TEXT NOT NULL,
  analysed_at            TEXT,
  verdict_class          TEXT NOT NULL DEFAULT '',
  subject                TEXT NOT NULL DEFAULT '',
  analysis_json          TEXT NOT NULL DEFAULT '',
  error                  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX submissions_queue ON submissions(status, id);
CREATE INDEX submissions_org ON submissions(org_id, id);
-- Full-text search over what people look for: subject, sender, free text, body. Trigram, so
-- Japanese (no spaces between words) is searchable too.
CREATE VIRTUAL TABLE submissions_fts USING fts5(text, tokenize = 'trigram');
CREATE TABLE audit_log (
  id       INTEGER PRIMARY KEY,
  at       TEXT NOT NULL,
  user_id  INTEGER,
  action   TEXT NOT NULL,
  object   TEXT NOT NULL DEFAULT '',
  remote   TEXT NOT NULL DEFAULT '',
  detail   TEXT NOT NULL DEFAULT ''
);
CREATE TABLE registry_version (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  version  INTEGER NOT NULL
);
INSERT INTO registry_version (id, version) VALUES (1, 1);
INSERT INTO consultation_categories (key, name, name_ja) VALUES
  ('bec', 'Business e-mail compromise', 'ビジネスメール詐欺'),
  ('phishing', 'Phishing', 'フィッシング'),
  ('malware', 'Malware infection', 'マルウェア感染'),
  ('unauthorized_access', 'Unauthorized access', '不正アクセス'),
  ('vulnerability', 'Vulnerability', '脆弱性'),
  ('other', 'Other', 'その他');
