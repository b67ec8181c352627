use crate::helpers::spawn_app;

#[tokio::test]
async fn health_answers_ok() {
    let app = spawn_app().await;
    let res = app.get("/health", None).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["status"], "ok");
}

#[tokio::test]
async fn ready_checks_database_and_migrations() {
    let app = spawn_app().await;
    let res = app.get("/ready", None).await;
    assert_eq!(res.status(), 200);
    assert!(res.headers().contains_key("x-request-id"));
}

#[tokio::test]
async fn a_request_id_sent_by_the_client_is_echoed() {
    let app = spawn_app().await;
    let res = app.client.get(app.url("/health")).header("x-request-id", "abc-123").send().await.unwrap();
    assert_eq!(res.headers()["x-request-id"], "abc-123");
}
