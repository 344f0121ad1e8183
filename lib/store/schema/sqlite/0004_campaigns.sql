-- name: campaigns: campaigns, their feature keys and index, each mail's features and campaign
-- Campaigns (一連の攻撃, lib/campaign, docs/campaigns.md). A mail's feature keys are kept
-- (submission_features) so that an analyst's move can take them from one campaign to another;
-- campaign_keys counts, per campaign, the members that have a key (explanations, moves);
-- campaign_postings is the index from a key to the campaigns that have it, never more than the
-- rules' cap per key, so that finding a mail's candidates costs the same however large the store.
CREATE TABLE campaigns (
  id              INTEGER PRIMARY KEY,
  name            TEXT NOT NULL DEFAULT '',
  name_locked     INTEGER NOT NULL DEFAULT 0,
  explanation_en  TEXT NOT NULL DEFAULT '',
  explanation_ja  TEXT NOT NULL DEFAULT '',
  members         INTEGER NOT NULL DEFAULT 0,
  first_seen      INTEGER,
  last_seen       INTEGER,
  merged_into     INTEGER REFERENCES campaigns(id),
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);
CREATE INDEX campaigns_last_seen ON campaigns(last_seen);
ALTER TABLE submissions ADD COLUMN campaign_id INTEGER REFERENCES campaigns(id);
ALTER TABLE submissions ADD COLUMN campaign_pending INTEGER NOT NULL DEFAULT 0;
ALTER TABLE submissions ADD COLUMN campaign_by TEXT NOT NULL DEFAULT '';
ALTER TABLE submissions ADD COLUMN campaign_pinned INTEGER NOT NULL DEFAULT 0;
ALTER TABLE submissions ADD COLUMN campaign_score INTEGER;  -- the match score × 100
ALTER TABLE submissions ADD COLUMN mail_time INTEGER;
CREATE INDEX submissions_campaign ON submissions(campaign_id, id);
CREATE INDEX submissions_campaign_pending ON submissions(id) WHERE campaign_pending = 1;
CREATE TABLE submission_features (
  submission_id  INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
  key            TEXT NOT NULL,
  PRIMARY KEY (submission_id, key)
);
CREATE TABLE campaign_keys (
  campaign_id  INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  key          TEXT NOT NULL,
  members      INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, key)
);
CREATE TABLE campaign_postings (
  key          TEXT NOT NULL,
  campaign_id  INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  PRIMARY KEY (key, campaign_id)
);
-- Mails analysed before campaigns existed wait for theirs; their features are computed from the
-- stored mail when they are assigned.
UPDATE submissions SET campaign_pending = 1 WHERE kind = 'email' AND status = 'analysed';
