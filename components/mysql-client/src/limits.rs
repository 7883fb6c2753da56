//! Memory bounds on what a server can make the client hold.

/// Bounds on replies; a reply beyond one fails with [`ErrorKind::Limit`](crate::ErrorKind)
/// and the connection, whose protocol state is then unknown, is discarded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The largest packet payload accepted (a row, a column definition, …), fragments joined.
    pub max_packet: usize,
    /// The most memory one buffered result may hold: payload bytes plus the decoded values'
    /// inline size.
    pub max_result: usize,
    /// The most columns one result set may have.
    pub max_columns: usize,
}

impl Limits {
    /// 4 MiB packets, 16 MiB results, 4096 columns (MySQL's own column limit).
    pub const DEFAULT: Limits = Limits {
        max_packet: 4 * 1024 * 1024,
        max_result: 16 * 1024 * 1024,
        max_columns: 4096,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}
