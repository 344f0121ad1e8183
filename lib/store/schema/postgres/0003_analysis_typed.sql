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
-- A stored document that is not valid JSON, or has values of an unexpected type, is skipped:
-- never a failed migration (a hub that cannot start).
CREATE FUNCTION pg_temp.renkei_jsonb(t text) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN t::jsonb;
EXCEPTION WHEN others THEN
  RETURN NULL;
END $$;
CREATE TEMP TABLE renkei_parsed ON COMMIT DROP AS
  SELECT id, pg_temp.renkei_jsonb(analysis_json) AS a FROM submissions
  WHERE analysis_json LIKE '{%';
DELETE FROM renkei_parsed WHERE a IS NULL OR jsonb_typeof(a) <> 'object';
UPDATE submissions s SET
  bec_type = CASE WHEN p.a #>> '{verdict,bec_type}' IN ('1', '2', '3', '4', '5')
                  THEN (p.a #>> '{verdict,bec_type}')::integer END,
  targeting = COALESCE(p.a #>> '{verdict,targeting}', ''),
  score = CASE WHEN jsonb_typeof(p.a #> '{verdict,score}') = 'number'
               THEN round((p.a #>> '{verdict,score}')::numeric)::integer END,
  language = COALESCE(p.a #>> '{message,language}', ''),
  from_address = lower(COALESCE(p.a #>> '{message,from,address}', ''))
FROM renkei_parsed p WHERE p.id = s.id;
INSERT INTO submission_indicators (submission_id, type, value, role)
  SELECT DISTINCT p.id, i ->> 'type', i ->> 'value', COALESCE(i ->> 'role', '')
  FROM renkei_parsed p, jsonb_array_elements(
    CASE WHEN jsonb_typeof(p.a -> 'indicators') = 'array' THEN p.a -> 'indicators'
         ELSE '[]'::jsonb END) i
  WHERE jsonb_typeof(i) = 'object' AND i ->> 'type' IS NOT NULL AND i ->> 'value' IS NOT NULL;
INSERT INTO submission_signals (submission_id, signal, severity)
  SELECT p.id, g ->> 'id', COALESCE(g ->> 'severity', '')
  FROM renkei_parsed p, jsonb_array_elements(
    CASE WHEN jsonb_typeof(p.a -> 'signals') = 'array' THEN p.a -> 'signals'
         ELSE '[]'::jsonb END) g
  WHERE jsonb_typeof(g) = 'object' AND g ->> 'id' IS NOT NULL
  ON CONFLICT DO NOTHING;
