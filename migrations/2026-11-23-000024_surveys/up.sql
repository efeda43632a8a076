-- Closure by the requester's verdict (issue 17): satisfaction surveys, cases reopened by a bad
-- rating, acceptance by silence, desisted cases.

-- A case on hold for missing data that its requester never completed is archived as desisted.
ALTER TABLE tickets DROP CONSTRAINT tickets_status_check;
ALTER TABLE tickets ADD CONSTRAINT tickets_status_check
    CHECK (status IN ('new', 'assigned', 'in_progress', 'on_hold', 'resolved', 'closed', 'rejected', 'cancelled', 'desisted'));
-- Why a case is back at work after a resolution, until it is resolved again: `survey` is
-- "Abierto por encuesta".
ALTER TABLE tickets ADD COLUMN reopen_reason text CHECK (reopen_reason IN ('survey', 'requester', 'staff'));
CREATE INDEX tickets_reopen_reason_idx ON tickets (reopen_reason, number DESC) WHERE reopen_reason IS NOT NULL;
-- The desisted-archival job's scan.
CREATE INDEX tickets_desist_due_idx ON tickets (desist_at) WHERE status = 'on_hold' AND desist_at IS NOT NULL;

-- The rest of each desk's survey definition (`auto_close_hours` and `survey_satisfied_min` are
-- its first two parts).
ALTER TABLE desks
    -- When set, the acceptance delay is this many business days of the desk's calendar (ending
    -- when the last one closes) instead of `auto_close_hours`.
    ADD COLUMN auto_close_business_days smallint CHECK (auto_close_business_days BETWEEN 1 AND 30),
    -- "Was it solved?" is asked; a "no" counts as unsatisfied whatever the rating.
    ADD COLUMN survey_ask_solved boolean NOT NULL DEFAULT true,
    -- Reminders, in hours before the acceptance deadline.
    ADD COLUMN survey_reminder_hours integer[] NOT NULL DEFAULT '{24}',
    -- Staff may close a resolved case with a recorded reason (e.g. accepted by phone).
    ADD COLUMN staff_close_allowed boolean NOT NULL DEFAULT false;

-- One survey per resolution. The link's token is derived from the id (HMAC with a key derived
-- from the server's secret), so nothing of it is stored.
CREATE TABLE surveys (
    id            uuid PRIMARY KEY,
    ticket_id     uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    requester_id  uuid NOT NULL REFERENCES users (id),
    -- Who and what the resolution was, as at the resolution (for the results).
    desk_id       uuid NOT NULL REFERENCES desks (id),
    service_id    uuid NOT NULL,
    group_id      uuid,
    agent_id      uuid,
    -- pending: waiting for the verdict; answered; expired: accepted by silence; withdrawn: the
    -- case left `resolved` another way (accepted or refused directly, closed by staff).
    state         text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'answered', 'expired', 'withdrawn')),
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    ended_at      timestamptz,
    answered_at   timestamptz,
    rating        smallint CHECK (rating BETWEEN 1 AND 5),
    solved        boolean,
    comment       text,
    satisfied     boolean,
    CHECK ((state = 'answered') = (rating IS NOT NULL AND satisfied IS NOT NULL AND answered_at IS NOT NULL)),
    CHECK ((state = 'pending') = (ended_at IS NULL))
);
CREATE UNIQUE INDEX surveys_one_pending_idx ON surveys (ticket_id) WHERE state = 'pending';
CREATE INDEX surveys_pending_expiry_idx ON surveys (expires_at) WHERE state = 'pending';
CREATE INDEX surveys_ticket_idx ON surveys (ticket_id, created_at DESC);
CREATE INDEX surveys_desk_idx ON surveys (desk_id, created_at);

-- The reminders recorded as due (the reminder mail hangs on these rows); one per offset.
CREATE TABLE survey_reminders (
    survey_id     uuid NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    hours_before  integer NOT NULL,
    due_at        timestamptz NOT NULL,
    recorded_at   timestamptz NOT NULL,
    PRIMARY KEY (survey_id, hours_before)
);

-- Request counters of the public survey endpoints, per client address and per survey.
CREATE TABLE survey_throttle (
    key           text PRIMARY KEY,
    window_start  timestamptz NOT NULL,
    hits          integer NOT NULL
);

-- Cases already resolved get their survey now, due as the desk's delay says from their resolution.
INSERT INTO surveys (id, ticket_id, requester_id, desk_id, service_id, group_id, agent_id, created_at, expires_at)
SELECT gen_random_uuid(), t.id, t.requester_id, t.desk_id, t.service_id, t.assigned_group_id, t.assigned_agent_id,
       coalesce(t.resolved_at, t.updated_at), coalesce(t.resolved_at, t.updated_at) + make_interval(hours => d.auto_close_hours)
FROM tickets t JOIN desks d ON d.id = t.desk_id
WHERE t.status = 'resolved';
