//! The append-only audit trail. [`record`] is the single function every state change calls,
//! inside the transaction of the change. There is no update or delete function, and database
//! triggers refuse UPDATE and DELETE on `audit_log`.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::Value;

use super::schema::audit_log;
use super::scope::Scope;
use super::DbConnection;
use crate::error::AppResult;

/// Who did it: an account, an API client, the system (jobs), or an anonymous member of the public
/// (never identified further).
#[derive(Debug, Clone)]
pub struct Actor {
    pub kind: ActorKind,
    pub id: Option<String>,
    pub request_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorKind {
    Account,
    Client,
    System,
    Anonymous,
}

impl ActorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::Account => "account",
            ActorKind::Client => "api_client",
            ActorKind::System => "system",
            ActorKind::Anonymous => "anonymous",
        }
    }
}

impl Actor {
    pub fn system() -> Self {
        Actor { kind: ActorKind::System, id: None, request_id: None }
    }
}

/// One state change to record, as a use case describes it (`service::Audit`). The time, the
/// actor and the request id come from the unit of work.
pub struct Change<'a> {
    pub municipality_code: Option<&'a str>,
    pub entity_type: &'a str,
    pub entity_id: &'a str,
    pub action: &'a str,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub reason: Option<&'a str>,
}

impl<'a> Change<'a> {
    /// A change of `entity_type` `entity_id` by `action`, in `municipality`; add states and a
    /// reason with the builder methods.
    pub fn of(
        municipality: Option<&'a str>,
        entity_type: &'a str,
        entity_id: &'a str,
        action: &'a str,
    ) -> Self {
        Change {
            municipality_code: municipality,
            entity_type,
            entity_id,
            action,
            before: None,
            after: None,
            reason: None,
        }
    }

    pub fn before(mut self, v: Value) -> Self {
        self.before = Some(v);
        self
    }

    pub fn after(mut self, v: Value) -> Self {
        self.after = Some(v);
        self
    }

    pub fn reason(mut self, r: &'a str) -> Self {
        self.reason = Some(r);
        self
    }

    pub fn reason_opt(mut self, r: Option<&'a str>) -> Self {
        self.reason = r;
        self
    }
}

#[derive(Insertable)]
#[diesel(table_name = audit_log)]
struct NewAuditRow<'a> {
    occurred_at: NaiveDateTime,
    municipality_code: Option<&'a str>,
    actor_kind: &'a str,
    actor_id: Option<&'a str>,
    entity_type: &'a str,
    entity_id: &'a str,
    action: &'a str,
    before_state: Option<String>,
    after_state: Option<String>,
    reason: Option<&'a str>,
    request_id: Option<&'a str>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub id: i64,
    pub occurred_at: NaiveDateTime,
    pub municipality_code: Option<String>,
    pub actor_kind: String,
    pub actor_id: Option<String>,
    pub entity_type: String,
    pub entity_id: String,
    pub action: String,
    pub before_state: Option<String>,
    pub after_state: Option<String>,
    pub reason: Option<String>,
    pub request_id: Option<String>,
}

impl AuditRow {
    /// A stored state (`before_state`, `after_state`) as JSON; `None` when absent or unreadable.
    pub fn state(text: Option<String>) -> Option<Value> {
        text.and_then(|s| serde_json::from_str(&s).ok())
    }
}

/// Records one state change. Call it inside the transaction of the change (`Db::write`).
pub fn record(
    conn: &mut DbConnection,
    at: NaiveDateTime,
    actor: &Actor,
    change: Change<'_>,
) -> AppResult<()> {
    diesel::insert_into(audit_log::table)
        .values(NewAuditRow {
            occurred_at: at,
            municipality_code: change.municipality_code,
            actor_kind: actor.kind.as_str(),
            actor_id: actor.id.as_deref(),
            entity_type: change.entity_type,
            entity_id: change.entity_id,
            action: change.action,
            before_state: change.before.map(|v| v.to_string()),
            after_state: change.after.map(|v| v.to_string()),
            reason: change.reason,
            request_id: actor.request_id.as_deref(),
        })
        .execute(conn)?;
    Ok(())
}

pub struct AuditFilter {
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    /// Keyset cursor: rows with an id below this.
    pub before_id: Option<i64>,
    pub limit: i64,
}

/// Newest first. Rows of municipalities outside the scope are invisible; rows without a
/// municipality (global actions such as landlord registration) are visible to unrestricted
/// scopes only.
pub fn list(conn: &mut DbConnection, scope: &Scope, f: &AuditFilter) -> AppResult<Vec<AuditRow>> {
    let mut q = audit_log::table.select(AuditRow::as_select()).order(audit_log::id.desc()).into_boxed();
    q = crate::scoped!(q, audit_log::municipality_code.assume_not_null(), scope);
    if let Some(t) = &f.entity_type {
        q = q.filter(audit_log::entity_type.eq(t.clone()));
    }
    if let Some(i) = &f.entity_id {
        q = q.filter(audit_log::entity_id.eq(i.clone()));
    }
    if let Some(b) = f.before_id {
        q = q.filter(audit_log::id.lt(b));
    }
    Ok(q.limit(f.limit).load(conn)?)
}
