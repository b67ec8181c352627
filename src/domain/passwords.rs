//! The password rule of every account: long enough, not too long to hash, and hard to guess.
//! A security policy of this service, not a legal rule: at least 12 characters (NIST SP 800-63B
//! asks at least 8 and recommends allowing long passphrases), at most 128 (a bound on argon2
//! work per attempt), and a zxcvbn score of at least 3 of 4 given the user's own e-mail and name.

/// Checks password strength: 12–128 characters and a zxcvbn score of at least 3 of 4, taking the
/// user's own email and name into account.
pub fn check_password_strength(password: &str, user_inputs: &[&str]) -> Result<(), String> {
    let n = password.chars().count();
    if n < 12 {
        return Err("must be at least 12 characters long".into());
    }
    if n > 128 {
        return Err("must be at most 128 characters long".into());
    }
    let entropy = zxcvbn::zxcvbn(password, user_inputs);
    if (entropy.score() as u8) < 3 {
        return Err("is too easy to guess; use a longer passphrase of unrelated words".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_passwords_are_refused() {
        assert!(check_password_strength("short", &[]).is_err());
        assert!(check_password_strength("aaaaaaaaaaaaaaaa", &[]).is_err());
        assert!(check_password_strength("password1234", &[]).is_err());
        assert!(check_password_strength("lantaarn-fiets-kompas-82", &[]).is_ok());
    }
}
