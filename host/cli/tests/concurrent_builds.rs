//! Builds are correct under concurrency: four projects that share one `[app] name`, built
//! eight at a time (each project twice at once), over ten rounds in which one project's body
//! changes; every image must hold its own project's current body and no other's, and a later
//! solo build must not be served another project's cached image.
mod common;

use std::path::{Path, PathBuf};

use common::{assert_exit, sauce, temporary_folder};

const PROJECTS: usize = 4;
const ROUNDS: usize = 10;

fn body(project: usize, version: usize) -> String {
    format!("project {project} version {version} of the same-named app\n")
}

fn write_project(folder: &Path, project: usize, version: usize) {
    let intent = format!(
        "[app]\nname = \"same-name\"\n\n[http]\nport = 80\n\n[[http.route]]\npath = \"/\"\nbody = {:?}\n",
        body(project, version)
    );
    std::fs::write(folder.join("sauce.toml"), intent).unwrap();
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

#[test]
fn eight_concurrent_builds_of_four_same_named_projects_are_each_right() {
    let root = temporary_folder("concurrent-builds");
    let folders: Vec<PathBuf> = (0..PROJECTS)
        .map(|project| {
            let folder = root.join(format!("project-{project}"));
            std::fs::create_dir_all(&folder).unwrap();
            write_project(&folder, project, 0);
            folder
        })
        .collect();
    let mut versions = [0; PROJECTS];
    for round in 0..ROUNDS {
        if round > 0 {
            let changed = round % PROJECTS;
            versions[changed] = round;
            write_project(&folders[changed], changed, round);
        }
        let builds: Vec<(usize, PathBuf, std::process::Child)> = (0..2 * PROJECTS)
            .map(|build| {
                let project = build % PROJECTS;
                let output = folders[project].join(format!("image-{build}.elf"));
                let child = sauce()
                    .args(["build", "--format", "json", "-o"])
                    .arg(&output)
                    .arg(&folders[project])
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap();
                (project, output, child)
            })
            .collect();
        for (project, output, child) in builds {
            let result = child.wait_with_output().unwrap();
            assert_exit(&result, 0);
            let image = std::fs::read(&output).unwrap();
            let expected = body(project, versions[project]);
            assert!(
                contains(&image, &expected),
                "round {round}: {} lacks {expected:?}",
                output.display()
            );
            for (other, version) in versions
                .iter()
                .enumerate()
                .filter(|(other, _)| *other != project)
            {
                assert!(
                    !contains(&image, &body(other, *version)),
                    "round {round}: {} holds project {other}'s body",
                    output.display()
                );
            }
        }
    }
    // A solo build of one project afterwards is its own, whichever was built last.
    let solo = folders[0].join("solo.elf");
    let output: std::process::Output = sauce()
        .args(["build", "-o"])
        .arg(&solo)
        .arg(&folders[0])
        .output()
        .unwrap();
    assert_exit(&output, 0);
    assert!(contains(
        &std::fs::read(&solo).unwrap(),
        &body(0, versions[0])
    ));
}
