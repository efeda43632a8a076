-- Cases, their follow-ups, attachments and audit trail.

-- Spanish full-text search that ignores accents: "impresion" finds "impresión".
CREATE TEXT SEARCH CONFIGURATION mesa_es (COPY = spanish);
ALTER TEXT SEARCH CONFIGURATION mesa_es
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem;

-- Impact × urgency → priority, per desk (ITIL's usual matrix by default).
ALTER TABLE desks ADD COLUMN priority_matrix jsonb NOT NULL DEFAULT '{
  "high":   {"high": "critical", "medium": "high",   "low": "medium"},
  "medium": {"high": "high",     "medium": "medium", "low": "low"},
  "low":    {"high": "medium",   "medium": "low",    "low": "low"}
}';

CREATE SEQUENCE ticket_number_seq;

CREATE TABLE tickets (
    id                 uuid PRIMARY KEY,
    -- The consecutive human number; never reused (a sequence), gaps allowed.
    number             bigint NOT NULL UNIQUE DEFAULT nextval('ticket_number_seq'),
    desk_id            uuid NOT NULL REFERENCES desks (id),
    -- NO ACTION: a catalog node used by tickets cannot be deleted, only deactivated.
    service_id         uuid NOT NULL REFERENCES catalog_nodes (id),
    ticket_type        text NOT NULL CHECK (ticket_type IN ('incident', 'request')),
    priority           text NOT NULL CHECK (priority IN ('critical', 'high', 'medium', 'low')),
    impact             text CHECK (impact IN ('high', 'medium', 'low')),
    urgency            text CHECK (urgency IN ('high', 'medium', 'low')),
    status             text NOT NULL CHECK (status IN ('new', 'assigned', 'in_progress', 'on_hold', 'resolved', 'closed', 'rejected', 'cancelled')),
    subject            text NOT NULL,
    description        text NOT NULL,
    contact_phone      text,
    location_id        uuid REFERENCES locations (id),
    area_id            uuid REFERENCES areas (id),
    organization_id    uuid REFERENCES organizations (id),
    requester_id       uuid NOT NULL REFERENCES users (id),
    created_by_id      uuid NOT NULL REFERENCES users (id),
    channel            text NOT NULL CHECK (channel IN ('portal', 'phone', 'api', 'email')),
    assigned_group_id  uuid REFERENCES support_groups (id),
    assigned_agent_id  uuid REFERENCES users (id),
    level              smallint NOT NULL DEFAULT 1 CHECK (level BETWEEN 1 AND 3),
    fields             jsonb NOT NULL DEFAULT '{}',
    hold_reason        text CHECK (hold_reason IN ('waiting_requester', 'waiting_third_party', 'waiting_provider')),
    hold_note          text,
    -- Missing minimum data: archive as desisted at this instant if the requester does not answer.
    desist_at          timestamptz,
    rejection_reason   text,
    redirected_to      text,
    solution           text,
    solution_type      text,
    reopen_count       integer NOT NULL DEFAULT 0,
    -- SLA due dates (the SLA engine fills them); here so lists can sort by them.
    response_due_at    timestamptz,
    resolution_due_at  timestamptz,
    taken_at           timestamptz,
    resolved_at        timestamptz,
    closed_at          timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    version            integer NOT NULL DEFAULT 1,
    search             tsvector GENERATED ALWAYS AS (
                           setweight(to_tsvector('mesa_es', subject), 'A') || setweight(to_tsvector('mesa_es', description), 'B')
                       ) STORED
);
CREATE INDEX tickets_requester_idx ON tickets (requester_id, number DESC);
CREATE INDEX tickets_agent_idx ON tickets (assigned_agent_id, status, number DESC);
CREATE INDEX tickets_group_idx ON tickets (assigned_group_id, status, number DESC);
CREATE INDEX tickets_desk_idx ON tickets (desk_id, status, number DESC);
CREATE INDEX tickets_desk_updated_idx ON tickets (desk_id, updated_at DESC, id);
CREATE INDEX tickets_due_idx ON tickets (desk_id, resolution_due_at, id) WHERE status NOT IN ('resolved', 'closed', 'rejected', 'cancelled');
CREATE INDEX tickets_service_idx ON tickets (service_id);
CREATE INDEX tickets_search_idx ON tickets USING gin (search);

CREATE TABLE followups (
    id          uuid PRIMARY KEY,
    ticket_id   uuid NOT NULL REFERENCES tickets (id),
    author_id   uuid NOT NULL REFERENCES users (id),
    -- Private follow-ups never reach the requester.
    visibility  text NOT NULL CHECK (visibility IN ('public', 'private')),
    body        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    search      tsvector GENERATED ALWAYS AS (to_tsvector('mesa_es', body)) STORED
);
CREATE INDEX followups_ticket_idx ON followups (ticket_id, created_at);
CREATE INDEX followups_search_idx ON followups USING gin (search);

CREATE TABLE attachments (
    id               uuid PRIMARY KEY,
    ticket_id        uuid NOT NULL REFERENCES tickets (id),
    followup_id      uuid REFERENCES followups (id),
    -- The service's required attachment this file satisfies, if any.
    requirement_key  text,
    file_name        text NOT NULL,
    content_type     text NOT NULL,
    size_bytes       bigint NOT NULL,
    sha256           text NOT NULL,
    storage_key      text NOT NULL,
    uploaded_by_id   uuid NOT NULL REFERENCES users (id),
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachments_ticket_idx ON attachments (ticket_id);

-- The audit trail: every change, with actor, time, old and new values.
CREATE TABLE ticket_events (
    id          uuid PRIMARY KEY,
    ticket_id   uuid NOT NULL REFERENCES tickets (id),
    -- NULL for the system (jobs).
    actor_id    uuid REFERENCES users (id),
    kind        text NOT NULL,
    old_value   jsonb,
    new_value   jsonb,
    visibility  text NOT NULL CHECK (visibility IN ('public', 'private')),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ticket_events_ticket_idx ON ticket_events (ticket_id, created_at, id);

-- A retried creation with the same key returns the first ticket.
CREATE TABLE idempotency_keys (
    user_id       uuid NOT NULL REFERENCES users (id),
    key           text NOT NULL,
    request_hash  text NOT NULL,
    ticket_id     uuid REFERENCES tickets (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);
