-- name: browser sessions; ordered consultation categories
-- Browser sessions live beside API tokens (same digest, same revocation) with an expiry;
-- consultation categories keep the order they were added in.
ALTER TABLE api_tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'api' CHECK (kind IN ('api', 'session'));
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
ALTER TABLE consultation_categories ADD COLUMN position BIGINT NOT NULL DEFAULT 0;
UPDATE consultation_categories c SET position = o.n
  FROM (SELECT key, row_number() OVER (ORDER BY ctid) AS n FROM consultation_categories) o WHERE o.key = c.key;
