//! The pools the board made, by database name: a static the app's handlers read.
use alloc::vec::Vec;

/// Named `&'static` values, registered once at boot and read by any task afterwards.
pub struct Registry<P: 'static> {
    entries: spin::Mutex<Vec<(&'static str, &'static P)>>,
}

/// A name was registered twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AlreadyRegistered(pub &'static str);

impl<P> Registry<P> {
    /// An empty registry.
    pub const fn new() -> Self {
        Self {
            entries: spin::Mutex::new(Vec::new()),
        }
    }

    /// Keeps `value` under `name`, unless that name is taken.
    pub fn register(&self, name: &'static str, value: &'static P) -> Result<(), AlreadyRegistered> {
        let mut entries = self.entries.lock();
        if entries.iter().any(|(known, _)| *known == name) {
            return Err(AlreadyRegistered(name));
        }
        entries.push((name, value));
        Ok(())
    }

    /// The value registered under `name`.
    pub fn get(&self, name: &str) -> Option<&'static P> {
        let entries = self.entries.lock();
        entries
            .iter()
            .find(|(known, _)| *known == name)
            .map(|(_, value)| *value)
    }
}

impl<P> Default for Registry<P> {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_find_their_values_once() {
        let registry: Registry<u32> = Registry::new();
        static MAIN: u32 = 1;
        static CACHE: u32 = 2;
        assert_eq!(registry.get("main"), None);
        registry.register("main", &MAIN).unwrap();
        registry.register("cache", &CACHE).unwrap();
        assert_eq!(registry.get("main"), Some(&1));
        assert_eq!(registry.get("cache"), Some(&2));
        assert_eq!(
            registry.register("main", &CACHE),
            Err(AlreadyRegistered("main"))
        );
        assert_eq!(registry.get("main"), Some(&1));
    }
}
