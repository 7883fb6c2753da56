//! Every column type round-trips through a real server, written and read with both the text
//! and the binary protocol, and reads as the same typed values either way.
mod support;

use sauce_connect::host::block_on;
use sauce_mysql::{params, Date, DateTime, Options, Param, Time, Value};

const CREATE: &str = "CREATE TABLE every_type (
    id INT PRIMARY KEY,
    tiny TINYINT, tiny_unsigned TINYINT UNSIGNED, small SMALLINT, small_unsigned SMALLINT UNSIGNED,
    medium MEDIUMINT, medium_unsigned MEDIUMINT UNSIGNED, normal INT, normal_unsigned INT UNSIGNED,
    big BIGINT, big_unsigned BIGINT UNSIGNED, single FLOAT, twice DOUBLE, exact DECIMAL(20,6),
    short_text VARCHAR(100), long_text TEXT, bytes BLOB, short_bytes VARBINARY(50),
    moment DATETIME(6), stamp TIMESTAMP(6) NULL DEFAULT NULL, day DATE, duration TIME(6),
    document JSON, year_only YEAR, choice ENUM('a','b'), flags BIT(8), yes BOOL
) DEFAULT CHARSET=utf8mb4";

/// The same values as `INSERT_LITERAL`, as parameters.
fn parameters() -> Vec<Param<'static>> {
    let moment = DateTime::new(Date::new(2024, 2, 29).unwrap(), 23, 59, 59, 123_456).unwrap();
    let stamp = DateTime::new(Date::new(2024, 1, 2).unwrap(), 3, 4, 5, 6).unwrap();
    vec![
        Param::Int(-128),
        Param::UInt(255),
        Param::Int(-32768),
        Param::UInt(65535),
        Param::Int(-8_388_608),
        Param::UInt(16_777_215),
        Param::Int(i64::from(i32::MIN)),
        Param::UInt(u64::from(u32::MAX)),
        Param::Int(i64::MIN),
        Param::UInt(u64::MAX),
        Param::Float(1.5),
        Param::Double(-2.5e300),
        Param::Decimal("-12345678901234.123456"),
        Param::Text("héllo 🍣 'quoted' \\ back"),
        Param::Text("a longer text\nwith lines"),
        Param::Bytes(&[0, 1, 2, 0xfe, 0xff]),
        Param::Bytes(b"\x00'\\\xff"),
        Param::DateTime(moment),
        Param::DateTime(stamp),
        Param::Date(Date::new(9999, 12, 31).unwrap()),
        Param::Time(Time::new(true, 34, 22, 59, 59, 0).unwrap()),
        Param::Text(r#"{"a": [1, 2, "x"]}"#),
        Param::UInt(2024),
        Param::Text("b"),
        Param::Bytes(&[0xa5]),
        Param::from(true),
    ]
}

const INSERT_LITERAL: &str = "INSERT INTO every_type VALUES (2, -128, 255, -32768, 65535,
    -8388608, 16777215, -2147483648, 4294967295, -9223372036854775808, 18446744073709551615,
    1.5, -2.5e300, '-12345678901234.123456', 'héllo 🍣 \\'quoted\\' \\\\ back',
    'a longer text\nwith lines', x'000102feff', x'00275cff', '2024-02-29 23:59:59.123456',
    '2024-01-02 03:04:05.000006', '9999-12-31', '-838:59:59', '{\"a\": [1, 2, \"x\"]}', 2024,
    'b', b'10100101', TRUE)";

/// What every row written with those values reads as.
fn expected(id: i64) -> Vec<Value> {
    let mut values = vec![Value::Int(id)];
    values.extend(parameters().iter().map(|param| match *param {
        Param::Int(number) => Value::Int(number),
        Param::UInt(number) => Value::UInt(number),
        Param::Float(number) => Value::Float(number),
        Param::Double(number) => Value::Double(number),
        Param::Decimal(text) => Value::Decimal(text.into()),
        Param::Text(text) => Value::Text(text.into()),
        Param::Bytes(bytes) => Value::Bytes(bytes.to_vec()),
        Param::DateTime(moment) => Value::DateTime(moment),
        Param::Date(day) => Value::Date(day),
        Param::Time(time) => Value::Time(time),
        Param::Null => Value::Null,
    }));
    values
}

#[test]
fn every_type_round_trips_in_both_protocols() {
    let Some(server) = support::mariadb::shared() else {
        return;
    };
    let options = Options::from_url(&server.url("native", "native-secret")).unwrap();
    let mut connection = support::connect(&options).unwrap();
    block_on(async {
        connection
            .query("DROP TABLE IF EXISTS every_type")
            .await
            .unwrap();
        connection.query(CREATE).await.unwrap();
        let mut row = vec![Param::Int(1)];
        row.extend(parameters());
        let placeholders = "INSERT INTO every_type VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        let inserted = connection.execute(placeholders, &row).await.unwrap();
        assert_eq!(inserted.affected_rows(), 1);
        connection.query(INSERT_LITERAL).await.unwrap();
        connection
            .execute("INSERT INTO every_type (id) VALUES (?)", params![3])
            .await
            .unwrap();

        let text = connection
            .query("SELECT * FROM every_type ORDER BY id")
            .await
            .unwrap();
        let binary = connection
            .execute(
                "SELECT * FROM every_type WHERE id > ? ORDER BY id",
                params![0],
            )
            .await
            .unwrap();
        for (protocol, result) in [("text", &text), ("binary", &binary)] {
            assert_eq!(result.len(), 3, "{protocol}");
            assert_eq!(
                result.rows()[0].values(),
                expected(1),
                "{protocol}: parameters"
            );
            assert_eq!(
                result.rows()[1].values(),
                expected(2),
                "{protocol}: literals"
            );
            let nulls = result.rows()[2].values();
            assert_eq!(nulls[0], Value::Int(3));
            assert!(
                nulls[1..].iter().all(Value::is_null),
                "{protocol}: {nulls:?}"
            );
            let first = &result.rows()[0];
            assert_eq!(first.get::<i8>("tiny").unwrap(), -128);
            assert_eq!(first.get::<u64>("big_unsigned").unwrap(), u64::MAX);
            assert!(first.get::<bool>("yes").unwrap());
            assert_eq!(first.get::<f64>("single").unwrap(), 1.5);
            assert_eq!(
                first.get::<String>("exact").unwrap(),
                "-12345678901234.123456"
            );
            assert_eq!(first.get::<Vec<u8>>("flags").unwrap(), [0xa5]);
            assert_eq!(
                first
                    .get::<Option<DateTime>>("stamp")
                    .unwrap()
                    .unwrap()
                    .microsecond,
                6
            );
            assert_eq!(
                first.get::<Time>("duration").unwrap().to_string(),
                "-838:59:59"
            );
            assert!(
                first.get::<i8>("small").is_err(),
                "-32768 does not fit in i8"
            );
        }
        assert_eq!(text, binary);
    });
}

#[test]
fn zero_dates_and_fractions_read_alike_in_both_protocols() {
    let Some(server) = support::mariadb::shared() else {
        return;
    };
    let options = Options::from_url(&server.url("native", "native-secret")).unwrap();
    let mut connection = support::connect(&options).unwrap();
    block_on(async {
        let sql =
            "SELECT CAST('0000-00-00' AS DATE) AS d, CAST('0000-00-00 00:00:00' AS DATETIME) AS t,
            CAST('00:00:00' AS TIME) AS z, CAST('12:34:56.789' AS TIME(3)) AS f,
            CAST(-1.5 AS DECIMAL(5,2)) AS m, 1e-10 AS tiny_double";
        let text = connection.query(sql).await.unwrap();
        let binary = connection.execute(sql, &[]).await.unwrap();
        assert_eq!(text.rows()[0].values(), binary.rows()[0].values());
        let row = &text.rows()[0];
        assert_eq!(row.get::<Date>("d").unwrap(), Date::default());
        assert_eq!(row.get::<DateTime>("t").unwrap(), DateTime::default());
        assert_eq!(row.get::<Time>("z").unwrap(), Time::default());
        assert_eq!(row.get::<Time>("f").unwrap().microseconds, 789_000);
        assert_eq!(row.get::<String>("m").unwrap(), "-1.50");
        assert_eq!(row.get::<f64>("tiny_double").unwrap(), 1e-10);
    });
}

#[test]
fn values_larger_than_one_packet_cross_the_wire_both_ways() {
    let Some(server) = support::mariadb::shared() else {
        return;
    };
    let mut options = Options::from_url(&server.url("native", "native-secret")).unwrap();
    options.limits.max_packet = 40 << 20;
    options.limits.max_result = 64 << 20;
    let mut connection = support::connect(&options).unwrap();
    // 20 MiB: more than one 16 MiB − 1 fragment in the request and in the reply.
    let big: Vec<u8> = (0..20 << 20)
        .map(|index: u32| (index % 251) as u8)
        .collect();
    block_on(async {
        connection.query("DROP TABLE IF EXISTS big").await.unwrap();
        connection
            .query("CREATE TABLE big (id INT PRIMARY KEY, body LONGBLOB)")
            .await
            .unwrap();
        connection
            .execute("INSERT INTO big VALUES (1, ?)", params![&big])
            .await
            .unwrap();
        let binary = connection
            .execute("SELECT body FROM big WHERE id = ?", params![1])
            .await
            .unwrap();
        assert_eq!(binary.rows()[0].get::<Vec<u8>>(0).unwrap(), big);
        let text = connection.query("SELECT body FROM big").await.unwrap();
        assert_eq!(text.rows()[0].get::<Vec<u8>>(0).unwrap(), big);
        let length = connection
            .query("SELECT LENGTH(body) FROM big")
            .await
            .unwrap();
        assert_eq!(length.rows()[0].get::<i64>(0).unwrap(), 20 << 20);
    });
    // The default 4 MiB packet limit refuses the same row, and the connection is discarded.
    let mut limited =
        support::connect(&Options::from_url(&server.url("native", "native-secret")).unwrap())
            .unwrap();
    block_on(async {
        let error = limited.query("SELECT body FROM big").await.unwrap_err();
        assert_eq!(error.kind(), sauce_mysql::ErrorKind::Limit, "{error}");
        assert!(!limited.is_usable());
    });
}
