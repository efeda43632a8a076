DROP TABLE jobs;
DROP TABLE sla_rule_firings;
DROP TABLE ticket_pauses;
ALTER TABLE tickets DROP COLUMN sla_policy_id, DROP COLUMN sla_policy_version, DROP COLUMN response_met, DROP COLUMN resolution_met;
ALTER TABLE services DROP CONSTRAINT services_sla_policy_id_fkey;
ALTER TABLE desks DROP COLUMN calendar_id, DROP COLUMN sla_policy_id;
DROP TABLE sla_policies;
DROP TABLE calendars;
