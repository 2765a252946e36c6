//! `codegen diff`: the change in the generated Rust API between two WSDL sets, classified
//! for a semver decision.
//!
//! Both sides are rendered with [`Builder::render`] (in memory, offline), each module's code is
//! parsed with `syn`, and its public API extracted ([`api_of`]): public structs (public fields
//! with their Rust type text), enums (variants with payload), type aliases, and the public
//! methods and associated consts of inherent impls (client operations, `DEFAULT_ENDPOINT`).
//! Trait impls, derives, docs and private items are not part of the comparison.
//! [`diff`] compares two such APIs into a [`Report`].
//!
//! # Matching modules
//! A module keeps its name while the service keeps its name, but DPD's new versions usually
//! come with a new service name (`DPDGeographyService` → `DPDGeography2Service`). Modules are
//! paired by the first rule that pairs them one to one, in this order ([`MatchRule`]):
//! 1. the same module name;
//! 2. a client struct name in common (`DpdCalculatorClient` on both sides);
//! 3. the same WSDL file stem (`DPDCalculatorService.wsdl`);
//! 4. the same module name once digits are removed (`dpd_geography_service` ~
//!    `dpd_geography2_service`), i.e. only a version number changed.
//!
//! A rule only pairs a name that is unique among the still unpaired modules on both sides.
//! Unpaired modules are reported as added or removed.
//!
//! # Classification
//! [`Impact::Breaking`] means code written against the old API may stop compiling (or a
//! request the server used to accept may be rejected); [`Impact::Compatible`] means it keeps
//! compiling. The calls, with the reasons:
//!
//! | change | impact |
//! |---|---|
//! | module, type, client, operation/method, const, variant, field **removed** | breaking |
//! | module or type **renamed** (a removed and an added one with identical content) | breaking (reported once, as a rename; references to it are followed) |
//! | operation/method signature or type alias target changed | breaking |
//! | field **retyped**, or its **cardinality/nillability** changed (`T` → `Option<T>`, `Option<T>` → `Vec<T>`, `T` → `Nillable<T>`) | breaking |
//! | field **added**, required | breaking (construction must set it; the server now expects it) |
//! | field **added**, optional (`Option`/`Vec`) | breaking, unless the struct is `#[non_exhaustive]`: the generated structs are plain `pub` structs, so a struct literal that lists every field stops compiling. Code that decodes responses, reads fields or builds with `..Default::default()` is unaffected; the message says so |
//! | enum variant added to an enum with an `Unknown` catch-all (generated enumerations) | compatible: the value was already representable as `Unknown(..)`; an exhaustive `match` without `_` needs one more arm |
//! | enum variant added to any other enum (fault enums, choices) | breaking unless `#[non_exhaustive]` |
//! | module, type, client, operation/method, const added | compatible |
//! | `DEFAULT_ENDPOINT` (or another const's value) changed | compatible, reported |
//!
//! [`Report::bump`] turns this into the version bump the client crate needs.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use quote::ToTokens;
use serde::Serialize;

use crate::builder::{Builder, GeneratedModule};
use crate::error::{Error, Result};

/// The public API of every module generated from one WSDL set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Api {
    /// Modules, sorted by name.
    pub modules: Vec<ModuleApi>,
}

/// The public API of one generated module.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ModuleApi {
    /// Module name.
    pub name: String,
    /// File name of the WSDL it was generated from.
    pub wsdl: String,
    /// Public types by name (nested modules as `inner::Name`).
    pub types: BTreeMap<String, TypeApi>,
}

/// One public type with its inherent public methods and consts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypeApi {
    /// What the type is.
    pub def: TypeDef,
    /// Whether it is `#[non_exhaustive]`.
    pub non_exhaustive: bool,
    /// Public inherent methods by name.
    pub methods: BTreeMap<String, Method>,
    /// Public associated consts by name: the string value for string literals, else the
    /// expression text.
    pub consts: BTreeMap<String, String>,
}

/// The shape of a public type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TypeDef {
    /// A struct with its public fields (tuple fields are named `0`, `1`, …), in order.
    Struct {
        /// Public fields.
        fields: Vec<Field>,
    },
    /// An enum with its variants, in order.
    Enum {
        /// Variants.
        variants: Vec<Variant>,
    },
    /// A type alias.
    Alias {
        /// Generic parameters as written (`<T>`), or empty.
        generics: String,
        /// The aliased type.
        target: String,
    },
}

/// A public field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    /// Rust name (raw identifiers keep `r#`).
    pub name: String,
    /// Rust type text, e.g. `Option<Vec<City>>`.
    pub ty: String,
}

/// An enum variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Variant {
    /// Variant name.
    pub name: String,
    /// Payload as written (`(WsFault)`, `{ a: T }`), empty for a unit variant.
    pub payload: String,
}

/// A public method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Method {
    /// Whether it is `async` (client operations are).
    pub is_async: bool,
    /// The receiver (`&self`, `self`), empty for associated functions.
    pub receiver: String,
    /// Parameters after the receiver: name and type text.
    pub params: Vec<Field>,
    /// Return type text (`()` when none).
    pub ret: String,
}

impl Method {
    /// `async fn name(&self, a: A) -> R`.
    #[must_use]
    pub fn signature(&self, name: &str) -> String {
        let mut params: Vec<String> = Vec::new();
        if !self.receiver.is_empty() {
            params.push(self.receiver.clone());
        }
        params.extend(self.params.iter().map(|p| format!("{}: {}", p.name, p.ty)));
        format!(
            "{}fn {name}({}) -> {}",
            if self.is_async { "async " } else { "" },
            params.join(", "),
            self.ret
        )
    }
}

impl TypeApi {
    /// A client struct: has a `DEFAULT_ENDPOINT` const or an async method.
    #[must_use]
    pub fn is_client(&self) -> bool {
        self.consts.contains_key("DEFAULT_ENDPOINT") || self.methods.values().any(|m| m.is_async)
    }

    fn kind_name(&self) -> &'static str {
        match &self.def {
            TypeDef::Struct { .. } if self.is_client() => "client",
            TypeDef::Struct { .. } => "struct",
            TypeDef::Enum { .. } => "enum",
            TypeDef::Alias { .. } => "type alias",
        }
    }
}

/// Renders every WSDL under `path` (a file or folder, as [`Builder::wsdl`]) in memory and
/// extracts the public API of each module.
///
/// # Errors
/// Anything [`Builder::render`] reports, or generated code that does not parse.
pub fn api_of(path: &Path) -> Result<Api> {
    let modules = Builder::new()
        .wsdl(path)
        .emit_rerun_if_changed(false)
        .render()?;
    api_of_modules(&modules)
}

/// The public API of already generated modules.
///
/// # Errors
/// Generated code that does not parse (a generator bug).
pub fn api_of_modules(modules: &[GeneratedModule]) -> Result<Api> {
    let mut out = Vec::new();
    for m in modules {
        let wsdl = m
            .wsdl
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.push(module_api(&m.name, &wsdl, &m.code)?);
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Api { modules: out })
}

/// The public API of one module's source code.
///
/// # Errors
/// `code` does not parse as a Rust file.
pub fn module_api(name: &str, wsdl: &str, code: &str) -> Result<ModuleApi> {
    let file = syn::parse_file(code).map_err(|e| Error::Schema {
        message: format!("generated module `{name}` does not parse: {e}"),
    })?;
    let mut api = ModuleApi {
        name: name.to_owned(),
        wsdl: wsdl.to_owned(),
        types: BTreeMap::new(),
    };
    collect_items(&file.items, "", &mut api.types);
    Ok(api)
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn non_exhaustive(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("non_exhaustive"))
}

fn collect_items(items: &[syn::Item], prefix: &str, types: &mut BTreeMap<String, TypeApi>) {
    let new_type = |def: TypeDef, attrs: &[syn::Attribute]| TypeApi {
        def,
        non_exhaustive: non_exhaustive(attrs),
        methods: BTreeMap::new(),
        consts: BTreeMap::new(),
    };
    // Impls may precede their type; collect them after the types.
    let mut impls: Vec<&syn::ItemImpl> = Vec::new();
    for item in items {
        match item {
            syn::Item::Struct(s) if is_pub(&s.vis) => {
                let fields = s
                    .fields
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| is_pub(&f.vis))
                    .map(|(i, f)| Field {
                        name: f
                            .ident
                            .as_ref()
                            .map_or_else(|| i.to_string(), ToString::to_string),
                        ty: tidy(&f.ty),
                    })
                    .collect();
                types.insert(
                    format!("{prefix}{}", s.ident),
                    new_type(TypeDef::Struct { fields }, &s.attrs),
                );
            }
            syn::Item::Enum(e) if is_pub(&e.vis) => {
                let variants = e
                    .variants
                    .iter()
                    .map(|v| Variant {
                        name: v.ident.to_string(),
                        payload: match &v.fields {
                            syn::Fields::Unit => String::new(),
                            fields => tidy(fields),
                        },
                    })
                    .collect();
                types.insert(
                    format!("{prefix}{}", e.ident),
                    new_type(TypeDef::Enum { variants }, &e.attrs),
                );
            }
            syn::Item::Type(t) if is_pub(&t.vis) => {
                let def = TypeDef::Alias {
                    generics: tidy(&t.generics),
                    target: tidy(&t.ty),
                };
                types.insert(format!("{prefix}{}", t.ident), new_type(def, &t.attrs));
            }
            syn::Item::Mod(m) if is_pub(&m.vis) => {
                if let Some((_, inner)) = &m.content {
                    collect_items(inner, &format!("{prefix}{}::", m.ident), types);
                }
            }
            syn::Item::Impl(i) if i.trait_.is_none() => impls.push(i),
            _ => {}
        }
    }
    for imp in impls {
        let syn::Type::Path(p) = &*imp.self_ty else {
            continue;
        };
        let Some(last) = p.path.segments.last() else {
            continue;
        };
        let Some(ty) = types.get_mut(&format!("{prefix}{}", last.ident)) else {
            continue;
        };
        for item in &imp.items {
            match item {
                syn::ImplItem::Fn(f) if is_pub(&f.vis) => {
                    let mut receiver = String::new();
                    let mut params = Vec::new();
                    for input in &f.sig.inputs {
                        match input {
                            syn::FnArg::Receiver(r) => receiver = tidy(r),
                            syn::FnArg::Typed(t) => params.push(Field {
                                name: tidy(&t.pat),
                                ty: tidy(&t.ty),
                            }),
                        }
                    }
                    let ret = match &f.sig.output {
                        syn::ReturnType::Default => "()".to_owned(),
                        syn::ReturnType::Type(_, t) => tidy(t),
                    };
                    let method = Method {
                        is_async: f.sig.asyncness.is_some(),
                        receiver,
                        params,
                        ret,
                    };
                    ty.methods.insert(f.sig.ident.to_string(), method);
                }
                syn::ImplItem::Const(c) if is_pub(&c.vis) => {
                    let value = match &c.expr {
                        syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(s),
                            ..
                        }) => s.value(),
                        e => tidy(e),
                    };
                    ty.consts.insert(c.ident.to_string(), value);
                }
                _ => {}
            }
        }
    }
}

/// Readable, stable text for tokens: `Option < Vec < X > >` → `Option<Vec<X>>`, with the
/// absolute std paths generated code uses (`::core::option::Option`) shortened.
fn tidy(tokens: &impl ToTokens) -> String {
    let mut s = tokens.to_token_stream().to_string();
    // Shorten absolute std paths while the tokens are still space separated
    // (`:: core :: option :: Option`), so `impl ::core::…` keeps its space.
    for (krate, module) in [
        ("core", "option"),
        ("core", "result"),
        ("core", "convert"),
        ("core", "primitive"),
        ("std", "string"),
        ("std", "vec"),
        ("std", "boxed"),
        ("std", "option"),
    ] {
        s = s.replace(&format!(":: {krate} :: {module} :: "), "");
    }
    for (from, to) in [
        (" :: ", "::"),
        (":: ", "::"),
        (" < ", "<"),
        ("< ", "<"),
        (" <", "<"),
        (" > ", "> "),
        (" >", ">"),
        (" , ", ", "),
        (" ,", ","),
        ("& '", "&'"),
        ("& ", "&"),
        ("( ", "("),
        (" )", ")"),
        ("' ", "'"),
    ] {
        while s.contains(from) {
            s = s.replace(from, to);
        }
    }
    // `> >` at the end of nested generics.
    while s.contains("> >") {
        s = s.replace("> >", ">>");
    }
    s.trim().to_owned()
}

/// How sure a change is to break users of the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    /// Code using the old API may stop compiling (or requests may be rejected).
    Breaking,
    /// Code using the old API keeps compiling.
    Compatible,
}

impl fmt::Display for Impact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Breaking => "breaking",
            Self::Compatible => "compatible",
        })
    }
}

/// What changed. Type names are the new ones where a type was renamed (with `old` beside).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ChangeKind {
    /// A module (WSDL) appeared.
    ModuleAdded,
    /// A module disappeared.
    ModuleRemoved,
    /// A module was paired with one of another name ([`MatchRule`]).
    ModuleRenamed {
        /// The old name.
        old: String,
    },
    /// A type appeared.
    TypeAdded {
        /// Its name.
        name: String,
        /// `struct`, `enum`, `client`, `type alias`.
        what: String,
    },
    /// A type disappeared.
    TypeRemoved {
        /// Its name.
        name: String,
        /// `struct`, `enum`, `client`, `type alias`.
        what: String,
    },
    /// A type disappeared and one with identical content appeared.
    TypeRenamed {
        /// The old name.
        old: String,
        /// The new name.
        new: String,
        /// `struct`, `enum`, `client`, `type alias`.
        what: String,
    },
    /// A type became another kind of type (struct → enum, …).
    TypeKindChanged {
        /// The type.
        name: String,
        /// Old kind.
        old: String,
        /// New kind.
        new: String,
    },
    /// A field appeared.
    FieldAdded {
        /// The struct.
        ty: String,
        /// The field.
        field: String,
        /// Its Rust type.
        rust_type: String,
        /// Whether it is optional (`Option`/`Vec`).
        optional: bool,
    },
    /// A field disappeared.
    FieldRemoved {
        /// The struct.
        ty: String,
        /// The field.
        field: String,
        /// Its old Rust type.
        rust_type: String,
    },
    /// A field's type changed beyond cardinality/nillability.
    FieldRetyped {
        /// The struct.
        ty: String,
        /// The field.
        field: String,
        /// Old Rust type.
        old: String,
        /// New Rust type.
        new: String,
    },
    /// A field kept its item type but changed `Option`/`Vec`/`Nillable`/`Box` wrapping.
    FieldCardinalityChanged {
        /// The struct.
        ty: String,
        /// The field.
        field: String,
        /// Old Rust type.
        old: String,
        /// New Rust type.
        new: String,
    },
    /// A variant appeared.
    VariantAdded {
        /// The enum.
        ty: String,
        /// The variant.
        variant: String,
    },
    /// A variant disappeared.
    VariantRemoved {
        /// The enum.
        ty: String,
        /// The variant.
        variant: String,
    },
    /// A variant's payload changed.
    VariantChanged {
        /// The enum.
        ty: String,
        /// The variant.
        variant: String,
        /// Old payload.
        old: String,
        /// New payload.
        new: String,
    },
    /// A type alias now stands for another type.
    AliasChanged {
        /// The alias.
        ty: String,
        /// Old target.
        old: String,
        /// New target.
        new: String,
    },
    /// An operation (async method of a client) appeared.
    OperationAdded {
        /// The client.
        client: String,
        /// The method.
        method: String,
        /// Its signature.
        signature: String,
    },
    /// An operation disappeared.
    OperationRemoved {
        /// The client.
        client: String,
        /// The method.
        method: String,
        /// Its old signature.
        signature: String,
    },
    /// An operation's parameters or result changed.
    OperationChanged {
        /// The client.
        client: String,
        /// The method.
        method: String,
        /// Old signature.
        old: String,
        /// New signature.
        new: String,
    },
    /// Another public method appeared.
    MethodAdded {
        /// The type.
        ty: String,
        /// The method.
        method: String,
        /// Its signature.
        signature: String,
    },
    /// Another public method disappeared.
    MethodRemoved {
        /// The type.
        ty: String,
        /// The method.
        method: String,
        /// Its old signature.
        signature: String,
    },
    /// Another public method changed its signature.
    MethodChanged {
        /// The type.
        ty: String,
        /// The method.
        method: String,
        /// Old signature.
        old: String,
        /// New signature.
        new: String,
    },
    /// The endpoint the WSDL declares (`DEFAULT_ENDPOINT`) changed.
    EndpointChanged {
        /// The client.
        client: String,
        /// Old address.
        old: String,
        /// New address.
        new: String,
    },
    /// An associated const appeared.
    ConstAdded {
        /// The type.
        ty: String,
        /// The const.
        name: String,
    },
    /// An associated const disappeared.
    ConstRemoved {
        /// The type.
        ty: String,
        /// The const.
        name: String,
    },
    /// Another associated const changed its value.
    ConstChanged {
        /// The type.
        ty: String,
        /// The const.
        name: String,
        /// Old value.
        old: String,
        /// New value.
        new: String,
    },
}

/// One classified change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The module (its new name; the old one for a removed module).
    pub module: String,
    /// Breaking or compatible.
    pub impact: Impact,
    /// What changed.
    #[serde(flatten)]
    pub kind: ChangeKind,
    /// One line for humans, e.g. `operation removed: DpdGeographyClient::get_terminals_self_delivery`.
    pub message: String,
}

/// Which rule paired two modules (see the [module docs](self)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchRule {
    /// Same module name.
    SameName,
    /// A client struct name in common.
    SameClient,
    /// Same WSDL file stem.
    SameWsdlStem,
    /// Same module name once digits are removed.
    SameNameWithoutVersion,
}

/// A pair of modules compared (or a module present on one side only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModulePair {
    /// Old module name.
    pub old: Option<String>,
    /// New module name.
    pub new: Option<String>,
    /// The rule that paired them (`None` when one side is missing).
    pub rule: Option<MatchRule>,
}

/// The version bump the changes call for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bump {
    /// No API change.
    None,
    /// Compatible changes only: a minor version (a patch version before 1.0).
    Minor,
    /// Breaking changes: a major version (a minor version before 1.0).
    Major,
}

/// The classified difference between two [`Api`]s.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// How modules were paired, sorted by new (then old) name.
    pub modules: Vec<ModulePair>,
    /// Every change, sorted by module, breaking first, module-level changes first, then by
    /// message.
    pub changes: Vec<Change>,
}

impl Report {
    /// Whether the APIs are identical.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Whether any change is breaking.
    #[must_use]
    pub fn has_breaking(&self) -> bool {
        self.changes.iter().any(|c| c.impact == Impact::Breaking)
    }

    /// The version bump needed.
    #[must_use]
    pub fn bump(&self) -> Bump {
        if self.has_breaking() {
            Bump::Major
        } else if self.is_empty() {
            Bump::None
        } else {
            Bump::Minor
        }
    }

    /// `(impact, message)` of every change, in report order (handy in tests).
    #[must_use]
    pub fn lines(&self) -> Vec<(Impact, String)> {
        self.changes
            .iter()
            .map(|c| (c.impact, c.message.clone()))
            .collect()
    }

    /// The report as pretty-printed JSON.
    ///
    /// # Errors
    /// Never in practice (every field serializes); kept fallible rather than panicking.
    pub fn to_json(&self) -> std::result::Result<String, serde_json::Error> {
        #[derive(Serialize)]
        struct Json<'r> {
            bump: Bump,
            breaking: usize,
            compatible: usize,
            #[serde(flatten)]
            report: &'r Report,
        }
        let breaking = self
            .changes
            .iter()
            .filter(|c| c.impact == Impact::Breaking)
            .count();
        serde_json::to_string_pretty(&Json {
            bump: self.bump(),
            breaking,
            compatible: self.changes.len() - breaking,
            report: self,
        })
    }
}

impl fmt::Display for Report {
    /// Grouped by module, breaking changes first, then a summary line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.changes.is_empty() {
            return writeln!(f, "no change in the generated API");
        }
        let mut modules: Vec<&str> = self.changes.iter().map(|c| c.module.as_str()).collect();
        modules.dedup();
        for module in modules {
            let pair = self.modules.iter().find(|p| {
                p.new.as_deref() == Some(module)
                    || (p.new.is_none() && p.old.as_deref() == Some(module))
            });
            match pair {
                Some(ModulePair {
                    old: Some(old),
                    new: Some(new),
                    ..
                }) if old != new => {
                    writeln!(f, "module {new} (was {old})")?;
                }
                _ => writeln!(f, "module {module}")?,
            }
            for impact in [Impact::Breaking, Impact::Compatible] {
                let changes: Vec<&Change> = self
                    .changes
                    .iter()
                    .filter(|c| c.module == module && c.impact == impact)
                    .collect();
                if changes.is_empty() {
                    continue;
                }
                writeln!(f, "  {impact}:")?;
                for c in changes {
                    writeln!(
                        f,
                        "    {} {}",
                        if impact == Impact::Breaking { "!" } else { "+" },
                        c.message
                    )?;
                }
            }
        }
        let breaking = self
            .changes
            .iter()
            .filter(|c| c.impact == Impact::Breaking)
            .count();
        let bump = match self.bump() {
            Bump::None => "none",
            Bump::Minor => "minor (patch before 1.0)",
            Bump::Major => "major (minor before 1.0)",
        };
        writeln!(
            f,
            "{} change(s): {breaking} breaking, {} compatible; version bump: {bump}",
            self.changes.len(),
            self.changes.len() - breaking
        )
    }
}

/// Compares two APIs (old, new). See the [module docs](self) for the rules.
#[must_use]
pub fn diff(old: &Api, new: &Api) -> Report {
    let pairs = pair_modules(old, new);
    let mut changes = Vec::new();
    for pair in &pairs {
        let o = pair
            .old
            .as_ref()
            .and_then(|n| old.modules.iter().find(|m| &m.name == n));
        let n = pair
            .new
            .as_ref()
            .and_then(|n| new.modules.iter().find(|m| &m.name == n));
        match (o, n) {
            (Some(o), Some(n)) => {
                let mut out = Out {
                    module: n.name.clone(),
                    changes: &mut changes,
                };
                if o.name != n.name {
                    out.push(
                        Impact::Breaking,
                        ChangeKind::ModuleRenamed {
                            old: o.name.clone(),
                        },
                        format!(
                            "module renamed: {} -> {} ({} -> {})",
                            o.name, n.name, o.wsdl, n.wsdl
                        ),
                    );
                }
                diff_module(o, n, &mut out);
            }
            (Some(o), None) => changes.push(Change {
                module: o.name.clone(),
                impact: Impact::Breaking,
                kind: ChangeKind::ModuleRemoved,
                message: format!("module removed: {} ({})", o.name, o.wsdl),
            }),
            (None, Some(n)) => changes.push(Change {
                module: n.name.clone(),
                impact: Impact::Compatible,
                kind: ChangeKind::ModuleAdded,
                message: format!("module added: {} ({})", n.name, n.wsdl),
            }),
            (None, None) => {}
        }
    }
    // Module-level changes head their module's group.
    let module_level = |c: &Change| {
        !matches!(
            c.kind,
            ChangeKind::ModuleAdded | ChangeKind::ModuleRemoved | ChangeKind::ModuleRenamed { .. }
        )
    };
    changes.sort_by(|a, b| {
        (&a.module, a.impact, module_level(a), &a.message).cmp(&(
            &b.module,
            b.impact,
            module_level(b),
            &b.message,
        ))
    });
    changes.dedup();
    Report {
        modules: pairs,
        changes,
    }
}

struct Out<'c> {
    module: String,
    changes: &'c mut Vec<Change>,
}

impl Out<'_> {
    fn push(&mut self, impact: Impact, kind: ChangeKind, message: String) {
        self.changes.push(Change {
            module: self.module.clone(),
            impact,
            kind,
            message,
        });
    }
}

/// The keys a matching rule compares modules by.
type KeyFn = fn(&ModuleApi) -> Vec<String>;

/// Pairs modules by the rules of the module docs, each rule one to one.
fn pair_modules(old: &Api, new: &Api) -> Vec<ModulePair> {
    let mut left: Vec<&ModuleApi> = old.modules.iter().collect();
    let mut right: Vec<&ModuleApi> = new.modules.iter().collect();
    let mut pairs = Vec::new();
    let rules: [(MatchRule, KeyFn); 4] = [
        (MatchRule::SameName, |m| vec![m.name.clone()]),
        (MatchRule::SameClient, |m| {
            m.types
                .iter()
                .filter(|(_, t)| t.is_client())
                .map(|(n, _)| n.clone())
                .collect()
        }),
        (MatchRule::SameWsdlStem, |m| {
            vec![Path::new(&m.wsdl)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()]
        }),
        (MatchRule::SameNameWithoutVersion, |m| {
            vec![m.name.chars().filter(|c| !c.is_ascii_digit()).collect()]
        }),
    ];
    for (rule, keys) in rules {
        // key → indices on each side; only keys unique on both sides pair.
        let index = |mods: &[&ModuleApi]| {
            let mut map: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            for (i, m) in mods.iter().enumerate() {
                for k in keys(m)
                    .into_iter()
                    .filter(|k| !k.is_empty())
                    .collect::<BTreeSet<_>>()
                {
                    map.entry(k).or_default().push(i);
                }
            }
            map
        };
        let (li, ri) = (index(&left), index(&right));
        let mut matched: Vec<(usize, usize)> = Vec::new();
        for (k, l) in &li {
            if let (Some(r), [l]) = (ri.get(k), l.as_slice()) {
                if let [r] = r.as_slice() {
                    if !matched.iter().any(|(a, b)| a == l || b == r) {
                        matched.push((*l, *r));
                    }
                }
            }
        }
        // Remove from the back so indices stay valid.
        matched.sort_unstable_by_key(|m| std::cmp::Reverse(m.0));
        let mut taken_right: Vec<usize> = Vec::new();
        for (l, r) in matched {
            let (Some(lm), Some(rm)) = (left.get(l), right.get(r)) else {
                continue;
            };
            pairs.push(ModulePair {
                old: Some(lm.name.clone()),
                new: Some(rm.name.clone()),
                rule: Some(rule),
            });
            left.remove(l);
            taken_right.push(r);
        }
        taken_right.sort_unstable_by_key(|r| std::cmp::Reverse(*r));
        for r in taken_right {
            right.remove(r);
        }
    }
    pairs.extend(left.iter().map(|m| ModulePair {
        old: Some(m.name.clone()),
        new: None,
        rule: None,
    }));
    pairs.extend(right.iter().map(|m| ModulePair {
        old: None,
        new: Some(m.name.clone()),
        rule: None,
    }));
    pairs.sort_by(|a, b| (&a.new, &a.old).cmp(&(&b.new, &b.old)));
    pairs
}

/// Replaces whole identifiers of `text` by their renamed names.
fn subst(text: &str, renames: &BTreeMap<String, String>) -> String {
    if renames.is_empty() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        match renames.get(word.as_str()) {
            Some(new) => out.push_str(new),
            None => out.push_str(word),
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

fn subst_method(m: &Method, renames: &BTreeMap<String, String>) -> Method {
    Method {
        is_async: m.is_async,
        receiver: m.receiver.clone(),
        params: m
            .params
            .iter()
            .map(|p| Field {
                name: p.name.clone(),
                ty: subst(&p.ty, renames),
            })
            .collect(),
        ret: subst(&m.ret, renames),
    }
}

/// Whether old type `a` (with `renames` applied) has the same content as new type `b`.
fn same_content(a: &TypeApi, b: &TypeApi, renames: &BTreeMap<String, String>) -> bool {
    let same_def = match (&a.def, &b.def) {
        (TypeDef::Struct { fields: fa }, TypeDef::Struct { fields: fb }) => {
            fa.len() == fb.len()
                && fa
                    .iter()
                    .zip(fb)
                    .all(|(x, y)| x.name == y.name && subst(&x.ty, renames) == y.ty)
        }
        (TypeDef::Enum { variants: va }, TypeDef::Enum { variants: vb }) => {
            va.len() == vb.len()
                && va
                    .iter()
                    .zip(vb)
                    .all(|(x, y)| x.name == y.name && subst(&x.payload, renames) == y.payload)
        }
        (
            TypeDef::Alias {
                generics: ga,
                target: ta,
            },
            TypeDef::Alias {
                generics: gb,
                target: tb,
            },
        ) => ga == gb && &subst(ta, renames) == tb,
        _ => false,
    };
    // A struct without public fields (a client, a marker) must also offer the same methods.
    let empty = matches!(&a.def, TypeDef::Struct { fields } if fields.is_empty());
    same_def
        && (!empty
            || (a.methods.len() == b.methods.len()
                && a.methods
                    .iter()
                    .all(|(n, m)| b.methods.get(n) == Some(&subst_method(m, renames)))))
}

/// Finds renamed types: removed and added types with identical content (references to other
/// renamed types followed), plus the single removed and single added client of a module.
fn find_renames(o: &ModuleApi, n: &ModuleApi) -> BTreeMap<String, String> {
    let removed: Vec<&String> = o
        .types
        .keys()
        .filter(|k| !n.types.contains_key(*k))
        .collect();
    let added: Vec<&String> = n
        .types
        .keys()
        .filter(|k| !o.types.contains_key(*k))
        .collect();
    let mut renames: BTreeMap<String, String> = BTreeMap::new();
    let clients = |names: &[&String], m: &ModuleApi| -> Vec<String> {
        names
            .iter()
            .filter(|k| m.types.get(**k).is_some_and(TypeApi::is_client))
            .map(|k| (*k).clone())
            .collect()
    };
    if let ([old], [new]) = (
        clients(&removed, o).as_slice(),
        clients(&added, n).as_slice(),
    ) {
        renames.insert(old.clone(), new.clone());
    }
    // Renames reveal more renames (a fault enum renamed makes its Result alias identical).
    loop {
        let taken: BTreeSet<String> = renames.values().cloned().collect();
        let mut found = None;
        'search: for r in &removed {
            if renames.contains_key(*r) {
                continue;
            }
            let Some(rt) = o.types.get(*r) else { continue };
            for a in &added {
                if taken.contains(*a) {
                    continue;
                }
                if n.types
                    .get(*a)
                    .is_some_and(|at| same_content(rt, at, &renames))
                {
                    found = Some(((*r).clone(), (*a).clone()));
                    break 'search;
                }
            }
        }
        match found {
            Some((r, a)) => {
                renames.insert(r, a);
            }
            None => break,
        }
    }
    renames
}

fn diff_module(o: &ModuleApi, n: &ModuleApi, out: &mut Out<'_>) {
    let renames = find_renames(o, n);
    let renamed_to: BTreeSet<&String> = renames.values().collect();
    for (name, ty) in &o.types {
        if n.types.contains_key(name) || renames.contains_key(name) {
            continue;
        }
        out.push(
            Impact::Breaking,
            ChangeKind::TypeRemoved {
                name: name.clone(),
                what: ty.kind_name().to_owned(),
            },
            format!("{} removed: {name}", ty.kind_name()),
        );
    }
    for (name, ty) in &n.types {
        if o.types.contains_key(name) || renamed_to.contains(name) {
            continue;
        }
        out.push(
            Impact::Compatible,
            ChangeKind::TypeAdded {
                name: name.clone(),
                what: ty.kind_name().to_owned(),
            },
            format!("{} added: {name}", ty.kind_name()),
        );
    }
    for (old_name, ot) in &o.types {
        let new_name = renames.get(old_name).unwrap_or(old_name);
        let Some(nt) = n.types.get(new_name) else {
            continue;
        };
        if new_name != old_name {
            let what = nt.kind_name().to_owned();
            out.push(
                Impact::Breaking,
                ChangeKind::TypeRenamed {
                    old: old_name.clone(),
                    new: new_name.clone(),
                    what: what.clone(),
                },
                format!("{what} renamed: {old_name} -> {new_name}"),
            );
        }
        diff_type(new_name, ot, nt, &renames, out);
    }
}

/// `Option<Vec<T>>` → `T`: the item type without cardinality/nillability wrappers.
fn core_type(ty: &str) -> &str {
    let mut t = ty;
    loop {
        let stripped = ["Option<", "Vec<", "_rt::Nillable<", "Nillable<", "Box<"]
            .iter()
            .find_map(|w| t.strip_prefix(w).and_then(|rest| rest.strip_suffix('>')));
        match stripped {
            Some(inner) => t = inner,
            None => return t,
        }
    }
}

fn is_optional(ty: &str) -> bool {
    ty.starts_with("Option<") || ty.starts_with("Vec<")
}

fn diff_type(
    name: &str,
    o: &TypeApi,
    n: &TypeApi,
    renames: &BTreeMap<String, String>,
    out: &mut Out<'_>,
) {
    match (&o.def, &n.def) {
        (TypeDef::Struct { fields: of }, TypeDef::Struct { fields: nf }) => {
            diff_fields(name, of, nf, n, renames, out)
        }
        (TypeDef::Enum { variants: ov }, TypeDef::Enum { variants: nv }) => {
            diff_variants(name, ov, nv, n, renames, out)
        }
        (
            TypeDef::Alias {
                generics: og,
                target: ot,
            },
            TypeDef::Alias {
                generics: ng,
                target: nt,
            },
        ) => {
            let old = format!("{og}{}", subst(ot, renames));
            let new = format!("{ng}{nt}");
            if old != new {
                out.push(
                    Impact::Breaking,
                    ChangeKind::AliasChanged {
                        ty: name.to_owned(),
                        old: format!("{og}{ot}"),
                        new: new.clone(),
                    },
                    format!("type alias changed: {name} = {og}{ot} -> {new}"),
                );
            }
        }
        _ => out.push(
            Impact::Breaking,
            ChangeKind::TypeKindChanged {
                name: name.to_owned(),
                old: o.kind_name().to_owned(),
                new: n.kind_name().to_owned(),
            },
            format!(
                "type kind changed: {name} was a {}, is a {}",
                o.kind_name(),
                n.kind_name()
            ),
        ),
    }
    diff_methods(name, o, n, renames, out);
    diff_consts(name, o, n, out);
}

fn diff_fields(
    name: &str,
    old: &[Field],
    new: &[Field],
    nt: &TypeApi,
    renames: &BTreeMap<String, String>,
    out: &mut Out<'_>,
) {
    for f in old {
        match new.iter().find(|g| g.name == f.name) {
            None => out.push(
                Impact::Breaking,
                ChangeKind::FieldRemoved {
                    ty: name.to_owned(),
                    field: f.name.clone(),
                    rust_type: f.ty.clone(),
                },
                format!("field removed: {name}.{}: {}", f.name, f.ty),
            ),
            Some(g) => {
                let old_ty = subst(&f.ty, renames);
                if old_ty == g.ty {
                    continue;
                }
                let (kind, what) = if core_type(&old_ty) == core_type(&g.ty) {
                    (
                        ChangeKind::FieldCardinalityChanged {
                            ty: name.to_owned(),
                            field: f.name.clone(),
                            old: f.ty.clone(),
                            new: g.ty.clone(),
                        },
                        "field cardinality/nillability changed",
                    )
                } else {
                    (
                        ChangeKind::FieldRetyped {
                            ty: name.to_owned(),
                            field: f.name.clone(),
                            old: f.ty.clone(),
                            new: g.ty.clone(),
                        },
                        "field retyped",
                    )
                };
                out.push(
                    Impact::Breaking,
                    kind,
                    format!("{what}: {name}.{}: {} -> {}", f.name, f.ty, g.ty),
                );
            }
        }
    }
    for g in new {
        if old.iter().any(|f| f.name == g.name) {
            continue;
        }
        let optional = is_optional(&g.ty);
        let (impact, note) = match (optional, nt.non_exhaustive) {
            (true, true) => (Impact::Compatible, "optional, struct is #[non_exhaustive]"),
            (true, false) => (
                Impact::Breaking,
                "optional; breaks struct literals only, not decoding, field access or `..Default::default()`",
            ),
            (false, _) => (Impact::Breaking, "required"),
        };
        out.push(
            impact,
            ChangeKind::FieldAdded {
                ty: name.to_owned(),
                field: g.name.clone(),
                rust_type: g.ty.clone(),
                optional,
            },
            format!("field added: {name}.{}: {} ({note})", g.name, g.ty),
        );
    }
}

fn diff_variants(
    name: &str,
    old: &[Variant],
    new: &[Variant],
    nt: &TypeApi,
    renames: &BTreeMap<String, String>,
    out: &mut Out<'_>,
) {
    for v in old {
        match new.iter().find(|w| w.name == v.name) {
            None => out.push(
                Impact::Breaking,
                ChangeKind::VariantRemoved {
                    ty: name.to_owned(),
                    variant: v.name.clone(),
                },
                format!("variant removed: {name}::{}", v.name),
            ),
            Some(w) if subst(&v.payload, renames) != w.payload => out.push(
                Impact::Breaking,
                ChangeKind::VariantChanged {
                    ty: name.to_owned(),
                    variant: v.name.clone(),
                    old: v.payload.clone(),
                    new: w.payload.clone(),
                },
                format!(
                    "variant changed: {name}::{}{} -> {name}::{}{}",
                    v.name, v.payload, w.name, w.payload
                ),
            ),
            Some(_) => {}
        }
    }
    let catch_all = new
        .iter()
        .any(|v| v.name == "Unknown" && !v.payload.is_empty());
    for w in new {
        if old.iter().any(|v| v.name == w.name) {
            continue;
        }
        let (impact, note) = if catch_all {
            (
                Impact::Compatible,
                " (the value was decoded as `Unknown` before)",
            )
        } else if nt.non_exhaustive {
            (Impact::Compatible, " (#[non_exhaustive] enum)")
        } else {
            (Impact::Breaking, " (exhaustive matches need a new arm)")
        };
        out.push(
            impact,
            ChangeKind::VariantAdded {
                ty: name.to_owned(),
                variant: w.name.clone(),
            },
            format!("variant added: {name}::{}{}{note}", w.name, w.payload),
        );
    }
}

fn diff_methods(
    name: &str,
    o: &TypeApi,
    n: &TypeApi,
    renames: &BTreeMap<String, String>,
    out: &mut Out<'_>,
) {
    let client = n.is_client();
    for (m, om) in &o.methods {
        let operation = client && om.is_async;
        match n.methods.get(m) {
            None => {
                let signature = om.signature(m);
                let (kind, what) = if operation {
                    (
                        ChangeKind::OperationRemoved {
                            client: name.to_owned(),
                            method: m.clone(),
                            signature,
                        },
                        "operation removed",
                    )
                } else {
                    (
                        ChangeKind::MethodRemoved {
                            ty: name.to_owned(),
                            method: m.clone(),
                            signature,
                        },
                        "method removed",
                    )
                };
                out.push(Impact::Breaking, kind, format!("{what}: {name}::{m}"));
            }
            Some(nm) if &subst_method(om, renames) != nm => {
                let (old, new) = (om.signature(m), nm.signature(m));
                let message = format!("{name}::{m}: {old} -> {new}");
                let (kind, what) = if operation {
                    (
                        ChangeKind::OperationChanged {
                            client: name.to_owned(),
                            method: m.clone(),
                            old,
                            new,
                        },
                        "operation changed",
                    )
                } else {
                    (
                        ChangeKind::MethodChanged {
                            ty: name.to_owned(),
                            method: m.clone(),
                            old,
                            new,
                        },
                        "method changed",
                    )
                };
                out.push(Impact::Breaking, kind, format!("{what}: {message}"));
            }
            Some(_) => {}
        }
    }
    for (m, nm) in &n.methods {
        if o.methods.contains_key(m) {
            continue;
        }
        let signature = nm.signature(m);
        let (kind, what) = if client && nm.is_async {
            (
                ChangeKind::OperationAdded {
                    client: name.to_owned(),
                    method: m.clone(),
                    signature,
                },
                "operation added",
            )
        } else {
            (
                ChangeKind::MethodAdded {
                    ty: name.to_owned(),
                    method: m.clone(),
                    signature,
                },
                "method added",
            )
        };
        out.push(Impact::Compatible, kind, format!("{what}: {name}::{m}"));
    }
}

fn diff_consts(name: &str, o: &TypeApi, n: &TypeApi, out: &mut Out<'_>) {
    for (c, ov) in &o.consts {
        match n.consts.get(c) {
            None => out.push(
                Impact::Breaking,
                ChangeKind::ConstRemoved {
                    ty: name.to_owned(),
                    name: c.clone(),
                },
                format!("const removed: {name}::{c}"),
            ),
            Some(nv) if nv != ov => {
                let kind = if c == "DEFAULT_ENDPOINT" {
                    ChangeKind::EndpointChanged {
                        client: name.to_owned(),
                        old: ov.clone(),
                        new: nv.clone(),
                    }
                } else {
                    ChangeKind::ConstChanged {
                        ty: name.to_owned(),
                        name: c.clone(),
                        old: ov.clone(),
                        new: nv.clone(),
                    }
                };
                let what = if c == "DEFAULT_ENDPOINT" {
                    "endpoint changed"
                } else {
                    "const changed"
                };
                out.push(
                    Impact::Compatible,
                    kind,
                    format!("{what}: {name}::{c}: {ov} -> {nv}"),
                );
            }
            Some(_) => {}
        }
    }
    for c in n.consts.keys() {
        if !o.consts.contains_key(c) {
            out.push(
                Impact::Compatible,
                ChangeKind::ConstAdded {
                    ty: name.to_owned(),
                    name: c.clone(),
                },
                format!("const added: {name}::{c}"),
            );
        }
    }
}

/// Compares the WSDL sets at two paths (files or folders).
///
/// # Errors
/// Either side fails to render (see [`api_of`]).
pub fn diff_paths(old: &Path, new: &Path) -> Result<Report> {
    Ok(diff(&api_of(old)?, &api_of(new)?))
}

/// A temporary folder removed on drop.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        // Best effort: a leftover scratch folder in the temp dir is harmless.
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn git(repo: &Path, args: &[&str]) -> Result<Vec<u8>> {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .output()
        .map_err(|source| Error::Io {
            path: PathBuf::from("git"),
            source,
        })?;
    if !output.status.success() {
        return Err(Error::Schema {
            message: format!(
                "`git {}` failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr).trim()
            ),
        });
    }
    Ok(output.stdout)
}

/// Writes the files under `path` at git revision `rev` into `dest` (same relative layout)
/// and returns where `path` ended up, or `None` when `path` does not exist at `rev`.
fn checkout(repo: &Path, rev: &str, path: &Path, dest: &Path) -> Result<Option<PathBuf>> {
    let prefix = String::from_utf8_lossy(&git(repo, &["rev-parse", "--show-prefix"])?)
        .trim()
        .to_owned();
    let spec = path.to_string_lossy().into_owned();
    let listing = git(
        repo,
        &[
            "ls-tree",
            "-r",
            "--full-name",
            "--name-only",
            rev,
            "--",
            &spec,
        ],
    )?;
    let listing = String::from_utf8_lossy(&listing).into_owned();
    if listing.trim().is_empty() {
        // Not there at this revision (a service added or removed): an empty API.
        return Ok(None);
    }
    for file in listing.lines().filter(|l| !l.is_empty()) {
        let bytes = git(repo, &["show", &format!("{rev}:{file}")])?;
        let target = dest.join(file);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|source| Error::Io {
                path: parent.to_owned(),
                source,
            })?;
        }
        std::fs::write(&target, bytes).map_err(|source| Error::Io {
            path: target.clone(),
            source,
        })?;
    }
    Ok(Some(dest.join(prefix).join(path)))
}

/// Compares `path` (a WSDL file or folder inside the git work tree at `repo`) between two
/// revisions given as `rev1..rev2`, or `rev1` alone for `rev1` against the working tree.
/// Each revision is extracted with `git show` into a temporary folder. A side where `path`
/// does not exist counts as an empty API (every module added or removed).
///
/// # Errors
/// A bad range, git failures, or either side failing to render.
pub fn diff_git(repo: &Path, range: &str, path: &Path) -> Result<Report> {
    if path.is_absolute() {
        return Err(Error::Schema {
            message: format!(
                "give `{}` relative to the repository folder",
                path.display()
            ),
        });
    }
    let (from, to) = match range.split_once("..") {
        Some((a, b)) => (a.trim(), Some(b.trim()).filter(|b| !b.is_empty())),
        None => (range.trim(), None),
    };
    if from.is_empty() || from.starts_with('-') || to.is_some_and(|t| t.starts_with('-')) {
        return Err(Error::Schema {
            message: format!("`{range}` is not a revision range `rev1..rev2`"),
        });
    }
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let scratch = Scratch(
        std::env::temp_dir().join(format!("soap-codegen-diff-{}-{stamp}", std::process::id())),
    );
    let old = checkout(repo, from, path, &scratch.0.join("old"))?;
    let new = match to {
        Some(to) => checkout(repo, to, path, &scratch.0.join("new"))?,
        None => Some(repo.join(path)).filter(|p| p.exists()),
    };
    if old.is_none() && new.is_none() {
        return Err(Error::Schema {
            message: format!(
                "`{}` exists neither at `{from}` nor at `{}`",
                path.display(),
                to.unwrap_or("the working tree")
            ),
        });
    }
    let api = |side: Option<PathBuf>| side.map_or_else(|| Ok(Api::default()), |p| api_of(&p));
    Ok(diff(&api(old)?, &api(new)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_and_core_types() {
        let ty: syn::Type =
            syn::parse_str("::core::option::Option<::std::vec::Vec<_rt::Nillable<City>>>").unwrap();
        assert_eq!(tidy(&ty), "Option<Vec<_rt::Nillable<City>>>");
        assert_eq!(core_type(&tidy(&ty)), "City");
        let ty: syn::Type = syn::parse_str("impl ::core::convert::Into<Option<Auth>>").unwrap();
        assert_eq!(tidy(&ty), "impl Into<Option<Auth>>");
        let ty: syn::Type = syn::parse_str("&'static str").unwrap();
        assert_eq!(tidy(&ty), "&'static str");
        let ty: syn::Type = syn::parse_str("Result<T, _rt::Error<F>>").unwrap();
        assert_eq!(tidy(&ty), "Result<T, _rt::Error<F>>");
    }

    #[test]
    fn subst_whole_identifiers() {
        let renames = BTreeMap::from([("City".to_owned(), "CityInfo".to_owned())]);
        assert_eq!(
            subst("Option<Vec<City>>", &renames),
            "Option<Vec<CityInfo>>"
        );
        assert_eq!(subst("Cityx<City2>", &renames), "Cityx<City2>");
    }
}
