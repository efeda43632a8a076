-- Desks, catalogs, groups, calendars and SLA policies are read by almost every request and
-- changed rarely, by admins. Each server process caches them (crate::reference) and reloads when
-- this number moves. It is read in the same query that loads the caller, so checking costs no
-- round trip, and every instance sees a change as soon as it is committed.
CREATE TABLE reference_generation (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    n          bigint NOT NULL
);
INSERT INTO reference_generation (n) VALUES (1);

-- Bumped once per transaction, at commit (a deferred constraint trigger): the counter's row lock
-- is always the last one a transaction takes, so concurrent admin edits cannot deadlock on it,
-- and a reader never sees the new number before the change itself is visible.
CREATE FUNCTION bump_reference_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('mesa.reference_bumped', true) IS DISTINCT FROM txid_current()::text THEN
        PERFORM set_config('mesa.reference_bumped', txid_current()::text, true);
        UPDATE reference_generation SET n = n + 1;
    END IF;
    RETURN NULL;
END
$$;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['desks', 'desk_organizations', 'support_groups', 'catalog_nodes', 'services',
                             'service_routes', 'calendars', 'sla_policies'] LOOP
        EXECUTE format('CREATE CONSTRAINT TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I
                        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_reference_generation()',
                       t || '_reference_generation', t);
    END LOOP;
END
$$;
