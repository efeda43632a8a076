ALTER TABLE followups ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('mesa_es', body)) STORED;
CREATE INDEX followups_search_idx ON followups USING gin (search);
DROP INDEX tickets_fulltext_idx;
CREATE INDEX tickets_search_idx ON tickets USING gin (search);
ALTER TABLE tickets DROP COLUMN followup_search;
