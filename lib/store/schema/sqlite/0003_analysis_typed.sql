-- name: typed analysis: verdict, BEC type, targeting, score, language, sender; indicators, signals and the mail body per submission
-- What triage, campaigns, sharing and the report query is kept in columns and tables of its own,
-- not only inside analysis_json. Submissions analysed before this migration are filled in from
-- their analysis_json (SQLite's JSON functions, here and only here).
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
  submission_id  INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
  type           TEXT NOT NULL,
  value          TEXT NOT NULL,
  role           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX submission_indicators_submission ON submission_indicators(submission_id);
CREATE INDEX submission_indicators_value ON submission_indicators(value);
CREATE TABLE submission_signals (
  submission_id  INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
  signal         TEXT NOT NULL,
  severity       TEXT NOT NULL,
  PRIMARY KEY (submission_id, signal)
);
CREATE INDEX submission_signals_signal ON submission_signals(signal);
CREATE TABLE submission_bodies (
  submission_id  INTEGER PRIMARY KEY REFERENCES submissions(id) ON DELETE CASCADE,
  text           TEXT NOT NULL,
  html           TEXT NOT NULL
);
UPDATE submissions SET
  bec_type = CASE WHEN json_extract(analysis_json, '$.verdict.bec_type') IN (1, 2, 3, 4, 5)
                  THEN json_extract(analysis_json, '$.verdict.bec_type') END,
  targeting = COALESCE(json_extract(analysis_json, '$.verdict.targeting'), ''),
  score = json_extract(analysis_json, '$.verdict.score'),
  language = COALESCE(json_extract(analysis_json, '$.message.language'), ''),
  from_address = lower(COALESCE(json_extract(analysis_json, '$.message.from.address'), ''))
WHERE analysis_json <> '' AND json_valid(analysis_json);
-- Only valid documents are opened, and only object members read: a damaged stored document is
-- skipped, never a failed migration (a hub that cannot start).
CREATE TEMP TABLE renkei_parsed AS
  SELECT id, analysis_json AS a FROM submissions
  WHERE analysis_json <> '' AND json_valid(analysis_json) AND json_type(analysis_json) = 'object';
INSERT INTO submission_indicators (submission_id, type, value, role)
  SELECT DISTINCT p.id, json_extract(i.value, '$.type'), json_extract(i.value, '$.value'),
         COALESCE(json_extract(i.value, '$.role'), '')
  FROM renkei_parsed p, json_each(p.a, '$.indicators') i
  WHERE json_type(p.a, '$.indicators') = 'array' AND i.type = 'object'
    AND json_extract(i.value, '$.type') IS NOT NULL AND json_extract(i.value, '$.value') IS NOT NULL;
INSERT OR IGNORE INTO submission_signals (submission_id, signal, severity)
  SELECT p.id, json_extract(g.value, '$.id'), COALESCE(json_extract(g.value, '$.severity'), '')
  FROM renkei_parsed p, json_each(p.a, '$.signals') g
  WHERE json_type(p.a, '$.signals') = 'array' AND g.type = 'object'
    AND json_extract(g.value, '$.id') IS NOT NULL;
DROP TABLE renkei_parsed;
