-- Access tokens carry the user's token generation and are accepted only while it is unchanged:
-- logout, a password reset, a role change and a deactivation raise it, ending the access tokens
-- issued before at once instead of when they expire. It is read in the query that loads the caller
-- on every request, so checking costs no round trip.
ALTER TABLE users ADD COLUMN token_generation integer NOT NULL DEFAULT 0;
