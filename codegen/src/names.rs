//! Rust identifiers from XML names: one place for case conversion, keywords and clashes.

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Replaces characters that cannot appear in a Rust identifier and transliterates nothing:
/// non-ASCII letters are kept (Rust identifiers may be Unicode), everything else becomes `_`.
fn sanitize(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() {
        s.push('_');
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    s
}

fn ident(s: &str) -> Ident {
    match s {
        // These cannot be raw identifiers.
        "self" | "Self" | "super" | "crate" | "_" => {
            Ident::new(&format!("{s}_"), Span::call_site())
        }
        _ if KEYWORDS.contains(&s) => Ident::new_raw(s, Span::call_site()),
        _ => Ident::new(s, Span::call_site()),
    }
}

/// `snake_case` name for fields, methods, modules.
#[must_use]
pub fn snake(name: &str) -> String {
    let s = sanitize(name).to_snake_case();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{s}")
    } else {
        s
    }
}

/// `UpperCamelCase` name for types and variants.
#[must_use]
pub fn camel(name: &str) -> String {
    let s = sanitize(name).to_upper_camel_case();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{s}")
    } else {
        s
    }
}

/// A `snake_case` identifier, raw or suffixed when it is a keyword.
#[must_use]
pub fn snake_ident(name: &str) -> Ident {
    ident(&snake(name))
}

/// An `UpperCamelCase` identifier.
#[must_use]
pub fn camel_ident(name: &str) -> Ident {
    ident(&camel(name))
}

/// A `SCREAMING_SNAKE_CASE` identifier for constants.
#[must_use]
pub fn const_ident(name: &str) -> Ident {
    ident(&snake(name).to_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_and_keywords() {
        assert_eq!(
            snake_ident("getCitiesCashPay").to_string(),
            "get_cities_cash_pay"
        );
        assert_eq!(snake_ident("return").to_string(), "r#return");
        assert_eq!(snake_ident("type").to_string(), "r#type");
        assert_eq!(snake_ident("self").to_string(), "self_");
        assert_eq!(camel_ident("parcel-shop.v2").to_string(), "ParcelShopV2");
        assert_eq!(camel_ident("3dSecure").to_string(), "_3dSecure");
        assert_eq!(snake_ident("npp_amount").to_string(), "npp_amount");
        assert_eq!(camel_ident("Self").to_string(), "Self_");
        assert_eq!(snake_ident("Контраст").to_string(), "контраст");
    }
}
