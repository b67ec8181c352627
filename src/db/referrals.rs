//! Referrals to partners, of complaints (`complaint_referrals`) and of inspections
//! (`inspection_referrals`): the same content and feedback columns in both tables, read into one
//! [`ReferralRecord`]. Every query takes the caller's [`Scope`].

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::convert::{from_json_text, json_text};
use super::scope::Scope;
use super::DbConnection;
use crate::domain::complaints::Partner;
use crate::domain::referrals::{EnforcementDone, FeedbackOutcome, FollowUp, OtherReport, ReferralSource};
use crate::error::AppResult;

crate::text_columns!(FeedbackOutcome, FollowUp);

/// The housing location of a referral (compact postcode `3011AB`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub postcode: String,
    pub house_number: i32,
    pub addition: Option<String>,
}

/// The structured content of a referral (supervision.md, "A referral to a partner should carry").
#[derive(Debug, Clone, Default)]
pub struct Content {
    /// Employer or staffing agency (a party of the employer family).
    pub employer_id: Option<String>,
    pub location: Option<Location>,
    /// The property owner (a party of the landlord family).
    pub owner_id: Option<String>,
    pub labour_migrants: Option<i32>,
    pub enforcement_done: Vec<EnforcementDone>,
    pub other_reports: Vec<OtherReport>,
    /// Attachments of the complaint shared with the partner.
    pub attachment_ids: Vec<String>,
}

/// The partner's feedback on a referral.
#[derive(Debug, Clone)]
pub struct Feedback {
    pub received_on: NaiveDate,
    pub outcome: FeedbackOutcome,
    pub follow_up: FollowUp,
    pub note: Option<String>,
    pub recorded_by: Option<String>,
    pub recorded_at: NaiveDateTime,
}

/// A referral of either kind, with its content and feedback.
#[derive(Debug, Clone)]
pub struct ReferralRecord {
    pub id: String,
    pub source: ReferralSource,
    /// The complaint's or the inspection's id.
    pub source_id: String,
    pub municipality_code: String,
    pub partner: Partner,
    pub referred_on: NaiveDate,
    /// What was shared; `None` once erased under the complaint retention rules.
    pub shared_data: Option<String>,
    pub legal_basis: String,
    pub recorded_by: String,
    pub created_at: NaiveDateTime,
    pub content: Content,
    pub feedback: Option<Feedback>,
}

/// Which referrals a list shows.
#[derive(Debug, Clone, Default)]
pub struct ReferralFilter {
    pub partner: Option<Partner>,
    /// Only those without feedback.
    pub awaiting_feedback: bool,
    /// Only those without feedback referred before this day (overdue).
    pub referred_before: Option<NaiveDate>,
    /// Keyset cursor: rows before this (referred_on, id) in the order newest first.
    pub before: Option<(NaiveDate, String)>,
    pub limit: i64,
}

/// The content and feedback columns as stored (lists as JSON text).
#[derive(Debug, Clone, Queryable)]
struct Extra {
    employer_id: Option<String>,
    owner_id: Option<String>,
    location_postcode: Option<String>,
    location_house_number: Option<i32>,
    location_addition: Option<String>,
    labour_migrants: Option<i32>,
    enforcement_done: String,
    other_reports: String,
    attachment_ids: String,
    feedback_received_on: Option<NaiveDate>,
    feedback_outcome: Option<FeedbackOutcome>,
    feedback_follow_up: Option<FollowUp>,
    feedback_note: Option<String>,
    feedback_recorded_by: Option<String>,
    feedback_recorded_at: Option<NaiveDateTime>,
}

type BaseTuple = (String, String, String, Partner, NaiveDate, Option<String>, String, String, NaiveDateTime);

fn record(source: ReferralSource, b: BaseTuple, x: Extra) -> AppResult<ReferralRecord> {
    let location = match (x.location_postcode, x.location_house_number) {
        (Some(postcode), Some(house_number)) => {
            Some(Location { postcode, house_number, addition: x.location_addition })
        }
        _ => None,
    };
    let feedback = match (x.feedback_received_on, x.feedback_outcome, x.feedback_follow_up) {
        (Some(received_on), Some(outcome), Some(follow_up)) => Some(Feedback {
            received_on,
            outcome,
            follow_up,
            note: x.feedback_note,
            recorded_by: x.feedback_recorded_by,
            recorded_at: x.feedback_recorded_at.unwrap_or(b.8),
        }),
        _ => None,
    };
    Ok(ReferralRecord {
        id: b.0,
        source,
        source_id: b.1,
        municipality_code: b.2,
        partner: b.3,
        referred_on: b.4,
        shared_data: b.5,
        legal_basis: b.6,
        recorded_by: b.7,
        created_at: b.8,
        content: Content {
            employer_id: x.employer_id,
            owner_id: x.owner_id,
            location,
            labour_migrants: x.labour_migrants,
            enforcement_done: from_json_text(&x.enforcement_done)?,
            other_reports: from_json_text(&x.other_reports)?,
            attachment_ids: from_json_text(&x.attachment_ids)?,
        },
        feedback,
    })
}

/// The same queries for both referral tables.
macro_rules! referral_queries {
    ($module:ident, $table:ident, $parent:ident, $source:expr) => {
        pub mod $module {
            use super::*;
            use crate::db::schema::$table as t;

            type Columns = (
                (
                    t::id,
                    t::$parent,
                    t::municipality_code,
                    t::partner,
                    t::referred_on,
                    diesel::dsl::Nullable<t::shared_data>,
                    t::legal_basis,
                    t::recorded_by,
                    t::created_at,
                ),
                (
                    t::employer_id,
                    t::owner_id,
                    t::location_postcode,
                    t::location_house_number,
                    t::location_addition,
                    t::labour_migrants,
                    t::enforcement_done,
                    t::other_reports,
                    t::attachment_ids,
                    t::feedback_received_on,
                    t::feedback_outcome,
                    t::feedback_follow_up,
                    t::feedback_note,
                    t::feedback_recorded_by,
                    t::feedback_recorded_at,
                ),
            );

            fn columns() -> Columns {
                (
                    (
                        t::id,
                        t::$parent,
                        t::municipality_code,
                        t::partner,
                        t::referred_on,
                        t::shared_data.nullable(),
                        t::legal_basis,
                        t::recorded_by,
                        t::created_at,
                    ),
                    (
                        t::employer_id,
                        t::owner_id,
                        t::location_postcode,
                        t::location_house_number,
                        t::location_addition,
                        t::labour_migrants,
                        t::enforcement_done,
                        t::other_reports,
                        t::attachment_ids,
                        t::feedback_received_on,
                        t::feedback_outcome,
                        t::feedback_follow_up,
                        t::feedback_note,
                        t::feedback_recorded_by,
                        t::feedback_recorded_at,
                    ),
                )
            }

            fn records(rows: Vec<(BaseTuple, Extra)>) -> AppResult<Vec<ReferralRecord>> {
                rows.into_iter().map(|(b, x)| record($source, b, x)).collect()
            }

            /// Writes the content of a referral just inserted.
            pub fn set_content(c: &mut DbConnection, id: &str, content: &Content) -> AppResult<()> {
                let loc = content.location.as_ref();
                diesel::update(t::table.find(id))
                    .set((
                        t::employer_id.eq(&content.employer_id),
                        t::owner_id.eq(&content.owner_id),
                        t::location_postcode.eq(loc.map(|l| l.postcode.clone())),
                        t::location_house_number.eq(loc.map(|l| l.house_number)),
                        t::location_addition.eq(loc.and_then(|l| l.addition.clone())),
                        t::labour_migrants.eq(content.labour_migrants),
                        t::enforcement_done.eq(json_text(&content.enforcement_done)?),
                        t::other_reports.eq(json_text(&content.other_reports)?),
                        t::attachment_ids.eq(json_text(&content.attachment_ids)?),
                    ))
                    .execute(c)?;
                Ok(())
            }

            /// Records the feedback once: `false` when the referral already has feedback.
            pub fn set_feedback(c: &mut DbConnection, id: &str, f: &Feedback) -> AppResult<bool> {
                let n = diesel::update(t::table.find(id).filter(t::feedback_received_on.is_null()))
                    .set((
                        t::feedback_received_on.eq(Some(f.received_on)),
                        t::feedback_outcome.eq(Some(f.outcome)),
                        t::feedback_follow_up.eq(Some(f.follow_up)),
                        t::feedback_note.eq(&f.note),
                        t::feedback_recorded_by.eq(&f.recorded_by),
                        t::feedback_recorded_at.eq(Some(f.recorded_at)),
                    ))
                    .execute(c)?;
                Ok(n == 1)
            }

            pub fn find(c: &mut DbConnection, scope: &Scope, id: &str) -> AppResult<Option<ReferralRecord>> {
                let q = t::table.filter(t::id.eq(id)).select(columns()).into_boxed();
                let q = crate::scoped!(q, t::municipality_code, scope);
                Ok(records(q.load(c)?)?.pop())
            }

            /// The referrals of one complaint or inspection, oldest first.
            pub fn of_source(c: &mut DbConnection, source_id: &str) -> AppResult<Vec<ReferralRecord>> {
                let rows = t::table
                    .filter(t::$parent.eq(source_id))
                    .select(columns())
                    .order((t::referred_on.asc(), t::created_at.asc()))
                    .load(c)?;
                records(rows)
            }

            /// Newest first (referred_on, id), filtered.
            pub fn list(
                c: &mut DbConnection,
                scope: &Scope,
                f: &ReferralFilter,
            ) -> AppResult<Vec<ReferralRecord>> {
                let mut q =
                    t::table.select(columns()).order((t::referred_on.desc(), t::id.desc())).into_boxed();
                q = crate::scoped!(q, t::municipality_code, scope);
                if let Some(p) = f.partner {
                    q = q.filter(t::partner.eq(p));
                }
                if f.awaiting_feedback || f.referred_before.is_some() {
                    q = q.filter(t::feedback_received_on.is_null());
                }
                if let Some(day) = f.referred_before {
                    q = q.filter(t::referred_on.lt(day));
                }
                if let Some((on, id)) = &f.before {
                    q = q.filter(t::referred_on.lt(*on).or(t::referred_on.eq(*on).and(t::id.lt(id.clone()))));
                }
                records(q.limit(f.limit).load(c)?)
            }

            /// Referrals without feedback made before `day`: their number and the oldest `limit`.
            pub fn overdue(
                c: &mut DbConnection,
                scope: &Scope,
                day: NaiveDate,
                limit: i64,
            ) -> AppResult<(i64, Vec<ReferralRecord>)> {
                let q = t::table
                    .filter(t::feedback_received_on.is_null())
                    .filter(t::referred_on.lt(day))
                    .count()
                    .into_boxed();
                let count: i64 = crate::scoped!(q, t::municipality_code, scope).get_result(c)?;
                let q = t::table
                    .filter(t::feedback_received_on.is_null())
                    .filter(t::referred_on.lt(day))
                    .select(columns())
                    .order((t::referred_on.asc(), t::id.asc()))
                    .into_boxed();
                let rows = crate::scoped!(q, t::municipality_code, scope).limit(limit).load(c)?;
                Ok((count, records(rows)?))
            }
        }
    };
}

referral_queries!(complaint, complaint_referrals, complaint_id, ReferralSource::Complaint);
referral_queries!(inspection, inspection_referrals, inspection_id, ReferralSource::Inspection);

/// One referral of either kind in the caller's scope.
pub fn find(c: &mut DbConnection, scope: &Scope, id: &str) -> AppResult<Option<ReferralRecord>> {
    match complaint::find(c, scope, id)? {
        Some(r) => Ok(Some(r)),
        None => inspection::find(c, scope, id),
    }
}
