DROP TABLE idempotency_keys;
DROP TABLE ticket_events;
DROP TABLE attachments;
DROP TABLE followups;
DROP TABLE tickets;
DROP SEQUENCE ticket_number_seq;
ALTER TABLE desks DROP COLUMN priority_matrix;
DROP TEXT SEARCH CONFIGURATION mesa_es;
