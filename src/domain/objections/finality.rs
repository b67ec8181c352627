//! When a besluit becomes final (onherroepelijk, formele rechtskracht): no objection or appeal
//! was lodged in time, or all that were have been decided.

use chrono::NaiveDate;

use crate::domain::awb::objection_term_ends;
use crate::domain::calendar::{add_days_sat, HolidayCalendar};

/// What finality needs of one objection against the besluit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FinalityInput {
    /// The objection holds the besluit open: lodged in time, or late with the lateness excusable
    /// or not yet judged (Awb 6:11), and not withdrawn.
    pub counts: bool,
    /// Bekendmaking of the decision on the objection (`None` while undecided).
    pub decision_notified_on: Option<NaiveDate>,
    pub appeal_lodged_on: Option<NaiveDate>,
    pub appeal_judgment_on: Option<NaiveDate>,
}

/// The day the besluit made known on `notified_on` became final, or `None` while it is still
/// open on `today`:
///
/// * no objection that counts: the day after the objection term ended (Awb 6:7, 6:8, Atw);
///   withdrawn objections and late ones found inexcusable count as not lodged;
/// * otherwise, per objection: the day after the appeal term ended (6 weeks from the day after
///   bekendmaking of the decision on the objection, Awb 6:7, 6:8, Atw) when no appeal was
///   lodged, or the day of the court's judgment; the besluit is final on the latest of these.
///
/// NOTE: higher appeal (hoger beroep to the Afdeling bestuursrechtspraak, Awb 8:104) is not
/// modelled: the court's judgment is taken as the end. A jurist should treat `final_on` after an
/// appeal as "final unless a higher appeal was lodged within 6 weeks of the judgment".
pub fn final_on(
    notified_on: NaiveDate,
    objections: &[FinalityInput],
    today: NaiveDate,
    cal: &HolidayCalendar,
) -> Option<NaiveDate> {
    let term_end = objection_term_ends(notified_on, cal);
    if today <= term_end {
        return None;
    }
    let mut last = add_days_sat(term_end, 1);
    for o in objections.iter().filter(|o| o.counts) {
        let decided = o.decision_notified_on?;
        let end = match (o.appeal_lodged_on, o.appeal_judgment_on) {
            (None, _) => {
                let appeal_end = objection_term_ends(decided, cal);
                if today <= appeal_end {
                    return None;
                }
                add_days_sat(appeal_end, 1)
            }
            (Some(_), Some(judgment)) => judgment,
            (Some(_), None) => return None,
        };
        last = last.max(end);
    }
    Some(last)
}
