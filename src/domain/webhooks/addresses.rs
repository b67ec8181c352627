//! Which network addresses a webhook may be delivered to (no server-side request forgery): a
//! callback must reach the public internet, never the installation's own machine or network.
//! Pure classification; the delivery worker and the subscription check both call
//! [`refusal`] for every address a host name resolves to.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Why an address is refused as a webhook destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Unspecified,
    Loopback,
    Private,
    LinkLocal,
    UniqueLocal,
    SharedCgnat,
    Multicast,
    Documentation,
    /// Broadcast, benchmarking, protocol assignments, reserved and deprecated ranges.
    Reserved,
}

impl Refusal {
    pub fn reason(self) -> &'static str {
        match self {
            Refusal::Unspecified => "an unspecified address",
            Refusal::Loopback => "a loopback address",
            Refusal::Private => "a private address",
            Refusal::LinkLocal => "a link-local address",
            Refusal::UniqueLocal => "a unique-local address",
            Refusal::SharedCgnat => "a shared (carrier-grade NAT) address",
            Refusal::Multicast => "a multicast address",
            Refusal::Documentation => "a documentation address",
            Refusal::Reserved => "a reserved address",
        }
    }
}

/// `None` when `ip` is a public address a webhook may be delivered to; otherwise why not.
/// An IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible or NAT64 (`64:ff9b::/96`) IPv6 address is
/// judged by the IPv4 address inside it.
pub fn refusal(ip: IpAddr) -> Option<Refusal> {
    match ip {
        IpAddr::V4(v4) => refusal_v4(v4),
        IpAddr::V6(v6) => refusal_v6(v6),
    }
}

fn in_v4(ip: Ipv4Addr, net: [u8; 4], prefix: u32) -> bool {
    let mask = if prefix == 0 { 0 } else { u32::MAX << (32 - prefix) };
    (u32::from(ip) & mask) == (u32::from(Ipv4Addr::from(net)) & mask)
}

fn refusal_v4(ip: Ipv4Addr) -> Option<Refusal> {
    const RANGES: &[([u8; 4], u32, Refusal)] = &[
        ([0, 0, 0, 0], 8, Refusal::Unspecified),
        ([10, 0, 0, 0], 8, Refusal::Private),
        ([100, 64, 0, 0], 10, Refusal::SharedCgnat),
        ([127, 0, 0, 0], 8, Refusal::Loopback),
        ([169, 254, 0, 0], 16, Refusal::LinkLocal),
        ([172, 16, 0, 0], 12, Refusal::Private),
        ([192, 0, 0, 0], 24, Refusal::Reserved),
        ([192, 0, 2, 0], 24, Refusal::Documentation),
        ([192, 88, 99, 0], 24, Refusal::Reserved),
        ([192, 168, 0, 0], 16, Refusal::Private),
        ([198, 18, 0, 0], 15, Refusal::Reserved),
        ([198, 51, 100, 0], 24, Refusal::Documentation),
        ([203, 0, 113, 0], 24, Refusal::Documentation),
        ([224, 0, 0, 0], 4, Refusal::Multicast),
        ([240, 0, 0, 0], 4, Refusal::Reserved),
    ];
    RANGES.iter().find(|(net, prefix, _)| in_v4(ip, *net, *prefix)).map(|(_, _, r)| *r)
}

fn refusal_v6(ip: Ipv6Addr) -> Option<Refusal> {
    let s = ip.segments();
    if ip.is_unspecified() {
        return Some(Refusal::Unspecified);
    }
    if ip.is_loopback() {
        return Some(Refusal::Loopback);
    }
    let embedded_v4 = || Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    // ::ffff:0:0/96 (mapped) and 64:ff9b::/96 (NAT64): the IPv4 address decides.
    if s[..5] == [0, 0, 0, 0, 0] && s[5] == 0xffff || s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return refusal_v4(embedded_v4());
    }
    // ::/96 (IPv4-compatible, deprecated) and the rest of ::/8.
    if s[0] & 0xff00 == 0 {
        return Some(Refusal::Reserved);
    }
    match s[0] {
        x if x & 0xffc0 == 0xfe80 => Some(Refusal::LinkLocal),
        x if x & 0xffc0 == 0xfec0 => Some(Refusal::Reserved), // site-local, deprecated
        x if x & 0xfe00 == 0xfc00 => Some(Refusal::UniqueLocal),
        x if x & 0xff00 == 0xff00 => Some(Refusal::Multicast),
        0x2001 if s[1] == 0x0db8 => Some(Refusal::Documentation),
        x if x & 0xfff0 == 0x3ff0 => Some(Refusal::Documentation), // 3fff::/20
        0x2002 => refusal_v4(Ipv4Addr::new((s[1] >> 8) as u8, s[1] as u8, (s[2] >> 8) as u8, s[2] as u8)),
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn r(s: &str) -> Option<Refusal> {
        refusal(s.parse().unwrap())
    }

    #[test]
    fn public_addresses_are_allowed() {
        for a in
            ["93.184.215.14", "8.8.8.8", "145.100.190.243", "2a00:1450:400e:80c::200e", "2606:4700::1111"]
        {
            assert_eq!(r(a), None, "{a}");
        }
    }

    #[test]
    fn every_non_public_ipv4_range_is_refused_with_its_reason() {
        for (a, why) in [
            ("0.0.0.0", Refusal::Unspecified),
            ("127.0.0.1", Refusal::Loopback),
            ("127.255.1.2", Refusal::Loopback),
            ("10.1.2.3", Refusal::Private),
            ("172.16.0.1", Refusal::Private),
            ("172.31.255.255", Refusal::Private),
            ("192.168.1.1", Refusal::Private),
            ("169.254.169.254", Refusal::LinkLocal),
            ("100.64.0.1", Refusal::SharedCgnat),
            ("100.127.255.254", Refusal::SharedCgnat),
            ("224.0.0.1", Refusal::Multicast),
            ("239.255.255.250", Refusal::Multicast),
            ("192.0.2.10", Refusal::Documentation),
            ("198.51.100.7", Refusal::Documentation),
            ("203.0.113.9", Refusal::Documentation),
            ("255.255.255.255", Refusal::Reserved),
            ("198.18.0.1", Refusal::Reserved),
        ] {
            assert_eq!(r(a), Some(why), "{a}");
        }
        // Just outside the ranges.
        for a in ["172.32.0.1", "100.128.0.1", "11.0.0.1", "169.255.0.1", "172.15.255.255"] {
            assert_eq!(r(a), None, "{a}");
        }
    }

    #[test]
    fn ipv6_ranges_and_embedded_ipv4_are_refused() {
        for (a, why) in [
            ("::", Refusal::Unspecified),
            ("::1", Refusal::Loopback),
            ("fe80::1", Refusal::LinkLocal),
            ("fd12:3456::1", Refusal::UniqueLocal),
            ("fc00::1", Refusal::UniqueLocal),
            ("ff02::1", Refusal::Multicast),
            ("2001:db8::1", Refusal::Documentation),
            ("3fff::1", Refusal::Documentation),
            ("::ffff:127.0.0.1", Refusal::Loopback),
            ("::ffff:10.0.0.1", Refusal::Private),
            ("::ffff:169.254.169.254", Refusal::LinkLocal),
            ("64:ff9b::a00:1", Refusal::Private),
            ("2002:7f00:1::", Refusal::Loopback),
            ("::127.0.0.1", Refusal::Reserved),
            ("fec0::1", Refusal::Reserved),
        ] {
            assert_eq!(r(a), Some(why), "{a}");
        }
        assert_eq!(r("::ffff:8.8.8.8"), None, "a mapped public address is public");
        assert!(Refusal::Loopback.reason().contains("loopback"));
    }
}
