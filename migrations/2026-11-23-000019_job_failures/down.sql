DROP INDEX jobs_created_idx;
DROP INDEX jobs_due_idx;
CREATE INDEX jobs_due_idx ON jobs (run_at) WHERE done_at IS NULL;
ALTER TABLE jobs DROP COLUMN failed_at;
