//! Transactions: commit, rollback, a dropped transaction, a failed one.
use sauce_connect::host::block_on;
use sauce_postgres::{Error, TransactionStatus};

use super::{case, client};
use crate::support::harness::Case;
use crate::Context;

pub fn cases() -> Vec<Case<Context>> {
    vec![
        case("transaction_commit_keeps_the_rows", commit),
        case("transaction_rollback_discards_the_rows", rollback),
        case("transaction_dropped_uncommitted_is_rolled_back", dropped),
        case("transaction_with_a_failed_statement_cannot_commit", failed),
    ]
}

/// Rows in `table`.
async fn count(
    client: &mut sauce_postgres::Client<sauce_connect::host::StdStream>,
    table: &'static str,
) -> i64 {
    let statement = sauce_postgres::Statement::trusted(table);
    client
        .query_one(statement, &[])
        .await
        .unwrap()
        .get(0)
        .unwrap()
}

fn commit(context: &Context) {
    let mut client = client(context);
    block_on(async {
        client
            .batch_execute("DROP TABLE IF EXISTS committed; CREATE TABLE committed (n int4)")
            .await
            .unwrap();
        let mut transaction = client.begin().await.unwrap();
        transaction
            .execute("INSERT INTO committed VALUES ($1), ($2)", &[&1, &2])
            .await
            .unwrap();
        assert_eq!(
            transaction.transaction_status(),
            TransactionStatus::InTransaction
        );
        transaction.commit().await.unwrap();
        assert_eq!(client.transaction_status(), TransactionStatus::Idle);
        assert_eq!(
            count(&mut client, "SELECT count(*) FROM committed").await,
            2
        );
    });
}

fn rollback(context: &Context) {
    let mut client = client(context);
    block_on(async {
        client
            .batch_execute("DROP TABLE IF EXISTS rolled; CREATE TABLE rolled (n int4)")
            .await
            .unwrap();
        let mut transaction = client.begin().await.unwrap();
        transaction
            .execute("INSERT INTO rolled VALUES ($1)", &[&1])
            .await
            .unwrap();
        transaction.rollback().await.unwrap();
        assert_eq!(count(&mut client, "SELECT count(*) FROM rolled").await, 0);
    });
}

fn dropped(context: &Context) {
    let mut client = client(context);
    block_on(async {
        client
            .batch_execute("DROP TABLE IF EXISTS dropped; CREATE TABLE dropped (n int4)")
            .await
            .unwrap();
        {
            let mut transaction = client.begin().await.unwrap();
            transaction
                .execute("INSERT INTO dropped VALUES ($1)", &[&1])
                .await
                .unwrap();
            // An early return (`?`) would drop it here, uncommitted.
        }
        // The server still has the transaction open until the client's next operation.
        assert_eq!(
            client.transaction_status(),
            TransactionStatus::InTransaction
        );
        assert_eq!(count(&mut client, "SELECT count(*) FROM dropped").await, 0);
        assert_eq!(client.transaction_status(), TransactionStatus::Idle);
        // And the next transaction starts clean.
        let mut transaction = client.begin().await.unwrap();
        transaction
            .execute("INSERT INTO dropped VALUES ($1)", &[&2])
            .await
            .unwrap();
        transaction.commit().await.unwrap();
        assert_eq!(
            count(&mut client, "SELECT sum(n)::int8 FROM dropped").await,
            2
        );
    });
}

fn failed(context: &Context) {
    let mut client = client(context);
    block_on(async {
        client
            .batch_execute(
                "DROP TABLE IF EXISTS failing; CREATE TABLE failing (n int4 PRIMARY KEY)",
            )
            .await
            .unwrap();
        let mut transaction = client.begin().await.unwrap();
        transaction
            .execute("INSERT INTO failing VALUES ($1)", &[&1])
            .await
            .unwrap();
        let error = transaction
            .execute("INSERT INTO failing VALUES ($1)", &[&1])
            .await
            .unwrap_err();
        assert_eq!(error.kind(), sauce_postgres::ErrorKind::UniqueViolation);
        assert_eq!(transaction.transaction_status(), TransactionStatus::Failed);
        let refused = transaction
            .execute("INSERT INTO failing VALUES ($1)", &[&2])
            .await
            .unwrap_err();
        assert_eq!(refused.server_error().unwrap().code, "25P02");
        assert!(matches!(
            transaction.commit().await,
            Err(Error::TransactionAborted)
        ));
        assert_eq!(count(&mut client, "SELECT count(*) FROM failing").await, 0);
        assert!(!client.is_broken());
    });
}
