//! Optimistic concurrency: the version of a record as its entity tag, and the `If-Match`
//! precondition a client sends with a change (RFC 9110 §8.8.3 and §13.1.1).
//!
//! A record that portals and officers both change (a licence application, a complaint, a
//! sanction) carries a version, raised by one with every save. Its strong entity tag is the
//! version in double quotes (`"7"`). A change sent with `If-Match` applies only when the record
//! still has one of the named versions; `*` matches any existing record. Weak tags (`W/"7"`)
//! never match: `If-Match` uses the strong comparison.

/// The strong entity tag of `version`: `"7"`.
pub fn etag(version: i32) -> String {
    format!("\"{version}\"")
}

/// A parsed `If-Match` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IfMatch {
    /// `*`: any current version.
    Any,
    /// A list of entity tags; only the strong tags that name one of our versions can match
    /// (`None` for a weak tag or a strong tag that is not a version of ours, kept so that the
    /// list is never mistaken for "no precondition").
    Tags(Vec<Option<i32>>),
}

impl IfMatch {
    /// Parses the field value (the values of several `If-Match` fields joined by commas):
    /// `*`, or one or more entity tags `"opaque"` / `W/"opaque"` separated by commas. The error
    /// says what is wrong.
    pub fn parse(value: &str) -> Result<IfMatch, String> {
        let value = value.trim();
        if value == "*" {
            return Ok(IfMatch::Any);
        }
        let mut tags = Vec::new();
        let mut rest = value;
        loop {
            rest = rest.trim_start_matches([' ', '\t', ',']);
            if rest.is_empty() {
                break;
            }
            let (weak, quoted) = match rest.strip_prefix("W/") {
                Some(r) => (true, r),
                None => (false, rest),
            };
            let Some(body) = quoted.strip_prefix('"') else {
                return Err(if rest.starts_with('*') {
                    "`*` must stand alone".to_string()
                } else {
                    "an entity tag is a quoted string, e.g. \"3\" (or `*`)".to_string()
                });
            };
            let Some(end) = body.find('"') else {
                return Err("an entity tag lacks its closing double quote".into());
            };
            let opaque = &body[..end];
            if !opaque.chars().all(|c| c == '!' || ('#'..='~').contains(&c) || !c.is_ascii()) {
                return Err("an entity tag holds a character it may not hold".into());
            }
            tags.push(if weak { None } else { version_of(opaque) });
            rest = &body[end + 1..];
            let next = rest.trim_start_matches([' ', '\t']);
            if !next.is_empty() && !next.starts_with(',') {
                return Err("entity tags are separated by commas".into());
            }
        }
        if tags.is_empty() {
            return Err("name at least one entity tag, or `*`".into());
        }
        Ok(IfMatch::Tags(tags))
    }

    /// True when a record at `version` satisfies the precondition (strong comparison).
    pub fn admits(&self, version: i32) -> bool {
        match self {
            IfMatch::Any => true,
            IfMatch::Tags(tags) => tags.contains(&Some(version)),
        }
    }

    /// True when the precondition names versions (not `*`): the change must then hold the
    /// version it checked until it commits.
    pub fn names_versions(&self) -> bool {
        matches!(self, IfMatch::Tags(_))
    }
}

/// The version an opaque tag of ours holds: a decimal number without sign or leading zeros.
fn version_of(opaque: &str) -> Option<i32> {
    if opaque.is_empty() || (opaque.len() > 1 && opaque.starts_with('0')) {
        return None;
    }
    if !opaque.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    opaque.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_entity_tag_is_the_quoted_version() {
        assert_eq!(etag(1), "\"1\"");
        assert_eq!(etag(42), "\"42\"");
    }

    #[test]
    fn a_star_matches_every_version() {
        let m = IfMatch::parse(" * ").unwrap();
        assert_eq!(m, IfMatch::Any);
        assert!(m.admits(1) && m.admits(99));
        assert!(!m.names_versions());
    }

    #[test]
    fn strong_tags_match_their_version_only() {
        let m = IfMatch::parse("\"3\"").unwrap();
        assert!(m.admits(3));
        assert!(!m.admits(4));
        assert!(m.names_versions());
        let list = IfMatch::parse("\"2\", \"5\",\"7\"").unwrap();
        assert!(list.admits(2) && list.admits(5) && list.admits(7));
        assert!(!list.admits(3));
    }

    #[test]
    fn weak_tags_never_match() {
        let m = IfMatch::parse("W/\"3\"").unwrap();
        assert!(!m.admits(3));
        let mixed = IfMatch::parse("W/\"3\", \"4\"").unwrap();
        assert!(!mixed.admits(3));
        assert!(mixed.admits(4));
    }

    #[test]
    fn foreign_tags_are_well_formed_but_never_match() {
        for v in ["\"abc\"", "\"\"", "\"03\"", "\"-1\"", "\"99999999999\""] {
            let m = IfMatch::parse(v).unwrap();
            assert!((0..5).all(|n| !m.admits(n)), "{v}");
            assert!(!m.admits(3), "{v}");
        }
    }

    #[test]
    fn malformed_values_are_refused_with_a_reason() {
        for v in ["", " ", ",", "3", "\"3", "W/3", "\"3\" \"4\"", "*, \"3\"", "\"a b\"", "\"3\"x"] {
            assert!(IfMatch::parse(v).is_err(), "{v:?} was accepted");
        }
    }
}
