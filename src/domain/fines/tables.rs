//! The dated tables of statutory fine caps (rules.md §4.2): one period each, and the shipped
//! tables for 2023 and 2024–2025. A date without a table is an error, never a default.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::errors::FineError;
use crate::domain::calendar::ymd;
use crate::domain::money::Money;

/// One period of statutory fine caps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct FineTable {
    pub valid_from: NaiveDate,
    /// Inclusive; `None` = open-ended.
    pub valid_until: Option<NaiveDate>,
    pub first_offence_cap: Money,
    pub recidive_cap: Money,
    /// Where the amounts come from (shown to officers and in decisions).
    #[serde(default)]
    pub source: String,
}

impl FineTable {
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.valid_from <= date && self.valid_until.is_none_or(|u| date <= u)
    }

    pub fn cap(&self, recidive: bool) -> Money {
        if recidive {
            self.recidive_cap
        } else {
            self.first_offence_cap
        }
    }
}

/// A list of fine tables a municipality configures (JSON array).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FineTables(pub Vec<FineTable>);

// Period boundaries of the shipped tables (rules.md §4.2), evaluated at compile time.
const TABLE_2023_FROM: NaiveDate = ymd(2023, 7, 1);
const TABLE_2023_UNTIL: NaiveDate = ymd(2023, 12, 31);
const TABLE_2024_FROM: NaiveDate = ymd(2024, 1, 1);
const TABLE_2024_UNTIL: NaiveDate = ymd(2025, 12, 31);

fn euros(e: i64) -> Money {
    Money::from_euros(e).unwrap_or(Money::ZERO)
}

impl FineTables {
    /// Shipped default for the Wgv general rules (art. 2/2a; rules.md §4.2). First offence =
    /// 4th category, recidive = 5th category of art. 23 Sr (mapping `[INFERRED]`).
    // NOTE: from 2026-01-01 the amounts are UNCONFIRMED (new indexation, art. 23 lid 9 Sr), so no
    // table is shipped for 2026+: cap_for returns NoTableForDate until the municipality adds one.
    pub fn default_general_rules() -> FineTables {
        FineTables(vec![
            FineTable {
                valid_from: TABLE_2023_FROM,
                valid_until: Some(TABLE_2023_UNTIL),
                // €22,500 / €90,000: rules.md §4.2 [S31] (RTL/gemeente.nu Feb 2023, equal to the
                // 2023 4th/5th categories of art. 23 Sr) [SECONDARY]+[INFERRED]
                first_offence_cap: euros(22_500),
                recidive_cap: euros(90_000),
                source: "rules.md §4.2 [S31]; art. 23 Sr 4th/5th category 2023".into(),
            },
            FineTable {
                valid_from: TABLE_2024_FROM,
                valid_until: Some(TABLE_2024_UNTIL),
                // €25,750 / €103,000: rules.md §4.2 [S11] mondaq Apr 2024; [S30] [SECONDARY]
                first_offence_cap: euros(25_750),
                recidive_cap: euros(103_000),
                source: "rules.md §4.2 [S11][S30]; art. 23 Sr 4th/5th category 2024".into(),
            },
        ])
    }

    /// Checks the configuration: ordered periods, no overlaps, recidive cap ≥ first cap.
    pub fn validate(&self) -> Result<(), FineError> {
        for t in &self.0 {
            if t.valid_until.is_some_and(|u| u < t.valid_from) {
                return Err(FineError::InvalidTable {
                    valid_from: t.valid_from,
                    reason: "valid_until is before valid_from".into(),
                });
            }
            if t.recidive_cap < t.first_offence_cap {
                return Err(FineError::InvalidTable {
                    valid_from: t.valid_from,
                    reason: "recidive cap is below the first-offence cap".into(),
                });
            }
        }
        for (i, a) in self.0.iter().enumerate() {
            for b in self.0.iter().skip(i.saturating_add(1)) {
                let a_before_b = a.valid_until.is_some_and(|u| u < b.valid_from);
                let b_before_a = b.valid_until.is_some_and(|u| u < a.valid_from);
                if !a_before_b && !b_before_a {
                    return Err(FineError::OverlappingTables { first: a.valid_from, second: b.valid_from });
                }
            }
        }
        Ok(())
    }

    /// The table in force on `date` (the date of the violation: Awb 5:4 lid 2).
    pub fn table_for(&self, date: NaiveDate) -> Result<&FineTable, FineError> {
        let mut hits = self.0.iter().filter(|t| t.covers(date));
        match (hits.next(), hits.next()) {
            (Some(t), None) => Ok(t),
            (Some(a), Some(b)) => {
                Err(FineError::OverlappingTables { first: a.valid_from, second: b.valid_from })
            }
            (None, _) => Err(FineError::NoTableForDate { date }),
        }
    }

    /// The statutory cap for a violation on `violation_date`.
    // NOTE: lex mitior (Awb 5:46 lid 4 / art. 1 lid 2 Sr) could favour a later, lower cap; caps
    // only rise with indexation, so the violation-date cap is used.
    pub fn cap_for(&self, violation_date: NaiveDate, recidive: bool) -> Result<Money, FineError> {
        self.table_for(violation_date).map(|t| t.cap(recidive))
    }
}
