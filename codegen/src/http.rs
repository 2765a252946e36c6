//! Client emission for WSDL 1.1 HTTP bindings (`http:binding verb="GET"|"POST"`), as zeep
//! supports them, plus the extensions documented in `wsdl/cdek/README.md`.
//!
//! - input `http:urlEncoded`: one query parameter per part, named like the part. Every part is
//!   optional (`impl Into<Option<T>>`, left out when `None`): WSDL 1.1 cannot mark a parameter
//!   optional, and real GET services treat all filters as optional.
//! - input `mime:content type="application/x-www-form-urlencoded"`: one form field per part;
//!   an element part's value is the element written as a standalone XML document.
//! - input or output `mime:content type="application/json"`: the part's element describes a
//!   JSON object (one member per child element, named by its local name); generated structs get
//!   `_rt::JsonRead`/`_rt::JsonWrite` impls.
//! - output `mime:mimeXml part=…`: the body is the part's element; for a `type=` part the root
//!   element's local name is the part name (no namespace).
//! - output `mime:content` of another type (e.g. `application/pdf`): the raw bytes (`Vec<u8>`).
//! - faults (an extension: a `wsdl:fault` of the binding operation holding `mime:mimeXml` or
//!   `mime:content`): alternative bodies recognised by kind (XML root element / JSON), never by
//!   HTTP status; decoded into the port's fault enum and returned as `_rt::Error::BindingFault`.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::client::{client_name, name_tokens, opt_lit, part_type};
use crate::docs::doc_attrs;
use crate::error::{Error, Result};
use crate::model::{HttpEncoding, Operation, Part, PartKind, Port, Protocol, QName, Service};
use crate::names;
use crate::xsd::{FieldKind, TypeRef, TypesOutput};

/// Whether a `mime:content` type is JSON (`application/json` or `…+json`).
pub(crate) fn is_json(media_type: &str) -> bool {
    let m = media_type.to_ascii_lowercase();
    m == "application/json" || m.ends_with("+json")
}

/// The root element of a `mime:mimeXml` part: the element, or for a `type=` part an
/// unqualified element named like the part.
pub(crate) fn xml_root(part: &Part) -> QName {
    match &part.kind {
        PartKind::Element(q) => q.clone(),
        PartKind::Type(_) => QName::new("", part.name.clone()),
    }
}

/// What an HTTP-binding operation answers with, resolved once for the client stage (which
/// decodes it) and the server stage (which encodes it).
pub(crate) enum Answer {
    /// No output message.
    Empty,
    /// `mime:mimeXml`: an XML document of type `ty` with root element `root`.
    Xml { ty: TypeRef, root: QName },
    /// `mime:content` JSON: a JSON object of type `ty`.
    Json { ty: TypeRef },
    /// `mime:content` of another type: the raw bytes.
    Bytes { media_type: String },
}

/// The [`Answer`] of `op`; an output encoding outside the binding's vocabulary is unsupported.
pub(crate) fn answer(op: &Operation, types: &TypesOutput) -> Result<Answer> {
    let Some(out) = op.output.as_ref() else {
        return Ok(Answer::Empty);
    };
    match out
        .http
        .clone()
        .unwrap_or(HttpEncoding::MimeXml { part: None })
    {
        HttpEncoding::MimeXml { part } => {
            let p = bound_part(&out.body, part.as_deref(), op, "XML answer")?;
            Ok(Answer::Xml {
                ty: part_type(p, op, types)?,
                root: xml_root(p),
            })
        }
        HttpEncoding::Content { media_type } if is_json(&media_type) => {
            let p = bound_part(&out.body, None, op, "JSON answer")?;
            Ok(Answer::Json {
                ty: part_type(p, op, types)?,
            })
        }
        HttpEncoding::Content { media_type } => Ok(Answer::Bytes { media_type }),
        other => Err(Error::Unsupported {
            at: op.at.clone(),
            what: format!("answer encoding {other:?} of HTTP operation `{}`", op.name),
        }),
    }
}

/// One part of a `http:urlEncoded` or form-encoded input, as both stages see it.
pub(crate) struct Param<'m> {
    /// The part; its name is the parameter's key.
    pub part: &'m Part,
    pub ty: TypeRef,
    pub ident: Ident,
    pub kind: ParamKind,
}

/// How a [`Param`] travels.
pub(crate) enum ParamKind {
    /// A form field holding this element written as a standalone XML document.
    FormXml(QName),
    /// A form field holding the value's text.
    FormText,
    /// An optional query parameter.
    Query,
}

/// The parameters of `op`'s URL-encoded (`form == false`) or form (`form == true`) input; a
/// part of complex type that is not a form's XML document is unsupported.
pub(crate) fn input_params<'m>(
    op: &'m Operation,
    types: &TypesOutput,
    form: bool,
) -> Result<Vec<Param<'m>>> {
    op.input
        .body
        .iter()
        .map(|part| {
            let ty = part_type(part, op, types)?;
            let kind = match (&part.kind, form) {
                (PartKind::Element(el), true) => ParamKind::FormXml(el.clone()),
                _ if !ty.simple => {
                    return Err(Error::Unsupported {
                        at: op.at.clone(),
                        what: format!(
                            "URL-encoded part `{}` of operation `{}` with a complex type",
                            part.name, op.name
                        ),
                    })
                }
                (_, true) => ParamKind::FormText,
                (_, false) => ParamKind::Query,
            };
            Ok(Param {
                part,
                ty,
                ident: names::snake_ident(&part.name),
                kind,
            })
        })
        .collect()
}

/// The doc text of an operation's method: its `wsdl:documentation`, then its verb and path.
pub(crate) fn operation_doc(op: &Operation, verb: &str, location: &str) -> String {
    let mut doc = op.doc.clone().unwrap_or_default();
    if !doc.is_empty() {
        doc.push_str("\n\n");
    }
    doc.push_str(&format!("HTTP `{verb} {location}`."));
    doc
}

/// The part a `mime:mimeXml`/`mime:content` names (or the message's only part).
pub(crate) fn bound_part<'m>(
    parts: &'m [Part],
    name: Option<&str>,
    op: &Operation,
    what: &str,
) -> Result<&'m Part> {
    let found = match name {
        Some(n) => parts.iter().find(|p| p.name == n),
        None => parts.first().filter(|_| parts.len() == 1),
    };
    found.ok_or_else(|| Error::Invalid {
        at: op.at.clone(),
        message: format!(
            "operation `{}`: cannot tell which part carries the {what}",
            op.name
        ),
    })
}

/// A declared fault of the port: its variant, the element it carries and how.
struct FaultVariant {
    ident: Ident,
    ty: TypeRef,
    root: QName,
    json: bool,
}

/// Renders the client of an HTTP-binding `port`.
///
/// # Errors
/// A part refers to an unknown element or type, or the binding uses an encoding this emitter
/// does not support (XML request bodies, JSON structures that are not plain member lists).
pub(crate) fn render_port(
    service: &Service,
    port: &Port,
    types: &TypesOutput,
    used: &mut BTreeSet<String>,
    json_roots: &mut BTreeSet<String>,
) -> Result<TokenStream> {
    let Protocol::Http { post } = port.binding.protocol else {
        return Ok(TokenStream::new());
    };
    let client = client_name(port, used);
    let stem = client.to_string().trim_end_matches("Client").to_owned();
    let fault = format_ident!("{}Fault", stem);
    let client_result = format_ident!("{}Result", stem);

    // Faults: one variant per distinct (element, encoding).
    let mut variants: BTreeMap<(QName, bool), FaultVariant> = BTreeMap::new();
    let mut order = Vec::new();
    for op in &port.binding.operations {
        for f in &op.faults {
            let Some(part) = &f.part else { continue };
            let json = match &f.http {
                Some(HttpEncoding::Content { media_type }) if is_json(media_type) => true,
                Some(HttpEncoding::MimeXml { .. }) | None => false,
                Some(other) => {
                    return Err(Error::Unsupported {
                        at: op.at.clone(),
                        what: format!("fault `{}` bound as {other:?}", f.name),
                    })
                }
            };
            let root = xml_root(part);
            let key = (root.clone(), json);
            if variants.contains_key(&key) {
                continue;
            }
            let ty = part_type(part, op, types)?;
            if json {
                json_roots.insert(ty.name.clone());
            }
            let mut ident = names::camel_ident(&root.local);
            if variants.values().any(|v| v.ident == ident) {
                ident = format_ident!("{}{}", ident, variants.len() + 1);
            }
            order.push(key.clone());
            variants.insert(
                key,
                FaultVariant {
                    ident,
                    ty,
                    root,
                    json,
                },
            );
        }
    }
    let (fault_ty, fault_items) = if variants.is_empty() {
        (quote!(_rt::NoDetail), TokenStream::new())
    } else {
        let defs = order.iter().filter_map(|k| variants.get(k)).map(|v| {
            let (ident, path) = (&v.ident, &v.ty.path);
            let d = if v.json {
                format!(" The JSON error body shaped by `{}`.", v.root)
            } else {
                format!(" The XML error document `{}`.", v.root)
            };
            quote!(#[doc = #d] #ident(#path),)
        });
        let doc = format!(
            " Error bodies declared by the operations of port `{}` (they replace the normal \
             answer, with any HTTP status).",
            port.name
        );
        (
            quote!(#fault),
            quote! {
                #[doc = #doc]
                #[derive(Debug, Clone, PartialEq)]
                pub enum #fault {
                    #(#defs)*
                }
            },
        )
    };

    let mut methods = TokenStream::new();
    for op in &port.binding.operations {
        methods.extend(render_operation(
            op,
            post,
            &fault_ty,
            &fault,
            &variants,
            &client_result,
            types,
            json_roots,
        )?);
    }

    let mut doc = format!(
        "Client for port `{}` of service `{}` (HTTP {}).",
        port.name,
        service.name,
        if post { "POST" } else { "GET" }
    );
    for d in [
        service.doc.as_deref(),
        port.binding.doc.as_deref(),
        port.doc.as_deref(),
    ]
    .into_iter()
    .flatten()
    {
        doc.push_str("\n\n");
        doc.push_str(d.trim());
    }
    let doc = doc_attrs(Some(&doc));
    let endpoint = match &port.address {
        Some(a) => {
            let d = format!(" The address declared in the WSDL: `{a}`.");
            quote! {
                #[doc = #d]
                pub const DEFAULT_ENDPOINT: &'static str = #a;
            }
        }
        None => TokenStream::new(),
    };
    let result_doc = format!(" Result of the operations of [`{client}`].");
    Ok(quote! {
        #fault_items

        #[doc = #result_doc]
        pub type #client_result<T> = ::core::result::Result<T, _rt::Error<#fault_ty>>;

        #doc
        #[derive(Debug, Clone)]
        pub struct #client {
            inner: _rt::HttpBindingClient,
        }

        impl #client {
            #endpoint

            /// A client for the service at `base_url` (operation locations are relative to
            /// it), over the default HTTP transport.
            pub fn new(base_url: impl ::core::convert::Into<::std::string::String>) -> Self {
                Self { inner: _rt::HttpBindingClient::new(base_url) }
            }

            /// A client over a configured [`HttpBindingClient`](_rt::HttpBindingClient)
            /// (transport, timeout).
            pub fn from_http_client(inner: _rt::HttpBindingClient) -> Self {
                Self { inner }
            }

            /// The underlying HTTP client.
            pub fn http_client(&self) -> &_rt::HttpBindingClient {
                &self.inner
            }

            #methods
        }
    })
}

#[allow(clippy::too_many_arguments)]
fn render_operation(
    op: &Operation,
    post: bool,
    fault_ty: &TokenStream,
    fault: &Ident,
    variants: &BTreeMap<(QName, bool), FaultVariant>,
    client_result: &Ident,
    types: &TypesOutput,
    json_roots: &mut BTreeSet<String>,
) -> Result<TokenStream> {
    let method = names::snake_ident(&op.name);
    let location = op.http_location.clone().unwrap_or_default();
    let unsupported = |what: String| Error::Unsupported {
        at: op.at.clone(),
        what,
    };

    // Request.
    let mut args = Vec::new();
    let mut build = TokenStream::new();
    let send;
    let encoding = op.input.http.clone().unwrap_or(HttpEncoding::UrlEncoded);
    match &encoding {
        HttpEncoding::UrlEncoded | HttpEncoding::FormUrlEncoded => {
            let form = matches!(encoding, HttpEncoding::FormUrlEncoded);
            for Param {
                part,
                ty,
                ident,
                kind,
            } in input_params(op, types, form)?
            {
                let (key, path) = (&part.name, &ty.path);
                match kind {
                    ParamKind::FormXml(el) => {
                        let root = name_tokens(&el);
                        args.push(quote!(#ident: &#path));
                        build.extend(quote!(form.push_xml(#key, #ident, #root);));
                    }
                    ParamKind::FormText => {
                        args.push(quote!(#ident: &#path));
                        build.extend(quote!(form.push_text(#key, #ident);));
                    }
                    ParamKind::Query => {
                        args.push(quote!(#ident: impl ::core::convert::Into<::core::option::Option<#path>>));
                        build.extend(quote!(form.push_opt(#key, #ident.into().as_ref());));
                    }
                }
            }
            send = if post && form {
                quote!(self.inner.post_form(#location, &form).await?)
            } else if post {
                return Err(unsupported(format!(
                    "POST operation `{}` with `http:urlEncoded` input (query string on POST)",
                    op.name
                )));
            } else {
                quote!(self.inner.get(#location, &form).await?)
            };
            build = quote! {
                #[allow(unused_mut)]
                let mut form = _rt::FormBody::new();
                #build
            };
        }
        HttpEncoding::Content { media_type } if is_json(media_type) && post => {
            let part = bound_part(&op.input.body, None, op, "JSON request")?;
            let ty = part_type(part, op, types)?;
            json_roots.insert(ty.name.clone());
            let ident = names::snake_ident(&part.name);
            let path = &ty.path;
            args.push(quote!(#ident: &#path));
            build = quote!(let json = _rt::JsonWrite::write_json(#ident););
            send = quote!(self.inner.post_json(#location, &json).await?);
        }
        other => {
            return Err(unsupported(format!(
                "request encoding {other:?} of HTTP operation `{}`",
                op.name
            )))
        }
    }

    // Answer: the declared output first, then the declared fault bodies.
    let mut arms = TokenStream::new();
    let mut fallback = None;
    let ret_ty;
    let mut expected = Vec::new();
    match answer(op, types)? {
        Answer::Empty => {
            ret_ty = quote!(());
            fallback = Some(quote!(_ => ::core::result::Result::Ok(())));
        }
        Answer::Xml { ty, root } => {
            let (path, local, ns) = (&ty.path, &root.local, opt_lit(root.ns.as_deref()));
            expected.push(format!("XML `{root}`"));
            arms.extend(quote! {
                _rt::BodyKind::Xml(root) if root == #local => _rt::read_xml_body::<#path, #fault_ty>(&resp, #ns, #local),
            });
            ret_ty = path.clone();
        }
        Answer::Json { ty } => {
            json_roots.insert(ty.name.clone());
            let path = &ty.path;
            expected.push("JSON".to_owned());
            arms.extend(quote! {
                _rt::BodyKind::Json => _rt::read_json_body::<#path, #fault_ty>(&resp),
            });
            ret_ty = path.clone();
        }
        Answer::Bytes { media_type } => {
            ret_ty = quote!(::std::vec::Vec<u8>);
            fallback = Some(quote!(_ => _rt::read_bytes_body::<#fault_ty>(&resp, #media_type)));
        }
    }
    for f in &op.faults {
        let Some(part) = &f.part else { continue };
        let json =
            matches!(&f.http, Some(HttpEncoding::Content { media_type }) if is_json(media_type));
        let Some(v) = variants.get(&(xml_root(part), json)) else {
            continue;
        };
        let (ident, path) = (&v.ident, &v.ty.path);
        if json {
            expected.push(format!("JSON `{}`", v.root.local));
            arms.extend(quote! {
                _rt::BodyKind::Json => ::core::result::Result::Err(_rt::binding_fault(
                    &resp, _rt::read_json_body::<#path, #fault_ty>, #fault::#ident)),
            });
        } else {
            let (local, ns) = (&v.root.local, opt_lit(v.root.ns.as_deref()));
            expected.push(format!("XML `{}`", v.root));
            arms.extend(quote! {
                _rt::BodyKind::Xml(root) if root == #local => ::core::result::Result::Err(_rt::binding_fault(
                    &resp, |r| _rt::read_xml_body::<#path, #fault_ty>(r, #ns, #local), #fault::#ident)),
            });
        }
    }
    let fallback = fallback.unwrap_or_else(|| {
        let msg = format!("expected {}", expected.join(" or "));
        quote!(_ => ::core::result::Result::Err(_rt::unexpected(&resp, #msg)))
    });

    let verb = if post { "POST" } else { "GET" };
    let doc = doc_attrs(Some(&operation_doc(op, verb, &location)));
    Ok(quote! {
        #doc
        ///
        /// # Errors
        /// A transport failure, a declared error body ([`BindingFault`](_rt::Error::BindingFault),
        /// whatever the HTTP status), or an answer that does not match the schema (the raw body
        /// is kept).
        pub async fn #method(&self, #(#args),*) -> #client_result<#ret_ty> {
            #build
            let resp = #send;
            match _rt::body_kind(&resp) {
                #arms
                #fallback
            }
        }
    })
}

/// `JsonRead`/`JsonWrite` impls for the structs reachable from the JSON-bound types in
/// `roots` (by Rust type name), in name order.
///
/// # Errors
/// A JSON-bound struct with attributes, choices, wildcards, simple content, nillable or
/// recursive fields: none has an agreed JSON form.
pub(crate) fn render_json_impls(
    roots: &BTreeSet<String>,
    types: &TypesOutput,
    at: &crate::model::Location,
) -> Result<TokenStream> {
    let mut seen = BTreeSet::new();
    let mut todo: Vec<String> = roots.iter().cloned().collect();
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(info) = types.structs.get(&name) {
            for f in &info.fields {
                if !f.item.simple {
                    todo.push(f.item.name.clone());
                }
            }
        }
    }
    let unsupported = |what: String| Error::Unsupported {
        at: at.clone(),
        what,
    };
    let mut out = TokenStream::new();
    for name in &seen {
        let Some(info) = types.structs.get(name) else {
            return Err(unsupported(format!(
                "JSON body type `{name}` is not a plain struct"
            )));
        };
        if info.has_attributes {
            return Err(unsupported(format!(
                "JSON body type `{name}` has XML attributes"
            )));
        }
        let ty = format_ident!("{}", name);
        let mut reads = Vec::new();
        let mut writes = Vec::new();
        for f in &info.fields {
            let boxed = f.ty.to_string().contains("Box <");
            if f.kind != FieldKind::Element || f.nillable || boxed {
                return Err(unsupported(format!(
                    "field `{}` of JSON body type `{name}` (only plain child elements map to members)",
                    f.xml.local
                )));
            }
            let (ident, key, path) = (&f.ident, &f.xml.local, &f.item.path);
            let (reader, writer) = if f.item.simple {
                let writer = match f.item.name.as_str() {
                    "String" => quote!(_rt::text_json_string::<#path>),
                    "bool" => quote!(_rt::text_json_bool),
                    _ => quote!(_rt::text_json_number::<#path>),
                };
                (quote!(_rt::json_text::<#path>), writer)
            } else {
                (
                    quote!(_rt::json_struct::<#path>),
                    quote!(_rt::json_write::<#path>),
                )
            };
            let many = f.max != Some(1) && f.max != Some(0);
            if many {
                let required = f.min > 0;
                reads.push(quote!(#ident: _rt::json_vec(__o, #key, #reader)?));
                writes.push(
                    quote!(_rt::json_put_vec(&mut __m, #key, &self.#ident, #required, #writer);),
                );
            } else if f.min == 0 {
                reads.push(quote!(#ident: _rt::json_opt(__o, #key, #reader)?));
                writes.push(
                    quote!(_rt::json_put_opt(&mut __m, #key, self.#ident.as_ref(), #writer);),
                );
            } else {
                reads.push(quote!(#ident: _rt::json_req(__o, #key, #reader)?));
                writes.push(quote!(_rt::json_put(&mut __m, #key, &self.#ident, #writer);));
            }
        }
        out.extend(quote! {
            impl _rt::JsonRead for #ty {
                fn read_json(__v: &_rt::JsonValue) -> ::core::result::Result<Self, ::std::string::String> {
                    #[allow(unused_variables)]
                    let __o = _rt::json_object(__v, #name)?;
                    ::core::result::Result::Ok(Self { #(#reads),* })
                }
            }

            impl _rt::JsonWrite for #ty {
                fn write_json(&self) -> _rt::JsonValue {
                    #[allow(unused_mut)]
                    let mut __m = _rt::JsonMap::new();
                    #(#writes)*
                    _rt::JsonValue::Object(__m)
                }
            }
        });
    }
    Ok(out)
}
