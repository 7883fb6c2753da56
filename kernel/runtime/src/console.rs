//! Console sinks: where log output goes besides COM1.
//!
//! COM1 is the kernel's console from the first line of boot to the last, like Linux's
//! `earlycon` that is never switched off: boot messages, the `ready` line, panics and fault
//! reports always reach it (the emergency path writes it without any lock). Everything else a
//! console can do is a component: `vga-console` mirrors lines to the VGA text screen by adding
//! a [`ConsoleSink`] here, `serial-console` routes COM1's receive interrupt. The board adds
//! its sinks before `Platform::ready`, so the banner lists them.
use core::fmt;

/// A place console output is mirrored to.
pub trait ConsoleSink: Sync {
    /// Shown in the boot banner: `VGA console`.
    fn name(&self) -> &'static str;

    /// Writes `bytes` (lines end in `\r\n`). Called with interrupts disabled while the console
    /// lock is held, so it must neither log nor wait for an interrupt.
    fn write_bytes(&self, bytes: &[u8]);
}

/// Sinks an image can have at once.
pub const SINK_CAPACITY: usize = 4;

/// [`add_sink`] found no room: [`SINK_CAPACITY`] sinks are already attached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SinksFull;

impl fmt::Display for SinksFull {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "console: room for {SINK_CAPACITY} sinks only")
    }
}

/// The attached sinks, in the order they were added. (On the host only its tests use it.)
#[derive(Clone, Copy)]
#[cfg_attr(not(target_os = "none"), allow(dead_code))]
pub(crate) struct Sinks {
    entries: [Option<&'static dyn ConsoleSink>; SINK_CAPACITY],
}

#[cfg_attr(not(target_os = "none"), allow(dead_code))]
impl Sinks {
    pub(crate) const fn new() -> Sinks {
        Sinks {
            entries: [None; SINK_CAPACITY],
        }
    }

    /// Adds `sink`; adding one already attached does nothing.
    pub(crate) fn add(&mut self, sink: &'static dyn ConsoleSink) -> Result<(), SinksFull> {
        if self
            .iter()
            .any(|attached| core::ptr::addr_eq(attached, sink))
        {
            return Ok(());
        }
        let free = self
            .entries
            .iter_mut()
            .find(|entry| entry.is_none())
            .ok_or(SinksFull)?;
        *free = Some(sink);
        Ok(())
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &'static dyn ConsoleSink> + '_ {
        self.entries.iter().flatten().copied()
    }

    /// Writes `bytes` to every sink.
    pub(crate) fn write_bytes(&self, bytes: &[u8]) {
        for sink in self.iter() {
            sink.write_bytes(bytes);
        }
    }

    /// The sinks' names, for the banner (`, VGA console` each).
    pub(crate) fn names(&self) -> SinkNames {
        let mut names = [None; SINK_CAPACITY];
        for (name, sink) in names.iter_mut().zip(self.iter()) {
            *name = Some(sink.name());
        }
        SinkNames(names)
    }
}

/// The names of the attached sinks, shown as `, NAME` each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SinkNames([Option<&'static str>; SINK_CAPACITY]);

impl fmt::Display for SinkNames {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0
            .iter()
            .flatten()
            .try_for_each(|name| write!(formatter, ", {name}"))
    }
}

/// Mirrors console output to `sink` from now on. Boards call this before
/// `Platform::ready`; a sink added twice is attached once.
#[cfg(target_os = "none")]
pub fn add_sink(sink: &'static dyn ConsoleSink) -> Result<(), SinksFull> {
    crate::log::add_sink(sink)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::{String, ToString};
    use std::sync::Mutex;

    struct Recorder(&'static str, Mutex<String>);

    impl ConsoleSink for Recorder {
        fn name(&self) -> &'static str {
            self.0
        }

        fn write_bytes(&self, bytes: &[u8]) {
            self.1
                .lock()
                .unwrap()
                .push_str(std::str::from_utf8(bytes).unwrap());
        }
    }

    fn recorder(name: &'static str) -> &'static Recorder {
        std::boxed::Box::leak(std::boxed::Box::new(Recorder(
            name,
            Mutex::new(String::new()),
        )))
    }

    #[test]
    fn every_sink_gets_the_bytes_once_and_names_follow_the_order() {
        let (first, second) = (recorder("first"), recorder("second"));
        let mut sinks = Sinks::new();
        sinks.add(first).unwrap();
        sinks.add(second).unwrap();
        sinks.add(first).unwrap();
        sinks.write_bytes(b"line\r\n");
        assert_eq!(*first.1.lock().unwrap(), "line\r\n");
        assert_eq!(*second.1.lock().unwrap(), "line\r\n");
        assert_eq!(sinks.names().to_string(), ", first, second");
        assert_eq!(Sinks::new().names().to_string(), "");
    }

    #[test]
    fn a_full_list_refuses_more() {
        let mut sinks = Sinks::new();
        for _ in 0..SINK_CAPACITY {
            sinks.add(recorder("sink")).unwrap();
        }
        assert_eq!(sinks.add(recorder("one too many")), Err(SinksFull));
        assert_eq!(SinksFull.to_string(), "console: room for 4 sinks only");
    }
}
