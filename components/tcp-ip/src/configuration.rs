//! How the interface gets its address: the board's defaults, overridden by `ip=` and `gw=`.
use core::fmt;

use smoltcp::wire::{Ipv4Address, Ipv4Cidr};

/// Socket slots a stack reserves when its user does not count them (host tests): 64
/// listeners, a spare one, and one for a DHCP client. Images reserve what their services
/// declare ([`board::socket_capacity`](crate::board::socket_capacity)).
pub const DEFAULT_SOCKET_CAPACITY: usize = 66;

/// Where the interface's IPv4 address comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Addressing {
    /// A fixed address and prefix length, such as `10.0.2.15/24`.
    Static(Ipv4Cidr),
    /// Leased from a DHCP server; the lease also names the gateway.
    Dhcp,
}

/// Everything the stack needs to come up on one Ethernet interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NetworkConfiguration {
    /// The interface's IPv4 address.
    pub address: Addressing,
    /// The default gateway for a static address; with DHCP the lease's router is used instead.
    pub gateway: Option<Ipv4Address>,
    /// The interface's Ethernet address (from the network device).
    pub mac: [u8; 6],
    /// Socket slots reserved at start-up: adding up to this many sockets never allocates.
    pub socket_capacity: usize,
}

/// Why a network setting (from the command line or the board) was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigurationError<'text> {
    /// `ip=` is neither `dhcp` nor an address with a prefix length such as `10.0.2.15/24`.
    Address(&'text str),
    /// `gw=` is neither `none` nor an IPv4 address such as `10.0.2.2`.
    Gateway(&'text str),
    /// The address is not a unicast address (unspecified, broadcast or multicast).
    NotUnicast(Ipv4Cidr),
    /// The Ethernet address is a group (multicast or broadcast) address.
    MacNotUnicast([u8; 6]),
    /// The gateway is not inside the interface's subnet, so it cannot be reached.
    GatewayOutsideSubnet {
        /// The interface's address and prefix.
        address: Ipv4Cidr,
        /// The unreachable gateway.
        gateway: Ipv4Address,
    },
    /// `ip=dhcp` in an image built without the `dhcp-client` component.
    NoAddressClient,
}

impl fmt::Display for ConfigurationError<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Address(text) => write!(
                formatter,
                "ip={text}: expected `dhcp` or an IPv4 address with a prefix length, such as 10.0.2.15/24"
            ),
            Self::Gateway(text) => write!(
                formatter,
                "gw={text}: expected `none` or an IPv4 address, such as 10.0.2.2"
            ),
            Self::NotUnicast(address) => {
                write!(formatter, "ip={address}: not a unicast address")
            }
            Self::MacNotUnicast(mac) => write!(
                formatter,
                "mac {:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}: not a unicast Ethernet address",
                mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]
            ),
            Self::GatewayOutsideSubnet { address, gateway } => write!(
                formatter,
                "gw={gateway}: outside the interface's subnet {}",
                address.network()
            ),
            Self::NoAddressClient => write!(
                formatter,
                "ip=dhcp: this image has no DHCP client; pass a static ip=, or set \
                 [network] ip = \"dhcp\" in sauce.toml to build one in"
            ),
        }
    }
}

impl Addressing {
    /// Parses `dhcp` (any case) or `a.b.c.d/prefix`.
    pub fn parse(text: &str) -> Result<Addressing, ConfigurationError<'_>> {
        if text.eq_ignore_ascii_case("dhcp") {
            return Ok(Addressing::Dhcp);
        }
        let address: Ipv4Cidr = text
            .parse()
            .map_err(|()| ConfigurationError::Address(text))?;
        if !is_unicast(address.address()) {
            return Err(ConfigurationError::NotUnicast(address));
        }
        Ok(Addressing::Static(address))
    }
}

/// Parses a gateway: `none` (any case) or `a.b.c.d`.
pub fn parse_gateway(text: &str) -> Result<Option<Ipv4Address>, ConfigurationError<'_>> {
    if text.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    text.parse()
        .map(Some)
        .map_err(|_| ConfigurationError::Gateway(text))
}

impl NetworkConfiguration {
    /// `defaults` overridden by the kernel command line: `ip=10.0.2.15/24` or `ip=dhcp`, and
    /// `gw=10.0.2.2` or `gw=none`. `lookup` returns a key's value (the kernel passes
    /// `|key| command_line.get(key)`); a key that is absent keeps its default.
    pub fn from_command_line<'text>(
        defaults: NetworkConfiguration,
        lookup: impl Fn(&str) -> Option<&'text str>,
    ) -> Result<NetworkConfiguration, ConfigurationError<'text>> {
        let mut configuration = defaults;
        if let Some(text) = lookup("ip") {
            configuration.address = Addressing::parse(text)?;
        }
        if let Some(text) = lookup("gw") {
            configuration.gateway = parse_gateway(text)?;
        }
        configuration.check()?;
        Ok(configuration)
    }

    /// Checks what [`NetworkStack::new`](crate::NetworkStack::new) relies on: a unicast
    /// Ethernet address, a unicast static address, and a gateway inside its subnet.
    pub fn check(&self) -> Result<(), ConfigurationError<'static>> {
        if self.mac[0] & 1 != 0 {
            return Err(ConfigurationError::MacNotUnicast(self.mac));
        }
        let Addressing::Static(address) = self.address else {
            return Ok(());
        };
        if !is_unicast(address.address()) {
            return Err(ConfigurationError::NotUnicast(address));
        }
        match self.gateway {
            Some(gateway) if !address.contains_addr(&gateway) => {
                Err(ConfigurationError::GatewayOutsideSubnet { address, gateway })
            }
            _ => Ok(()),
        }
    }
}

fn is_unicast(address: Ipv4Address) -> bool {
    !address.is_unspecified() && !address.is_broadcast() && !address.is_multicast()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    const DEFAULTS: NetworkConfiguration = NetworkConfiguration {
        address: Addressing::Static(Ipv4Cidr::new(Ipv4Address::new(10, 0, 2, 15), 24)),
        gateway: Some(Ipv4Address::new(10, 0, 2, 2)),
        mac: [0x52, 0x54, 0, 0x12, 0x34, 0x56],
        socket_capacity: DEFAULT_SOCKET_CAPACITY,
    };

    fn parse(line: &str) -> Result<NetworkConfiguration, ConfigurationError<'_>> {
        NetworkConfiguration::from_command_line(DEFAULTS, |key| {
            line.split_whitespace()
                .filter_map(|word| word.split_once('='))
                .filter(|(name, _)| *name == key)
                .map(|(_, value)| value)
                .next_back()
        })
    }

    #[test]
    fn absent_keys_keep_the_defaults() {
        assert_eq!(parse("console=ttyS0"), Ok(DEFAULTS));
    }

    #[test]
    fn static_address_and_gateway_override_the_defaults() {
        let configuration = parse("ip=192.168.7.9/16 gw=192.168.0.1").unwrap();
        assert_eq!(
            configuration.address,
            Addressing::Static(Ipv4Cidr::new(Ipv4Address::new(192, 168, 7, 9), 16))
        );
        assert_eq!(
            configuration.gateway,
            Some(Ipv4Address::new(192, 168, 0, 1))
        );
        assert_eq!(configuration.mac, DEFAULTS.mac);
    }

    #[test]
    fn dhcp_and_no_gateway() {
        assert_eq!(parse("ip=DHCP").unwrap().address, Addressing::Dhcp);
        assert_eq!(parse("gw=none").unwrap().gateway, None);
    }

    #[test]
    fn malformed_values_are_refused_with_their_text() {
        assert_eq!(
            parse("ip=10.0.2.15"),
            Err(ConfigurationError::Address("10.0.2.15"))
        );
        assert_eq!(
            parse("ip=10.0.2.15/33"),
            Err(ConfigurationError::Address("10.0.2.15/33"))
        );
        assert_eq!(
            parse("ip=10.0.2.300/24"),
            Err(ConfigurationError::Address("10.0.2.300/24"))
        );
        assert_eq!(
            parse("gw=gateway"),
            Err(ConfigurationError::Gateway("gateway"))
        );
        let message = parse("gw=10.0.2").unwrap_err().to_string();
        assert!(
            message.starts_with("gw=10.0.2: expected `none`"),
            "{message}"
        );
    }

    #[test]
    fn non_unicast_addresses_and_unreachable_gateways_are_refused() {
        assert!(matches!(
            parse("ip=0.0.0.0/0"),
            Err(ConfigurationError::NotUnicast(_))
        ));
        assert!(matches!(
            parse("ip=224.0.0.1/4"),
            Err(ConfigurationError::NotUnicast(_))
        ));
        let error = parse("gw=10.0.3.1").unwrap_err();
        assert!(matches!(
            error,
            ConfigurationError::GatewayOutsideSubnet { .. }
        ));
        assert_eq!(
            error.to_string(),
            "gw=10.0.3.1: outside the interface's subnet 10.0.2.0/24"
        );
        // With DHCP the lease names the gateway, so a stale static one is not checked.
        assert!(parse("ip=dhcp gw=10.0.3.1").is_ok());
    }
}
