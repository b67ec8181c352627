//! Money in integer euro cents. Never floating point.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An amount of money in euro cents (non-negative).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Money(i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("an amount of money cannot be negative")]
    Negative,
}

impl Money {
    pub const ZERO: Money = Money(0);

    /// From cents; negative amounts are refused.
    pub fn from_cents(cents: i64) -> Result<Self, MoneyError> {
        if cents < 0 {
            return Err(MoneyError::Negative);
        }
        Ok(Money(cents))
    }

    /// From whole euros (for constants in tables); negative amounts are refused.
    pub fn from_euros(euros: i64) -> Result<Self, MoneyError> {
        Self::from_cents(euros.saturating_mul(100))
    }

    pub const fn cents(self) -> i64 {
        self.0
    }

    pub fn saturating_add(self, other: Money) -> Money {
        Money(self.0.saturating_add(other.0))
    }

    pub fn saturating_mul(self, n: i64) -> Money {
        Money(self.0.saturating_mul(n.max(0)))
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "€{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_amounts_are_refused() {
        assert_eq!(Money::from_cents(-1), Err(MoneyError::Negative));
    }

    #[test]
    fn displays_euros_and_cents() {
        assert_eq!(Money::from_cents(2_575_000).map(|m| m.to_string()), Ok("€25750.00".into()));
        assert_eq!(Money::from_cents(5).map(|m| m.to_string()), Ok("€0.05".into()));
    }
}
