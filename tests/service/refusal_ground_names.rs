//! Migration 000121 renames the stored refusal grounds: a decision stored with the old codes
//! reads back with the new ones, and the down migration restores the old text.

use diesel::prelude::*;
use huurtoezicht::db::schema::licence_applications;
use huurtoezicht::domain::licensing::RefusalGround;

use crate::common::fresh_db;
use crate::licensing::draft;

const UP: &str = include_str!("../../migrations/sqlite/2026-11-26-000121_refusal_ground_names/up.sql");
const DOWN: &str = include_str!("../../migrations/sqlite/2026-11-26-000121_refusal_ground_names/down.sql");
const UP_PG: &str = include_str!("../../migrations/postgres/2026-11-26-000121_refusal_ground_names/up.sql");

fn stored(conn: &mut huurtoezicht::db::DbConnection, id: &str) -> String {
    licence_applications::table
        .find(id)
        .select(licence_applications::refusal_grounds)
        .first::<Option<String>>(conn)
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn stored_refusal_grounds_are_rewritten_to_the_new_names_and_back() {
    assert_eq!(UP, UP_PG, "both backends rewrite the same way");
    let t = fresh_db();
    let id = draft(&t.db).await.application.id;
    let mut conn = t.db.get().unwrap();
    diesel::update(licence_applications::table.find(&id))
        .set(licence_applications::refusal_grounds.eq(r#"["missing_permit","prior_enforcement8y","beheer"]"#))
        .execute(&mut *conn)
        .unwrap();

    diesel::sql_query(UP).execute(&mut *conn).unwrap();
    let text = stored(&mut conn, &id);
    assert_eq!(text, r#"["missing_building_permit","prior_enforcement_8y","beheer"]"#);
    let grounds: Vec<RefusalGround> = serde_json::from_str(&text).unwrap();
    assert_eq!(
        grounds,
        [RefusalGround::MissingBuildingPermit, RefusalGround::PriorEnforcement8y, RefusalGround::Beheer]
    );

    diesel::sql_query(DOWN).execute(&mut *conn).unwrap();
    assert_eq!(stored(&mut conn, &id), r#"["missing_permit","prior_enforcement8y","beheer"]"#);
}
