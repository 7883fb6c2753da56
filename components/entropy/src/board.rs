//! The entropy component's contract with the board: `init` seeds the image's generator from
//! the processor, the host's `sauce.seed=` and the time stamp counter, and logs which.

/// The key used when nothing installed one: the board's sources in an image (without the
/// host seed, which only `init` reads), a fixed key on the host.
pub fn fallback_key() -> [u8; 32] {
    #[cfg(target_os = "none")]
    {
        kernel::sources(None).key()
    }
    #[cfg(not(target_os = "none"))]
    {
        [0x5A; 32]
    }
}

#[cfg(target_os = "none")]
pub use kernel::init;

#[cfg(target_os = "none")]
mod kernel {
    use sauce_core::command_line::CommandLine;

    use crate::seed::Sources;

    /// The boot's sources, with `host` as the host's seed.
    pub(super) fn sources(host: Option<&str>) -> Sources<'_> {
        let mut words = [0u64; 4];
        let mut hardware = true;
        for word in &mut words {
            match sauce_arch_x86_64::cpu::hardware_random() {
                Some(value) => *word = value,
                None => hardware = false,
            }
        }
        Sources {
            hardware: hardware.then_some(words),
            host,
            time_stamp: sauce_arch_x86_64::cpu::read_time_stamp_counter(),
        }
    }

    /// Seeds the image's generator and logs from what.
    pub fn init(command_line: &CommandLine<'_>) {
        let sources = sources(command_line.get("sauce.seed"));
        crate::install(sources.key());
        sauce_runtime::info!("entropy: {}", sources.names());
    }
}
