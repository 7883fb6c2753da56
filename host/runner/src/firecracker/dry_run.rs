//! `--dry-run`: the Firecracker configuration (the `--config-file` form) and the commands a
//! launch would execute, as a shell script a user can hand to their own orchestration.

use std::fmt::Write;
use std::path::Path;

use super::configuration::instance_start;
use super::namespace::IP;
use super::network::PrivateNetwork;
use super::plan::Plan;
use super::{FirecrackerConfig, Network};

/// The shell variable standing for the launch's private folder.
const FOLDER: &str = "$FOLDER";

/// The configuration and commands for `config`; the private network (if any) is `private`.
pub fn describe(config: &FirecrackerConfig, private: Option<PrivateNetwork>) -> String {
    let plan = Plan::new(config, Path::new(FOLDER), private);
    let configuration =
        serde_json::to_string_pretty(&plan.definition.config_file()).unwrap_or_default();
    let mut text = String::new();
    let _ = writeln!(
        text,
        "# Firecracker configuration (the form `firecracker --no-api --config-file FILE` accepts):"
    );
    let _ = writeln!(text, "{configuration}\n");
    let _ = writeln!(
        text,
        "# The commands `sauce run --vmm firecracker` executes:"
    );
    let _ = writeln!(text, "FOLDER=$(mktemp -d -t sauce-firecracker-XXXXXX)");
    if let Some(private) = &plan.private {
        for command in private.setup_commands() {
            let _ = writeln!(text, "{}", shell_line(IP, &command));
        }
    }
    let arguments: Vec<String> = plan
        .arguments
        .iter()
        .map(|word| word.to_string_lossy().into_owned())
        .collect();
    let _ = writeln!(
        text,
        "{} &",
        shell_line(&plan.program.to_string_lossy(), &arguments)
    );
    let socket = plan.socket.to_string_lossy().into_owned();
    let _ = writeln!(
        text,
        "until curl -s --unix-socket {} http://localhost/ >/dev/null; do sleep 0.01; done",
        quote(&socket)
    );
    let requests = plan.definition.requests();
    let start = ("/actions".to_owned(), instance_start());
    for (path, body) in requests
        .iter()
        .map(|(path, body)| (path, *body))
        .chain([(&start.0, &start.1)])
    {
        let words = [
            "--unix-socket",
            &socket,
            "-X",
            "PUT",
            "-H",
            "Content-Type: application/json",
            "-d",
            &body.to_string(),
            &format!("http://localhost{path}"),
        ]
        .map(str::to_owned);
        let _ = writeln!(text, "{}", shell_line("curl", &words));
    }
    if let (Some(private), Network::Private { port_forwards }) = (&plan.private, &config.network) {
        for forward in port_forwards {
            let _ = writeln!(
                text,
                "# sauce relays 127.0.0.1:{} on the host to {}:{} inside {} (in-process, no command)",
                forward.host, private.guest_address, forward.guest, private.namespace
            );
        }
        let _ = writeln!(text, "# when the VM stops:");
        let _ = writeln!(text, "{}", shell_line(IP, &private.teardown_command()));
    }
    let _ = writeln!(text, "rm -r \"$FOLDER\"");
    text
}

/// `program` and `arguments` as one line of shell.
fn shell_line(program: &str, arguments: &[String]) -> String {
    std::iter::once(program)
        .chain(arguments.iter().map(String::as_str))
        .map(quote)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A word quoted for a POSIX shell: plain words as they are, words under the private folder
/// in double quotes (so `$FOLDER` expands), anything else in single quotes.
fn quote(word: &str) -> String {
    let plain = |text: &str| {
        !text.is_empty()
            && text
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || b"-_./:=,@%+".contains(&byte))
    };
    if plain(word) {
        word.to_owned()
    } else if word
        .strip_prefix(FOLDER)
        .is_some_and(|rest| rest.is_empty() || plain(rest))
    {
        format!("\"{word}\"")
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::launcher::PortForward;

    #[test]
    fn words_are_quoted_for_the_shell() {
        assert_eq!(quote("/opt/firecracker"), "/opt/firecracker");
        assert_eq!(quote("$FOLDER/api.sock"), "\"$FOLDER/api.sock\"");
        assert_eq!(quote("{\"a\": 1}"), "'{\"a\": 1}'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("$HOME"), "'$HOME'");
    }

    #[test]
    fn a_private_network_is_built_started_configured_and_removed() {
        let mut config = FirecrackerConfig::new("/opt/firecracker", "/images/hello-http.elf");
        config.network = Network::Private {
            port_forwards: vec![PortForward {
                host: 8080,
                guest: 80,
            }],
        };
        let text = describe(&config, Some(PrivateNetwork::new("sauce-77-0".to_owned())));
        let expected_commands = "\
# The commands `sauce run --vmm firecracker` executes:
FOLDER=$(mktemp -d -t sauce-firecracker-XXXXXX)
ip netns add sauce-77-0
ip -n sauce-77-0 tuntap add dev tap0 mode tap
ip -n sauce-77-0 address add 172.16.0.1/30 dev tap0
ip -n sauce-77-0 link set tap0 up
ip netns exec sauce-77-0 /opt/firecracker --api-sock \"$FOLDER/api.sock\" --log-path \"$FOLDER/firecracker.log\" --level Info --boot-timer &
until curl -s --unix-socket \"$FOLDER/api.sock\" http://localhost/ >/dev/null; do sleep 0.01; done
curl --unix-socket \"$FOLDER/api.sock\" -X PUT -H 'Content-Type: application/json' -d '{\"boot_args\":\"sauce sauce.boot_timer=0xc0000000 ip=172.16.0.2/30 gw=172.16.0.1\",\"kernel_image_path\":\"/images/hello-http.elf\"}' http://localhost/boot-source
curl --unix-socket \"$FOLDER/api.sock\" -X PUT -H 'Content-Type: application/json' -d '{\"mem_size_mib\":32,\"vcpu_count\":1}' http://localhost/machine-config
curl --unix-socket \"$FOLDER/api.sock\" -X PUT -H 'Content-Type: application/json' -d '{\"guest_mac\":\"06:00:ac:10:00:02\",\"host_dev_name\":\"tap0\",\"iface_id\":\"eth0\"}' http://localhost/network-interfaces/eth0
curl --unix-socket \"$FOLDER/api.sock\" -X PUT -H 'Content-Type: application/json' -d '{\"action_type\":\"InstanceStart\"}' http://localhost/actions
# sauce relays 127.0.0.1:8080 on the host to 172.16.0.2:80 inside sauce-77-0 (in-process, no command)
# when the VM stops:
ip netns delete sauce-77-0
rm -r \"$FOLDER\"
";
        assert!(text.ends_with(expected_commands), "{text}");
        let json_end = text.find("\n\n# The commands").unwrap();
        let json_start = text.find('{').unwrap();
        let configuration: serde_json::Value =
            serde_json::from_str(&text[json_start..json_end]).unwrap();
        assert_eq!(
            configuration["network-interfaces"][0]["host_dev_name"],
            "tap0"
        );
        assert_eq!(configuration["drives"], serde_json::json!([]));
    }

    #[test]
    fn without_a_network_firecracker_starts_directly() {
        let config = FirecrackerConfig::new("/opt/firecracker", "/i.elf");
        let text = describe(&config, None);
        assert!(text.contains("\n/opt/firecracker --api-sock"), "{text}");
        assert!(!text.contains("netns"), "{text}");
        assert!(!text.contains("network-interfaces/eth0"), "{text}");
    }
}
