//! Faults end to end: examples/notes-postgres, built and booted under TCG with its URL given at
//! run time, against a real Postgres server of the test's own (tests/database-servers) that
//! misbehaves on purpose:
//! - the server is not there when the guest boots: the guest serves anyway, routes that need
//!   the database answer 503 with `Retry-After`, and it recovers by itself once the server
//!   starts on that port; then a unique violation (a unique index the test adds) is a 409 and a
//!   query stuck behind a lock the test holds is a 504 after the pool's 5 s timeout, and the
//!   guest goes on serving after both;
//! - the server is stopped and started again while client threads keep requesting: no request
//!   goes unanswered past its limit, every failure is a 503 with `Retry-After`, and successes
//!   come back by themselves (the time it took is printed).
//!
//! The tests run one at a time (their timings are honest only when the two TCG guests do not
//! share the cores) and skip, saying why, only when the Postgres binaries are missing.

mod common;
mod database_guest;

use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use database_guest::{free_port, project, Answer, Guest, KeptAlive};
use sauce_database_servers::postgres::{self, SCRAM_PASSWORD, SCRAM_USER};
use sauce_database_servers::process::percent_encode;
use sauce_database_servers::PostgresServer;

/// The pool's `timeout` in examples/notes-postgres/sauce.toml.
const POOL_TIMEOUT: Duration = Duration::from_secs(5);
/// How long past the pool's timeout an answer may take under TCG before it counts as hung.
const ANSWER_SLACK: Duration = Duration::from_secs(5);
/// Client threads of the restart test.
const CLIENTS: usize = 32;
/// How long the load goes on after the first success once the server is back.
const RUN_ON: Duration = Duration::from_secs(3);
/// When the load ends in any case.
const LOAD_LIMIT: Duration = Duration::from_secs(40);
/// The boot line that says the pool exists (the password masked).
const DATABASE_LINE: &str = "database main: postgres://scram_user:***@10.0.2.2";

/// Serialises the tests of this file.
fn one_at_a_time() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// `DATABASE_URL=…` for the SCRAM user on port `port` of the host, as the guest sees it.
fn environment(port: u16) -> String {
    format!(
        "DATABASE_URL=postgres://{SCRAM_USER}:{}@10.0.2.2:{port}/{}",
        percent_encode(SCRAM_PASSWORD),
        postgres::DATABASE
    )
}

/// Asserts that `answer` is the 503 a client can retry on.
fn assert_retryable(answer: &Answer, what: &str) {
    assert_eq!(
        answer.status, 503,
        "{what}: {}\n{}",
        answer.head, answer.body
    );
    let seconds = answer
        .retry_after()
        .unwrap_or_else(|| panic!("{what}: a 503 without Retry-After: {}", answer.head));
    assert!((1..=60).contains(&seconds), "{what}: {}", answer.head);
    assert!(answer.body.contains("\"error\""), "{what}: {}", answer.body);
}

/// Requests `GET path` every 250 ms until it answers 200 (each other answer a retryable 503);
/// returns the 200 and how long it took.
fn until_ok(guest: &Guest, path: &str, limit: Duration) -> (Answer, Duration) {
    let started = Instant::now();
    loop {
        let answer = guest.request("GET", path, "");
        if answer.status == 200 {
            return (answer, started.elapsed());
        }
        assert_retryable(&answer, path);
        assert!(
            started.elapsed() < limit,
            "GET {path} did not recover within {limit:?}:\n{}",
            guest.serial()
        );
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// Asserts that the guest still runs and never panicked.
fn assert_alive(guest: &mut Guest) {
    assert!(guest.running(), "the guest stopped:\n{}", guest.serial());
    let serial = guest.serial();
    assert!(!serial.to_lowercase().contains("panic"), "{serial}");
}

#[test]
fn notes_postgres_boots_without_its_database_and_survives_server_errors_and_timeouts() {
    let _one = one_at_a_time();
    if let Err(missing) = PostgresServer::binaries() {
        return eprintln!("skipped: {missing}");
    }
    let port = free_port();
    let project = project("database-faults-down", "notes-postgres");
    let mut guest = Guest::start(&project, &environment(port), DATABASE_LINE);

    // (a) Nothing listens on the port: the service is up, answers what needs no database, and
    // says when to retry what does.
    assert_retryable(&guest.request("GET", "/notes", ""), "GET /notes");
    assert_retryable(&guest.request("GET", "/notes/1", ""), "GET /notes/1");
    assert_retryable(
        &guest.request("POST", "/notes", r#"{"title":"milk"}"#),
        "POST /notes",
    );
    assert_eq!(guest.request("POST", "/notes", "{").status, 400);
    assert_eq!(guest.request("GET", "/notes/x", "").status, 404);

    let server = PostgresServer::start_on(port).expect("the binaries were found above");
    let (answer, recovery) = until_ok(&guest, "/notes", Duration::from_secs(40));
    assert_eq!(answer.body, "[]");
    eprintln!(
        "notes-postgres answered 200 {} ms after Postgres was ready (it was down at boot)",
        recovery.as_millis()
    );
    let created = guest.request("POST", "/notes", r#"{"title":"once"}"#);
    assert_eq!(created.status, 201, "{}", created.body);

    // (c) A server error: the test makes titles unique; a second "once" violates it.
    server
        .query(
            SCRAM_USER,
            postgres::DATABASE,
            "CREATE UNIQUE INDEX notes_title_unique ON notes (title)",
        )
        .unwrap();
    let duplicate = guest.request("POST", "/notes", r#"{"title":"once"}"#);
    assert_eq!(duplicate.status, 409, "{}", duplicate.body);
    assert!(duplicate.body.contains("\"error\""), "{}", duplicate.body);
    assert!(
        !duplicate.body.contains("notes_title_unique"),
        "server text leaked"
    );

    // (c) A query that cannot finish: the table is locked for longer than the pool's timeout.
    let locked = |server: &PostgresServer| {
        server
            .query(
                SCRAM_USER,
                postgres::DATABASE,
                "SELECT count(*) FROM pg_locks WHERE relation = 'notes'::regclass \
                 AND mode = 'AccessExclusiveLock' AND granted",
            )
            .is_ok_and(|count| count.trim() == "1")
    };
    std::thread::scope(|scope| {
        let holder = scope.spawn(|| {
            server.query(
                SCRAM_USER,
                postgres::DATABASE,
                "BEGIN; LOCK TABLE notes IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(9); COMMIT;",
            )
        });
        while !locked(&server) {
            assert!(!holder.is_finished(), "the lock was never taken");
            std::thread::sleep(Duration::from_millis(50));
        }
        let started = Instant::now();
        let stuck = guest.request("GET", "/notes/1", "");
        let waited = started.elapsed();
        assert_eq!(stuck.status, 504, "{}\n{}", stuck.head, stuck.body);
        assert!(
            waited >= POOL_TIMEOUT - Duration::from_millis(500)
                && waited < POOL_TIMEOUT + ANSWER_SLACK,
            "504 after {waited:?}"
        );
        eprintln!(
            "a query stuck behind a lock: 504 after {} ms",
            waited.as_millis()
        );
        holder
            .join()
            .unwrap()
            .expect("the lock holder's transaction");
    });
    // The timed-out connection was dropped; the pool serves on with the others or a new one.
    let (answer, _) = until_ok(&guest, "/notes/1", Duration::from_secs(20));
    assert_eq!(answer.body, r#"{"id":1,"title":"once","done":false}"#);
    assert_eq!(guest.request("GET", "/notes", "").status, 200);
    assert_alive(&mut guest);
}

/// What one client thread saw.
struct Outcome {
    /// When the request was sent, from the start of the load.
    sent: Duration,
    /// How long its answer took.
    took: Duration,
    /// The answer, or the I/O error (a refused or unanswered request).
    answer: Result<Answer, String>,
}

/// When the load ends: what the main thread and the clients tell each other.
#[derive(Default)]
struct Progress {
    /// When the server was ready again (set by the main thread).
    ready: Mutex<Option<Duration>>,
    /// When a request sent after that was first answered 200 (set by a client).
    recovered: Mutex<Option<Duration>>,
}

/// `clients` threads requesting `GET path` back to back on kept-alive connections (as
/// `wrk -cN`), until `RUN_ON` after the first success once the server is back (or
/// `LOAD_LIMIT`). They start 20 ms apart: QEMU user networking listens with a backlog of one,
/// and a burst of simultaneous connects can leave one accepted by the host's kernel but never
/// by QEMU (its request unanswered: not the guest's doing).
fn load(
    guest: &Guest,
    path: &str,
    clients: usize,
    progress: &Progress,
    start: Instant,
) -> Vec<Outcome> {
    let done = || {
        let now = start.elapsed();
        now > LOAD_LIMIT
            || progress
                .recovered
                .lock()
                .unwrap()
                .is_some_and(|recovered| now > recovered + RUN_ON)
    };
    std::thread::scope(|scope| {
        let threads: Vec<_> = (0..clients)
            .map(|index| {
                scope.spawn(move || {
                    std::thread::sleep(Duration::from_millis(20) * index as u32);
                    let mut client = KeptAlive::new(guest, POOL_TIMEOUT + ANSWER_SLACK);
                    let mut outcomes = Vec::new();
                    while !done() {
                        let sent = start.elapsed();
                        let answer = client.get(path).map_err(|error| error.to_string());
                        let took = start.elapsed() - sent;
                        let ready = *progress.ready.lock().unwrap();
                        if matches!(&answer, Ok(answer) if answer.status == 200)
                            && ready.is_some_and(|ready| sent >= ready)
                        {
                            progress
                                .recovered
                                .lock()
                                .unwrap()
                                .get_or_insert(sent + took);
                        }
                        outcomes.push(Outcome { sent, took, answer });
                    }
                    outcomes
                })
            })
            .collect();
        threads
            .into_iter()
            .flat_map(|thread| thread.join().unwrap())
            .collect()
    })
}

#[test]
fn notes_postgres_rides_out_a_database_restart_under_load() {
    let _one = one_at_a_time();
    let mut server = match PostgresServer::start() {
        Ok(server) => server,
        Err(missing) => return eprintln!("skipped: {missing}"),
    };
    let project = project("database-faults-restart", "notes-postgres");
    let mut guest = Guest::start(&project, &environment(server.port()), DATABASE_LINE);
    until_ok(&guest, "/notes", Duration::from_secs(30));
    let created = guest.request("POST", "/notes", r#"{"title":"steady"}"#);
    assert_eq!(created.status, 201, "{}", created.body);

    // Thirty-two clients (as `wrk -c32`); the server stops (fast shutdown) after 3 s and starts again 3 s later;
    // the load goes on until 3 s after the first success that follows.
    let start = Instant::now();
    let progress = Progress::default();
    let (outcomes, stopped, ready) = std::thread::scope(|scope| {
        let clients = scope.spawn(|| load(&guest, "/notes/1", CLIENTS, &progress, start));
        std::thread::sleep(Duration::from_secs(3));
        let stopped = start.elapsed();
        server.stop();
        std::thread::sleep(Duration::from_secs(3));
        server.resume();
        let ready = start.elapsed();
        *progress.ready.lock().unwrap() = Some(ready);
        (clients.join().unwrap(), stopped, ready)
    });

    let mut unanswered = Vec::new();
    let (mut successes, mut unavailable) = (0, 0);
    for outcome in &outcomes {
        match &outcome.answer {
            Err(error) => unanswered.push(format!("at {:?}: {error}", outcome.sent)),
            Ok(answer) if answer.status == 200 => {
                assert_eq!(answer.body, r#"{"id":1,"title":"steady","done":false}"#);
                successes += 1;
            }
            Ok(answer) => {
                assert_retryable(answer, &format!("GET /notes/1 at {:?}", outcome.sent));
                unavailable += 1;
            }
        }
        assert!(
            outcome.took < POOL_TIMEOUT + ANSWER_SLACK,
            "a request sent at {:?} took {:?}: {:?}",
            outcome.sent,
            outcome.took,
            outcome
                .answer
                .as_ref()
                .map(|answer| (answer.status, answer.body.clone()))
        );
    }
    assert!(
        unanswered.is_empty(),
        "requests without an answer:\n{}\nserial:\n{}",
        unanswered.join("\n"),
        guest.serial()
    );
    let answered_after = |since: Duration| {
        outcomes
            .iter()
            .filter(|outcome| outcome.sent >= since)
            .filter(|outcome| matches!(&outcome.answer, Ok(answer) if answer.status == 200))
            .map(|outcome| outcome.sent + outcome.took)
            .min()
    };
    assert!(
        answered_after(Duration::ZERO).is_some_and(|first| first < stopped),
        "no success before the restart"
    );
    assert!(unavailable > 0, "no 503 while the server was down");
    let first_after = answered_after(ready).unwrap_or_else(|| {
        panic!(
            "no success after the server was back ({successes} before):\n{}",
            guest.serial()
        )
    });
    let recovery = first_after - ready;
    let late = outcomes
        .iter()
        .filter(|outcome| outcome.sent >= first_after)
        .filter(|outcome| matches!(&outcome.answer, Ok(answer) if answer.status == 200))
        .count();
    assert!(late > 0, "successes did not continue after recovery");
    eprintln!(
        "restart under load: {} requests from {CLIENTS} clients, {successes} answered 200 and {unavailable} 503; \
         the server stopped at {:.1} s and was ready at {:.1} s; the first 200 after it came {} ms later, \
         then {late} more 200s; slowest answer {} ms",
        outcomes.len(),
        stopped.as_secs_f64(),
        ready.as_secs_f64(),
        recovery.as_millis(),
        outcomes
            .iter()
            .map(|outcome| outcome.took)
            .max()
            .unwrap_or_default()
            .as_millis()
    );
    assert_alive(&mut guest);
}
