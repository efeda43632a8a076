-- Jobs that give up: a one-off job that failed its last allowed attempt stops here, with its last
-- error, until an admin retries it. A recurring job (one row per kind, `unique_key`) is flagged
-- failed after as many failures in a row but keeps being claimed, at its longest backoff, so the
-- work it does (SLA checks) resumes by itself once the cause is gone.
ALTER TABLE jobs ADD COLUMN failed_at timestamptz;

-- The runners' claim query repeats this predicate so it can use the index; failed one-off jobs
-- leave it, so they never sit in front of due work.
DROP INDEX jobs_due_idx;
CREATE INDEX jobs_due_idx ON jobs (run_at) WHERE done_at IS NULL AND (failed_at IS NULL OR unique_key IS NOT NULL);

-- The admins' list: newest first, keyset on (created_at, id).
CREATE INDEX jobs_created_idx ON jobs (created_at, id);
