//! The reference for the HTTP stack: a bare actix-web 4 server with the application's worker
//! count (actix's default, one per core) and two routes that answer a small JSON, `GET /` and
//! `GET /health`. `scripts/loadtest` drives it with the same load generator as the application
//! and divides.
//!
//! ```sh
//! cargo run --release --example bare -- 127.0.0.1:8081
//! ```
//! The address defaults to 127.0.0.1:0 (a free port); the bound port is printed on stdout as
//! `listening on PORT`.

use std::io::Write;

use actix_web::{get, App, HttpResponse, HttpServer};

#[get("/")]
async fn index() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
}

#[get("/health")]
async fn health() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:0".into());
    let listener = std::net::TcpListener::bind(&addr)?;
    let port = listener.local_addr()?.port();
    let server = HttpServer::new(|| App::new().service(index).service(health)).listen(listener)?.run();
    println!("listening on {port}");
    std::io::stdout().flush()?;
    server.await
}
