//! Objections (bezwaar) and their appeals: one row per objection, the domain's
//! [`Objection`] with the ids, the municipality and who lodged it. Every query over municipal
//! rows takes the caller's [`Scope`]; lists run in due-date order on
//! `(municipality_code, [state | besluit_kind,] decision_due_on, id)`, keyset cursor `due|id`.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::objections;
use super::scope::Scope;
use super::DbConnection;
use crate::domain::objections::{
    AppealOutcome, BesluitKind, LodgedByKind, Objection, ObjectionOutcome, ObjectionState,
};
use crate::error::{AppError, AppResult};

crate::text_columns!(BesluitKind, ObjectionState, ObjectionOutcome, LodgedByKind, AppealOutcome);

/// One stored objection.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = objections)]
#[diesel(treat_none_as_null = true)]
pub struct ObjectionRow {
    pub id: String,
    pub municipality_code: String,
    /// The addressee of the besluit (the landlord whose application, licence or sanction it is).
    pub landlord_id: String,
    pub besluit_kind: BesluitKind,
    pub besluit_id: String,
    pub besluit_notified_on: NaiveDate,
    pub received_on: NaiveDate,
    pub lodged_by_kind: LodgedByKind,
    pub lodged_by_description: String,
    pub grounds_summary: Option<String>,
    pub advisory_committee: bool,
    pub objection_term_ends_on: NaiveDate,
    pub on_time: bool,
    pub excusable: Option<bool>,
    pub state: ObjectionState,
    pub hearing_planned_on: Option<NaiveDate>,
    pub heard_on: Option<NaiveDate>,
    pub initial_due_on: NaiveDate,
    pub decision_due_on: NaiveDate,
    pub postponed_on: Option<NaiveDate>,
    pub postponement_reason: Option<String>,
    pub consent_on: Option<NaiveDate>,
    pub decided_on: Option<NaiveDate>,
    pub decision_notified_on: Option<NaiveDate>,
    pub outcome: Option<ObjectionOutcome>,
    pub withdrawn_on: Option<NaiveDate>,
    pub new_decision_reference: Option<String>,
    pub new_decision_id: Option<String>,
    pub relief_granted_on: Option<NaiveDate>,
    pub relief_court: Option<String>,
    pub relief_suspends: Option<bool>,
    pub appeal_lodged_on: Option<NaiveDate>,
    pub appeal_court: Option<String>,
    pub appeal_on_time: Option<bool>,
    pub appeal_judgment_on: Option<NaiveDate>,
    pub appeal_outcome: Option<AppealOutcome>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Who and what around the domain's objection.
pub struct ObjectionMeta {
    pub id: String,
    pub municipality_code: String,
    pub landlord_id: String,
    pub besluit_id: String,
    pub lodged_by_kind: LodgedByKind,
    pub lodged_by_description: String,
    pub grounds_summary: Option<String>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
}

impl ObjectionRow {
    /// A new row from the domain's objection.
    pub fn new(meta: ObjectionMeta, o: &Objection) -> Self {
        let mut row = ObjectionRow {
            id: meta.id,
            municipality_code: meta.municipality_code,
            landlord_id: meta.landlord_id,
            besluit_kind: o.besluit_kind,
            besluit_id: meta.besluit_id,
            besluit_notified_on: o.besluit_notified_on,
            received_on: o.received_on,
            lodged_by_kind: meta.lodged_by_kind,
            lodged_by_description: meta.lodged_by_description,
            grounds_summary: meta.grounds_summary,
            advisory_committee: o.advisory_committee,
            objection_term_ends_on: o.objection_term_ends_on,
            on_time: o.on_time,
            excusable: None,
            state: o.state,
            hearing_planned_on: None,
            heard_on: None,
            initial_due_on: o.initial_due_on,
            decision_due_on: o.decision_due_on,
            postponed_on: None,
            postponement_reason: None,
            consent_on: None,
            decided_on: None,
            decision_notified_on: None,
            outcome: None,
            withdrawn_on: None,
            new_decision_reference: None,
            new_decision_id: None,
            relief_granted_on: None,
            relief_court: None,
            relief_suspends: None,
            appeal_lodged_on: None,
            appeal_court: None,
            appeal_on_time: None,
            appeal_judgment_on: None,
            appeal_outcome: None,
            created_by: meta.created_by,
            created_at: meta.created_at,
            updated_at: meta.created_at,
        };
        row.set(o);
        row
    }

    /// The domain's view of the stored objection.
    pub fn objection(&self) -> Objection {
        Objection {
            besluit_kind: self.besluit_kind,
            besluit_notified_on: self.besluit_notified_on,
            received_on: self.received_on,
            advisory_committee: self.advisory_committee,
            objection_term_ends_on: self.objection_term_ends_on,
            on_time: self.on_time,
            excusable: self.excusable,
            state: self.state,
            hearing_planned_on: self.hearing_planned_on,
            heard_on: self.heard_on,
            initial_due_on: self.initial_due_on,
            decision_due_on: self.decision_due_on,
            postponed_on: self.postponed_on,
            postponement_reason: self.postponement_reason.clone(),
            consent_on: self.consent_on,
            decided_on: self.decided_on,
            decision_notified_on: self.decision_notified_on,
            outcome: self.outcome,
            withdrawn_on: self.withdrawn_on,
            new_decision_reference: self.new_decision_reference.clone(),
            new_decision_id: self.new_decision_id.clone(),
            relief_granted_on: self.relief_granted_on,
            relief_court: self.relief_court.clone(),
            relief_suspends: self.relief_suspends,
            appeal_lodged_on: self.appeal_lodged_on,
            appeal_court: self.appeal_court.clone(),
            appeal_on_time: self.appeal_on_time,
            appeal_judgment_on: self.appeal_judgment_on,
            appeal_outcome: self.appeal_outcome,
        }
    }

    /// Writes the domain's objection into the row (the ids and who stay).
    pub fn set(&mut self, o: &Objection) {
        self.excusable = o.excusable;
        self.state = o.state;
        self.hearing_planned_on = o.hearing_planned_on;
        self.heard_on = o.heard_on;
        self.decision_due_on = o.decision_due_on;
        self.postponed_on = o.postponed_on;
        self.postponement_reason = o.postponement_reason.clone();
        self.consent_on = o.consent_on;
        self.decided_on = o.decided_on;
        self.decision_notified_on = o.decision_notified_on;
        self.outcome = o.outcome;
        self.withdrawn_on = o.withdrawn_on;
        self.new_decision_reference = o.new_decision_reference.clone();
        self.new_decision_id = o.new_decision_id.clone();
        self.relief_granted_on = o.relief_granted_on;
        self.relief_court = o.relief_court.clone();
        self.relief_suspends = o.relief_suspends;
        self.appeal_lodged_on = o.appeal_lodged_on;
        self.appeal_court = o.appeal_court.clone();
        self.appeal_on_time = o.appeal_on_time;
        self.appeal_judgment_on = o.appeal_judgment_on;
        self.appeal_outcome = o.appeal_outcome;
    }
}

const OPEN: [ObjectionState; 3] =
    [ObjectionState::Received, ObjectionState::HearingPlanned, ObjectionState::Heard];

pub fn insert(c: &mut DbConnection, row: &ObjectionRow) -> AppResult<()> {
    diesel::insert_into(objections::table).values(row).execute(c)?;
    Ok(())
}

pub fn update(c: &mut DbConnection, row: &ObjectionRow) -> AppResult<()> {
    diesel::update(objections::table.filter(objections::id.eq(&row.id))).set(row).execute(c)?;
    Ok(())
}

/// One objection in the caller's scope.
pub fn find(c: &mut DbConnection, scope: &Scope, id: &str) -> AppResult<Option<ObjectionRow>> {
    let q = objections::table.filter(objections::id.eq(id)).select(ObjectionRow::as_select()).into_boxed();
    Ok(crate::scoped!(q, objections::municipality_code, scope).first(c).optional()?)
}

/// Every objection against one besluit (for finality), oldest first.
pub fn for_besluit(
    c: &mut DbConnection,
    kind: BesluitKind,
    besluit_id: &str,
) -> AppResult<Vec<ObjectionRow>> {
    Ok(objections::table
        .filter(objections::besluit_kind.eq(kind))
        .filter(objections::besluit_id.eq(besluit_id))
        .order((objections::created_at.asc(), objections::id.asc()))
        .select(ObjectionRow::as_select())
        .load(c)?)
}

/// The objections against the licence decisions (granted, refused, not considered) of the
/// applications `ids`: one fixed-shape statement on the `objections_besluit` index, for a page.
pub fn against_application_decisions(c: &mut DbConnection, ids: &[String]) -> AppResult<Vec<ObjectionRow>> {
    against(c, [BesluitKind::LicenceDecision, BesluitKind::NotConsidered], ids)
}

/// The objections against the fines (sanctions) `ids`, on the `objections_besluit` index.
pub fn against_fines(c: &mut DbConnection, ids: &[String]) -> AppResult<Vec<ObjectionRow>> {
    against(c, [BesluitKind::Fine], ids)
}

fn against<const N: usize>(
    c: &mut DbConnection,
    kinds: [BesluitKind; N],
    ids: &[String],
) -> AppResult<Vec<ObjectionRow>> {
    use crate::domain::code::Code;
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(objections::table
        .filter(crate::db::in_list::in_codes(objections::besluit_kind, kinds.map(Code::code)))
        .filter(crate::db::in_list::in_texts(objections::besluit_id, ids))
        .select(ObjectionRow::as_select())
        .load(c)?)
}

/// The filters of the list.
#[derive(Debug, Clone, Default)]
pub struct ObjectionFilter {
    pub state: Option<ObjectionState>,
    pub besluit_kind: Option<BesluitKind>,
    /// Open and `decision_due_on < overdue_on` (today).
    pub overdue_on: Option<NaiveDate>,
    /// `decision_due_on < due_before`.
    pub due_before: Option<NaiveDate>,
    /// Only the objections against this landlord's besluiten.
    pub landlord_id: Option<String>,
    /// The cursor `due|id` of the last row of the previous page.
    pub after: Option<String>,
    pub limit: i64,
}

/// Objections in due-date order (soonest first), keyset-paginated.
pub fn list(c: &mut DbConnection, scope: &Scope, f: &ObjectionFilter) -> AppResult<Vec<ObjectionRow>> {
    let q = objections::table.select(ObjectionRow::as_select()).into_boxed();
    let mut q = crate::scoped!(q, objections::municipality_code, scope);
    if let Some(l) = &f.landlord_id {
        q = q.filter(objections::landlord_id.eq(l.clone()));
    }
    if let Some(s) = f.state {
        q = q.filter(objections::state.eq(s));
    }
    if let Some(k) = f.besluit_kind {
        q = q.filter(objections::besluit_kind.eq(k));
    }
    if let Some(today) = f.overdue_on {
        q = q.filter(objections::state.eq_any(OPEN)).filter(objections::decision_due_on.lt(today));
    }
    if let Some(d) = f.due_before {
        q = q.filter(objections::decision_due_on.lt(d));
    }
    if let Some(cursor) = &f.after {
        let bad = || AppError::field("#/query/cursor", "is not a valid cursor");
        let (due, id) = cursor.split_once('|').ok_or_else(bad)?;
        let due = NaiveDate::parse_from_str(due, "%Y-%m-%d").map_err(|_| bad())?;
        q = q.filter(
            objections::decision_due_on
                .gt(due)
                .or(objections::decision_due_on.eq(due).and(objections::id.gt(id.to_string()))),
        );
    }
    Ok(q.order((objections::decision_due_on.asc(), objections::id.asc())).limit(f.limit).load(c)?)
}

/// Open objections of the scope (against besluiten of `kinds`, or of any kind) whose decision is
/// due on or before `to` (overdue included), soonest first; at most `limit`.
pub fn open_due_by(
    c: &mut DbConnection,
    scope: &Scope,
    kinds: Option<&[BesluitKind]>,
    to: NaiveDate,
    limit: i64,
) -> AppResult<Vec<ObjectionRow>> {
    let q = objections::table.select(ObjectionRow::as_select()).into_boxed();
    let mut q = crate::scoped!(q, objections::municipality_code, scope);
    if let Some(kinds) = kinds {
        q = q.filter(objections::besluit_kind.eq_any(kinds.to_vec()));
    }
    Ok(q.filter(objections::state.eq_any(OPEN))
        .filter(objections::decision_due_on.le(to))
        .order((objections::decision_due_on.asc(), objections::id.asc()))
        .limit(limit)
        .load(c)?)
}
