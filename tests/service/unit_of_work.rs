//! The unit of work: audit rows and mail commit with the change, or not at all.

use huurtoezicht::db::audit::{self, AuditFilter};
use huurtoezicht::error::AppError;
use huurtoezicht::letters::Letter;
use huurtoezicht::service::{self, Audit};

use crate::common::{fresh_db, officer, system, MUNICIPALITY};

fn letter() -> Letter {
    Letter { subject: "Onderwerp / Subject".into(), body: "Tekst / Text".into() }
}

#[tokio::test]
async fn audit_and_mail_commit_with_the_change() {
    let t = fresh_db();
    let mail_id = service::write(&t.db, officer(), |tx| {
        tx.audit(Audit::of(Some(MUNICIPALITY), "thing", "t-1", "create").reason("because"))?;
        tx.mail(Some(MUNICIPALITY), "verhuurder@example.nl", &letter())
    })
    .await
    .unwrap();
    let rows = service::read(&t.db, system(), |tx| {
        let f =
            AuditFilter { entity_type: Some("thing".into()), entity_id: None, before_id: None, limit: 10 };
        audit::list(tx.conn, &tx.scope, &f)
    })
    .await
    .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].action, "create");
    assert_eq!(rows[0].actor_id.as_deref(), Some("officer-1"));
    assert_eq!(rows[0].request_id.as_deref(), Some("req-1"));
    assert_eq!(rows[0].reason.as_deref(), Some("because"));
    let mut conn = t.db.get().unwrap();
    let m = huurtoezicht::db::outbox::find(&mut conn, &mail_id).unwrap().expect("queued");
    assert_eq!(m.recipient, "verhuurder@example.nl");
    assert_eq!(m.subject, "Onderwerp / Subject");
}

#[tokio::test]
async fn a_failing_use_case_leaves_no_audit_row_and_no_mail() {
    let t = fresh_db();
    let res: Result<(), AppError> = service::write(&t.db, officer(), |tx| {
        tx.audit(Audit::of(Some(MUNICIPALITY), "thing", "t-2", "create"))?;
        tx.mail(Some(MUNICIPALITY), "verhuurder@example.nl", &letter())?;
        Err(AppError::conflict("refused after writing"))
    })
    .await;
    assert!(matches!(res, Err(AppError::Conflict { .. })));
    let rows = service::read(&t.db, system(), |tx| {
        let f =
            AuditFilter { entity_type: Some("thing".into()), entity_id: None, before_id: None, limit: 10 };
        audit::list(tx.conn, &tx.scope, &f)
    })
    .await
    .unwrap();
    assert!(rows.is_empty(), "the audit row was rolled back with the change");
    let mut conn = t.db.get().unwrap();
    let pending: i64 = {
        use diesel::prelude::*;
        huurtoezicht::db::schema::outbox::table.count().get_result(&mut *conn).unwrap()
    };
    assert_eq!(pending, 0, "the mail was rolled back with the change");
}
