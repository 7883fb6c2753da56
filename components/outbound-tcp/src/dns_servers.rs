//! Which DNS servers lookups ask: the configured ones, or a DHCP lease's where the
//! configuration leaves the choice to the lease (its default, `lease or 10.0.2.3`).
use alloc::vec::Vec;
use core::fmt;

use sauce_tcp_ip::NetworkEvent;
use smoltcp::wire::{IpAddress, Ipv4Address};

/// The most servers asked (the DNS socket's room: `dns-max-server-count-4`).
pub const MAX_DNS_SERVERS: usize = 4;

/// The word that leaves the servers to the DHCP lease.
const LEASE: &str = "lease";

/// What the configuration says about DNS servers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DnsSettings {
    /// The servers asked, in order (the first [`MAX_DNS_SERVERS`]); with `from_lease`, only
    /// while no lease names any.
    pub servers: Vec<Ipv4Address>,
    /// A DHCP lease's servers replace `servers` while the address is leased.
    pub from_lease: bool,
}

impl DnsSettings {
    /// `servers`, whatever a lease names (the intent's `[network] dns`, or `dns=`).
    pub fn fixed(servers: &[Ipv4Address]) -> DnsSettings {
        DnsSettings {
            servers: servers.to_vec(),
            from_lease: false,
        }
    }

    /// `servers` until a DHCP lease names its own.
    pub fn lease_or(servers: &[Ipv4Address]) -> DnsSettings {
        DnsSettings {
            servers: servers.to_vec(),
            from_lease: true,
        }
    }

    /// The settings `text` writes: IPv4 addresses separated by commas (spaces allowed; empty
    /// for none), optionally after `lease or ` (the lease's servers while there is a lease
    /// that names any, these otherwise); `lease` alone: the lease's servers or none.
    pub fn parse(text: &str) -> Result<DnsSettings, DnsListError<'_>> {
        let text = text.trim();
        let (from_lease, list) = match text.strip_prefix(LEASE) {
            Some("") => (true, ""),
            Some(rest) => match rest.trim_start().strip_prefix("or") {
                Some(list) if rest.starts_with(' ') && list.starts_with(' ') => (true, list),
                _ => return Err(DnsListError { entry: text }),
            },
            None => (false, text),
        };
        let servers = list
            .split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| entry.parse().map_err(|_| DnsListError { entry }))
            .collect::<Result<Vec<Ipv4Address>, _>>()?;
        Ok(DnsSettings {
            servers,
            from_lease,
        })
    }
}

/// A list of DNS servers that is not one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DnsListError<'a> {
    /// The entry that is not an IPv4 address.
    pub entry: &'a str,
}

impl fmt::Display for DnsListError<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "DNS server `{}` is not an IPv4 address such as 10.0.2.3 (or `lease or 10.0.2.3`)",
            self.entry
        )
    }
}

/// Where the servers asked now come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DnsOrigin {
    /// The configuration named them; a lease does not change them.
    Configured,
    /// The configuration's default, until a DHCP lease names servers.
    Default,
    /// The DHCP lease named them.
    Lease,
    /// The configuration's default: the DHCP lease names none.
    LeaseNamesNone,
    /// The configuration's default again: the DHCP lease ended.
    LeaseEnded,
}

impl fmt::Display for DnsOrigin {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            Self::Configured => "configured",
            Self::Default => "the default; a DHCP lease's servers replace it",
            Self::Lease => "from the DHCP lease",
            Self::LeaseNamesNone => "the default: the DHCP lease names none",
            Self::LeaseEnded => "the default: the DHCP lease ended",
        })
    }
}

/// The servers lookups ask now, and where they come from.
#[derive(Debug)]
pub(crate) struct DnsServerList {
    settings: DnsSettings,
    current: Vec<IpAddress>,
    origin: DnsOrigin,
}

/// The first [`MAX_DNS_SERVERS`] of `servers`, as the DNS socket takes them.
fn addresses(servers: impl IntoIterator<Item = Ipv4Address>) -> Vec<IpAddress> {
    servers
        .into_iter()
        .take(MAX_DNS_SERVERS)
        .map(IpAddress::Ipv4)
        .collect()
}

impl DnsServerList {
    /// The configured servers, to start with.
    pub fn new(settings: DnsSettings) -> DnsServerList {
        DnsServerList {
            current: addresses(settings.servers.iter().copied()),
            origin: if settings.from_lease {
                DnsOrigin::Default
            } else {
                DnsOrigin::Configured
            },
            settings,
        }
    }

    /// The servers asked now, in order.
    pub fn servers(&self) -> &[IpAddress] {
        &self.current
    }

    /// Whether lookups may ever have a server: some now, or a lease may name some.
    pub fn may_have_servers(&self) -> bool {
        !self.current.is_empty() || self.settings.from_lease
    }

    /// Takes what `event` says about servers; whether the servers or their origin changed.
    pub fn follow(&mut self, event: &NetworkEvent) -> bool {
        if !self.settings.from_lease {
            return false;
        }
        let (current, origin) = match event {
            NetworkEvent::Leased { dns_servers, .. } if !dns_servers.is_empty() => {
                (addresses(dns_servers.iter()), DnsOrigin::Lease)
            }
            NetworkEvent::Leased { .. } => (
                addresses(self.settings.servers.iter().copied()),
                DnsOrigin::LeaseNamesNone,
            ),
            NetworkEvent::LeaseLost => (
                addresses(self.settings.servers.iter().copied()),
                DnsOrigin::LeaseEnded,
            ),
        };
        let changed = current != self.current || origin != self.origin;
        self.current = current;
        self.origin = origin;
        changed
    }
}

impl fmt::Display for DnsServerList {
    /// `DNS 10.0.2.3 (from the DHCP lease)`, or `DNS off (…)`.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("DNS")?;
        if self.current.is_empty() {
            formatter.write_str(" off")?;
        }
        for (index, server) in self.current.iter().enumerate() {
            let separator = if index == 0 { " " } else { ", " };
            write!(formatter, "{separator}{server}")?;
        }
        write!(formatter, " ({})", self.origin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use sauce_tcp_ip::DnsServers;
    use smoltcp::wire::Ipv4Cidr;

    const QEMU: Ipv4Address = Ipv4Address::new(10, 0, 2, 3);
    const OTHER: Ipv4Address = Ipv4Address::new(192, 168, 7, 1);

    fn leased(servers: &[Ipv4Address]) -> NetworkEvent {
        NetworkEvent::Leased {
            address: Ipv4Cidr::new(Ipv4Address::new(192, 168, 7, 2), 24),
            gateway: None,
            dns_servers: DnsServers::new(servers),
        }
    }

    #[test]
    fn settings_parse_with_and_without_the_lease() {
        assert_eq!(
            DnsSettings::parse("10.0.2.3, 1.1.1.1"),
            Ok(DnsSettings::fixed(&[QEMU, Ipv4Address::new(1, 1, 1, 1)]))
        );
        assert_eq!(DnsSettings::parse(""), Ok(DnsSettings::fixed(&[])));
        assert_eq!(
            DnsSettings::parse("lease or 10.0.2.3"),
            Ok(DnsSettings::lease_or(&[QEMU]))
        );
        assert_eq!(
            DnsSettings::parse(" lease  or 10.0.2.3,192.168.7.1 "),
            Ok(DnsSettings::lease_or(&[QEMU, OTHER]))
        );
        assert_eq!(DnsSettings::parse("lease"), Ok(DnsSettings::lease_or(&[])));
        for wrong in ["leaseor 10.0.2.3", "lease 10.0.2.3", "lease orr 10.0.2.3"] {
            assert_eq!(DnsSettings::parse(wrong).unwrap_err().entry, wrong.trim());
        }
        assert_eq!(
            DnsSettings::parse("10.0.2.3,dns.example")
                .unwrap_err()
                .entry,
            "dns.example"
        );
        assert_eq!(
            DnsSettings::parse("lease or dns.example")
                .unwrap_err()
                .entry,
            "dns.example"
        );
    }

    #[test]
    fn a_lease_replaces_the_default_and_its_end_restores_it() {
        let mut list = DnsServerList::new(DnsSettings::lease_or(&[QEMU]));
        assert_eq!(
            list.to_string(),
            "DNS 10.0.2.3 (the default; a DHCP lease's servers replace it)"
        );
        assert!(list.follow(&leased(&[OTHER])));
        assert_eq!(list.servers(), [IpAddress::Ipv4(OTHER)]);
        assert_eq!(list.to_string(), "DNS 192.168.7.1 (from the DHCP lease)");
        assert!(!list.follow(&leased(&[OTHER])), "a renewal changes nothing");
        assert!(list.follow(&leased(&[])));
        assert_eq!(
            list.to_string(),
            "DNS 10.0.2.3 (the default: the DHCP lease names none)"
        );
        list.follow(&leased(&[OTHER]));
        assert!(list.follow(&NetworkEvent::LeaseLost));
        assert_eq!(
            list.to_string(),
            "DNS 10.0.2.3 (the default: the DHCP lease ended)"
        );
    }

    #[test]
    fn configured_servers_ignore_the_lease() {
        let mut list = DnsServerList::new(DnsSettings::fixed(&[QEMU]));
        assert!(!list.follow(&leased(&[OTHER])));
        assert_eq!(list.to_string(), "DNS 10.0.2.3 (configured)");
        let none = DnsServerList::new(DnsSettings::fixed(&[]));
        assert!(!none.may_have_servers());
        assert_eq!(none.to_string(), "DNS off (configured)");
        let later = DnsServerList::new(DnsSettings::lease_or(&[]));
        assert!(later.may_have_servers());
        let five: [Ipv4Address; 5] =
            core::array::from_fn(|index| Ipv4Address::new(10, 0, 2, index as u8 + 1));
        assert_eq!(
            DnsServerList::new(DnsSettings::fixed(&five))
                .servers()
                .len(),
            MAX_DNS_SERVERS
        );
    }
}
