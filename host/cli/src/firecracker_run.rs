//! `sauce run --vmm firecracker`: the Firecracker launch (or its `--dry-run` description), its
//! notices, its summary line with Firecracker's boot-timer report, and its exit code.

use std::path::PathBuf;

use sauce_runner::firecracker::network::PrivateNetwork;
use sauce_runner::firecracker::{binary, dry_run, FirecrackerConfig, FirecrackerError, Network};
use sauce_runner::DEFAULT_MEMORY;

use crate::arguments::RunArguments;
use crate::outcome::{Failure, Outcome};
use crate::run::Prepared;

/// Fails when no Firecracker binary can be found (a dry run needs none).
pub fn check_binary(arguments: &RunArguments) -> Result<(), Failure> {
    if arguments.dry_run {
        return Ok(());
    }
    binary::locate(arguments.firecracker.as_deref())
        .map(|_| ())
        .map_err(failure)
}

/// Boots `prepared.image` under Firecracker with the flags of `arguments`.
pub fn run(arguments: &RunArguments, prepared: &Prepared) -> Result<Outcome, Failure> {
    let config = configuration(arguments, prepared)?;
    if arguments.dry_run {
        let private = matches!(config.network, Network::Private { .. })
            .then(PrivateNetwork::next_for_this_process);
        print!("{}", dry_run::describe(&config, private));
        return Ok(Outcome::Success);
    }
    match &config.network {
        Network::Private { port_forwards } if port_forwards.is_empty() => {
            eprintln!("notice: no -p HOSTPORT:GUESTPORT given; the service is reachable only inside its private network");
        }
        Network::Tap { name } if !config.append.contains("ip=") => {
            eprintln!("notice: the guest on TAP `{name}` has no address from sauce; pass --append \"ip=ADDRESS/PREFIX gw=GATEWAY\"");
        }
        _ => {}
    }
    crate::run::boot(&config, arguments, &prepared.image)
}

/// The launch configuration: binary, memory, command line, timeout and network.
fn configuration(
    arguments: &RunArguments,
    prepared: &Prepared,
) -> Result<FirecrackerConfig, Failure> {
    if arguments.tap.is_some() && !arguments.port_forwards.is_empty() {
        return Err(Failure::invalid(
            "-p needs sauce's private network, which --tap replaces; with --tap NAME, route to the guest yourself",
        ));
    }
    if let Some(name) = &arguments.tap {
        if name.is_empty() || name.len() > 15 || name.contains(['/', ' ']) {
            return Err(Failure::invalid(format!(
                "`{name}` is not a network interface name (1-15 characters, no `/` or spaces)"
            )));
        }
    }
    let binary = match binary::locate(arguments.firecracker.as_deref()) {
        Ok(binary) => binary,
        Err(error) if arguments.dry_run => {
            eprintln!("notice: {error}");
            PathBuf::from(binary::PROGRAM)
        }
        Err(error) => return Err(failure(error)),
    };
    let mut config = FirecrackerConfig::new(binary, &prepared.image);
    config.memory = arguments
        .memory
        .or(prepared.memory)
        .unwrap_or(DEFAULT_MEMORY);
    config.append = crate::run::kernel_command_line(arguments)?;
    config.boot_facts = true;
    config.timeout = arguments.timeout;
    config.network = match &arguments.tap {
        Some(name) => Network::Tap { name: name.clone() },
        None if prepared.uses_network || !arguments.port_forwards.is_empty() => Network::Private {
            port_forwards: arguments.port_forwards.clone(),
        },
        None => Network::None,
    };
    Ok(config)
}

/// The exit code for each launch failure: a missing image is bad input (1); everything else,
/// a missing Firecracker included, is the environment's (2), as for QEMU.
fn failure(error: FirecrackerError) -> Failure {
    let message = error.to_string();
    match error {
        FirecrackerError::ImageNotFound { .. } => Failure::invalid(message),
        _ => Failure::environment(message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arguments::{Arguments, Verb};
    use clap::Parser;

    fn arguments(words: &[&str]) -> RunArguments {
        let words = [
            "sauce",
            "run",
            "/i.elf",
            "--vmm",
            "firecracker",
            "--firecracker",
            "/bin/sh",
        ]
        .iter()
        .chain(words);
        match Arguments::try_parse_from(words).unwrap().verb {
            Verb::Run(run) => run,
            _ => panic!("not run"),
        }
    }

    fn prepared(uses_network: bool) -> Prepared {
        Prepared {
            image: PathBuf::from("/i.elf"),
            memory: None,
            uses_network,
            platform: sauce_intent::Machine::Firecracker,
        }
    }

    #[test]
    fn serving_guests_get_a_private_network() {
        let config = configuration(&arguments(&[]), &prepared(true)).unwrap();
        assert_eq!(
            config.network,
            Network::Private {
                port_forwards: vec![]
            }
        );
        let config = configuration(&arguments(&["-p", "8080:80"]), &prepared(false)).unwrap();
        assert!(
            matches!(config.network, Network::Private { ref port_forwards } if port_forwards.len() == 1)
        );
        let config = configuration(
            &arguments(&["--memory", "64MiB", "--append", "x"]),
            &prepared(false),
        )
        .unwrap();
        assert_eq!(config.network, Network::None);
        assert_eq!(
            (config.memory.mebibytes_rounded_up(), config.append.as_str()),
            (64, "x")
        );
    }

    #[test]
    fn a_tap_replaces_the_private_network_and_excludes_ports() {
        let config = configuration(&arguments(&["--tap", "tap9"]), &prepared(true)).unwrap();
        assert_eq!(
            config.network,
            Network::Tap {
                name: "tap9".to_owned()
            }
        );
        let error = configuration(
            &arguments(&["--tap", "tap9", "-p", "80:80"]),
            &prepared(true),
        )
        .err()
        .unwrap();
        assert_eq!(error.outcome, Outcome::InvalidInput);
        assert!(error.message.contains("--tap"), "{}", error.message);
        let error = configuration(&arguments(&["--tap", "a/b"]), &prepared(true))
            .err()
            .unwrap();
        assert_eq!(error.outcome, Outcome::InvalidInput);
    }

    #[test]
    fn a_missing_firecracker_is_the_environment() {
        let mut wrong = arguments(&[]);
        wrong.firecracker = Some(PathBuf::from("/no/such/firecracker"));
        let error = configuration(&wrong, &prepared(false)).err().unwrap();
        assert_eq!(error.outcome, Outcome::Environment);
        assert!(
            error.message.contains("/no/such/firecracker"),
            "{}",
            error.message
        );
        assert_eq!(
            failure(FirecrackerError::NotFound).outcome,
            Outcome::Environment
        );
        let missing_image = FirecrackerError::ImageNotFound {
            image: PathBuf::from("/x.elf"),
        };
        assert_eq!(failure(missing_image).outcome, Outcome::InvalidInput);
        wrong.dry_run = true;
        let config = configuration(&wrong, &prepared(false)).unwrap();
        assert_eq!(
            config.binary,
            PathBuf::from("firecracker"),
            "a dry run still describes the launch"
        );
    }
}
