DROP INDEX tickets_desk_search_idx;
DROP TRIGGER tickets_words ON tickets;
DROP FUNCTION tickets_words();
ALTER TABLE tickets DROP COLUMN desk_search;
ALTER TABLE tickets DROP COLUMN search;
ALTER TABLE tickets ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('mesa_es', subject), 'A') || setweight(to_tsvector('mesa_es', description), 'B')
) STORED;
CREATE INDEX tickets_fulltext_idx ON tickets USING gin ((search || followup_search), desk_id, number);
DROP FUNCTION case_words(text, text);
DROP FUNCTION desk_query(tsquery, uuid[]);
DROP FUNCTION desk_words(uuid, tsvector);
