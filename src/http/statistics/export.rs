//! CSV files of the statistics and of the Wgv monitoring export (RFC 4180, UTF-8, CRLF, a header
//! row). Every field that is not a number is quoted, so a field with `;`, `,`, `"` or a line
//! break can never split a column, also in spreadsheet programs that split on `;`. Small counts
//! of the meldpunt are suppressed here (docs/statistics.md, "Suppression").

use crate::domain::statistics::{StatTable, StatValue, SMALL_COUNT_LIMIT};
use crate::error::AppError;
use crate::service::statistics::monitoring::{MonitoringRow, Suppression, COLUMNS};

/// The columns of the long layout: one line per table row and measure.
pub const LONG_HEADER: [&str; 8] =
    ["statistic", "period", "dimension_1", "key_1", "dimension_2", "key_2", "measure", "value"];

/// What a suppressed count reads as.
pub const SUPPRESSED: &str = "<5";

fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::NonNumeric)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new())
}

fn finish(w: csv::Writer<Vec<u8>>) -> Result<Vec<u8>, AppError> {
    w.into_inner().map_err(|e| AppError::internal(anyhow::anyhow!("writing CSV: {e}")))
}

fn csv_err(e: csv::Error) -> AppError {
    AppError::internal(anyhow::anyhow!("writing CSV: {e}"))
}

/// A number as the CSV writes it: whole numbers without decimals, others to 4 decimals.
fn number(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        let s = format!("{x:.4}");
        s.trim_end_matches('0').to_string()
    }
}

/// The text of a value; `small` says whether small counts are suppressed, `base_small` whether
/// the row's base count is below the limit (then days and shares are left empty).
fn field(v: &StatValue, small: bool, base_small: bool) -> String {
    match v {
        StatValue::Count(n) if small && (1..SMALL_COUNT_LIMIT).contains(n) => SUPPRESSED.to_string(),
        StatValue::Count(n) | StatValue::Cents(n) => n.to_string(),
        StatValue::Days(_) | StatValue::Share(_) if small && base_small => String::new(),
        StatValue::Days(x) | StatValue::Share(x) => x.map(number).unwrap_or_default(),
    }
}

/// Every table in the long layout ([`LONG_HEADER`]): the period, up to two further dimensions
/// (a third and later ones are joined to the second with `+`), the measure and its value.
pub fn tables_csv(tables: &[StatTable]) -> Result<Vec<u8>, AppError> {
    let mut w = writer();
    w.write_record(LONG_HEADER).map_err(csv_err)?;
    for t in tables {
        for r in &t.rows {
            // The base of a row's shares and medians: its first count.
            let base_small = r
                .values
                .iter()
                .find_map(|v| match v {
                    StatValue::Count(n) => Some(*n < SMALL_COUNT_LIMIT),
                    _ => None,
                })
                .unwrap_or(false);
            let period = r.keys.first().map(String::as_str).unwrap_or("");
            let dims: Vec<(&str, &str)> =
                t.dimensions.iter().zip(&r.keys).skip(1).map(|(d, k)| (*d, k.as_str())).collect();
            let (d1, k1) = dims.first().copied().unwrap_or(("", ""));
            let rest = dims.get(1..).unwrap_or(&[]);
            let d2 = rest.iter().map(|(d, _)| *d).collect::<Vec<_>>().join("+");
            let k2 = rest.iter().map(|(_, k)| *k).collect::<Vec<_>>().join("+");
            for (m, v) in t.measures.iter().zip(&r.values) {
                let value = field(v, t.suppress_small_counts, base_small);
                w.write_record([t.name, period, d1, k1, &d2, &k2, m, &value]).map_err(csv_err)?;
            }
        }
    }
    finish(w)
}

/// The header of the monitoring export.
pub fn monitoring_header() -> Vec<&'static str> {
    let mut h = vec!["municipality_code", "year", "quarter"];
    h.extend(COLUMNS.iter().map(|(name, _)| *name));
    h
}

/// The monitoring export: one line per municipality, the columns of [`monitoring_header`].
pub fn monitoring_csv(year: i32, quarter: u32, rows: &[MonitoringRow]) -> Result<Vec<u8>, AppError> {
    let mut w = writer();
    w.write_record(monitoring_header()).map_err(csv_err)?;
    for r in rows {
        let mut line = vec![r.municipality_code.clone(), year.to_string(), quarter.to_string()];
        for ((_, suppression), v) in COLUMNS.iter().zip(&r.values) {
            let text = match suppression {
                Suppression::None => field(v, false, false),
                Suppression::SmallCount => field(v, true, false),
                Suppression::BaseBelowLimit(base) => {
                    let base_small = COLUMNS
                        .iter()
                        .position(|(n, _)| n == base)
                        .and_then(|i| r.values.get(i))
                        .is_some_and(|b| matches!(b, StatValue::Count(n) if *n < SMALL_COUNT_LIMIT));
                    field(v, true, base_small)
                }
            };
            line.push(text);
        }
        w.write_record(&line).map_err(csv_err)?;
    }
    finish(w)
}

/// One monitoring row as a JSON object (exact numbers).
pub fn monitoring_json(
    year: i32,
    quarter: u32,
    r: &MonitoringRow,
) -> serde_json::Map<String, serde_json::Value> {
    let mut o = serde_json::Map::new();
    o.insert("municipality_code".into(), r.municipality_code.clone().into());
    o.insert("year".into(), year.into());
    o.insert("quarter".into(), quarter.into());
    for ((name, _), v) in COLUMNS.iter().zip(&r.values) {
        let value = match v {
            StatValue::Count(n) | StatValue::Cents(n) => (*n).into(),
            StatValue::Days(d) | StatValue::Share(d) => d.map_or(serde_json::Value::Null, Into::into),
        };
        o.insert((*name).to_string(), value);
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::statistics::StatRow;

    fn table(suppress: bool, n: i64) -> StatTable {
        StatTable {
            name: "handling",
            dimensions: vec!["period", "category"],
            measures: vec!["handled", "median_days", "share_within_term"],
            rows: vec![StatRow {
                keys: vec!["2026-Q1".into(), "a;b,\"c\"".into()],
                values: vec![StatValue::Count(n), StatValue::Days(Some(3.0)), StatValue::Share(Some(0.5))],
            }],
            suppress_small_counts: suppress,
        }
    }

    #[test]
    fn text_fields_are_quoted_and_numbers_are_not() {
        let out = String::from_utf8(tables_csv(&[table(false, 7)]).unwrap()).unwrap();
        let lines: Vec<&str> = out.split("\r\n").collect();
        assert_eq!(lines[0], "\"statistic\",\"period\",\"dimension_1\",\"key_1\",\"dimension_2\",\"key_2\",\"measure\",\"value\"");
        assert_eq!(
            lines[1],
            "\"handling\",\"2026-Q1\",\"category\",\"a;b,\"\"c\"\"\",\"\",\"\",\"handled\",7"
        );
        assert_eq!(
            lines[3],
            "\"handling\",\"2026-Q1\",\"category\",\"a;b,\"\"c\"\"\",\"\",\"\",\"share_within_term\",0.5"
        );
    }

    #[test]
    fn small_counts_are_suppressed_with_their_shares_and_medians_only_where_asked() {
        let out = String::from_utf8(tables_csv(&[table(true, 3)]).unwrap()).unwrap();
        assert!(out.contains("\"handled\",\"<5\""), "{out}");
        assert!(out.contains("\"median_days\",\"\"\r\n"), "{out}");
        let out = String::from_utf8(tables_csv(&[table(true, 5)]).unwrap()).unwrap();
        assert!(out.contains("\"handled\",5\r\n") && out.contains("\"median_days\",3\r\n"), "{out}");
        let out = String::from_utf8(tables_csv(&[table(false, 3)]).unwrap()).unwrap();
        assert!(out.contains("\"handled\",3\r\n"), "{out}");
    }
}
