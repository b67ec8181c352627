//! The terms of a penalty order (last onder dwangsom, LOD) and what its follow-up inspections
//! forfeit (Awb 5:31d–5:35; rules.md §4.4).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::awb::{DWANGSOM_COLLECTION_LAPSE_YEARS, DWANGSOM_PAYMENT_WEEKS};
use crate::domain::calendar::{
    add_days_sat, add_months_sat, add_weeks_sat, add_years_sat, sub_days_sat, AtwRoll,
};
use crate::domain::general_rules::RuleCode;
use crate::domain::money::Money;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    Day,
    Week,
    Month,
}

/// How the dwangsom is set (5:32b lid 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum SumKind {
    /// Ineens (lump sum).
    Once,
    PerTimeUnit {
        unit: TimeUnit,
    },
    PerViolation,
}

/// What the LOD aims at (5:2 lid 1 b, 5:32a lid 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LodPurpose {
    /// End (undo) an ongoing violation: begunstigingstermijn mandatory (5:32a lid 2).
    EndOngoingViolation,
    /// Prevent further violation: begunstigingstermijn mandatory (5:32a lid 2).
    PreventFurtherViolation,
    /// Prevent repetition of a violation that has ended (5:2 lid 1 b): no term required.
    PreventRepetition,
}

/// When a per-time-unit dwangsom is forfeited within each period.
// NOTE: rules.md §6 open question 9: exact forfeiture moment for per-period dwangsommen is set in
// each LOD text. Default: at the start of each (begun) period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodForfeitMoment {
    #[default]
    StartOfPeriod,
    EndOfPeriod,
}

/// The terms of a penalty order as decided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct PenaltyOrder {
    pub rule: RuleCode,
    /// Herstelmaatregelen (5:32a lid 1). At least one.
    pub remedial_measures: Vec<String>,
    pub purpose: LodPurpose,
    /// Date of bekendmaking (the LOD is in force from then).
    pub issued_on: NaiveDate,
    /// Begunstigingstermijn in days; mandatory for ending/preventing further violation.
    pub begunstigingstermijn_days: Option<u32>,
    pub sum_kind: SumKind,
    pub amount: Money,
    /// Maximum above which nothing more is forfeited (5:32b lid 2). For `Once` it may be
    /// omitted: the lump sum is then its own maximum.
    pub maximum: Option<Money>,
    #[serde(default)]
    pub period_forfeit_moment: PeriodForfeitMoment,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case", tag = "error")]
pub enum LodError {
    #[error("the penalty order must describe the remedial measures (Awb 5:32a lid 1)")]
    MissingRemedialMeasures,
    #[error("a penalty order to end an ongoing or further violation needs a begunstigingstermijn (Awb 5:32a lid 2)")]
    MissingBegunstigingstermijn,
    #[error("a penalty order needs a maximum above which nothing is forfeited (Awb 5:32b lid 2)")]
    MissingMaximum,
    #[error("the maximum may not be below the dwangsom amount")]
    MaximumBelowAmount,
    #[error("the dwangsom amount must be above zero")]
    ZeroAmount,
    #[error("too many forfeiture periods to compute (more than {limit}); check the dates")]
    TooManyPeriods { limit: u32 },
}

/// Upper bound on forfeiture periods of one order: ten years of daily sums. Guards against absurd
/// dates, and keeps the stored state (one record per forfeited sum) a bounded size.
pub(super) const MAX_FORFEITURE_PERIODS: u32 = 3_660;

impl PenaltyOrder {
    /// Validates the order's mandatory content (scenario 53). Returns all problems.
    pub fn validate(&self) -> Result<(), Vec<LodError>> {
        let mut errs = Vec::new();
        if self.remedial_measures.iter().all(|m| m.trim().is_empty()) {
            errs.push(LodError::MissingRemedialMeasures);
        }
        let needs_term =
            matches!(self.purpose, LodPurpose::EndOngoingViolation | LodPurpose::PreventFurtherViolation);
        if needs_term && self.begunstigingstermijn_days.unwrap_or(0) == 0 {
            errs.push(LodError::MissingBegunstigingstermijn);
        }
        if self.amount.cents() <= 0 {
            errs.push(LodError::ZeroAmount);
        }
        match (self.sum_kind, self.maximum) {
            (SumKind::Once, None) => {}
            (_, None) => errs.push(LodError::MissingMaximum),
            (_, Some(max)) if max < self.amount => errs.push(LodError::MaximumBelowAmount),
            _ => {}
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs)
        }
    }

    /// The effective maximum (lump sum = its own maximum).
    pub fn effective_maximum(&self) -> Money {
        self.maximum.unwrap_or(self.amount)
    }

    /// Last day of the begunstigingstermijn, if any (issued + n days; scenario 52: 2025-05-06
    /// + 28 days = 2025-06-03). No Atw roll: the term is set by the authority (module NOTE).
    pub fn compliance_deadline(&self) -> Option<NaiveDate> {
        self.begunstigingstermijn_days.filter(|d| *d > 0).map(|d| add_days_sat(self.issued_on, u64::from(d)))
    }

    /// First day on which a dwangsom can be forfeited.
    pub fn first_forfeiture_day(&self) -> NaiveDate {
        match self.compliance_deadline() {
            Some(end) => add_days_sat(end, 1),
            None => self.issued_on,
        }
    }
}

/// A follow-up inspection's finding about the order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct FollowUpInspection {
    pub inspected_on: NaiveDate,
    pub compliant: bool,
    /// When non-compliance started, if established (else the inspection date is used).
    pub non_compliant_since: Option<NaiveDate>,
    /// For `PerViolation`: the number of separate violations found (min 1 when non-compliant).
    #[serde(default)]
    pub violations_found: u32,
}

/// One forfeited sum, van rechtswege.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct Forfeiture {
    pub forfeited_on: NaiveDate,
    pub amount: Money,
    /// 5:33: forfeited + 6 weeks (Atw roll applies).
    pub payable_by: NaiveDate,
    /// 5:35: forfeited + 1 year.
    pub collection_lapses_on: NaiveDate,
    /// The inspection that established it.
    pub inspection_on: NaiveDate,
}

impl Forfeiture {
    pub fn new(forfeited_on: NaiveDate, amount: Money, inspection_on: NaiveDate, atw: &dyn AtwRoll) -> Self {
        Forfeiture {
            forfeited_on,
            amount,
            payable_by: atw.roll_forward(add_weeks_sat(forfeited_on, DWANGSOM_PAYMENT_WEEKS)),
            collection_lapses_on: add_years_sat(forfeited_on, DWANGSOM_COLLECTION_LAPSE_YEARS),
            inspection_on,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct ForfeitureStatement {
    pub forfeitures: Vec<Forfeiture>,
    pub total: Money,
    pub maximum: Money,
    pub maximum_reached: bool,
}

fn period_after(start: NaiveDate, unit: TimeUnit) -> NaiveDate {
    match unit {
        TimeUnit::Day => add_days_sat(start, 1),
        TimeUnit::Week => add_days_sat(start, 7),
        TimeUnit::Month => add_months_sat(start, 1),
    }
}

/// Computes what was forfeited, from follow-up inspections, up to the maximum (5:32b, 5:33,
/// 5:35). Non-compliance before the first forfeiture day (end of the begunstigingstermijn + 1)
/// never forfeits. For `PerTimeUnit`, non-compliance is counted from `non_compliant_since` to the
/// inspection date (inclusive); overlapping findings are counted once.
pub fn compute_forfeitures(
    order: &PenaltyOrder,
    inspections: &[FollowUpInspection],
    atw: &dyn AtwRoll,
) -> Result<ForfeitureStatement, Vec<LodError>> {
    order.validate()?;
    let maximum = order.effective_maximum();
    let first_day = order.first_forfeiture_day();
    let mut sorted: Vec<&FollowUpInspection> = inspections.iter().collect();
    sorted.sort_by_key(|i| i.inspected_on);

    let mut out: Vec<Forfeiture> = Vec::new();
    let mut total = Money::ZERO;
    // Adds min(amount, remaining); returns false once the maximum is reached.
    let mut forfeit = |on: NaiveDate, amount: Money, insp: NaiveDate, out: &mut Vec<Forfeiture>| -> bool {
        let remaining = maximum.cents().saturating_sub(total.cents()).max(0);
        let take = amount.cents().min(remaining);
        if take > 0 {
            let m = Money::from_cents(take).unwrap_or(Money::ZERO);
            total = total.saturating_add(m);
            out.push(Forfeiture::new(on, m, insp, atw));
        }
        total < maximum
    };

    // State for per-time-unit counting.
    let mut covered_through: Option<NaiveDate> = None;
    let mut next_period_start: Option<NaiveDate> = None;
    let mut periods: u32 = 0;

    'inspections: for insp in sorted {
        if insp.compliant {
            covered_through = None;
            next_period_start = None;
            continue;
        }
        if insp.inspected_on < first_day {
            continue; // still within the begunstigingstermijn
        }
        let since =
            insp.non_compliant_since.unwrap_or(insp.inspected_on).min(insp.inspected_on).max(first_day);
        match order.sum_kind {
            SumKind::Once => {
                forfeit(since, order.amount, insp.inspected_on, &mut out);
                break 'inspections; // a lump sum is forfeited once
            }
            SumKind::PerViolation => {
                let n = i64::from(insp.violations_found.max(1));
                if !forfeit(insp.inspected_on, order.amount.saturating_mul(n), insp.inspected_on, &mut out) {
                    break 'inspections;
                }
            }
            SumKind::PerTimeUnit { unit } => {
                let continuous = covered_through.is_some_and(|c| since <= add_days_sat(c, 1));
                let mut start = match (continuous, next_period_start) {
                    (true, Some(p)) => p,
                    _ => since,
                };
                loop {
                    let next = period_after(start, unit);
                    let (due, on) = match order.period_forfeit_moment {
                        PeriodForfeitMoment::StartOfPeriod => (start <= insp.inspected_on, start),
                        PeriodForfeitMoment::EndOfPeriod => {
                            let end = sub_days_sat(next, 1);
                            (end <= insp.inspected_on, end)
                        }
                    };
                    if !due || next <= start {
                        break;
                    }
                    periods = periods.saturating_add(1);
                    if periods > MAX_FORFEITURE_PERIODS {
                        return Err(vec![LodError::TooManyPeriods { limit: MAX_FORFEITURE_PERIODS }]);
                    }
                    if !forfeit(on, order.amount, insp.inspected_on, &mut out) {
                        break 'inspections;
                    }
                    start = next;
                }
                covered_through = Some(insp.inspected_on);
                next_period_start = Some(start);
            }
        }
    }
    Ok(ForfeitureStatement { forfeitures: out, total, maximum, maximum_reached: total >= maximum })
}
