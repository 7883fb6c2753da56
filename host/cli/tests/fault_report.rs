//! A guest that fails says why, names the calls in progress, and `--restart on-failure:N` boots
//! it again: examples/hello-http given less memory than its boot heap (a failure before it
//! serves, which every boot repeats).
mod common;

use common::{assert_exit, build_lock, repository, sauce, text};

#[test]
fn a_failing_guest_reports_named_calls_and_is_restarted_up_to_the_limit() {
    {
        let _lock = build_lock();
        let output = sauce()
            .arg("build")
            .arg(repository().join("examples/hello-http"))
            .output()
            .unwrap();
        assert_exit(&output, 0);
    }
    let output = sauce()
        .arg("run")
        .arg(repository().join("examples/hello-http"))
        .args([
            "--accel",
            "tcg",
            "--memory",
            "2MiB",
            "--timeout",
            "60",
            "--restart",
            "on-failure:2",
        ])
        .output()
        .unwrap();
    assert_exit(&output, 3);
    let (stdout, stderr) = text(&output);
    assert!(stdout.contains("out of memory: the heap needs"), "{stdout}");
    // The frame-pointer chain, named from the symbols `sauce build` kept.
    assert!(stdout.contains("backtrace: 0x"), "{stdout}");
    assert!(
        stdout.contains(" in sauce_runtime::platform::fail + 0x"),
        "{stdout}"
    );
    assert!(stdout.contains(" in hello_http::board + 0x"), "{stdout}");
    assert_eq!(
        stdout.matches("sauce: exit failure").count(),
        3,
        "three boots:\n{stdout}"
    );
    assert_eq!(
        stderr.matches("sauce: restarting the guest").count(),
        2,
        "{stderr}"
    );
    assert!(stderr.contains("not restarting again"), "{stderr}");
}
