//! The partner's feedback (once), the overdue rule with its setting, the list and the dashboard,
//! and the scope of the referral routes.

use std::collections::HashMap;

use huurtoezicht::clock::Clock;

use super::*;

fn weeks(n: &str) -> HashMap<String, String> {
    HashMap::from([("HUURTOEZICHT_REFERRAL_FEEDBACK_WEEKS".to_string(), n.to_string())])
}

fn ids(list: &Value) -> Vec<String> {
    list["items"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn a_referral_without_feedback_is_overdue_after_the_set_weeks_and_feedback_is_recorded_once() {
    let app = spawn_app_with(weeks("2"), Clock::fixed(at("2026-03-02"))).await;
    let officer = role_token("officer");
    let manager = role_token("manager");
    let (complaint, _) = complaint_with_photo(&app).await;
    let inspection = performed_inspection(&app, app.clock.today_nl()).await;
    let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let c = status(
        app.post(&format!("/v1/complaints/{complaint}/referrals"), &referral(day), Some(&officer)).await,
        200,
    )
    .await;
    let from_complaint = c["referrals"][0]["id"].as_str().unwrap().to_string();
    let mut police = referral(day);
    police["partner"] = json!("police");
    let i = status(
        app.post(&format!("/v1/inspections/{inspection}/referrals"), &police, Some(&officer)).await,
        200,
    )
    .await;
    let from_inspection = i["referrals"][0]["id"].as_str().unwrap().to_string();

    // Two weeks later to the day: awaited, not yet overdue.
    app.clock.set(at("2026-03-16"));
    let awaiting = status(app.get("/v1/referrals?awaiting_feedback=true", Some(&manager)).await, 200).await;
    assert_eq!(ids(&awaiting).len(), 2);
    let overdue = status(app.get("/v1/referrals?overdue=true", Some(&manager)).await, 200).await;
    assert_eq!(overdue["items"], json!([]));
    let d = status(app.get("/v1/enforcement/dashboard", Some(&officer)).await, 200).await;
    assert_eq!(d["overdue_referral_count"], 0);

    // A day later both are overdue: on the list and on the one dashboard (complaints too).
    app.clock.set(at("2026-03-17"));
    let overdue = status(app.get("/v1/referrals?overdue=true", Some(&manager)).await, 200).await;
    assert_eq!(ids(&overdue).len(), 2);
    let only_police =
        status(app.get("/v1/referrals?overdue=true&partner=police", Some(&manager)).await, 200).await;
    assert_eq!(ids(&only_police), [from_inspection.as_str()]);
    let d = status(app.get("/v1/enforcement/dashboard", Some(&officer)).await, 200).await;
    assert_eq!(d["overdue_referral_count"], 2);
    let mut on_dashboard: Vec<String> = d["overdue_referrals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    on_dashboard.sort();
    let mut both = vec![from_complaint.clone(), from_inspection.clone()];
    both.sort();
    assert_eq!(on_dashboard, both);

    // Feedback: not before the referral, not in the future, codes from the closed sets.
    let url = format!("/v1/referrals/{from_complaint}/feedback");
    let fb = |on: &str| json!({"received_on": on, "outcome": "investigation_started", "follow_up": "joint_inspection"});
    assert_eq!(pointers(app.post(&url, &fb("2026-03-01"), Some(&manager)).await).await, ["/received_on"]);
    assert_eq!(pointers(app.post(&url, &fb("2026-03-18"), Some(&manager)).await).await, ["/received_on"]);
    let mut bad = fb("2026-03-10");
    bad["outcome"] = json!("ignored");
    assert_eq!(app.post(&url, &bad, Some(&manager)).await.status(), 422);
    let mut good = fb("2026-03-10");
    good["note"] = json!("Arbeidsinspectie start onderzoek; gezamenlijke controle gepland");
    let r = status(app.post(&url, &good, Some(&manager)).await, 200).await;
    assert_eq!(r["feedback"]["received_on"], "2026-03-10");
    assert_eq!(r["feedback"]["outcome"], "investigation_started");
    assert_eq!(r["feedback"]["follow_up"], "joint_inspection");
    assert_eq!(r["feedback"]["note"], "Arbeidsinspectie start onderzoek; gezamenlijke controle gepland");
    // Once only.
    let res = app.post(&url, &fb("2026-03-11"), Some(&officer)).await;
    assert_problem(res, 409, "/problems/conflict").await;

    // The complaint shows it, and its history has the step (codes only).
    let c = status(app.get(&format!("/v1/complaints/{complaint}"), Some(&officer)).await, 200).await;
    assert_eq!(c["referrals"][0]["feedback"]["outcome"], "investigation_started");
    let step =
        c["history"].as_array().unwrap().iter().find(|h| h["action"] == "record_referral_feedback").unwrap();
    assert_eq!(step["after"]["follow_up"], "joint_inspection");
    assert!(!step.to_string().contains("gezamenlijke controle"), "{step}");

    // No longer overdue, nor awaited.
    let overdue = status(app.get("/v1/referrals?overdue=true", Some(&manager)).await, 200).await;
    assert_eq!(ids(&overdue), [from_inspection.as_str()]);
    let awaiting = status(app.get("/v1/referrals?awaiting_feedback=true", Some(&manager)).await, 200).await;
    assert_eq!(ids(&awaiting), [from_inspection.as_str()]);
    let d = status(app.get("/v1/enforcement/dashboard", Some(&officer)).await, 200).await;
    assert_eq!(d["overdue_referral_count"], 1);

    // Inspection referrals take feedback the same way.
    let url = format!("/v1/referrals/{from_inspection}/feedback");
    let r = status(
        app.post(
            &url,
            &json!({"received_on": "2026-03-17", "outcome": "not_competent", "follow_up": "none"}),
            Some(&officer),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(r["feedback"]["outcome"], "not_competent");
    let i = status(app.get(&format!("/v1/inspections/{inspection}"), Some(&officer)).await, 200).await;
    assert_eq!(i["referrals"][0]["feedback"]["follow_up"], "none");
    let d = status(app.get("/v1/enforcement/dashboard", Some(&officer)).await, 200).await;
    assert_eq!(d["overdue_referral_count"], 0);
    assert_eq!(d["overdue_referrals"], json!([]));
}

#[tokio::test]
async fn the_list_pages_newest_first_and_other_municipalities_see_nothing() {
    let app = spawn_app_at(at("2026-05-04")).await;
    let officer = role_token("officer");
    let (complaint, _) = complaint_with_photo(&app).await;
    for day in ["2026-05-01", "2026-05-03", "2026-05-02"] {
        let body = referral(day.parse().unwrap());
        status(app.post(&format!("/v1/complaints/{complaint}/referrals"), &body, Some(&officer)).await, 200)
            .await;
    }
    let first = status(app.get("/v1/referrals?limit=2", Some(&officer)).await, 200).await;
    let days: Vec<&str> =
        first["items"].as_array().unwrap().iter().map(|r| r["referred_on"].as_str().unwrap()).collect();
    assert_eq!(days, ["2026-05-03", "2026-05-02"]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second =
        status(app.get(&format!("/v1/referrals?limit=2&cursor={cursor}"), Some(&officer)).await, 200).await;
    assert_eq!(second["items"][0]["referred_on"], "2026-05-01");
    assert!(second.get("next_cursor").is_none(), "{second}");
    for bad in ["/v1/referrals?limit=0", "/v1/referrals?cursor=nonsense", "/v1/referrals?source=letter"] {
        assert_eq!(app.get(bad, Some(&officer)).await.status(), 422, "{bad}");
    }

    // Staff of another municipality: nothing listed, not found, no feedback.
    let id = first["items"][0]["id"].as_str().unwrap();
    let stranger = make_token("manager", "m-363", &["GM0363"], 600, "huurtoezicht-api", JWT_SECRET);
    assert_eq!(status(app.get("/v1/referrals", Some(&stranger)).await, 200).await["items"], json!([]));
    assert_problem(
        app.get(&format!("/v1/referrals/{id}"), Some(&stranger)).await,
        404,
        "/problems/not-found",
    )
    .await;
    let fb = json!({"received_on": "2026-05-04", "outcome": "no_action", "follow_up": "none"});
    let res = app.post(&format!("/v1/referrals/{id}/feedback"), &fb, Some(&stranger)).await;
    assert_problem(res, 404, "/problems/not-found").await;
    // Landlords never see referrals.
    assert_eq!(app.get("/v1/referrals", Some(&role_token("landlord"))).await.status(), 403);
}
