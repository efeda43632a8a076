-- Intake channels, the requester's identity number, fair automatic assignment and the level of a
-- routed case (issue 15, items 4, 6, 7 and 8d).

-- An agent registers official letters (e.g. filed in the city's document-management system) and
-- emails on someone's behalf, with the document's own reference (a SIGOB filing number).
ALTER TABLE tickets DROP CONSTRAINT tickets_channel_check;
ALTER TABLE tickets ADD CONSTRAINT tickets_channel_check CHECK (channel IN ('portal', 'phone', 'api', 'email', 'letter'));
ALTER TABLE tickets ADD COLUMN external_reference text CHECK (char_length(external_reference) BETWEEN 1 AND 100);
-- The exact filter (`external_reference=`): few cases carry one.
CREATE INDEX tickets_external_reference_idx ON tickets (external_reference) WHERE external_reference IS NOT NULL;

-- The external reference is searchable with the case's words (weight A, as the subject).
CREATE OR REPLACE FUNCTION tickets_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.subject IS DISTINCT FROM OLD.subject OR NEW.description IS DISTINCT FROM OLD.description
        OR NEW.external_reference IS DISTINCT FROM OLD.external_reference THEN
        NEW.search := case_words(NEW.subject, NEW.description);
        IF NEW.external_reference IS NOT NULL THEN
            NEW.search := NEW.search || setweight(to_tsvector('mesa_es', NEW.external_reference), 'A');
        END IF;
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
DROP TRIGGER tickets_words ON tickets;
CREATE TRIGGER tickets_words BEFORE INSERT OR UPDATE OF subject, description, external_reference, desk_id, followup_search ON tickets
    FOR EACH ROW EXECUTE FUNCTION tickets_words();

-- The requester's identity document (seed 003: part of a request's minimum data), and the desks
-- that require it at registration.
ALTER TABLE users ADD COLUMN identity_number text CHECK (char_length(identity_number) BETWEEN 1 AND 30);
ALTER TABLE desks ADD COLUMN require_identity_number boolean NOT NULL DEFAULT false;

-- As in 000013, but the pick is serialized per group: a transaction-level advisory lock, taken
-- before the loads are read and held until the registering transaction commits, so the next
-- pick in that group waits and then counts the case just assigned. VOLATILE (was STABLE): the
-- query after the lock must take a fresh snapshot, or it would not see what the previous holder
-- committed. The two-key form keeps these locks apart from the one-key locks of the catalog.
DROP FUNCTION pick_agent(uuid);
CREATE FUNCTION pick_agent(p_group uuid) RETURNS TABLE (id uuid, display_name text) LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
BEGIN
    PERFORM pg_advisory_xact_lock(1885954916, hashtext(p_group::text));
    RETURN QUERY
    WITH candidates AS MATERIALIZED (
        SELECT u.id, u.display_name, u.username FROM group_members m JOIN users u ON u.id = m.user_id
        WHERE m.group_id = p_group AND u.active AND u.role <> 'requester' AND (u.absent_until IS NULL OR u.absent_until <= now())
    )
    SELECT c.id, c.display_name FROM candidates c
    ORDER BY CASE WHEN (SELECT count(*) FROM candidates) > 1 THEN
                 (SELECT count(*) FROM (SELECT 1 FROM tickets t WHERE t.assigned_agent_id = c.id AND ticket_is_open(t.status) LIMIT 200) open_cases)
             END,
             c.username
    LIMIT 1;
END
$$;

-- The groups among `p_groups` with no member who could be assigned a case now (active staff,
-- not absent): their unassigned cases wait for a supervisor (issue 15, 8d).
CREATE FUNCTION unstaffed_groups(p_groups uuid[]) RETURNS uuid[] LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(g), '{}') FROM unnest(p_groups) g
    WHERE NOT EXISTS (
        SELECT 1 FROM group_members m JOIN users u ON u.id = m.user_id
        WHERE m.group_id = g AND u.active AND u.role <> 'requester' AND (u.absent_until IS NULL OR u.absent_until <= now())
    )
$$;

-- As in 000013, plus the case's level (its group's), its external reference, and, on the
-- automatic assignment event, whether no agent was available.
DROP FUNCTION register_ticket(uuid, uuid, uuid, uuid, text, text, text, text, text, text, uuid, uuid, uuid, uuid, uuid, text, jsonb,
                              timestamptz, uuid, integer, timestamptz, timestamptz, uuid, jsonb, uuid);
CREATE FUNCTION register_ticket(
    p_group uuid, p_id uuid, p_desk uuid, p_service uuid, p_type text, p_priority text, p_status text,
    p_subject text, p_description text, p_contact_phone text, p_location uuid, p_area uuid,
    p_organization uuid, p_requester uuid, p_created_by uuid, p_channel text, p_fields jsonb,
    p_now timestamptz, p_policy uuid, p_policy_version integer, p_response_due timestamptz,
    p_resolution_due timestamptz, p_created_event uuid, p_created_value jsonb, p_assignment_event uuid,
    p_level smallint, p_external_reference text
) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    v_agent uuid;
    v_agent_name text;
    v_number bigint;
BEGIN
    IF p_group IS NOT NULL THEN
        SELECT a.id, a.display_name INTO v_agent, v_agent_name FROM pick_agent(p_group) a;
    END IF;
    INSERT INTO tickets (id, desk_id, service_id, ticket_type, priority, status, subject, description, contact_phone,
                         location_id, area_id, organization_id, requester_id, created_by_id, channel, assigned_group_id,
                         assigned_agent_id, fields, created_at, updated_at, sla_policy_id, sla_policy_version,
                         response_due_at, resolution_due_at, level, external_reference)
    VALUES (p_id, p_desk, p_service, p_type, p_priority, p_status, p_subject, p_description, p_contact_phone,
            p_location, p_area, p_organization, p_requester, p_created_by, p_channel, p_group,
            v_agent, p_fields, p_now, p_now, p_policy, p_policy_version, p_response_due, p_resolution_due,
            p_level, p_external_reference)
    RETURNING number INTO v_number;
    INSERT INTO ticket_events (id, ticket_id, actor_id, kind, new_value, visibility, created_at)
    VALUES (p_created_event, p_id, p_created_by, 'created', p_created_value, 'public', p_now);
    IF p_group IS NOT NULL THEN
        -- Routing and load balancing are the desk's doing, not the requester's: no actor.
        INSERT INTO ticket_events (id, ticket_id, actor_id, kind, new_value, visibility, created_at)
        VALUES (p_assignment_event, p_id, NULL, 'assignment',
                jsonb_build_object('group_id', p_group, 'agent_id', v_agent, 'automatic', true, 'no_available_agent', v_agent IS NULL),
                'public', p_now);
    END IF;
    RETURN jsonb_build_object('number', v_number, 'agent_id', v_agent, 'agent_name', v_agent_name);
END
$$;
