-- A hold's note (why the case waits) is for the agents unless the agent marks it public.
ALTER TABLE tickets ADD COLUMN hold_note_public boolean NOT NULL DEFAULT false;
