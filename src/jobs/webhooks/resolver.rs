//! Resolving a callback's host under the address policy: the check at creation and the DNS
//! resolver of the delivery client, so that a host that resolves to a loopback or private
//! address at delivery time (DNS rebinding) is never connected to.

use std::net::SocketAddr;

use crate::domain::webhooks::addresses::refusal;

/// The addresses `host` resolves to that a delivery may connect to. With `allow_insecure`, every
/// address. Otherwise `Err(reason)` when any address is refused (`strict`, the check at
/// creation) or when none is left (`!strict`, at delivery: only the allowed ones are used).
pub async fn allowed_addresses(
    host: &str,
    port: u16,
    allow_insecure: bool,
    strict: bool,
) -> Result<Vec<SocketAddr>, String> {
    let found: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|e| format!("host {host} cannot be resolved ({e})"))?
        .collect();
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

/// The DNS resolver of the delivery client: answers only allowed addresses.
pub struct PolicyResolver {
    pub allow_insecure: bool,
}

impl reqwest::dns::Resolve for PolicyResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_string();
        let allow = self.allow_insecure;
        Box::pin(async move {
            match allowed_addresses(&host, 0, allow, false).await {
                Ok(addrs) => Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs),
                Err(reason) => Err(reason.into()),
            }
        })
    }
}
