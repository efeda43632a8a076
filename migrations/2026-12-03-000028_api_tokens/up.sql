-- API tokens for integrations and scripts (issue 20): each acts as one user, limited by its
-- scopes. Only the SHA-256 of the secret is kept; `prefix` lets people tell tokens apart.
CREATE TABLE api_tokens (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id),
    created_by_id uuid NOT NULL REFERENCES users (id),
    name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    prefix text NOT NULL,
    token_hash bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    scopes text[] NOT NULL CHECK (cardinality(scopes) > 0),
    -- CIDR blocks the token may be used from; empty: anywhere.
    allowed_networks text[] NOT NULL DEFAULT '{}',
    expires_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    -- Written at most once a minute per token (see `api_tokens::auth`).
    last_used_at timestamptz,
    last_used_address text,
    revoked_at timestamptz
);

CREATE INDEX api_tokens_user_id ON api_tokens (user_id, created_at DESC);
