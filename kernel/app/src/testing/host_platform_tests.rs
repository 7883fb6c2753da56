//! Tests of the host platform: seeded randomness, configuration, the virtual clock.

use super::*;

#[test]
fn the_same_seed_gives_the_same_bytes() {
    let first = HostPlatform::new().seed(42);
    let second = HostPlatform::new().seed(42);
    let (mut left, mut right) = ([0u8; 13], [0u8; 13]);
    first.random_bytes(&mut left);
    second.random_bytes(&mut right);
    assert_eq!(left, right);
    let mut next = [0u8; 13];
    first.random_bytes(&mut next);
    assert_ne!(left, next);
}

#[test]
fn random_ids_are_url_safe_and_distinct() {
    HostPlatform::new().seed(1).install_for_this_thread();
    let ids: std::collections::BTreeSet<String> = (0..1000).map(|_| crate::random_id()).collect();
    assert_eq!(ids.len(), 1000);
    assert!(ids.iter().all(|id| id.len() == 22
        && id
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')));
    assert_eq!(crate::random_string(40).len(), 40);
    assert_ne!(crate::random_u64(), crate::random_u64());
}

#[test]
fn env_values_can_change_and_go() {
    let platform = HostPlatform::new()
        .with_env("A", "1")
        .install_for_this_thread();
    assert_eq!(crate::env("A"), Some("1"));
    platform.set_env("A", "2");
    assert_eq!(crate::env("A"), Some("2"));
    platform.remove_env("A");
    assert_eq!(crate::env("A"), None);
}

#[test]
fn the_virtual_clock_starts_where_told() {
    let start = Timestamp::from_unix_seconds(1_000_000_000).unwrap();
    let platform = HostPlatform::new()
        .starting_at(start)
        .install_for_this_thread();
    assert_eq!(crate::now(), start);
    platform.advance(Duration::from_millis(1_500));
    assert_eq!(crate::now().unix_millis(), 1_000_000_001_500);
    assert_eq!(platform.pending_timers(), 0);
}

#[test]
fn a_default_platform_appears_when_none_is_installed() {
    std::thread::spawn(|| {
        assert_eq!(crate::now().rfc3339().to_string(), "2024-01-01T00:00:00Z");
        crate::info!("captured");
        assert_eq!(
            super::super::host().unwrap().log_lines(),
            ["INFO: captured"]
        );
    })
    .join()
    .unwrap();
}
