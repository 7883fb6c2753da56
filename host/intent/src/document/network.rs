//! `[network]`: the guest's address and gateway, checked against each other and `[target]`.

use std::net::Ipv4Addr;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::Checker;
use crate::settings::{subnet_mask, Addressing, Vmm};
use crate::{keys, Network, Target};

/// The address QEMU's user networking expects when `[network]` gives no `ip`.
pub const QEMU_DEFAULT_ADDRESS: Addressing = Addressing::Static {
    address: Ipv4Addr::new(10, 0, 2, 15),
    prefix: 24,
};

impl Checker<'_> {
    pub(super) fn network(&mut self, table: &DeTable<'_>, target: &Target) -> Network {
        self.reject_unknown_keys(table, &keys::NETWORK);
        let addressing = table.get("ip").and_then(|ip| {
            let text = self.string(ip, "network.ip")?;
            match addressing(text) {
                Ok(Addressing::Dhcp) if target.vmm == Vmm::Firecracker => {
                    let message = "`dhcp` needs a DHCP server, and Firecracker has none";
                    let hint = "give a static ip in the subnet of Firecracker's TAP device, such as `ip = \"172.16.0.2/24\"`";
                    self.error(ip.span(), message, hint);
                    None
                }
                Ok(addressing) => Some(addressing),
                Err((message, hint)) => {
                    self.error(ip.span(), message, hint);
                    None
                }
            }
        });
        let ip_is_valid = addressing.is_some() || !table.contains_key("ip");
        let gateway = table.get("gateway").and_then(|gateway| {
            let text = self.string(gateway, "network.gateway")?;
            let Ok(address) = text.parse::<Ipv4Addr>() else {
                let message = format!("`{text}` is not an IPv4 address");
                self.error(gateway.span(), message, "write four numbers from 0 to 255, such as `gateway = \"10.0.2.2\"`");
                return None;
            };
            let problem = match addressing {
                _ if !ip_is_valid => None,
                Some(Addressing::Dhcp) => Some((
                    "`gateway` does not apply with `ip = \"dhcp\"`: the DHCP lease names the gateway".to_owned(),
                    "remove `gateway`, or give a static `ip`".to_owned(),
                )),
                Some(subnet @ Addressing::Static { .. }) => gateway_problem(address, subnet, "the subnet of `ip`"),
                None => gateway_problem(address, QEMU_DEFAULT_ADDRESS, "QEMU's default subnet (no `ip` is given)"),
            };
            match problem {
                Some((message, hint)) => {
                    self.error(gateway.span(), message, hint);
                    None
                }
                None => Some(address),
            }
        });
        let dns = table.get("dns").and_then(|value| self.dns_servers(value));
        Network {
            addressing,
            gateway,
            dns,
        }
    }

    /// `network.dns`: a list of 0 to 4 IPv4 addresses, each once.
    fn dns_servers(&mut self, value: &Spanned<DeValue<'_>>) -> Option<Vec<Ipv4Addr>> {
        let hint = "write a list of IPv4 addresses, such as `dns = [\"10.0.2.3\"]`";
        let Some(list) = value.get_ref().as_array() else {
            let message = format!(
                "`network.dns` must be a list, not {}",
                super::described(value.get_ref())
            );
            self.error(value.span(), message, hint);
            return None;
        };
        if list.len() > 4 {
            let message = format!(
                "`network.dns` names {} servers; at most 4 are asked",
                list.len()
            );
            self.error(value.span(), message, "keep the first four");
            return None;
        }
        let mut servers: Vec<Ipv4Addr> = Vec::new();
        let mut valid = true;
        for item in list.iter() {
            let Some(text) = self.string_or_hint(item, "network.dns", hint) else {
                valid = false;
                continue;
            };
            match text.parse::<Ipv4Addr>() {
                Ok(address) if servers.contains(&address) => {
                    let message = format!("`{address}` is named twice in `network.dns`");
                    self.error(item.span(), message, "name each server once");
                    valid = false;
                }
                Ok(address)
                    if address.is_unspecified()
                        || address.is_broadcast()
                        || address.is_multicast() =>
                {
                    let message = format!("`{address}` cannot be a DNS server");
                    self.error(
                        item.span(),
                        message,
                        "give the address of a server, such as `10.0.2.3` (QEMU user networking's)",
                    );
                    valid = false;
                }
                Ok(address) => servers.push(address),
                Err(_) => {
                    let message =
                        format!("`{}` is not an IPv4 address", crate::render::visible(text));
                    self.error(item.span(), message, hint);
                    valid = false;
                }
            }
        }
        valid.then_some(servers)
    }
}

/// `dhcp` or `a.b.c.d/prefix` with a host address; else a message and a hint.
fn addressing(text: &str) -> Result<Addressing, (String, String)> {
    if text == "dhcp" {
        return Ok(Addressing::Dhcp);
    }
    let example = "write an address with its prefix length, such as `ip = \"10.0.2.15/24\"`, or `ip = \"dhcp\"`";
    if text.eq_ignore_ascii_case("dhcp") {
        return Err((
            format!("`{text}` is not a valid `network.ip`"),
            "write `dhcp` in lowercase".to_owned(),
        ));
    }
    let Some((address_text, prefix_text)) = text.split_once('/') else {
        return Err(match text.parse::<Ipv4Addr>() {
            Ok(_) => (
                format!("`{text}` has no prefix length"),
                format!("write `ip = \"{text}/24\"` (or the prefix of your subnet)"),
            ),
            Err(_) => (
                format!("`{text}` is not an IPv4 address with a prefix length"),
                example.to_owned(),
            ),
        });
    };
    let Ok(address) = address_text.parse::<Ipv4Addr>() else {
        return Err((
            format!("`{address_text}` is not an IPv4 address"),
            example.to_owned(),
        ));
    };
    let prefix = match prefix_text.parse::<u8>() {
        Ok(prefix @ 1..=32) => prefix,
        _ => {
            let message = format!("the prefix length must be from 1 to 32, not `{prefix_text}`");
            return Err((
                message,
                format!("for a /24 subnet: `ip = \"{address}/24\"`"),
            ));
        }
    };
    match host_address_problem(address, prefix) {
        Some(problem) => Err(problem),
        None => Ok(Addressing::Static { address, prefix }),
    }
}

/// Why `address` cannot be a host's address in a `/prefix` subnet, if it cannot.
fn host_address_problem(address: Ipv4Addr, prefix: u8) -> Option<(String, String)> {
    let special = if address.is_unspecified() {
        Some("the unspecified address")
    } else if address.is_loopback() {
        Some("a loopback address")
    } else if address.is_multicast() {
        Some("a multicast address")
    } else if address.is_broadcast() || address.octets()[0] >= 240 {
        Some("a reserved address")
    } else {
        None
    };
    if let Some(special) = special {
        let hint =
            "give the address of a host on the guest's network, such as `10.0.2.15/24`".to_owned();
        return Some((format!("`{address}` is {special}"), hint));
    }
    if prefix >= 31 {
        return None;
    }
    let mask = subnet_mask(prefix);
    let network = u32::from(address) & mask;
    let broadcast = network | !mask;
    let subnet = format!("{}/{prefix}", Ipv4Addr::from(network));
    let (role, suggestion) = if u32::from(address) == network {
        ("network", network + 1)
    } else if u32::from(address) == broadcast {
        ("broadcast", broadcast - 1)
    } else {
        return None;
    };
    let message = format!("`{address}` is the {role} address of {subnet}");
    let hint = format!(
        "give a host address, such as `{}/{prefix}`",
        Ipv4Addr::from(suggestion)
    );
    Some((message, hint))
}

/// Why `gateway` cannot be the gateway of a guest at `addressing` (described as `subnet_name`).
fn gateway_problem(
    gateway: Ipv4Addr,
    addressing: Addressing,
    subnet_name: &str,
) -> Option<(String, String)> {
    let Addressing::Static { address, prefix } = addressing else {
        return None;
    };
    let subnet = format!(
        "{}/{prefix}",
        Ipv4Addr::from(u32::from(address) & subnet_mask(prefix))
    );
    if !addressing.subnet_contains(gateway) {
        let message = format!("the gateway `{gateway}` is outside {subnet_name}, {subnet}");
        let hint = format!(
            "the guest reaches its gateway directly: give an address in {subnet}, or change `ip`"
        );
        return Some((message, hint));
    }
    if gateway == address {
        let message = format!("the gateway `{gateway}` is the guest's own address");
        return Some((
            message,
            "give the address of the router, such as QEMU's `10.0.2.2`".to_owned(),
        ));
    }
    host_address_problem(gateway, prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(text: &str) -> String {
        addressing(text).unwrap_err().0
    }

    #[test]
    fn reads_static_addresses_and_dhcp() {
        let expected = Addressing::Static {
            address: Ipv4Addr::new(192, 168, 1, 7),
            prefix: 24,
        };
        assert_eq!(addressing("192.168.1.7/24"), Ok(expected));
        assert_eq!(addressing("dhcp"), Ok(Addressing::Dhcp));
        assert!(addressing("10.0.0.0/31").is_ok());
        assert!(addressing("10.0.0.1/32").is_ok());
    }

    #[test]
    fn rejects_addresses_that_are_no_host() {
        assert_eq!(
            problem("10.0.2.0/24"),
            "`10.0.2.0` is the network address of 10.0.2.0/24"
        );
        assert_eq!(
            problem("10.0.2.255/24"),
            "`10.0.2.255` is the broadcast address of 10.0.2.0/24"
        );
        assert_eq!(problem("127.0.0.1/8"), "`127.0.0.1` is a loopback address");
        assert_eq!(
            problem("10.0.2.15/0"),
            "the prefix length must be from 1 to 32, not `0`"
        );
        assert_eq!(problem("10.0.2.15"), "`10.0.2.15` has no prefix length");
        assert_eq!(problem("DHCP"), "`DHCP` is not a valid `network.ip`");
        assert_eq!(problem("10.0.2/24"), "`10.0.2` is not an IPv4 address");
    }

    #[test]
    fn gateways_must_be_reachable_hosts() {
        let at = |text: &str| {
            gateway_problem(text.parse().unwrap(), QEMU_DEFAULT_ADDRESS, "x")
                .map(|problem| problem.0)
        };
        assert_eq!(at("10.0.2.2"), None);
        assert_eq!(
            at("10.0.3.2"),
            Some("the gateway `10.0.3.2` is outside x, 10.0.2.0/24".to_owned())
        );
        assert_eq!(
            at("10.0.2.15"),
            Some("the gateway `10.0.2.15` is the guest's own address".to_owned())
        );
        assert_eq!(
            at("10.0.2.255"),
            Some("`10.0.2.255` is the broadcast address of 10.0.2.0/24".to_owned())
        );
    }
}
