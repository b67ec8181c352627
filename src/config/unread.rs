//! Settings that are set but never read. A misspelt variable (`HUURTOEZICHT_RULE_FILE`) would
//! otherwise be ignored as silently as an unknown field in a file was; the server names it at
//! start-up, with the setting it probably meant.

use std::cell::RefCell;
use std::collections::BTreeSet;

use super::{Config, ConfigError, Env, Source};

/// A source that remembers every name the configuration asked for.
pub struct Recording<'a> {
    inner: &'a dyn Source,
    asked: RefCell<BTreeSet<String>>,
}

impl<'a> Recording<'a> {
    pub fn new(inner: &'a dyn Source) -> Self {
        Recording { inner, asked: RefCell::new(BTreeSet::new()) }
    }

    pub fn asked(&self) -> BTreeSet<String> {
        self.asked.borrow().clone()
    }
}

impl Source for Recording<'_> {
    fn get(&self, name: &str) -> Option<String> {
        self.asked.borrow_mut().insert(name.to_string());
        self.inner.get(name)
    }
}

/// A setting that is set but was not read, with the read setting closest to it when that is
/// near enough to be a typo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unread {
    pub name: String,
    pub did_you_mean: Option<String>,
}

/// The configuration from the process environment, and the `HUURTOEZICHT_…` variables that are
/// set (not empty) but that this configuration did not read.
pub fn from_env() -> Result<(Config, Vec<Unread>), ConfigError> {
    let recording = Recording::new(&Env);
    let config = Config::from_source(&recording)?;
    let set = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v)))
        .filter(|(_, v)| !v.to_string_lossy().trim().is_empty())
        .map(|(k, _)| k);
    Ok((config, unread(set, &recording.asked())))
}

/// The `HUURTOEZICHT_…` names of `set` that are not in `asked`.
pub fn unread(set: impl IntoIterator<Item = String>, asked: &BTreeSet<String>) -> Vec<Unread> {
    let mut out: Vec<Unread> = set
        .into_iter()
        .filter(|name| name.starts_with("HUURTOEZICHT_") && !asked.contains(name))
        .map(|name| {
            let did_you_mean = asked
                .iter()
                .map(|known| (distance(&name, known), known))
                .filter(|(d, _)| *d <= 3)
                .min()
                .map(|(_, known)| known.clone());
            Unread { name, did_you_mean }
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// Edit distance (insertions, deletions, substitutions) between two names.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::config::tests::src;

    #[test]
    fn a_misspelt_setting_is_named_with_the_one_meant() {
        let given = src(&[("HUURTOEZICHT_RULE_FILE", "rules.json"), ("HUURTOEZICHT_BIND", "127.0.0.1:0")]);
        let recording = Recording::new(&given);
        Config::from_source(&recording).unwrap();
        let asked = recording.asked();
        assert!(asked.contains("HUURTOEZICHT_RULES_FILE") && asked.contains("HUURTOEZICHT_PRODUCTION"));
        let names =
            ["HUURTOEZICHT_RULE_FILE", "HUURTOEZICHT_BIND", "HUURTOEZICHT_SOMETHING_ELSE_ENTIRELY", "PATH"];
        let unread = unread(names.iter().map(|s| s.to_string()), &asked);
        assert_eq!(
            unread,
            vec![
                Unread {
                    name: "HUURTOEZICHT_RULE_FILE".into(),
                    did_you_mean: Some("HUURTOEZICHT_RULES_FILE".into())
                },
                Unread { name: "HUURTOEZICHT_SOMETHING_ELSE_ENTIRELY".into(), did_you_mean: None },
            ]
        );
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
