-- Each process also keeps the display names of the people its answers showed (crate::reference):
-- a rename must reach them as a change to the other reference data does.
CREATE CONSTRAINT TRIGGER users_reference_generation AFTER UPDATE OF display_name ON users
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.display_name IS DISTINCT FROM NEW.display_name)
    EXECUTE FUNCTION bump_reference_generation();
