DROP TRIGGER users_reference_generation ON users;
