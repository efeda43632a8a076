-- The baseline of the creation scenario: a ticket-like table with 3 indexes (primary key,
-- requester's list, group queue), in a scratch schema of the bench database.
DROP SCHEMA IF EXISTS bench_scratch CASCADE;
CREATE SCHEMA bench_scratch;
CREATE TABLE bench_scratch.tickets (
    id            bigserial PRIMARY KEY,
    requester_id  integer NOT NULL,
    group_id      integer,
    status        text NOT NULL,
    priority      text NOT NULL,
    subject       text NOT NULL,
    description   text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ON bench_scratch.tickets (requester_id, id DESC);
CREATE INDEX ON bench_scratch.tickets (group_id, status, id DESC);
