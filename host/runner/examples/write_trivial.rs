fn main() {
    use sauce_runner::trivial_image::TrivialImage::*;
    for (kind, name) in [(ExitSuccess, "success"), (ExitFailure, "failure"), (Hang, "hang"), (TripleFault, "triple"), (SuccessLineThenTripleFault, "line-triple")] {
        kind.write_to(std::path::Path::new(&format!("/tmp/trivial-{name}.elf"))).unwrap();
    }
}
