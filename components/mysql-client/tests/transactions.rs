//! Transactions across two tables against a real MariaDB: commit, rollback, a failure half-way,
//! and transactions dropped without either (on a connection and in a pool).
mod support;

use sauce_connect::host::{block_on, StdClock, StdConnector, StdStream};
use sauce_mysql::{params, Connection, ErrorKind, Options, Pool, PoolOptions};

fn options(server: &support::mariadb::Server) -> Options {
    Options::from_url(&server.url("native", "native-secret")).unwrap()
}

/// Creates per-test `orders` and `order_lines` tables (InnoDB, lines refer to orders).
async fn create_tables(connection: &mut Connection<StdStream>, suffix: &'static str) {
    let statements: [String; 4] = [
        format!("DROP TABLE IF EXISTS lines_{suffix}"),
        format!("DROP TABLE IF EXISTS orders_{suffix}"),
        format!("CREATE TABLE orders_{suffix} (id INT PRIMARY KEY, customer VARCHAR(50) NOT NULL) ENGINE=InnoDB"),
        format!(
            "CREATE TABLE lines_{suffix} (order_id INT NOT NULL, line INT NOT NULL, item VARCHAR(50),
             PRIMARY KEY (order_id, line), FOREIGN KEY (order_id) REFERENCES orders_{suffix}(id)) ENGINE=InnoDB"
        ),
    ];
    for statement in &statements {
        connection
            .query(sauce_mysql::Sql::trusted(statement))
            .await
            .unwrap();
    }
}

async fn count(connection: &mut Connection<StdStream>, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    let result = connection
        .query(sauce_mysql::Sql::trusted(&sql))
        .await
        .unwrap();
    result.rows()[0].get(0).unwrap()
}

#[test]
fn commit_and_rollback_span_both_tables() {
    let Some(server) = support::mariadb::shared() else {
        return;
    };
    let mut writer = support::connect(&options(&server)).unwrap();
    let mut observer = support::connect(&options(&server)).unwrap();
    block_on(async {
        create_tables(&mut writer, "a").await;
        let mut transaction = writer.begin().await.unwrap();
        transaction
            .execute("INSERT INTO orders_a VALUES (?, ?)", params![1, "ada"])
            .await
            .unwrap();
        transaction
            .execute("INSERT INTO lines_a VALUES (?, ?, ?)", params![1, 1, "tea"])
            .await
            .unwrap();
        transaction
            .execute(
                "INSERT INTO lines_a VALUES (?, ?, ?)",
                params![1, 2, "cake"],
            )
            .await
            .unwrap();
        assert_eq!(
            count(&mut observer, "lines_a").await,
            0,
            "not visible before commit"
        );
        transaction.commit().await.unwrap();
        assert!(!writer.in_transaction());
        assert_eq!(count(&mut observer, "orders_a").await, 1);
        assert_eq!(count(&mut observer, "lines_a").await, 2);

        let mut transaction = writer.begin().await.unwrap();
        transaction
            .execute("INSERT INTO orders_a VALUES (?, ?)", params![2, "bob"])
            .await
            .unwrap();
        transaction
            .execute(
                "INSERT INTO lines_a VALUES (?, ?, ?)",
                params![2, 1, "soup"],
            )
            .await
            .unwrap();
        transaction.rollback().await.unwrap();
        assert_eq!(count(&mut observer, "orders_a").await, 1);
        assert_eq!(count(&mut observer, "lines_a").await, 2);
    });
}

#[test]
fn a_failure_half_way_rolls_back_the_first_table_too() {
    let Some(server) = support::mariadb::shared() else {
        return;
    };
    let mut connection = support::connect(&options(&server)).unwrap();
    block_on(async {
        create_tables(&mut connection, "b").await;
        let mut transaction = connection.begin().await.unwrap();
        transaction
            .execute("INSERT INTO orders_b VALUES (?, ?)", params![1, "ada"])
            .await
            .unwrap();
        transaction
            .execute("INSERT INTO lines_b VALUES (?, ?, ?)", params![1, 1, "tea"])
            .await
            .unwrap();
        let duplicate = transaction
            .execute(
                "INSERT INTO lines_b VALUES (?, ?, ?)",
                params![1, 1, "tea again"],
            )
            .await
            .unwrap_err();
        assert_eq!(
            (duplicate.kind(), duplicate.code()),
            (ErrorKind::Conflict, Some(1062))
        );
        let orphan = transaction
            .execute(
                "INSERT INTO lines_b VALUES (?, ?, ?)",
                params![99, 1, "nobody's"],
            )
            .await
            .unwrap_err();
        assert_eq!(
            (orphan.kind(), orphan.code()),
            (ErrorKind::BadInput, Some(1452))
        );
        transaction.rollback().await.unwrap();
        assert_eq!(count(&mut connection, "orders_b").await, 0);
        assert_eq!(count(&mut connection, "lines_b").await, 0);
    });
}

#[test]
fn a_dropped_transaction_rolls_back_before_the_next_command() {
    let Some(server) = support::mariadb::shared() else {
        return;
    };
    let mut connection = support::connect(&options(&server)).unwrap();
    block_on(async {
        create_tables(&mut connection, "c").await;
        {
            let mut transaction = connection.begin().await.unwrap();
            transaction
                .execute("INSERT INTO orders_c VALUES (?, ?)", params![1, "ada"])
                .await
                .unwrap();
            // Dropped here: an early return or `?` in a handler.
        }
        assert!(connection.in_transaction(), "nothing sent yet");
        assert_eq!(
            count(&mut connection, "orders_c").await,
            0,
            "rolled back first"
        );
        assert!(!connection.in_transaction());
    });
}

#[test]
fn a_pool_closes_a_connection_returned_inside_a_transaction() {
    let Some(server) = support::mariadb::shared() else {
        return;
    };
    let pool = Pool::new(
        StdConnector::default(),
        StdClock::default(),
        support::TestRandom::default(),
        options(&server),
        PoolOptions {
            size: 2,
            ..PoolOptions::DEFAULT
        },
    );
    block_on(async {
        let mut connection = pool.get().await.unwrap();
        create_tables(connection.connection().unwrap(), "d").await;
        drop(connection);
        assert_eq!(pool.status().idle, 1);
        {
            let mut connection = pool.get().await.unwrap();
            let mut transaction = connection.begin().await.unwrap();
            transaction
                .execute("INSERT INTO orders_d VALUES (?, ?)", params![1, "ada"])
                .await
                .unwrap();
            transaction
                .execute("INSERT INTO lines_d VALUES (?, ?, ?)", params![1, 1, "tea"])
                .await
                .unwrap();
        }
        assert_eq!(pool.status().open, 0, "discarded, not reused");
        let orders = pool.query("SELECT COUNT(*) FROM orders_d").await.unwrap();
        assert_eq!(orders.rows()[0].get::<i64>(0).unwrap(), 0);

        let mut connection = pool.get().await.unwrap();
        let mut transaction = connection.begin().await.unwrap();
        transaction
            .execute("INSERT INTO orders_d VALUES (?, ?)", params![2, "bob"])
            .await
            .unwrap();
        transaction
            .execute(
                "INSERT INTO lines_d VALUES (?, ?, ?)",
                params![2, 1, "soup"],
            )
            .await
            .unwrap();
        transaction.commit().await.unwrap();
        drop(connection);
        assert_eq!(pool.status().idle, 1, "committed connections are reused");
        let lines = pool
            .execute("SELECT item FROM lines_d WHERE order_id = ?", params![2])
            .await
            .unwrap();
        assert_eq!(lines.rows()[0].get::<String>("item").unwrap(), "soup");
    });
}
