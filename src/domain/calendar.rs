//! Algemene termijnenwet (Atw, BWBR0002448): which days are not working days, and how a
//! statutory term that ends on one of them is extended.
//!
//! Pure: no I/O. Legal day counting uses the Europe/Amsterdam calendar date; callers convert
//! timestamps to a `NaiveDate` in that zone before calling in here.
//!
//! Sources: Atw art. 1–4 `[LAW-READ]` [S24] (rules.md §2.7).
//!
//! Also the domain's date arithmetic: `const` date literals ([`ymd`]), adding and subtracting
//! days, weeks, months and years (saturating at `NaiveDate::MAX`/`MIN` instead of panicking), and
//! the [`AtwRoll`] trait through which the statutory terms in `awb` apply the Atw roll-forward.

use chrono::{Datelike, Days, Duration, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// Atw art. 4 sub a: the Atw does not apply to terms of more than 90 days. `[LAW-READ]` [S24]
const ATW_MAX_DAYS: u32 = 90;
/// Atw art. 4 sub a: … nor to terms of more than twelve weeks. `[LAW-READ]` [S24]
const ATW_MAX_WEEKS: u32 = 12;
/// Atw art. 4 sub a: … nor to terms of more than three months. `[LAW-READ]` [S24]
const ATW_MAX_MONTHS: u32 = 3;
/// Atw art. 2: a term of at least three days …  `[LAW-READ]` [S24]
const ATW_ART2_MIN_TERM_DAYS: i64 = 3;
/// Atw art. 2: … must contain at least two days that are not Saturday, Sunday or holiday.
/// `[LAW-READ]` [S24]
const ATW_ART2_MIN_WORKING_DAYS: u32 = 2;

/// Koningsdag is 27 April since 2014 (Wet van 2013 on the King's birthday; the day is
/// celebrated on 26 April when 27 April is a Sunday). Before that Koninginnedag was 30 April
/// (29 April when 30 April was a Sunday). Atw art. 3 lid 1 names "de dag waarop de verjaardag
/// van de Koning wordt gevierd". `[LAW-READ]` [S24] + `[INFERRED]` for the date mapping.
const FIRST_KINGSDAY_YEAR: i32 = 2014;

/// A day that counts as an "algemeen erkende feestdag" for the Atw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Holiday {
    /// Nieuwjaarsdag, 1 January (Atw art. 3 lid 1).
    NewYearsDay,
    /// Goede Vrijdag (Atw art. 3 lid 2: gelijkgesteld).
    GoodFriday,
    /// Tweede Paasdag (Atw art. 3 lid 1).
    EasterMonday,
    /// Koningsdag (Atw art. 3 lid 1: the day the King's birthday is celebrated).
    KingsDay,
    /// 5 mei (Atw art. 3 lid 1 names "de vijfde mei" without a year condition, so every year;
    /// consistent with rules.md §2.7 and scenarios.md conventions for 2025).
    LiberationDay,
    /// Hemelvaartsdag (Atw art. 3 lid 1).
    AscensionDay,
    /// Tweede Pinksterdag (Atw art. 3 lid 1).
    WhitMonday,
    /// Eerste Kerstdag (Atw art. 3 lid 1).
    ChristmasDay,
    /// Tweede Kerstdag (Atw art. 3 lid 1).
    SecondChristmasDay,
    /// A day equated by Royal Decree (Atw art. 3 lid 3, published in the Staatscourant),
    /// configured in [`HolidayCalendar::extra`].
    Equated,
}

/// The length of a statutory term as the law words it; Atw art. 4 sub a depends on the wording
/// (days / weeks / months / years / hours).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "unit", content = "value")]
pub enum TermLength {
    Hours(u32),
    Days(u32),
    Weeks(u32),
    Months(u32),
    Years(u32),
}

impl TermLength {
    /// Atw art. 4 sub a: the Atw does not apply to terms described in hours, in more than
    /// 90 days, more than twelve weeks, more than three months, or in one or more years.
    /// `[LAW-READ]` [S24]. So a term of exactly 12 weeks is still extended.
    pub fn atw_applies(self) -> bool {
        match self {
            TermLength::Hours(_) | TermLength::Years(_) => false,
            TermLength::Days(d) => d <= ATW_MAX_DAYS,
            TermLength::Weeks(w) => w <= ATW_MAX_WEEKS,
            TermLength::Months(m) => m <= ATW_MAX_MONTHS,
        }
    }
}

/// The holiday calendar: the Atw art. 3 list, computed per year, plus ad-hoc days equated by
/// Royal Decree (art. 3 lid 3) that the municipality configures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayCalendar {
    /// Extra days equated with holidays (Atw art. 3 lid 3, "gelijkstelling").
    #[serde(default)]
    pub extra: Vec<NaiveDate>,
}

/// Easter Sunday (Gregorian) by the anonymous Gregorian ("Meeus/Jones/Butcher") algorithm.
/// Returns `None` for years chrono cannot represent or before the Gregorian reform (1583).
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    if year < 1583 {
        return None;
    }
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

fn offset(date: NaiveDate, days: i64) -> Option<NaiveDate> {
    Duration::try_days(days).and_then(|delta| date.checked_add_signed(delta))
}

/// The day Koningsdag / Koninginnedag is celebrated in `year` (see [`FIRST_KINGSDAY_YEAR`]).
fn kings_day(year: i32) -> Option<NaiveDate> {
    let (month_day, fallback) = if year >= FIRST_KINGSDAY_YEAR { (27, 26) } else { (30, 29) };
    let date = NaiveDate::from_ymd_opt(year, 4, month_day)?;
    if date.weekday() == Weekday::Sun {
        NaiveDate::from_ymd_opt(year, 4, fallback)
    } else {
        Some(date)
    }
}

/// The statutory holidays of Atw art. 3 lid 1–2 in `year`, in date order (without extras).
pub fn statutory_holidays(year: i32) -> Vec<(NaiveDate, Holiday)> {
    let mut out = Vec::new();
    let mut push = |d: Option<NaiveDate>, h: Holiday| {
        if let Some(d) = d {
            out.push((d, h));
        }
    };
    push(NaiveDate::from_ymd_opt(year, 1, 1), Holiday::NewYearsDay);
    let easter = easter_sunday(year);
    push(easter.and_then(|e| offset(e, -2)), Holiday::GoodFriday);
    push(easter.and_then(|e| offset(e, 1)), Holiday::EasterMonday);
    push(kings_day(year), Holiday::KingsDay);
    push(NaiveDate::from_ymd_opt(year, 5, 5), Holiday::LiberationDay);
    push(easter.and_then(|e| offset(e, 39)), Holiday::AscensionDay);
    push(easter.and_then(|e| offset(e, 50)), Holiday::WhitMonday);
    push(NaiveDate::from_ymd_opt(year, 12, 25), Holiday::ChristmasDay);
    push(NaiveDate::from_ymd_opt(year, 12, 26), Holiday::SecondChristmasDay);
    out.sort_by_key(|(d, _)| *d);
    out
}

impl HolidayCalendar {
    pub fn new(extra: Vec<NaiveDate>) -> Self {
        HolidayCalendar { extra }
    }

    /// All holidays in `year`, statutory and equated, in date order.
    pub fn holidays_in_year(&self, year: i32) -> Vec<(NaiveDate, Holiday)> {
        let mut all = statutory_holidays(year);
        for d in &self.extra {
            if d.year() == year && !all.iter().any(|(h, _)| h == d) {
                all.push((*d, Holiday::Equated));
            }
        }
        all.sort_by_key(|(d, _)| *d);
        all
    }

    /// Which holiday `date` is, if any.
    pub fn holiday(&self, date: NaiveDate) -> Option<Holiday> {
        statutory_holidays(date.year())
            .into_iter()
            .find(|(d, _)| *d == date)
            .map(|(_, h)| h)
            .or_else(|| self.extra.contains(&date).then_some(Holiday::Equated))
    }

    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        self.holiday(date).is_some()
    }

    /// Not a Saturday, Sunday or algemeen erkende feestdag (Atw art. 1 lid 1).
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !self.is_holiday(date)
    }

    /// Atw art. 1 lid 1: a term ending on a Saturday, Sunday or holiday is extended up to and
    /// including the next day that is none of these. Returns `date` itself when it is a
    /// working day. At the end of chrono's range the last representable date is returned.
    pub fn roll_forward(&self, date: NaiveDate) -> NaiveDate {
        let mut d = date;
        while !self.is_working_day(d) {
            match d.succ_opt() {
                Some(next) => d = next,
                None => return d,
            }
        }
        d
    }

    /// The end of a statutory term after the Atw, for a term that runs forwards (Atw art. 1
    /// lid 2: not for terms counted backwards from an event — do not call this for those).
    ///
    /// * `first_day`: the first day of the term (e.g. the day after bekendmaking, Awb 6:8);
    /// * `raw_end`: the last day of the term by plain counting;
    /// * `length`: the term as the law words it — decides whether the Atw applies (art. 4).
    ///
    /// Applies art. 2 (a term of at least three days contains at least two working days) and
    /// art. 1 (roll forward to the next working day).
    pub fn term_end(&self, first_day: NaiveDate, raw_end: NaiveDate, length: TermLength) -> NaiveDate {
        if !length.atw_applies() {
            return raw_end;
        }
        let mut end = raw_end;
        // Atw art. 2
        if (raw_end - first_day).num_days() + 1 >= ATW_ART2_MIN_TERM_DAYS {
            let mut working = 0u32;
            let mut d = first_day;
            // Stop counting once two working days are found: callers may pass long terms.
            while d <= end && working < ATW_ART2_MIN_WORKING_DAYS {
                if self.is_working_day(d) {
                    working = working.saturating_add(1);
                }
                match d.succ_opt() {
                    Some(n) => d = n,
                    None => break,
                }
            }
            while working < ATW_ART2_MIN_WORKING_DAYS {
                match end.succ_opt() {
                    Some(n) => {
                        end = n;
                        if self.is_working_day(end) {
                            working = working.saturating_add(1);
                        }
                    }
                    None => break,
                }
            }
        }
        // Atw art. 1 lid 1
        self.roll_forward(end)
    }
}

// ---------------------------------------------------------------------------------------------
// Date arithmetic (saturating) and the Atw roll as a trait
// ---------------------------------------------------------------------------------------------

/// A date literal for `const` items only (an invalid literal fails at compile time).
pub(crate) const fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(d) => d,
        None => panic!("invalid date literal"),
    }
}

/// `date + days`, saturating at `NaiveDate::MAX`.
pub fn add_days_sat(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days)).unwrap_or(NaiveDate::MAX)
}

/// `date + days` for a signed day count, saturating at `NaiveDate::MAX` (or `MIN` when `days` is
/// negative).
pub(crate) fn add_days_signed(date: NaiveDate, days: i64) -> NaiveDate {
    Duration::try_days(days).and_then(|delta| date.checked_add_signed(delta)).unwrap_or(if days >= 0 {
        NaiveDate::MAX
    } else {
        NaiveDate::MIN
    })
}

/// `date − days`, saturating at `NaiveDate::MIN`.
pub fn sub_days_sat(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_sub_days(Days::new(days)).unwrap_or(NaiveDate::MIN)
}

/// `date + weeks` ("n weeks" = 7n days, scenarios.md conventions).
pub fn add_weeks_sat(date: NaiveDate, weeks: u32) -> NaiveDate {
    add_days_sat(date, u64::from(weeks).saturating_mul(7))
}

/// `date + months` (calendar months; 31 Jan + 1 month = 28/29 Feb), saturating.
pub fn add_months_sat(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

/// `date + years` (29 Feb + 1 year = 28 Feb), saturating.
pub fn add_years_sat(date: NaiveDate, years: u32) -> NaiveDate {
    add_months_sat(date, years.saturating_mul(12))
}

/// `date − years`, saturating.
pub fn sub_years_sat(date: NaiveDate, years: u32) -> NaiveDate {
    date.checked_sub_months(Months::new(years.saturating_mul(12))).unwrap_or(NaiveDate::MIN)
}

/// Roll a statutory deadline forward per Algemene termijnenwet art. 1 (see the NOTE in `awb`).
pub trait AtwRoll {
    fn roll_forward(&self, date: NaiveDate) -> NaiveDate;
}

/// No roll-forward: raw dates (tests; or terms to which the Atw does not apply).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoAtwRoll;

/// The Atw holiday calendar rolls statutory deadlines forward (Atw art. 1).
impl AtwRoll for HolidayCalendar {
    fn roll_forward(&self, date: NaiveDate) -> NaiveDate {
        HolidayCalendar::roll_forward(self, date)
    }
}

impl AtwRoll for NoAtwRoll {
    fn roll_forward(&self, date: NaiveDate) -> NaiveDate {
        date
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn easter_sunday_known_years() {
        assert_eq!(easter_sunday(2024), Some(d(2024, 3, 31)));
        assert_eq!(easter_sunday(2025), Some(d(2025, 4, 20)));
        assert_eq!(easter_sunday(2026), Some(d(2026, 4, 5)));
        assert_eq!(easter_sunday(2038), Some(d(2038, 4, 25))); // latest possible
        assert_eq!(easter_sunday(2285), Some(d(2285, 3, 22))); // earliest possible
        assert_eq!(easter_sunday(1500), None);
    }

    #[test]
    fn scenario_conventions_2025_holiday_list() {
        let cal = HolidayCalendar::default();
        let days: Vec<NaiveDate> = cal.holidays_in_year(2025).into_iter().map(|(d, _)| d).collect();
        assert_eq!(
            days,
            vec![
                d(2025, 1, 1),
                d(2025, 4, 18),
                d(2025, 4, 21),
                d(2025, 4, 26),
                d(2025, 5, 5),
                d(2025, 5, 29),
                d(2025, 6, 9),
                d(2025, 12, 25),
                d(2025, 12, 26),
            ]
        );
        assert_eq!(cal.holiday(d(2025, 4, 26)), Some(Holiday::KingsDay));
    }

    #[test]
    fn kings_day_moves_to_saturday_when_27_april_is_sunday() {
        // 27 April 2025 is a Sunday → 26 April; 2026 it is a Monday → 27 April.
        assert_eq!(kings_day(2025), Some(d(2025, 4, 26)));
        assert_eq!(kings_day(2026), Some(d(2026, 4, 27)));
        // Koninginnedag 2013: 30 April.
        assert_eq!(kings_day(2013), Some(d(2013, 4, 30)));
    }

    #[test]
    fn liberation_day_counts_every_year() {
        let cal = HolidayCalendar::default();
        assert!(cal.is_holiday(d(2026, 5, 5)));
        assert!(cal.is_holiday(d(2027, 5, 5)));
    }

    #[test]
    fn scenario_22_roll_forward_over_saturday_kingsday_and_sunday() {
        let cal = HolidayCalendar::default();
        assert_eq!(cal.roll_forward(d(2025, 4, 26)), d(2025, 4, 28));
    }

    #[test]
    fn roll_forward_over_easter_weekend() {
        let cal = HolidayCalendar::default();
        // Good Friday 18 April 2025 → Tuesday 22 April (Easter Monday 21 April).
        assert_eq!(cal.roll_forward(d(2025, 4, 18)), d(2025, 4, 22));
        // Christmas 2025 (Thu) → Monday 29 December.
        assert_eq!(cal.roll_forward(d(2025, 12, 25)), d(2025, 12, 29));
        // A working day stays.
        assert_eq!(cal.roll_forward(d(2025, 4, 23)), d(2025, 4, 23));
    }

    #[test]
    fn equated_extra_day_is_skipped() {
        let cal = HolidayCalendar::new(vec![d(2025, 3, 10)]);
        assert_eq!(cal.holiday(d(2025, 3, 10)), Some(Holiday::Equated));
        assert_eq!(cal.roll_forward(d(2025, 3, 8)), d(2025, 3, 11));
    }

    #[test]
    fn atw_art4_term_lengths() {
        assert!(TermLength::Weeks(12).atw_applies());
        assert!(!TermLength::Weeks(13).atw_applies());
        assert!(TermLength::Days(90).atw_applies());
        assert!(!TermLength::Days(91).atw_applies());
        assert!(TermLength::Months(3).atw_applies());
        assert!(!TermLength::Months(4).atw_applies());
        assert!(!TermLength::Years(1).atw_applies());
        assert!(!TermLength::Hours(24).atw_applies());
    }

    #[test]
    fn scenario_47_thirteen_week_term_is_not_extended() {
        // A 13-week term ending on a Saturday is not rolled forward (Atw art. 4).
        let cal = HolidayCalendar::default();
        let end = cal.term_end(d(2025, 1, 5), d(2025, 4, 5), TermLength::Weeks(13));
        assert_eq!(end, d(2025, 4, 5));
        // The scenario's own date: rapport Mon 2025-01-06 + 13 weeks = Mon 2025-04-07.
        let end = cal.term_end(d(2025, 1, 7), d(2025, 4, 7), TermLength::Weeks(13));
        assert_eq!(end, d(2025, 4, 7));
    }

    #[test]
    fn atw_art2_short_term_gets_two_working_days() {
        // A 3-day term Fri 2025-04-18 .. Sun 2025-04-20 contains no working day; art. 2 extends it
        // until two working days are in it: Tue 22 and Wed 23 April (Mon 21 is Easter Monday).
        let cal = HolidayCalendar::default();
        let end = cal.term_end(d(2025, 4, 18), d(2025, 4, 20), TermLength::Days(3));
        assert_eq!(end, d(2025, 4, 23));
    }

    #[test]
    fn roll_forward_at_end_of_range_does_not_panic() {
        let cal = HolidayCalendar::default();
        let _ = cal.roll_forward(NaiveDate::MAX);
        let _ = cal.term_end(NaiveDate::MAX, NaiveDate::MAX, TermLength::Days(3));
        let _ = statutory_holidays(i32::MAX);
        let _ = statutory_holidays(i32::MIN);
    }
}
