-- name: triage: analysts' decisions on submissions, verdict overrides, questions to submitters
-- The analyst's triage (SPEC 3.3; docs/triage.md): a decision per submission — pending, share
-- (its campaign's share candidate), not_shared with a reason, needs_info (a question to the
-- submitter) — the analyst's verdict beside the engine's (kept, never overwritten by a new
-- analysis), and the conversation with the submitter.
ALTER TABLE submissions ADD COLUMN triage_state TEXT NOT NULL DEFAULT 'pending';
ALTER TABLE submissions ADD COLUMN triage_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE submissions ADD COLUMN triage_note TEXT NOT NULL DEFAULT '';
ALTER TABLE submissions ADD COLUMN triage_by INTEGER REFERENCES users(id);
ALTER TABLE submissions ADD COLUMN triage_at TEXT;
ALTER TABLE submissions ADD COLUMN override_class TEXT NOT NULL DEFAULT '';
ALTER TABLE submissions ADD COLUMN override_bec_type INTEGER;
ALTER TABLE submissions ADD COLUMN override_targeting TEXT NOT NULL DEFAULT '';
CREATE INDEX submissions_triage ON submissions(triage_state, id);
CREATE TABLE submission_messages (
  id             INTEGER PRIMARY KEY,
  submission_id  INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
  user_id        INTEGER REFERENCES users(id),
  from_hub       INTEGER NOT NULL,
  text           TEXT NOT NULL,
  at             TEXT NOT NULL
);
CREATE INDEX submission_messages_submission ON submission_messages(submission_id, id);
