//! Every component of a source tree: `components/*/component.toml`, checked for consistency.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::manifest::ComponentManifest;

/// Why the catalog could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// The `components` folder or a manifest could not be read.
    #[error("cannot read `{}`: {source}", .path.display())]
    Read {
        /// The file or folder.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A manifest is not valid.
    #[error("`{}` is not a valid component manifest: {message}", .path.display())]
    Invalid {
        /// The manifest.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// The components of one source tree, by name.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    components: BTreeMap<String, ComponentManifest>,
}

impl Catalog {
    /// Reads `<source_root>/components/*/component.toml`.
    pub fn load(source_root: &Path) -> Result<Catalog, CatalogError> {
        Catalog::load_with(source_root, &[])
    }

    /// Reads `<source_root>/components/*/component.toml`, then every `<folder>/*/component.toml`
    /// of `extra_folders` (out-of-tree components, `SAUCE_COMPONENT_PATH`); a name may appear
    /// once over all of them.
    pub fn load_with(
        source_root: &Path,
        extra_folders: &[PathBuf],
    ) -> Result<Catalog, CatalogError> {
        let mut manifests = Vec::new();
        Catalog::read_folder(&source_root.join("components"), &mut manifests)?;
        for folder in extra_folders {
            let first = manifests.len();
            Catalog::read_folder(folder, &mut manifests)?;
            for manifest in &mut manifests[first..] {
                manifest.out_of_tree = true;
            }
        }
        let folder = source_root.join("components");
        Catalog::from_manifests(manifests).map_err(|(name, message)| CatalogError::Invalid {
            path: folder.join(name).join("component.toml"),
            message,
        })
    }

    /// Reads every `<folder>/*/component.toml` (and snippet) into `manifests`.
    fn read_folder(
        folder: &Path,
        manifests: &mut Vec<ComponentManifest>,
    ) -> Result<(), CatalogError> {
        let read_error = |path: &Path| {
            let path = path.to_path_buf();
            move |source| CatalogError::Read { path, source }
        };
        for entry in std::fs::read_dir(folder).map_err(read_error(folder))? {
            let entry = entry.map_err(read_error(folder))?;
            let path = entry.path().join("component.toml");
            if !path.is_file() {
                continue;
            }
            let text = std::fs::read_to_string(&path).map_err(read_error(&path))?;
            let mut manifest =
                ComponentManifest::parse(&text).map_err(|error| CatalogError::Invalid {
                    path: path.clone(),
                    message: error.message().to_owned(),
                })?;
            manifest.folder = entry.path();
            let snippet = entry.path().join("board.rs.j2");
            if snippet.is_file() {
                manifest.snippet =
                    Some(std::fs::read_to_string(&snippet).map_err(read_error(&snippet))?);
            }
            if entry.file_name().to_str() != Some(manifest.name.as_str()) {
                return Err(CatalogError::Invalid {
                    message: format!(
                        "its name `{}` differs from its folder's name",
                        manifest.name
                    ),
                    path,
                });
            }
            manifests.push(manifest);
        }
        Ok(())
    }

    /// A catalog of `manifests`, or the name of the first inconsistent one and why.
    pub fn from_manifests(
        manifests: impl IntoIterator<Item = ComponentManifest>,
    ) -> Result<Catalog, (String, String)> {
        let mut components = BTreeMap::new();
        for manifest in manifests {
            let name = manifest.name.clone();
            if components.insert(name.clone(), manifest).is_some() {
                return Err((name, "two components have this name".to_owned()));
            }
        }
        let catalog = Catalog { components };
        catalog.check()?;
        Ok(catalog)
    }

    /// The component named `name`.
    pub fn get(&self, name: &str) -> Option<&ComponentManifest> {
        self.components.get(name)
    }

    /// Every component, by name.
    pub fn components(&self) -> impl Iterator<Item = &ComponentManifest> {
        self.components.values()
    }

    /// The components providing `contract`, by name.
    pub fn providers(&self, contract: &str) -> Vec<&ComponentManifest> {
        self.components
            .values()
            .filter(|component| {
                component
                    .provides
                    .iter()
                    .any(|provided| provided == contract)
            })
            .collect()
    }

    /// Names of components and contracts that must exist do exist.
    fn check(&self) -> Result<(), (String, String)> {
        for component in self.components.values() {
            let fail = |message: String| Err((component.name.clone(), message));
            for contract in component.requires.iter().chain(&component.within) {
                if self.providers(contract).is_empty() {
                    return fail(format!(
                        "it requires `{contract}`, which no component provides"
                    ));
                }
            }
            for other in &component.conflicts {
                if self.get(other).is_none() {
                    return fail(format!("it names `{other}`, which is not a component"));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_catalog::manifest;

    #[test]
    fn requiring_an_unprovided_contract_is_an_inconsistency() {
        let error = Catalog::from_manifests([manifest("a", &["x"], &["y"], "app")]).unwrap_err();
        assert_eq!(error.0, "a");
        assert!(error.1.contains("`y`"), "{}", error.1);
    }

    #[test]
    fn the_repository_catalog_loads_and_is_consistent() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let catalog = Catalog::load(&root).unwrap();
        assert!(catalog.get("http-server").is_some());
        assert!(catalog.providers("heap").len() >= 2);
        for component in catalog.components() {
            assert!(
                component.folder.join("Cargo.toml").is_file(),
                "{}",
                component.name
            );
        }
    }
}
