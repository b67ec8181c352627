//! The enforcement dashboard: open cases by stage, deadlines within a horizon, overdue items,
//! landlords with recidive, referrals whose feedback is overdue. Lists are capped at 200 items each.

use std::sync::Arc;

use chrono::NaiveDate;

use crate::db::enforcement::{self as q, KeyCounts, SanctionRow};
use crate::domain::enforcement_policy::EnforcementPolicy;
use crate::domain::sanction_procedure::{add_days_sat, sub_years_sat};
use crate::error::AppResult;
use crate::service::Tx;

pub struct DashboardQuery {
    /// Horizon in days (1–366, checked by the caller).
    pub days: u32,
    pub policy: Arc<EnforcementPolicy>,
    /// Weeks without a partner's feedback after which a referral is overdue (the setting).
    pub feedback_weeks: u32,
}

/// A running deadline of a sanction.
pub struct DeadlineEntry {
    pub sanction: SanctionRow,
    pub deadline_kind: String,
    pub due_on: NaiveDate,
}

pub struct Dashboard {
    pub today: NaiveDate,
    pub open_cases_by_stage: KeyCounts,
    pub upcoming: Vec<DeadlineEntry>,
    pub overdue: Vec<DeadlineEntry>,
    /// Landlords with a fine decided within the recidive window, and the latest decision.
    pub landlords_with_recidive: Vec<(String, Option<NaiveDate>)>,
    pub inspections_awaiting_referral: i64,
    /// Open objections against enforcement besluiten, overdue or due within the horizon.
    pub objections: Vec<crate::service::objections::ObjectionDeadline>,
    /// Referrals (of complaints and inspections) whose feedback is overdue: their number and the
    /// oldest 200.
    pub overdue_referrals: (i64, Vec<crate::db::referrals::ReferralRecord>),
}

pub fn dashboard(tx: &mut Tx<'_>, query: DashboardQuery) -> AppResult<Dashboard> {
    let today = tx.today;
    let until = add_days_sat(today, u64::from(query.days));
    let window_start = sub_years_sat(today, query.policy.fines.recidive.window_years);
    let c = &mut *tx.conn;
    let scope = &tx.scope;
    let stages = q::open_cases_by_stage(c, scope)?;
    let upcoming = q::upcoming_deadlines(c, scope, today, until, 200)?;
    let overdue = q::overdue_deadlines(c, scope, today, 200)?;
    let landlords_with_recidive = q::landlords_with_recent_fines(c, scope, window_start, 200)?;
    let referral = crate::db::inspections::inspections_awaiting_referral(c, scope)?;
    let objections = crate::service::objections::dashboard_deadlines(tx, until, false)?;
    let overdue_referrals = crate::service::referrals::overdue_referrals(tx, query.feedback_weeks, 200)?;
    Ok(Dashboard {
        today,
        open_cases_by_stage: stages,
        upcoming: deadline_entries(upcoming, today, false),
        overdue: deadline_entries(overdue, today, true),
        landlords_with_recidive,
        inspections_awaiting_referral: referral,
        objections,
        overdue_referrals,
    })
}

/// The first running deadline on or after `today` (upcoming), or the last one (overdue).
fn deadline_entries(rows: Vec<SanctionRow>, today: NaiveDate, overdue: bool) -> Vec<DeadlineEntry> {
    let mut out = Vec::new();
    for r in rows {
        let pick = if overdue {
            r.last_deadline.map(|d| (d, r.last_deadline_kind.clone()))
        } else {
            match (r.next_deadline, r.last_deadline) {
                (Some(n), _) if n >= today => Some((n, r.next_deadline_kind.clone())),
                (_, Some(l)) => Some((l, r.last_deadline_kind.clone())),
                _ => None,
            }
        };
        if let Some((due_on, kind)) = pick {
            out.push(DeadlineEntry { sanction: r, deadline_kind: kind.unwrap_or_default(), due_on });
        }
    }
    out.sort_by_key(|d| d.due_on);
    out
}
