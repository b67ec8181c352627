//! The landlord's enforcement history: violations, sanctions, recidive status and window end,
//! prior enforcement within the policy's period. Aggregated queries only.

use std::sync::Arc;

use chrono::NaiveDate;

use super::ladder::landlord_prior_fines;
use super::not_found;
use crate::db::enforcement::{self as q, KeyCounts, SanctionBrief};
use crate::db::licensing::Licence;
use crate::domain::enforcement_policy::EnforcementPolicy;
use crate::domain::fines::{determine_recidive, RecidiveFinding};
use crate::domain::general_rules::RuleCode;
use crate::domain::sanction_procedure::{add_years_sat, sub_years_sat};
use crate::error::AppResult;
use crate::service::Tx;

pub struct HistoryQuery {
    pub landlord_id: String,
    pub policy: Arc<EnforcementPolicy>,
}

pub struct History {
    pub landlord_id: String,
    pub licences: Vec<Licence>,
    pub violations_by_status: KeyCounts,
    pub violations_by_rule: KeyCounts,
    pub cases_by_status: KeyCounts,
    pub addresses_with_cases: i64,
    /// Decided fines within the recidive window, newest first (at most 50).
    pub fines: Vec<SanctionBrief>,
    pub fines_in_window: i64,
    /// The 50 most recent sanctions.
    pub recent_sanctions: Vec<SanctionBrief>,
    /// Recidive for a general rule established today.
    pub recidive: RecidiveFinding,
    pub recidive_window_ends_on: Option<NaiveDate>,
    pub prior_years: u32,
    pub prior_since: NaiveDate,
    pub prior_count: i64,
    pub prior_latest_on: Option<NaiveDate>,
    pub today: NaiveDate,
}

pub fn landlord_history(tx: &mut Tx<'_>, query: HistoryQuery) -> AppResult<History> {
    let HistoryQuery { landlord_id: id, policy } = query;
    let today = tx.today;
    let since = sub_years_sat(today, policy.prior_enforcement_years);
    let window_start = sub_years_sat(today, policy.fines.recidive.window_years);
    let c = &mut *tx.conn;
    let scope = &tx.scope;
    if !q::landlord_exists(c, &id)? {
        return Err(not_found("landlord"));
    }
    let (by_status, by_rule) = q::landlord_violation_counts(c, scope, &id)?;
    let cases = q::landlord_case_counts(c, scope, &id)?;
    let addresses = q::landlord_address_count(c, scope, &id)?;
    let fines = q::landlord_recent_fines(c, scope, &id, window_start, 50)?;
    let prior_fines = landlord_prior_fines(c, &id, &policy, today)?;
    let recent = q::landlord_recent_sanctions(c, scope, &id, 50)?;
    let (prior_count, prior_latest_on) = q::prior_enforcement(c, &id, since)?;
    let licences = q::landlord_licences(c, scope, &id)?;
    let finding = determine_recidive(RuleCode::Gr00, today, &prior_fines, &policy.fines.recidive);
    let window_ends_on =
        finding.qualifying_anchor_date.map(|a| add_years_sat(a, policy.fines.recidive.window_years));
    let fines_in_window = i64::try_from(
        prior_fines
            .iter()
            .filter(|f| {
                !f.annulled
                    && (f.decision_date >= window_start || f.final_date.is_some_and(|d| d >= window_start))
            })
            .count(),
    )
    .unwrap_or(i64::MAX);
    Ok(History {
        landlord_id: id,
        licences,
        violations_by_status: by_status,
        violations_by_rule: by_rule,
        cases_by_status: cases,
        addresses_with_cases: addresses,
        fines,
        fines_in_window,
        recent_sanctions: recent,
        recidive: finding,
        recidive_window_ends_on: window_ends_on,
        prior_years: policy.prior_enforcement_years,
        prior_since: since,
        prior_count,
        prior_latest_on,
        today,
    })
}
