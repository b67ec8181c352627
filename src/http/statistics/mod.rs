//! Statistics for officers and managers (issue #15): `GET /v1/statistics/{meldpunt,licensing,
//! enforcement}` as JSON or CSV, and the quarterly Wgv monitoring export
//! `GET /v1/statistics/monitoring`. Aggregates of the caller's municipalities only; the tables
//! and their definitions are in docs/statistics.md.

mod export;

use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::domain::code::Code;
use crate::domain::statistics::{GroupBy, StatPeriod, StatTable, StatValue};
use crate::error::AppError;
use crate::http::auth::{Auth, StatisticsReaders};
use crate::http::problem::CreateProblems;
use crate::http::AppState;
use crate::service;
use crate::service::statistics::monitoring::{self, MonitoringQuery};
use crate::service::statistics::StatQuery;

/// The longest period one request may cover.
pub const MAX_SPAN_YEARS: u32 = 10;

crate::code_schemas!(GroupBy => "How the period is divided in the `period` column: `2026-03`, `2026-Q1` or `2026`.");

pub fn configure(cfg: &mut impl crate::openapi::Routes) {
    cfg.service(meldpunt_statistics)
        .service(licensing_statistics)
        .service(enforcement_statistics)
        .service(monitoring_export);
}

/// The form of the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Json,
    Csv,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct StatisticsQuery {
    /// First day counted (default: 1 January of the current year).
    #[param(value_type = Option<NaiveDate>)]
    pub from: Option<String>,
    /// Last day counted, included (default: today). At most 10 years after `from`.
    #[param(value_type = Option<NaiveDate>)]
    pub to: Option<String>,
    /// `month`, `quarter` (default) or `year`.
    #[param(value_type = Option<GroupBy>)]
    pub group_by: Option<String>,
    /// `json` or `csv`; without it, `Accept: text/csv` asks for CSV.
    #[param(value_type = Option<ExportFormat>)]
    pub format: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct MonitoringParams {
    /// The year (2000–2100).
    #[param(value_type = i32, minimum = 2000, maximum = 2100)]
    pub year: Option<String>,
    /// The quarter, 1–4.
    #[param(value_type = u32, minimum = 1, maximum = 4)]
    pub quarter: Option<String>,
    /// `json` or `csv`; without it, `Accept: text/csv` asks for CSV.
    #[param(value_type = Option<ExportFormat>)]
    pub format: Option<String>,
}

/// One statistic: its columns and a row per combination of dimension values that occurs.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatTableDto {
    /// Stable snake_case name (docs/statistics.md).
    pub name: String,
    /// Dimension columns; the first is always `period`.
    pub dimensions: Vec<String>,
    /// Measure columns: counts and cents are integers; `*_days` and `share_*` numbers or null.
    pub measures: Vec<String>,
    /// One object per row with a property per dimension and measure, sorted by the dimensions.
    #[schema(value_type = Vec<Object>)]
    pub rows: Vec<serde_json::Map<String, serde_json::Value>>,
}

/// Statistics of one subject for a period, in the caller's municipalities.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatisticsResponse {
    /// `meldpunt`, `licensing` or `enforcement`.
    pub statistics: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    #[schema(value_type = GroupBy)]
    pub group_by: GroupBy,
    /// The municipalities counted (CBS codes).
    pub municipalities: Vec<String>,
    pub tables: Vec<StatTableDto>,
}

/// The quarterly Wgv monitoring export as JSON.
#[derive(Debug, Serialize, ToSchema)]
pub struct MonitoringResponse {
    pub year: i32,
    pub quarter: u32,
    /// First day counted.
    pub from: NaiveDate,
    /// Last day counted: the quarter's last day, or today while the quarter runs.
    pub to: NaiveDate,
    /// The columns of every row, in order (docs/statistics.md).
    pub columns: Vec<String>,
    /// One object per municipality in the caller's scope (exact numbers; the CSV suppresses
    /// small meldpunt counts).
    #[schema(value_type = Vec<Object>)]
    pub rows: Vec<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Clone, Copy)]
enum Subject {
    Meldpunt,
    Licensing,
    Enforcement,
}

impl Subject {
    fn code(self) -> &'static str {
        match self {
            Subject::Meldpunt => "meldpunt",
            Subject::Licensing => "licensing",
            Subject::Enforcement => "enforcement",
        }
    }
}

/// Statistics of the meldpunt (complaints): reports per category, area, neighbourhood, channel
/// and status, handling times, exploitation signals, referrals. CSV exports suppress counts of 1
/// to 4.
#[utoipa::path(
    tag = "statistics",
    security(("bearer" = [])),
    params(StatisticsQuery),
    responses(
        (status = 200, description = "The tables, as JSON or as CSV (long layout)",
            content((StatisticsResponse = "application/json"), (String = "text/csv"))),
        CreateProblems
    )
)]
#[get("/v1/statistics/meldpunt")]
pub async fn meldpunt_statistics(
    state: web::Data<AppState>,
    auth: Auth<StatisticsReaders>,
    query: web::Query<StatisticsQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    statistics(Subject::Meldpunt, &state, &auth, query.into_inner(), &req).await
}

/// Statistics of the licensing: applications, decisions and decision time, suspensions and
/// revocations, licences in force.
#[utoipa::path(
    tag = "statistics",
    security(("bearer" = [])),
    params(StatisticsQuery),
    responses(
        (status = 200, description = "The tables, as JSON or as CSV (long layout)",
            content((StatisticsResponse = "application/json"), (String = "text/csv"))),
        CreateProblems
    )
)]
#[get("/v1/statistics/licensing")]
pub async fn licensing_statistics(
    state: web::Data<AppState>,
    auth: Auth<StatisticsReaders>,
    query: web::Query<StatisticsQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    statistics(Subject::Licensing, &state, &auth, query.into_inner(), &req).await
}

/// Statistics of the enforcement: inspections, partners present, referrals, violations,
/// sanctions, fines, penalty-order sums, recidive, takeovers, registration signals.
#[utoipa::path(
    tag = "statistics",
    security(("bearer" = [])),
    params(StatisticsQuery),
    responses(
        (status = 200, description = "The tables, as JSON or as CSV (long layout)",
            content((StatisticsResponse = "application/json"), (String = "text/csv"))),
        CreateProblems
    )
)]
#[get("/v1/statistics/enforcement")]
pub async fn enforcement_statistics(
    state: web::Data<AppState>,
    auth: Auth<StatisticsReaders>,
    query: web::Query<StatisticsQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    statistics(Subject::Enforcement, &state, &auth, query.into_inner(), &req).await
}

/// The quarterly Wgv monitoring export: one row per municipality in the caller's scope, fixed
/// columns (docs/statistics.md). The CSV suppresses meldpunt counts of 1 to 4.
#[utoipa::path(
    tag = "statistics",
    security(("bearer" = [])),
    params(MonitoringParams),
    responses(
        (status = 200, description = "One row per municipality, as JSON or as CSV",
            content((MonitoringResponse = "application/json"), (String = "text/csv"))),
        CreateProblems
    )
)]
#[get("/v1/statistics/monitoring")]
pub async fn monitoring_export(
    state: web::Data<AppState>,
    auth: Auth<StatisticsReaders>,
    query: web::Query<MonitoringParams>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let p = query.into_inner();
    let year = required_number(p.year.as_deref(), "year", 2000, 2100)?;
    let quarter = required_number(p.quarter.as_deref(), "quarter", 1, 4)?;
    let format = format(p.format.as_deref(), &req)?;
    let (year, quarter) = (i32::try_from(year).unwrap_or(2000), u32::try_from(quarter).unwrap_or(1));
    let cmd = MonitoringQuery { year, quarter };
    let m = service::read(&state.db, auth.ctx(&state.clock), move |tx| monitoring::export(tx, cmd)).await?;
    match format {
        ExportFormat::Csv => {
            let body = export::monitoring_csv(year, quarter, &m.rows)?;
            Ok(csv_response(body, &format!("wgv-monitoring-{year}-Q{quarter}.csv")))
        }
        ExportFormat::Json => Ok(HttpResponse::Ok().json(MonitoringResponse {
            year,
            quarter,
            from: m.period.from(),
            to: m.period.to(),
            columns: export::monitoring_header().into_iter().map(str::to_string).collect(),
            rows: m.rows.iter().map(|r| export::monitoring_json(year, quarter, r)).collect(),
        })),
    }
}

async fn statistics(
    subject: Subject,
    state: &AppState,
    auth: &Auth<StatisticsReaders>,
    q: StatisticsQuery,
    req: &HttpRequest,
) -> Result<HttpResponse, AppError> {
    let ctx = auth.ctx(&state.clock);
    let period = period(q.from.as_deref(), q.to.as_deref(), ctx.today)?;
    let group_by = match q.group_by.as_deref() {
        None => GroupBy::Quarter,
        Some(s) => GroupBy::from_code(s)
            .ok_or_else(|| AppError::field("#/query/group_by", "must be month, quarter or year"))?,
    };
    let format = format(q.format.as_deref(), req)?;
    let mut municipalities: Vec<String> = ctx.scope.codes().map(<[String]>::to_vec).unwrap_or_default();
    municipalities.sort();
    let query = StatQuery { period, group_by };
    let tables = service::read(&state.db, ctx, move |tx| match subject {
        Subject::Meldpunt => service::statistics::meldpunt::tables(tx, query),
        Subject::Licensing => service::statistics::licensing::tables(tx, query),
        Subject::Enforcement => service::statistics::enforcement::tables(tx, query),
    })
    .await?;
    match format {
        ExportFormat::Csv => {
            let body = export::tables_csv(&tables)?;
            let name = format!("statistics-{}-{}-{}.csv", subject.code(), period.from(), period.to());
            Ok(csv_response(body, &name))
        }
        ExportFormat::Json => Ok(HttpResponse::Ok().json(StatisticsResponse {
            statistics: subject.code().to_string(),
            from: period.from(),
            to: period.to(),
            group_by,
            municipalities,
            tables: tables.iter().map(table_dto).collect(),
        })),
    }
}

fn csv_response(body: Vec<u8>, filename: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")))
        .body(body)
}

/// `from`/`to` parsed and checked; defaults: 1 January of this year to today.
fn period(from: Option<&str>, to: Option<&str>, today: NaiveDate) -> Result<StatPeriod, AppError> {
    let from = match from {
        None => NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today),
        Some(s) => date(s, "from")?,
    };
    let to = match to {
        None => today,
        Some(s) => date(s, "to")?,
    };
    let period = StatPeriod::new(from, to)
        .ok_or_else(|| AppError::field("#/query/to", "must not lie before `from`"))?;
    let limit = from.checked_add_months(Months::new(MAX_SPAN_YEARS * 12)).unwrap_or(NaiveDate::MAX);
    if to >= limit {
        return Err(AppError::field(
            "#/query/to",
            format!("the period may span at most {MAX_SPAN_YEARS} years"),
        ));
    }
    Ok(period)
}

fn date(s: &str, name: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().filter(|d| (2000..=2100).contains(&d.year())).ok_or_else(
        || AppError::field(format!("#/query/{name}"), "must be a date (YYYY-MM-DD) between 2000 and 2100"),
    )
}

fn required_number(s: Option<&str>, name: &str, min: i64, max: i64) -> Result<i64, AppError> {
    let pointer = format!("#/query/{name}");
    let s = s.ok_or_else(|| AppError::field(pointer.clone(), "is required"))?;
    s.parse::<i64>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| AppError::field(pointer, format!("must be a whole number from {min} to {max}")))
}

/// The `format` parameter, or CSV when the client accepts `text/csv` and did not name a format.
fn format(param: Option<&str>, req: &HttpRequest) -> Result<ExportFormat, AppError> {
    match param {
        Some("json") => Ok(ExportFormat::Json),
        Some("csv") => Ok(ExportFormat::Csv),
        Some(_) => Err(AppError::field("#/query/format", "must be json or csv")),
        None => {
            let accept = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
            let csv = accept.split(',').any(|m| m.split(';').next().is_some_and(|t| t.trim() == "text/csv"));
            Ok(if csv { ExportFormat::Csv } else { ExportFormat::Json })
        }
    }
}

fn table_dto(t: &StatTable) -> StatTableDto {
    let rows = t
        .rows
        .iter()
        .map(|r| {
            let mut o = serde_json::Map::new();
            for (d, k) in t.dimensions.iter().zip(&r.keys) {
                o.insert((*d).to_string(), serde_json::Value::String(k.clone()));
            }
            for (m, v) in t.measures.iter().zip(&r.values) {
                o.insert((*m).to_string(), json_value(v));
            }
            o
        })
        .collect();
    StatTableDto {
        name: t.name.to_string(),
        dimensions: t.dimensions.iter().map(|s| (*s).to_string()).collect(),
        measures: t.measures.iter().map(|s| (*s).to_string()).collect(),
        rows,
    }
}

/// A value as JSON: counts and cents as integers, days and shares as numbers or null.
fn json_value(v: &StatValue) -> serde_json::Value {
    match v {
        StatValue::Count(n) | StatValue::Cents(n) => (*n).into(),
        StatValue::Days(d) | StatValue::Share(d) => d.map_or(serde_json::Value::Null, Into::into),
    }
}
