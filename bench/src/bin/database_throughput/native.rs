//! The native baseline of `GET /notes/{id}`: a tokio process answering the route from the same
//! database through tokio-postgres, with as many connections as the guest's pool, each with the
//! statement prepared once (one round trip per request, as the guest's client makes).
//!
//! HTTP/1.1 is read by hand (a request head, keep-alive unless `Connection: close`, no bodies:
//! what wrk sends), so the
//! baseline spends its time on the database round trip and the JSON, as the guest does.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_postgres::{Client, NoTls, Statement};

/// The query the guest's `GET /notes/{id}` makes.
const SELECT: &str = "SELECT id, title, done FROM notes WHERE id = $1";

/// The connections, used in turn.
struct Pool {
    clients: Vec<(Client, Statement)>,
    next: AtomicUsize,
}

/// `--serve-notes ADDRESS DATABASE_URL CONNECTIONS`: serves until killed; prints `listening`
/// once bound and connected.
pub fn serve(arguments: &[String]) -> Result<(), String> {
    let [address, url, connections] = arguments else {
        return Err("--serve-notes takes ADDRESS DATABASE_URL CONNECTIONS".to_owned());
    };
    let connections: usize = connections
        .parse()
        .map_err(|_| format!("not a number of connections: {connections:?}"))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| error.to_string())?;
    runtime.block_on(async {
        let mut clients = Vec::new();
        for _ in 0..connections.max(1) {
            let (client, connection) = tokio_postgres::connect(url, NoTls)
                .await
                .map_err(|error| format!("cannot connect to the database: {error}"))?;
            tokio::spawn(connection);
            let statement = client
                .prepare(SELECT)
                .await
                .map_err(|error| error.to_string())?;
            clients.push((client, statement));
        }
        let pool = Arc::new(Pool {
            clients,
            next: AtomicUsize::new(0),
        });
        let listener = TcpListener::bind(address.as_str())
            .await
            .map_err(|error| format!("cannot listen on {address}: {error}"))?;
        println!("listening");
        loop {
            let (stream, _) = listener.accept().await.map_err(|error| error.to_string())?;
            let pool = pool.clone();
            tokio::spawn(async move {
                let _ = stream.set_nodelay(true);
                let _ = converse(stream, &pool).await;
            });
        }
    })
}

/// Answers the requests of one connection until the client closes it.
async fn converse(mut stream: TcpStream, pool: &Pool) -> std::io::Result<()> {
    let mut buffer = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        let Some(end) = buffer.windows(4).position(|window| window == b"\r\n\r\n") else {
            let read = stream.read(&mut chunk).await?;
            if read == 0 {
                return Ok(());
            }
            buffer.extend_from_slice(&chunk[..read]);
            if buffer.len() > 64 * 1024 {
                return Ok(());
            }
            continue;
        };
        let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
        buffer.drain(..end + 4);
        let path = head.split_whitespace().nth(1).unwrap_or_default();
        let (status, body) = answer(path, pool).await;
        let response = format!(
            "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(response.as_bytes()).await?;
        if head.to_ascii_lowercase().contains("\r\nconnection: close") {
            return stream.shutdown().await;
        }
    }
}

/// The status line's tail and the body for `GET path`.
async fn answer(path: &str, pool: &Pool) -> (&'static str, String) {
    let Some(id) = path
        .strip_prefix("/notes/")
        .and_then(|id| id.parse::<i64>().ok())
    else {
        return ("404 Not Found", r#"{"error":"no such note"}"#.to_owned());
    };
    let turn = pool.next.fetch_add(1, Ordering::Relaxed) % pool.clients.len();
    let (client, statement) = &pool.clients[turn];
    match client.query_opt(statement, &[&id]).await {
        Ok(Some(row)) => {
            let (id, title, done): (i64, String, bool) = (row.get(0), row.get(1), row.get(2));
            let title = serde_json::to_string(&title).unwrap_or_default();
            (
                "200 OK",
                format!(r#"{{"id":{id},"title":{title},"done":{done}}}"#),
            )
        }
        Ok(None) => ("404 Not Found", r#"{"error":"no such note"}"#.to_owned()),
        Err(_) => (
            "503 Service Unavailable",
            r#"{"error":"database unavailable"}"#.to_owned(),
        ),
    }
}
