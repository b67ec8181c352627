//! Letters about accounts.

letter!(
    /// Sent to a landlord who has just registered.
    LandlordWelcome, "letters/landlord_welcome.txt",
    "Uw account bij Huurtoezicht / Your Huurtoezicht account", {
        /// The municipality's name.
        municipality: &'a str,
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
}
