//! Two-way referrals, of complaints and of inspections alike: the check of a referral's
//! structured content (one helper for both use cases that record a referral), the partner's
//! feedback, the list of referrals and the ones whose feedback is overdue.

use chrono::NaiveDate;

use crate::db::referrals::{self as store, Content, Feedback, Location, ReferralFilter, ReferralRecord};
use crate::domain::complaints::Partner;
use crate::domain::landlords::PartyRole;
use crate::domain::referrals::{
    self as rules, ContentLists, EnforcementDone, FeedbackOutcome, FollowUp, OtherReport, ReferralSource,
};
use crate::error::{AppError, AppResult, FieldError};
use crate::service::{parties::require_party, Audit, Tx};

/// The structured content of a referral as the officer gives it (every part optional).
#[derive(Debug, Clone, Default)]
pub struct ContentInput {
    /// Employer or staffing agency: a party record of the employer family.
    pub employer_id: Option<String>,
    /// The housing location; the complaint's or inspection's address when absent.
    pub location: Option<Location>,
    /// The property owner: a party record of the landlord family.
    pub owner_id: Option<String>,
    /// At most [`rules::MAX_LABOUR_MIGRANTS`] (checked at the edge).
    pub labour_migrants: Option<u32>,
    pub enforcement_done: Vec<EnforcementDone>,
    pub other_reports: Vec<OtherReport>,
    /// Attachments shared: each must be one of `shareable`.
    pub attachment_ids: Vec<String>,
}

/// Checks a referral's content and completes it: parties known, of their family and not merged
/// (422 naming the field; 409 naming the surviving record), nothing twice, attachments among
/// `shareable`, the location defaulting to `default_location`.
pub(crate) fn check_content(
    tx: &mut Tx<'_>,
    input: ContentInput,
    default_location: Option<Location>,
    shareable: &[String],
) -> AppResult<Content> {
    if let Some(id) = &input.employer_id {
        require_party(tx, id, PartyRole::Employer, "/employer_id")?;
    }
    if let Some(id) = &input.owner_id {
        require_party(tx, id, PartyRole::Landlord, "/owner_id")?;
    }
    let mut errs: Vec<FieldError> = rules::check_lists(&ContentLists {
        enforcement_done: &input.enforcement_done,
        other_reports: &input.other_reports,
        attachment_ids: &input.attachment_ids,
    })
    .into_iter()
    .map(|(pointer, reason)| FieldError::new(pointer, reason))
    .collect();
    for (i, a) in input.attachment_ids.iter().enumerate() {
        if !shareable.contains(a) {
            errs.push(FieldError::new(
                format!("/attachment_ids/{i}"),
                "is not an attachment of this complaint",
            ));
        }
    }
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    Ok(Content {
        employer_id: input.employer_id,
        location: input.location.or(default_location),
        owner_id: input.owner_id,
        labour_migrants: input.labour_migrants.map(|n| i32::try_from(n).unwrap_or(i32::MAX)),
        enforcement_done: input.enforcement_done,
        other_reports: input.other_reports,
        attachment_ids: input.attachment_ids,
    })
}

/// The codes of a referral's content for the audit trail (no free text).
pub(crate) fn audit_content(c: &Content) -> serde_json::Value {
    serde_json::json!({
        "employer_id": c.employer_id,
        "owner_id": c.owner_id,
        "labour_migrants": c.labour_migrants,
        "enforcement_done": c.enforcement_done,
        "other_reports": c.other_reports,
        "attachment_ids": c.attachment_ids,
    })
}

/// One referral in the caller's scope; 404 otherwise.
pub fn get_referral(tx: &mut Tx<'_>, id: &str) -> AppResult<ReferralRecord> {
    store::find(tx.conn, &tx.scope, id)?.ok_or_else(|| AppError::NotFound("no such referral".into()))
}

/// Which referrals to list.
#[derive(Debug, Clone)]
pub struct ListReferrals {
    pub partner: Option<Partner>,
    pub source: Option<ReferralSource>,
    pub awaiting_feedback: bool,
    pub overdue: bool,
    /// Weeks after which feedback is overdue (the setting).
    pub feedback_weeks: u32,
    pub before: Option<(NaiveDate, String)>,
    /// Rows to load (the page size plus one).
    pub limit: i64,
}

/// Referrals of complaints and inspections of the caller's municipalities, newest first
/// (referred_on, id).
pub fn list_referrals(tx: &mut Tx<'_>, q: ListReferrals) -> AppResult<Vec<ReferralRecord>> {
    let filter = ReferralFilter {
        partner: q.partner,
        awaiting_feedback: q.awaiting_feedback,
        referred_before: q.overdue.then(|| rules::overdue_if_referred_before(tx.today, q.feedback_weeks)),
        before: q.before,
        limit: q.limit,
    };
    let mut rows = Vec::new();
    if q.source != Some(ReferralSource::Inspection) {
        rows.extend(store::complaint::list(tx.conn, &tx.scope, &filter)?);
    }
    if q.source != Some(ReferralSource::Complaint) {
        rows.extend(store::inspection::list(tx.conn, &tx.scope, &filter)?);
    }
    rows.sort_by(|a, b| (b.referred_on, &b.id).cmp(&(a.referred_on, &a.id)));
    rows.truncate(usize::try_from(q.limit).unwrap_or(usize::MAX));
    Ok(rows)
}

/// Referrals of both kinds whose feedback is overdue: their number and the oldest `limit`.
pub fn overdue_referrals(tx: &mut Tx<'_>, weeks: u32, limit: i64) -> AppResult<(i64, Vec<ReferralRecord>)> {
    let day = rules::overdue_if_referred_before(tx.today, weeks);
    let (n1, mut rows) = store::complaint::overdue(tx.conn, &tx.scope, day, limit)?;
    let (n2, more) = store::inspection::overdue(tx.conn, &tx.scope, day, limit)?;
    rows.extend(more);
    rows.sort_by(|a, b| (a.referred_on, &a.id).cmp(&(b.referred_on, &b.id)));
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok((n1 + n2, rows))
}

/// The partner's feedback on a referral (officers and managers).
#[derive(Debug, Clone)]
pub struct RecordFeedback {
    pub referral_id: String,
    pub received_on: NaiveDate,
    pub outcome: FeedbackOutcome,
    pub follow_up: FollowUp,
    /// Trimmed; `None` when blank.
    pub note: Option<String>,
}

/// Records the partner's feedback, once: a second feedback is a 409 (feedback is not edited; a
/// later answer of the partner is a new referral or a note elsewhere).
pub fn record_feedback(tx: &mut Tx<'_>, cmd: RecordFeedback) -> AppResult<ReferralRecord> {
    let r = get_referral(tx, &cmd.referral_id)?;
    if r.feedback.is_some() {
        return Err(AppError::Conflict {
            detail: "the partner's feedback on this referral is already recorded".into(),
            allowed_actions: Some(vec![]),
        });
    }
    rules::check_feedback_date(cmd.received_on, r.referred_on, tx.today)
        .map_err(|(pointer, reason)| AppError::field(pointer, reason))?;
    let f = Feedback {
        received_on: cmd.received_on,
        outcome: cmd.outcome,
        follow_up: cmd.follow_up,
        note: cmd.note,
        recorded_by: tx.actor.id.clone(),
        recorded_at: tx.now,
    };
    let stored = match r.source {
        ReferralSource::Complaint => store::complaint::set_feedback(tx.conn, &r.id, &f)?,
        ReferralSource::Inspection => store::inspection::set_feedback(tx.conn, &r.id, &f)?,
    };
    if !stored {
        return Err(AppError::Conflict {
            detail: "the partner's feedback on this referral is already recorded".into(),
            allowed_actions: Some(vec![]),
        });
    }
    let entity = match r.source {
        ReferralSource::Complaint => "complaint",
        ReferralSource::Inspection => "inspection",
    };
    // Codes and dates only: the note stays in the referral record.
    let after = serde_json::json!({"referral_id": r.id, "partner": r.partner, "received_on": f.received_on,
        "outcome": f.outcome, "follow_up": f.follow_up});
    tx.audit(
        Audit::of(Some(&r.municipality_code), entity, &r.source_id, "record_referral_feedback").after(after),
    )?;
    get_referral(tx, &r.id)
}
