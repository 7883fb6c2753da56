//! Adding a component is adding one folder (components/README.md): a throwaway component,
//! written into a temporary folder outside the source tree and found through
//! `SAUCE_COMPONENT_PATH`, is named by an intent (`[build] components`), configured from its
//! manifest, wired by its own snippet, built into an image, and booted: its line is on the
//! serial console and the image still serves HTTP.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{assert_exit, build_lock, repository, sauce, temporary_folder, text};

/// Writes the component `throwaway` into `<folder>/throwaway`.
fn write_component(folder: &Path) {
    let component = folder.join("throwaway");
    std::fs::create_dir_all(component.join("src")).unwrap();
    let runtime = repository().join("kernel/runtime");
    std::fs::write(
        component.join("Cargo.toml"),
        format!(
            "[package]\nname = \"sauce-throwaway\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nsauce-runtime = {{ path = {:?} }}\n",
            runtime.display().to_string()
        ),
    )
    .unwrap();
    std::fs::write(
        component.join("component.toml"),
        r#"name = "throwaway"
summary = "A component that exists for one test"
provides = []
stage = "app"
allocation = "none"
estimated_size = "0 KiB"

[config.greeting]
type = "string"
default = "a throwaway component was here"
doc = "what it says when the image is ready"

[config.times]
type = "integer"
default = 2
doc = "how many times it says it"
"#,
    )
    .unwrap();
    std::fs::write(
        component.join("board.rs.j2"),
        "{% if section == \"ready\" %}\n    sauce_throwaway::board::ready({{ constant }});\n{% endif %}\n",
    )
    .unwrap();
    std::fs::write(
        component.join("src/lib.rs"),
        r#"//! A throwaway component.
#![no_std]
#![forbid(unsafe_code)]

pub mod board {
    /// Its configuration.
    pub struct Configuration {
        pub greeting: &'static str,
        pub times: u32,
    }

    /// Says its greeting.
    pub fn ready(configuration: Configuration) {
        for time in 1..=configuration.times {
            sauce_runtime::info!("throwaway {time}: {}", configuration.greeting);
        }
    }
}
"#,
    )
    .unwrap();
}

#[test]
fn a_component_from_a_folder_outside_the_tree_is_built_in_and_booted() {
    let folder = temporary_folder("new-component");
    let components = folder.join("components");
    write_component(&components);
    let project = folder.join("project");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(
        project.join("sauce.toml"),
        "[app]\nname = \"with-throwaway\"\n\n[http]\n[[http.route]]\npath = \"/\"\nbody = \"still serving\\n\"\n\n[build]\ncomponents = [\"throwaway\"]\n",
    )
    .unwrap();
    // Without the folder on the path, the intent names a component nobody has.
    let unknown = sauce().arg("check").arg(&project).output().unwrap();
    assert_exit(&unknown, 1);
    let (_, stderr) = text(&unknown);
    assert!(
        stderr.contains("no component `throwaway`") && stderr.contains("sauce.toml:10:15"),
        "{stderr}"
    );
    let image = folder.join("with-throwaway.elf");
    {
        let _lock = build_lock();
        let output = sauce()
            .env("SAUCE_COMPONENT_PATH", &components)
            // The component's crate depends on the tree's kernel crates by path: the board
            // must come from the same tree (not from sources bundled into sauce).
            .env("SAUCE_HOME", repository())
            .arg("build")
            .arg(&project)
            .arg("-o")
            .arg(&image)
            .output()
            .unwrap();
        assert_exit(&output, 0);
    }
    let plan = sauce()
        .env("SAUCE_COMPONENT_PATH", &components)
        // The component's crate depends on the tree's kernel crates by path: the board
        // must come from the same tree (not from sources bundled into sauce).
        .env("SAUCE_HOME", repository())
        .arg("plan")
        .arg(&project)
        .output()
        .unwrap();
    let (plan_text, _) = text(&plan);
    assert!(plan_text.contains("throwaway"), "{plan_text}");
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = sauce()
        .arg("run")
        .arg(&image)
        .args(["--accel", "tcg", "--timeout", "120", "-p"])
        .arg(format!("{port}:80"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut said = 0;
    while said < 2 {
        let line = lines
            .next()
            .expect("the guest stopped before its greeting")
            .unwrap();
        if line.contains("throwaway") {
            assert!(line.contains("a throwaway component was here"), "{line}");
            said += 1;
        }
    }
    let started = Instant::now();
    let response = loop {
        let attempt = TcpStream::connect(("127.0.0.1", port)).and_then(|mut stream| {
            stream.set_read_timeout(Some(Duration::from_secs(10)))?;
            stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")?;
            let mut response = String::new();
            stream.read_to_string(&mut response)?;
            Ok(response)
        });
        match attempt {
            Ok(response) if !response.is_empty() => break response,
            _ if started.elapsed() > Duration::from_secs(60) => panic!("no answer"),
            _ => std::thread::sleep(Duration::from_millis(200)),
        }
    };
    common::stop_sauce_run(&mut child);
    let _ = child.wait();
    assert!(response.ends_with("still serving\n"), "{response}");
}
