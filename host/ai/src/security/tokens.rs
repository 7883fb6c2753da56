//! Token-level checks of generated Rust: comments and strings are never mistaken for code
//! because the source is lexed (proc-macro2's lexer, the one rustc's macros see), not grepped.
//!
//! Refused: `unsafe` anywhere; a library root without `#![forbid(unsafe_code)]`; `extern`
//! blocks and ABIs (`extern crate` is fine); `no_mangle`, `export_name`, `link_section`,
//! `link_name` and `#[link]`/`#[used]`; `asm!`, `global_asm!`, `naked_asm!`; `env!` and
//! `option_env!` (they copy the build machine's environment, keys included, into the image);
//! `include!`, `include_str!`, `include_bytes!` and `#[path]` of anything but a literal path
//! inside the project; and `std::process`, `std::fs`, `std::net`, `std::env`, `std::os`, which
//! only host-side tests could reach and which would act on the developer's machine.

use proc_macro2::{Delimiter, Literal, TokenStream, TokenTree};

use super::{Check, Finding};
use crate::project::ProjectPath;

const LINK_ATTRIBUTES: &[&str] = &["no_mangle", "export_name", "link_section", "link_name"];
const ASSEMBLY_MACROS: &[&str] = &["asm", "global_asm", "naked_asm", "llvm_asm"];
const ENVIRONMENT_MACROS: &[&str] = &["env", "option_env"];
const INCLUDE_MACROS: &[&str] = &["include", "include_str", "include_bytes"];
const HOST_MODULES: &[&str] = &["process", "fs", "net", "env", "os"];

/// Every finding in one Rust file; `library_root` is true for `src/lib.rs`.
pub fn check_rust(path: &ProjectPath, source: &str, library_root: bool) -> Vec<Finding> {
    let stream: TokenStream = match source.parse() {
        Ok(stream) => stream,
        Err(error) => {
            let start = error.span().start();
            return vec![Finding::at(
                Check::Syntax,
                path.as_str(),
                start.line,
                start.column + 1,
                format!(
                    "the file cannot be read as Rust tokens ({error}), so it cannot be checked"
                ),
            )];
        }
    };
    let mut scanner = Scanner {
        path,
        findings: Vec::new(),
    };
    let top: Vec<TokenTree> = stream.into_iter().collect();
    if library_root && !forbids_unsafe(&top) {
        scanner.findings.push(Finding::at(
            Check::Unsafe,
            path.as_str(),
            1,
            1,
            "src/lib.rs must start with `#![forbid(unsafe_code)]`".to_owned(),
        ));
    }
    scanner.scan(&top);
    scanner.findings
}

/// Every string literal of `source` with its value, line and column; empty when it does not
/// lex.
pub fn string_literals(source: &str) -> Vec<(String, usize, usize)> {
    let Ok(stream) = source.parse::<TokenStream>() else {
        return Vec::new();
    };
    let mut literals = Vec::new();
    collect_literals(stream, &mut literals);
    literals
}

fn collect_literals(stream: TokenStream, literals: &mut Vec<(String, usize, usize)>) {
    for tree in stream {
        match tree {
            TokenTree::Group(group) => collect_literals(group.stream(), literals),
            TokenTree::Literal(literal) => {
                if let Some(value) = string_value(&literal) {
                    let start = literal.span().start();
                    literals.push((value, start.line, start.column + 1));
                }
            }
            _ => {}
        }
    }
}

struct Scanner<'a> {
    path: &'a ProjectPath,
    findings: Vec<Finding>,
}

impl Scanner<'_> {
    fn report(&mut self, check: Check, tree: &TokenTree, message: String) {
        let start = tree.span().start();
        self.findings.push(Finding::at(
            check,
            self.path.as_str(),
            start.line,
            start.column + 1,
            message,
        ));
    }

    fn scan(&mut self, trees: &[TokenTree]) {
        for (index, tree) in trees.iter().enumerate() {
            let next = trees.get(index + 1);
            match tree {
                TokenTree::Group(group) => {
                    let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                    let after_hash = index > 0 && is_punct(trees.get(index - 1), '#')
                        || index > 1
                            && is_punct(trees.get(index - 1), '!')
                            && is_punct(trees.get(index - 2), '#');
                    if group.delimiter() == Delimiter::Bracket && after_hash {
                        self.attribute(tree, &inner);
                    }
                    self.scan(&inner);
                }
                TokenTree::Ident(ident) => {
                    let name = ident.to_string();
                    let bang = is_punct(next, '!');
                    if name == "unsafe" {
                        self.report(Check::Unsafe, tree, "`unsafe` is not allowed in generated code; use the safe APIs of sauce-app and core".to_owned());
                    } else if name == "extern" && !is_ident(next, "crate") {
                        self.report(Check::Ffi, tree, "`extern` blocks and ABIs call foreign code; generated code may not use them".to_owned());
                    } else if LINK_ATTRIBUTES.contains(&name.as_str()) {
                        self.report(
                            Check::Ffi,
                            tree,
                            format!("`{name}` exports or places symbols for the linker; remove it"),
                        );
                    } else if bang && ASSEMBLY_MACROS.contains(&name.as_str()) {
                        self.report(
                            Check::Ffi,
                            tree,
                            format!("`{name}!` is inline assembly; generated code may not use it"),
                        );
                    } else if bang && ENVIRONMENT_MACROS.contains(&name.as_str()) {
                        self.report(Check::Environment, tree, format!("`{name}!` copies the build machine's environment into the image; read run-time settings with sauce_app's `env(\"KEY\")` instead"));
                    } else if bang && INCLUDE_MACROS.contains(&name.as_str()) {
                        let argument = trees.get(index + 2);
                        self.include(tree, &name, argument);
                    } else if name == "std"
                        && is_punct(next, ':')
                        && is_punct(trees.get(index + 2), ':')
                    {
                        if let Some(TokenTree::Ident(module)) = trees.get(index + 3) {
                            let module = module.to_string();
                            if HOST_MODULES.contains(&module.as_str()) {
                                self.report(Check::HostAccess, tree, format!("`std::{module}` acts on the machine that runs the tests; generated code and tests may not use it"));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn attribute(&mut self, tree: &TokenTree, inner: &[TokenTree]) {
        match inner.first() {
            Some(TokenTree::Ident(first)) if first == "link" || first == "used" => {
                self.report(
                    Check::Ffi,
                    tree,
                    format!("`#[{first}]` talks to the linker; remove it"),
                );
            }
            Some(TokenTree::Ident(first)) if first == "path" => {
                let value = inner.get(2).and_then(|tree| match tree {
                    TokenTree::Literal(literal) => string_value(literal),
                    _ => None,
                });
                match value {
                    Some(target) if self.stays_inside(&target) => {}
                    Some(target) => self.report(
                        Check::Include,
                        tree,
                        format!("`#[path = {target:?}]` points outside the project"),
                    ),
                    None => self.report(
                        Check::Include,
                        tree,
                        "`#[path]` must be a string literal".to_owned(),
                    ),
                }
            }
            _ => {}
        }
    }

    fn include(&mut self, tree: &TokenTree, name: &str, argument: Option<&TokenTree>) {
        let literal = match argument {
            Some(TokenTree::Group(group)) => {
                let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                match inner.as_slice() {
                    [TokenTree::Literal(literal)]
                    | [TokenTree::Literal(literal), TokenTree::Punct(_)] => string_value(literal),
                    _ => None,
                }
            }
            _ => None,
        };
        match literal {
            Some(target) if self.stays_inside(&target) => {}
            Some(target) => self.report(
                Check::Include,
                tree,
                format!("`{name}!({target:?})` reads a file outside the project"),
            ),
            None => self.report(
                Check::Include,
                tree,
                format!("`{name}!` must name a file inside the project with a string literal"),
            ),
        }
    }

    /// Whether `target`, relative to this file's folder, stays inside the project.
    fn stays_inside(&self, target: &str) -> bool {
        if target.starts_with('/') || target.contains('\\') || target.contains(':') {
            return false;
        }
        let mut components: Vec<&str> = self.path.as_str().split('/').collect();
        components.pop();
        for component in target.split('/') {
            match component {
                "" | "." => {}
                ".." => {
                    if components.pop().is_none() {
                        return false;
                    }
                }
                other => components.push(other),
            }
        }
        !components.is_empty()
    }
}

fn is_punct(tree: Option<&TokenTree>, character: char) -> bool {
    matches!(tree, Some(TokenTree::Punct(punct)) if punct.as_char() == character)
}

fn is_ident(tree: Option<&TokenTree>, name: &str) -> bool {
    matches!(tree, Some(TokenTree::Ident(ident)) if ident == name)
}

/// Whether the top level holds `#![forbid(…unsafe_code…)]`.
fn forbids_unsafe(top: &[TokenTree]) -> bool {
    top.windows(3).any(|window| {
        let [hash, bang, TokenTree::Group(group)] = window else {
            return false;
        };
        if !is_punct(Some(hash), '#')
            || !is_punct(Some(bang), '!')
            || group.delimiter() != Delimiter::Bracket
        {
            return false;
        }
        let inner: Vec<TokenTree> = group.stream().into_iter().collect();
        match inner.as_slice() {
            [TokenTree::Ident(forbid), TokenTree::Group(lints)] if forbid == "forbid" => lints
                .stream()
                .into_iter()
                .any(|lint| matches!(&lint, TokenTree::Ident(ident) if ident == "unsafe_code")),
            _ => false,
        }
    })
}

/// The value of a string literal (`"…"`, `r#"…"#`, `b"…"`, `c"…"`), escapes decoded.
pub fn string_value(literal: &Literal) -> Option<String> {
    let text = literal.to_string();
    let text = text.strip_prefix(['b', 'c']).unwrap_or(&text);
    if let Some(raw) = text.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        let body = raw.get(hashes..raw.len().checked_sub(hashes)?)?;
        return body.strip_prefix('"')?.strip_suffix('"').map(str::to_owned);
    }
    let body = text.strip_prefix('"')?.strip_suffix('"')?;
    let mut value = String::with_capacity(body.len());
    let mut characters = body.chars().peekable();
    while let Some(character) = characters.next() {
        if character != '\\' {
            value.push(character);
            continue;
        }
        match characters.next()? {
            'n' => value.push('\n'),
            'r' => value.push('\r'),
            't' => value.push('\t'),
            '0' => value.push('\0'),
            '\\' => value.push('\\'),
            '"' => value.push('"'),
            '\'' => value.push('\''),
            'x' => {
                let digits: String = characters.by_ref().take(2).collect();
                value.push(char::from(u8::from_str_radix(&digits, 16).ok()?));
            }
            'u' => {
                let digits: String = characters
                    .by_ref()
                    .skip(1)
                    .take_while(|next| *next != '}')
                    .collect();
                value.push(char::from_u32(u32::from_str_radix(&digits, 16).ok()?)?);
            }
            '\n' => while characters.next_if(|next| next.is_whitespace()).is_some() {},
            _ => return None,
        }
    }
    Some(value)
}

#[cfg(test)]
mod tests;
