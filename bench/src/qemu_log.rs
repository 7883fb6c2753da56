//! Reading QEMU's `-d in_asm` log, switching it through the monitor, and building the examples
//! it is taken of, shared by the `translated_code` and `request_instructions` benchmarks
//! (record 0011).

use std::collections::HashMap;
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

use sauce_builder::BuildContext;

/// The image's code lies at and above 1 MiB; microvm's firmware (qboot) below it and near 4 GiB.
pub const IMAGE: std::ops::Range<u64> = 0x10_0000..0x4000_0000;

/// The guest address of an instruction line of the log (`0xADDRESS:  bytes  mnemonic`).
pub fn instruction_address(line: &str) -> Option<u64> {
    let hex = line.strip_prefix("0x")?.split(':').next()?;
    u64::from_str_radix(hex, 16).ok()
}

/// Guest instructions executed, from a log of `in_asm,exec,nochain`: `IN:` then `0xADDRESS:  …`
/// lines for each translated block, `Trace N: HOST [CS_BASE/PC/FLAGS/…]` for each block run;
/// Σ over runs of blocks of the [`IMAGE`] of the block's instruction count. With `profile`, also
/// writes each block's share there (`ADDRESS INSTRUCTIONS RUNS` lines, largest first, for
/// attributing them to functions with `nm`).
pub fn executed_instructions(log: &str, profile: Option<&Path>) -> u64 {
    let mut sizes: HashMap<u64, u64> = HashMap::new();
    let mut runs: HashMap<u64, u64> = HashMap::new();
    let mut block: Option<u64> = None;
    let mut block_starts = false;
    for line in log.lines() {
        if line.starts_with("IN:") {
            block_starts = true;
        } else if let Some(address) = instruction_address(line) {
            if block_starts {
                // A block may be translated again (switching the log on flushes the cache): its
                // latest translation counts.
                block = Some(address);
                sizes.insert(address, 0);
                block_starts = false;
            }
            if let Some(start) = block {
                *sizes.entry(start).or_default() += 1;
            }
        } else if line.starts_with("Trace ") {
            let program_counter = line
                .split('[')
                .nth(1)
                .and_then(|fields| fields.split('/').nth(1))
                .and_then(|hex| u64::from_str_radix(hex, 16).ok());
            if let Some(program_counter) = program_counter {
                *runs.entry(program_counter).or_default() += 1;
            }
        }
    }
    if let Some(path) = profile {
        // Instructions executed per block, for attributing them to functions (`nm`).
        let mut blocks: Vec<(u64, u64, u64)> = runs
            .iter()
            .filter(|(start, _)| IMAGE.contains(*start))
            .map(|(start, count)| {
                let size = sizes.get(start).copied().unwrap_or(1);
                (*start, count * size, *count)
            })
            .collect();
        blocks.sort_by_key(|(_, instructions, _)| std::cmp::Reverse(*instructions));
        let text: String = blocks
            .iter()
            .map(|(start, instructions, count)| format!("{start:#x} {instructions} {count}\n"))
            .collect();
        let _ = std::fs::write(path, text);
    }
    runs.iter()
        .filter(|(start, _)| IMAGE.contains(*start))
        .map(|(start, count)| count * sizes.get(start).copied().unwrap_or(1))
        .sum()
}

/// Sends one HMP command to the monitor socket and waits for its prompt to come back.
pub fn monitor(socket: &Path, command: &str) {
    let mut stream = UnixStream::connect(socket).expect("the QEMU monitor socket");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut reply = Vec::new();
    let mut chunk = [0u8; 4096];
    let mut read_prompt = |stream: &mut UnixStream, reply: &mut Vec<u8>| {
        while !reply.ends_with(b"(qemu) ") {
            let count = stream.read(&mut chunk).expect("the monitor answers");
            assert!(count > 0, "the monitor closed");
            reply.extend_from_slice(&chunk[..count]);
        }
    };
    read_prompt(&mut stream, &mut reply);
    reply.clear();
    stream.write_all(format!("{command}\n").as_bytes()).unwrap();
    read_prompt(&mut stream, &mut reply);
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

    #[test]
    fn sums_each_run_block_by_its_instructions_and_leaves_out_the_firmware() {
        let log = "IN: \n0x00100000:  movl %ebx, %esi\n0x00100002:  jmp 0x100010\n\n\
                   IN: \n0x000f0000:  hlt\n\n\
                   Trace 0: 0x7f00 [0000000000000000/0000000000100000/0000c2b0/ff000200] \n\
                   Trace 0: 0x7f00 [0000000000000000/0000000000100000/0000c2b0/ff000200] \n\
                   Trace 0: 0x7f40 [0000000000000000/00000000000f0000/0000c2b0/ff000200] \n";
        assert_eq!(executed_instructions(log, None), 4);
        let translated_again =
            format!("{log}IN: \n0x00100000:  movl %ebx, %esi\n0x00100002:  jmp 0x100010\n\n");
        assert_eq!(
            executed_instructions(&translated_again, None),
            4,
            "a block translated twice counts once"
        );
    }
}
