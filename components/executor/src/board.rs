//! The executor component's contract with the board.

/// `[config.*]` of component.toml: the generated board fills every field from the
/// manifest's defaults (the only place they are written).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Configuration {
    /// Tasks that can be spawned at most.
    pub max_tasks: usize,
}
