//! The typed commands in both protocols, binary-safe arguments, error replies, push messages,
//! limits.
use sauce_connect::host::block_on;
use sauce_redis::{
    Configuration, Error, ErrorKind, Expiry, Limits, SetCondition, SetOptions, Ttl, Value,
};

use super::{case, client_with};
use crate::support::harness::Case;
use crate::Context;

pub fn cases() -> Vec<Case<Context>> {
    vec![
        case("commands_strings_and_keys_resp3", |context| {
            strings(context, "3")
        }),
        case("commands_strings_and_keys_resp2", |context| {
            strings(context, "2")
        }),
        case("commands_hashes_lists_sets_resp3", |context| {
            collections(context, "3")
        }),
        case("commands_hashes_lists_sets_resp2", |context| {
            collections(context, "2")
        }),
        case("commands_are_binary_safe", binary_safe),
        case("commands_error_reply_keeps_the_client_usable", error_reply),
        case("commands_push_messages_are_skipped", push_messages),
        case(
            "limits_a_reply_over_the_limit_breaks_the_connection",
            reply_limit,
        ),
    ]
}

/// The test server's ACL user with protocol `protocol`.
fn configuration(context: &Context, protocol: &str) -> Configuration {
    let url = context.server.url(
        Some(crate::support::server::ACL_USER),
        crate::support::server::ACL_PASSWORD,
        &format!("?protocol={protocol}"),
    );
    Configuration::parse(&url).unwrap()
}

fn strings(context: &Context, protocol: &str) {
    let mut client = client_with(&configuration(context, protocol));
    let key = format!("strings:{protocol}");
    let key = key.as_bytes();
    block_on(async {
        client.del(&[key]).await.unwrap();
        assert_eq!(client.get(key).await.unwrap(), None);
        client.set(key, b"one").await.unwrap();
        assert_eq!(client.get(key).await.unwrap().as_deref(), Some(&b"one"[..]));
        let absent = SetOptions {
            condition: Some(SetCondition::IfAbsent),
            ..SetOptions::default()
        };
        assert!(!client.set_with(key, b"two", absent).await.unwrap());
        let present = SetOptions {
            condition: Some(SetCondition::IfPresent),
            expiry: Some(Expiry::Seconds(100)),
        };
        assert!(client.set_with(key, b"three", present).await.unwrap());
        assert!(matches!(
            client.ttl(key).await.unwrap(),
            Ttl::Seconds(99 | 100)
        ));
        let keep = SetOptions {
            expiry: Some(Expiry::KeepTtl),
            ..SetOptions::default()
        };
        assert!(client.set_with(key, b"four", keep).await.unwrap());
        assert!(matches!(
            client.ttl(key).await.unwrap(),
            Ttl::Seconds(99 | 100)
        ));
        let short = SetOptions {
            expiry: Some(Expiry::Milliseconds(150)),
            ..SetOptions::default()
        };
        assert!(client.set_with(key, b"five", short).await.unwrap());
        std::thread::sleep(std::time::Duration::from_millis(250));
        assert_eq!(client.get(key).await.unwrap(), None);
        assert_eq!(client.ttl(key).await.unwrap(), Ttl::Missing);

        assert_eq!(client.incr(key).await.unwrap(), 1);
        assert_eq!(client.incr_by(key, 41).await.unwrap(), 42);
        assert_eq!(client.incr_by(key, -50).await.unwrap(), -8);
        assert_eq!(client.ttl(key).await.unwrap(), Ttl::Persistent);
        assert!(client.expire(key, 30).await.unwrap());
        assert!(!client.expire(b"never:there", 30).await.unwrap());
        assert_eq!(client.exists(&[key, key, b"never:there"]).await.unwrap(), 2);
        assert_eq!(client.del(&[key, b"never:there"]).await.unwrap(), 1);
        assert_eq!(client.exists(&[key]).await.unwrap(), 0);
    });
}

fn collections(context: &Context, protocol: &str) {
    let mut client = client_with(&configuration(context, protocol));
    let (hash, list, set) = (
        format!("hash:{protocol}"),
        format!("list:{protocol}"),
        format!("set:{protocol}"),
    );
    let (hash, list, set) = (hash.as_bytes(), list.as_bytes(), set.as_bytes());
    block_on(async {
        client.del(&[hash, list, set]).await.unwrap();
        assert_eq!(
            client
                .hset(hash, &[(b"a", b"1"), (b"b", b"2")])
                .await
                .unwrap(),
            2
        );
        assert_eq!(client.hset(hash, &[(b"a", b"10")]).await.unwrap(), 0);
        assert_eq!(
            client.hget(hash, b"a").await.unwrap().as_deref(),
            Some(&b"10"[..])
        );
        assert_eq!(client.hget(hash, b"z").await.unwrap(), None);
        let mut all = client.hgetall(hash).await.unwrap();
        all.sort();
        assert_eq!(
            all,
            [
                (b"a".to_vec(), b"10".to_vec()),
                (b"b".to_vec(), b"2".to_vec())
            ]
        );
        assert_eq!(client.hdel(hash, &[b"a", b"z"]).await.unwrap(), 1);
        assert!(client.hgetall(b"no:hash").await.unwrap().is_empty());

        assert_eq!(client.rpush(list, &[b"b", b"c"]).await.unwrap(), 2);
        assert_eq!(client.lpush(list, &[b"a"]).await.unwrap(), 3);
        assert_eq!(
            client.lrange(list, 0, -1).await.unwrap(),
            [b"a".to_vec(), b"b".to_vec(), b"c".to_vec()]
        );
        assert_eq!(client.lrange(list, -1, -1).await.unwrap(), [b"c".to_vec()]);
        assert_eq!(client.lpop(list).await.unwrap().as_deref(), Some(&b"a"[..]));
        assert_eq!(client.lpop(b"no:list").await.unwrap(), None);

        assert_eq!(client.sadd(set, &[b"x", b"y", b"x"]).await.unwrap(), 2);
        assert!(client.sismember(set, b"x").await.unwrap());
        assert!(!client.sismember(set, b"z").await.unwrap());
        let mut members = client.smembers(set).await.unwrap();
        members.sort();
        assert_eq!(members, [b"x".to_vec(), b"y".to_vec()]);
        assert_eq!(client.srem(set, &[b"x", b"z"]).await.unwrap(), 1);
        assert_eq!(
            client.smembers(b"no:set").await.unwrap(),
            Vec::<Vec<u8>>::new()
        );
    });
}

fn binary_safe(context: &Context) {
    let mut client = client_with(&crate::support::configuration(&context.server));
    let key: &[u8] = b"bin:\r\n*1\r\n$4\r\nQUIT\r\n\0key";
    let value: Vec<u8> = (0..=255).collect();
    block_on(async {
        client.set(key, &value).await.unwrap();
        assert_eq!(client.get(key).await.unwrap(), Some(value.clone()));
        let Value::Integer(length) = client.command(&[b"STRLEN", key]).await.unwrap() else {
            panic!("an integer")
        };
        assert_eq!(length, 256);
        assert_eq!(client.del(&[key]).await.unwrap(), 1);
    });
}

fn error_reply(context: &Context) {
    let mut client = client_with(&crate::support::configuration(&context.server));
    block_on(async {
        client.set(b"error:string", b"text").await.unwrap();
        let error = client.lpush(b"error:string", &[b"x"]).await.unwrap_err();
        assert_eq!(error.server_error().unwrap().code(), "WRONGTYPE");
        assert_eq!(error.kind(), ErrorKind::Server);
        let error = client.incr(b"error:string").await.unwrap_err();
        assert!(
            error
                .server_error()
                .unwrap()
                .message
                .contains("not an integer"),
            "{error}"
        );
        let error = client.command(&[b"NOSUCHCOMMAND"]).await.unwrap_err();
        assert_eq!(error.server_error().unwrap().code(), "ERR");
        assert!(!client.is_broken());
        assert_eq!(
            client.get(b"error:string").await.unwrap().as_deref(),
            Some(&b"text"[..])
        );
    });
}

fn push_messages(context: &Context) {
    let mut tracking = client_with(&crate::support::configuration(&context.server));
    let mut writer = client_with(&crate::support::configuration(&context.server));
    block_on(async {
        tracking.set(b"tracked", b"1").await.unwrap();
        tracking
            .command(&[b"CLIENT", b"TRACKING", b"ON"])
            .await
            .unwrap();
        assert_eq!(
            tracking.get(b"tracked").await.unwrap().as_deref(),
            Some(&b"1"[..])
        );
        // Changing the key makes the server push an invalidation to the tracking client.
        writer.set(b"tracked", b"2").await.unwrap();
        std::thread::sleep(std::time::Duration::from_millis(50));
        // The push arrives before this reply; it is skipped, not taken for the reply.
        assert_eq!(tracking.incr(b"tracked").await.unwrap(), 3);
        assert_eq!(
            tracking.get(b"tracked").await.unwrap().as_deref(),
            Some(&b"3"[..])
        );
    });
}

fn reply_limit(context: &Context) {
    let mut configuration = crate::support::configuration(&context.server);
    configuration.limits = Limits {
        max_reply_bytes: 10_000,
        ..Limits::DEFAULT
    };
    let mut client = client_with(&configuration);
    block_on(async {
        client.set(b"large", &vec![b'x'; 5_000]).await.unwrap();
        assert_eq!(
            client.get(b"large").await.unwrap().map(|value| value.len()),
            Some(5_000)
        );
        client.set(b"large", &vec![b'x'; 50_000]).await.unwrap();
        let error = client.get(b"large").await.unwrap_err();
        assert!(matches!(error, Error::Protocol(_)), "{error}");
        assert!(client.is_broken());
        assert!(matches!(client.get(b"large").await, Err(Error::Broken)));
    });
}
