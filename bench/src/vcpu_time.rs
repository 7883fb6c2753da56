//! The CPU time QEMU's vCPU threads have run, from `/proc` (QEMU started with
//! `-name …,debug-threads=on`, which names them `CPU N/TCG` or `CPU N/KVM`).

use std::path::Path;
use std::time::Duration;

/// The `-name` argument that names QEMU's threads, so [`vcpu_run_time`] can find its vCPUs.
pub const NAMED_THREADS: &str = "sauce,debug-threads=on";

/// Time spent on a CPU so far by the vCPU threads of the process `pid` (Σ of each thread's
/// `schedstat` run time, nanosecond-precise); `None` when no thread is a vCPU or `/proc` cannot
/// be read.
pub fn vcpu_run_time(pid: u32) -> Option<Duration> {
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).ok()?;
    let mut total: Option<Duration> = None;
    for task in tasks.flatten() {
        let folder = task.path();
        if !is_vcpu(&read(&folder, "comm")) {
            continue;
        }
        let nanoseconds = run_nanoseconds(&read(&folder, "schedstat"))?;
        *total.get_or_insert(Duration::ZERO) += Duration::from_nanos(nanoseconds);
    }
    total
}

/// A file of a task's `/proc` folder, empty when unreadable (the thread may have exited).
fn read(folder: &Path, name: &str) -> String {
    std::fs::read_to_string(folder.join(name)).unwrap_or_default()
}

/// Whether a thread name (`comm`) is one of QEMU's vCPU threads.
fn is_vcpu(comm: &str) -> bool {
    comm.starts_with("CPU ") && (comm.contains("/TCG") || comm.contains("/KVM"))
}

/// The first field of `schedstat`: nanoseconds run on a CPU.
fn run_nanoseconds(schedstat: &str) -> Option<u64> {
    schedstat.split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vcpu_threads_are_told_from_the_others_by_name() {
        assert!(is_vcpu("CPU 0/TCG\n"));
        assert!(is_vcpu("CPU 1/KVM\n"));
        assert!(!is_vcpu("qemu-system-x86\n"));
        assert!(!is_vcpu("worker\n"));
    }

    #[test]
    fn schedstat_gives_its_run_time_and_nothing_for_garbage() {
        assert_eq!(run_nanoseconds("100099 98647 2\n"), Some(100_099));
        assert_eq!(run_nanoseconds(""), None);
        assert_eq!(run_nanoseconds("x 1 2"), None);
    }

    #[test]
    fn a_process_without_vcpu_threads_has_no_vcpu_time() {
        assert_eq!(vcpu_run_time(std::process::id()), None);
    }
}
