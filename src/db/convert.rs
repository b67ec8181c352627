//! Conversions between stored text and Rust values, for the columns that are not typed yet
//! (JSON documents stored as text; dates on their way to typed columns). A bad stored value is
//! an internal error naming the value, never a silent default.

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::AppError;

pub fn date_str(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub fn parse_stored_date(s: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| AppError::internal(anyhow::anyhow!("stored date {s:?} is invalid: {e}")))
}

pub fn json_text<T: Serialize>(v: &T) -> Result<String, AppError> {
    serde_json::to_string(v).map_err(|e| AppError::internal(anyhow::anyhow!("serialising: {e}")))
}

pub fn from_json_text<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, AppError> {
    serde_json::from_str(s).map_err(|e| AppError::internal(anyhow::anyhow!("stored JSON is invalid: {e}")))
}
