//! Finding the function a sauce.toml path names (`todos::item`) in the parsed crate, through
//! public modules and `pub use` re-exports, as the image's crate will call it (`app::todos::item`).

use syn::{Item, ItemFn, UseTree, Visibility};

use crate::attributes;
use crate::tree::Crate;

/// Re-exports are followed at most this many times for one name.
const MAXIMUM_REEXPORTS: usize = 8;

/// What a path names.
pub enum Resolution<'a> {
    /// A function, in module `module`; `private_module` is the first module on the way that
    /// is not `pub`, if any.
    Function {
        /// The function.
        function: &'a ItemFn,
        /// The module it is in.
        module: usize,
        /// A module on the way that is not `pub` (the image's crate cannot reach through it).
        private_module: Option<usize>,
        /// The function was reached through a `use` that is not `pub`.
        private_use: bool,
    },
    /// Something that is not a function (`a struct`), in `module`, written at `span`.
    NotAFunction {
        /// What it is, with an article: `a struct`.
        kind: &'static str,
        /// The module it is in.
        module: usize,
        /// Where its name is written.
        span: proc_macro2::Span,
    },
    /// Nothing of that name: `segment` is missing from `module`.
    Missing {
        /// The module searched.
        module: usize,
        /// The missing name.
        segment: String,
        /// Whether `segment` was sought as a module (a segment before the last).
        as_module: bool,
    },
    /// The checker cannot tell: macros, another crate's re-export, an unread file.
    Unknown,
}

/// Resolves `path` (`todos::item`) from the crate root.
pub fn resolve<'a>(krate: &'a Crate, path: &str) -> Resolution<'a> {
    let segments: Vec<&str> = path.split("::").collect();
    resolve_in(krate, 0, &segments, None, 0)
}

fn resolve_in<'a>(
    krate: &'a Crate,
    start: usize,
    segments: &[&str],
    private_module: Option<usize>,
    reexports: usize,
) -> Resolution<'a> {
    let Some((last, modules)) = segments.split_last() else {
        return Resolution::Unknown;
    };
    let mut module = start;
    let mut private_module = private_module;
    for segment in modules {
        match krate.child(module, segment) {
            Some(child) => {
                if !krate.modules[child].public && private_module.is_none() {
                    private_module = Some(child);
                }
                module = child;
            }
            None if krate.modules[module].opaque || reexported(krate, module, segment) => {
                return Resolution::Unknown
            }
            None => {
                return Resolution::Missing {
                    module,
                    segment: (*segment).to_owned(),
                    as_module: true,
                }
            }
        }
    }
    find_item(krate, module, last, private_module, reexports)
}

/// The item `name` of `module`.
fn find_item<'a>(
    krate: &'a Crate,
    module: usize,
    name: &str,
    private_module: Option<usize>,
    reexports: usize,
) -> Resolution<'a> {
    let items = &krate.modules[module].items;
    for item in items {
        if let Item::Fn(function) = item {
            if function.sig.ident == name && !attributes::is_test_only(&function.attrs) {
                return Resolution::Function {
                    function,
                    module,
                    private_module,
                    private_use: false,
                };
            }
        }
    }
    if let Some((kind, span)) = items.iter().find_map(|item| other_item(item, name)) {
        return Resolution::NotAFunction { kind, module, span };
    }
    if reexports < MAXIMUM_REEXPORTS {
        for item in items {
            let Item::Use(declaration) = item else {
                continue;
            };
            let public = matches!(declaration.vis, Visibility::Public(_));
            let mut targets = Vec::new();
            use_targets(&declaration.tree, &mut Vec::new(), name, &mut targets);
            for target in targets {
                // A `pub use` makes the function reachable here whatever the privacy of the
                // modules it comes from: only the way to this module counts.
                match follow_use(krate, module, &target, reexports) {
                    Resolution::Function {
                        function,
                        module,
                        private_use,
                        ..
                    } => {
                        return Resolution::Function {
                            function,
                            module,
                            private_module,
                            private_use: private_use || !public,
                        }
                    }
                    Resolution::Missing { .. } => {}
                    other => return other,
                }
            }
        }
    }
    if krate.modules[module].opaque {
        return Resolution::Unknown;
    }
    Resolution::Missing {
        module,
        segment: name.to_owned(),
        as_module: false,
    }
}

/// Follows a `use` target (`crate::todos::item`, `self::x`, `super::y`, `todos::item`) from
/// `module`.
fn follow_use<'a>(
    krate: &'a Crate,
    module: usize,
    target: &[String],
    reexports: usize,
) -> Resolution<'a> {
    let mut start = module;
    let mut rest: Vec<&str> = target.iter().map(String::as_str).collect();
    loop {
        match rest.first().copied() {
            Some("crate") => start = 0,
            Some("self") => {}
            Some("super") => match krate.modules[start].parent {
                Some(parent) => start = parent,
                None => return Resolution::Unknown,
            },
            Some(first) => {
                // A path from the current module only if it names one of its modules or items;
                // otherwise another crate (`sauce_app::…`), which this checker does not read.
                let local = krate.child(start, first).is_some() || rest.len() == 1;
                if !local {
                    return Resolution::Unknown;
                }
                break;
            }
            None => return Resolution::Unknown,
        }
        rest.remove(0);
    }
    match resolve_in(krate, start, &rest, None, reexports + 1) {
        Resolution::Missing { .. } => Resolution::Unknown,
        other => other,
    }
}

/// Whether `module` has a `use` that brings in something named `name` (or a glob, which may).
fn reexported(krate: &Crate, module: usize, name: &str) -> bool {
    krate.modules[module].items.iter().any(|item| {
        let Item::Use(declaration) = item else {
            return false;
        };
        let mut targets = Vec::new();
        use_targets(&declaration.tree, &mut Vec::new(), name, &mut targets);
        !targets.is_empty()
    })
}

/// The full paths a `use` tree imports under `name`: `use a::b as name` gives `a::b`;
/// `use a::*` gives `a::name`.
fn use_targets(tree: &UseTree, prefix: &mut Vec<String>, name: &str, found: &mut Vec<Vec<String>>) {
    match tree {
        UseTree::Path(path) => {
            prefix.push(path.ident.to_string());
            use_targets(&path.tree, prefix, name, found);
            prefix.pop();
        }
        UseTree::Name(imported) if imported.ident == name => {
            found.push(with(prefix, name));
        }
        UseTree::Rename(renamed) if renamed.rename == name => {
            found.push(with(prefix, &renamed.ident.to_string()));
        }
        UseTree::Glob(_) => found.push(with(prefix, name)),
        UseTree::Group(group) => {
            for tree in &group.items {
                use_targets(tree, prefix, name, found);
            }
        }
        UseTree::Name(_) | UseTree::Rename(_) => {}
    }
}

fn with(prefix: &[String], last: &str) -> Vec<String> {
    let mut path = prefix.to_vec();
    path.push(last.to_owned());
    path
}

/// What `item` is, and where its name is, when it is named `name` and is not a function.
fn other_item(item: &Item, name: &str) -> Option<(&'static str, proc_macro2::Span)> {
    let (kind, ident) = match item {
        Item::Const(item) => ("a constant", &item.ident),
        Item::Static(item) => ("a static", &item.ident),
        Item::Struct(item) => ("a struct", &item.ident),
        Item::Enum(item) => ("an enum", &item.ident),
        Item::Union(item) => ("a union", &item.ident),
        Item::Type(item) => ("a type alias", &item.ident),
        Item::Trait(item) => ("a trait", &item.ident),
        Item::Mod(item) => ("a module", &item.ident),
        _ => return None,
    };
    (ident == name).then(|| (kind, ident.span()))
}

/// The public function names of `module`, for "did you mean".
pub fn function_names(krate: &Crate, module: usize) -> Vec<String> {
    krate.modules[module]
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Fn(function) => Some(function.sig.ident.to_string()),
            _ => None,
        })
        .collect()
}
