-- Small SQL functions so the queries run on every request can be plain diesel expressions, which
-- diesel prepares once per connection (raw SQL fragments are parsed and planned on every call).

-- What the query that loads the caller also reads (auth::CurrentUser). PL/pgSQL: a SQL function
-- with a subquery is not inlined and would be planned again on every call.
CREATE FUNCTION user_group_ids(p_user uuid) RETURNS uuid[] LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN ARRAY(SELECT group_id FROM group_members WHERE user_id = p_user);
END
$$;
CREATE FUNCTION user_supervised_desk_ids(p_user uuid) RETURNS uuid[] LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN ARRAY(SELECT desk_id FROM desk_supervisors WHERE user_id = p_user);
END
$$;
CREATE FUNCTION current_reference_generation() RETURNS bigint LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (SELECT n FROM reference_generation);
END
$$;

-- The open statuses, spelled as the partial queue indexes' predicate so that, once inlined, the
-- planner can prove a query uses them.
CREATE FUNCTION ticket_is_open(text) RETURNS boolean LANGUAGE sql IMMUTABLE
    AS $$ SELECT $1 IN ('new', 'assigned', 'in_progress', 'on_hold') $$;

-- The available member of a group with the fewest open cases (absent agents skipped), with their
-- name. Loads are counted only when there is a choice, and up to 200: beyond that every agent is
-- simply full, and counting on costs milliseconds. PL/pgSQL so the plan is kept for the session.
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

-- Registering a case: its agent, the row (with the SLA dates the app computed) and the `created`
-- and `assignment` events, in one call whose plans PL/pgSQL keeps for the session — the app sends
-- one statement per registration and Postgres does not plan it again each time.
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
        -- Routing and load balancing are the desk's doing, not the requester's: no actor.
        INSERT INTO ticket_events (id, ticket_id, actor_id, kind, new_value, visibility, created_at)
        VALUES (p_assignment_event, p_id, NULL, 'assignment',
                jsonb_build_object('group_id', p_group, 'agent_id', v_agent, 'automatic', true), 'public', p_now);
    END IF;
    RETURN jsonb_build_object('number', v_number, 'agent_id', v_agent, 'agent_name', v_agent_name);
END
$$;
