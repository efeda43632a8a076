-- Outgoing mail (issue 16): a change of a case writes one `notifications` row in its own
-- transaction; a job expands each into one `outbox` row per recipient, rendered; another job
-- delivers the outbox over SMTP with retries. Nothing here is sent by the request itself.

CREATE TABLE notifications (
    id           uuid PRIMARY KEY,
    kind         text NOT NULL,
    ticket_id    uuid NOT NULL REFERENCES tickets (id),
    desk_id      uuid NOT NULL REFERENCES desks (id),
    -- Who made the change (not mailed about it); NULL: the system (an SLA rule).
    actor_id     uuid REFERENCES users (id),
    -- What the mail must say, as it was when the change was made (never a private text).
    data         jsonb NOT NULL DEFAULT '{}',
    created_at   timestamptz NOT NULL DEFAULT now(),
    expanded_at  timestamptz
);
-- The expansion job's queue: only rows not expanded yet.
CREATE INDEX notifications_pending_idx ON notifications (created_at, id) WHERE expanded_at IS NULL;
CREATE INDEX notifications_ticket_idx ON notifications (ticket_id);

CREATE TABLE outbox (
    id               uuid PRIMARY KEY,
    -- NULL for a direct mail (`notify::queue_direct`).
    notification_id  uuid REFERENCES notifications (id),
    kind             text NOT NULL,
    ticket_id        uuid REFERENCES tickets (id),
    ticket_number    bigint,
    desk_id          uuid REFERENCES desks (id),
    recipient_id     uuid REFERENCES users (id),
    to_address       text NOT NULL,
    from_address     text NOT NULL,
    reply_to         text,
    locale           text NOT NULL CHECK (locale IN ('es', 'en')),
    subject          text NOT NULL,
    body_text        text NOT NULL,
    body_html        text NOT NULL,
    message_id       text NOT NULL UNIQUE,
    -- The case's thread root (In-Reply-To, References); NULL for a mail of no case.
    thread_id        text,
    state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    -- Delivery attempts (counted when a runner claims the row).
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    -- A runner's lease: while in the future, the row is being sent by it.
    locked_until     timestamptz,
    last_error       text,
    sent_at          timestamptz,
    failed_at        timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    -- Expanding a notification twice (a runner died after inserting) adds nothing.
    UNIQUE (notification_id, to_address)
);
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at, id) WHERE state = 'pending';
CREATE INDEX outbox_list_idx ON outbox (created_at, id);
CREATE INDEX outbox_ticket_idx ON outbox (ticket_id);

-- A desk's own wording of a kind of mail in one language (the built-in one otherwise).
CREATE TABLE mail_templates (
    desk_id     uuid NOT NULL REFERENCES desks (id) ON DELETE CASCADE,
    kind        text NOT NULL,
    locale      text NOT NULL CHECK (locale IN ('es', 'en')),
    subject     text NOT NULL,
    body_text   text NOT NULL,
    body_html   text NOT NULL,
    updated_by  uuid REFERENCES users (id),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (desk_id, kind, locale)
);

-- The optional kinds a user turned off for themselves.
CREATE TABLE notification_opt_outs (
    user_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind     text NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- The kinds a desk does not send (stored as the ones turned off, so a kind added later is on).
ALTER TABLE desks ADD COLUMN notifications_off text[] NOT NULL DEFAULT '{}';
