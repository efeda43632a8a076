DROP INDEX tickets_desk_finished_idx;
DROP INDEX ticket_events_kind_idx;
DROP INDEX tickets_desk_closed_idx;
DROP INDEX tickets_desk_resolved_idx;
DROP INDEX tickets_desk_created_idx;
ALTER TABLE tickets DROP COLUMN response_minutes, DROP COLUMN resolution_minutes;
