//! What the meldpunt's templates show (`templates/meldpunt/`): the frame every page shares
//! and one type per page. Texts with `{municipality}`, `{count}` or `{mb}` are filled in here.

use std::collections::BTreeMap;

use askama::Template;

use crate::config::complaints::DeskContact;
use crate::domain::complaints::{PageTexts, LANGUAGES};
use crate::http::AppState;

/// A link to the same page in another language.
pub(crate) struct LanguageLink {
    pub code: &'static str,
    pub name: String,
    pub href: String,
    pub current: bool,
}

/// What every page shows: language, texts, the language switch, the municipality's contact.
pub(crate) struct Frame<'a> {
    pub lang: &'static str,
    pub t: &'a PageTexts,
    /// The page's own heading, also in `<title>`.
    pub title: String,
    pub municipality: String,
    pub intro: String,
    pub contact_text: String,
    pub desk: &'a DeskContact,
    /// `tel:` form of the desk's phone number.
    pub phone_href: Option<String>,
    pub languages: Vec<LanguageLink>,
}

impl<'a> Frame<'a> {
    /// Whether any contact detail of the meldpunt is set (the footer shows them only then).
    pub fn has_contact(&self) -> bool {
        self.desk.phone.is_some() || self.desk.email.is_some() || self.desk.website.is_some()
    }

    /// The frame of the page at `path` (for the language links) in `lang`, with the
    /// municipality's name and contact details from the settings.
    pub fn of(state: &'a AppState, t: &'a PageTexts, lang: &'static str, path: &str, title: &str) -> Self {
        let catalogue = &state.config.complaints.catalogue;
        let municipality = state.config.municipality_name.as_str();
        let desk = &state.config.complaints.desk;
        let fill = |s: &str| s.replace("{municipality}", municipality);
        let languages = LANGUAGES
            .iter()
            .map(|code| LanguageLink {
                code,
                name: catalogue
                    .page_texts(code)
                    .map_or_else(|| code.to_string(), |t| t.language_name.clone()),
                href: format!("{path}?lang={code}"),
                current: *code == lang,
            })
            .collect();
        Frame {
            lang,
            t,
            title: title.to_string(),
            municipality: municipality.to_string(),
            intro: fill(&t.intro),
            contact_text: fill(&t.contact_text),
            desk,
            phone_href: desk.phone.as_ref().map(|p| {
                let digits: String = p.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
                format!("tel:{digits}")
            }),
            languages,
        }
    }
}

/// A category as a radio button.
pub(crate) struct CategoryChoice {
    pub code: String,
    pub title: String,
    pub explanation: String,
    pub checked: bool,
}

/// An exploitation signal as a check box.
pub(crate) struct SignalChoice {
    pub code: &'static str,
    pub label: String,
    pub checked: bool,
}

/// The values a resident typed, kept when the form comes back with errors.
#[derive(Default, Clone)]
pub(crate) struct FormValues {
    pub category: String,
    pub postcode: String,
    pub house_number: String,
    pub house_number_addition: String,
    pub location_description: String,
    pub description: String,
    pub signals: Vec<String>,
    pub fully_anonymous: bool,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub consent_to_contact: bool,
}

/// Errors per field (the field's id) in the page's language; the summary lists them in the
/// form's order.
#[derive(Default)]
pub(crate) struct FieldErrors {
    by_field: BTreeMap<&'static str, String>,
    pub summary: Vec<(&'static str, String)>,
}

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, message: String) {
        if !self.by_field.contains_key(field) {
            self.by_field.insert(field, message.clone());
            self.summary.push((field, message));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.by_field.is_empty()
    }

    pub fn get(&self, field: &str) -> Option<&String> {
        self.by_field.get(field)
    }

    /// Puts the summary in the order of `fields` (the form's order).
    pub fn order_by(&mut self, fields: &[&str]) {
        self.summary.sort_by_key(|(f, _)| fields.iter().position(|x| x == f).unwrap_or(usize::MAX));
    }
}

/// `GET /meldpunt` and a report with errors.
#[derive(Template)]
#[template(path = "meldpunt/form.html")]
pub(crate) struct FormPage<'a> {
    pub frame: Frame<'a>,
    pub categories: Vec<CategoryChoice>,
    pub signals: Vec<SignalChoice>,
    pub values: FormValues,
    pub errors: FieldErrors,
    pub photos_hint: String,
    /// A one-time key of this form: sending the same form again files nothing new.
    pub submission: String,
    /// Files came with a form that has errors: a browser cannot fill them in again.
    pub files_dropped: bool,
}

impl FormPage<'_> {
    /// The `aria-describedby` of a field: its hint (when it has one) and its error (when shown).
    pub fn described(&self, field: &str, hint: bool) -> String {
        let mut ids = Vec::new();
        if hint {
            ids.push(format!("{field}-hint"));
        }
        if self.errors.get(field).is_some() {
            ids.push(format!("{field}-error"));
        }
        if field == "photos" && self.files_dropped {
            ids.push("photos-again".into());
        }
        ids.join(" ")
    }

    pub fn invalid(&self, field: &str) -> bool {
        self.errors.get(field).is_some()
    }
}

/// The answer to a filed report: the tracking code, large.
#[derive(Template)]
#[template(path = "meldpunt/result.html")]
pub(crate) struct ResultPage<'a> {
    pub frame: Frame<'a>,
    pub tracking_code: String,
}

/// A short page with one message (too many requests, too large, something went wrong).
#[derive(Template)]
#[template(path = "meldpunt/notice.html")]
pub(crate) struct NoticePage<'a> {
    pub frame: Frame<'a>,
    pub message: String,
}

/// `GET /meldpunt/track`, and a wrong code.
#[derive(Template)]
#[template(path = "meldpunt/track.html")]
pub(crate) struct TrackPage<'a> {
    pub frame: Frame<'a>,
    pub code: String,
    pub error: Option<String>,
}

/// One message on the status page.
pub(crate) struct MessageView {
    pub from_municipality: bool,
    pub text: String,
    pub sent_on: String,
}

/// The status of a report, its messages and the form to add one.
#[derive(Template)]
#[template(path = "meldpunt/status.html")]
pub(crate) struct StatusPage<'a> {
    pub frame: Frame<'a>,
    pub code: String,
    pub status: String,
    pub category: String,
    pub filed_on: String,
    pub messages: Vec<MessageView>,
    pub sent: bool,
    pub text: String,
    pub text_error: Option<String>,
}
