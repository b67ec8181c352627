//! Letters about accounts.

use askama::Template;

use super::Letter;
use crate::error::AppResult;

/// Sent to a landlord who has just registered.
#[derive(Template)]
#[template(path = "letters/landlord_welcome.txt", escape = "none")]
pub struct LandlordWelcome<'a> {
    /// The municipality's name.
    pub municipality: &'a str,
}

impl LandlordWelcome<'_> {
    pub fn letter(&self) -> AppResult<Letter> {
        Letter::render("Uw account bij Huurtoezicht / Your Huurtoezicht account", self)
    }
}

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
