-- Business calendars, SLA policies, clocks on cases, escalation rules and the job queue.
CREATE TABLE calendars (
    id                uuid PRIMARY KEY,
    name              text NOT NULL,
    timezone          text NOT NULL DEFAULT 'America/Bogota',
    always_open       boolean NOT NULL DEFAULT false,
    -- Computed national holidays ('CO'), or none.
    country           text,
    -- [{"weekday": "mon", "start": "07:30:00", "end": "17:00:00"}, ...]
    intervals         jsonb NOT NULL DEFAULT '[]',
    extra_holidays    jsonb NOT NULL DEFAULT '[]',
    removed_holidays  jsonb NOT NULL DEFAULT '[]',
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    version           integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX calendars_name_key ON calendars (lower(name));

CREATE TABLE sla_policies (
    id              uuid PRIMARY KEY,
    name            text NOT NULL,
    -- NULL: the desk's calendar.
    calendar_id     uuid REFERENCES calendars (id),
    -- {"critical": {"tto_minutes": 60, "ttr_minutes": 240}, "high": {...}, "medium": {...}, "low": {...}}
    targets         jsonb NOT NULL,
    -- Share of the target after which a clock is "at risk".
    at_risk_share   double precision NOT NULL DEFAULT 0.75 CHECK (at_risk_share > 0 AND at_risk_share < 1),
    -- [{"id": uuid, "clock": "ttr", "at_share": 1.0, "action": "escalate", "group_id": uuid|null}, ...]
    rules           jsonb NOT NULL DEFAULT '[]',
    active          boolean NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    -- Cases record the version they were measured against.
    version         integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX sla_policies_name_key ON sla_policies (lower(name));

ALTER TABLE desks ADD COLUMN calendar_id uuid REFERENCES calendars (id),
                  ADD COLUMN sla_policy_id uuid REFERENCES sla_policies (id);
ALTER TABLE services ADD CONSTRAINT services_sla_policy_id_fkey FOREIGN KEY (sla_policy_id) REFERENCES sla_policies (id);

ALTER TABLE tickets ADD COLUMN sla_policy_id uuid REFERENCES sla_policies (id),
                    ADD COLUMN sla_policy_version integer,
                    ADD COLUMN response_met boolean,
                    ADD COLUMN resolution_met boolean;

-- Periods a clock does not run: on hold, and between a resolution and a reopening.
CREATE TABLE ticket_pauses (
    id          uuid PRIMARY KEY,
    ticket_id   uuid NOT NULL REFERENCES tickets (id),
    reason      text NOT NULL CHECK (reason IN ('on_hold', 'resolved')),
    started_at  timestamptz NOT NULL,
    ended_at    timestamptz
);
CREATE INDEX ticket_pauses_ticket_idx ON ticket_pauses (ticket_id, started_at);

-- An escalation rule fires once per case: the primary key makes a second firing impossible.
CREATE TABLE sla_rule_firings (
    ticket_id  uuid NOT NULL REFERENCES tickets (id),
    rule_id    uuid NOT NULL,
    fired_at   timestamptz NOT NULL,
    PRIMARY KEY (ticket_id, rule_id)
);

-- Time-based work, claimed with FOR UPDATE SKIP LOCKED and a lease, so several instances may
-- run jobs and a crashed runner's job is picked up again when its lease ends.
CREATE TABLE jobs (
    id            uuid PRIMARY KEY,
    kind          text NOT NULL,
    -- Recurring jobs have one row per kind, rescheduled after each run.
    unique_key    text UNIQUE,
    payload       jsonb NOT NULL DEFAULT '{}',
    run_at        timestamptz NOT NULL DEFAULT now(),
    locked_until  timestamptz,
    attempts      integer NOT NULL DEFAULT 0,
    last_error    text,
    done_at       timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_due_idx ON jobs (run_at) WHERE done_at IS NULL;
