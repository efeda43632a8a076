DROP FUNCTION register_ticket(uuid, uuid, uuid, uuid, text, text, text, text, text, text, uuid, uuid, uuid, uuid, uuid, text, jsonb,
                              timestamptz, uuid, integer, timestamptz, timestamptz, uuid, jsonb, uuid);
DROP FUNCTION pick_agent(uuid);
DROP FUNCTION ticket_is_open(text);
DROP FUNCTION current_reference_generation();
DROP FUNCTION user_supervised_desk_ids(uuid);
DROP FUNCTION user_group_ids(uuid);
