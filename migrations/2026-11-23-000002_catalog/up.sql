-- Service desks, their support groups and their catalog trees.
CREATE TABLE desks (
    id                    uuid PRIMARY KEY,
    code                  text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{0,19}$'),
    name                  text NOT NULL,
    description           text,
    mailbox               text,
    timezone              text NOT NULL DEFAULT 'America/Bogota',
    -- Hours after resolution before an unanswered survey closes the case as accepted.
    auto_close_hours      integer NOT NULL DEFAULT 48 CHECK (auto_close_hours > 0),
    -- Lowest rating (1–5) that counts as satisfied; below it the case reopens.
    survey_satisfied_min  smallint NOT NULL DEFAULT 3 CHECK (survey_satisfied_min BETWEEN 1 AND 5),
    active                boolean NOT NULL DEFAULT true,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    version               integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX desks_code_key ON desks (code);

-- Empty for a desk means every organization may use it.
CREATE TABLE desk_organizations (
    desk_id          uuid NOT NULL REFERENCES desks (id) ON DELETE CASCADE,
    organization_id  uuid NOT NULL REFERENCES organizations (id),
    PRIMARY KEY (desk_id, organization_id)
);

CREATE TABLE desk_supervisors (
    desk_id  uuid NOT NULL REFERENCES desks (id) ON DELETE CASCADE,
    user_id  uuid NOT NULL REFERENCES users (id),
    PRIMARY KEY (desk_id, user_id)
);

CREATE TABLE support_groups (
    id                 uuid PRIMARY KEY,
    desk_id            uuid NOT NULL REFERENCES desks (id),
    name               text NOT NULL,
    level              smallint NOT NULL CHECK (level BETWEEN 1 AND 3),
    external_provider  boolean NOT NULL DEFAULT false,
    description        text,
    active             boolean NOT NULL DEFAULT true,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    version            integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX support_groups_desk_name_key ON support_groups (desk_id, lower(name));

CREATE TABLE group_members (
    group_id  uuid NOT NULL REFERENCES support_groups (id) ON DELETE CASCADE,
    user_id   uuid NOT NULL REFERENCES users (id),
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user_idx ON group_members (user_id);

-- Agent availability for automatic assignment.
ALTER TABLE users ADD COLUMN absent_until timestamptz, ADD COLUMN absence_note text;

CREATE TABLE catalog_nodes (
    id           uuid PRIMARY KEY,
    desk_id      uuid NOT NULL REFERENCES desks (id),
    parent_id    uuid REFERENCES catalog_nodes (id),
    -- Stable slug: import/export match nodes by it across installs.
    code         text NOT NULL CHECK (code ~ '^[a-z0-9][a-z0-9-]{0,79}$'),
    kind         text NOT NULL CHECK (kind IN ('category', 'service')),
    name         text NOT NULL,
    description  text,
    position     integer NOT NULL DEFAULT 0,
    active       boolean NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    version      integer NOT NULL DEFAULT 1,
    CHECK (parent_id IS DISTINCT FROM id)
);
CREATE UNIQUE INDEX catalog_nodes_desk_code_key ON catalog_nodes (desk_id, code);
CREATE INDEX catalog_nodes_desk_idx ON catalog_nodes (desk_id, parent_id, position);

-- The service details of a `service` node.
CREATE TABLE services (
    node_id               uuid PRIMARY KEY REFERENCES catalog_nodes (id) ON DELETE CASCADE,
    objective             text,
    scope                 text,
    -- {"everyone": bool, "roles": [...], "area_ids": [...], "group_ids": [...]}
    audience              jsonb NOT NULL DEFAULT '{"everyone": true, "roles": [], "area_ids": [], "group_ids": []}',
    form_fields           jsonb NOT NULL DEFAULT '[]',
    required_attachments  jsonb NOT NULL DEFAULT '[]',
    default_type          text NOT NULL DEFAULT 'request' CHECK (default_type IN ('incident', 'request')),
    default_priority      text NOT NULL DEFAULT 'medium' CHECK (default_priority IN ('critical', 'high', 'medium', 'low')),
    responsible_group_id  uuid REFERENCES support_groups (id),
    -- The SLA policy (SLA engine); nullable until policies exist.
    sla_policy_id         uuid,
    availability          text,
    promised_resolution   text,
    resolution_minutes    integer CHECK (resolution_minutes > 0)
);

-- Organization-specific first-level group for a service (each secretariat's own IT team).
CREATE TABLE service_routes (
    service_id       uuid NOT NULL REFERENCES services (node_id) ON DELETE CASCADE,
    organization_id  uuid NOT NULL REFERENCES organizations (id),
    group_id         uuid NOT NULL REFERENCES support_groups (id),
    PRIMARY KEY (service_id, organization_id)
);
