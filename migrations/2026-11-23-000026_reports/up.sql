-- Reports: business minutes to attend and to resolve, stored when each clock stops (the SLA
-- module computes them with the desk's calendar, nights, weekends, holidays and hold pauses
-- excluded), so that means and percentiles are SQL aggregates rather than calendar math per case.
ALTER TABLE tickets ADD COLUMN response_minutes integer, ADD COLUMN resolution_minutes integer;

-- Report periods are ranges of registration, resolution and closing instants within a desk.
CREATE INDEX tickets_desk_created_idx ON tickets (desk_id, created_at);
CREATE INDEX tickets_desk_resolved_idx ON tickets (desk_id, resolved_at) WHERE resolved_at IS NOT NULL;
CREATE INDEX tickets_desk_closed_idx ON tickets (desk_id, closed_at) WHERE closed_at IS NOT NULL;
-- When a case left the backlog (resolved, or closed without a resolution: rejected, cancelled).
CREATE INDEX tickets_desk_finished_idx ON tickets (desk_id, (coalesce(resolved_at, closed_at))) WHERE coalesce(resolved_at, closed_at) IS NOT NULL;
-- Escalations, transfers and rejections are counted from the audit trail by kind and instant.
CREATE INDEX ticket_events_kind_idx ON ticket_events (kind, created_at, ticket_id);

-- Backfill: the SLA recomputation job walks every case and now stores the minutes too (queued
-- only where some case's clock has stopped, so a new database starts with an empty queue).
INSERT INTO jobs (id, kind, payload)
SELECT gen_random_uuid(), 'sla_recompute', '{"cursor": "00000000-0000-0000-0000-000000000000", "done": 0, "reason": "reports: business minutes to attend and resolve"}'
WHERE EXISTS (SELECT 1 FROM tickets WHERE sla_policy_id IS NOT NULL AND (taken_at IS NOT NULL OR resolved_at IS NOT NULL OR closed_at IS NOT NULL));
