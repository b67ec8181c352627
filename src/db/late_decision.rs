//! Notices of default (ingebrekestelling, Awb 4:17) on licence applications, with the officer's
//! choice that no dwangsom is due (Awb 4:17 lid 6) or the beschikking fixing it (Awb 4:18).
//! One row per application at most (its primary key).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::in_list::in_texts;
use super::schema::late_decision_notices;
use super::DbConnection;
use crate::domain::deadlines::NoPenaltyGround;
use crate::error::AppResult;

crate::text_columns!(NoPenaltyGround);

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = late_decision_notices)]
#[diesel(treat_none_as_null = true)]
pub struct DefaultNotice {
    pub application_id: String,
    pub municipality_code: String,
    /// The day the written notice of default was received.
    pub received_on: NaiveDate,
    /// The decision due date that had lapsed when the notice was recorded.
    pub decision_due_on: NaiveDate,
    /// The application was withdrawn on this day, after the notice: the dwangsom stops.
    pub withdrawn_on: Option<NaiveDate>,
    pub no_penalty_ground: Option<NoPenaltyGround>,
    pub no_penalty_motivation: Option<String>,
    /// The beschikking fixing the dwangsom (Awb 4:18).
    pub penalty_decided_on: Option<NaiveDate>,
    pub penalty_amount_cents: Option<i64>,
    pub penalty_deviation_motivation: Option<String>,
    pub penalty_objection_ends_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn find(conn: &mut DbConnection, application_id: &str) -> AppResult<Option<DefaultNotice>> {
    Ok(late_decision_notices::table
        .find(application_id)
        .select(DefaultNotice::as_select())
        .first(conn)
        .optional()?)
}

/// The notices of a page of applications (one query).
pub fn of_applications(conn: &mut DbConnection, ids: &[String]) -> AppResult<Vec<DefaultNotice>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(late_decision_notices::table
        .filter(in_texts(late_decision_notices::application_id, ids))
        .select(DefaultNotice::as_select())
        .load(conn)?)
}

pub fn insert(conn: &mut DbConnection, n: &DefaultNotice) -> AppResult<()> {
    diesel::insert_into(late_decision_notices::table).values(n.clone()).execute(conn)?;
    Ok(())
}

pub fn update(conn: &mut DbConnection, n: &DefaultNotice) -> AppResult<()> {
    diesel::update(late_decision_notices::table.find(&n.application_id)).set(n.clone()).execute(conn)?;
    Ok(())
}
