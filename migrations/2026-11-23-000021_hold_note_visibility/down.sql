ALTER TABLE tickets DROP COLUMN hold_note_public;
