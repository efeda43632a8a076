-- Webhooks (issue 20, item 2): admins subscribe a URL to events; a change of a case writes one
-- `webhook_deliveries` row per subscribed webhook in the change's own transaction (the outbox),
-- and the `webhook_deliver` job POSTs them, signed, with retries.

CREATE TABLE webhooks (
    id                    uuid PRIMARY KEY,
    url                   text NOT NULL CHECK (length(url) <= 2000),
    description           text,
    -- Event types (`webhooks::EVENTS`), checked by the API.
    events                text[] NOT NULL,
    -- The HMAC key. Stored as is, not hashed: Mesa must sign every delivery with it, so a hash
    -- would be of no use; it is shown only on creation and rotation.
    secret                text NOT NULL,
    active                boolean NOT NULL DEFAULT true,
    -- Failed attempts in a row across the webhook's deliveries; a success resets it.
    consecutive_failures  integer NOT NULL DEFAULT 0,
    -- When the current run of failures began (NULL while none).
    failing_since         timestamptz,
    disabled_at           timestamptz,
    disabled_reason       text,
    created_by_id         uuid REFERENCES users (id),
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    version               integer NOT NULL DEFAULT 1
);
-- The subscribers of an event, looked up with every change of a case.
CREATE INDEX webhooks_events_idx ON webhooks USING gin (events) WHERE active;

CREATE TABLE webhook_deliveries (
    id               uuid PRIMARY KEY,
    webhook_id       uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    -- The event's id, the same in every webhook's delivery of it (receivers deduplicate on it).
    event_id         uuid NOT NULL,
    event_type       text NOT NULL,
    -- The exact body POSTed: the envelope {id, type, occurred_at, data}, a snapshot of the change.
    payload          jsonb NOT NULL,
    state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    -- A runner's lease: while in the future, a runner is sending it.
    locked_until     timestamptz,
    last_status_code integer,
    last_error       text,
    last_attempt_at  timestamptz,
    delivered_at     timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at, id) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_log_idx ON webhook_deliveries (webhook_id, created_at, id);

-- Hosts an admin allows although they are (or resolve to) loopback, private or link-local
-- addresses: the SSRF guard skips them.
CREATE TABLE webhook_allowed_hosts (
    host        text PRIMARY KEY CHECK (host <> '' AND length(host) <= 253),
    created_at  timestamptz NOT NULL DEFAULT now()
);
