-- Bounded search words per case. A tsvector holds at most 1 MiB of lexemes and positions; the
-- desk-spelled copy (desk_search, migration 000015) adds 8 bytes per lexeme. Past that, adding a
-- follow-up's words failed ("string is too long for tsvector") and so did the follow-up. Now a
-- follow-up's words are added only while the case's words fit in the budget below; the follow-up
-- itself is always stored. `search` and `desk_search` keep the same words as before.

-- An upper bound on the bytes the desk-spelled copy of these words takes in a tsvector: the text
-- form spends at least as many bytes per lexeme and position as the binary one (quotes, colon,
-- digits and commas against the 2-byte count and 2-byte positions), plus one byte of alignment
-- and the desk's 8 characters per lexeme. Merging two vectors never takes more than both.
CREATE FUNCTION words_size(words tsvector) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT octet_length(words::text) + 9 * length(words)
$$;

-- What a case may index: below the tsvector limit (1,048,575 bytes) with a margin.
CREATE FUNCTION words_budget() RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT 1000000::bigint $$;

-- The follow-up words of a case with `more` added, if everything the case indexes still fits;
-- otherwise unchanged (the follow-up is stored but its words are not searchable).
CREATE FUNCTION followup_words(search tsvector, words tsvector, more tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN words_size(search) + words_size(words) + words_size(more) <= words_budget() THEN words || more ELSE words END
$$;

-- As in 000015, plus a guard for writers that add follow-up words without followup_words (bulk
-- loads, hand-written SQL): words past the budget are not kept, so desk_search can always be
-- spelled. The guard reads the words only when follow-up words change (never on registration:
-- a subject and description alone are far below the budget).
CREATE OR REPLACE FUNCTION tickets_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.subject IS DISTINCT FROM OLD.subject OR NEW.description IS DISTINCT FROM OLD.description THEN
        NEW.search := case_words(NEW.subject, NEW.description);
    ELSIF NEW.followup_search IS NOT DISTINCT FROM OLD.followup_search AND NEW.desk_id = OLD.desk_id THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.followup_search IS DISTINCT FROM OLD.followup_search
        AND words_size(NEW.search) + words_size(NEW.followup_search) > words_budget() THEN
        NEW.followup_search := OLD.followup_search;
    END IF;
    NEW.desk_search := desk_words(NEW.desk_id, NEW.search || NEW.followup_search);
    RETURN NEW;
END
$$;
