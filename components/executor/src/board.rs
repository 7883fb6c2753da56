//! The executor component's contract with the board.

/// `[config.*]` of component.toml: the generated board fills every field from the
/// manifest's defaults (the only place they are written).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Configuration {
    /// Tasks that can be spawned at most.
    pub max_tasks: usize,
}

impl Configuration {
    /// component.toml's defaults.
    pub const DEFAULT: Configuration = Configuration { max_tasks: 16 };
}

/// The executor of the image, with room for `configuration.max_tasks` tasks; provides
/// `executor`.
pub fn init(configuration: Configuration) -> crate::Executor {
    crate::Executor::new(configuration.max_tasks)
}
