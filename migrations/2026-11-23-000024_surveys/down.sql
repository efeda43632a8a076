DROP TABLE survey_throttle;
DROP TABLE survey_reminders;
DROP TABLE surveys;
ALTER TABLE desks DROP COLUMN auto_close_business_days, DROP COLUMN survey_ask_solved, DROP COLUMN survey_reminder_hours, DROP COLUMN staff_close_allowed;
DROP INDEX tickets_desist_due_idx;
DROP INDEX tickets_reopen_reason_idx;
ALTER TABLE tickets DROP COLUMN reopen_reason;
UPDATE tickets SET status = 'closed' WHERE status = 'desisted';
ALTER TABLE tickets DROP CONSTRAINT tickets_status_check;
ALTER TABLE tickets ADD CONSTRAINT tickets_status_check
    CHECK (status IN ('new', 'assigned', 'in_progress', 'on_hold', 'resolved', 'closed', 'rejected', 'cancelled'));
