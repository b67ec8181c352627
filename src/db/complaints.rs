//! Complaints (meldingen): rows, messages, attachments, referrals, hotspots and the rows due for
//! the retention job. Staff queries take the caller's [`Scope`].

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::count_star;
use diesel::prelude::*;

use super::in_list::{in_codes, in_texts, row_after};
use super::schema::{
    complaint_attachments, complaint_mails, complaint_messages, complaint_referrals, complaints,
};
use super::scope::Scope;
use super::DbConnection;
use crate::domain::attachments::MediaType;
use crate::domain::code::Code;
use crate::domain::complaints::{
    Anonymity, Channel, ComplaintStatus, MessageAuthor, MessageKind, Partner, Priority,
};
use crate::error::AppResult;

crate::text_columns!(
    ComplaintStatus,
    Priority,
    Anonymity,
    Channel,
    MessageAuthor,
    MessageKind,
    Partner,
    MediaType
);

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = complaints, treat_none_as_null = true)]
pub struct Complaint {
    pub id: String,
    pub municipality_code: String,
    pub tracking_hash: String,
    pub category: String,
    pub rule_code: Option<String>,
    pub status: ComplaintStatus,
    pub priority: Priority,
    pub priority_rank: i32,
    pub language: String,
    pub anonymity: Anonymity,
    pub channel: Channel,
    pub client_id: Option<String>,
    pub idempotency_key: Option<String>,
    pub idempotency_fingerprint: Option<String>,
    pub postcode: Option<String>,
    pub house_number: Option<i32>,
    pub house_number_addition: Option<String>,
    pub location_description: Option<String>,
    pub description: Option<String>,
    pub signals: String,
    pub has_signals: bool,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub consent_to_contact: bool,
    pub assigned_officer_id: Option<String>,
    pub property_id: Option<String>,
    pub landlord_id: Option<String>,
    pub licence_id: Option<String>,
    pub enforcement_case_id: Option<String>,
    pub merged_into: Option<String>,
    pub no_referral_reason: Option<String>,
    pub has_referral: bool,
    pub case_building: bool,
    pub enforcement_final_on: Option<NaiveDate>,
    pub awaiting_information: bool,
    pub received_at: NaiveDateTime,
    pub received_on: NaiveDate,
    pub due_on: NaiveDate,
    pub status_changed_at: NaiveDateTime,
    pub outcome_on: Option<NaiveDate>,
    pub personal_data_due_on: Option<NaiveDate>,
    pub personal_data_deleted_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
    /// The partner that sent the signal (channel `partner` only).
    pub partner: Option<Partner>,
    /// The partner's own reference of the signal.
    pub partner_reference: Option<String>,
    /// Raised by one with every save ([`save`]); the complaint's ETag.
    pub version: i32,
}

/// What the officer list shows of a complaint, and its keyset position: no description,
/// location text, signals or contact details, which the list does not return.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = complaints)]
pub struct ComplaintListRow {
    pub id: String,
    pub category: String,
    pub rule_code: Option<String>,
    pub status: ComplaintStatus,
    pub priority: Priority,
    pub priority_rank: i32,
    pub received_at: NaiveDateTime,
    pub due_on: NaiveDate,
    pub postcode: Option<String>,
    pub house_number: Option<i32>,
    pub house_number_addition: Option<String>,
    pub has_signals: bool,
    pub assigned_officer_id: Option<String>,
    pub landlord_id: Option<String>,
    pub property_id: Option<String>,
    pub merged_into: Option<String>,
    pub awaiting_information: bool,
    pub channel: Channel,
    pub partner: Option<Partner>,
    pub partner_reference: Option<String>,
}

impl From<&Complaint> for ComplaintListRow {
    fn from(c: &Complaint) -> Self {
        ComplaintListRow {
            id: c.id.clone(),
            category: c.category.clone(),
            rule_code: c.rule_code.clone(),
            status: c.status,
            priority: c.priority,
            priority_rank: c.priority_rank,
            received_at: c.received_at,
            due_on: c.due_on,
            postcode: c.postcode.clone(),
            house_number: c.house_number,
            house_number_addition: c.house_number_addition.clone(),
            has_signals: c.has_signals,
            assigned_officer_id: c.assigned_officer_id.clone(),
            landlord_id: c.landlord_id.clone(),
            property_id: c.property_id.clone(),
            merged_into: c.merged_into.clone(),
            awaiting_information: c.awaiting_information,
            channel: c.channel,
            partner: c.partner,
            partner_reference: c.partner_reference.clone(),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = complaint_messages)]
pub struct Message {
    pub id: String,
    pub complaint_id: String,
    pub municipality_code: String,
    pub author: MessageAuthor,
    pub kind: MessageKind,
    pub body: Option<String>,
    pub author_account_id: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = complaint_attachments)]
pub struct Attachment {
    pub id: String,
    pub complaint_id: String,
    pub municipality_code: String,
    pub media_type: MediaType,
    pub size_bytes: i64,
    pub sha256: String,
    pub storage_name: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = complaint_referrals)]
pub struct Referral {
    pub id: String,
    pub complaint_id: String,
    pub municipality_code: String,
    pub partner: Partner,
    pub referred_on: NaiveDate,
    pub shared_data: Option<String>,
    pub legal_basis: String,
    pub recorded_by: String,
    pub created_at: NaiveDateTime,
}

/// Inserts a complaint and counts it for the statistics (`db::statistics::meldpunt`, same
/// transaction); a unique violation (tracking hash or idempotency key) is returned as is.
pub fn insert(conn: &mut DbConnection, c: &Complaint) -> QueryResult<()> {
    diesel::insert_into(complaints::table).values(c.clone()).execute(conn)?;
    super::statistics::meldpunt::on_insert(conn, c)
}

/// Writes every mutable field of `c` back, raises its version by one (the stored version, so
/// `c.version` is the new one afterwards), and moves its statistics counts from the stored state
/// to this one (the only way a complaint changes, so neither can be forgotten).
pub fn save(conn: &mut DbConnection, c: &mut Complaint) -> AppResult<()> {
    let before = find_unscoped(conn, &c.id)?;
    if let Some(b) = &before {
        c.version = b.version + 1;
    }
    diesel::update(complaints::table.find(&c.id)).set(c.clone()).execute(conn)?;
    match before {
        Some(b) => Ok(super::statistics::meldpunt::on_save(conn, &b, c)?),
        None => Ok(()),
    }
}

/// Holds `version` of complaint `id` for this transaction: a write that changes nothing but
/// takes the row lock (PostgreSQL) on the condition that the version is still the one read, so
/// that a concurrent change either finished before (`false`: the version moved on) or waits for
/// this transaction. Called before a change made under the caller's `If-Match`.
pub fn hold_version(conn: &mut DbConnection, id: &str, version: i32) -> AppResult<bool> {
    let n = diesel::update(
        complaints::table.filter(complaints::id.eq(id)).filter(complaints::version.eq(version)),
    )
    .set(complaints::version.eq(version))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn find_by_tracking_hash(conn: &mut DbConnection, hash: &str) -> AppResult<Option<Complaint>> {
    Ok(complaints::table
        .filter(complaints::tracking_hash.eq(hash))
        .select(Complaint::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_idempotent(conn: &mut DbConnection, client_id: &str, key: &str) -> AppResult<Option<Complaint>> {
    Ok(complaints::table
        .filter(complaints::client_id.eq(client_id))
        .filter(complaints::idempotency_key.eq(key))
        .select(Complaint::as_select())
        .first(conn)
        .optional()?)
}

/// Internal lookup without scope (public routes resolve a complaint by its hash first).
pub fn find_unscoped(conn: &mut DbConnection, id: &str) -> AppResult<Option<Complaint>> {
    Ok(complaints::table.find(id).select(Complaint::as_select()).first(conn).optional()?)
}

/// A complaint the caller may see; `None` outside the scope (answered 404).
pub fn find(conn: &mut DbConnection, scope: &Scope, id: &str) -> AppResult<Option<Complaint>> {
    let q = complaints::table.filter(complaints::id.eq(id)).select(Complaint::as_select()).into_boxed();
    let q = crate::scoped!(q, complaints::municipality_code, scope);
    Ok(q.first(conn).optional()?)
}

/// Complaints merged into `primary`.
pub fn merged_into(conn: &mut DbConnection, primary: &str) -> AppResult<Vec<Complaint>> {
    Ok(complaints::table
        .filter(complaints::merged_into.eq(primary))
        .select(Complaint::as_select())
        .order(complaints::received_at)
        .load(conn)?)
}

/// The complaints of `municipality` linked to enforcement case `case_id` whose retention facts
/// are their own: not merged into another, personal data not yet deleted. On
/// `complaints_by_enforcement_case`.
pub fn linked_to_case(
    conn: &mut DbConnection,
    municipality: &str,
    case_id: &str,
) -> AppResult<Vec<Complaint>> {
    Ok(complaints::table
        .filter(complaints::municipality_code.eq(municipality))
        .filter(complaints::enforcement_case_id.eq(case_id))
        .filter(complaints::merged_into.is_null())
        .filter(complaints::personal_data_deleted_at.is_null())
        .select(Complaint::as_select())
        .order(complaints::id)
        .load(conn)?)
}

/// Position of the last row of a page: (priority_rank, received_at, id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListCursor {
    pub rank: i32,
    pub received_at: NaiveDateTime,
    pub id: String,
}

#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    pub status: Option<ComplaintStatus>,
    pub category: Option<String>,
    pub postcode: Option<String>,
    /// Received on or after this date.
    pub received_from: Option<NaiveDate>,
    /// Received on or before this date.
    pub received_to: Option<NaiveDate>,
    pub assigned_officer_id: Option<String>,
    pub has_signals: Option<bool>,
    pub landlord_id: Option<String>,
    pub property_id: Option<String>,
    pub priority: Option<Priority>,
    pub channel: Option<Channel>,
    /// Open complaints whose handling term ended before this date.
    pub overdue_before: Option<NaiveDate>,
    pub after: Option<ListCursor>,
    pub limit: i64,
}

pub const OPEN_STATUSES: [ComplaintStatus; 3] =
    [ComplaintStatus::Received, ComplaintStatus::Triaged, ComplaintStatus::Investigating];

/// `q = q.filter(column.op(value))` for each filter value that is given; `None` filters nothing.
macro_rules! filter_given {
    ($q:ident, $($value:expr => $table:ident::$column:ident.$op:ident),+ $(,)?) => {
        $(
            if let Some(v) = $value {
                $q = $q.filter($table::$column.$op(v));
            }
        )+
    };
}

/// Urgent first, then oldest first; keyset pagination on (priority_rank, received_at, id).
pub fn list(conn: &mut DbConnection, scope: &Scope, f: &ListFilter) -> AppResult<Vec<ComplaintListRow>> {
    let mut q = complaints::table
        .select(ComplaintListRow::as_select())
        .order((complaints::priority_rank.asc(), complaints::received_at.asc(), complaints::id.asc()))
        .into_boxed();
    // One municipality (the usual case) as an equality, so PostgreSQL can walk the index in
    // order instead of sorting (`= ANY(array)` on the leading column defeats that before PG 17).
    q = match scope.codes() {
        Some([one]) => q.filter(complaints::municipality_code.eq(one.clone())),
        _ => crate::scoped!(q, complaints::municipality_code, scope),
    };
    filter_given!(q,
        f.status => complaints::status.eq,
        f.category.clone() => complaints::category.eq,
        f.postcode.clone() => complaints::postcode.eq,
        f.received_from => complaints::received_on.ge,
        f.received_to => complaints::received_on.le,
        f.assigned_officer_id.clone() => complaints::assigned_officer_id.eq,
        f.landlord_id.clone() => complaints::landlord_id.eq,
        f.property_id.clone() => complaints::property_id.eq,
        // The rank is the priority (one to one) and a column of the list index: a range there.
        f.priority.map(Priority::rank) => complaints::priority_rank.eq,
    );
    // The bare column, not `= ?`: that term is what the partial index `complaints_with_signals`
    // is defined by (a bound value cannot select a partial index). Without signals is most
    // complaints: the list index with a filter.
    match f.has_signals {
        Some(true) => q = q.filter(complaints::has_signals),
        Some(false) => q = q.filter(diesel::dsl::not(complaints::has_signals)),
        None => {}
    }
    // Partner signals through the partial index `complaints_from_partners` (the bare term that
    // defines it); public and portal reports are most complaints: the list index with a filter.
    match f.channel {
        Some(Channel::Partner) => q = q.filter(complaints::partner.is_not_null()),
        Some(c) => q = q.filter(complaints::channel.eq(c)),
        None => {}
    }
    if let Some(v) = f.overdue_before {
        q = q
            .filter(complaints::due_on.lt(v))
            .filter(in_codes(complaints::status, OPEN_STATUSES.map(Code::code)));
    }
    if let Some(c) = &f.after {
        // A row-value comparison: both SQLite (≥ 3.15) and PostgreSQL turn it into an index
        // range start, so every page costs the same however deep it is.
        q = q.filter(row_after(
            (complaints::priority_rank, complaints::received_at, complaints::id),
            (c.rank, c.received_at, c.id.clone()),
        ));
    }
    Ok(q.limit(f.limit).load(conn)?)
}

pub fn insert_message(conn: &mut DbConnection, m: &Message) -> AppResult<()> {
    diesel::insert_into(complaint_messages::table).values(m.clone()).execute(conn)?;
    Ok(())
}

/// Messages of several complaints (a merged view), oldest first.
pub fn messages_of(conn: &mut DbConnection, ids: &[String]) -> AppResult<Vec<Message>> {
    Ok(complaint_messages::table
        .filter(in_texts(complaint_messages::complaint_id, ids))
        .select(Message::as_select())
        .order((complaint_messages::created_at.asc(), complaint_messages::id.asc()))
        .load(conn)?)
}

pub fn insert_attachment(conn: &mut DbConnection, a: &Attachment) -> AppResult<()> {
    diesel::insert_into(complaint_attachments::table).values(a.clone()).execute(conn)?;
    Ok(())
}

pub fn attachments_of(conn: &mut DbConnection, ids: &[String]) -> AppResult<Vec<Attachment>> {
    Ok(complaint_attachments::table
        .filter(in_texts(complaint_attachments::complaint_id, ids))
        .select(Attachment::as_select())
        .order((complaint_attachments::created_at.asc(), complaint_attachments::id.asc()))
        .load(conn)?)
}

pub fn find_attachment(
    conn: &mut DbConnection,
    complaint_id: &str,
    id: &str,
) -> AppResult<Option<Attachment>> {
    Ok(complaint_attachments::table
        .filter(complaint_attachments::id.eq(id))
        .filter(complaint_attachments::complaint_id.eq(complaint_id))
        .select(Attachment::as_select())
        .first(conn)
        .optional()?)
}

pub fn insert_referral(conn: &mut DbConnection, r: &Referral) -> AppResult<()> {
    diesel::insert_into(complaint_referrals::table).values(r.clone()).execute(conn)?;
    Ok(())
}

pub fn record_mail(conn: &mut DbConnection, complaint_id: &str, outbox_id: &str) -> AppResult<()> {
    diesel::insert_into(complaint_mails::table)
        .values((complaint_mails::complaint_id.eq(complaint_id), complaint_mails::outbox_id.eq(outbox_id)))
        .execute(conn)?;
    Ok(())
}

/// One hotspot: a key (address or landlord) and its number of complaints.
#[derive(Debug, Clone)]
pub struct HotspotRow {
    pub postcode: Option<String>,
    pub house_number: Option<i32>,
    pub addition: Option<String>,
    pub landlord_id: Option<String>,
    pub count: i64,
}

/// (postcode, house number, addition, count).
type AddressCount = (Option<String>, Option<i32>, Option<String>, i64);

/// Complaints per address received in `[from, to]`, duplicates not counted.
pub fn hotspots_by_address(
    conn: &mut DbConnection,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
    min_count: i64,
    limit: i64,
) -> AppResult<Vec<HotspotRow>> {
    let mut q = complaints::table
        .filter(complaints::received_on.ge(from))
        .filter(complaints::received_on.le(to))
        .filter(complaints::status.ne(ComplaintStatus::Merged))
        .filter(complaints::postcode.is_not_null())
        .group_by((complaints::postcode, complaints::house_number, complaints::house_number_addition))
        .select((
            complaints::postcode,
            complaints::house_number,
            complaints::house_number_addition,
            count_star(),
        ))
        .into_boxed();
    q = crate::scoped!(q, complaints::municipality_code, scope);
    let rows: Vec<AddressCount> = q.load(conn)?;
    let mut out: Vec<HotspotRow> = rows
        .into_iter()
        .filter(|r| r.3 >= min_count)
        .map(|(postcode, house_number, addition, count)| HotspotRow {
            postcode,
            house_number,
            addition,
            landlord_id: None,
            count,
        })
        .collect();
    out.sort_by(|a, b| {
        b.count.cmp(&a.count).then_with(|| (&a.postcode, a.house_number).cmp(&(&b.postcode, b.house_number)))
    });
    out.truncate(usize::try_from(limit).unwrap_or(100));
    Ok(out)
}

/// Complaints per linked landlord received in `[from, to]`, duplicates not counted.
pub fn hotspots_by_landlord(
    conn: &mut DbConnection,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
    min_count: i64,
    limit: i64,
) -> AppResult<Vec<HotspotRow>> {
    let mut q = complaints::table
        .filter(complaints::received_on.ge(from))
        .filter(complaints::received_on.le(to))
        .filter(complaints::status.ne(ComplaintStatus::Merged))
        .filter(complaints::landlord_id.is_not_null())
        .group_by(complaints::landlord_id)
        .select((complaints::landlord_id, count_star()))
        .into_boxed();
    q = crate::scoped!(q, complaints::municipality_code, scope);
    let rows: Vec<(Option<String>, i64)> = q.load(conn)?;
    let mut out: Vec<HotspotRow> = rows
        .into_iter()
        .filter(|r| r.1 >= min_count)
        .map(|(landlord_id, count)| HotspotRow {
            postcode: None,
            house_number: None,
            addition: None,
            landlord_id,
            count,
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.landlord_id.cmp(&b.landlord_id)));
    out.truncate(usize::try_from(limit).unwrap_or(100));
    Ok(out)
}

/// Ids of complaints whose personal data are due for deletion on or before `today`.
pub fn due_for_deletion(conn: &mut DbConnection, today: NaiveDate, limit: i64) -> AppResult<Vec<String>> {
    Ok(complaints::table
        .filter(complaints::personal_data_due_on.le(today))
        .filter(complaints::personal_data_deleted_at.is_null())
        .select(complaints::id)
        .order(complaints::personal_data_due_on.asc())
        .limit(limit)
        .load(conn)?)
}

/// Erases free text of messages and referrals (what was shared, the partner's feedback note) of a
/// complaint.
pub fn erase_texts(conn: &mut DbConnection, complaint_id: &str) -> AppResult<()> {
    diesel::update(complaint_messages::table.filter(complaint_messages::complaint_id.eq(complaint_id)))
        .set(complaint_messages::body.eq(None::<String>))
        .execute(conn)?;
    diesel::update(complaint_referrals::table.filter(complaint_referrals::complaint_id.eq(complaint_id)))
        .set((
            complaint_referrals::shared_data.eq(None::<String>),
            complaint_referrals::feedback_note.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Deletes the attachment rows of a complaint; returns their storage names (files to remove).
pub fn delete_attachments(conn: &mut DbConnection, complaint_id: &str) -> AppResult<Vec<String>> {
    let names: Vec<String> = complaint_attachments::table
        .filter(complaint_attachments::complaint_id.eq(complaint_id))
        .select(complaint_attachments::storage_name)
        .load(conn)?;
    diesel::delete(complaint_attachments::table.filter(complaint_attachments::complaint_id.eq(complaint_id)))
        .execute(conn)?;
    Ok(names)
}

/// Mails sent to the reporter of a complaint: their outbox rows are deleted (a pending one is
/// never sent, a failed one cannot be requeued). Returns the outbox ids, which name the `.eml`
/// copies in the mail folder. The links (two ids, no personal data) stay.
pub fn erase_mails(conn: &mut DbConnection, complaint_id: &str) -> AppResult<Vec<String>> {
    let ids: Vec<String> = complaint_mails::table
        .filter(complaint_mails::complaint_id.eq(complaint_id))
        .select(complaint_mails::outbox_id)
        .load(conn)?;
    super::outbox::erase(conn, &ids)?;
    Ok(ids)
}

/// Outbox ids of the mails of complaints erased at or after `since`: the job removes their `.eml`
/// copies again, on every instance (each has its own mail folder) and after a mail that was in
/// flight during the erasure was written anyway.
pub fn mails_erased_since(conn: &mut DbConnection, since: NaiveDateTime) -> AppResult<Vec<String>> {
    let erased =
        complaints::table.filter(complaints::personal_data_deleted_at.ge(since)).select(complaints::id);
    Ok(complaint_mails::table
        .filter(complaint_mails::complaint_id.eq_any(erased))
        .select(complaint_mails::outbox_id)
        .load(conn)?)
}
