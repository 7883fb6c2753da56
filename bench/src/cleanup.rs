//! What to remove when the benchmark is interrupted (Ctrl-C, SIGTERM): network namespaces it
//! created and processes it started. Normal and panicking exits clean up through `Drop`; this
//! covers the signals, where no destructor runs.

use std::process::Command;
use std::sync::Mutex;

/// Things still to remove.
#[derive(Default)]
struct Pending {
    namespaces: Vec<String>,
    processes: Vec<u32>,
}

static PENDING: Mutex<Pending> = Mutex::new(Pending {
    namespaces: Vec::new(),
    processes: Vec::new(),
});

fn pending() -> std::sync::MutexGuard<'static, Pending> {
    PENDING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Installs the signal handler once: on Ctrl-C or SIGTERM it stops the registered processes,
/// deletes the registered namespaces and exits with status 130.
pub fn install_signal_handler() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            remove_everything();
            std::process::exit(130);
        });
    });
}

/// Stops every registered process and deletes every registered namespace.
fn remove_everything() {
    let Pending {
        namespaces,
        processes,
    } = std::mem::take(&mut *pending());
    for process in processes {
        let _ = Command::new("kill")
            .arg("-KILL")
            .arg(process.to_string())
            .status();
    }
    for namespace in namespaces {
        let _ = Command::new("ip")
            .args(["netns", "del", &namespace])
            .status();
    }
}

/// Remembers a namespace to delete on a signal.
pub fn register_namespace(name: &str) {
    pending().namespaces.push(name.to_owned());
}

/// Forgets a namespace (it was deleted normally).
pub fn forget_namespace(name: &str) {
    pending().namespaces.retain(|pending| pending != name);
}

/// Remembers a process to stop on a signal.
pub fn register_process(id: u32) {
    pending().processes.push(id);
}

/// Forgets a process (it was stopped normally).
pub fn forget_process(id: u32) {
    pending().processes.retain(|pending| *pending != id);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registers_and_forgets() {
        register_namespace("sauce-cleanup-test");
        register_process(u32::MAX);
        assert!(pending()
            .namespaces
            .iter()
            .any(|name| name == "sauce-cleanup-test"));
        forget_namespace("sauce-cleanup-test");
        forget_process(u32::MAX);
        assert!(!pending()
            .namespaces
            .iter()
            .any(|name| name == "sauce-cleanup-test"));
        assert!(!pending().processes.contains(&u32::MAX));
    }
}
