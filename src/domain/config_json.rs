//! Reading the municipality's configuration documents (rule set, enforcement policy, complaint
//! categories) strictly: every struct refuses unknown fields, and every error names the JSON path
//! of the offending value (`versions[0].enabled_licences[1].area.postcode_ranges[0].from`), so that
//! a misplaced key stops start-up instead of being ignored.
//!
//! PURE: parsing only; the files are read in `config`.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// Parses `text` as one JSON document of type `T`. The error is one line: `at PATH: REASON`
/// (`at the top level` when the document itself is wrong), with the line and column serde_json
/// reports.
pub fn from_json<T: DeserializeOwned + Serialize>(text: &str) -> Result<T, String> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| describe(e.path(), e.inner()))?;
    de.end().map_err(|e| format!("at the end of the document: {e}"))?;
    // serde's derived structs also accept an array of their fields in order (`"area": []` would
    // be an empty area): compare the document's shape with the value written back, and refuse an
    // array (or object) where the other is expected.
    let written = serde_json::to_value(&value).map_err(|e| format!("cannot be checked: {e}"))?;
    let given: Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    same_shape(&given, &written, "")?;
    Ok(value)
}

fn same_shape(given: &Value, written: &Value, path: &str) -> Result<(), String> {
    let at = || if path.is_empty() { "the top level" } else { path };
    match (given, written) {
        (Value::Object(g), Value::Object(w)) => {
            for (key, value) in g {
                if let Some(back) = w.get(key) {
                    let sub = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                    same_shape(value, back, &sub)?;
                }
            }
            Ok(())
        }
        (Value::Array(g), Value::Array(w)) => {
            for (i, (value, back)) in g.iter().zip(w).enumerate() {
                same_shape(value, back, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        (Value::Array(_), Value::Object(_)) => {
            Err(format!("at {}: invalid type: an array, expected an object with named fields", at()))
        }
        (Value::Object(_), _) => {
            Err(format!("at {}: invalid type: an object, expected a single value", at()))
        }
        _ => Ok(()),
    }
}

fn describe(path: &serde_path_to_error::Path, inner: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let at = match path.to_string().as_str() {
        "." | "" => "the top level".to_string(),
        p => p.to_string(),
    };
    match inner.classify() {
        Category::Syntax | Category::Eof | Category::Io => format!("not valid JSON: {inner}"),
        Category::Data => format!("at {at}: {inner}"),
    }
}

/// Postcodes in configuration documents take the API's syntax (the [`Postcode`] newtype's one
/// parser: `3011 AB`, also `3011AB` or `3011 ab`) and are kept in the compact form `3011AB` used
/// for comparison; they are written out as the API renders them (`3011 AB`).
///
/// [`Postcode`]: crate::domain::ids::Postcode
pub mod postcode {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::domain::ids::{display_postcode, Postcode};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        let raw = String::deserialize(d)?;
        Postcode::parse(&raw)
            .map(|p| p.compact().to_string())
            .map_err(|e| serde::de::Error::custom(format!("{raw:?} {e}")))
    }

    pub fn serialize<S: Serializer>(compact: &str, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&display_postcode(compact))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize, Serialize)]
    #[serde(deny_unknown_fields)]
    struct Outer {
        #[serde(default)]
        items: Vec<Inner>,
    }

    #[derive(Debug, Deserialize, Serialize)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        #[serde(with = "postcode")]
        from: String,
    }

    #[test]
    fn errors_name_the_path_of_the_offending_value() {
        let e = from_json::<Outer>(r#"{"items": [{"from": "3011 AB"}, {"form": "3011 AB"}]}"#).unwrap_err();
        assert!(e.starts_with("at items[1].form: unknown field `form`"), "{e}");
        let e = from_json::<Outer>(r#"{"item": []}"#).unwrap_err();
        assert!(e.starts_with("at item: unknown field `item`"), "{e}");
        let e = from_json::<Outer>(r#"[]"#).unwrap_err();
        assert!(e.starts_with("at the top level: invalid type: an array"), "{e}");
        let e = from_json::<Outer>(r#"{"items": [{"from": "3011 AB"}, ["3012 AB"]]}"#).unwrap_err();
        assert!(e.starts_with("at items[1]: invalid type: an array"), "{e}");
        let e = from_json::<Outer>(r#"{"items": {"from": "3011 AB"}}"#).unwrap_err();
        assert!(e.starts_with("at items: invalid type: map"), "{e}");
        assert!(from_json::<Outer>(r#"{"items": []"#).unwrap_err().starts_with("not valid JSON"));
        assert!(from_json::<Outer>(r#"{} {}"#).unwrap_err().starts_with("at the end of the document"));
    }

    #[test]
    fn postcodes_take_the_api_syntax_and_its_one_parser() {
        for ok in ["3011 AB", "3011AB", "3011 ab"] {
            let o = from_json::<Outer>(&format!(r#"{{"items": [{{"from": "{ok}"}}]}}"#)).unwrap();
            assert_eq!(o.items[0].from, "3011AB");
        }
        let e = from_json::<Outer>(r#"{"items": [{"from": "0301 AB"}]}"#).unwrap_err();
        assert!(e.starts_with("at items[0].from: \"0301 AB\" must be a Dutch postcode"), "{e}");
    }
}
