DROP TRIGGER webhooks_reference_generation ON webhooks;
DROP FUNCTION register_ticket(uuid, uuid, uuid, uuid, text, text, text, text, text, text, uuid, uuid, uuid, uuid, uuid, text, jsonb,
                              timestamptz, uuid, integer, timestamptz, timestamptz, uuid, jsonb, uuid, smallint, text, uuid, jsonb);
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
