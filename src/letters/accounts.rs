//! Letters about accounts.

letter!(
    /// Sent to a landlord who has just registered.
    LandlordWelcome, "letters/landlord_welcome.txt",
    "Uw account bij Huurtoezicht / Your Huurtoezicht account", {
        /// The municipality's name.
        municipality: &'a str,
    }
);

letter!(
    /// A one-time link to set a new password (asked for by the account holder or started by the
    /// admin). Holds the name and the link, nothing else about the person.
    PasswordResetLink, "letters/account_password_reset.txt",
    "Nieuw wachtwoord instellen / Reset your password", {
        /// The account's display name.
        name: &'a str,
        /// The municipality's name.
        municipality: &'a str,
        /// The link with the one-time token.
        link: &'a str,
        /// How long the link works, in minutes.
        minutes: i64,
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn welcome_names_the_municipality_in_both_languages() {
        let l = LandlordWelcome { municipality: "Rotterdam" }.letter().unwrap_or_else(|e| panic!("{e}"));
        assert!(l.body.starts_with("Welkom bij Huurtoezicht (Rotterdam)."));
        assert!(l
            .body
            .contains("Welcome to Huurtoezicht (Rotterdam). Your landlord account has been created."));
    }

    #[test]
    fn the_reset_letter_holds_the_name_the_link_and_its_lifetime_only() {
        let l = PasswordResetLink {
            name: "Jan de Vries",
            municipality: "Rotterdam",
            link: "https://huurtoezicht.example/password-reset?token=abc",
            minutes: 60,
        }
        .letter()
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(l.body.starts_with("Beste Jan de Vries,"));
        assert!(l.body.contains("\nhttps://huurtoezicht.example/password-reset?token=abc\n"));
        assert!(l.body.contains("60 minuten geldig"));
        assert!(l.body.contains("for 60 minutes"));
        assert!(l.body.is_ascii(), "plain ASCII keeps the link intact in any mail encoding");
    }
}
