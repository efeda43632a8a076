//! The SSRF guard: webhooks never reach loopback, private, link-local or other non-public
//! addresses unless an admin allowed the host. Checked when a webhook is saved (hosts written
//! as IP literals), and at every delivery after DNS resolution: [`GuardedResolver`] hands reqwest
//! only the checked addresses, so the connection goes to an address that was checked (no second
//! lookup in between). Redirects are not followed (a 3xx is a failed attempt), so no hop escapes.
use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Why an address is refused, or `None` for a public unicast address. Pure.
pub fn refused(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => refused_v4(v4),
        IpAddr::V6(v6) => refused_v6(v6),
    }
}

fn refused_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    Some(match (a, b, c) {
        (0, _, _) => "unspecified (0.0.0.0/8)",
        (127, _, _) => "loopback",
        (10, _, _) => "private (10.0.0.0/8)",
        (172, 16..=31, _) => "private (172.16.0.0/12)",
        (192, 168, _) => "private (192.168.0.0/16)",
        // 169.254.169.254 is the cloud metadata service (AWS, GCP, Azure, OpenStack).
        (169, 254, _) => "link-local (169.254.0.0/16, cloud metadata)",
        // Alibaba's metadata service (100.100.100.200) lives here too.
        (100, 64..=127, _) => "shared address space (100.64.0.0/10, CGNAT)",
        (192, 0, 0) => "IETF protocol assignments (192.0.0.0/24)",
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => "documentation",
        (198, 18..=19, _) => "benchmarking (198.18.0.0/15)",
        (224..=239, _, _) => "multicast",
        (255, 255, 255) if ip == Ipv4Addr::BROADCAST => "broadcast",
        (240..=255, _, _) => "reserved (240.0.0.0/4)",
        _ => return None,
    })
}

fn refused_v6(ip: Ipv6Addr) -> Option<&'static str> {
    if ip.is_unspecified() {
        return Some("unspecified (::)");
    }
    if ip.is_loopback() {
        return Some("loopback (::1)");
    }
    // An IPv4 address in IPv6 clothes is judged as the IPv4 address: mapped (::ffff:a.b.c.d),
    // compatible (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::).
    let s = ip.segments();
    let embedded = |hi: u16, lo: u16| Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8);
    if let Some(v4) = ip.to_ipv4_mapped() {
        return refused_v4(v4).map(|_| "IPv4-mapped address of a refused IPv4 address");
    }
    if s[..6] == [0; 6] {
        return refused_v4(embedded(s[6], s[7])).map(|_| "IPv4-compatible address of a refused IPv4 address");
    }
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return refused_v4(embedded(s[6], s[7])).map(|_| "NAT64 address of a refused IPv4 address");
    }
    if s[0] == 0x2002 {
        return refused_v4(embedded(s[1], s[2])).map(|_| "6to4 address of a refused IPv4 address");
    }
    Some(match s[0] {
        // fd00:ec2::254 (AWS's IPv6 metadata service) is unique-local.
        x if x & 0xfe00 == 0xfc00 => "unique local (fc00::/7)",
        x if x & 0xffc0 == 0xfe80 => "link-local (fe80::/10)",
        x if x & 0xffc0 == 0xfec0 => "site-local (fec0::/10)",
        x if x & 0xff00 == 0xff00 => "multicast (ff00::/8)",
        0x2001 if s[1] == 0x0db8 => "documentation (2001:db8::/32)",
        // Teredo tunnels reach arbitrary IPv4 addresses.
        0x2001 if s[1] == 0 => "Teredo (2001::/32)",
        0x0100 if s[1..4] == [0, 0, 0] => "discard-only (100::/64)",
        _ => return None,
    })
}

/// A host as Mesa compares it with the allow list: the URL parser's form (lower-case, IDNA
/// ASCII, IPv6 in brackets). `None` for something that is not a host.
pub fn normalize_host(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > 253 || raw.contains(['/', '@', ':', '?', '#', ' ']) && !raw.starts_with('[') {
        return None;
    }
    url::Host::parse(raw).ok().map(|h| h.to_string().to_ascii_lowercase())
}

/// Checks a URL's host when it is an IP literal (reqwest connects to those without asking the
/// resolver). Hostnames are checked by [`GuardedResolver`] at every delivery.
pub fn check_literal(url: &url::Url, allowed: &HashSet<String>) -> Result<(), String> {
    let ip = match url.host() {
        Some(url::Host::Ipv4(v4)) => IpAddr::V4(v4),
        Some(url::Host::Ipv6(v6)) => IpAddr::V6(v6),
        _ => return Ok(()),
    };
    if url.host_str().is_some_and(|h| allowed.contains(&h.to_ascii_lowercase())) {
        return Ok(());
    }
    match refused(ip) {
        Some(why) => Err(format!("{ip} is {why}; an admin may allow the host")),
        None => Ok(()),
    }
}

/// reqwest's resolver for webhook deliveries: the system's lookup, minus every refused address;
/// an error when none is left. Hosts on the admin's allow list resolve unfiltered.
pub struct GuardedResolver {
    pub allowed: Arc<HashSet<String>>,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_ascii_lowercase();
        let allowed = self.allowed.contains(&host);
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let (kept, dropped): (Vec<SocketAddr>, Vec<SocketAddr>) = found.into_iter().partition(|a| allowed || refused(a.ip()).is_none());
            if kept.is_empty() {
                let why = dropped.first().and_then(|a| refused(a.ip()).map(|w| format!("{} is {w}", a.ip()))).unwrap_or_else(|| "no address".into());
                return Err(format!("refused: {host} resolves to no public address ({why}); an admin may allow the host").into());
            }
            Ok(Box::new(kept.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v4(s: &str) -> Option<&'static str> {
        refused(s.parse().unwrap())
    }

    #[test]
    fn every_non_public_ipv4_range_is_refused_at_both_ends() {
        for (lo, hi) in [
            ("0.0.0.0", "0.255.255.255"),
            ("127.0.0.0", "127.255.255.255"),
            ("10.0.0.0", "10.255.255.255"),
            ("172.16.0.0", "172.31.255.255"),
            ("192.168.0.0", "192.168.255.255"),
            ("169.254.0.0", "169.254.255.255"),
            ("100.64.0.0", "100.127.255.255"),
            ("192.0.0.0", "192.0.0.255"),
            ("192.0.2.0", "192.0.2.255"),
            ("198.51.100.0", "198.51.100.255"),
            ("203.0.113.0", "203.0.113.255"),
            ("198.18.0.0", "198.19.255.255"),
            ("224.0.0.0", "239.255.255.255"),
            ("240.0.0.0", "255.255.255.254"),
            ("255.255.255.255", "255.255.255.255"),
        ] {
            assert!(v4(lo).is_some(), "{lo}");
            assert!(v4(hi).is_some(), "{hi}");
        }
        assert_eq!(v4("169.254.169.254"), Some("link-local (169.254.0.0/16, cloud metadata)"));
        assert_eq!(v4("255.255.255.255"), Some("broadcast"));
        assert_eq!(v4("127.0.0.1"), Some("loopback"));
    }

    #[test]
    fn public_ipv4_addresses_next_to_the_ranges_pass() {
        for ok in [
            "1.1.1.1",
            "8.8.8.8",
            "9.255.255.255",
            "11.0.0.0",
            "172.15.255.255",
            "172.32.0.0",
            "192.167.255.255",
            "192.169.0.0",
            "169.253.255.255",
            "169.255.0.0",
            "100.63.255.255",
            "100.128.0.0",
            "198.17.255.255",
            "198.20.0.0",
            "223.255.255.255",
            "126.255.255.255",
            "128.0.0.0",
            "192.0.1.1",
            "192.0.3.0",
        ] {
            assert_eq!(v4(ok), None, "{ok}");
        }
    }

    #[test]
    fn ipv6_non_public_ranges_and_disguised_ipv4_are_refused() {
        for bad in [
            "::",
            "::1",
            "fc00::1",
            "fd00:ec2::254",
            "fdff:ffff::1",
            "fe80::1",
            "febf::1",
            "fec0::1",
            "ff02::1",
            "ff0e::1",
            "2001:db8::1",
            "2001::1",
            "100::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "::ffff:192.168.1.1",
            "::127.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b::7f00:1",
            "2002:7f00:1::",
            "2002:c0a8:101::1",
        ] {
            assert!(refused(bad.parse().unwrap()).is_some(), "{bad}");
        }
    }

    #[test]
    fn public_ipv6_and_mapped_public_ipv4_pass() {
        for ok in ["2606:4700:4700::1111", "2800:3f0:4005::200e", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1", "fbff::1", "fe7f::1", "2001:db9::1", "2001:1::1"] {
            assert_eq!(refused(ok.parse().unwrap()), None, "{ok}");
        }
    }

    #[test]
    fn hosts_normalize_as_urls_show_them() {
        assert_eq!(normalize_host("LocalHost").as_deref(), Some("localhost"));
        assert_eq!(normalize_host("[::1]").as_deref(), Some("[::1]"));
        assert_eq!(normalize_host("127.0.0.1").as_deref(), Some("127.0.0.1"));
        assert_eq!(normalize_host("Bücher.example").as_deref(), Some("xn--bcher-kva.example"));
        for bad in ["", " ", "a/b", "user@host", "host:80", "a b", &"a".repeat(254)] {
            assert_eq!(normalize_host(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn literal_hosts_are_checked_unless_allowed() {
        let none = HashSet::new();
        let check = |u: &str, allowed: &HashSet<String>| check_literal(&url::Url::parse(u).unwrap(), allowed);
        assert!(check("http://127.0.0.1:8080/x", &none).is_err());
        assert!(check("http://[::1]/x", &none).is_err());
        assert!(check("http://[::ffff:7f00:1]/x", &none).is_err());
        assert!(check("http://169.254.169.254/latest/meta-data", &none).is_err());
        // Decimal and hex spellings are normalized by the URL parser to the same address.
        assert!(check("http://2130706433/", &none).is_err());
        assert!(check("http://0x7f.1/", &none).is_err());
        assert!(check("https://8.8.8.8/hook", &none).is_ok());
        assert!(check("https://hooks.example.org/x", &none).is_ok(), "names are checked after resolution");
        let allowed: HashSet<String> = ["127.0.0.1".to_owned(), "[::1]".to_owned()].into();
        assert!(check("http://127.0.0.1:8080/x", &allowed).is_ok());
        assert!(check("http://[::1]:9/x", &allowed).is_ok());
        assert!(check("http://127.0.0.2/x", &allowed).is_err());
    }

    #[tokio::test]
    async fn the_resolver_drops_refused_addresses_unless_the_host_is_allowed() {
        let guarded = GuardedResolver { allowed: Arc::new(HashSet::new()) };
        let err = match guarded.resolve("localhost".parse().unwrap()).await {
            Ok(addrs) => panic!("localhost resolved to {:?}", addrs.collect::<Vec<_>>()),
            Err(e) => e.to_string(),
        };
        assert!(err.contains("refused") && err.contains("loopback"), "{err}");
        let open = GuardedResolver { allowed: Arc::new(["localhost".to_owned()].into()) };
        let addrs: Vec<SocketAddr> = open.resolve("localhost".parse().unwrap()).await.unwrap().collect();
        assert!(!addrs.is_empty() && addrs.iter().all(|a| a.ip().is_loopback()), "{addrs:?}");
    }
}
