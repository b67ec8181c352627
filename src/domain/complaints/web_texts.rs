//! The texts of the meldpunt's web page, per language, kept with the category data
//! (`data/complaint-categories.json`, sections `page` and `signals`). Every language has every
//! text: a missing one is a start-up error naming it, not a blank on a resident's screen.
//!
//! PURE: no I/O.

use serde::{Deserialize, Serialize};

use super::{ExploitationSignal, LANGUAGES};
use crate::domain::code::Code;

/// One language's texts of the page. `{count}`, `{mb}` and `{municipality}` are filled in
/// when a page is rendered.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PageTexts {
    pub language_name: String,
    pub page_title: String,
    pub intro: String,
    pub emergency: String,
    pub required_note: String,
    pub optional: String,
    pub category_legend: String,
    pub address_legend: String,
    pub address_hint: String,
    pub postcode_label: String,
    pub postcode_hint: String,
    pub house_number_label: String,
    pub house_number_addition_label: String,
    pub location_label: String,
    pub location_hint: String,
    pub description_label: String,
    pub description_hint: String,
    pub signals_legend: String,
    pub signals_hint: String,
    pub photos_label: String,
    pub photos_hint: String,
    pub photos_again: String,
    pub anonymity_legend: String,
    pub anonymity_anonymous_to_landlord: String,
    pub anonymity_fully_anonymous: String,
    pub contact_legend: String,
    pub contact_hint: String,
    pub contact_name_label: String,
    pub contact_email_label: String,
    pub contact_phone_label: String,
    pub consent_label: String,
    pub submit: String,
    pub privacy_note: String,
    pub errors_title: String,
    pub error_category: String,
    pub error_description: String,
    pub error_postcode: String,
    pub error_house_number: String,
    pub error_house_number_addition: String,
    pub error_address_or_location: String,
    pub error_location: String,
    pub error_signals: String,
    pub error_photos: String,
    pub error_too_many_photos: String,
    pub error_contact: String,
    pub error_contact_email: String,
    pub error_contact_phone: String,
    pub error_contact_name: String,
    pub error_consent: String,
    pub error_too_many_reports: String,
    pub error_too_large: String,
    pub error_general: String,
    pub result_title: String,
    pub result_code_label: String,
    pub result_code_advice: String,
    pub result_next_title: String,
    pub result_next: String,
    pub result_promise_title: String,
    pub result_promise: String,
    pub track_link: String,
    pub new_report_link: String,
    pub track_title: String,
    pub track_intro: String,
    pub code_label: String,
    pub code_hint: String,
    pub track_submit: String,
    pub error_code_unknown: String,
    pub error_code_blocked: String,
    pub error_code_empty: String,
    pub status_label: String,
    pub category_label: String,
    pub filed_on_label: String,
    pub messages_title: String,
    pub no_messages: String,
    pub from_municipality: String,
    pub from_you: String,
    pub add_message_label: String,
    pub add_message_hint: String,
    pub message_submit: String,
    pub message_sent: String,
    pub error_message_text: String,
    pub error_report_deleted: String,
    pub contact_title: String,
    pub contact_text: String,
    pub skip_link: String,
    pub language_nav_label: String,
    pub required_marker_label: String,
}

impl PageTexts {
    /// Every text with its key, to check that none is blank.
    fn all(&self) -> [(&'static str, &String); 87] {
        [
            ("language_name", &self.language_name),
            ("page_title", &self.page_title),
            ("intro", &self.intro),
            ("emergency", &self.emergency),
            ("required_note", &self.required_note),
            ("optional", &self.optional),
            ("category_legend", &self.category_legend),
            ("address_legend", &self.address_legend),
            ("address_hint", &self.address_hint),
            ("postcode_label", &self.postcode_label),
            ("postcode_hint", &self.postcode_hint),
            ("house_number_label", &self.house_number_label),
            ("house_number_addition_label", &self.house_number_addition_label),
            ("location_label", &self.location_label),
            ("location_hint", &self.location_hint),
            ("description_label", &self.description_label),
            ("description_hint", &self.description_hint),
            ("signals_legend", &self.signals_legend),
            ("signals_hint", &self.signals_hint),
            ("photos_label", &self.photos_label),
            ("photos_hint", &self.photos_hint),
            ("photos_again", &self.photos_again),
            ("anonymity_legend", &self.anonymity_legend),
            ("anonymity_anonymous_to_landlord", &self.anonymity_anonymous_to_landlord),
            ("anonymity_fully_anonymous", &self.anonymity_fully_anonymous),
            ("contact_legend", &self.contact_legend),
            ("contact_hint", &self.contact_hint),
            ("contact_name_label", &self.contact_name_label),
            ("contact_email_label", &self.contact_email_label),
            ("contact_phone_label", &self.contact_phone_label),
            ("consent_label", &self.consent_label),
            ("submit", &self.submit),
            ("privacy_note", &self.privacy_note),
            ("errors_title", &self.errors_title),
            ("error_category", &self.error_category),
            ("error_description", &self.error_description),
            ("error_postcode", &self.error_postcode),
            ("error_house_number", &self.error_house_number),
            ("error_house_number_addition", &self.error_house_number_addition),
            ("error_address_or_location", &self.error_address_or_location),
            ("error_location", &self.error_location),
            ("error_signals", &self.error_signals),
            ("error_photos", &self.error_photos),
            ("error_too_many_photos", &self.error_too_many_photos),
            ("error_contact", &self.error_contact),
            ("error_contact_email", &self.error_contact_email),
            ("error_contact_phone", &self.error_contact_phone),
            ("error_contact_name", &self.error_contact_name),
            ("error_consent", &self.error_consent),
            ("error_too_many_reports", &self.error_too_many_reports),
            ("error_too_large", &self.error_too_large),
            ("error_general", &self.error_general),
            ("result_title", &self.result_title),
            ("result_code_label", &self.result_code_label),
            ("result_code_advice", &self.result_code_advice),
            ("result_next_title", &self.result_next_title),
            ("result_next", &self.result_next),
            ("result_promise_title", &self.result_promise_title),
            ("result_promise", &self.result_promise),
            ("track_link", &self.track_link),
            ("new_report_link", &self.new_report_link),
            ("track_title", &self.track_title),
            ("track_intro", &self.track_intro),
            ("code_label", &self.code_label),
            ("code_hint", &self.code_hint),
            ("track_submit", &self.track_submit),
            ("error_code_unknown", &self.error_code_unknown),
            ("error_code_blocked", &self.error_code_blocked),
            ("error_code_empty", &self.error_code_empty),
            ("status_label", &self.status_label),
            ("category_label", &self.category_label),
            ("filed_on_label", &self.filed_on_label),
            ("messages_title", &self.messages_title),
            ("no_messages", &self.no_messages),
            ("from_municipality", &self.from_municipality),
            ("from_you", &self.from_you),
            ("add_message_label", &self.add_message_label),
            ("add_message_hint", &self.add_message_hint),
            ("message_submit", &self.message_submit),
            ("message_sent", &self.message_sent),
            ("error_message_text", &self.error_message_text),
            ("error_report_deleted", &self.error_report_deleted),
            ("contact_title", &self.contact_title),
            ("contact_text", &self.contact_text),
            ("skip_link", &self.skip_link),
            ("language_nav_label", &self.language_nav_label),
            ("required_marker_label", &self.required_marker_label),
        ]
    }
}

impl super::Catalogue {
    /// True when the data file has neither `page` nor `signals` (a municipality's own file may
    /// leave them out and gets the shipped texts).
    pub fn lacks_web_texts(&self) -> bool {
        self.page.is_empty() && self.signals.is_empty()
    }

    /// Checks that every supported language has every page text (none blank) and a label for
    /// every signal, and nothing for an unknown language or signal.
    pub(super) fn check_web_texts(&self) -> Result<(), String> {
        for lang in self.page.keys().chain(self.signals.keys()) {
            if !LANGUAGES.contains(&lang.as_str()) {
                return Err(format!("at page or signals: {lang:?} is not a supported language"));
            }
        }
        for lang in LANGUAGES {
            let texts = self.page.get(lang).ok_or_else(|| format!("page lacks the language {lang}"))?;
            if let Some((key, _)) = texts.all().into_iter().find(|(_, t)| t.trim().is_empty()) {
                return Err(format!("page.{lang}.{key} is blank"));
            }
            let labels = self.signals.get(lang).ok_or_else(|| format!("signals lack the language {lang}"))?;
            for s in ExploitationSignal::ALL {
                if labels.get(s.code()).is_none_or(|t| t.trim().is_empty()) {
                    return Err(format!("signals.{lang} lacks {}", s.code()));
                }
            }
            if let Some(code) = labels.keys().find(|k| ExploitationSignal::from_code(k).is_none()) {
                return Err(format!("at signals.{lang}.{code}: not an exploitation signal"));
            }
        }
        Ok(())
    }

    /// The page texts of `lang`, else Dutch.
    pub fn page_texts(&self, lang: &str) -> Option<&PageTexts> {
        self.page.get(lang).or_else(|| self.page.get("nl"))
    }

    /// The plain-words label of a signal in `lang`, else its code.
    pub fn signal_label(&self, lang: &str, signal: ExploitationSignal) -> &str {
        self.signals.get(lang).and_then(|l| l.get(signal.code())).map_or(signal.code(), String::as_str)
    }
}

/// The keys of [`PageTexts`], in order (for tests and tools).
pub const PAGE_TEXT_KEYS: [&str; 87] = [
    "language_name",
    "page_title",
    "intro",
    "emergency",
    "required_note",
    "optional",
    "category_legend",
    "address_legend",
    "address_hint",
    "postcode_label",
    "postcode_hint",
    "house_number_label",
    "house_number_addition_label",
    "location_label",
    "location_hint",
    "description_label",
    "description_hint",
    "signals_legend",
    "signals_hint",
    "photos_label",
    "photos_hint",
    "photos_again",
    "anonymity_legend",
    "anonymity_anonymous_to_landlord",
    "anonymity_fully_anonymous",
    "contact_legend",
    "contact_hint",
    "contact_name_label",
    "contact_email_label",
    "contact_phone_label",
    "consent_label",
    "submit",
    "privacy_note",
    "errors_title",
    "error_category",
    "error_description",
    "error_postcode",
    "error_house_number",
    "error_house_number_addition",
    "error_address_or_location",
    "error_location",
    "error_signals",
    "error_photos",
    "error_too_many_photos",
    "error_contact",
    "error_contact_email",
    "error_contact_phone",
    "error_contact_name",
    "error_consent",
    "error_too_many_reports",
    "error_too_large",
    "error_general",
    "result_title",
    "result_code_label",
    "result_code_advice",
    "result_next_title",
    "result_next",
    "result_promise_title",
    "result_promise",
    "track_link",
    "new_report_link",
    "track_title",
    "track_intro",
    "code_label",
    "code_hint",
    "track_submit",
    "error_code_unknown",
    "error_code_blocked",
    "error_code_empty",
    "status_label",
    "category_label",
    "filed_on_label",
    "messages_title",
    "no_messages",
    "from_municipality",
    "from_you",
    "add_message_label",
    "add_message_hint",
    "message_submit",
    "message_sent",
    "error_message_text",
    "error_report_deleted",
    "contact_title",
    "contact_text",
    "skip_link",
    "language_nav_label",
    "required_marker_label",
];
