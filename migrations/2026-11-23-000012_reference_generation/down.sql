DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['desks', 'desk_organizations', 'support_groups', 'catalog_nodes', 'services',
                             'service_routes', 'calendars', 'sla_policies'] LOOP
        EXECUTE format('DROP TRIGGER %I ON %I', t || '_reference_generation', t);
    END LOOP;
END
$$;
DROP FUNCTION bump_reference_generation();
DROP TABLE reference_generation;
