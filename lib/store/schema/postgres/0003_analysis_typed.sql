-- name: typed analysis: verdict, BEC type, targeting, score, language, sender; indicators, signals and the mail body per submission
-- What triage, campaigns, sharing and the report query is kept in columns and tables of its own,
-- not only inside analysis_json. Submissions analysed before this migration are filled in from
-- their analysis_json (PostgreSQL's jsonb, here and only here).
ALTER TABLE submissions ADD COLUMN bec_type INTEGER CHECK (bec_type BETWEEN 1 AND 5);
ALTER TABLE submissions ADD COLUMN targeting TEXT NOT NULL DEFAULT '';
ALTER TABLE submissions ADD COLUMN score INTEGER;
ALTER TABLE submissions ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE submissions ADD COLUMN from_address TEXT NOT NULL DEFAULT '';
CREATE INDEX submissions_verdict ON submissions(verdict_class, id);
CREATE INDEX submissions_submitted ON submissions(submitted_at);
-- No key over the value: a URL may be kilobytes long. The store writes each (type, value, role)
-- once per submission.
CREATE TABLE submission_indicators (
  submission_id  BIGINT NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
  type           TEXT NOT NULL,
  value          TEXT NOT NULL,
  role           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX submission_indicators_submission ON submission_indicators(submission_id);
-- A hash index: URLs may be longer than a B-tree entry may be.
CREATE INDEX submission_indicators_value ON submission_indicators USING hash (value);
CREATE TABLE submission_signals (
  submission_id  BIGINT NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
  signal         TEXT NOT NULL,
  severity       TEXT NOT NULL,
  PRIMARY KEY (submission_id, signal)
);
CREATE INDEX submission_signals_signal ON submission_signals(signal);
CREATE TABLE submission_bodies (
  submission_id  BIGINT PRIMARY KEY REFERENCES submissions(id) ON DELETE CASCADE,
  text           TEXT NOT NULL,
  html           TEXT NOT NULL
);
UPDATE submissions SET
  bec_type = (analysis_json::jsonb #>> '{verdict,bec_type}')::integer,
  targeting = COALESCE(analysis_json::jsonb #>> '{verdict,targeting}', ''),
  score = (analysis_json::jsonb #>> '{verdict,score}')::integer,
  language = COALESCE(analysis_json::jsonb #>> '{message,language}', ''),
  from_address = lower(COALESCE(analysis_json::jsonb #>> '{message,from,address}', ''))
WHERE analysis_json LIKE '{%';
INSERT INTO submission_indicators (submission_id, type, value, role)
  SELECT DISTINCT s.id, i ->> 'type', i ->> 'value', COALESCE(i ->> 'role', '')
  FROM submissions s, jsonb_array_elements(
    CASE WHEN jsonb_typeof(s.analysis_json::jsonb -> 'indicators') = 'array'
         THEN s.analysis_json::jsonb -> 'indicators' ELSE '[]'::jsonb END) i
  WHERE s.analysis_json LIKE '{%' AND i ->> 'type' IS NOT NULL AND i ->> 'value' IS NOT NULL;
INSERT INTO submission_signals (submission_id, signal, severity)
  SELECT s.id, g ->> 'id', COALESCE(g ->> 'severity', '')
  FROM submissions s, jsonb_array_elements(
    CASE WHEN jsonb_typeof(s.analysis_json::jsonb -> 'signals') = 'array'
         THEN s.analysis_json::jsonb -> 'signals' ELSE '[]'::jsonb END) g
  WHERE s.analysis_json LIKE '{%' AND g ->> 'id' IS NOT NULL
  ON CONFLICT DO NOTHING;
