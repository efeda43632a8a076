DROP FUNCTION register_ticket(uuid, uuid, uuid, uuid, text, text, text, text, text, text, uuid, uuid, uuid, uuid, uuid, text, jsonb,
                              timestamptz, uuid, integer, timestamptz, timestamptz, uuid, jsonb, uuid, smallint, text);
CREATE FUNCTION register_ticket(
    p_group uuid, p_id uuid, p_desk uuid, p_service uuid, p_type text, p_priority text, p_status text,
    p_subject text, p_description text, p_contact_phone text, p_location uuid, p_area uuid,
    p_organization uuid, p_requester uuid, p_created_by uuid, p_channel text, p_fields jsonb,
    p_now timestamptz, p_policy uuid, p_policy_version integer, p_response_due timestamptz,
    p_resolution_due timestamptz, p_created_event uuid, p_created_value jsonb, p_assignment_event uuid
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
                         response_due_at, resolution_due_at)
    VALUES (p_id, p_desk, p_service, p_type, p_priority, p_status, p_subject, p_description, p_contact_phone,
            p_location, p_area, p_organization, p_requester, p_created_by, p_channel, p_group,
            v_agent, p_fields, p_now, p_now, p_policy, p_policy_version, p_response_due, p_resolution_due)
    RETURNING number INTO v_number;
    INSERT INTO ticket_events (id, ticket_id, actor_id, kind, new_value, visibility, created_at)
    VALUES (p_created_event, p_id, p_created_by, 'created', p_created_value, 'public', p_now);
    IF p_group IS NOT NULL THEN
        INSERT INTO ticket_events (id, ticket_id, actor_id, kind, new_value, visibility, created_at)
        VALUES (p_assignment_event, p_id, NULL, 'assignment',
                jsonb_build_object('group_id', p_group, 'agent_id', v_agent, 'automatic', true), 'public', p_now);
    END IF;
    RETURN jsonb_build_object('number', v_number, 'agent_id', v_agent, 'agent_name', v_agent_name);
END
$$;
DROP FUNCTION unstaffed_groups(uuid[]);
DROP FUNCTION pick_agent(uuid);
CREATE FUNCTION pick_agent(p_group uuid) RETURNS TABLE (id uuid, display_name text) LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
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
ALTER TABLE desks DROP COLUMN require_identity_number;
ALTER TABLE users DROP COLUMN identity_number;
DROP TRIGGER tickets_words ON tickets;
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
CREATE TRIGGER tickets_words BEFORE INSERT OR UPDATE OF subject, description, desk_id, followup_search ON tickets
    FOR EACH ROW EXECUTE FUNCTION tickets_words();
DROP INDEX tickets_external_reference_idx;
ALTER TABLE tickets DROP COLUMN external_reference;
ALTER TABLE tickets DROP CONSTRAINT tickets_channel_check;
ALTER TABLE tickets ADD CONSTRAINT tickets_channel_check CHECK (channel IN ('portal', 'phone', 'api', 'email'));
