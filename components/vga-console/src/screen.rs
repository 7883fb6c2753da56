//! The VGA text screen as a console sink.

use sauce_arch_x86_64::vga::VgaText;
use sauce_runtime::console::{self, ConsoleSink};

/// The sink's name in the boot banner.
pub const NAME: &str = "VGA console";

/// The screen, once a VGA answered the probe.
struct Screen {
    text: spin::Mutex<Option<VgaText>>,
}

impl ConsoleSink for Screen {
    fn name(&self) -> &'static str {
        NAME
    }

    fn write_bytes(&self, bytes: &[u8]) {
        // Uncontended: the runtime calls sinks under its console lock, interrupts off.
        if let Some(text) = self.text.lock().as_mut() {
            text.write_bytes(bytes);
        }
    }
}

static SCREEN: Screen = Screen {
    text: spin::Mutex::new(None),
};

/// Probes for a VGA and, when one answers, clears the screen and mirrors every console line
/// to it from now on. Returns whether a VGA is attached. Calling it again probes again but
/// attaches the screen once.
pub fn attach() -> bool {
    let Some(text) = VgaText::detect() else {
        return false;
    };
    sauce_arch_x86_64::cpu::without_interrupts(|| *SCREEN.text.lock() = Some(text));
    match console::add_sink(&SCREEN) {
        Ok(()) => true,
        Err(full) => {
            sauce_runtime::warn!("vga-console: {full}");
            false
        }
    }
}
