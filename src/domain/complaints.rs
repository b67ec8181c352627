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

use crate::domain::code::Code;
use crate::domain::general_rules::RuleCode;
use crate::domain::roles::Role;

mod records;
mod web_texts;
pub use records::{Anonymity, Channel, HotspotKey, MessageAuthor, MessageKind};
pub use web_texts::{PageTexts, PAGE_TEXT_KEYS};

/// The reporter languages the meldpunt supports (issue: nl, en, pl, ro, bg, uk).
pub const LANGUAGES: [&str; 6] = ["nl", "en", "pl", "ro", "bg", "uk"];

// ---------------------------------------------------------------------------------------------
// Categories (data file)
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
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
#[serde(deny_unknown_fields)]
pub struct NotificationTexts {
    pub subject: String,
    /// `{status}` is replaced by the status label.
    pub status_changed: String,
    pub new_message: String,
    pub footer: String,
}

/// The whole data file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    #[serde(default, rename = "_comment")]
    pub comment: Option<String>,
    pub languages: Vec<String>,
    pub categories: Vec<Category>,
    pub notifications: BTreeMap<String, NotificationTexts>,
    pub status_labels: BTreeMap<String, BTreeMap<String, String>>,
    /// The texts of the meldpunt's web page per language (`web_texts`); the shipped ones when
    /// the file has none.
    #[serde(default)]
    pub page: BTreeMap<String, PageTexts>,
    /// The exploitation signals in plain words per language, for the web page.
    #[serde(default)]
    pub signals: BTreeMap<String, BTreeMap<String, String>>,
}

impl Category {
    /// The category's title and explanation in `lang`, else in Dutch.
    pub fn text(&self, lang: &str) -> Option<&CategoryText> {
        self.texts.get(lang).or_else(|| self.texts.get("nl"))
    }
}

impl Catalogue {
    /// Parses and checks a catalogue: every category has a known rule code, a positive term and
    /// texts in every supported language; notification texts, status labels and the web page's
    /// texts are complete (a file without the web page's texts gets the shipped ones).
    pub fn parse(json: &str) -> Result<Catalogue, String> {
        let mut c: Catalogue = crate::domain::config_json::from_json(json)?;
        if c.lacks_web_texts() && json != DEFAULT_CATALOGUE {
            let shipped = Catalogue::parse(DEFAULT_CATALOGUE)?;
            c.page = shipped.page;
            c.signals = shipped.signals;
        }
        c.check_web_texts()?;
        if c.categories.is_empty() {
            return Err("has no categories".into());
        }
        // Languages are fixed by the meldpunt; a text in another one would never be shown.
        let supported = || LANGUAGES.join(", ");
        let mut listed: Vec<&str> = c.languages.iter().map(String::as_str).collect();
        listed.sort_unstable();
        let mut expected = LANGUAGES.to_vec();
        expected.sort_unstable();
        if listed != expected {
            return Err(format!("at languages: must list exactly the supported languages {}", supported()));
        }
        let unsupported = |at: String, lang: &str| {
            format!("at {at}.{lang}: {lang:?} is not a supported language ({})", supported())
        };
        for (i, cat) in c.categories.iter().enumerate() {
            if let Some(lang) = cat.texts.keys().find(|l| !is_language(l)) {
                return Err(unsupported(format!("categories[{i}].texts"), lang));
            }
        }
        if let Some(lang) = c.notifications.keys().find(|l| !is_language(l)) {
            return Err(unsupported("notifications".into(), lang));
        }
        for (lang, labels) in &c.status_labels {
            if !is_language(lang) {
                return Err(unsupported("status_labels".into(), lang));
            }
            if let Some(code) =
                labels.keys().find(|k| !ComplaintStatus::ALL.iter().any(|s| s.code() == k.as_str()))
            {
                return Err(format!("at status_labels.{lang}.{code}: not a complaint status"));
            }
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
                if !labels.contains_key(s.code()) {
                    return Err(format!("status_labels.{lang} lacks {}", s.code()));
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
            .and_then(|l| l.get(status.code()))
            .cloned()
            .unwrap_or_else(|| status.code().to_string())
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

pub use crate::domain::exploitation::ExploitationSignal;

/// Stored form of a signal set: sorted, space-separated codes.
pub fn signals_to_text(s: &[ExploitationSignal]) -> String {
    let mut v: Vec<_> = s.to_vec();
    v.sort();
    v.dedup();
    v.iter().map(|x| x.code()).collect::<Vec<_>>().join(" ")
}

pub fn signals_from_text(s: &str) -> Vec<ExploitationSignal> {
    s.split_whitespace().filter_map(ExploitationSignal::from_code).collect()
}

/// Partners a complaint can be referred to (issue; supervision.md "A referral to a partner";
/// rules.md MP-05, MP-07).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
    /// A utility (energy, water): unusual consumption at an address is a signal of overcrowding
    /// (issue #15, item 3: a partner that sends signals).
    Utility,
}

crate::closed_set!(Partner {
    LabourInspectorate => "labour_inspectorate",
    Police => "police",
    TaxAuthority => "tax_authority",
    Uwv => "uwv",
    Svb => "svb",
    Ind => "ind",
    Snf => "snf",
    Riec => "riec",
    OtherMunicipality => "other_municipality",
    CivilAffairs => "civil_affairs",
    HousingCorporation => "housing_corporation",
    HousingCorporationAuthority => "housing_corporation_authority",
    AntiDiscriminationService => "anti_discrimination_service",
    RentTribunal => "rent_tribunal",
    Utility => "utility",
});

impl Partner {
    /// The partner's code (as [`Code::code`]).
    pub fn as_str(self) -> &'static str {
        self.code()
    }
}

// ---------------------------------------------------------------------------------------------
// State machine
// ---------------------------------------------------------------------------------------------

/// States of a complaint (melding).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

crate::closed_set!(ComplaintStatus {
    Received => "received",
    Triaged => "triaged",
    Investigating => "investigating",
    Referred => "referred",
    ActionTaken => "action_taken",
    ClosedUnfounded => "closed_unfounded",
    ClosedNoAction => "closed_no_action",
    Merged => "merged",
});

impl ComplaintStatus {
    /// Still being handled (counts for the handling term / overdue list).
    pub fn is_open(self) -> bool {
        matches!(self, Self::Received | Self::Triaged | Self::Investigating)
    }
}

impl fmt::Display for ComplaintStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// State changes an officer can ask for, each with a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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

crate::closed_set!(ComplaintAction {
    Triage => "triage",
    StartInvestigation => "start_investigation",
    Refer => "refer",
    TakeAction => "take_action",
    CloseUnfounded => "close_unfounded",
    CloseNoAction => "close_no_action",
});

impl ComplaintAction {
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
    ComplaintAction::ALL.iter().copied().filter(|a| a.allowed_from(status)).collect()
}

/// Actions allowed now that this role may ask for: the complaint staff (officers and managers)
/// work complaints; any other role gets none. A merged complaint allows none.
pub fn allowed_actions_for(status: ComplaintStatus, role: Role) -> Vec<ComplaintAction> {
    if status == ComplaintStatus::Merged || !matches!(role, Role::Officer | Role::Manager) {
        return Vec::new();
    }
    allowed_actions(status)
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

/// Priority of a complaint: urgent ones are handled first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Urgent,
    High,
    Normal,
    Low,
}

crate::closed_set!(Priority { Urgent => "urgent", High => "high", Normal => "normal", Low => "low" });

impl Priority {
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
mod tests;
