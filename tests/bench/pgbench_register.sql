-- One transaction of the registration baseline: the whole registration as the API sends it, one
-- call to register_ticket() (pick the least-loaded agent, insert the case, its `created` and
-- `assignment` events and its `registered` notification) with the arguments of a real case on
-- the bench's service. tickets.sh passes the ids with -D (group and its level, desk, service,
-- area, org, requester, policy, fields).
SELECT register_ticket(
    :group::uuid, gen_random_uuid(), :desk::uuid, :service::uuid, 'incident', 'medium', 'assigned',
    'La impresora no imprime (pgbench)',
    'Buenos días. La impresora del piso 4 no imprime desde ayer. Ya reinicié el equipo y el problema persiste. Gracias.',
    NULL, NULL, nullif(:area, '')::uuid, :org::uuid, :requester::uuid, :requester::uuid, 'portal', :fields::jsonb,
    now(), :policy::uuid, 1, now() + interval '1 hour', now() + interval '150 minutes',
    gen_random_uuid(), '{"status": "assigned", "channel": "portal", "priority": "medium", "type": "incident"}'::jsonb, gen_random_uuid(),
    :level::smallint, NULL, gen_random_uuid(),
    jsonb_build_object('group_id', :group::uuid, 'agent_id', NULL, 'status', 'assigned', 'priority', 'medium', 'type', 'incident',
                       'level', :level::smallint, 'service_id', :service::uuid));
