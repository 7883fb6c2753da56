//! The panic handler: message and location on serial, then a failure exit.

#[panic_handler]
fn panic(information: &core::panic::PanicInfo<'_>) -> ! {
    sauce_arch_x86_64::cpu::disable_interrupts();
    let message = information.message();
    match information.location() {
        Some(location) => crate::platform::fail(format_args!(
            "PANIC at {}:{}:{}: {}",
            location.file(),
            location.line(),
            location.column(),
            message
        )),
        None => crate::platform::fail(format_args!("PANIC: {message}")),
    }
}
