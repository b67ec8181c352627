//! Identifiers that are parsed once at the edge and trusted afterwards ("parse, don't validate").
//! Fields are private: the only way to get a value is `parse`.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("must be a CBS municipality code: GM followed by 4 digits, e.g. GM0599")]
    MunicipalityCode,
    #[error("must be a Dutch postcode: 4 digits (first not 0) and 2 letters, e.g. 1234 AB")]
    Postcode,
    #[error("must be a KvK number of exactly 8 digits")]
    KvkNumber,
    #[error("must be a BAG verblijfsobject id of exactly 16 digits")]
    BagId,
    #[error("must be an email address such as name@example.nl")]
    Email,
}

macro_rules! string_newtype {
    ($name:ident) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

/// CBS municipality code (gemeentecode), e.g. `GM0599` for Rotterdam.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MunicipalityCode(String);
string_newtype!(MunicipalityCode);

impl MunicipalityCode {
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let up = raw.trim().to_ascii_uppercase();
        let ok = up.len() == 6 && up.starts_with("GM") && up[2..].bytes().all(|b| b.is_ascii_digit());
        if ok {
            Ok(Self(up))
        } else {
            Err(IdError::MunicipalityCode)
        }
    }
}

impl TryFrom<String> for MunicipalityCode {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, IdError> {
        Self::parse(&s)
    }
}
impl From<MunicipalityCode> for String {
    fn from(c: MunicipalityCode) -> String {
        c.0
    }
}

/// Dutch postcode, stored normalised as `1234AB`, displayed as `1234 AB`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Postcode(String);

impl Postcode {
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let compact: String =
            raw.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
        let b = compact.as_bytes();
        let ok = b.len() == 6
            && b[0] != b'0'
            && b[..4].iter().all(u8::is_ascii_digit)
            && b[4..].iter().all(u8::is_ascii_uppercase)
            // PostNL never issues the letter combinations SA, SD and SS.
            && !matches!(&compact[4..], "SA" | "SD" | "SS");
        if ok {
            Ok(Self(compact))
        } else {
            Err(IdError::Postcode)
        }
    }
    /// `1234AB`: the form used for storage and comparison.
    pub fn compact(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", &self.0[..4], &self.0[4..])
    }
}

/// A stored postcode as people read it: `1234 AB` for `1234AB`; a value that is not a postcode
/// is shown as it is.
pub fn display_postcode(stored: &str) -> String {
    Postcode::parse(stored).map(|p| p.to_string()).unwrap_or_else(|_| stored.to_string())
}

/// The address as letters and notices name it: `3011 AB 10` or, with an addition, `3011 AB 10-A`.
pub fn address_line(postcode: &str, house_number: i32, addition: Option<&str>) -> String {
    let postcode = display_postcode(postcode);
    match addition {
        Some(x) => format!("{postcode} {house_number}-{x}"),
        None => format!("{postcode} {house_number}"),
    }
}

/// KvK (Chamber of Commerce) number: exactly 8 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KvkNumber(String);
string_newtype!(KvkNumber);

impl KvkNumber {
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let t = raw.trim();
        if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(t.to_string()))
        } else {
            Err(IdError::KvkNumber)
        }
    }
}

/// BAG verblijfsobject id: exactly 16 digits (4-digit municipality code, object type `01`,
/// 10-digit serial).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BagId(String);
string_newtype!(BagId);

impl BagId {
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let t = raw.trim();
        if t.len() == 16 && t.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(t.to_string()))
        } else {
            Err(IdError::BagId)
        }
    }
}

/// An email address, lower-cased for comparison. Syntax is checked by lettre's parser.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);
string_newtype!(Email);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let t = raw.trim().to_lowercase();
        if t.len() > 254 || t.parse::<lettre::Address>().is_err() {
            return Err(IdError::Email);
        }
        Ok(Self(t))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn postcode_is_normalised_and_checked() {
        assert_eq!(Postcode::parse("3012 ab").unwrap().compact(), "3012AB");
        assert_eq!(Postcode::parse("3012AB").unwrap().to_string(), "3012 AB");
        for bad in ["0123 AB", "301 AB", "3012 A1", "3012 SS", "", "30123AB"] {
            assert_eq!(Postcode::parse(bad), Err(IdError::Postcode), "{bad}");
        }
    }

    #[test]
    fn address_line_displays_the_postcode_and_joins_the_addition() {
        assert_eq!(address_line("3011AB", 10, None), "3011 AB 10");
        assert_eq!(address_line("3011 ab", 10, Some("A")), "3011 AB 10-A");
        assert_eq!(address_line("unknown", 7, None), "unknown 7");
    }

    #[test]
    fn kvk_and_bag_lengths_are_exact() {
        assert!(KvkNumber::parse("12345678").is_ok());
        assert!(KvkNumber::parse("1234567").is_err());
        assert!(KvkNumber::parse("1234567a").is_err());
        assert!(BagId::parse("0599010000123456").is_ok());
        assert!(BagId::parse("059901000012345").is_err());
    }

    #[test]
    fn municipality_code_is_gm_plus_four_digits() {
        assert_eq!(MunicipalityCode::parse("gm0599").unwrap().as_str(), "GM0599");
        assert!(MunicipalityCode::parse("GM599").is_err());
        assert!(MunicipalityCode::parse("XX0599").is_err());
    }

    #[test]
    fn email_is_lowercased() {
        assert_eq!(Email::parse(" A@Example.NL ").unwrap().as_str(), "a@example.nl");
        assert!(Email::parse("not-an-email").is_err());
    }
}
