//! Masking of email addresses for logs and administrative lists: enough to recognise a message,
//! not enough to identify a reporter (least data).

/// `jan@example.nl` → `j***@example.nl`; anything without a domain → `***`.
pub fn mask_address(address: &str) -> String {
    match address.trim().rsplit_once('@') {
        Some((local, domain)) if !domain.is_empty() => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        _ => "***".into(),
    }
}

/// `text` (an SMTP error, which relays often fill with the refused address) with every
/// occurrence of `address` masked.
pub fn redact_address(text: &str, address: &str) -> String {
    let address = address.trim();
    if address.is_empty() {
        text.to_string()
    } else {
        text.replace(address, &mask_address(address))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_masked_to_first_letter_and_domain() {
        assert_eq!(mask_address("jan.de.vries@example.nl"), "j***@example.nl");
        assert_eq!(mask_address("@example.nl"), "***@example.nl");
        assert_eq!(mask_address("no-at-sign"), "***");
        assert_eq!(mask_address("x@"), "***");
    }

    #[test]
    fn an_error_text_loses_the_address() {
        assert_eq!(
            redact_address("550 <jan@example.nl> unknown", " jan@example.nl"),
            "550 <j***@example.nl> unknown"
        );
        assert_eq!(redact_address("timeout", ""), "timeout");
    }
}
