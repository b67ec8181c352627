//! Letters about licence applications and licences (Wgv, Awb, Wet Bibob), sent to the landlord.

use askama::Template;
use chrono::NaiveDate;

use super::Letter;
use crate::domain::licensing::RefusalGround;
use crate::error::AppResult;

/// The application was received; the decision term runs (Awb 4:13).
#[derive(Template)]
#[template(path = "letters/licensing_received.txt", escape = "none")]
pub struct ApplicationReceived<'a> {
    /// The licence kind's code (`general`, `labour_migrant`).
    pub kind: &'a str,
    pub address: &'a str,
    pub received_on: NaiveDate,
    pub due: NaiveDate,
    pub application_id: &'a str,
}

impl ApplicationReceived<'_> {
    pub fn letter(&self) -> AppResult<Letter> {
        Letter::render("Aanvraag verhuurvergunning ontvangen / Application received", self)
    }
}

/// Information is missing; the decision term is suspended (Awb 4:5, 4:15).
#[derive(Template)]
#[template(path = "letters/licensing_information_needed.txt", escape = "none")]
pub struct InformationNeeded<'a> {
    pub address: &'a str,
    pub what: &'a str,
    pub respond_by: NaiveDate,
    pub application_id: &'a str,
}

impl InformationNeeded<'_> {
    pub fn letter(&self) -> AppResult<Letter> {
        Letter::render("Aanvullende gegevens nodig / Information needed", self)
    }
}

/// The decision term was extended once (Awb 4:14).
#[derive(Template)]
#[template(path = "letters/licensing_term_extended.txt", escape = "none")]
pub struct TermExtended<'a> {
    pub address: &'a str,
    pub weeks: u32,
    pub reason: &'a str,
    pub due: NaiveDate,
    pub application_id: &'a str,
}

impl TermExtended<'_> {
    pub fn letter(&self) -> AppResult<Letter> {
        Letter::render("Beslistermijn verlengd / Decision term extended", self)
    }
}

/// The application is not considered (Awb 4:5).
#[derive(Template)]
#[template(path = "letters/licensing_not_considered.txt", escape = "none")]
pub struct NotConsidered<'a> {
    pub address: &'a str,
    pub motivation: &'a str,
    pub objection_end: NaiveDate,
    pub application_id: &'a str,
}

impl NotConsidered<'_> {
    pub fn letter(&self) -> AppResult<Letter> {
        Letter::render("Besluit: aanvraag buiten behandeling / Application not considered", self)
    }
}

/// The decision on the merits: granted, granted with conditions, or refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionWords {
    Granted,
    GrantedWithConditions,
    Refused,
}

impl DecisionWords {
    /// The decision in words (nl, en).
    fn words(self) -> (&'static str, &'static str) {
        match self {
            DecisionWords::Granted => ("verleend", "granted"),
            DecisionWords::GrantedWithConditions => {
                ("verleend onder voorschriften", "granted with conditions")
            }
            DecisionWords::Refused => ("geweigerd", "refused"),
        }
    }
}

/// The licence a grant created, as the decision letter states it.
pub struct GrantedLicence<'a> {
    pub number: &'a str,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub max_occupants: i32,
}

/// The decision letter (grant, grant with conditions, refusal).
#[derive(Template)]
#[template(path = "letters/licensing_decision.txt", escape = "none")]
pub struct Decision<'a> {
    pub address: &'a str,
    pub nl: &'static str,
    pub en: &'static str,
    pub licence: Option<GrantedLicence<'a>>,
    /// The voorschriften' texts.
    pub conditions: Vec<&'a str>,
    /// The refusal grounds in words.
    pub grounds: Vec<&'static str>,
    /// The motivation, trimmed; absent when blank.
    pub motivation: Option<&'a str>,
    pub objection_end: NaiveDate,
    pub application_id: &'a str,
}

impl<'a> Decision<'a> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        decision: DecisionWords,
        address: &'a str,
        licence: Option<GrantedLicence<'a>>,
        conditions: Vec<&'a str>,
        grounds: &[RefusalGround],
        motivation: Option<&'a str>,
        objection_end: NaiveDate,
        application_id: &'a str,
    ) -> Self {
        let (nl, en) = decision.words();
        Decision {
            address,
            nl,
            en,
            licence,
            conditions,
            grounds: grounds.iter().map(|g| ground_text(*g)).collect(),
            motivation: motivation.map(str::trim).filter(|m| !m.is_empty()),
            objection_end,
            application_id,
        }
    }

    pub fn letter(&self) -> AppResult<Letter> {
        Letter::render(format!("Besluit verhuurvergunning: {} / Decision: {}", self.nl, self.en), self)
    }
}

/// The refusal ground in words, with its source. Never mentions Bibob findings beyond the
/// ground itself (the decision must state its ground).
pub fn ground_text(g: RefusalGround) -> &'static str {
    match g {
        RefusalGround::MissingBuildingPermit => {
            "een vergunning die nodig is om de woonruimte te realiseren ontbreekt (Wgv)"
        }
        RefusalGround::PriorEnforcement8y => {
            "in de voorafgaande acht jaar is handhavend opgetreden tegen de verhuurder (Wgv)"
        }
        RefusalGround::Beheer => "een woning van de verhuurder is in beheer genomen (Wgv)",
        RefusalGround::BibobSeriousDanger => "ernstig gevaar in de zin van de Wet Bibob (art. 3 lid 1)",
    }
}

/// LBB advice was requested: the applicant is told, without content (Wet Bibob art. 32).
#[derive(Template)]
#[template(path = "letters/licensing_bibob_advice_requested.txt", escape = "none")]
pub struct BibobAdviceRequested<'a> {
    pub address: &'a str,
    pub due: NaiveDate,
    pub application_id: &'a str,
}

impl BibobAdviceRequested<'_> {
    pub fn letter(&self) -> AppResult<Letter> {
        Letter::render("Advies Landelijk Bureau Bibob gevraagd / Bibob advice requested", self)
    }
}

/// What an officer did to a licence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeasureWords {
    Suspended,
    Revoked,
    Reinstated,
}

/// A licence was suspended, revoked or reinstated.
#[derive(Template)]
#[template(path = "letters/licensing_licence_measure.txt", escape = "none")]
pub struct LicenceMeasure<'a> {
    pub number: &'a str,
    pub address: &'a str,
    pub nl: &'static str,
    pub en: &'static str,
    pub motivation: &'a str,
    /// End of the objection period (none for a reinstatement).
    pub objection_end: Option<NaiveDate>,
    measure: MeasureWords,
}

impl<'a> LicenceMeasure<'a> {
    pub fn new(
        measure: MeasureWords,
        number: &'a str,
        address: &'a str,
        motivation: &'a str,
        objection_end: NaiveDate,
    ) -> Self {
        let (nl, en) = match measure {
            MeasureWords::Suspended => ("geschorst", "suspended"),
            MeasureWords::Revoked => ("ingetrokken", "revoked"),
            MeasureWords::Reinstated => {
                ("weer van kracht (schorsing opgeheven)", "reinstated (suspension lifted)")
            }
        };
        let objection_end = (measure != MeasureWords::Reinstated).then_some(objection_end);
        LicenceMeasure { number, address, nl, en, motivation, objection_end, measure }
    }

    pub fn letter(&self) -> AppResult<Letter> {
        let subject = match self.measure {
            MeasureWords::Reinstated => {
                "Besluit: schorsing verhuurvergunning opgeheven / Licence reinstated".to_string()
            }
            _ => format!("Besluit: verhuurvergunning {} / Licence {}", self.nl, self.en),
        };
        Letter::render(subject, self)
    }
}

#[cfg(test)]
mod tests;
