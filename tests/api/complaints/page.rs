//! The meldpunt's web page (`/meldpunt`, `/meldpunt/track`): the same rules and use cases as
//! the JSON routes, in the resident's language, with errors next to their fields. The browser
//! itself is driven by `tests/api/browser.rs`; these tests speak HTTP.

use huurtoezicht::domain::complaints::{Catalogue, DEFAULT_CATALOGUE};
use reqwest::multipart::{Form, Part};

use super::*;

fn catalogue() -> Catalogue {
    Catalogue::parse(DEFAULT_CATALOGUE).unwrap()
}

/// `s` as the pages write it (HTML-escaped).
fn esc(s: &str) -> String {
    s.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

/// The text of the element with this id (up to its first tag), unescaped.
fn text_of(html: &str, id: &str) -> Option<String> {
    let at = html.find(&format!("id=\"{id}\""))?;
    let start = at + html[at..].find('>')? + 1;
    let end = start + html[start..].find('<')?;
    let text = html[start..end].trim();
    Some(
        text.replace("&#34;", "\"")
            .replace("&#39;", "'")
            .replace("&#60;", "<")
            .replace("&#62;", ">")
            .replace("&#38;", "&"),
    )
}

/// The whole start tag of the element with this id.
fn tag_of<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id} in {html}"));
    let start = html[..at].rfind('<').unwrap();
    let end = at + html[at..].find('>').unwrap();
    &html[start..=end]
}

/// A report as the page sends it: every field, most empty, two signals ticked; `changes` replace
/// or add fields.
fn form_with(changes: &[(&str, &str)]) -> Form {
    let mut fields = vec![
        ("category", "intimidation"),
        ("postcode", "3011 ab"),
        ("house_number", "12"),
        ("house_number_addition", ""),
        ("location_description", ""),
        ("description", "Właściciel grozi, że nas wyrzuci."),
        ("anonymity", "anonymous_to_landlord"),
        ("contact_name", ""),
        ("contact_email", ""),
        ("contact_phone", ""),
    ];
    for (k, v) in changes {
        match fields.iter_mut().find(|(name, _)| name == k) {
            Some(f) => f.1 = v,
            None => fields.push((k, v)),
        }
    }
    let form = fields.into_iter().fold(Form::new(), |f, (k, v)| f.text(k.to_string(), v.to_string()));
    form.text("signals", "documents_withheld").text("signals", "debts_to_employer")
}

fn report_form(description: &str) -> Form {
    form_with(&[("description", description)])
}

async fn send_form(
    app: &TestApp,
    lang: &str,
    form: Form,
) -> (StatusCode, String, reqwest::header::HeaderMap) {
    let res =
        app.client.post(app.url(&format!("/meldpunt?lang={lang}"))).multipart(form).send().await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    (status, res.text().await.unwrap(), headers)
}

async fn post_urlencoded(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
    let res = app.client.post(app.url(path)).form(fields).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

/// Ids of the complaints an officer sees.
async fn complaint_ids(app: &TestApp, token: &str) -> Vec<String> {
    let list: Value = app.get("/v1/complaints", Some(token)).await.json().await.unwrap();
    list["items"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn the_page_speaks_the_language_of_the_url_else_of_the_browser_and_sets_no_cookie() {
    let app = spawn_app().await;
    let cat = catalogue();
    for lang in ["nl", "en", "pl", "ro", "bg", "uk"] {
        let res = app.get(&format!("/meldpunt?lang={lang}"), None).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.headers().get("set-cookie").is_none());
        let csp = res.headers()["content-security-policy"].to_str().unwrap().to_string();
        assert!(csp.contains("default-src 'none'") && csp.contains("form-action 'self'"), "{csp}");
        assert_eq!(res.headers()["cache-control"], "no-store");
        let html = res.text().await.unwrap();
        assert!(html.contains(&format!("<html lang=\"{lang}\">")));
        let title = &cat.category("intimidation").unwrap().texts[lang].title;
        assert!(html.contains(&esc(title)), "{lang}: category title {title}");
        let signal = &cat.signals[lang]["documents_withheld"];
        assert!(html.contains(&esc(signal)), "{lang}: signal label");
        assert!(tag_of(&html, "report").contains(&format!("action=\"/meldpunt?lang={lang}\"")));
        for placeholder in ["{count}", "{mb}", "{municipality}"] {
            assert!(!html.contains(placeholder), "{lang}: {placeholder} left unfilled");
        }
    }
    let res = app
        .client
        .get(app.url("/meldpunt"))
        .header("accept-language", "de-DE,de;q=0.9,ro-RO;q=0.8,en;q=0.5")
        .send()
        .await
        .unwrap();
    assert!(res.text().await.unwrap().contains("<html lang=\"ro\">"));
    // An unknown language in the URL falls back to the browser's, then Dutch.
    let res =
        app.client.get(app.url("/meldpunt?lang=de")).header("accept-language", "uk").send().await.unwrap();
    assert!(res.text().await.unwrap().contains("<html lang=\"uk\">"));
    let html = app.get("/meldpunt/track", None).await.text().await.unwrap();
    assert!(html.contains("<html lang=\"nl\">"));
    let res = app.client.delete(app.url("/meldpunt")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(res.headers()["allow"], "GET, POST");
    let css = app.get("/meldpunt/assets/meldpunt.css", None).await;
    assert_eq!(css.status(), StatusCode::OK);
    assert!(css.headers()["content-type"].to_str().unwrap().starts_with("text/css"));
}

#[tokio::test]
async fn a_report_from_the_page_is_filed_like_one_from_the_api_and_its_photo_is_cleaned() {
    let app = spawn_app().await;
    let photo = Part::bytes(jpeg_with_gps()).file_name("IMG_0001.JPG").mime_str("image/jpeg").unwrap();
    let form = report_form("Właściciel zabrał nam paszporty.").part("photos", photo);
    let (status, html, headers) = send_form(&app, "pl", form).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(headers.get("set-cookie").is_none());
    let code = text_of(&html, "tracking-code").unwrap();
    assert_eq!(code.split('-').count(), 8, "{code}");
    assert!(tag_of(&html, "track-link").contains("/meldpunt/track?lang=pl"));

    let token = officer(&app).await;
    let ids = complaint_ids(&app, &token).await;
    assert_eq!(ids.len(), 1);
    let c: Value = app.get(&format!("/v1/complaints/{}", ids[0]), Some(&token)).await.json().await.unwrap();
    assert_eq!(c["language"], "pl");
    assert_eq!(c["category"], "intimidation");
    assert_eq!(c["description"], "Właściciel zabrał nam paszporty.");
    assert_eq!(c["address"]["postcode"], "3011 AB");
    let signals = c["exploitation_signals"].as_array().unwrap();
    assert!(signals.contains(&json!("documents_withheld")) && signals.contains(&json!("debts_to_employer")));
    assert_eq!(stored(&app, &ids[0]).channel, Channel::Public);
    let attachments = c["attachments"].as_array().unwrap();
    assert_eq!(attachments.len(), 1);
    let bytes = app.get(attachments[0]["href"].as_str().unwrap(), Some(&token)).await.bytes().await.unwrap();
    assert!(bytes.starts_with(&[0xFF, 0xD8]));
    assert!(!String::from_utf8_lossy(&bytes).contains("GPS"), "the photo's position was kept");
    // The code is the API's tracking code.
    let tracked = app.get(&format!("/v1/complaints/track/{code}"), None).await;
    assert_eq!(tracked.status(), StatusCode::OK);
}

#[tokio::test]
async fn errors_come_back_next_to_their_fields_in_the_pages_language_and_nothing_is_filed() {
    let app = spawn_app().await;
    let t = &catalogue().page["en"];
    // No description, a postcode that is not Dutch, an email address without consent.
    let form = form_with(&[("description", ""), ("postcode", "30"), ("contact_email", "not-an-address")]);
    let (status, html, _) = send_form(&app, "en", form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(text_of(&html, "description-error").unwrap(), t.error_description);
    let description = tag_of(&html, "description");
    assert!(
        description.contains("aria-invalid=\"true\"") && description.contains("description-error"),
        "{description}"
    );
    assert!(html.contains("id=\"error-summary\""));
    assert!(html.contains("<a href=\"#description\">"));
    assert_eq!(text_of(&html, "contact_email-error").unwrap(), t.error_contact_email);
    assert_eq!(text_of(&html, "consent_to_contact-error").unwrap(), t.error_consent);
    // What was typed is kept; the ticked boxes too.
    assert!(tag_of(&html, "contact_email").contains("value=\"not-an-address\""));
    assert!(tag_of(&html, "category-intimidation").contains("checked"));
    assert!(tag_of(&html, "signal-documents_withheld").contains("checked"));
    assert!(!tag_of(&html, "signal-underpaid").contains("checked"));

    // In Polish, the same rule speaks Polish.
    let (status, html, _) = send_form(&app, "pl", form_with(&[("house_number", "twaalf")])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(text_of(&html, "house_number-error").unwrap(), catalogue().page["pl"].error_house_number);
    // No address and no place: reported at the postcode.
    let form =
        Form::new().text("category", "other").text("description", "x").text("anonymity", "fully_anonymous");
    let (status, html, _) = send_form(&app, "nl", form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(text_of(&html, "postcode-error").unwrap(), catalogue().page["nl"].error_address_or_location);
    // No category.
    let form = Form::new().text("description", "x").text("location_description", "boven de bakker");
    let (_, html, _) = send_form(&app, "nl", form).await;
    assert_eq!(text_of(&html, "category-error").unwrap(), catalogue().page["nl"].error_category);

    assert!(complaint_ids(&app, &officer(&app).await).await.is_empty(), "a report with errors was filed");

    // Without files the form may also come URL-encoded: the same rules, the same answers.
    let (status, html) =
        post_urlencoded(&app, "/meldpunt?lang=en", &[("category", "other"), ("description", "x")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(text_of(&html, "postcode-error").unwrap(), t.error_address_or_location);
    let fields =
        [("category", "other"), ("description", "Lekkage"), ("location_description", "Hoek Coolsingel")];
    let (status, html) = post_urlencoded(&app, "/meldpunt?lang=en", &fields).await;
    assert_eq!(status, StatusCode::OK);
    assert!(text_of(&html, "tracking-code").is_some());
}

#[tokio::test]
async fn contact_details_need_consent_and_a_fully_anonymous_report_keeps_none() {
    let app = spawn_app().await;
    let form = form_with(&[("contact_email", "melder@example.org"), ("consent_to_contact", "yes")]);
    let (status, _, _) = send_form(&app, "nl", form).await;
    assert_eq!(status, StatusCode::OK);
    // "Nobody may know": whatever is still in the contact boxes is not stored.
    let form = Form::new()
        .text("category", "poor_maintenance")
        .text("location_description", "Kamer boven de bakkerij")
        .text("description", "Lekkage")
        .text("anonymity", "fully_anonymous")
        .text("contact_email", "geheim@example.org")
        .text("contact_phone", "0612345678")
        .text("consent_to_contact", "yes");
    let (status, _, _) = send_form(&app, "nl", form).await;
    assert_eq!(status, StatusCode::OK);
    let token = officer(&app).await;
    let mut with_contact = 0;
    for id in complaint_ids(&app, &token).await {
        let row = stored(&app, &id);
        let dump = format!("{row:?}");
        assert!(!dump.contains("geheim@example.org") && !dump.contains("0612345678"));
        if row.contact_email.as_deref() == Some("melder@example.org") {
            with_contact += 1;
        }
    }
    assert_eq!(with_contact, 1);
}

#[tokio::test]
async fn a_reporter_follows_the_report_and_adds_a_message_with_the_code() {
    let app = spawn_app().await;
    let created = submit(&app, &report("intimidation")).await;
    let code = created["tracking_code"].as_str().unwrap().to_string();
    let cat = catalogue();

    let html = app.get("/meldpunt/track?lang=uk", None).await.text().await.unwrap();
    assert!(tag_of(&html, "track").contains("method=\"post\""), "the code travels in the body, not the URL");
    // Typed in lower case with spaces: still found.
    let typed = code.to_lowercase().replace('-', " ");
    let (status, html) = post_urlencoded(&app, "/meldpunt/track?lang=uk", &[("code", &typed)]).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert_eq!(text_of(&html, "status").unwrap(), cat.status_labels["uk"]["received"]);
    assert!(html.contains(&esc(&cat.category("intimidation").unwrap().texts["uk"].title)));

    let (status, html) = post_urlencoded(
        &app,
        "/meldpunt/track/messages?lang=uk",
        &[("code", &code), ("text", "Кімната 3 <b>без вікна</b>")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(text_of(&html, "message-sent").unwrap(), cat.page["uk"].message_sent);
    assert!(html.contains("Кімната 3 &#60;b&#62;без вікна&#60;/b&#62;"), "the message is shown, escaped");
    let c: Value = app
        .get(&format!("/v1/complaints/{}", created["id"].as_str().unwrap()), Some(&officer(&app).await))
        .await
        .json()
        .await
        .unwrap();
    assert!(c["messages"].as_array().unwrap().iter().any(|m| m["text"] == "Кімната 3 <b>без вікна</b>"));

    let (status, html) =
        post_urlencoded(&app, "/meldpunt/track/messages?lang=uk", &[("code", &code), ("text", "  ")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(text_of(&html, "text-error").unwrap(), cat.page["uk"].error_message_text);

    let (status, html) =
        post_urlencoded(&app, "/meldpunt/track?lang=en", &[("code", "AAAA-BBBB-CCCC")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(text_of(&html, "code-error").unwrap(), cat.page["en"].error_code_unknown);
    let (status, _) =
        post_urlencoded(&app, "/meldpunt/track/messages?lang=en", &[("code", "WRONG"), ("text", "x")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn wrong_codes_and_too_many_reports_are_throttled_like_the_api() {
    let settings = HashMap::from([
        ("HUURTOEZICHT_TRACK_FAILURES_PER_MINUTE".to_string(), "2".to_string()),
        ("HUURTOEZICHT_RATE_LIMIT_INTAKE_BURST".to_string(), "1".to_string()),
    ]);
    let app = spawn_app_with(settings, Clock::system()).await;
    for _ in 0..2 {
        let (status, _) = post_urlencoded(&app, "/meldpunt/track?lang=pl", &[("code", "ZZZZ-ZZZZ")]).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let (status, html) = post_urlencoded(&app, "/meldpunt/track?lang=pl", &[("code", "ZZZZ-ZZZZ")]).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(text_of(&html, "code-error").unwrap(), catalogue().page["pl"].error_code_blocked);

    let (status, _, _) = send_form(&app, "ro", report_form("Prima")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, html, headers) = send_form(&app, "ro", report_form("A doua")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(headers.contains_key("retry-after"));
    assert!(html.contains(&esc(&catalogue().page["ro"].error_too_many_reports)));
}

#[tokio::test]
async fn files_are_held_to_the_apis_limits() {
    let settings = HashMap::from([
        ("HUURTOEZICHT_ATTACHMENT_MAX_COUNT".to_string(), "1".to_string()),
        ("HUURTOEZICHT_ATTACHMENT_MAX_BYTES".to_string(), "4000".to_string()),
    ]);
    let app = spawn_app_with(settings, Clock::system()).await;
    let jpeg = || Part::bytes(jpeg_with_gps()).file_name("a.jpg").mime_str("image/jpeg").unwrap();
    let form = report_form("Twee foto's").part("photos", jpeg()).part("photos", jpeg());
    let (status, html, _) = send_form(&app, "en", form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        text_of(&html, "photos-error").unwrap(),
        catalogue().page["en"].error_too_many_photos.replace("{count}", "1")
    );
    // Not a photo, PDF or PNG by its content.
    let fake =
        Part::bytes(b"MZ\x90\0 not an image".to_vec()).file_name("a.jpg").mime_str("image/jpeg").unwrap();
    let (status, html, _) = send_form(&app, "en", report_form("Nep").part("photos", fake)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(tag_of(&html, "photos").contains("aria-invalid=\"true\""));
    // The browser cannot fill a file input again: the page says to choose the files again.
    assert_eq!(text_of(&html, "photos-again").unwrap(), catalogue().page["en"].photos_again);
    assert!(tag_of(&html, "photos").contains("photos-again"));
    let (_, html, _) = send_form(&app, "en", form_with(&[("description", "")])).await;
    assert!(!html.contains("id=\"photos-again\""), "no files were sent");
    // Larger than the whole body may be.
    let big = Part::bytes(vec![0u8; 300 * 1024]).file_name("big.jpg").mime_str("image/jpeg").unwrap();
    let (status, _, _) = send_form(&app, "en", report_form("Groot").part("photos", big)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    // An empty file input sends an empty part: no attachment, no error.
    let empty = Part::bytes(Vec::new()).file_name("").mime_str("application/octet-stream").unwrap();
    let (status, _, _) = send_form(&app, "en", report_form("Zonder foto").part("photos", empty)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(std::fs::read_dir(attachment_dir(&app)).map(|d| d.count() == 0).unwrap_or(true));
}

#[tokio::test]
async fn the_same_form_sent_twice_files_one_report_and_shows_the_same_code() {
    let app = spawn_app().await;
    let html = app.get("/meldpunt?lang=bg", None).await.text().await.unwrap();
    let key_tag = html.split("name=\"submission\" value=\"").nth(1).unwrap();
    let key = &key_tag[..key_tag.find('"').unwrap()];
    let photo = || Part::bytes(jpeg_with_gps()).file_name("a.jpg").mime_str("image/jpeg").unwrap();
    let sent = || form_with(&[("submission", key)]).part("photos", photo());
    let (first, html1, _) = send_form(&app, "bg", sent()).await;
    let (again, html2, _) = send_form(&app, "bg", sent()).await;
    assert_eq!((first, again), (StatusCode::OK, StatusCode::OK));
    assert_eq!(text_of(&html1, "tracking-code"), text_of(&html2, "tracking-code"));
    let token = officer(&app).await;
    assert_eq!(complaint_ids(&app, &token).await.len(), 1);
    assert_eq!(std::fs::read_dir(attachment_dir(&app)).unwrap().count(), 1, "the second photo was not kept");
    // The form changed (back, edit, send): a new report with a new code.
    let (status, html3, _) =
        send_form(&app, "bg", form_with(&[("submission", key), ("description", "Друго")])).await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(text_of(&html1, "tracking-code"), text_of(&html3, "tracking-code"));
    assert_eq!(complaint_ids(&app, &token).await.len(), 2);
}
