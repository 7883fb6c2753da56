//! Scripted scenarios (filled in below).
