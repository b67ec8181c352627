//! Party records kept by the municipality: landlords, intermediaries and employers recorded by
//! officers without an account, and the self-registered landlords. Officers and managers record
//! and edit them (edit: their municipality's records and self-registered ones); a landlord sees
//! its own record and changes only its contact data. Every write renews the search terms in the
//! same transaction (`db::parties`).

use crate::db::accounts::{self, Landlord};
use crate::db::parties::{self as store, PartySearch};
use crate::domain::code::Code;
use crate::domain::ids::{Email, KvkNumber};
use crate::domain::landlords::{LandlordKind, PartyRole, PartyRoleDetail, PartySource};
use crate::error::{AppError, AppResult};
use crate::service::{Audit, Tx};

/// The audit trail's entity type of every party (the table's name, as the self-registration).
const ENTITY: &str = "landlord";

/// Address of establishment (vestigingsadres), parsed.
#[derive(Debug, Clone)]
pub struct Establishment {
    /// Compact postcode (`3011AB`).
    pub postcode: String,
    pub house_number: i32,
    pub addition: Option<String>,
    pub city: Option<String>,
}

/// Contact data of a party; either may be unknown.
#[derive(Debug, Clone, Default)]
pub struct Contact {
    pub email: Option<Email>,
    pub phone: Option<String>,
}

/// Everything an officer records about a new party, parsed.
#[derive(Debug, Clone)]
pub struct PartyFields {
    pub kind: LandlordKind,
    pub role_detail: Option<PartyRoleDetail>,
    pub name: String,
    pub kvk_number: Option<KvkNumber>,
    pub trade_names: Vec<String>,
    pub establishment: Option<Establishment>,
    pub contact: Option<Contact>,
    pub source: PartySource,
    pub notes: Option<String>,
}

pub struct CreateParty {
    pub role: PartyRole,
    /// The municipality recording the party (the one this instance serves).
    pub municipality: String,
    pub fields: PartyFields,
}

/// Who is looking at a party.
#[derive(Debug, Clone)]
pub enum PartyViewer {
    /// Officers and managers: every party, notes and source included.
    Staff,
    /// A landlord account: only the record with this id (`""` when the account has none).
    Landlord(String),
}

/// A party and whether an account is linked to it.
#[derive(Debug, Clone)]
pub struct PartyView {
    pub party: Landlord,
    pub has_account: bool,
}

/// A change to a party: `None` keeps a field; `Some(None)` clears an optional one.
#[derive(Debug, Clone, Default)]
pub struct PartyChanges {
    pub kind: Option<LandlordKind>,
    pub role_detail: Option<PartyRoleDetail>,
    pub name: Option<String>,
    pub kvk_number: Option<Option<KvkNumber>>,
    pub trade_names: Option<Vec<String>>,
    pub establishment: Option<Option<Establishment>>,
    pub contact: Option<Option<Contact>>,
    pub source: Option<PartySource>,
    pub notes: Option<Option<String>>,
}

impl PartyChanges {
    /// The names of the fields this change sets (for the audit trail: names, not values).
    fn field_names(&self) -> Vec<&'static str> {
        let set = [
            ("kind", self.kind.is_some()),
            ("role_detail", self.role_detail.is_some()),
            ("name", self.name.is_some()),
            ("kvk_number", self.kvk_number.is_some()),
            ("trade_names", self.trade_names.is_some()),
            ("establishment", self.establishment.is_some()),
            ("contact", self.contact.is_some()),
            ("source", self.source.is_some()),
            ("notes", self.notes.is_some()),
        ];
        set.into_iter().filter(|(_, s)| *s).map(|(n, _)| n).collect()
    }

    /// Whether the change touches anything but the contact data.
    pub fn beyond_contact(&self) -> Vec<&'static str> {
        self.field_names().into_iter().filter(|n| *n != "contact").collect()
    }
}

pub struct UpdateParty {
    pub role: PartyRole,
    pub id: String,
    pub viewer: PartyViewer,
    /// The municipality this instance serves (for the audit trail).
    pub municipality: String,
    pub changes: PartyChanges,
}

pub struct ListParties {
    pub role: PartyRole,
    pub search: PartySearch,
    pub after: Option<String>,
    pub limit: i64,
}

/// Refuses a party id that a new record may not name as a party of `family`: unknown or of
/// another family (422 naming `pointer`), or merged into another record (409 naming it, in
/// `existing_id`). The one check before a violation, property, application or inspection
/// names a party.
pub fn require_party(tx: &mut Tx<'_>, id: &str, family: PartyRole, pointer: &str) -> AppResult<()> {
    match store::link_target(tx.conn, id)? {
        None => Err(AppError::field(pointer, format!("is not a known {}", family.code()))),
        Some((role, _)) if role != family => Err(AppError::field(
            pointer,
            format!("names a party recorded as {}, not as {}", role.code(), family.code()),
        )),
        Some((_, Some(survivor))) => Err(AppError::ConflictWith {
            detail: format!("the party {id} was merged into {survivor}; name that record instead"),
            existing_id: survivor,
        }),
        Some((_, None)) => Ok(()),
    }
}

fn kvk_taken(tx: &mut Tx<'_>, role: PartyRole, kvk: &str, except: Option<&str>) -> AppResult<()> {
    match store::recorded_with_kvk(tx.conn, role, kvk, except)? {
        Some(existing) => Err(kvk_conflict(role, kvk, existing)),
        None => Ok(()),
    }
}

fn kvk_conflict(role: PartyRole, kvk: &str, existing: String) -> AppError {
    AppError::ConflictWith {
        detail: format!("the {} with KvK number {kvk} is already recorded as {existing}", role.code()),
        existing_id: existing,
    }
}

/// A write refused by the unique KvK index (two officers recording the same entity at once):
/// the same 409 as the check before it, naming the record that won.
fn on_unique(tx: &mut Tx<'_>, e: diesel::result::Error, role: PartyRole, kvk: Option<&str>) -> AppError {
    if crate::db::is_unique_violation(&e) {
        if let Some(k) = kvk {
            if let Ok(Some(existing)) = store::recorded_with_kvk(tx.conn, role, k, None) {
                return kvk_conflict(role, k, existing);
            }
        }
        return AppError::conflict("a party with this KvK number is already recorded");
    }
    AppError::from(e)
}

fn check_detail(role: PartyRole, detail: Option<PartyRoleDetail>) -> AppResult<()> {
    match (role, detail) {
        (PartyRole::Landlord, None) => Ok(()),
        (PartyRole::Landlord, Some(_)) => Err(AppError::field("/role_detail", "is not used for landlords")),
        (_, None) => Err(AppError::field("/role_detail", format!("is required for an {}", role.code()))),
        (_, Some(d)) if d.role() != role => {
            Err(AppError::field("/role_detail", format!("{} is not a kind of {}", d.code(), role.code())))
        }
        _ => Ok(()),
    }
}

fn apply_establishment(l: &mut Landlord, e: Option<Establishment>) {
    l.establishment_postcode = e.as_ref().map(|e| e.postcode.clone());
    l.establishment_house_number = e.as_ref().map(|e| e.house_number);
    l.establishment_house_number_addition = e.as_ref().and_then(|e| e.addition.clone());
    l.establishment_city = e.and_then(|e| e.city);
}

fn apply_contact(l: &mut Landlord, c: Option<Contact>) {
    let c = c.unwrap_or_default();
    l.contact_email = c.email.map(|e| e.as_str().to_string()).unwrap_or_default();
    l.contact_phone = c.phone;
}

/// Records a party without an account, audited (ids and kinds, no names or notes).
pub fn create(tx: &mut Tx<'_>, cmd: CreateParty) -> AppResult<PartyView> {
    if !tx.scope.allows(&cmd.municipality) {
        return Err(AppError::Forbidden(
            "you do not work for the municipality this service records for".into(),
        ));
    }
    let f = cmd.fields;
    check_detail(cmd.role, f.role_detail)?;
    if f.source == PartySource::SelfRegistration {
        return Err(AppError::field("/source", "self_registration is set only by a landlord's registration"));
    }
    if f.kind == LandlordKind::LegalEntity && f.kvk_number.is_none() {
        return Err(AppError::field("/kvk_number", "is required for a legal entity"));
    }
    let kvk = f.kvk_number.map(|k| k.as_str().to_string());
    if let Some(k) = &kvk {
        kvk_taken(tx, cmd.role, k, None)?;
    }
    let mut l = Landlord::self_registered(
        uuid::Uuid::new_v4().to_string(),
        f.kind,
        f.name,
        kvk,
        String::new(),
        tx.now,
    );
    l.role = cmd.role;
    l.role_detail = f.role_detail;
    l.trade_names = serde_json::to_string(&f.trade_names).map_err(AppError::internal)?;
    apply_establishment(&mut l, f.establishment);
    apply_contact(&mut l, f.contact);
    l.source = f.source;
    l.notes = f.notes;
    l.recorded_by = tx.actor.id.clone();
    l.municipality_code = Some(cmd.municipality.clone());
    if let Err(e) = store::insert_party(tx.conn, &l) {
        return Err(on_unique(tx, e, l.role, l.kvk_number.clone().as_deref()));
    }
    tx.audit(Audit::of(Some(&cmd.municipality), ENTITY, &l.id, "record").after(serde_json::json!({
        "role": l.role, "role_detail": l.role_detail, "kind": l.kind, "source": l.source,
    })))?;
    Ok(PartyView { party: l, has_account: false })
}

/// Loads a party of `role` the viewer may see: 404 for an unknown id, another family, or (for a
/// landlord) anyone else's record.
fn load(tx: &mut Tx<'_>, role: PartyRole, id: &str, viewer: &PartyViewer) -> AppResult<Landlord> {
    let not_found = || AppError::NotFound(format!("no {} {id}", role.code()));
    if let PartyViewer::Landlord(own) = viewer {
        if own != id {
            return Err(not_found());
        }
    }
    match accounts::find_landlord(tx.conn, id)? {
        Some(l) if l.role == role => Ok(l),
        _ => Err(not_found()),
    }
}

fn view(tx: &mut Tx<'_>, party: Landlord) -> AppResult<PartyView> {
    let has_account = !store::with_accounts(tx.conn, std::slice::from_ref(&party.id))?.is_empty();
    Ok(PartyView { party, has_account })
}

/// One party (staff: any; a landlord: its own record).
pub fn show(tx: &mut Tx<'_>, role: PartyRole, id: &str, viewer: &PartyViewer) -> AppResult<PartyView> {
    let party = load(tx, role, id, viewer)?;
    view(tx, party)
}

/// Changes a party. Staff: records their municipality made, and self-registered ones; a
/// landlord: only the contact data of its own record. A merged record is not changed (409
/// naming the record it was merged into).
pub fn update(tx: &mut Tx<'_>, cmd: UpdateParty) -> AppResult<PartyView> {
    let mut l = load(tx, cmd.role, &cmd.id, &cmd.viewer)?;
    if let Some(survivor) = l.merged_into.clone() {
        return Err(AppError::ConflictWith {
            detail: format!("this record was merged into {survivor}; change that record instead"),
            existing_id: survivor,
        });
    }
    let c = cmd.changes;
    match &cmd.viewer {
        PartyViewer::Landlord(_) => {
            if let Some(field) = c.beyond_contact().first() {
                return Err(AppError::field(
                    format!("/{field}"),
                    "is kept by the municipality; you may change only contact",
                ));
            }
        }
        PartyViewer::Staff => {
            let editable = l.source == PartySource::SelfRegistration
                || l.municipality_code.as_deref().is_some_and(|m| tx.scope.allows(m));
            if !editable {
                return Err(AppError::Forbidden("this party was recorded by another municipality".into()));
            }
            if c.source == Some(PartySource::SelfRegistration) && l.source != PartySource::SelfRegistration {
                return Err(AppError::field(
                    "/source",
                    "self_registration is set only by a landlord's registration",
                ));
            }
        }
    }
    let fields = c.field_names();
    let old_kvk = l.kvk_number.clone();
    if let Some(k) = c.kind {
        l.kind = k;
    }
    if let Some(d) = c.role_detail {
        l.role_detail = Some(d);
    }
    if let Some(n) = c.name {
        l.name = n;
    }
    if let Some(k) = c.kvk_number {
        l.kvk_number = k.map(|k| k.as_str().to_string());
    }
    if let Some(t) = c.trade_names {
        l.trade_names = serde_json::to_string(&t).map_err(AppError::internal)?;
    }
    if let Some(e) = c.establishment {
        apply_establishment(&mut l, e);
    }
    if let Some(ct) = c.contact {
        apply_contact(&mut l, ct);
    }
    if let Some(s) = c.source {
        l.source = s;
    }
    if let Some(n) = c.notes {
        l.notes = n;
    }
    check_detail(l.role, l.role_detail)?;
    if l.kind == LandlordKind::LegalEntity && l.kvk_number.is_none() {
        return Err(AppError::field("/kvk_number", "is required for a legal entity"));
    }
    if l.source != PartySource::SelfRegistration && l.kvk_number != old_kvk {
        if let Some(k) = l.kvk_number.clone() {
            kvk_taken(tx, l.role, &k, Some(&l.id))?;
        }
    }
    l.updated_at = tx.now;
    if let Err(e) = store::update_party(tx.conn, &l) {
        return Err(on_unique(tx, e, l.role, l.kvk_number.clone().as_deref()));
    }
    tx.audit(
        Audit::of(Some(&cmd.municipality), ENTITY, &l.id, "update")
            .after(serde_json::json!({ "fields": fields })),
    )?;
    view(tx, l)
}

/// A page of the family's unmerged records (by id), all or those matching the search.
pub fn list(tx: &mut Tx<'_>, cmd: ListParties) -> AppResult<Vec<PartyView>> {
    let rows = store::search(tx.conn, &tx.scope, cmd.role, &cmd.search, cmd.after.as_deref(), cmd.limit)?;
    let ids: Vec<String> = rows.iter().map(|l| l.id.clone()).collect();
    let with = store::with_accounts(tx.conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|party| {
            let has_account = with.contains(&party.id);
            PartyView { party, has_account }
        })
        .collect())
}
