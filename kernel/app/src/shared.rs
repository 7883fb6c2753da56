//! `Shared<T>`: mutable app state without locks, borrowed only inside a closure.

use core::cell::RefCell;
use core::fmt;

/// A value the handlers share and change, for a single-threaded executor.
///
/// Handlers run on one core, one at a time between `.await`s, so state needs no lock; but a
/// `RefCell` borrow held across an `.await` would make the next handler that borrows it
/// panic. `Shared` gives access only inside a closure, which cannot `.await`: every borrow
/// ends before the handler can yield, so two handlers never see each other's borrow.
///
/// ```
/// use sauce_app::Shared;
///
/// struct App { visits: Shared<u64> }
///
/// let app = App { visits: Shared::new(0) };
/// let now = app.visits.with_mut(|visits| { *visits += 1; *visits });
/// assert_eq!(now, 1);
/// assert_eq!(app.visits.with(|visits| *visits), 1);
/// ```
///
/// The one way to misuse it is to reach the same `Shared` again from inside its own closure
/// (`a.with_mut(|_| a.with(…))`): that panics, as a `RefCell` does, with a message saying so.
pub struct Shared<T> {
    cell: RefCell<T>,
}

impl<T> Shared<T> {
    /// Wraps `value`.
    pub const fn new(value: T) -> Shared<T> {
        Shared {
            cell: RefCell::new(value),
        }
    }

    /// Runs `read` with a shared reference to the value.
    ///
    /// # Panics
    /// If called from inside this same value's [`Shared::with_mut`] closure.
    pub fn with<R>(&self, read: impl FnOnce(&T) -> R) -> R {
        match self.cell.try_borrow() {
            Ok(value) => read(&value),
            Err(_) => panic!("Shared::with called inside with_mut of the same value"),
        }
    }

    /// Runs `change` with a mutable reference to the value.
    ///
    /// # Panics
    /// If called from inside this same value's [`Shared::with`] or [`Shared::with_mut`] closure.
    pub fn with_mut<R>(&self, change: impl FnOnce(&mut T) -> R) -> R {
        match self.cell.try_borrow_mut() {
            Ok(mut value) => change(&mut value),
            Err(_) => panic!("Shared::with_mut called inside another access to the same value"),
        }
    }

    /// Replaces the value, returning the old one.
    pub fn replace(&self, value: T) -> T {
        self.with_mut(|current| core::mem::replace(current, value))
    }

    /// The value, consuming the wrapper.
    pub fn into_inner(self) -> T {
        self.cell.into_inner()
    }
}

impl<T: Clone> Shared<T> {
    /// A copy of the value.
    pub fn get(&self) -> T {
        self.with(T::clone)
    }
}

impl<T: Default> Default for Shared<T> {
    fn default() -> Shared<T> {
        Shared::new(T::default())
    }
}

impl<T: fmt::Debug> fmt::Debug for Shared<T> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.cell.try_borrow() {
            Ok(value) => formatter.debug_tuple("Shared").field(&*value).finish(),
            Err(_) => formatter.write_str("Shared(<borrowed>)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use alloc::vec::Vec;

    #[test]
    fn reads_and_changes_go_through_closures() {
        let shared = Shared::new(Vec::new());
        shared.with_mut(|items| items.push(1));
        shared.with_mut(|items| items.push(2));
        assert_eq!(shared.with(|items| items.len()), 2);
        assert_eq!(shared.get(), [1, 2]);
        assert_eq!(shared.replace(Vec::new()), [1, 2]);
        assert_eq!(format!("{shared:?}"), "Shared([])");
        assert!(shared.into_inner().is_empty());
    }

    #[test]
    #[should_panic(expected = "inside another access")]
    fn reentrant_access_panics_with_a_message() {
        let shared = Shared::new(0);
        shared.with(|_| shared.with_mut(|value| *value += 1));
    }

    #[test]
    fn nested_reads_are_fine() {
        let shared = Shared::new(3);
        assert_eq!(shared.with(|outer| shared.with(|inner| outer + inner)), 6);
    }
}
