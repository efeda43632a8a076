-- Reports at a million cases: every count a report makes is read from an index alone (no visit
-- to the table's pages), and first-contact resolution reads a flag instead of probing each
-- resolved case's audit trail.

-- Whether the case ever changed hands: an escalation or other level change, a transfer to another
-- desk, or a hand-over from one agent to another. Set with the event that records it
-- (tickets::audit::record); here from the existing audit trail.
ALTER TABLE tickets ADD COLUMN handed_over boolean NOT NULL DEFAULT false;
UPDATE tickets t SET handed_over = true
WHERE EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id
                AND (e.kind IN ('level', 'transfer')
                     OR (e.kind = 'assignment' AND e.old_value->>'agent_id' IS NOT NULL AND e.new_value->>'agent_id' IS NOT NULL)));

-- The resolved cases of a period with what the SLA and summary figures aggregate.
DROP INDEX tickets_desk_resolved_idx;
CREATE INDEX tickets_desk_resolved_idx ON tickets (desk_id, resolved_at)
    INCLUDE (response_met, resolution_met, response_minutes, resolution_minutes, level, reopen_count, handed_over, priority, service_id)
    WHERE resolved_at IS NOT NULL;
DROP INDEX tickets_desk_closed_idx;
CREATE INDEX tickets_desk_closed_idx ON tickets (desk_id, closed_at) INCLUDE (status) WHERE closed_at IS NOT NULL;
-- Cases that left the backlog without a resolution (rejected, cancelled): with the resolved
-- ones, every case that left it. Replaces an index on coalesce(resolved_at, closed_at), which
-- Postgres cannot answer from the index alone.
DROP INDEX tickets_desk_finished_idx;
CREATE INDEX tickets_desk_unresolved_closed_idx ON tickets (desk_id, closed_at) WHERE resolved_at IS NULL AND closed_at IS NOT NULL;
DROP INDEX tickets_desk_created_idx;
CREATE INDEX tickets_desk_created_idx ON tickets (desk_id, created_at) INCLUDE (service_id);

-- Agent-to-agent hand-overs are a sliver of the assignments: counted from their own index.
CREATE INDEX ticket_events_handover_idx ON ticket_events (created_at, ticket_id)
    WHERE kind = 'assignment' AND old_value->>'agent_id' IS NOT NULL AND new_value->>'agent_id' IS NOT NULL;

-- Every case in order of its last change, for incremental sync (`sort=changed`, `updated_since`)
-- and admins' "latest change first" across desks.
CREATE INDEX tickets_updated_idx ON tickets (updated_at, id);
