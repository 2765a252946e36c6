//! XSD stage: schemas → `xsd-parser` → Rust types with XML (de)serialization.
//!
//! `xsd-parser` parses the schemas (imports and includes resolved offline through the
//! [`Catalog`]) and interprets them into its `MetaTypes` model; this module renders that model
//! into our own compact code: plain structs and enums plus `XmlRead`/`XmlWrite` impls that
//! call small helpers of `soap_runtime::codegen` (`_rt`), so the per-type code stays a list of
//! names. The mapping of XSD built-ins is documented in `soap_runtime::types`.
//!
//! Mapping choices (the rendered code is one flat list of items):
//! - `complexType`/anonymous element type → `struct`; an element whose type is named reuses
//!   that type. Rust names are the XML names in `UpperCamelCase`; a clash (element vs. type,
//!   `Foo`/`foo`, two namespaces) is resolved with a `Type` suffix for named types, then `2`, `3`….
//! - cardinality: `T`, `Option<T>`, `Vec<T>`; `nillable` wraps the item in `_rt::Nillable`.
//!   Fields of recursive types are boxed.
//! - extension: base fields first (xsd-parser merges them); nested sequences are flattened into
//!   the parent struct (an optional group makes its fields optional, a repeated one makes them
//!   `Vec`); `xs:choice` → an enum implementing `_rt::XmlContent` (a `Vec` of it when repeated).
//!   A choice between sequences is kept as raw elements (`Vec<_rt::AnyElement>`), not dropped.
//! - enumerations → enum with an `Unknown(String)` variant; other simple types → type aliases
//!   (`xs:list` → `_rt::List<T>`, `xs:union` → `String`); facets are not validated.
//! - `xs:any`, `anyType`, mixed content and substitution-group heads → `_rt::AnyElement` (raw XML);
//!   `xs:anyAttribute` → `any_attributes: Vec<(String, String)>`.
//! - unknown child elements are skipped when reading (forward compatibility).

mod render;
mod resolve;

use std::collections::BTreeMap;

use proc_macro2::{Ident, TokenStream};

use crate::catalog::Catalog;
use crate::model::{QName, SchemaDoc};

/// Options of the XSD stage.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct TypesOptions {}

/// The rendered types and what the client emitter needs to know about them.
#[derive(Debug, Clone, Default)]
pub struct TypesOutput {
    /// All items (structs, enums, aliases, their impls, namespace constants).
    pub tokens: TokenStream,
    /// Global element → Rust type of its content.
    pub elements: BTreeMap<QName, TypeRef>,
    /// Global named types (simple and complex).
    pub types: BTreeMap<QName, TypeRef>,
    /// Rendered structs by Rust type name (to unwrap document/literal wrapper elements).
    pub structs: BTreeMap<String, StructInfo>,
}

/// A Rust type that values of an XML type or element decode into.
#[derive(Debug, Clone)]
pub struct TypeRef {
    /// The type as written in generated code: `City`, `String`, `_rt::Decimal`.
    pub path: TokenStream,
    /// The Rust name (key into [`TypesOutput::structs`] for structs).
    pub name: String,
    /// Whether the type is simple (has a text form: `_rt::XmlText`).
    pub simple: bool,
}

/// A rendered struct.
#[derive(Debug, Clone, Default)]
pub struct StructInfo {
    /// Content fields in schema order (elements, groups, `xs:any`, simple-content value);
    /// attributes are not listed.
    pub fields: Vec<FieldInfo>,
    /// Whether the struct also has attribute fields.
    pub has_attributes: bool,
}

/// What a [`FieldInfo`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// One child element (possibly repeated).
    Element,
    /// An `xs:choice` group (an enum implementing `_rt::XmlContent`); `xml` is not an element name.
    Group,
    /// `xs:any` or a choice kept raw: `_rt::AnyElement` values.
    Any,
    /// The text of a simple-content type.
    Value,
}

/// One field of a rendered struct.
#[derive(Debug, Clone)]
pub struct FieldInfo {
    /// Element name on the wire (`ns` is `None` when unqualified); `*` for groups and
    /// `xs:any` fields, `#text` for the simple-content value.
    pub xml: QName,
    /// Rust field name.
    pub ident: Ident,
    /// Full field type, including `Option`/`Vec`/`Nillable`/`Box`.
    pub ty: TokenStream,
    /// The item type.
    pub item: TypeRef,
    /// `minOccurs`.
    pub min: u32,
    /// `maxOccurs`, `None` when unbounded.
    pub max: Option<u32>,
    /// `nillable="true"`.
    pub nillable: bool,
    /// `xs:documentation`.
    pub doc: Option<String>,
    /// What the field holds.
    pub kind: FieldKind,
}

impl TypesOutput {
    /// The Rust type of global named type `q`, or of an XSD built-in (`xs:string` → `String`).
    #[must_use]
    pub fn type_ref(&self, q: &QName) -> Option<TypeRef> {
        if let Some(t) = self.types.get(q) {
            return Some(t.clone());
        }
        if q.ns.as_deref() == Some(render::XS_NS) {
            return render::builtin(&q.local);
        }
        None
    }
}

/// Renders the types of `schemas` (every schema of one WSDL, in order).
///
/// # Errors
/// A schema that cannot be parsed or interpreted ([`crate::Error::Schema`]), an import that
/// does not resolve to a local file ([`crate::Error::Unresolved`]) or a construct that cannot
/// be rendered ([`crate::Error::Unsupported`]).
pub fn generate(
    schemas: &[SchemaDoc],
    catalog: &Catalog,
    options: &TypesOptions,
) -> crate::Result<TypesOutput> {
    let _ = options;
    let parsed = resolve::parse(schemas, catalog)?;
    let (meta, _) = interpret(&parsed).map_err(|e| crate::Error::Schema {
        message: format!("{}: {e}", describe(schemas)),
    })?;
    render::render(&parsed, &meta, schemas)
}

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// Runs xsd-parser's interpreter with the XSD built-ins, plus the few well-known
/// declarations that schemas use without importing them: `ref="xs:schema"` (.NET DataSets,
/// kept as raw XML) and the `xml:lang`/`xml:space`/`xml:base`/`xml:id` attributes.
fn interpret(
    parsed: &xsd_parser::Schemas,
) -> Result<(xsd_parser::MetaTypes, xsd_parser::IdentCache), xsd_parser::InterpreterError> {
    use xsd_parser::models::meta::ReferenceMeta;
    use xsd_parser::models::{IdentType, Name, TypeIdent};
    let ns_id = |uri: &str| {
        parsed
            .namespaces()
            .find(|(_, i)| {
                i.namespace
                    .as_ref()
                    .is_some_and(|n| n.as_ref() == uri.as_bytes())
            })
            .map(|(id, _)| *id)
    };
    let declares = |uri: &str| {
        parsed
            .schemas()
            .any(|(_, s)| s.schema.target_namespace.as_deref() == Some(uri))
    };
    let mut i = xsd_parser::Interpreter::new(parsed)
        .with_buildin_types()?
        .with_default_typedefs()?
        .with_xs_any_type()?;
    if let Some(xs) = ns_id(render::XS_NS) {
        if !declares(render::XS_NS) {
            let any = TypeIdent::ANY_TYPE.with_ns(xs);
            i = i.with_type(
                TypeIdent::element("schema").with_ns(xs),
                ReferenceMeta::new(any),
            )?;
        }
        if let Some(xml) = ns_id(XML_NS).filter(|_| !declares(XML_NS)) {
            for name in ["lang", "space", "base", "id"] {
                let ident = TypeIdent::type_("x")
                    .with_name(Name::named(name))
                    .with_ns(xml)
                    .with_type(IdentType::Attribute);
                i = i.with_type(
                    ident,
                    ReferenceMeta::new(TypeIdent::type_("string").with_ns(xs)),
                )?;
            }
        }
    }
    i.finish()
}

/// A short description of the schema set for error messages.
fn describe(schemas: &[SchemaDoc]) -> String {
    match schemas {
        [] => "no schemas".to_owned(),
        [one] => one.location.clone(),
        [first, ..] => format!(
            "{} (and {} more schemas)",
            first.location,
            schemas.len() - 1
        ),
    }
}

#[cfg(test)]
mod tests;
