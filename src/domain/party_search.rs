//! The words a party is found by in the staff search: its name, its trade names and its KvK
//! number, each word normalised (lower case, accents folded, punctuation dropped), so that
//! `Café Ölçü B.V.` is found by `cafe`, `olc` or `bv`. Pure: the database keeps the terms, the
//! search asks for a prefix range of them.

use unicode_normalization::UnicodeNormalization;

/// At most this many terms are kept per party (a long list of trade names is cut, not refused).
pub const MAX_TERMS: usize = 64;

/// At most this many words of a query are used (every one must match).
pub const MAX_QUERY_WORDS: usize = 4;

/// One character folded to lower-case ASCII where a plain letter exists (`é` → `e`, `ß` →
/// `ss`); other letters and digits are kept lower-cased.
fn fold_into(c: char, out: &mut String) {
    match c {
        'ß' => out.push_str("ss"),
        'æ' | 'Æ' => out.push_str("ae"),
        'œ' | 'Œ' => out.push_str("oe"),
        'ø' | 'Ø' => out.push('o'),
        'ł' | 'Ł' => out.push('l'),
        'đ' | 'Đ' => out.push('d'),
        'ı' => out.push('i'),
        _ => {
            for d in c.to_string().nfd() {
                if d.is_alphanumeric() && !('\u{300}'..='\u{36f}').contains(&d) {
                    out.extend(d.to_lowercase());
                }
            }
        }
    }
}

/// The normalised words of a text: split at whitespace and at punctuation other than `.` and
/// `'` (which are dropped inside a word: `B.V.` → `bv`, `d'Hondt` → `dhondt`).
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            fold_into(c, &mut word);
        } else if c == '.' || c == '\'' || c == '’' {
            continue;
        } else if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// The terms a party is found by: the words of its name and trade names, and its KvK number;
/// without duplicates, at most [`MAX_TERMS`].
pub fn party_terms(name: &str, trade_names: &[String], kvk_number: Option<&str>) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    let sources = std::iter::once(name).chain(trade_names.iter().map(String::as_str));
    for w in sources.flat_map(words).chain(kvk_number.map(str::to_string)) {
        if !terms.contains(&w) && terms.len() < MAX_TERMS {
            terms.push(w);
        }
    }
    terms
}

/// The prefixes a query asks for (every one must match a term of the party): its normalised
/// words, at most [`MAX_QUERY_WORDS`], the longest first (the most selective range leads).
pub fn query_prefixes(q: &str) -> Vec<String> {
    let mut w = words(q);
    w.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    w.dedup();
    w.truncate(MAX_QUERY_WORDS);
    w
}

/// The exclusive upper end of the range of terms starting with `prefix`: in byte order (SQLite
/// `BINARY`, PostgreSQL `COLLATE "C"`) every term with the prefix sorts before it.
pub fn prefix_end(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

/// A query that names a property's address: a postcode (`3011 AB`, `3011ab`), optionally
/// followed by a house number. `None` for anything else.
pub fn address_query(q: &str) -> Option<(String, Option<i32>)> {
    let compact: String = q.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    let (pc, rest) = compact.split_at_checked(6)?;
    let postcode = crate::domain::ids::Postcode::parse(pc).ok()?;
    let number = if rest.is_empty() {
        None
    } else if rest.len() <= 5 && rest.bytes().all(|b| b.is_ascii_digit()) {
        Some(rest.parse::<i32>().ok().filter(|n| *n >= 1)?)
    } else {
        return None;
    };
    Some((postcode.compact().to_string(), number))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_case_without_accents_or_punctuation() {
        assert_eq!(words("Café Ölçü B.V."), vec!["cafe", "olcu", "bv"]);
        assert_eq!(words("Jansen-Smit  & Zn"), vec!["jansen", "smit", "zn"]);
        assert_eq!(words("d'Hondt Straße"), vec!["dhondt", "strasse"]);
        assert!(words(" -- ").is_empty());
    }

    #[test]
    fn terms_hold_name_trade_names_and_kvk_once() {
        let t = party_terms("Jansen Verhuur", &["Jansen Wonen".into()], Some("12345678"));
        assert_eq!(t, vec!["jansen", "verhuur", "wonen", "12345678"]);
    }

    #[test]
    fn query_prefixes_put_the_longest_first_and_are_bounded() {
        assert_eq!(query_prefixes("jan VERH"), vec!["verh", "jan"]);
        assert_eq!(query_prefixes("a b c d e f").len(), MAX_QUERY_WORDS);
        assert!(prefix_end("jan").as_str() > "janssen");
        assert!(prefix_end("jan").as_str() < "jao");
    }

    #[test]
    fn an_address_query_is_a_postcode_with_an_optional_house_number() {
        assert_eq!(address_query("3011 ab"), Some(("3011AB".into(), None)));
        assert_eq!(address_query("3011AB 12"), Some(("3011AB".into(), Some(12))));
        assert_eq!(address_query("3011AB 12a"), None);
        assert_eq!(address_query("jansen"), None);
        assert_eq!(address_query("12345678"), None);
    }
}
