CREATE OR REPLACE FUNCTION tickets_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.subject IS DISTINCT FROM OLD.subject OR NEW.description IS DISTINCT FROM OLD.description THEN
        NEW.search := case_words(NEW.subject, NEW.description);
    ELSIF NEW.followup_search IS NOT DISTINCT FROM OLD.followup_search AND NEW.desk_id = OLD.desk_id THEN
        RETURN NEW;
    END IF;
    NEW.desk_search := desk_words(NEW.desk_id, NEW.search || NEW.followup_search);
    RETURN NEW;
END
$$;
DROP FUNCTION followup_words(tsvector, tsvector, tsvector);
DROP FUNCTION words_budget();
DROP FUNCTION words_size(tsvector);
