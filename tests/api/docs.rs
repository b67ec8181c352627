//! The docs UI is found at `/docs` as well as `/docs/`.

use crate::helpers::spawn_app;

#[tokio::test]
async fn docs_without_the_slash_redirects_permanently_to_the_docs_ui() {
    let app = spawn_app().await;
    for method in [reqwest::Method::GET, reqwest::Method::HEAD] {
        let res = app.client.request(method.clone(), app.url("/docs")).send().await.unwrap();
        assert_eq!(res.status(), 308, "{method}");
        assert_eq!(res.headers()["location"], "/docs/", "{method}");
    }
    let ui = app.get("/docs/", None).await;
    assert_eq!(ui.status(), 200);
    assert!(ui.text().await.unwrap().contains("swagger"), "the redirect target is the docs UI");
}
