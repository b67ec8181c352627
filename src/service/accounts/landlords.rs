//! A landlord registers (no account yet: the new account is the actor).

use crate::db::accounts::{Account, Landlord};
use crate::db::audit::{Actor, ActorKind};
use crate::domain::ids::{Email, KvkNumber};
use crate::domain::landlords::LandlordKind;
use crate::domain::roles::Role;
use crate::error::AppResult;
use crate::letters::accounts::LandlordWelcome;
use crate::service::{Audit, Tx};

pub struct RegisterLandlord {
    pub email: Email,
    /// The password, already checked and hashed.
    pub password_hash: String,
    /// The name of the person or company, trimmed.
    pub name: String,
    pub kind: LandlordKind,
    pub kvk_number: Option<KvkNumber>,
    /// The municipality's name, for the welcome letter.
    pub municipality_name: String,
}

/// Records the landlord and their account, audits the registration (identifiers and the kind,
/// not names or email addresses) and queues the welcome letter.
pub fn register_landlord(tx: &mut Tx, cmd: RegisterLandlord) -> AppResult<(Account, Landlord)> {
    let landlord = Landlord::self_registered(
        uuid::Uuid::new_v4().to_string(),
        cmd.kind,
        cmd.name,
        cmd.kvk_number.map(|k| k.as_str().to_string()),
        cmd.email.as_str().to_string(),
        tx.now,
    );
    let account = Account {
        id: uuid::Uuid::new_v4().to_string(),
        email: cmd.email.as_str().to_string(),
        password_hash: cmd.password_hash,
        role: Role::Landlord,
        display_name: landlord.name.clone(),
        landlord_id: Some(landlord.id.clone()),
        disabled: false,
        created_at: tx.now,
        security_version: 0,
    };
    crate::db::parties::insert_party(tx.conn, &landlord)?;
    super::insert_new_account(tx, &account, &[])?;
    tx.actor = Actor {
        kind: ActorKind::Account,
        id: Some(account.id.clone()),
        request_id: tx.actor.request_id.take(),
    };
    tx.audit(
        Audit::of(None, "landlord", &landlord.id, "register")
            .after(serde_json::json!({"kind": landlord.kind, "account_id": account.id})),
    )?;
    let letter = LandlordWelcome { municipality: &cmd.municipality_name }.letter()?;
    tx.mail(None, &account.email, &letter)?;
    Ok((account, landlord))
}
