//! Rendering xsd-parser's `MetaTypes` into our own structs, enums and (de)serialization impls.
//!
//! Three passes: build a small model of every item (naming types on first use), find which
//! fields need a `Box` (strongly connected components of the by-value field graph), then emit.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};
use xsd_parser::models::meta::{
    AttributeMetaVariant, ComplexMeta, ElementMetaVariant, ElementMode, GroupMeta, MetaType,
    MetaTypeVariant,
};
use xsd_parser::models::schema::xs::{FormChoiceType, SchemaContent, Use};
use xsd_parser::models::schema::{MaxOccurs, NamespaceId};
use xsd_parser::models::{IdentType, TypeIdent};
use xsd_parser::{MetaTypes, Schemas};

use super::{FieldInfo, FieldKind, StructInfo, TypeRef, TypesOutput};
use crate::model::{Location, QName, SchemaDoc};
use crate::names;

/// The XML Schema namespace.
pub(crate) const XS_NS: &str = "http://www.w3.org/2001/XMLSchema";

/// Rust names generated code must not shadow (prelude types used in field types and impls).
const RESERVED: &[&str] = &[
    "String", "Option", "Vec", "Box", "Result", "Ok", "Err", "Some", "None", "Self",
];

fn tref(path: TokenStream, name: &str, simple: bool) -> TypeRef {
    TypeRef {
        path,
        name: name.to_owned(),
        simple,
    }
}

/// The Rust type of XSD built-in `local` (see `soap_runtime::types` for the table).
pub(crate) fn builtin(local: &str) -> Option<TypeRef> {
    let t = |p: TokenStream, n: &str| Some(tref(p, n, true));
    match local {
        "string" | "normalizedString" | "token" | "language" | "Name" | "NCName" | "NMTOKEN"
        | "NMTOKENS" | "ID" | "IDREF" | "IDREFS" | "ENTITY" | "ENTITIES" | "anyURI" | "QName"
        | "NOTATION" | "duration" | "gYear" | "gYearMonth" | "gMonth" | "gMonthDay" | "gDay"
        | "anySimpleType" | "dateTimeStamp" | "yearMonthDuration" | "dayTimeDuration" => {
            t(quote!(String), "String")
        }
        "boolean" => t(quote!(bool), "bool"),
        "byte" => t(quote!(i8), "i8"),
        "short" => t(quote!(i16), "i16"),
        "int" => t(quote!(i32), "i32"),
        "long" | "integer" | "negativeInteger" | "nonPositiveInteger" => t(quote!(i64), "i64"),
        "unsignedByte" => t(quote!(u8), "u8"),
        "unsignedShort" => t(quote!(u16), "u16"),
        "unsignedInt" => t(quote!(u32), "u32"),
        "unsignedLong" | "nonNegativeInteger" | "positiveInteger" => t(quote!(u64), "u64"),
        "float" => t(quote!(f32), "f32"),
        "double" => t(quote!(f64), "f64"),
        "decimal" => t(quote!(_rt::Decimal), "Decimal"),
        "date" => t(quote!(_rt::Date), "Date"),
        "dateTime" => t(quote!(_rt::DateTime), "DateTime"),
        "time" => t(quote!(_rt::Time), "Time"),
        "base64Binary" => t(quote!(_rt::Base64Binary), "Base64Binary"),
        "hexBinary" => t(quote!(_rt::HexBinary), "HexBinary"),
        "anyType" => Some(tref(quote!(_rt::AnyElement), "AnyElement", false)),
        _ => None,
    }
}

fn any_element() -> TypeRef {
    tref(quote!(_rt::AnyElement), "AnyElement", false)
}

fn string_ref() -> TypeRef {
    tref(quote!(String), "String", true)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Card {
    One,
    Opt,
    Many,
}

fn card(min: usize, max: Option<usize>) -> Card {
    match max {
        Some(0 | 1) if min == 0 => Card::Opt,
        Some(0 | 1) => Card::One,
        _ => Card::Many,
    }
}

fn max_of(m: MaxOccurs) -> Option<usize> {
    match m {
        MaxOccurs::Unbounded => None,
        MaxOccurs::Bounded(n) => Some(n),
    }
}

/// One content field of a struct.
struct FieldM {
    ident: Ident,
    xml: QName,
    kind: FieldKind,
    item: TypeRef,
    card: Card,
    min: usize,
    max: Option<usize>,
    nillable: bool,
    doc: Option<String>,
    boxed: bool,
    /// Raw choice fallback: the element names it collects.
    raw_names: Vec<QName>,
}

struct AttrM {
    ident: Ident,
    xml: QName,
    ty: TypeRef,
    required: bool,
    default: Option<String>,
    doc: Option<String>,
}

struct StructM {
    name: String,
    doc: Option<String>,
    fields: Vec<FieldM>,
    attrs: Vec<AttrM>,
    any_attrs: Option<Ident>,
    value: Option<(Ident, TypeRef)>,
}

struct VariantM {
    ident: Ident,
    /// `None` for the `xs:any` alternative.
    xml: Option<QName>,
    item: TypeRef,
    nillable: bool,
    boxed: bool,
    doc: Option<String>,
}

struct ChoiceM {
    name: String,
    doc: Option<String>,
    variants: Vec<VariantM>,
}

struct EnumM {
    name: String,
    doc: Option<String>,
    values: Vec<(Ident, String, Option<String>)>,
}

struct AliasM {
    name: String,
    doc: Option<String>,
    target: TokenStream,
}

enum ItemM {
    Struct(StructM),
    Choice(ChoiceM),
    Enum(EnumM),
    Alias(AliasM),
}

fn unsupported(what: String, docs: &[SchemaDoc]) -> crate::Error {
    let at = docs.first().map_or_else(
        || Location {
            file: "<schemas>".into(),
            line: 1,
            column: 1,
        },
        |d| d.at.clone(),
    );
    crate::Error::Unsupported { at, what }
}

fn doc_of(lines: &[String]) -> Option<String> {
    let parts: Vec<String> = lines
        .iter()
        .map(|d| {
            d.lines()
                .map(str::trim)
                .collect::<Vec<_>>()
                .join("\n")
                .trim()
                .to_owned()
        })
        .filter(|d| !d.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

/// Unique identifiers inside one struct or enum.
#[derive(Default)]
struct LocalNames(BTreeSet<String>);

impl LocalNames {
    fn field(&mut self, xml: &str) -> Ident {
        let base = names::snake(xml);
        let mut s = base.clone();
        let mut n = 2;
        while !self.0.insert(s.clone()) {
            s = format!("{base}_{n}");
            n += 1;
        }
        names::snake_ident(&s)
    }

    fn variant(&mut self, xml: &str) -> Ident {
        let c = names::camel(xml);
        let base = if c.trim_matches('_').is_empty() {
            "Empty".to_owned()
        } else {
            c
        };
        let mut s = base.clone();
        let mut n = 2;
        while !self.0.insert(s.clone()) {
            s = format!("{base}{n}");
            n += 1;
        }
        names::camel_ident(&s)
    }
}

struct Renderer<'a> {
    meta: &'a MetaTypes,
    docs: &'a [SchemaDoc],
    xs: Option<NamespaceId>,
    ns_uri: BTreeMap<NamespaceId, String>,
    /// Rust name of every ident rendered as an item.
    assigned: BTreeMap<TypeIdent, String>,
    used: BTreeSet<String>,
    queue: VecDeque<TypeIdent>,
    /// Choice groups already modelled, by ident.
    choices: BTreeMap<TypeIdent, String>,
    items: BTreeMap<String, ItemM>,
    /// Global elements (namespace, name): references to them are always qualified.
    global_elements: BTreeSet<NsName>,
    /// Emission order.
    order: Vec<String>,
    /// Where each type is first used as an element's type: (owner Rust type, element name).
    /// Gives anonymous types a meaningful fallback doc.
    first_use: BTreeMap<TypeIdent, (String, String)>,
    /// Named global types declared in the schemas (anonymous types get generated names).
    global_types: BTreeSet<NsName>,
}

impl<'a> Renderer<'a> {
    fn err(&self, what: String) -> crate::Error {
        unsupported(what, self.docs)
    }

    fn uri(&self, ns: NamespaceId) -> Option<String> {
        self.ns_uri.get(&ns).cloned()
    }

    /// The wire name of element `e`: qualified when its form says so or when it is a
    /// reference to a global element (xsd-parser reports the schema default for those).
    fn element_name(&self, e: &xsd_parser::models::meta::ElementMeta) -> QName {
        let local = e.ident.name.as_str().to_owned();
        if let ElementMetaVariant::Type { type_, .. } = &e.variant {
            if type_.type_ == IdentType::Element && type_.name.as_str() == local {
                let ns = self.uri(type_.ns);
                if Some(type_.ns) == self.xs
                    || self.global_elements.contains(&(ns.clone(), local.clone()))
                {
                    return QName { ns, local };
                }
            }
        }
        let ns = if e.form == FormChoiceType::Qualified {
            self.uri(e.ident.ns)
        } else {
            None
        };
        QName { ns, local }
    }

    fn claim(&mut self, base: &str, type_suffix: bool) -> String {
        let base = if base.trim_matches('_').is_empty() {
            "Type".to_owned()
        } else {
            base.to_owned()
        };
        let mut candidates = vec![base.clone()];
        if type_suffix {
            candidates.push(format!("{base}Type"));
        }
        for c in candidates {
            if self.used.insert(c.clone()) {
                return c;
            }
        }
        let mut n = 2;
        loop {
            let c = format!("{base}{n}");
            if self.used.insert(c.clone()) {
                return c;
            }
            n += 1;
        }
    }

    fn assign(&mut self, ident: &TypeIdent, base: &str, type_suffix: bool) -> String {
        if let Some(n) = self.assigned.get(ident) {
            return n.clone();
        }
        let name = self.claim(&names::camel(base), type_suffix);
        self.assigned.insert(ident.clone(), name.clone());
        self.queue.push_back(ident.clone());
        name
    }

    /// Whether `ident` renders as an item of its own (rather than as a path to another type).
    fn is_item(variant: &MetaTypeVariant) -> bool {
        matches!(
            variant,
            MetaTypeVariant::ComplexType(_)
                | MetaTypeVariant::Enumeration(_)
                | MetaTypeVariant::Dynamic(_)
        )
    }

    fn is_simple(&self, ident: &TypeIdent, depth: u32) -> bool {
        if depth > 64 {
            return false;
        }
        if Some(ident.ns) == self.xs && ident.type_ == IdentType::Type {
            if let Some(b) = builtin(ident.name.as_str()) {
                return b.simple;
            }
        }
        match self.meta.items.get(ident).map(|t| &t.variant) {
            Some(MetaTypeVariant::Reference(x)) => self.is_simple(&x.type_, depth + 1),
            Some(
                MetaTypeVariant::BuildIn(_)
                | MetaTypeVariant::Enumeration(_)
                | MetaTypeVariant::SimpleType(_)
                | MetaTypeVariant::Union(_),
            ) => true,
            _ => false,
        }
    }

    /// The Rust type of `ident`, naming (and queueing) it when it renders as an item.
    fn type_ref(&mut self, ident: &TypeIdent, depth: u32) -> crate::Result<TypeRef> {
        if depth > 64 {
            return Err(self.err(format!("type reference loop at `{}`", ident.name)));
        }
        if Some(ident.ns) == self.xs && ident.type_ == IdentType::Type {
            if let Some(b) = builtin(ident.name.as_str()) {
                return Ok(b);
            }
        }
        if let Some(n) = self.assigned.get(ident) {
            let simple = self.is_simple(ident, 0);
            return Ok(tref(names::camel_ident(n).into_token_stream(), n, simple));
        }
        let Some(ty) = self.meta.items.get(ident) else {
            return Err(crate::Error::Schema {
                message: format!("type `{}` is not defined", ident.name),
            });
        };
        match &ty.variant {
            MetaTypeVariant::BuildIn(b) => {
                let s = b.as_str();
                let name = match s {
                    "str" => "String",
                    "usize" => "u64",
                    "isize" => "i64",
                    other => other,
                };
                let path: TokenStream = name
                    .parse()
                    .map_err(|_| self.err(format!("built-in `{name}`")))?;
                Ok(tref(path, name, true))
            }
            MetaTypeVariant::Reference(x) => {
                let inner = self.type_ref(&x.type_.clone(), depth + 1)?;
                Ok(if max_of(x.max_occurs) == Some(1) {
                    inner
                } else {
                    list_of(&inner)
                })
            }
            MetaTypeVariant::SimpleType(s) => {
                let base = self.type_ref(&s.base.clone(), depth + 1)?;
                Ok(if s.is_list { list_of(&base) } else { base })
            }
            MetaTypeVariant::Union(_) => Ok(string_ref()),
            v if Self::is_item(v) => {
                let name = self.assign(ident, ident.name.as_str(), false);
                let simple = self.is_simple(ident, 0);
                Ok(tref(
                    names::camel_ident(&name).into_token_stream(),
                    &name,
                    simple,
                ))
            }
            MetaTypeVariant::Custom(_) => Err(self.err(format!("custom type `{}`", ident.name))),
            MetaTypeVariant::All(_) | MetaTypeVariant::Sequence(_) | MetaTypeVariant::Choice(_) => {
                Err(self.err(format!("model group `{}` used as a type", ident.name)))
            }
            _ => Err(self.err(format!("type `{}`", ident.name))),
        }
    }

    /// Records that `type_` is the type of element `element` in `owner` (first use wins).
    fn note_use(&mut self, type_: &TypeIdent, owner: &str, element: &str) {
        // Anonymous types are reached through references (element type → generated type).
        let mut cur = type_;
        for _ in 0..8 {
            self.first_use
                .entry(cur.clone())
                .or_insert_with(|| (owner.to_owned(), element.to_owned()));
            match self.meta.items.get(cur).map(|t| &t.variant) {
                Some(MetaTypeVariant::Reference(x)) => cur = &x.type_,
                _ => break,
            }
        }
    }

    /// A doc for an item whose schema has no `xs:documentation`: what it is on the wire.
    fn fallback_doc(&self, ident: &TypeIdent, what: &str) -> String {
        let ns = self
            .uri(ident.ns)
            .map_or_else(String::new, |ns| format!(" (namespace `{ns}`)"));
        let local = ident.name.as_str();
        let key = (self.uri(ident.ns), local.to_owned());
        match ident.type_ {
            IdentType::Type if self.global_types.contains(&key) => {
                format!("XML Schema {what} `{local}`{ns}.")
            }
            IdentType::Element | IdentType::ElementType if self.global_elements.contains(&key) => {
                format!("Anonymous {what} of the global element `<{local}>`{ns}.")
            }
            _ => match self.first_use.get(ident) {
                Some((owner, element)) => {
                    format!("Anonymous {what} of element `<{element}>` in [`{owner}`]{ns}.")
                }
                None => format!("Anonymous {what} `{local}`{ns} (name given by the generator)."),
            },
        }
    }

    /// `doc`, or a fallback naming the simple type and the Rust type it maps to.
    fn alias_doc(&self, ident: &TypeIdent, doc: Option<String>, target: &str) -> String {
        doc.unwrap_or_else(|| {
            format!(
                "{} Decoded as `{target}`.",
                self.fallback_doc(ident, "simple type")
            )
        })
    }

    fn render_item(&mut self, ident: &TypeIdent) -> crate::Result<()> {
        let Some(name) = self.assigned.get(ident).cloned() else {
            return Ok(());
        };
        let Some(ty): Option<&'a MetaType> = self.meta.items.get(ident) else {
            return Err(crate::Error::Schema {
                message: format!("type `{}` is not defined", ident.name),
            });
        };
        let doc = doc_of(&ty.documentation);
        let item = match &ty.variant {
            MetaTypeVariant::ComplexType(c) if c.is_mixed || self.content_is_mixed(c) => {
                ItemM::Alias(AliasM {
                    name: name.clone(),
                    doc: Some(join_doc(
                        doc,
                        "Mixed content (text with elements): kept as raw XML.",
                    )),
                    target: quote!(_rt::AnyElement),
                })
            }
            MetaTypeVariant::ComplexType(c) => {
                let doc = doc.or_else(|| Some(self.fallback_doc(ident, "complex type")));
                ItemM::Struct(self.complex(&name, doc, c)?)
            }
            MetaTypeVariant::Dynamic(_) => ItemM::Alias(AliasM {
                name: name.clone(),
                doc: Some(join_doc(
                    doc,
                    "Abstract element or type with substitutes: kept as raw XML.",
                )),
                target: quote!(_rt::AnyElement),
            }),
            MetaTypeVariant::Enumeration(e) => {
                let mut local = LocalNames::default();
                local.0.insert("Unknown".to_owned());
                let values = e
                    .variants
                    .iter()
                    .filter(|v| v.use_ != Use::Prohibited)
                    .map(|v| {
                        let value = v.ident.name.as_str().to_owned();
                        (local.variant(&value), value, doc_of(&v.documentation))
                    })
                    .collect::<Vec<_>>();
                let doc = doc.or_else(|| {
                    let listed: Vec<String> =
                        values.iter().map(|(_, v, _)| format!("`{v}`")).collect();
                    Some(format!(
                        "{}\n\nValues: {}.",
                        self.fallback_doc(ident, "enumeration"),
                        listed.join(", ")
                    ))
                });
                ItemM::Enum(EnumM {
                    name: name.clone(),
                    doc,
                    values,
                })
            }
            MetaTypeVariant::Reference(x) => {
                let inner = self.type_ref(&x.type_, 1)?;
                let target = if max_of(x.max_occurs) == Some(1) {
                    inner
                } else {
                    list_of(&inner)
                };
                ItemM::Alias(AliasM {
                    name: name.clone(),
                    doc: Some(self.alias_doc(ident, doc, &target.name)),
                    target: target.path,
                })
            }
            MetaTypeVariant::SimpleType(s) => {
                let base = self.type_ref(&s.base, 1)?;
                let target = if s.is_list { list_of(&base) } else { base };
                ItemM::Alias(AliasM {
                    name: name.clone(),
                    doc: Some(self.alias_doc(ident, doc, &target.name)),
                    target: target.path,
                })
            }
            MetaTypeVariant::Union(u) => {
                let members: Vec<String> = u
                    .types
                    .iter()
                    .map(|t| format!("`{}`", t.type_.name))
                    .collect();
                let note = format!("Union of {}: kept as its text.", members.join(", "));
                ItemM::Alias(AliasM {
                    name: name.clone(),
                    doc: Some(join_doc(doc, &note)),
                    target: quote!(String),
                })
            }
            MetaTypeVariant::BuildIn(_) => {
                let target = self.type_ref(ident, 0)?;
                ItemM::Alias(AliasM {
                    name: name.clone(),
                    doc: Some(self.alias_doc(ident, doc, &target.name)),
                    target: target.path,
                })
            }
            _ => return Err(self.err(format!("type `{}` of this kind", ident.name))),
        };
        self.items.insert(name.clone(), item);
        self.order.push(name);
        Ok(())
    }

    fn content_is_mixed(&self, c: &ComplexMeta) -> bool {
        c.content
            .as_ref()
            .and_then(|i| self.meta.items.get(i))
            .is_some_and(|t| match &t.variant {
                MetaTypeVariant::Sequence(g)
                | MetaTypeVariant::All(g)
                | MetaTypeVariant::Choice(g) => g.is_mixed,
                _ => false,
            })
    }

    fn complex(
        &mut self,
        name: &str,
        doc: Option<String>,
        c: &'a ComplexMeta,
    ) -> crate::Result<StructM> {
        let mut local = LocalNames::default();
        let mut s = StructM {
            name: name.to_owned(),
            doc,
            fields: Vec::new(),
            attrs: Vec::new(),
            any_attrs: None,
            value: None,
        };
        for a in c.attributes.iter() {
            if a.use_ == Use::Prohibited {
                continue;
            }
            match &a.variant {
                AttributeMetaVariant::Any(_) => {
                    if s.any_attrs.is_none() {
                        s.any_attrs = Some(local.field("any_attributes"));
                    }
                }
                AttributeMetaVariant::Type(t) => {
                    let ty = self.type_ref(t, 0)?;
                    if !ty.simple {
                        return Err(self.err(format!(
                            "attribute `{}` of non-simple type in `{name}`",
                            a.ident.name
                        )));
                    }
                    let xml_local = a.ident.name.as_str().to_owned();
                    let ns = if a.form == FormChoiceType::Qualified {
                        self.uri(a.ident.ns)
                    } else {
                        None
                    };
                    s.attrs.push(AttrM {
                        ident: local.field(&xml_local),
                        xml: QName {
                            ns,
                            local: xml_local,
                        },
                        ty,
                        required: a.use_ == Use::Required,
                        default: a.default.clone(),
                        doc: doc_of(&a.documentation),
                    });
                }
            }
        }
        if let Some(content) = &c.content {
            let Some(ct) = self.meta.items.get(content) else {
                return Err(crate::Error::Schema {
                    message: format!("content type `{}` is not defined", content.name),
                });
            };
            let opt = c.min_occurs == 0;
            let rep = max_of(c.max_occurs) != Some(1);
            match &ct.variant {
                MetaTypeVariant::Sequence(g) | MetaTypeVariant::All(g) => {
                    self.walk(name, g, opt, rep, &mut s.fields, &mut local)?;
                }
                MetaTypeVariant::Choice(g) => {
                    let max = if rep { None } else { Some(1) };
                    let f = self.choice_field(
                        name,
                        content,
                        g,
                        usize::from(!opt),
                        max,
                        None,
                        &mut local,
                    )?;
                    s.fields.push(f);
                }
                _ => {
                    let v = self.simple_content(content, 0)?;
                    s.value = Some((local.field("value"), v));
                }
            }
        }
        Ok(s)
    }

    fn simple_content(&mut self, ident: &TypeIdent, depth: u32) -> crate::Result<TypeRef> {
        if depth > 32 {
            return Err(self.err(format!("simple content loop at `{}`", ident.name)));
        }
        if let Some(MetaTypeVariant::ComplexType(c)) =
            self.meta.items.get(ident).map(|t| &t.variant)
        {
            return match &c.content {
                Some(inner) => self.simple_content(&inner.clone(), depth + 1),
                None => Ok(string_ref()),
            };
        }
        let t = self.type_ref(ident, 0)?;
        if t.simple {
            Ok(t)
        } else {
            Err(self.err(format!(
                "simple content of non-simple type `{}`",
                ident.name
            )))
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn walk(
        &mut self,
        owner: &str,
        g: &'a GroupMeta,
        opt: bool,
        rep: bool,
        out: &mut Vec<FieldM>,
        local: &mut LocalNames,
    ) -> crate::Result<()> {
        if g.is_mixed {
            return Err(self.err(format!("mixed content group in `{owner}`")));
        }
        for e in g.elements.iter() {
            let min = if opt { 0 } else { e.min_occurs };
            let max = if rep { None } else { max_of(e.max_occurs) };
            let doc = doc_of(&e.documentation);
            match &e.variant {
                ElementMetaVariant::Text => {
                    return Err(self.err(format!("text content in `{owner}`")))
                }
                ElementMetaVariant::Any { .. } => out.push(FieldM {
                    ident: local.field(e.display_name.as_deref().unwrap_or("any")),
                    xml: QName {
                        ns: None,
                        local: "*".to_owned(),
                    },
                    kind: FieldKind::Any,
                    item: any_element(),
                    card: card(min, max),
                    min,
                    max,
                    nillable: false,
                    doc,
                    boxed: false,
                    raw_names: Vec::new(),
                }),
                ElementMetaVariant::Type {
                    type_,
                    mode: ElementMode::Element,
                } => {
                    let xml = self.element_name(e);
                    self.note_use(type_, owner, &xml.local);
                    let item = self.type_ref(type_, 0)?;
                    let raw_names = self.substitutes(type_);
                    out.push(FieldM {
                        ident: local.field(&xml.local),
                        xml,
                        kind: FieldKind::Element,
                        item,
                        card: card(min, max),
                        min,
                        max,
                        nillable: e.nillable,
                        doc,
                        boxed: false,
                        raw_names,
                    });
                }
                ElementMetaVariant::Type {
                    type_,
                    mode: ElementMode::Group,
                } => {
                    let Some(gt) = self.meta.items.get(type_) else {
                        return Err(crate::Error::Schema {
                            message: format!("group `{}` is not defined", type_.name),
                        });
                    };
                    match &gt.variant {
                        MetaTypeVariant::Sequence(inner) | MetaTypeVariant::All(inner) => {
                            let max_here = max_of(e.max_occurs);
                            self.walk(
                                owner,
                                inner,
                                opt || e.min_occurs == 0,
                                rep || max_here != Some(1),
                                out,
                                local,
                            )?;
                        }
                        MetaTypeVariant::Choice(inner) => {
                            let f = self.choice_field(owner, type_, inner, min, max, doc, local)?;
                            out.push(f);
                        }
                        _ => return Err(self.err(format!("group `{}` in `{owner}`", type_.name))),
                    }
                }
            }
        }
        Ok(())
    }

    /// The elements of the substitution group headed by element `ident` (xsd-parser models
    /// the head as a dynamic type); they are read into the head's field as raw XML.
    fn substitutes(&self, ident: &TypeIdent) -> Vec<QName> {
        let mut cur = ident;
        for _ in 0..32 {
            match self.meta.items.get(cur).map(|t| &t.variant) {
                Some(MetaTypeVariant::Reference(x)) => cur = &x.type_,
                Some(MetaTypeVariant::Dynamic(d)) => {
                    return d
                        .derived_types
                        .iter()
                        .filter(|t| t.type_.type_ == IdentType::Element && t.type_ != *ident)
                        .map(|t| QName {
                            ns: self.uri(t.type_.ns),
                            local: t.type_.name.as_str().to_owned(),
                        })
                        .collect();
                }
                _ => break,
            }
        }
        Vec::new()
    }

    fn element_names(&self, g: &GroupMeta, out: &mut Vec<QName>, depth: u32) -> crate::Result<()> {
        if depth > 32 {
            return Err(self.err("nested groups too deep".to_owned()));
        }
        for e in g.elements.iter() {
            match &e.variant {
                ElementMetaVariant::Type {
                    mode: ElementMode::Element,
                    ..
                } => out.push(self.element_name(e)),
                ElementMetaVariant::Type {
                    type_,
                    mode: ElementMode::Group,
                } => {
                    if let Some(
                        MetaTypeVariant::Sequence(inner)
                        | MetaTypeVariant::All(inner)
                        | MetaTypeVariant::Choice(inner),
                    ) = self.meta.items.get(type_).map(|t| &t.variant)
                    {
                        self.element_names(inner, out, depth + 1)?;
                    }
                }
                ElementMetaVariant::Any { .. } | ElementMetaVariant::Text => {}
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn choice_field(
        &mut self,
        owner: &str,
        ident: &TypeIdent,
        g: &'a GroupMeta,
        min: usize,
        max: Option<usize>,
        doc: Option<String>,
        local: &mut LocalNames,
    ) -> crate::Result<FieldM> {
        let nested = g.elements.iter().any(|a| {
            matches!(
                a.variant,
                ElementMetaVariant::Type {
                    mode: ElementMode::Group,
                    ..
                } | ElementMetaVariant::Text
            )
        });
        let alt_opt = g.elements.iter().any(|a| a.min_occurs == 0);
        let alt_rep = g.elements.iter().any(|a| max_of(a.max_occurs) != Some(1));
        let min = if alt_opt { 0 } else { min };
        let max = if alt_rep { None } else { max };
        if nested {
            let mut raw_names = Vec::new();
            self.element_names(g, &mut raw_names, 0)?;
            return Ok(FieldM {
                ident: local.field("choice"),
                xml: QName {
                    ns: None,
                    local: "*".to_owned(),
                },
                kind: FieldKind::Any,
                item: any_element(),
                card: Card::Many,
                min: 0,
                max: None,
                nillable: false,
                doc: Some(join_doc(
                    doc,
                    "A choice between sequences: its elements, kept as raw XML.",
                )),
                boxed: false,
                raw_names,
            });
        }
        let name = match self.choices.get(ident) {
            Some(n) => n.clone(),
            None => {
                let name = self.claim(&format!("{owner}Choice"), false);
                self.choices.insert(ident.clone(), name.clone());
                let mut vnames = LocalNames::default();
                let mut variants = Vec::new();
                for a in g.elements.iter() {
                    let adoc = doc_of(&a.documentation);
                    match &a.variant {
                        ElementMetaVariant::Any { .. } => variants.push(VariantM {
                            ident: vnames.variant("Any"),
                            xml: None,
                            item: any_element(),
                            nillable: false,
                            boxed: false,
                            doc: adoc,
                        }),
                        ElementMetaVariant::Type { type_, .. } => {
                            let xml = self.element_name(a);
                            self.note_use(type_, owner, &xml.local);
                            let item = self.type_ref(type_, 0)?;
                            variants.push(VariantM {
                                ident: vnames.variant(&xml.local),
                                xml: Some(xml),
                                item,
                                nillable: a.nillable,
                                boxed: false,
                                doc: adoc,
                            });
                        }
                        ElementMetaVariant::Text => {}
                    }
                }
                let choice_doc = doc.clone().or_else(|| {
                    let alts: Vec<String> = variants
                        .iter()
                        .map(|v| match &v.xml {
                            Some(q) => format!("`<{}>`", q.local),
                            None => "any element".to_owned(),
                        })
                        .collect();
                    Some(format!(
                        "An `xs:choice` (first used in [`{owner}`]): one of {}.",
                        alts.join(", ")
                    ))
                });
                self.items.insert(
                    name.clone(),
                    ItemM::Choice(ChoiceM {
                        name: name.clone(),
                        doc: choice_doc,
                        variants,
                    }),
                );
                self.order.push(name.clone());
                name
            }
        };
        Ok(FieldM {
            ident: local.field("choice"),
            xml: QName {
                ns: None,
                local: "*".to_owned(),
            },
            kind: FieldKind::Group,
            item: tref(names::camel_ident(&name).into_token_stream(), &name, false),
            card: card(min, max),
            min,
            max,
            nillable: false,
            doc,
            boxed: false,
            raw_names: Vec::new(),
        })
    }
}

use quote::ToTokens as _;

fn list_of(inner: &TypeRef) -> TypeRef {
    let p = &inner.path;
    tref(
        quote!(_rt::List<#p>),
        &format!("List<{}>", inner.name),
        true,
    )
}

fn join_doc(doc: Option<String>, note: &str) -> String {
    match doc {
        Some(d) => format!("{d}\n\n{note}"),
        None => note.to_owned(),
    }
}

/// A (namespace, local name) pair.
type NsName = (Option<String>, String);

/// Global element and type names declared in the parsed schemas.
fn globals(schemas: &Schemas) -> (BTreeSet<NsName>, BTreeSet<NsName>) {
    let mut elements = BTreeSet::new();
    let mut types = BTreeSet::new();
    for (_, info) in schemas.schemas() {
        let ns = info
            .schema
            .target_namespace
            .clone()
            .filter(|s| !s.is_empty());
        for c in &info.schema.content {
            match c {
                SchemaContent::Element(e) => {
                    if let Some(n) = &e.name {
                        elements.insert((ns.clone(), n.clone()));
                    }
                }
                SchemaContent::ComplexType(t) => {
                    if let Some(n) = &t.name {
                        types.insert((ns.clone(), n.clone()));
                    }
                }
                SchemaContent::SimpleType(t) => {
                    if let Some(n) = &t.name {
                        types.insert((ns.clone(), n.clone()));
                    }
                }
                _ => {}
            }
        }
    }
    (elements, types)
}

/// Renders everything: see the module documentation.
pub(crate) fn render(
    schemas: &Schemas,
    meta: &MetaTypes,
    docs: &[SchemaDoc],
) -> crate::Result<TypesOutput> {
    let mut ns_uri = BTreeMap::new();
    let mut xs = None;
    for (id, m) in &meta.modules {
        if let Some(ns) = &m.namespace {
            let uri = String::from_utf8_lossy(ns.as_ref()).into_owned();
            if uri == XS_NS {
                xs = Some(*id);
            }
            ns_uri.insert(*id, uri);
        }
    }
    let mut r = Renderer {
        meta,
        docs,
        xs,
        ns_uri,
        assigned: BTreeMap::new(),
        used: RESERVED.iter().map(|s| (*s).to_owned()).collect(),
        queue: VecDeque::new(),
        choices: BTreeMap::new(),
        items: BTreeMap::new(),
        global_elements: BTreeSet::new(),
        order: Vec::new(),
        first_use: BTreeMap::new(),
        global_types: BTreeSet::new(),
    };
    let (global_elements, global_types) = globals(schemas);
    r.global_elements.clone_from(&global_elements);
    r.global_types.clone_from(&global_types);
    // Index the interpreter's idents by (namespace, local name, kind).
    let mut by_name: BTreeMap<(Option<String>, String, IdentType), Vec<TypeIdent>> =
        BTreeMap::new();
    for ident in meta.items.keys() {
        if ident.name.is_named() {
            let key = (r.uri(ident.ns), ident.name.as_str().to_owned(), ident.type_);
            by_name.entry(key).or_default().push(ident.clone());
        }
    }
    // 1. Global elements with anonymous types take the element's name.
    let mut element_idents = Vec::new();
    for (ns, local) in &global_elements {
        for ident in by_name
            .get(&(ns.clone(), local.clone(), IdentType::Element))
            .into_iter()
            .flatten()
        {
            element_idents.push(((ns.clone(), local.clone()), ident.clone()));
            if let Some(MetaTypeVariant::Reference(x)) = meta.items.get(ident).map(|t| &t.variant) {
                if x.type_.type_ == IdentType::ElementType {
                    if let Some(t) = meta.items.get(&x.type_) {
                        if Renderer::is_item(&t.variant) {
                            r.assign(&x.type_, local, false);
                        }
                    }
                }
            }
        }
    }
    // 2. Named global types (a clash with an element gets the `Type` suffix).
    let mut type_idents = Vec::new();
    for (ns, local) in &global_types {
        if ns.as_deref() == Some(XS_NS) {
            continue;
        }
        for ident in by_name
            .get(&(ns.clone(), local.clone(), IdentType::Type))
            .into_iter()
            .flatten()
        {
            type_idents.push(((ns.clone(), local.clone()), ident.clone()));
            if meta.items.contains_key(ident) {
                r.assign(ident, local, true);
            }
        }
    }
    // 3. Everything reachable, naming anonymous types and choices on first use.
    while let Some(ident) = r.queue.pop_front() {
        r.render_item(&ident)?;
    }
    let mut out = TypesOutput::default();
    for ((ns, local), ident) in element_idents {
        let t = r.type_ref(&ident, 0)?;
        out.elements.insert(QName { ns, local }, t);
    }
    for ((ns, local), ident) in type_idents {
        let t = r.type_ref(&ident, 0)?;
        out.types.insert(QName { ns, local }, t);
    }
    // Anything queued by the look-ups above (normally nothing).
    while let Some(ident) = r.queue.pop_front() {
        r.render_item(&ident)?;
    }
    mark_boxes(&mut r.items);
    let mut emit = Emitter::default();
    let mut tokens = TokenStream::new();
    for name in &r.order {
        if let Some(item) = r.items.get(name) {
            tokens.extend(emit.item(item, &r.items));
            if let ItemM::Struct(s) = item {
                out.structs.insert(s.name.clone(), struct_info(s));
            }
        }
    }
    tokens.extend(emit.consts());
    out.tokens = tokens;
    Ok(out)
}

/// The wire name and cardinality of a field, appended to its docs so users can match a
/// field to the carrier's documentation.
fn wire_note(f: &FieldM) -> String {
    let what = match f.kind {
        FieldKind::Element => format!("Element `<{}>`", f.xml.local),
        FieldKind::Group => "A choice of elements".to_owned(),
        FieldKind::Any => "Any element (`xs:any`), kept as raw XML".to_owned(),
        FieldKind::Value => "The text content".to_owned(),
    };
    let card = match (f.min, f.max) {
        (0, Some(1)) => ", optional",
        (1, Some(1)) => ", required",
        (_, Some(1)) => "",
        (0, _) => ", repeated (0 or more)",
        _ => ", repeated",
    };
    let nil = if f.nillable {
        ", nillable (`xsi:nil`)"
    } else {
        ""
    };
    format!("{what}{card}{nil}.")
}

fn field_type(f: &FieldM) -> TokenStream {
    let p = &f.item.path;
    let mut t = if f.nillable {
        quote!(_rt::Nillable<#p>)
    } else {
        p.clone()
    };
    if f.boxed {
        t = quote!(Box<#t>);
    }
    match f.card {
        Card::One => t,
        Card::Opt => quote!(Option<#t>),
        Card::Many => quote!(Vec<#t>),
    }
}

fn struct_info(s: &StructM) -> StructInfo {
    let to_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let mut fields: Vec<FieldInfo> = s
        .fields
        .iter()
        .map(|f| FieldInfo {
            xml: f.xml.clone(),
            ident: f.ident.clone(),
            ty: field_type(f),
            item: f.item.clone(),
            min: to_u32(f.min),
            max: f.max.map(to_u32),
            nillable: f.nillable,
            doc: f.doc.clone(),
            kind: f.kind,
        })
        .collect();
    if let Some((ident, ty)) = &s.value {
        fields.push(FieldInfo {
            xml: QName {
                ns: None,
                local: "#text".to_owned(),
            },
            ident: ident.clone(),
            ty: ty.path.clone(),
            item: ty.clone(),
            min: 1,
            max: Some(1),
            nillable: false,
            doc: None,
            kind: FieldKind::Value,
        });
    }
    StructInfo {
        fields,
        has_attributes: !s.attrs.is_empty() || s.any_attrs.is_some(),
    }
}

/// Boxes every by-value field (single or optional) whose type is in the same strongly
/// connected component as its owner, so recursive types have a finite size.
fn mark_boxes(items: &mut BTreeMap<String, ItemM>) {
    let names: Vec<String> = items.keys().cloned().collect();
    let index: BTreeMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); names.len()];
    for (i, n) in names.iter().enumerate() {
        let targets: Vec<&str> = match items.get(n) {
            Some(ItemM::Struct(s)) => s
                .fields
                .iter()
                .filter(|f| f.card != Card::Many)
                .map(|f| f.item.name.as_str())
                .collect(),
            Some(ItemM::Choice(c)) => c.variants.iter().map(|v| v.item.name.as_str()).collect(),
            _ => Vec::new(),
        };
        edges[i] = targets
            .iter()
            .filter_map(|t| index.get(t).copied())
            .collect();
    }
    let comp = tarjan(&edges);
    let same = |a: &str, b: &str| match (index.get(a), index.get(b)) {
        (Some(&x), Some(&y)) => comp[x] == comp[y] && (x != y || edges[x].contains(&x)),
        _ => false,
    };
    let mut updates: Vec<(String, Vec<bool>)> = Vec::new();
    for n in &names {
        match items.get(n) {
            Some(ItemM::Struct(s)) => {
                updates.push((
                    n.clone(),
                    s.fields
                        .iter()
                        .map(|f| f.card != Card::Many && same(n, &f.item.name))
                        .collect(),
                ));
            }
            Some(ItemM::Choice(c)) => {
                updates.push((
                    n.clone(),
                    c.variants.iter().map(|v| same(n, &v.item.name)).collect(),
                ));
            }
            _ => {}
        }
    }
    for (n, flags) in updates {
        match items.get_mut(&n) {
            Some(ItemM::Struct(s)) => s
                .fields
                .iter_mut()
                .zip(flags)
                .for_each(|(f, b)| f.boxed = b),
            Some(ItemM::Choice(c)) => c
                .variants
                .iter_mut()
                .zip(flags)
                .for_each(|(v, b)| v.boxed = b),
            _ => {}
        }
    }
}

/// Strongly connected components (iterative Tarjan): component id per node.
fn tarjan(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![usize::MAX; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut ncomp = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut ei)) = work.last_mut() {
            if *ei == 0 && index[v] == usize::MAX {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*ei) {
                *ei += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = ncomp;
                    if w == v {
                        break;
                    }
                }
                ncomp += 1;
            }
        }
    }
    comp
}

/// Emits tokens; collects namespace constants as they are used.
#[derive(Default)]
struct Emitter {
    ns: BTreeMap<String, usize>,
}

impl Emitter {
    fn ns_const(&mut self, ns: &str) -> Ident {
        let next = self.ns.len();
        let i = *self.ns.entry(ns.to_owned()).or_insert(next);
        format_ident!("NS{}", i)
    }

    fn ns_opt(&mut self, q: &QName) -> TokenStream {
        match &q.ns {
            Some(ns) => {
                let c = self.ns_const(ns);
                quote!(Some(#c))
            }
            None => quote!(None),
        }
    }

    fn name(&mut self, q: &QName) -> TokenStream {
        let local = &q.local;
        match &q.ns {
            Some(ns) => {
                let c = self.ns_const(ns);
                quote!(_rt::Name::qualified(#c, #local))
            }
            None => quote!(_rt::Name::unqualified(#local)),
        }
    }

    fn consts(&self) -> TokenStream {
        let mut by_index: Vec<(&usize, &String)> = self.ns.iter().map(|(k, v)| (v, k)).collect();
        by_index.sort();
        by_index
            .into_iter()
            .map(|(i, ns)| {
                let id = format_ident!("NS{}", i);
                let doc = format!(" Namespace `{ns}`.");
                quote!(#[doc = #doc] #[allow(dead_code)] const #id: &str = #ns;)
            })
            .collect()
    }

    fn item(&mut self, item: &ItemM, items: &BTreeMap<String, ItemM>) -> TokenStream {
        match item {
            ItemM::Struct(s) => self.structure(s, items),
            ItemM::Choice(c) => self.choice(c),
            ItemM::Enum(e) => enumeration(e),
            ItemM::Alias(a) => {
                let name = names::camel_ident(&a.name);
                let doc = crate::docs::doc_attrs(a.doc.as_deref());
                let t = &a.target;
                quote!(#doc pub type #name = #t;)
            }
        }
    }

    fn structure(&mut self, s: &StructM, items: &BTreeMap<String, ItemM>) -> TokenStream {
        let name = names::camel_ident(&s.name);
        let ty_str = s.name.as_str();
        let doc = crate::docs::doc_attrs(s.doc.as_deref());
        let all_default = s.fields.iter().all(|f| f.card != Card::One)
            && s.attrs.iter().all(|a| !a.required && a.default.is_none())
            && s.value.is_none();
        let derive_default = if all_default {
            quote!(, Default)
        } else {
            TokenStream::new()
        };
        let mut decl = Vec::new();
        let mut reads = Vec::new();
        let mut arms = Vec::new();
        let mut inits = Vec::new();
        let mut writes = Vec::new();
        let mut known_attrs = Vec::new();
        let mut attr_writes = Vec::new();
        for a in &s.attrs {
            let id = &a.ident;
            let note = format!(
                "Attribute `{}`{}.",
                a.xml.local,
                if a.required { ", required" } else { "" }
            );
            let fdoc = crate::docs::doc_attrs(Some(&join_doc(a.doc.clone(), &note)));
            let p = &a.ty.path;
            let ns = self.ns_opt(&a.xml);
            let local = &a.xml.local;
            let wname = self.name(&a.xml);
            known_attrs.push(quote!((#ns, #local)));
            if a.required {
                decl.push(quote!(#fdoc pub #id: #p,));
                reads.push(quote!(let #id = _rt::attr_req(__r, __s, #ns, #local, #ty_str)?;));
                attr_writes.push(quote!(_rt::write_attr(__w, #wname, &self.#id);));
            } else if let Some(d) = &a.default {
                let fdoc = crate::docs::doc_attrs(Some(&join_doc(
                    a.doc.clone(),
                    &format!("Default: `{d}`."),
                )));
                decl.push(quote!(#fdoc pub #id: #p,));
                reads.push(quote!(let #id = _rt::attr_or(__r, __s, #ns, #local, #d)?;));
                attr_writes.push(quote!(_rt::write_attr(__w, #wname, &self.#id);));
            } else {
                decl.push(quote!(#fdoc pub #id: Option<#p>,));
                reads.push(quote!(let #id = _rt::attr_opt(__r, __s, #ns, #local)?;));
                attr_writes.push(quote!(_rt::write_attr_opt(__w, #wname, self.#id.as_ref());));
            }
            inits.push(quote!(#id,));
        }
        if let Some(id) = &s.any_attrs {
            decl.push(quote!(#[doc = " Attributes not declared by the schema (`xs:anyAttribute`): (`{ns}name` or `name`, value)."] pub #id: Vec<(String, String)>,));
            reads.push(quote!(let #id = _rt::other_attrs(__r, __s, &[#(#known_attrs),*])?;));
            attr_writes.push(quote!(_rt::write_other_attrs(__w, &self.#id);));
            inits.push(quote!(#id,));
        }
        let mut catch_all = None;
        for f in &s.fields {
            let id = &f.ident;
            let fdoc = crate::docs::doc_attrs(Some(&join_doc(f.doc.clone(), &wire_note(f))));
            let ft = field_type(f);
            decl.push(quote!(#fdoc pub #id: #ft,));
            let init_slot = if f.card == Card::Many {
                quote!(Vec::new())
            } else {
                quote!(None)
            };
            reads.push(quote!(let mut #id = #init_slot;));
            let label = if f.kind == FieldKind::Element {
                f.xml.local.clone()
            } else {
                f.ident.to_string()
            };
            let xml_local = label.as_str();
            let init = match (f.card, f.boxed) {
                (Card::One, false) => quote!(#id: _rt::required(__r, #id, #ty_str, #xml_local)?,),
                (Card::One, true) => {
                    quote!(#id: Box::new(_rt::required(__r, #id, #ty_str, #xml_local)?),)
                }
                (Card::Opt, true) => quote!(#id: #id.map(Box::new),),
                _ => quote!(#id,),
            };
            inits.push(init);
            match f.kind {
                FieldKind::Element => {
                    let lit = Literal::byte_string(f.xml.local.as_bytes());
                    let ns = self.ns_opt(&f.xml);
                    arms.push(quote!(#lit if __r.ns_is(&__c, #ns) => _rt::read_field(__r, &__c, &mut #id),));
                    for q in &f.raw_names {
                        let lit = Literal::byte_string(q.local.as_bytes());
                        let ns = self.ns_opt(q);
                        arms.push(quote!(#lit if __r.ns_is(&__c, #ns) => _rt::read_field(__r, &__c, &mut #id),));
                    }
                    let wname = self.name(&f.xml);
                    writes.push(match (f.card, f.boxed) {
                        (Card::One, false) => quote!(_rt::write(__w, &self.#id, #wname);),
                        (Card::One, true) => quote!(_rt::write(__w, &*self.#id, #wname);),
                        (Card::Opt, false) => {
                            quote!(_rt::write_opt(__w, self.#id.as_ref(), #wname);)
                        }
                        (Card::Opt, true) => {
                            quote!(_rt::write_opt(__w, self.#id.as_deref(), #wname);)
                        }
                        (Card::Many, _) => quote!(_rt::write_all(__w, &self.#id, #wname);),
                    });
                }
                FieldKind::Any => {
                    if f.raw_names.is_empty() {
                        if catch_all.is_none() {
                            catch_all = Some(quote!(_ => _rt::read_field(__r, &__c, &mut #id),));
                        }
                    } else {
                        for q in &f.raw_names {
                            let lit = Literal::byte_string(q.local.as_bytes());
                            let ns = self.ns_opt(q);
                            arms.push(quote!(#lit if __r.ns_is(&__c, #ns) => _rt::read_field(__r, &__c, &mut #id),));
                        }
                    }
                    let any = quote!(_rt::Name::unqualified(""));
                    writes.push(match f.card {
                        Card::One => quote!(_rt::write(__w, &self.#id, #any);),
                        Card::Opt => quote!(_rt::write_opt(__w, self.#id.as_ref(), #any);),
                        Card::Many => quote!(_rt::write_all(__w, &self.#id, #any);),
                    });
                }
                FieldKind::Group => {
                    // Arms are added by the caller from the choice model (see `choice_arms`).
                    writes.push(match (f.card, f.boxed) {
                        (Card::One, false) => quote!(_rt::write_content(__w, &self.#id);),
                        (Card::One, true) => quote!(_rt::write_content(__w, &*self.#id);),
                        (Card::Opt, false) => {
                            quote!(_rt::write_content_opt(__w, self.#id.as_ref());)
                        }
                        (Card::Opt, true) => {
                            quote!(_rt::write_content_opt(__w, self.#id.as_deref());)
                        }
                        (Card::Many, _) => quote!(_rt::write_content_all(__w, &self.#id);),
                    });
                }
                FieldKind::Value => {}
            }
        }
        // Choice alternatives are read straight into the field as enum variants.
        for f in s.fields.iter().filter(|f| f.kind == FieldKind::Group) {
            let Some(ItemM::Choice(c)) = items.get(&f.item.name) else {
                continue;
            };
            let id = &f.ident;
            let cname = names::camel_ident(&c.name);
            for v in &c.variants {
                let vid = &v.ident;
                let read = if v.boxed {
                    quote!(Box::new(_rt::read(__r, &__c)?))
                } else {
                    quote!(_rt::read(__r, &__c)?)
                };
                match &v.xml {
                    Some(q) => {
                        let lit = Literal::byte_string(q.local.as_bytes());
                        let ns = self.ns_opt(q);
                        arms.push(quote!(#lit if __r.ns_is(&__c, #ns) => _rt::put(&mut #id, #cname::#vid(#read)),));
                    }
                    None => {
                        if catch_all.is_none() {
                            catch_all = Some(quote!(_ => _rt::put(&mut #id, #cname::#vid(#read)),));
                        }
                    }
                }
            }
        }
        let mut value_write = TokenStream::new();
        if let Some((id, t)) = &s.value {
            let p = &t.path;
            decl.push(quote!(#[doc = " The text content."] pub #id: #p,));
            reads.push(quote!(let #id = _rt::read_text(__r, __s)?;));
            inits.push(quote!(#id,));
            value_write = quote!(_rt::write_value(__w, &self.#id););
        } else if s.fields.is_empty() {
            reads.push(quote!(__r.skip(__s)?;));
        } else {
            let catch = catch_all.unwrap_or_else(|| quote!(_ => __r.skip(&__c),));
            reads.push(
                quote!(__r.children(__s, |__r, __c| match __c.local_name() { #(#arms)* #catch })?;),
            );
        }
        quote! {
            #doc
            #[derive(Debug, Clone, PartialEq #derive_default)]
            pub struct #name { #(#decl)* }
            impl _rt::XmlRead for #name {
                fn read_xml<'a>(__r: &mut _rt::XmlReader<'a>, __s: &_rt::Start<'a>) -> ::core::result::Result<Self, _rt::DecodeError> {
                    #(#reads)*
                    Ok(Self { #(#inits)* })
                }
            }
            impl _rt::XmlWrite for #name {
                fn write_xml(&self, __w: &mut _rt::XmlWriter, __n: _rt::Name<'_>) {
                    __w.open(__n);
                    #(#attr_writes)*
                    #value_write
                    #(#writes)*
                    __w.close(__n);
                }
            }
        }
    }

    fn choice(&mut self, c: &ChoiceM) -> TokenStream {
        let name = names::camel_ident(&c.name);
        let doc = crate::docs::doc_attrs(c.doc.as_deref());
        let mut variants = Vec::new();
        let mut writes = Vec::new();
        for v in &c.variants {
            let id = &v.ident;
            let p = &v.item.path;
            let mut t = if v.nillable {
                quote!(_rt::Nillable<#p>)
            } else {
                p.clone()
            };
            if v.boxed {
                t = quote!(Box<#t>);
            }
            let vdoc = match (&v.xml, &v.doc) {
                (Some(q), d) => crate::docs::doc_attrs(Some(&join_doc(
                    d.clone(),
                    &format!("Element `{}`.", q.local),
                ))),
                (None, _) => {
                    crate::docs::doc_attrs(Some("Any other element (`xs:any`), as raw XML."))
                }
            };
            variants.push(quote!(#vdoc #id(#t),));
            let wname = match &v.xml {
                Some(q) => self.name(q),
                None => quote!(_rt::Name::unqualified("")),
            };
            let val = if v.boxed { quote!(&**v) } else { quote!(v) };
            writes.push(quote!(Self::#id(v) => _rt::write(__w, #val, #wname),));
        }
        quote! {
            #doc
            #[derive(Debug, Clone, PartialEq)]
            pub enum #name { #(#variants)* }
            impl _rt::XmlContent for #name {
                fn write_content(&self, __w: &mut _rt::XmlWriter) {
                    match self { #(#writes)* }
                }
            }
        }
    }
}

fn enumeration(e: &EnumM) -> TokenStream {
    let name = names::camel_ident(&e.name);
    let doc = crate::docs::doc_attrs(e.doc.as_deref());
    let variants = e.values.iter().map(|(id, v, d)| {
        let vdoc = crate::docs::doc_attrs(Some(&match d {
            Some(d) => format!("`{v}`: {d}"),
            None => format!("`{v}`"),
        }));
        quote!(#vdoc #id,)
    });
    let to_str = e.values.iter().map(|(id, v, _)| quote!(Self::#id => #v,));
    let from_str = e.values.iter().map(|(id, v, _)| quote!(#v => Self::#id,));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variants)*
            /// A value this version of the schema does not list.
            Unknown(String),
        }
        impl #name {
            /// The value as written in XML.
            #[must_use]
            pub fn as_str(&self) -> &str {
                match self { #(#to_str)* Self::Unknown(v) => v }
            }
        }
        impl _rt::XmlText for #name {
            fn parse_text(s: &str) -> ::core::result::Result<Self, String> {
                Ok(match s.trim() { #(#from_str)* v => Self::Unknown(v.to_owned()) })
            }
            fn write_text(&self, out: &mut String) {
                out.push_str(self.as_str());
            }
        }
        _rt::impl_text_traits!(#name);
    }
}
