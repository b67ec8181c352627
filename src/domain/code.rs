//! Closed sets (states, kinds, roles, …) as Rust enums with one stable text code each: the code
//! is what the JSON API shows and what the database stores. The database mapping
//! (`crate::text_columns!`) and the OpenAPI schema (`crate::code_schemas!`) both read this trait,
//! so a closed set is declared once, here in the domain, with no knowledge of either.

/// A closed set whose members each have a stable snake_case code.
pub trait Code: Sized + Copy + 'static {
    /// Every member, in the order the API documents them.
    const ALL: &'static [Self];

    /// The member's code.
    fn code(self) -> &'static str;

    /// The member with this code, if any.
    fn from_code(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|m| m.code() == s)
    }
}

/// Declares the codes of an enum: `closed_set!(Priority { Low => "low", High => "high" });`
/// implements [`Code`] with `ALL` in the order given.
#[macro_export]
macro_rules! closed_set {
    ($t:ty { $($variant:ident => $code:literal),+ $(,)? }) => {
        impl $crate::domain::code::Code for $t {
            const ALL: &'static [Self] = &[$(<$t>::$variant),+];
            fn code(self) -> &'static str {
                match self {
                    $(<$t>::$variant => $code),+
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::Code;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Colour {
        Red,
        DarkBlue,
    }
    crate::closed_set!(Colour { Red => "red", DarkBlue => "dark_blue" });

    #[test]
    fn codes_round_trip_and_unknown_codes_are_refused() {
        for c in Colour::ALL {
            assert_eq!(Colour::from_code(c.code()), Some(*c));
        }
        assert_eq!(Colour::DarkBlue.code(), "dark_blue");
        assert_eq!(Colour::from_code("green"), None);
    }
}
