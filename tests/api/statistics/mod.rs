//! Statistics and the Wgv monitoring export: a small data set with answers computed by hand,
//! the CSV read back and compared with the JSON, parameters, roles, scope, and a search of every
//! export for the personal data the data set holds.

mod access;
mod meldpunt;
mod seeded;

use serde_json::Value;

use crate::helpers::*;

/// Runs SQL statements on the test's database (SQLite or PostgreSQL): rows of the tables other
/// routes do not write yet, and states that take many steps through the API.
pub fn exec(app: &TestApp, statements: &[String]) {
    use diesel::{Connection, RunQueryDsl};
    match app.database_url.strip_prefix("sqlite://") {
        Some(path) => {
            let mut c = diesel::SqliteConnection::establish(path).unwrap();
            diesel::sql_query("PRAGMA busy_timeout = 5000").execute(&mut c).unwrap();
            for s in statements {
                diesel::sql_query(s.as_str()).execute(&mut c).unwrap_or_else(|e| panic!("{s}: {e}"));
            }
        }
        None => {
            let mut c = diesel::PgConnection::establish(&app.database_url).unwrap();
            for s in statements {
                diesel::sql_query(s.as_str()).execute(&mut c).unwrap_or_else(|e| panic!("{s}: {e}"));
            }
        }
    }
}

/// GET as JSON, 200 expected.
pub async fn json_of(app: &TestApp, path: &str, token: &str) -> Value {
    let res = app.get(path, Some(token)).await;
    let status = res.status();
    let body = res.text().await.unwrap();
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap()
}

/// GET with `Accept: text/csv`, 200 expected: the records (header first) and the raw text.
pub async fn csv_of(app: &TestApp, path: &str, token: &str) -> (Vec<Vec<String>>, String) {
    let res =
        app.client.get(app.url(path)).bearer_auth(token).header("Accept", "text/csv").send().await.unwrap();
    assert_eq!(res.status(), 200, "{path}");
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    let disposition = res.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(
        disposition.starts_with("attachment; filename=\"") && disposition.ends_with(".csv\""),
        "{disposition}"
    );
    let text = res.text().await.unwrap();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
    let rows = reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    (rows, text)
}

/// The rows of table `name` of a statistics answer, each as the values of its dimensions and
/// measures in order.
pub fn rows(answer: &Value, name: &str) -> Vec<Vec<Value>> {
    let t = answer["tables"].as_array().unwrap().iter().find(|t| t["name"] == name).unwrap_or_else(|| {
        panic!("no table {name} in {answer}");
    });
    let cols: Vec<String> = t["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .chain(t["measures"].as_array().unwrap())
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    t["rows"].as_array().unwrap().iter().map(|r| cols.iter().map(|c| r[c].clone()).collect()).collect()
}
