//! Puts this crate's folder on the linker search path so images link with `-Tsauce-kernel.ld`.
fn main() {
    let folder = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    println!("cargo:rustc-link-search=native={folder}");
    println!("cargo:rerun-if-changed=sauce-kernel.ld");
}
