//! Reading attributes: `#[cfg(test)]`, `#[path = "…"]`, `#![no_std]`, `#![forbid(unsafe_code)]`,
//! each also inside `#[cfg_attr(condition, …)]`.

use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, Lit, Meta, Token};

/// Whether `attributes` hold `#[cfg(test)]`: the item exists only in test builds.
pub fn is_test_only(attributes: &[Attribute]) -> bool {
    attributes.iter().any(|attribute| {
        attribute.path().is_ident("cfg")
            && attribute
                .parse_args::<Meta>()
                .is_ok_and(|condition| condition.path().is_ident("test"))
    })
}

/// The `#[path = "…"]` of a module declaration.
pub fn path(attributes: &[Attribute]) -> Option<String> {
    attributes
        .iter()
        .find_map(|attribute| match &attribute.meta {
            Meta::NameValue(pair) if pair.path.is_ident("path") => match &pair.value {
                Expr::Lit(literal) => match &literal.lit {
                    Lit::Str(text) => Some(text.value()),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        })
}

/// Whether `attributes` (a crate root's) make it `no_std`, directly or through `cfg_attr`
/// (`#![cfg_attr(not(test), no_std)]`: image builds are never test builds).
pub fn declares_no_std(attributes: &[Attribute]) -> bool {
    metas(attributes)
        .iter()
        .any(|meta| matches!(meta, Meta::Path(path) if path.is_ident("no_std")))
}

/// Whether `attributes` hold `forbid(unsafe_code)`, directly or through `cfg_attr`.
pub fn forbids_unsafe_code(attributes: &[Attribute]) -> bool {
    metas(attributes).iter().any(|meta| match meta {
        Meta::List(list) if list.path.is_ident("forbid") => list
            .parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
            .is_ok_and(|lints| lints.iter().any(|lint| lint.path().is_ident("unsafe_code"))),
        _ => false,
    })
}

/// Every attribute's meta, with each `cfg_attr(condition, a, b)` contributing `a` and `b`.
fn metas(attributes: &[Attribute]) -> Vec<Meta> {
    let mut metas = Vec::new();
    for attribute in attributes {
        if attribute.path().is_ident("cfg_attr") {
            if let Ok(parts) =
                attribute.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
            {
                metas.extend(parts.into_iter().skip(1));
            }
        } else {
            metas.push(attribute.meta.clone());
        }
    }
    metas
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inner(text: &str) -> Vec<Attribute> {
        syn::parse_file(text).unwrap().attrs
    }

    fn outer(text: &str) -> Vec<Attribute> {
        match syn::parse_str::<syn::Item>(text).unwrap() {
            syn::Item::Mod(module) => module.attrs,
            _ => panic!("not a module: {text}"),
        }
    }

    #[test]
    fn crate_attributes_are_found_directly_and_in_cfg_attr() {
        assert!(declares_no_std(&inner("#![no_std]")));
        assert!(declares_no_std(&inner("#![cfg_attr(not(test), no_std)]")));
        assert!(!declares_no_std(&inner("#![allow(unused)]")));
        assert!(forbids_unsafe_code(&inner(
            "#![forbid(missing_docs, unsafe_code)]"
        )));
        assert!(forbids_unsafe_code(&inner(
            "#![cfg_attr(all(), forbid(unsafe_code))]"
        )));
        assert!(!forbids_unsafe_code(&inner("#![deny(unsafe_code)]")));
        assert!(!forbids_unsafe_code(&inner("#![forbid(missing_docs)]")));
    }

    #[test]
    fn module_attributes() {
        assert!(is_test_only(&outer("#[cfg(test)] mod tests;")));
        assert!(!is_test_only(&outer("#[cfg(feature = \"x\")] mod x;")));
        assert_eq!(
            path(&outer("#[path = \"other/place.rs\"] mod x;")).as_deref(),
            Some("other/place.rs")
        );
        assert_eq!(path(&outer("mod x;")), None);
    }
}
