//! Letters to reporters of the meldpunt. Their texts, in the reporter's language, come from the
//! catalogue data file (`notifications`), which a municipality can replace; the letter carries
//! no details of the complaint (no message text, no tracking code): the reporter reads those
//! with the code.

use askama::Template;

use super::Letter;
use crate::domain::complaints::{Catalogue, ComplaintStatus};
use crate::error::AppResult;

/// What happened to a complaint that its reporter is told about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    StatusChanged(ComplaintStatus),
    NewMessage,
}

/// The notice line and footer of a reporter notification.
#[derive(Template)]
#[template(path = "letters/complaint_notice.txt", escape = "none")]
struct NoticeBody<'a> {
    line: &'a str,
    footer: &'a str,
}

/// A notification to a reporter in `language` (Dutch when the catalogue lacks it).
pub struct ReporterNotice<'a> {
    pub catalogue: &'a Catalogue,
    pub language: &'a str,
    pub notice: Notice,
}

impl ReporterNotice<'_> {
    /// The letter, or `None` when the catalogue has no texts in the language nor in Dutch.
    pub fn letter(&self) -> AppResult<Option<Letter>> {
        let cat = self.catalogue;
        let Some(t) = cat.notifications.get(self.language).or_else(|| cat.notifications.get("nl")) else {
            return Ok(None);
        };
        let line = match self.notice {
            Notice::StatusChanged(s) => {
                t.status_changed.replace("{status}", &cat.status_label(self.language, s))
            }
            Notice::NewMessage => t.new_message.clone(),
        };
        Letter::render(t.subject.clone(), &NoticeBody { line: &line, footer: &t.footer }).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::complaints::DEFAULT_CATALOGUE;

    #[test]
    fn the_notice_is_the_line_and_the_footer_of_the_data_file() {
        let cat = Catalogue::parse(DEFAULT_CATALOGUE).unwrap_or_else(|e| panic!("{e}"));
        let t = &cat.notifications["pl"];
        let l = ReporterNotice {
            catalogue: &cat,
            language: "pl",
            notice: Notice::StatusChanged(ComplaintStatus::Triaged),
        }
        .letter()
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("texts in Polish"));
        let line = t.status_changed.replace("{status}", &cat.status_label("pl", ComplaintStatus::Triaged));
        assert_eq!(l.subject, t.subject);
        assert_eq!(l.body, format!("{line}\n\n{}", t.footer));
        let m = ReporterNotice { catalogue: &cat, language: "xx", notice: Notice::NewMessage }
            .letter()
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("Dutch texts"));
        assert_eq!(
            m.body,
            format!("{}\n\n{}", cat.notifications["nl"].new_message, cat.notifications["nl"].footer)
        );
    }
}
