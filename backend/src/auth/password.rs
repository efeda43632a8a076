//! argon2id password hashes for local accounts.
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use std::sync::OnceLock;

pub const MIN_PASSWORD_LEN: usize = 10;

pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).expect("argon2 hashing cannot fail with defaults").to_string()
}

pub fn verify(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// Burns the same time as a real check, so an unknown username answers as slowly as a wrong password.
pub fn verify_dummy(password: &str) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let stored = DUMMY.get_or_init(|| hash("mesa-timing-equaliser"));
    let _ = verify(password, stored);
}

/// Local passwords must be long enough and not only one kind of character.
pub fn check_strength(password: &str) -> Result<(), String> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(format!("must be at least {MIN_PASSWORD_LEN} characters"));
    }
    let kinds = [
        password.chars().any(|c| c.is_lowercase()),
        password.chars().any(|c| c.is_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ];
    if kinds.iter().filter(|k| **k).count() < 2 {
        return Err("must mix letters with digits, capitals or symbols".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_verify() {
        let h = hash("Correcto.2026");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("Correcto.2026", &h));
        assert!(!verify("correcto.2026", &h));
        assert!(!verify("x", "not a hash"));
    }

    #[test]
    fn strength() {
        assert!(check_strength("short1A").is_err());
        assert!(check_strength("onlylowercaseletters").is_err());
        assert!(check_strength("MesaDemo2026!").is_ok());
    }
}
