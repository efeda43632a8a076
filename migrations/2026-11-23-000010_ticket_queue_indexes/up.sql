-- Found by the ticket bench (tests/bench/): the SLA check, every minute, walks the open measured
-- cases in id order 500 at a time (sla::rules::check_batch). Without an index on just those rows
-- each batch scanned the primary key from the cursor, past every closed case: with 1,000,000
-- cases, 113 ms for the first batch and about 2 CPU-seconds a minute in all. With it: 0.8 ms.
CREATE INDEX tickets_sla_open_idx ON tickets (id)
    WHERE status IN ('new', 'assigned', 'in_progress', 'on_hold') AND sla_policy_id IS NOT NULL;

-- The agent queues ("my groups", "mine") sorted by SLA due date: walked in order and stopped at
-- the page size, instead of reading and sorting every open case of the group (2.0 → 0.4 ms).
CREATE INDEX tickets_group_queue_idx ON tickets (assigned_group_id, resolution_due_at, id)
    WHERE status IN ('new', 'assigned', 'in_progress', 'on_hold');
CREATE INDEX tickets_agent_queue_idx ON tickets (assigned_agent_id, resolution_due_at, id)
    WHERE status IN ('new', 'assigned', 'in_progress', 'on_hold');
