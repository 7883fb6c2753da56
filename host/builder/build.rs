//! Bundles the sources every image compiles from (the kernel, the components, the toolchain
//! pin, the cargo settings and the lock file) into `sauce`, so an installed `sauce` builds
//! images with no clone present (record 0015). The bundle is a plain list of files:
//! `<path>\n<length>\n<bytes>` each; `src/sources.rs` unpacks it into the cache.
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Folders of the source tree an image compiles.
const FOLDERS: [&str; 2] = ["kernel", "components"];
/// Single files of the source tree that shape every build.
const FILES: [&str; 3] = ["rust-toolchain.toml", ".cargo/config.toml", "Cargo.lock"];

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap());
    let root = manifest.join("../..");
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for folder in FOLDERS {
        println!("cargo:rerun-if-changed={}", root.join(folder).display());
        collect(&root, Path::new(folder), &mut files);
    }
    for file in FILES {
        println!("cargo:rerun-if-changed={}", root.join(file).display());
        if let Ok(contents) = fs::read(root.join(file)) {
            files.push((file.to_owned(), contents));
        }
    }
    println!(
        "cargo:rerun-if-changed={}",
        root.join("Cargo.toml").display()
    );
    let workspace = fs::read_to_string(root.join("Cargo.toml")).unwrap();
    files.push((
        "Cargo.toml".to_owned(),
        image_workspace(&workspace).into_bytes(),
    ));
    files.sort();
    let mut bundle = Vec::new();
    for (path, contents) in &files {
        write!(bundle, "{path}\n{}\n", contents.len()).unwrap();
        bundle.extend_from_slice(contents);
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap());
    fs::write(out.join("sources.bundle"), &bundle).unwrap();
    // FNV-1a: names the unpacked folder, so a changed bundle never reuses an old one.
    let digest = bundle.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    });
    println!("cargo:rustc-env=SAUCE_SOURCES_DIGEST={digest:016x}");
}

/// Every file below `root/relative`, but build output, fuzzing, examples and hidden folders.
fn collect(root: &Path, relative: &Path, files: &mut Vec<(String, Vec<u8>)>) {
    let Ok(entries) = fs::read_dir(root.join(relative)) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        // Build output, fuzzing corpora and example projects are not what images compile.
        if name.starts_with('.') || matches!(name.as_str(), "target" | "fuzz" | "examples") {
            continue;
        }
        let path = relative.join(&name);
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            collect(root, &path, files);
        } else if kind.is_file() {
            files.push((
                path.to_string_lossy().into_owned(),
                fs::read(entry.path()).unwrap(),
            ));
        }
    }
}

/// The workspace manifest with only the crates the bundle holds as members: the component
/// crates inherit their version, edition and lints from it.
fn image_workspace(workspace: &str) -> String {
    let start = workspace
        .find("members = [")
        .expect("members in Cargo.toml");
    let end = start + workspace[start..].find(']').unwrap() + 1;
    let exclude_start = workspace.find("exclude = [").unwrap_or(end);
    let exclude_end = workspace[exclude_start..]
        .find('\n')
        .map_or(workspace.len(), |line| exclude_start + line + 1);
    let members =
        "members = [\"kernel/core\", \"kernel/arch-x86_64\", \"kernel/runtime\", \"components/*\"]";
    let mut text = String::new();
    text.push_str(
        "# The SauceOS sources bundled into `sauce` (record 0015): kernel and components only.\n",
    );
    text.push_str(&workspace[..start]);
    text.push_str(members);
    if exclude_start > end {
        text.push_str(&workspace[end..exclude_start]);
        text.push_str(&workspace[exclude_end..]);
    } else {
        text.push_str(&workspace[end..]);
    }
    text
}
