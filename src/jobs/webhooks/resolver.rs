//! Resolving a callback's host under the address policy: the check at creation and the DNS
//! resolver of the delivery client, so that a host that resolves to a loopback or private
//! address at delivery time (DNS rebinding) is never connected to.

use std::net::SocketAddr;
use std::time::Duration;

use crate::domain::webhooks::addresses::refusal;

/// The addresses `host` resolves to that a delivery may connect to. With `allow_insecure`, every
/// address. Otherwise `Err(reason)` when any address is refused (`strict`, the check at
/// creation) or when none is left (`!strict`, at delivery: only the allowed ones are used).
/// A name server that does not answer within `within` is an error too: the system resolver may
/// otherwise wait tens of seconds, holding the request (or the delivery) that asked.
pub async fn allowed_addresses(
    host: &str,
    port: u16,
    allow_insecure: bool,
    strict: bool,
    within: Duration,
) -> Result<Vec<SocketAddr>, String> {
    let found: Vec<SocketAddr> =
        bounded(host, within, tokio::net::lookup_host((host, port))).await?.collect();
    if found.is_empty() {
        return Err(format!("host {host} resolves to no address"));
    }
    if allow_insecure {
        return Ok(found);
    }
    let first_refusal = found.iter().find_map(|a| refusal(a.ip()).map(|r| (a.ip(), r)));
    let allowed: Vec<SocketAddr> = found.iter().copied().filter(|a| refusal(a.ip()).is_none()).collect();
    match first_refusal {
        Some((ip, why)) if strict || allowed.is_empty() => {
            Err(format!("host {host} resolves to {ip}, {}", why.reason()))
        }
        _ => Ok(allowed),
    }
}

/// A look-up of `host`, given up after `within`.
async fn bounded<T>(
    host: &str,
    within: Duration,
    lookup: impl std::future::Future<Output = std::io::Result<T>>,
) -> Result<T, String> {
    match tokio::time::timeout(within, lookup).await {
        Err(_) => {
            Err(format!("host {host} could not be resolved within {} ms; try again", within.as_millis()))
        }
        Ok(Err(e)) => Err(format!("host {host} cannot be resolved ({e})")),
        Ok(Ok(found)) => Ok(found),
    }
}

/// The DNS resolver of the delivery client: answers only allowed addresses.
pub struct PolicyResolver {
    pub allow_insecure: bool,
    /// The longest wait for the name server.
    pub within: Duration,
}

impl reqwest::dns::Resolve for PolicyResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_string();
        let (allow, within) = (self.allow_insecure, self.within);
        Box::pin(async move {
            match allowed_addresses(&host, 0, allow, false, within).await {
                Ok(addrs) => Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs),
                Err(reason) => Err(reason.into()),
            }
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_name_server_that_does_not_answer_in_time_is_an_error() {
        let never = std::future::pending::<std::io::Result<()>>();
        let late = bounded("portal.example", Duration::from_millis(20), never).await.unwrap_err();
        assert_eq!(late, "host portal.example could not be resolved within 20 ms; try again");
        let failed = bounded("portal.example", Duration::from_secs(1), async {
            Err::<(), _>(std::io::Error::other("no such host"))
        })
        .await
        .unwrap_err();
        assert_eq!(failed, "host portal.example cannot be resolved (no such host)");
        // An address literal needs no name server; loopback is refused unless insecure is allowed.
        let literal = allowed_addresses("127.0.0.1", 443, true, true, Duration::from_secs(1)).await.unwrap();
        assert_eq!(literal, vec![SocketAddr::from(([127, 0, 0, 1], 443))]);
        let refused = allowed_addresses("127.0.0.1", 443, false, true, Duration::from_secs(1)).await;
        assert!(refused.unwrap_err().contains("127.0.0.1"));
    }
}
