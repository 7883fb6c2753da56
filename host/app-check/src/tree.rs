//! The app crate's modules as rustc would find them: `src/lib.rs`, then each `mod` declaration
//! followed to `name.rs`, `name/mod.rs`, a `#[path]` file or an inline block.

use std::path::{Path, PathBuf};

use sauce_intent::Diagnostic;
use syn::{Attribute, Item, ItemMod, Visibility};

use crate::attributes;
use crate::source::{Location, SourceFile};

/// At most this many files are read; a crate with more is checked up to them.
pub const MAXIMUM_FILES: usize = 512;
/// A file larger than this is not read (its module's names are then not checked).
pub const MAXIMUM_FILE_BYTES: u64 = 4 << 20;
/// At most this many bytes are read in all (the parser's source map counts in 32 bits).
pub const MAXIMUM_TOTAL_BYTES: usize = 64 << 20;
/// Modules nest at most this deep.
const MAXIMUM_DEPTH: usize = 32;

/// One module of the crate.
pub struct Module {
    /// Its name; empty for the crate root.
    pub name: String,
    /// Its parent; `None` for the crate root.
    pub parent: Option<usize>,
    /// Whether it is declared `pub mod` (the root counts as public).
    pub public: bool,
    /// Where it is declared (`mod todos;`), or the root file's first line.
    pub declared: Location,
    /// The file holding its items (index into [`Crate::files`]); `None` when that file could
    /// not be found or read, so its contents are unknown.
    pub file: Option<usize>,
    /// Its items.
    pub items: Vec<Item>,
    /// Its child modules (indexes into [`Crate::modules`]), test-only ones left out.
    pub children: Vec<usize>,
    /// Whether names in it can be missing from what was parsed: a macro invocation among its
    /// items may define more, or its file was not read.
    pub opaque: bool,
}

/// The crate as parsed.
pub struct Crate {
    /// Every file read, the crate root first.
    pub files: Vec<SourceFile>,
    /// Every module, the crate root first.
    pub modules: Vec<Module>,
    /// The crate root's inner attributes (`#![no_std]`, …).
    pub root_attributes: Vec<Attribute>,
    /// Files that do not parse: the syntax error, located in the file.
    pub syntax_errors: Vec<Diagnostic>,
}

/// Why the crate root could not be read at all.
#[derive(Debug)]
pub struct RootUnreadable {
    /// The crate root's path.
    pub path: PathBuf,
    /// The error.
    pub error: std::io::Error,
}

impl Crate {
    /// Reads the crate whose root is `root` (`src/lib.rs`) and every module it declares.
    pub fn load(root: &Path) -> Result<Crate, RootUnreadable> {
        let text = read(root).map_err(|error| RootUnreadable {
            path: root.to_path_buf(),
            error,
        })?;
        let mut loaded = Crate {
            files: vec![SourceFile::new(root.to_path_buf(), text)],
            modules: Vec::new(),
            root_attributes: Vec::new(),
            syntax_errors: Vec::new(),
        };
        let declared = Location {
            path: root.to_path_buf(),
            line: 1,
        };
        let items = match loaded.parse(0) {
            Some(file) => {
                loaded.root_attributes = file.attrs;
                Some(file.items)
            }
            None => None,
        };
        let directory = root.parent().unwrap_or(Path::new(".")).to_path_buf();
        let root_module = Declared {
            name: String::new(),
            parent: None,
            public: true,
            declared,
        };
        loaded.add_module(root_module, items.map(|items| (0, items)), &directory, 0);
        Ok(loaded)
    }

    /// Parses file `index`; a syntax error is recorded and gives `None`.
    fn parse(&mut self, index: usize) -> Option<syn::File> {
        let file = &self.files[index];
        match syn::parse_file(&file.text) {
            Ok(parsed) => Some(parsed),
            Err(error) => {
                let diagnostic = file
                    .diagnostic(error.span(), format!("this file does not parse: {error}"))
                    .with_hint("fix the syntax (`cargo check` shows it too); sauce reads handlers from the parsed file");
                self.syntax_errors.push(diagnostic);
                None
            }
        }
    }

    /// Adds a module whose items are `contents` (`(file, items)`, `None` when unknown) and,
    /// depth first, the modules it declares; `directory` is where its `mod name;` files live.
    fn add_module(
        &mut self,
        declared: Declared,
        contents: Option<(usize, Vec<Item>)>,
        directory: &Path,
        depth: usize,
    ) -> usize {
        let index = self.modules.len();
        let (file, items) = match contents {
            Some((file, items)) => (Some(file), items),
            None => (None, Vec::new()),
        };
        let opaque = file.is_none()
            || items
                .iter()
                .any(|item| matches!(item, Item::Macro(invocation) if invocation.ident.is_none()));
        self.modules.push(Module {
            name: declared.name,
            parent: declared.parent,
            public: declared.public,
            declared: declared.declared,
            file,
            items: Vec::new(),
            children: Vec::new(),
            opaque,
        });
        let mut children = Vec::new();
        if depth < MAXIMUM_DEPTH {
            for item in &items {
                let Item::Mod(declaration) = item else {
                    continue;
                };
                if attributes::is_test_only(&declaration.attrs) {
                    continue;
                }
                if let Some(file) = file {
                    children.push(self.add_child(index, file, declaration, directory, depth));
                }
            }
        }
        let module = &mut self.modules[index];
        module.items = items;
        module.children = children;
        index
    }

    /// Adds the module `declaration` declares inside module `parent` (declared in `file`).
    fn add_child(
        &mut self,
        parent: usize,
        file: usize,
        declaration: &ItemMod,
        directory: &Path,
        depth: usize,
    ) -> usize {
        let name = declaration.ident.to_string();
        let declared = Declared {
            name: name.clone(),
            parent: Some(parent),
            public: matches!(declaration.vis, Visibility::Public(_)),
            declared: Location::of_span(&self.files[file].path, declaration.ident.span()),
        };
        let path_attribute = attributes::path(&declaration.attrs);
        if let Some((_, items)) = &declaration.content {
            let inner = match &path_attribute {
                Some(path) => directory.join(path),
                None => directory.join(&name),
            };
            return self.add_module(declared, Some((file, items.clone())), &inner, depth + 1);
        }
        let file_directory = self.files[file]
            .path
            .parent()
            .unwrap_or(Path::new("."))
            .to_path_buf();
        let candidates = match &path_attribute {
            Some(path) => vec![file_directory.join(path)],
            None => vec![
                directory.join(format!("{name}.rs")),
                directory.join(&name).join("mod.rs"),
            ],
        };
        let found = candidates.into_iter().find(|candidate| candidate.is_file());
        let contents = found.as_ref().and_then(|path| self.read_module_file(path));
        // `name.rs` keeps its modules in `name/`; `name/mod.rs` and `#[path]` files beside them.
        let inner = match (&found, &path_attribute) {
            (Some(path), Some(_)) => path.parent().unwrap_or(directory).to_path_buf(),
            _ => directory.join(&name),
        };
        self.add_module(declared, contents, &inner, depth + 1)
    }

    /// Reads and parses a module's file, once; `None` when it cannot be read or parsed or the
    /// crate already has [`MAXIMUM_FILES`] files.
    fn read_module_file(&mut self, path: &Path) -> Option<(usize, Vec<Item>)> {
        let already = self.files.iter().any(|file| file.path == path);
        if already || self.files.len() >= MAXIMUM_FILES {
            return None;
        }
        let text = read(path).ok()?;
        let total: usize = self.files.iter().map(|file| file.text.len()).sum();
        if total + text.len() > MAXIMUM_TOTAL_BYTES {
            return None;
        }
        self.files.push(SourceFile::new(path.to_path_buf(), text));
        let index = self.files.len() - 1;
        self.parse(index).map(|parsed| (index, parsed.items))
    }

    /// The module's path from the crate root, `todos::admin` (empty for the root).
    pub fn module_path(&self, module: usize) -> String {
        let mut names = Vec::new();
        let mut current = Some(module);
        while let Some(index) = current {
            let module = &self.modules[index];
            if !module.name.is_empty() {
                names.push(module.name.as_str());
            }
            current = module.parent;
        }
        names.reverse();
        names.join("::")
    }

    /// The child of `module` named `name`.
    pub fn child(&self, module: usize, name: &str) -> Option<usize> {
        self.modules[module]
            .children
            .iter()
            .copied()
            .find(|child| self.modules[*child].name == name)
    }

    /// The path of the file holding `module`'s items, when it was read.
    pub fn file_path(&self, module: usize) -> Option<&Path> {
        let file = self.modules[module].file?;
        Some(&self.files[file].path)
    }
}

/// A module's declaration, before its items are known.
struct Declared {
    name: String,
    parent: Option<usize>,
    public: bool,
    declared: Location,
}

/// The text of `path`, refused above [`MAXIMUM_FILE_BYTES`].
fn read(path: &Path) -> std::io::Result<String> {
    let size = std::fs::metadata(path)?.len();
    if size > MAXIMUM_FILE_BYTES {
        return Err(std::io::Error::other(format!(
            "it is larger than {} MiB",
            MAXIMUM_FILE_BYTES >> 20
        )));
    }
    std::fs::read_to_string(path)
}
