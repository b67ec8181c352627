//! Request pieces that several features parse the same way: addresses, dates, pages.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::domain::ids::{self, display_postcode, Postcode};
use crate::error::{AppError, FieldError};

/// An address: postcode + house number + addition. The one address shape of the API, in
/// requests and responses alike; responses write the postcode as `3011 AB`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressDto {
    #[schema(
        pattern = r"^\s*[1-9]\s*[0-9]\s*[0-9]\s*[0-9]\s*([A-RT-Za-rt-z]\s*[A-Za-z]|[Ss]\s*[BCE-RT-Zbce-rt-z])\s*$",
        example = "3011 AB"
    )]
    pub postcode: String,
    #[validate(range(min = 1, max = 99999))]
    #[schema(minimum = 1, maximum = 99999, example = 10)]
    pub house_number: i32,
    /// Letter or addition (huisletter/toevoeging), e.g. `A` or `2hg`.
    #[serde(default)]
    #[validate(length(max = 10))]
    #[schema(max_length = 10, example = "A")]
    pub addition: Option<String>,
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
    let addition = a.addition.as_deref().map(|s| s.trim().to_uppercase()).filter(|s| !s.is_empty());
    if addition
        .as_ref()
        .is_some_and(|s| s.chars().count() > 10 || !s.chars().all(|c| c.is_alphanumeric() || c == '-'))
    {
        errs.push(FieldError::new(format!("{pointer}/addition"), "at most 10 letters, digits or hyphens"));
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

/// A house number given in a query string: 1–99999 (as in [`AddressDto`]), else a 422 naming
/// `#/query/house_number`.
pub(crate) fn query_house_number(n: u32) -> Result<i32, AppError> {
    match n {
        1..=99_999 => i32::try_from(n).map_err(|_| house_number_out_of_range()),
        _ => Err(house_number_out_of_range()),
    }
}

fn house_number_out_of_range() -> AppError {
    AppError::field("#/query/house_number", "must be between 1 and 99999")
}

pub(crate) fn address_dto(postcode: &str, house_number: i32, addition: Option<String>) -> AddressDto {
    AddressDto {
        postcode: display_postcode(postcode),
        house_number,
        addition: addition.filter(|a| !a.is_empty()),
    }
}

/// The address of a record whose address is optional (a complaint may give only a location).
pub(crate) fn optional_address(
    postcode: Option<&str>,
    house_number: Option<i32>,
    addition: Option<String>,
) -> Option<AddressDto> {
    Some(address_dto(postcode?, house_number?, addition))
}

pub(crate) fn address_line(a: &AddressDto) -> String {
    ids::address_line(&a.postcode, a.house_number, a.addition.as_deref())
}

/// The unit the API names areas in; areas are kept internally as whole dm².
pub(crate) const SQUARE_METRES: &str = "square_metres";
/// The internal unit of areas (exact integers), never shown by the API.
pub(crate) const SQUARE_DECIMETRES: &str = "square_decimetres";

/// A norm's figure as the API shows it: an area in m² (a decimal number, unit `square_metres`);
/// persons and counts as whole numbers in their own unit.
pub(crate) fn shown_figure(value: u64, unit: &str) -> (serde_json::Number, String) {
    if unit == SQUARE_DECIMETRES {
        let m2 = value as f64 / 100.0;
        (
            serde_json::Number::from_f64(m2).unwrap_or_else(|| serde_json::Number::from(0)),
            SQUARE_METRES.into(),
        )
    } else {
        (serde_json::Number::from(value), unit.to_string())
    }
}

/// An area in m² as sent (at most `max_m2`, two decimals) to whole dm², or `None` with an error.
pub(crate) fn area_dm2(m2: f64, pointer: &str, max_m2: f64, errs: &mut Vec<FieldError>) -> Option<u32> {
    if !m2.is_finite() || m2 < 0.0 || m2 > max_m2 {
        errs.push(FieldError::new(pointer, format!("must be a number of m² from 0 to {max_m2}")));
        return None;
    }
    u32::try_from((m2 * 100.0).round() as i64).ok()
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
