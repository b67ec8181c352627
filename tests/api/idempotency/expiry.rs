//! Keys expire after `HUURTOEZICHT_IDEMPOTENCY_KEY_HOURS` (fixed clock): the same key then
//! creates a new record; the retention job removes expired keys.

use std::collections::HashMap;

use super::*;

fn hours(h: &str) -> HashMap<String, String> {
    [("HUURTOEZICHT_IDEMPOTENCY_KEY_HOURS".to_string(), h.to_string())].into_iter().collect()
}

#[tokio::test]
async fn an_expired_key_creates_a_new_record() {
    for route in [Route::PartnerSignals, Route::Objections, Route::Documents] {
        let c = case_with(route, hours("2")).await;
        let before = c.records();
        let key = "portal-request:expiry";
        let first = created(c.send(&c.first, &c.a, Some(key)).await).await;

        // Within the period: a replay.
        c.app.clock.advance(chrono::Duration::minutes(119));
        let again = c.send(&c.first, &c.a, Some(key)).await;
        assert_eq!(again.headers()["idempotent-replayed"], "true", "{route:?}");
        assert_eq!(again.json::<Value>().await.unwrap()["id"], first["id"]);
        assert_eq!(c.records(), before + 1);

        // After it: the key is free again, even for another body.
        c.app.clock.advance(chrono::Duration::minutes(2));
        let fresh = created(c.send(&c.first, &c.b, Some(key)).await).await;
        assert_ne!(fresh["id"], first["id"], "{route:?}");
        assert_eq!(c.records(), before + 2, "{route:?}");
        assert_eq!(c.key_rows(), 1, "{route:?}: the expired row was replaced");
    }
}

#[tokio::test]
async fn the_retention_job_removes_expired_keys_only() {
    let c = case_with(Route::PartnerSignals, hours("24")).await;
    created(c.send(&c.first, &c.a, Some("portal-request:old")).await).await;
    c.app.clock.advance(chrono::Duration::hours(20));
    created(c.send(&c.first, &c.b, Some("portal-request:new")).await).await;
    assert_eq!(c.key_rows(), 2);

    let admin = c.app.admin_token().await;
    c.app.clock.advance(chrono::Duration::hours(5));
    let res =
        c.app.client.post(c.app.url("/v1/jobs/retention/run")).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(c.key_rows(), 1, "the key of 25 hours ago is gone, the one of 5 hours ago stays");
}
