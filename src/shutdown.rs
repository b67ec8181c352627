//! Graceful shutdown. On SIGTERM or Ctrl-C the instance first reports not-ready (`/ready`
//! answers 503 "draining") while it keeps serving for the drain period, so a load balancer
//! stops sending new requests; responses in that period close their connection
//! (`Connection: close`), so clients reconnect elsewhere instead of reusing an idle keep-alive
//! connection. Then the listener closes and in-flight requests get the shutdown timeout to
//! finish; the process exits 0.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use actix_web::body::BoxBody;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::ConnectionType;
use actix_web::web;

/// Set once a shutdown has begun; shared by every worker (`web::Data<Draining>`).
#[derive(Debug, Default)]
pub struct Draining(AtomicBool);

impl Draining {
    pub fn start(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_draining(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Middleware: while draining, every response closes its connection after it is sent.
pub fn close_when_draining<S>(
    req: ServiceRequest,
    srv: &S,
) -> impl std::future::Future<Output = Result<ServiceResponse<BoxBody>, actix_web::Error>>
where
    S: Service<ServiceRequest, Response = ServiceResponse<BoxBody>, Error = actix_web::Error>,
    S::Future: 'static,
{
    let draining = req.app_data::<web::Data<Draining>>().cloned();
    let fut = srv.call(req);
    async move {
        let mut res = fut.await?;
        if draining.is_some_and(|d| d.is_draining()) {
            res.response_mut().head_mut().set_connection_type(ConnectionType::Close);
        }
        Ok(res)
    }
}

/// Waits for SIGTERM or SIGINT (Ctrl-C) and names the one that came.
pub async fn signal() -> std::io::Result<&'static str> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate())?;
        let mut int = signal(SignalKind::interrupt())?;
        tokio::select! {
            _ = term.recv() => Ok("SIGTERM"),
            _ = int.recv() => Ok("SIGINT"),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await?;
        Ok("Ctrl-C")
    }
}

/// Runs the server until a shutdown signal, then drains for `drain` and stops gracefully (the
/// server's own shutdown timeout bounds the wait for in-flight requests).
pub async fn serve(app: crate::Application, drain: Duration) -> anyhow::Result<()> {
    let handle = app.server.handle();
    let mut server = tokio::spawn(app.server);
    let name = tokio::select! {
        done = &mut server => return Ok(done??),
        name = signal() => name?,
    };
    app.draining.start();
    tracing::info!(
        signal = name,
        drain_seconds = drain.as_secs_f64(),
        "shutting down: draining, /ready answers 503"
    );
    tokio::select! {
        _ = tokio::time::sleep(drain) => {}
        again = signal() => {
            again?;
            tracing::warn!("second shutdown signal: ending the drain early");
        }
    }
    tracing::info!("drain over: no new connections; waiting for requests in flight");
    handle.stop(true).await;
    server.await??;
    tracing::info!("stopped");
    Ok(())
}
