//! The meldpunt (complaint desk, Wgv art. 4 lid 1; rules.md §3): categories from a data file,
//! exploitation signals, referral partners, the complaint state machine, priority, the tracking
//! code, and the statutory deletion rules for personal data (Besluit gegevensverwerking Wgv,
//! Stb. 2023, 193, art. 2; rules.md MP-08).
//!
//! PURE: no I/O. Randomness for the tracking code is passed in as bytes.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::domain::general_rules::RuleCode;

/// The reporter languages the meldpunt supports (issue: nl, en, pl, ro, bg, uk).
pub const LANGUAGES: [&str; 6] = ["nl", "en", "pl", "ro", "bg", "uk"];

// ---------------------------------------------------------------------------------------------
// Categories (data file)
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct CategoryText {
    pub title: String,
    pub explanation: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// Stable code used by the API and stored with the complaint.
    pub code: String,
    /// The rule concerned (stable code of `general_rules`), `null` when not a Wgv rule.
    pub rule: Option<String>,
    /// Municipal handling term in calendar days (policy; no statutory term found, MP-09).
    pub handling_term_days: u32,
    /// Always urgent (unsafe housing, supervision.md "Priorities").
    #[serde(default)]
    pub urgent: bool,
    pub texts: BTreeMap<String, CategoryText>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NotificationTexts {
    pub subject: String,
    /// `{status}` is replaced by the status label.
    pub status_changed: String,
    pub new_message: String,
    pub footer: String,
}

/// The whole data file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Catalogue {
    #[serde(default, rename = "_comment")]
    pub comment: Option<String>,
    pub languages: Vec<String>,
    pub categories: Vec<Category>,
    pub notifications: BTreeMap<String, NotificationTexts>,
    pub status_labels: BTreeMap<String, BTreeMap<String, String>>,
}

impl Catalogue {
    /// Parses and checks a catalogue: every category has a known rule code, a positive term and
    /// texts in every supported language; notification texts and status labels are complete.
    pub fn parse(json: &str) -> Result<Catalogue, String> {
        let c: Catalogue = serde_json::from_str(json).map_err(|e| format!("not a valid catalogue: {e}"))?;
        if c.categories.is_empty() {
            return Err("has no categories".into());
        }
        let mut seen = std::collections::BTreeSet::new();
        for cat in &c.categories {
            if cat.code.is_empty() || !cat.code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
                return Err(format!("category code {:?} must be lower-case letters and _", cat.code));
            }
            if !seen.insert(cat.code.clone()) {
                return Err(format!("category {} appears twice", cat.code));
            }
            if let Some(r) = &cat.rule {
                r.parse::<RuleCode>().map_err(|e| format!("category {}: {e}", cat.code))?;
            }
            if cat.handling_term_days == 0 || cat.handling_term_days > 3650 {
                return Err(format!("category {}: handling_term_days must be 1–3650", cat.code));
            }
            for lang in LANGUAGES {
                match cat.texts.get(lang) {
                    Some(t) if !t.title.trim().is_empty() && !t.explanation.trim().is_empty() => {}
                    _ => return Err(format!("category {} lacks a title or explanation in {lang}", cat.code)),
                }
            }
        }
        for lang in LANGUAGES {
            if !c.notifications.contains_key(lang) {
                return Err(format!("notifications lack the language {lang}"));
            }
            let labels = c.status_labels.get(lang).ok_or_else(|| format!("status_labels lack {lang}"))?;
            for s in ComplaintStatus::ALL {
                if !labels.contains_key(s.as_str()) {
                    return Err(format!("status_labels.{lang} lacks {}", s.as_str()));
                }
            }
        }
        Ok(c)
    }

    pub fn category(&self, code: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.code == code)
    }

    pub fn status_label(&self, lang: &str, status: ComplaintStatus) -> String {
        self.status_labels
            .get(lang)
            .or_else(|| self.status_labels.get("nl"))
            .and_then(|l| l.get(status.as_str()))
            .cloned()
            .unwrap_or_else(|| status.as_str().to_string())
    }
}

/// The default catalogue shipped with the binary.
pub const DEFAULT_CATALOGUE: &str = include_str!("../../data/complaint-categories.json");

pub fn is_language(s: &str) -> bool {
    LANGUAGES.contains(&s)
}

// ---------------------------------------------------------------------------------------------
// Exploitation signals and partners
// ---------------------------------------------------------------------------------------------

/// Signals of labour exploitation (fixed list, handreiking bijlage 4; supervision.md). One or more
/// makes the complaint urgent and requires a referral decision. Codes are stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExploitationSignal {
    UnlawfulStayOrWork,
    NoDutchOrIlliterate,
    NoContractInOwnLanguage,
    DocumentsWithheld,
    UnawareOfAddresses,
    EscortedToAuthorities,
    SubstandardEmployerHousing,
    FalsePromises,
    DebtsToEmployer,
    ViolenceOrThreats,
    ThreatenedDismissalEvictionReporting,
    DangerousWork,
    ExcessiveHours,
    Underpaid,
    ConfinedOrWatched,
    CoachedStatements,
    UndeclaredOrUninsured,
    OtherPressure,
}

impl ExploitationSignal {
    pub const ALL: [ExploitationSignal; 18] = [
        Self::UnlawfulStayOrWork,
        Self::NoDutchOrIlliterate,
        Self::NoContractInOwnLanguage,
        Self::DocumentsWithheld,
        Self::UnawareOfAddresses,
        Self::EscortedToAuthorities,
        Self::SubstandardEmployerHousing,
        Self::FalsePromises,
        Self::DebtsToEmployer,
        Self::ViolenceOrThreats,
        Self::ThreatenedDismissalEvictionReporting,
        Self::DangerousWork,
        Self::ExcessiveHours,
        Self::Underpaid,
        Self::ConfinedOrWatched,
        Self::CoachedStatements,
        Self::UndeclaredOrUninsured,
        Self::OtherPressure,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::UnlawfulStayOrWork => "unlawful_stay_or_work",
            Self::NoDutchOrIlliterate => "no_dutch_or_illiterate",
            Self::NoContractInOwnLanguage => "no_contract_in_own_language",
            Self::DocumentsWithheld => "documents_withheld",
            Self::UnawareOfAddresses => "unaware_of_addresses",
            Self::EscortedToAuthorities => "escorted_to_authorities",
            Self::SubstandardEmployerHousing => "substandard_employer_housing",
            Self::FalsePromises => "false_promises",
            Self::DebtsToEmployer => "debts_to_employer",
            Self::ViolenceOrThreats => "violence_or_threats",
            Self::ThreatenedDismissalEvictionReporting => "threatened_dismissal_eviction_reporting",
            Self::DangerousWork => "dangerous_work",
            Self::ExcessiveHours => "excessive_hours",
            Self::Underpaid => "underpaid",
            Self::ConfinedOrWatched => "confined_or_watched",
            Self::CoachedStatements => "coached_statements",
            Self::UndeclaredOrUninsured => "undeclared_or_uninsured",
            Self::OtherPressure => "other_pressure",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// Stored form of a signal set: sorted, space-separated codes.
pub fn signals_to_text(s: &[ExploitationSignal]) -> String {
    let mut v: Vec<_> = s.to_vec();
    v.sort();
    v.dedup();
    v.iter().map(|x| x.as_str()).collect::<Vec<_>>().join(" ")
}

pub fn signals_from_text(s: &str) -> Vec<ExploitationSignal> {
    s.split_whitespace().filter_map(ExploitationSignal::parse).collect()
}

/// Partners a complaint can be referred to (issue; supervision.md "A referral to a partner";
/// rules.md MP-05, MP-07).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Partner {
    /// Nederlandse Arbeidsinspectie (labour law, exploitation).
    LabourInspectorate,
    /// Police (e.g. AVIM for identity fraud / trafficking).
    Police,
    /// Belastingdienst.
    TaxAuthority,
    Uwv,
    Svb,
    Ind,
    /// Stichting Normering Flexwonen / AKF (housing certification).
    Snf,
    Riec,
    /// Another municipality (waterbed effect, or a joint meldpunt).
    OtherMunicipality,
    /// Burgerzaken (BRP address investigation).
    CivilAffairs,
    /// A woningcorporatie's complaint committee (MP-05).
    HousingCorporation,
    /// Autoriteit woningcorporaties (MP-05).
    HousingCorporationAuthority,
    /// Antidiscriminatievoorziening (MP-07).
    AntiDiscriminationService,
    /// Huurcommissie (advice, MP-04).
    RentTribunal,
}

impl Partner {
    pub fn as_str(self) -> &'static str {
        match self {
            Partner::LabourInspectorate => "labour_inspectorate",
            Partner::Police => "police",
            Partner::TaxAuthority => "tax_authority",
            Partner::Uwv => "uwv",
            Partner::Svb => "svb",
            Partner::Ind => "ind",
            Partner::Snf => "snf",
            Partner::Riec => "riec",
            Partner::OtherMunicipality => "other_municipality",
            Partner::CivilAffairs => "civil_affairs",
            Partner::HousingCorporation => "housing_corporation",
            Partner::HousingCorporationAuthority => "housing_corporation_authority",
            Partner::AntiDiscriminationService => "anti_discrimination_service",
            Partner::RentTribunal => "rent_tribunal",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// State machine
// ---------------------------------------------------------------------------------------------

/// States of a complaint (melding).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ComplaintStatus {
    Received,
    Triaged,
    Investigating,
    /// Handed over to another body (MP-05) — deletion rule MP-08 (b).
    Referred,
    /// Enforcement started; deletion rule MP-08 (d) when the decision is final.
    ActionTaken,
    /// Unfounded or incorrect — deletion rule MP-08 (a).
    ClosedUnfounded,
    /// Decided not to enforce — deletion rule MP-08 (c).
    ClosedNoAction,
    /// A duplicate merged into another complaint; the reporter sees the merged view.
    Merged,
}

impl ComplaintStatus {
    pub const ALL: [ComplaintStatus; 8] = [
        Self::Received,
        Self::Triaged,
        Self::Investigating,
        Self::Referred,
        Self::ActionTaken,
        Self::ClosedUnfounded,
        Self::ClosedNoAction,
        Self::Merged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Triaged => "triaged",
            Self::Investigating => "investigating",
            Self::Referred => "referred",
            Self::ActionTaken => "action_taken",
            Self::ClosedUnfounded => "closed_unfounded",
            Self::ClosedNoAction => "closed_no_action",
            Self::Merged => "merged",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Still being handled (counts for the handling term / overdue list).
    pub fn is_open(self) -> bool {
        matches!(self, Self::Received | Self::Triaged | Self::Investigating)
    }
}

impl fmt::Display for ComplaintStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// State changes an officer can ask for, each with a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ComplaintAction {
    Triage,
    StartInvestigation,
    /// Hand the complaint over to a partner (needs a recorded referral).
    Refer,
    TakeAction,
    CloseUnfounded,
    CloseNoAction,
}

impl ComplaintAction {
    pub const ALL: [ComplaintAction; 6] = [
        Self::Triage,
        Self::StartInvestigation,
        Self::Refer,
        Self::TakeAction,
        Self::CloseUnfounded,
        Self::CloseNoAction,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Triage => "triage",
            Self::StartInvestigation => "start_investigation",
            Self::Refer => "refer",
            Self::TakeAction => "take_action",
            Self::CloseUnfounded => "close_unfounded",
            Self::CloseNoAction => "close_no_action",
        }
    }

    fn target(self) -> ComplaintStatus {
        match self {
            Self::Triage => ComplaintStatus::Triaged,
            Self::StartInvestigation => ComplaintStatus::Investigating,
            Self::Refer => ComplaintStatus::Referred,
            Self::TakeAction => ComplaintStatus::ActionTaken,
            Self::CloseUnfounded => ComplaintStatus::ClosedUnfounded,
            Self::CloseNoAction => ComplaintStatus::ClosedNoAction,
        }
    }

    /// States from which the action is allowed by the workflow `received → triaged →
    /// investigating → (referred | action_taken | closed_unfounded | closed_no_action)`. A
    /// complaint can be referred or closed as unfounded straight after intake (MP-05: not about
    /// the Wgv or about a woningcorporatie).
    fn allowed_from(self, s: ComplaintStatus) -> bool {
        use ComplaintStatus as S;
        match self {
            Self::Triage => s == S::Received,
            Self::StartInvestigation => s == S::Triaged,
            Self::Refer | Self::CloseUnfounded => matches!(s, S::Received | S::Triaged | S::Investigating),
            Self::TakeAction | Self::CloseNoAction => s == S::Investigating,
        }
    }
}

/// What the state machine needs to know besides the state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransitionFacts {
    pub status: ComplaintStatus,
    pub has_signals: bool,
    /// A referral to a partner has been recorded.
    pub has_referral: bool,
    /// The officer recorded why not to refer (exploitation signals).
    pub has_no_referral_reason: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransitionError {
    /// Not allowed from this state; `allowed` lists what is.
    NotAllowed { from: ComplaintStatus, allowed: Vec<ComplaintAction> },
    /// Exploitation signals: first refer, or record why not (supervision.md).
    ReferralDecisionRequired,
    /// `refer` needs a recorded referral (partner, date, what was shared, legal basis).
    ReferralMissing,
}

pub fn allowed_actions(status: ComplaintStatus) -> Vec<ComplaintAction> {
    ComplaintAction::ALL.into_iter().filter(|a| a.allowed_from(status)).collect()
}

/// Decides a state change. Leaving the open states with exploitation signals requires a referral
/// decision (a recorded referral or a recorded reason not to refer).
pub fn transition(f: TransitionFacts, action: ComplaintAction) -> Result<ComplaintStatus, TransitionError> {
    if !action.allowed_from(f.status) {
        return Err(TransitionError::NotAllowed { from: f.status, allowed: allowed_actions(f.status) });
    }
    let target = action.target();
    if action == ComplaintAction::Refer && !f.has_referral {
        return Err(TransitionError::ReferralMissing);
    }
    if !target.is_open() && f.has_signals && !f.has_referral && !f.has_no_referral_reason {
        return Err(TransitionError::ReferralDecisionRequired);
    }
    Ok(target)
}

/// A complaint can be merged into another while both are not merged themselves.
pub fn can_merge(dup: ComplaintStatus, primary: ComplaintStatus) -> bool {
    dup != ComplaintStatus::Merged && primary != ComplaintStatus::Merged
}

// ---------------------------------------------------------------------------------------------
// Priority
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Urgent,
    High,
    Normal,
    Low,
}

impl Priority {
    pub const ALL: [Priority; 4] = [Self::Urgent, Self::High, Self::Normal, Self::Low];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Urgent => "urgent",
            Self::High => "high",
            Self::Normal => "normal",
            Self::Low => "low",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Sort key: urgent first.
    pub fn rank(self) -> i32 {
        match self {
            Self::Urgent => 0,
            Self::High => 1,
            Self::Normal => 2,
            Self::Low => 3,
        }
    }
}

/// Unsafe housing and exploitation signals are urgent (supervision.md "Priorities"): that is
/// also the floor an officer cannot go below for such complaints.
pub fn minimum_priority(category_urgent: bool, has_signals: bool) -> Option<Priority> {
    (category_urgent || has_signals).then_some(Priority::Urgent)
}

pub fn initial_priority(category_urgent: bool, has_signals: bool) -> Priority {
    minimum_priority(category_urgent, has_signals).unwrap_or(Priority::Normal)
}

// ---------------------------------------------------------------------------------------------
// Tracking code
// ---------------------------------------------------------------------------------------------

/// Crockford base32 alphabet (no I, L, O, U).
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Number of random bytes in a tracking code: 160 bits (≥ 128 required).
pub const TRACKING_CODE_BYTES: usize = 20;

/// Renders 20 random bytes as 32 Crockford base32 characters in groups of four:
/// `7Q2M-…` (8 groups).
pub fn format_tracking_code(bytes: &[u8; TRACKING_CODE_BYTES]) -> String {
    let mut chars = Vec::with_capacity(32);
    let mut acc: u64 = 0;
    let mut bits = 0;
    for &b in bytes {
        acc = (acc << 8) | u64::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            chars.push(CROCKFORD[((acc >> bits) & 31) as usize] as char);
        }
    }
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// Parses a typed code: case-insensitive, spaces and dashes ignored, `I`/`L` read as 1 and `O`
/// as 0 (Crockford). Returns the 20 bytes, or `None`.
pub fn parse_tracking_code(raw: &str) -> Option<[u8; TRACKING_CODE_BYTES]> {
    let mut acc: u64 = 0;
    let mut bits = 0;
    let mut out = Vec::with_capacity(TRACKING_CODE_BYTES);
    let mut n = 0;
    for ch in raw.chars() {
        if ch == '-' || ch.is_whitespace() {
            continue;
        }
        let c = match ch.to_ascii_uppercase() {
            'I' | 'L' => '1',
            'O' => '0',
            c => c,
        };
        let v = CROCKFORD.iter().position(|&x| x as char == c)? as u64;
        n += 1;
        if n > 32 {
            return None;
        }
        acc = (acc << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    if n != 32 {
        return None;
    }
    out.try_into().ok()
}

/// What is stored: the hex SHA-256 of the code's bytes. Malformed input hashes its raw text so
/// that the lookup costs the same for every input.
pub fn tracking_hash(raw: &str) -> String {
    let digest = match parse_tracking_code(raw) {
        Some(bytes) => Sha256::digest(bytes),
        None => Sha256::digest(format!("invalid:{raw}").as_bytes()),
    };
    hex::encode(digest)
}

// ---------------------------------------------------------------------------------------------
// Retention (MP-08)
// ---------------------------------------------------------------------------------------------

/// Facts for the deletion rules of the Besluit gegevensverwerking Wgv (Stb. 2023, 193) art. 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionFacts {
    /// Date the report was made (Europe/Amsterdam).
    pub received_on: NaiveDate,
    pub status: ComplaintStatus,
    /// Date of the outcome (unfounded, referred, no action, action taken).
    pub outcome_on: Option<NaiveDate>,
    /// Kept for dossieropbouw (building a case).
    pub case_building: bool,
    /// The enforcement decision resulting from the report became final (onherroepelijk).
    pub enforcement_final_on: Option<NaiveDate>,
}

/// The date from which the reporter's personal data, free text and attachments must be deleted,
/// or `None` while no rule applies yet.
///
/// - (a) found unfounded or incorrect → on that date (whether or not kept for a case);
/// - (b) referred to another body → directly, unless kept for dossieropbouw;
/// - (c) decided not to enforce → on that date, unless kept for dossieropbouw;
/// - (d) the enforcement decision resulting from it became final → on that date;
/// - kept for dossieropbouw → at the latest 4 years after the report was made.
///
/// Source: Besluit Stb. 2023, 193, art. 2 (rules.md MP-08, `[LAW-READ]`); scenario 60.
/// A merged duplicate follows its primary (the caller passes the primary's facts).
pub fn personal_data_due(f: &RetentionFacts) -> Option<NaiveDate> {
    use ComplaintStatus as S;
    let by_outcome = match f.status {
        S::ClosedUnfounded => f.outcome_on,
        S::Referred | S::ClosedNoAction if !f.case_building => f.outcome_on,
        _ => None,
    };
    let by_final = f.enforcement_final_on;
    // Art. 2: data kept for dossieropbouw are deleted four years after the report was made.
    let by_case = if f.case_building { f.received_on.checked_add_months(Months::new(48)) } else { None };
    [by_outcome, by_final, by_case].into_iter().flatten().min()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_shipped_catalogue_is_complete() {
        let c = Catalogue::parse(DEFAULT_CATALOGUE).unwrap();
        assert!(c.category("unsafe_housing").unwrap().urgent);
        // Every Wgv general rule a tenant can report has a category.
        for rule in ["GR-01", "GR-03", "GR-04", "GR-05", "GR-06", "GR-07", "GR-08", "AM-01", "AM-02"] {
            assert!(c.categories.iter().any(|x| x.rule.as_deref() == Some(rule)), "{rule}");
        }
    }

    #[test]
    fn a_catalogue_with_an_unknown_rule_or_missing_language_is_refused() {
        let bad = DEFAULT_CATALOGUE.replace("\"GR-03\"", "\"GR-99\"");
        assert!(Catalogue::parse(&bad).unwrap_err().contains("GR-99"));
        let bad =
            DEFAULT_CATALOGUE.replacen("\"uk\": {\"title\": \"Інше\"", "\"xx\": {\"title\": \"Інше\"", 1);
        assert!(Catalogue::parse(&bad).unwrap_err().contains("uk"));
    }

    #[test]
    fn tracking_code_round_trips_and_is_forgiving_when_typed() {
        let bytes: [u8; 20] = core::array::from_fn(|i| (i as u8).wrapping_mul(37).wrapping_add(11));
        let code = format_tracking_code(&bytes);
        assert_eq!(code.len(), 32 + 7);
        assert_eq!(parse_tracking_code(&code), Some(bytes));
        let typed = code.to_lowercase().replace('-', " ").replace('1', "l").replace('0', "o");
        assert_eq!(parse_tracking_code(&typed), Some(bytes));
        assert_eq!(tracking_hash(&code), tracking_hash(&typed));
        assert_eq!(parse_tracking_code(&code[..30]), None);
        assert_eq!(parse_tracking_code(&format!("{code}A")), None);
        assert_eq!(parse_tracking_code("UUUU"), None);
        assert_ne!(tracking_hash("nonsense"), tracking_hash(&code));
    }

    fn facts(status: ComplaintStatus) -> TransitionFacts {
        TransitionFacts { status, has_signals: false, has_referral: false, has_no_referral_reason: false }
    }

    #[test]
    fn workflow_follows_the_issue_order() {
        use ComplaintAction as A;
        use ComplaintStatus as S;
        assert_eq!(transition(facts(S::Received), A::Triage), Ok(S::Triaged));
        assert_eq!(transition(facts(S::Triaged), A::StartInvestigation), Ok(S::Investigating));
        assert_eq!(transition(facts(S::Investigating), A::TakeAction), Ok(S::ActionTaken));
        assert_eq!(transition(facts(S::Investigating), A::CloseNoAction), Ok(S::ClosedNoAction));
        assert_eq!(transition(facts(S::Received), A::CloseUnfounded), Ok(S::ClosedUnfounded));
        match transition(facts(S::Received), A::TakeAction) {
            Err(TransitionError::NotAllowed { allowed, .. }) => {
                assert_eq!(allowed, vec![A::Triage, A::Refer, A::CloseUnfounded])
            }
            other => panic!("{other:?}"),
        }
        assert!(allowed_actions(S::ClosedUnfounded).is_empty());
        assert_eq!(transition(facts(S::Triaged), A::Refer), Err(TransitionError::ReferralMissing));
    }

    #[test]
    fn exploitation_signals_need_a_referral_decision_before_closing() {
        use ComplaintAction as A;
        use ComplaintStatus as S;
        let mut f = facts(S::Investigating);
        f.has_signals = true;
        assert_eq!(transition(f, A::CloseNoAction), Err(TransitionError::ReferralDecisionRequired));
        assert_eq!(transition(f, A::CloseUnfounded), Err(TransitionError::ReferralDecisionRequired));
        assert_eq!(transition(f, A::TakeAction), Err(TransitionError::ReferralDecisionRequired));
        // Moving on within the open states is fine.
        let mut g = facts(S::Received);
        g.has_signals = true;
        assert_eq!(transition(g, A::Triage), Ok(S::Triaged));
        f.has_no_referral_reason = true;
        assert_eq!(transition(f, A::CloseNoAction), Ok(S::ClosedNoAction));
        f.has_no_referral_reason = false;
        f.has_referral = true;
        assert_eq!(transition(f, A::TakeAction), Ok(S::ActionTaken));
    }

    #[test]
    fn unsafe_housing_and_signals_are_urgent() {
        assert_eq!(initial_priority(true, false), Priority::Urgent);
        assert_eq!(initial_priority(false, true), Priority::Urgent);
        assert_eq!(initial_priority(false, false), Priority::Normal);
    }

    fn rf(status: ComplaintStatus, outcome: Option<&str>, case_building: bool) -> RetentionFacts {
        RetentionFacts {
            received_on: d("2025-02-01"),
            status,
            outcome_on: outcome.map(d),
            case_building,
            enforcement_final_on: None,
        }
    }

    #[test]
    fn scenario_60_referred_without_case_building_is_deleted_on_the_referral_date() {
        let f = rf(ComplaintStatus::Referred, Some("2025-02-03"), false);
        assert_eq!(personal_data_due(&f), Some(d("2025-02-03")));
    }

    #[test]
    fn mp08_deletion_rules() {
        use ComplaintStatus as S;
        // (a) unfounded: deleted even when kept for a case.
        assert_eq!(
            personal_data_due(&rf(S::ClosedUnfounded, Some("2025-03-01"), true)),
            Some(d("2025-03-01"))
        );
        // (b)/(c) kept for dossieropbouw: four years after the report.
        assert_eq!(personal_data_due(&rf(S::Referred, Some("2025-02-03"), true)), Some(d("2029-02-01")));
        assert_eq!(
            personal_data_due(&rf(S::ClosedNoAction, Some("2025-04-01"), false)),
            Some(d("2025-04-01"))
        );
        assert_eq!(
            personal_data_due(&rf(S::ClosedNoAction, Some("2025-04-01"), true)),
            Some(d("2029-02-01"))
        );
        // (d) action taken: only when the decision is final.
        let mut f = rf(S::ActionTaken, Some("2025-04-01"), false);
        assert_eq!(personal_data_due(&f), None);
        f.enforcement_final_on = Some(d("2026-01-10"));
        assert_eq!(personal_data_due(&f), Some(d("2026-01-10")));
        // Open complaint: no rule applies yet, unless kept for a case (4-year limit).
        assert_eq!(personal_data_due(&rf(S::Investigating, None, false)), None);
        assert_eq!(personal_data_due(&rf(S::Investigating, None, true)), Some(d("2029-02-01")));
    }

    #[test]
    fn scenario_59_anonymous_report_has_no_personal_data_rule_to_wait_for() {
        // Nothing identifying is stored for an anonymous report, so nothing is due; the report
        // itself is accepted (API test `anonymous_complaint_stores_no_reporter_data`).
        assert_eq!(personal_data_due(&rf(ComplaintStatus::Received, None, false)), None);
    }
}
