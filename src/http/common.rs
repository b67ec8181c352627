//! Request pieces that several features parse the same way: addresses, dates, pages.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::ids::{self, display_postcode, Postcode};
use crate::error::{AppError, FieldError};

/// An address: postcode + house number + addition.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressDto {
    #[schema(
        pattern = r"^\s*[1-9]\s*[0-9]\s*[0-9]\s*[0-9]\s*([A-RT-Za-rt-z]\s*[A-Za-z]|[Ss]\s*[BCE-RT-Zbce-rt-z])\s*$",
        example = "3011 AB"
    )]
    pub postcode: String,
    #[schema(minimum = 1, maximum = 99999, example = 10)]
    pub house_number: i32,
    #[serde(default)]
    #[schema(example = "A")]
    pub house_number_addition: Option<String>,
}

/// A parsed address and its key (`POSTCODE|NUMBER|ADDITION`).
pub(crate) struct ParsedAddress {
    pub postcode: String,
    pub house_number: i32,
    pub addition: Option<String>,
    pub key: String,
}

pub(crate) fn parse_address(
    a: &AddressDto,
    pointer: &str,
    errs: &mut Vec<FieldError>,
) -> Option<ParsedAddress> {
    let postcode = match Postcode::parse(&a.postcode) {
        Ok(p) => Some(p),
        Err(e) => {
            errs.push(FieldError::new(format!("{pointer}/postcode"), e.to_string()));
            None
        }
    };
    if !(1..=99_999).contains(&a.house_number) {
        errs.push(FieldError::new(format!("{pointer}/house_number"), "must be between 1 and 99999"));
    }
    let addition =
        a.house_number_addition.as_deref().map(|s| s.trim().to_uppercase()).filter(|s| !s.is_empty());
    if addition
        .as_ref()
        .is_some_and(|s| s.chars().count() > 10 || !s.chars().all(|c| c.is_alphanumeric() || c == '-'))
    {
        errs.push(FieldError::new(
            format!("{pointer}/house_number_addition"),
            "at most 10 letters, digits or hyphens",
        ));
    }
    let postcode = postcode?;
    if !(1..=99_999).contains(&a.house_number) {
        return None;
    }
    let key = format!("{}|{}|{}", postcode.compact(), a.house_number, addition.clone().unwrap_or_default());
    Some(ParsedAddress {
        postcode: postcode.compact().to_string(),
        house_number: a.house_number,
        addition,
        key,
    })
}

pub(crate) fn address_dto(postcode: &str, house_number: i32, addition: Option<String>) -> AddressDto {
    AddressDto { postcode: display_postcode(postcode), house_number, house_number_addition: addition }
}

pub(crate) fn address_line(a: &AddressDto) -> String {
    ids::address_line(&a.postcode, a.house_number, a.house_number_addition.as_deref())
}

pub(crate) fn parse_date(raw: &str, pointer: &str, errs: &mut Vec<FieldError>) -> Option<NaiveDate> {
    match NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            errs.push(FieldError::new(pointer, "must be a date YYYY-MM-DD"));
            None
        }
    }
}

/// A step that happened must not lie in the future (today = Europe/Amsterdam date).
pub(crate) fn not_in_future(d: NaiveDate, today: NaiveDate, pointer: &str, errs: &mut Vec<FieldError>) {
    if d > today {
        errs.push(FieldError::new(pointer, format!("lies in the future (today is {today})")));
    }
}

/// Checks a page size from the query (`#/query/limit`, 1..=200).
pub(crate) fn page_limit(limit: Option<i64>, default: i64) -> Result<i64, AppError> {
    let limit = limit.unwrap_or(default);
    if !(1..=200).contains(&limit) {
        return Err(AppError::field("#/query/limit", "must be between 1 and 200"));
    }
    Ok(limit)
}

/// Cuts a page fetched with `limit + 1` rows down to `limit` and returns the cursor of the next
/// page (from the last row kept), if there is one.
pub(crate) fn page<R>(rows: &mut Vec<R>, limit: i64, cursor_of: impl Fn(&R) -> String) -> Option<String> {
    let more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    if more {
        rows.last().map(cursor_of)
    } else {
        None
    }
}
