//! Reading QEMU's `-d in_asm` log and building the examples it is taken of, shared by the
//! `translated_code` and `request_instructions` benchmarks (record 0011).

use std::path::{Path, PathBuf};

use sauce_builder::BuildContext;

/// The image's code lies at and above 1 MiB; microvm's firmware (qboot) below it and near 4 GiB.
pub const IMAGE: std::ops::Range<u64> = 0x10_0000..0x4000_0000;

/// The guest address of an instruction line of the log (`0xADDRESS:  bytes  mnemonic`).
pub fn instruction_address(line: &str) -> Option<u64> {
    let hex = line.strip_prefix("0x")?.split(':').next()?;
    u64::from_str_radix(hex, 16).ok()
}

/// Builds examples/`example` into `folder`; the image's path.
pub fn build_example(folder: &Path, example: &str) -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(example)
        .join("sauce.toml");
    let intent =
        sauce_intent::load(&manifest).unwrap_or_else(|error| panic!("{example}: {error:?}"));
    let image = folder.join(format!("{example}.elf"));
    BuildContext::from_environment()
        .unwrap()
        .build_app(&intent, &image)
        .unwrap();
    image
}

/// The number after `--runs` on the command line, else `default`.
pub fn runs_argument(default: usize) -> usize {
    std::env::args()
        .skip_while(|argument| argument != "--runs")
        .nth(1)
        .map_or(default, |runs| runs.parse().expect("--runs takes a number"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instruction_lines_give_their_address_and_other_lines_none() {
        assert_eq!(
            instruction_address("0x00100002:  eb 0c   jmp 0x100010"),
            Some(0x10_0002)
        );
        assert_eq!(instruction_address("IN: sauce_kernel_entry"), None);
        assert_eq!(instruction_address("Trace 0: 0x7f00 [0/100000/0/0]"), None);
    }
}
