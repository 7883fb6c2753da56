//! Pool tests with an in-memory connector and a manual clock.
