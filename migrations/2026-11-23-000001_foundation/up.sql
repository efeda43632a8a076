-- Foundation: who people are and where they belong.
CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE TABLE organizations (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    short_name  text,
    active      boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    version     integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX organizations_name_key ON organizations (lower(name));

CREATE TABLE areas (
    id              uuid PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    name            text NOT NULL,
    active          boolean NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    version         integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX areas_org_name_key ON areas (organization_id, lower(name));

CREATE TABLE locations (
    id              uuid PRIMARY KEY,
    organization_id uuid REFERENCES organizations (id),
    name            text NOT NULL,
    address         text,
    active          boolean NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    version         integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX locations_name_key ON locations (lower(name));

CREATE TABLE users (
    id              uuid PRIMARY KEY,
    -- Stored lowercased: directory logins are case-insensitive.
    username        text NOT NULL UNIQUE CHECK (username = lower(username) AND username <> ''),
    display_name    text NOT NULL,
    email           text,
    phone           text,
    role            text NOT NULL CHECK (role IN ('requester', 'agent', 'supervisor', 'admin')),
    auth_source     text NOT NULL CHECK (auth_source IN ('local', 'directory')),
    password_hash   text,
    directory_dn    text,
    active          boolean NOT NULL DEFAULT true,
    locale          text NOT NULL DEFAULT 'es-CO',
    organization_id uuid REFERENCES organizations (id),
    area_id         uuid REFERENCES areas (id),
    location_id     uuid REFERENCES locations (id),
    last_login_at   timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    version         integer NOT NULL DEFAULT 1,
    CHECK (auth_source = 'directory' OR password_hash IS NOT NULL)
);
CREATE INDEX users_organization_idx ON users (organization_id);

-- Refresh tokens are stored only as SHA-256 hashes; a family is one login's chain of rotations.
CREATE TABLE refresh_tokens (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id   uuid NOT NULL,
    token_hash  bytea NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);

-- Failed-login counters shared by every backend instance (keys: 'user:<name>', 'ip:<addr>').
CREATE TABLE login_throttle (
    key           text PRIMARY KEY,
    window_start  timestamptz NOT NULL,
    failures      integer NOT NULL
);
