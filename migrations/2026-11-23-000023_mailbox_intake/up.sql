-- Mailbox intake (issue 16, item 4): each desk may poll an IMAP mailbox. The password is never
-- stored here: it comes from the environment (MESA_MAILBOX_PASSWORD_<DESK CODE>).
CREATE TABLE desk_mailboxes (
    desk_id            uuid PRIMARY KEY REFERENCES desks (id) ON DELETE CASCADE,
    host               text NOT NULL CHECK (host <> ''),
    port               integer NOT NULL CHECK (port BETWEEN 1 AND 65535),
    tls_mode           text NOT NULL CHECK (tls_mode IN ('tls', 'starttls', 'none')),
    username           text NOT NULL CHECK (username <> ''),
    folder             text NOT NULL DEFAULT 'INBOX',
    -- The service of mail-opened cases (an agent classifies them later).
    default_service_id uuid NOT NULL REFERENCES catalog_nodes (id),
    -- Mail from an address no user has: `register` them as requesters, or `instruct` (answer
    -- with instructions and create nothing).
    unknown_sender     text NOT NULL CHECK (unknown_sender IN ('register', 'instruct')),
    enabled            boolean NOT NULL DEFAULT true,
    poll_seconds       integer NOT NULL CHECK (poll_seconds BETWEEN 30 AND 86400),
    -- Where the last run stopped: messages with a UID above `last_uid` in a folder of this
    -- UIDVALIDITY are new (another UIDVALIDITY: the folder was rebuilt, read it again; the
    -- Message-ID dedupe below keeps anything from being imported twice).
    uid_validity       bigint,
    last_uid           bigint NOT NULL DEFAULT 0,
    last_polled_at     timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    version            integer NOT NULL DEFAULT 1
);

-- Every message read from a desk's mailbox, once: the key is its Message-ID (or a hash of the
-- message when it has none), so the same message delivered twice is imported once, also when a
-- runner died after importing it and before marking it seen.
CREATE TABLE mailbox_messages (
    desk_id      uuid NOT NULL REFERENCES desks (id) ON DELETE CASCADE,
    message_key  text NOT NULL CHECK (message_key <> ''),
    uid_validity bigint,
    uid          bigint,
    sender       text,
    subject      text,
    outcome      text NOT NULL CHECK (outcome IN ('created', 'followup', 'ignored', 'refused', 'skipped')),
    -- Why it was ignored, refused or skipped (`auto_submitted`, `not_allowed`, `too_large`, …).
    reason       text,
    ticket_id    uuid REFERENCES tickets (id) ON DELETE SET NULL,
    followup_id  uuid REFERENCES followups (id) ON DELETE SET NULL,
    -- What was left out (attachments that failed the upload checks), for the agents.
    notes        jsonb NOT NULL DEFAULT '[]',
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (desk_id, message_key)
);
CREATE INDEX mailbox_messages_received_idx ON mailbox_messages (desk_id, received_at);

-- The answers a message calls for (a refused reply, instructions for an unknown sender), decided
-- at import. Outgoing mail delivers them (issue 16, item 1).
CREATE TABLE mailbox_answers (
    id          uuid PRIMARY KEY,
    desk_id     uuid NOT NULL,
    message_key text NOT NULL,
    kind        text NOT NULL,
    to_address  text NOT NULL,
    locale      text NOT NULL,
    vars        jsonb NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (desk_id, message_key) REFERENCES mailbox_messages (desk_id, message_key) ON DELETE CASCADE
);
CREATE INDEX mailbox_answers_message_idx ON mailbox_answers (desk_id, message_key);

-- Senders are matched by address, case-insensitively.
CREATE INDEX users_email_lower_idx ON users (lower(email));
