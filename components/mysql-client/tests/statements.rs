//! Statements against a real MariaDB: hostile strings stored verbatim, server errors with
//! their fields and kinds, prepared-statement handles, `COM_INIT_DB`, stored procedures.
mod support;

use sauce_connect::host::block_on;
use sauce_mysql::{params, Cause, ErrorKind, Options, Sql, UsageError};

fn options(server: &support::mariadb::Server) -> Options {
    Options::from_url(&server.url("native", "native-secret")).unwrap()
}

const HOSTILE: [&str; 9] = [
    "'; DROP TABLE notes; --",
    "Robert'); DROP TABLE notes;--",
    "\\' OR 1=1 -- ",
    "\" OR \"\"=\"",
    "back\\slash\\",
    "nul\0byte",
    "100%_wild*",
    "🍣 ünïcode ' \" `",
    "*/ UNION SELECT password FROM mysql.user /*",
];

#[test]
fn hostile_strings_are_stored_and_matched_verbatim() {
    let Some(server) = support::mariadb::shared() else {
        return;
    };
    let mut connection = support::connect(&options(&server)).unwrap();
    block_on(async {
        connection
            .query("DROP TABLE IF EXISTS notes")
            .await
            .unwrap();
        connection
            .query("CREATE TABLE notes (id INT AUTO_INCREMENT PRIMARY KEY, body TEXT) DEFAULT CHARSET=utf8mb4")
            .await
            .unwrap();
        for body in HOSTILE {
            let inserted = connection
                .execute("INSERT INTO notes (body) VALUES (?)", params![body])
                .await
                .unwrap();
            assert_eq!(inserted.affected_rows(), 1);
            assert!(inserted.last_insert_id() > 0);
            let found = connection
                .execute("SELECT id, body FROM notes WHERE body = ?", params![body])
                .await
                .unwrap();
            assert_eq!(found.len(), 1, "{body:?}");
            assert_eq!(found.rows()[0].get::<String>("body").unwrap(), body);
        }
        let all = connection
            .query("SELECT body FROM notes ORDER BY id")
            .await
            .unwrap();
        let bodies: Vec<String> = all.rows().iter().map(|row| row.get(0).unwrap()).collect();
        assert_eq!(bodies, HOSTILE);
        let count = connection
            .query("SELECT COUNT(*) FROM notes")
            .await
            .unwrap();
        assert_eq!(count.rows()[0].get::<i64>(0).unwrap(), HOSTILE.len() as i64);
    });
}

#[test]
fn server_errors_carry_code_state_message_and_kind() {
    let Some(server) = support::mariadb::shared() else {
        return;
    };
    let mut connection = support::connect(&options(&server)).unwrap();
    block_on(async {
        connection
            .query("DROP TABLE IF EXISTS people")
            .await
            .unwrap();
        connection
            .query("CREATE TABLE people (email VARCHAR(20) PRIMARY KEY, age TINYINT NOT NULL)")
            .await
            .unwrap();
        let insert = "INSERT INTO people VALUES (?, ?)";
        connection
            .execute(insert, params!["a@example.org", 30])
            .await
            .unwrap();

        let duplicate = connection
            .execute(insert, params!["a@example.org", 31])
            .await
            .unwrap_err();
        assert_eq!(duplicate.kind(), ErrorKind::Conflict);
        assert_eq!(duplicate.code(), Some(1062));
        assert_eq!(duplicate.sql_state(), Some("23000"));
        assert!(
            duplicate
                .server()
                .unwrap()
                .message
                .contains("Duplicate entry"),
            "{duplicate}"
        );

        let too_long = connection
            .execute(insert, params!["an address far too long for the column", 1])
            .await
            .unwrap_err();
        assert_eq!(
            (too_long.kind(), too_long.code()),
            (ErrorKind::BadInput, Some(1406))
        );
        let null = connection
            .execute(insert, params!["b@example.org", None::<i32>])
            .await
            .unwrap_err();
        assert_eq!(
            (null.kind(), null.code()),
            (ErrorKind::BadInput, Some(1048))
        );
        let range = connection
            .execute(insert, params!["c@example.org", 300])
            .await
            .unwrap_err();
        assert_eq!(
            (range.kind(), range.code()),
            (ErrorKind::BadInput, Some(1264))
        );

        let syntax = connection.query("SELEKT 1").await.unwrap_err();
        assert_eq!(
            (syntax.kind(), syntax.code()),
            (ErrorKind::Server, Some(1064))
        );
        assert_eq!(syntax.sql_state(), Some("42000"));

        let count = connection
            .execute(insert, params!["only one"])
            .await
            .unwrap_err();
        assert_eq!(count.kind(), ErrorKind::Usage);
        assert_eq!(
            count.cause(),
            &Cause::Usage(UsageError::ParameterCount {
                expected: 2,
                given: 1
            })
        );
        // None of these broke the connection.
        assert!(connection.is_usable());
        connection.ping().await.unwrap();
        let rows = connection
            .query("SELECT COUNT(*) FROM people")
            .await
            .unwrap();
        assert_eq!(rows.rows()[0].get::<i64>(0).unwrap(), 1);
    });
}

#[test]
fn prepared_statement_handles_and_the_cache_reprepare_after_ddl() {
    let Some(server) = support::mariadb::shared() else {
        return;
    };
    let mut tight = options(&server);
    tight.statement_cache = 1;
    let mut connection = support::connect(&tight).unwrap();
    block_on(async {
        let statement = connection.prepare("SELECT ? + ?, 'x'").await.unwrap();
        assert_eq!((statement.parameters(), statement.columns()), (2, 2));
        for (left, right) in [(1, 2), (40, 2)] {
            let sum = connection
                .execute_statement(&statement, params![left, right])
                .await
                .unwrap();
            assert_eq!(sum.rows()[0].get::<i64>(0).unwrap(), left + right);
        }
        connection.close_statement(statement).await.unwrap();

        // A cache of one: alternating statements evict each other and still answer.
        for round in 0..3i64 {
            let a = connection
                .execute("SELECT ? AS a", params![round])
                .await
                .unwrap();
            let b = connection
                .execute("SELECT ? * 2 AS b", params![round])
                .await
                .unwrap();
            assert_eq!(a.rows()[0].get::<i64>("a").unwrap(), round);
            assert_eq!(b.rows()[0].get::<i64>("b").unwrap(), round * 2);
        }
        // One explicit close, then every eviction closed the statement pushed out (5).
        let closed = connection
            .query("SHOW SESSION STATUS LIKE 'Com_stmt_close'")
            .await
            .unwrap();
        assert_eq!(closed.rows()[0].get::<String>(1).unwrap(), "6");

        connection
            .query("DROP TABLE IF EXISTS shifting")
            .await
            .unwrap();
        connection
            .query("CREATE TABLE shifting (a INT)")
            .await
            .unwrap();
        connection
            .query("INSERT INTO shifting VALUES (1)")
            .await
            .unwrap();
        let before = connection
            .execute("SELECT * FROM shifting WHERE a = ?", params![1])
            .await
            .unwrap();
        assert_eq!(before.columns().len(), 1);
        connection
            .query("ALTER TABLE shifting ADD COLUMN b INT DEFAULT 7")
            .await
            .unwrap();
        let after = connection
            .execute("SELECT * FROM shifting WHERE a = ?", params![1])
            .await
            .unwrap();
        assert_eq!(after.rows()[0].values().len(), 2);
        assert_eq!(after.rows()[0].get::<i64>("b").unwrap(), 7);
    });
}

#[test]
fn init_db_procedures_and_trusted_text() {
    let Some(server) = support::mariadb::shared() else {
        return;
    };
    let mut connection = support::connect(&options(&server)).unwrap();
    block_on(async {
        connection.select_database("other").await.unwrap();
        let current = connection.query("SELECT DATABASE()").await.unwrap();
        assert_eq!(current.rows()[0].get::<String>(0).unwrap(), "other");
        let error = connection
            .select_database("missing`; DROP DATABASE sauce; --")
            .await
            .unwrap_err();
        assert!(matches!(error.code(), Some(1044 | 1049)), "{error}");
        connection.select_database("sauce").await.unwrap();

        connection
            .query("DROP PROCEDURE IF EXISTS two_results")
            .await
            .unwrap();
        connection
            .query("CREATE PROCEDURE two_results() BEGIN SELECT 1 AS first; SELECT 'two' AS second, 3 AS third; END")
            .await
            .unwrap();
        let results = connection.query_all("CALL two_results()").await.unwrap();
        assert_eq!(results.len(), 3, "two result sets and the CALL's own OK");
        assert_eq!(results[0].rows()[0].get::<i64>("first").unwrap(), 1);
        assert_eq!(results[1].rows()[0].get::<String>("second").unwrap(), "two");
        let first_only = connection.query("CALL two_results()").await.unwrap();
        assert_eq!(first_only.rows()[0].get::<i64>(0).unwrap(), 1);
        let prepared = connection.execute("CALL two_results()", &[]).await.unwrap();
        assert_eq!(prepared.rows()[0].get::<i64>(0).unwrap(), 1);

        let table = ["alpha", "beta"][1];
        let ddl = format!("CREATE TABLE IF NOT EXISTS trusted_{table} (id INT)");
        connection.query(Sql::trusted(&ddl)).await.unwrap();
        connection.query("DROP TABLE trusted_beta").await.unwrap();
        assert!(connection.is_usable());
        let stream = connection.close().await.unwrap();
        drop(stream);
    });
}
