//! [`Sql`]: statement text that is a literal in the program, so values cannot be spliced in.
use core::fmt;

/// The text of a statement.
///
/// Made from a `&'static str` (a literal) with `From`, which every query method accepts, so
/// `connection.query("SELECT 1")` compiles while a `format!`-built string does not:
///
/// ```compile_fail,E0597
/// # async fn demo<S: sauce_connect::Read + sauce_connect::Write>(connection: &mut sauce_mysql::Connection<S>, name: &str) {
/// let sql = format!("SELECT * FROM users WHERE name = '{name}'");
/// connection.query(sql.as_str()).await; // error: `sql` does not live long enough ('static)
/// # }
/// ```
///
/// Values go in as parameters (`execute("… WHERE name = ?", params![name])`). Text assembled
/// at run time from trusted parts only (a table name from the program's own list, DDL) can be
/// wrapped with [`Sql::trusted`], which says so at the call site.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Sql<'a>(&'a str);

impl<'a> Sql<'a> {
    /// Statement text built at run time. Never pass text that contains values from users,
    /// the network or a database: bind those as parameters.
    pub const fn trusted(text: &'a str) -> Sql<'a> {
        Sql(text)
    }

    /// The text.
    pub const fn as_str(&self) -> &'a str {
        self.0
    }
}

impl From<&'static str> for Sql<'static> {
    fn from(text: &'static str) -> Self {
        Sql(text)
    }
}

impl fmt::Debug for Sql<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.0, formatter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_and_trusted_text_both_make_statements() {
        let literal: Sql<'static> = "SELECT 1".into();
        let built = alloc::format!("SELECT {}", 2);
        let trusted = Sql::trusted(&built);
        assert_eq!(literal.as_str(), "SELECT 1");
        assert_eq!(trusted.as_str(), "SELECT 2");
        assert_eq!(alloc::format!("{literal:?}"), "\"SELECT 1\"");
    }
}
