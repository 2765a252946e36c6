//! Client stage: one client struct per port, one `async fn` per operation.
//!
//! Method bodies stay short: they build the request value and make one
//! `SoapClient::call`; envelopes, headers, faults and transport live in the runtime.
//!
//! Document/literal *wrapped* operations (a request element named like the operation
//! holding the parameters, a response element holding the result) are unwrapped the way
//! CXF and zeep do it: the method takes the wrapper's fields and returns the response
//! wrapper's single field. Bare document/literal and rpc/literal operations take one
//! argument per body part.

use std::collections::BTreeSet;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use crate::docs::doc_attrs;
use crate::error::{Error, Result};
use crate::model::{Operation, Part, PartKind, Port, Protocol, QName, Service, Style};
use crate::names;
use crate::xsd::{FieldInfo, TypeRef, TypesOutput};

/// Renders the clients of every port of `service`.
///
/// # Errors
/// A part refers to an element or type the schemas do not define, or the binding uses a
/// construct the client emitter does not support.
pub fn render_service(service: &Service, types: &TypesOutput) -> Result<TokenStream> {
    let mut out = TokenStream::new();
    let mut used = BTreeSet::new();
    let mut json_roots = BTreeSet::new();
    for port in &service.ports {
        if matches!(port.binding.protocol, Protocol::Http { .. }) {
            out.extend(crate::http::render_port(
                service,
                port,
                types,
                &mut used,
                &mut json_roots,
            )?);
        } else {
            out.extend(render_port(service, port, types, &mut used)?);
        }
    }
    if !json_roots.is_empty() {
        out.extend(crate::http::render_json_impls(
            &json_roots,
            types,
            &service.at,
        )?);
    }
    Ok(out)
}

/// The Rust name of the client for `port`: `DPDGeography2Port` → `DpdGeography2Client`.
pub(crate) fn client_name(port: &Port, used: &mut BTreeSet<String>) -> Ident {
    let base = port
        .name
        .strip_suffix("Port")
        .filter(|s| !s.is_empty())
        .unwrap_or(&port.name);
    let mut name = format!("{}Client", names::camel(base));
    if !used.insert(name.clone()) {
        name = format!("{}Client", names::camel(&port.name));
        let mut n = 2;
        while !used.insert(name.clone()) {
            name = format!("{}Client{n}", names::camel(&port.name));
            n += 1;
        }
    }
    format_ident!("{}", name)
}

pub(crate) fn opt_lit(s: Option<&str>) -> TokenStream {
    match s {
        Some(s) => quote!(::core::option::Option::Some(#s)),
        None => quote!(::core::option::Option::None),
    }
}

pub(crate) fn name_tokens(q: &QName) -> TokenStream {
    let local = &q.local;
    match &q.ns {
        Some(ns) => quote!(_rt::Name::qualified(#ns, #local)),
        None => quote!(_rt::Name::unqualified(#local)),
    }
}

fn render_port(
    service: &Service,
    port: &Port,
    types: &TypesOutput,
    used: &mut BTreeSet<String>,
) -> Result<TokenStream> {
    let client = client_name(port, used);
    let stem = client.to_string().trim_end_matches("Client").to_owned();
    let fault = format_ident!("{}Fault", stem);
    let client_result = format_ident!("{}Result", stem);
    let version = match port.binding.protocol {
        Protocol::Soap11 => quote!(_rt::SoapVersion::V11),
        Protocol::Soap12 => quote!(_rt::SoapVersion::V12),
        // Rendered by `crate::http`; `render_service` never sends HTTP ports here.
        Protocol::Http { .. } => {
            return Err(Error::Unsupported {
                at: port.at.clone(),
                what: format!("HTTP binding of port `{}` in the SOAP emitter", port.name),
            })
        }
    };

    let (fault_ty, fault_items) = render_faults(port, &fault, types)?;
    let mut methods = TokenStream::new();
    for op in &port.binding.operations {
        methods.extend(render_operation(
            op,
            &fault_ty,
            &client_result,
            types,
            port.binding.port_type.ns.as_deref(),
        )?);
    }

    let mut doc = format!(
        "Client for port `{}` of service `{}` ({}).",
        port.name,
        service.name,
        match port.binding.protocol {
            Protocol::Soap11 => "SOAP 1.1",
            Protocol::Soap12 => "SOAP 1.2",
            Protocol::Http { .. } => "HTTP",
        }
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
            inner: _rt::SoapClient,
        }

        impl #client {
            #endpoint

            /// A client for the service at `endpoint`, over the default HTTP transport.
            pub fn new(endpoint: impl ::core::convert::Into<::std::string::String>) -> Self {
                Self { inner: _rt::SoapClient::new(endpoint, #version) }
            }

            /// A client over a configured [`SoapClient`](_rt::SoapClient) (transport, timeout).
            /// Its SOAP version must be the binding's.
            pub fn from_soap_client(inner: _rt::SoapClient) -> Self {
                Self { inner }
            }

            /// The underlying SOAP client.
            pub fn soap_client(&self) -> &_rt::SoapClient {
                &self.inner
            }

            #methods
        }
    })
}

/// The per-port fault detail enum: one variant per distinct declared fault element.
fn render_faults(
    port: &Port,
    fault: &Ident,
    types: &TypesOutput,
) -> Result<(TokenStream, TokenStream)> {
    let mut seen = BTreeSet::new();
    let mut variants = Vec::new();
    for op in &port.binding.operations {
        for f in &op.faults {
            let Some(part) = &f.part else { continue };
            // A fault part should name an element (WS-I); some rpc services give a type
            // instead, and the detail child is then named after the part, unqualified.
            let (el, ty, check_ns) = match &part.kind {
                PartKind::Element(el) => {
                    let ty = types.elements.get(el).ok_or_else(|| Error::Missing {
                        at: op.at.clone(),
                        kind: "element",
                        name: el.to_string(),
                    })?;
                    (el.clone(), ty.clone(), true)
                }
                PartKind::Type(q) => {
                    let ty = types.type_ref(q).ok_or_else(|| Error::Missing {
                        at: op.at.clone(),
                        kind: "type",
                        name: q.to_string(),
                    })?;
                    (QName::new("", part.name.clone()), ty, false)
                }
            };
            if !seen.insert(el.clone()) {
                continue;
            }
            variants.push((names::camel_ident(&el.local), el, ty.path.clone(), check_ns));
        }
    }
    if variants.is_empty() {
        return Ok((quote!(_rt::NoDetail), TokenStream::new()));
    }
    // Two fault elements with the same local name in different namespaces.
    let mut idents = BTreeSet::new();
    for (i, (ident, _, _, _)) in variants.iter_mut().enumerate() {
        if !idents.insert(ident.to_string()) {
            *ident = format_ident!("{}{}", ident, i + 1);
        }
    }
    let defs = variants.iter().map(|(v, el, ty, _)| {
        let d = format!(" The `{el}` fault detail.");
        quote!(#[doc = #d] #v(#ty),)
    });
    let arms = variants.iter().map(|(v, el, _, check_ns)| {
        let local = Literal::byte_string(el.local.as_bytes());
        let ns = opt_lit(el.ns.as_deref());
        let ns_check = if *check_ns { quote!(&& r.ns_is(child, #ns)) } else { TokenStream::new() };
        quote! {
            if child.local_name() == #local #ns_check {
                return _rt::XmlRead::read_xml(r, child).map(|d| ::core::option::Option::Some(Self::#v(d)));
            }
        }
    });
    let doc = format!(
        " Fault details declared by the operations of port `{}`.",
        port.name
    );
    let items = quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #fault {
            #(#defs)*
        }

        impl _rt::FaultDetail for #fault {
            fn read_detail<'a>(
                r: &mut _rt::XmlReader<'a>,
                child: &_rt::Start<'a>,
            ) -> ::core::result::Result<::core::option::Option<Self>, _rt::DecodeError> {
                #(#arms)*
                ::core::result::Result::Ok(::core::option::Option::None)
            }
        }
    };
    Ok((quote!(#fault), items))
}

/// A method parameter: name, declared type, and how the value is turned into the field.
struct Param {
    ident: Ident,
    ty: TokenStream,
    /// `impl Into<Option<T>>` for optional fields, so callers pass `value` or `None`.
    optional: bool,
}

impl Param {
    fn decl(&self) -> TokenStream {
        let (ident, ty) = (&self.ident, &self.ty);
        if self.optional {
            quote!(#ident: impl ::core::convert::Into<#ty>)
        } else {
            quote!(#ident: #ty)
        }
    }

    fn value(&self) -> TokenStream {
        let ident = &self.ident;
        if self.optional {
            quote!(#ident.into())
        } else {
            quote!(#ident)
        }
    }
}

/// The Rust type of `part`: its element's type, or the named type of a `type=` part.
pub(crate) fn part_type(part: &Part, op: &Operation, types: &TypesOutput) -> Result<TypeRef> {
    match &part.kind {
        PartKind::Element(q) => types
            .elements
            .get(q)
            .cloned()
            .ok_or_else(|| Error::Missing {
                at: op.at.clone(),
                kind: "element",
                name: q.to_string(),
            }),
        PartKind::Type(q) => types.type_ref(q).ok_or_else(|| Error::Missing {
            at: op.at.clone(),
            kind: "type",
            name: q.to_string(),
        }),
    }
}

/// Fields of the struct behind `ty` when it can be unwrapped (a plain sequence, no attributes).
fn wrapper_fields<'t>(ty: &TypeRef, types: &'t TypesOutput) -> Option<&'t [FieldInfo]> {
    let info = types.structs.get(&ty.name)?;
    (!info.has_attributes).then_some(info.fields.as_slice())
}

fn is_wrapped(op: &Operation, types: &TypesOutput) -> bool {
    if op.style != Style::Document || op.input.body.len() != 1 {
        return false;
    }
    let PartKind::Element(el) = &op.input.body[0].kind else {
        return false;
    };
    if el.local != op.name {
        return false;
    }
    let Some(ty) = types.elements.get(el) else {
        return false;
    };
    if wrapper_fields(ty, types).is_none() {
        return false;
    }
    match &op.output {
        None => true,
        Some(out) => match out.body.as_slice() {
            [] => true,
            [p] => match &p.kind {
                PartKind::Element(q) => types
                    .elements
                    .get(q)
                    .is_some_and(|t| wrapper_fields(t, types).is_some()),
                PartKind::Type(_) => false,
            },
            _ => false,
        },
    }
}

fn field_params(fields: &[FieldInfo]) -> Vec<Param> {
    fields
        .iter()
        .map(|f| Param {
            ident: f.ident.clone(),
            ty: f.ty.clone(),
            optional: f.min == 0 && f.max == Some(1),
        })
        .collect()
}

fn render_operation(
    op: &Operation,
    fault_ty: &TokenStream,
    client_result: &Ident,
    types: &TypesOutput,
    default_ns: Option<&str>,
) -> Result<TokenStream> {
    let method = names::snake_ident(&op.name);
    let op_const = names::const_ident(&format!("{}_OPERATION", names::snake(&op.name)));
    let op_name = &op.name;
    let action = opt_lit(op.soap_action.as_deref());
    let op_info = quote! {
        const #op_const: _rt::OperationInfo = _rt::OperationInfo { name: #op_name, soap_action: #action };
    };

    let (body_params, write_body, ret_ty, read_body) = if is_wrapped(op, types) {
        render_wrapped(op, types)?
    } else {
        match op.style {
            Style::Document => render_bare(op, types)?,
            Style::Rpc => render_rpc(op, types, default_ns)?,
        }
    };

    // Header parts become leading parameters, renamed `<part>_header` when a body parameter
    // has the same name (Exchange's `RequestVersion` is both).
    let taken: BTreeSet<String> = body_params.iter().map(|p| p.ident.to_string()).collect();
    let mut params: Vec<Param> = Vec::new();
    let mut write_headers = TokenStream::new();
    for h in &op.input.headers {
        let ty = part_type(h, op, types)?;
        let mut ident = names::snake_ident(&h.name);
        let mut n = 1;
        while taken.contains(&ident.to_string()) || params.iter().any(|p| p.ident == ident) {
            ident = format_ident!(
                "{}_header{}",
                names::snake(&h.name),
                if n == 1 { String::new() } else { n.to_string() }
            );
            n += 1;
        }
        let name = match &h.kind {
            PartKind::Element(q) => name_tokens(q),
            PartKind::Type(_) => {
                return Err(Error::Unsupported {
                    at: op.at.clone(),
                    what: format!("soap:header part `{}` declared with `type=`", h.name),
                })
            }
        };
        write_headers.extend(quote!(_rt::XmlWrite::write_xml(&#ident, w, #name);));
        params.push(Param {
            ident,
            ty: ty.path.clone(),
            optional: false,
        });
    }

    params.extend(body_params);
    let decls = params.iter().map(Param::decl);

    let mut doc = op.doc.clone().unwrap_or_default();
    if !doc.is_empty() {
        doc.push_str("\n\n");
    }
    doc.push_str(&format!("SOAP operation `{op_name}`."));
    if op.output.is_none() {
        doc.push_str(" One-way: no response is expected beyond the HTTP status.");
    }
    let doc = doc_attrs(Some(&doc));
    let write_headers = if write_headers.is_empty() {
        quote!(|_w: &mut _rt::XmlWriter| {})
    } else {
        quote!(|w: &mut _rt::XmlWriter| { #write_headers })
    };

    let method = quote! {
        #doc
        ///
        /// # Errors
        /// A transport failure, a SOAP fault (declared faults are decoded into the detail),
        /// or a response that does not match the schema (the raw body is kept).
        pub async fn #method(&self, #(#decls),*) -> #client_result<#ret_ty> {
            #op_info
            #write_body
            self.inner
                .call::<_, #fault_ty>(&#op_const, #write_headers, body, #read_body)
                .await
        }
    };
    Ok(method)
}

type Rendered = (Vec<Param>, TokenStream, TokenStream, TokenStream);

fn render_wrapped(op: &Operation, types: &TypesOutput) -> Result<Rendered> {
    let part = &op.input.body[0];
    let PartKind::Element(in_el) = &part.kind else {
        unreachable_part(op)?
    };
    let in_ty = part_type(part, op, types)?;
    let in_fields = wrapper_fields(&in_ty, types).unwrap_or_default();
    let params = field_params(in_fields);
    let in_path = &in_ty.path;
    let inits = params.iter().map(|p| {
        let (ident, value) = (&p.ident, p.value());
        if p.optional {
            quote!(#ident: #value)
        } else {
            quote!(#ident)
        }
    });
    let in_name = name_tokens(in_el);
    let write_body = quote! {
        let request = #in_path { #(#inits),* };
        let body = |w: &mut _rt::XmlWriter| _rt::XmlWrite::write_xml(&request, w, #in_name);
    };

    let (ret_ty, read_body) = match op.output.as_ref().and_then(|o| o.body.first()) {
        None => (
            quote!(()),
            quote!(|_r, _start| ::core::result::Result::Ok(())),
        ),
        Some(out) => {
            let PartKind::Element(out_el) = &out.kind else {
                unreachable_part(op)?
            };
            let out_ty = part_type(out, op, types)?;
            let out_fields = wrapper_fields(&out_ty, types).unwrap_or_default();
            let out_path = &out_ty.path;
            let ns = opt_lit(out_el.ns.as_deref());
            let local = &out_el.local;
            let read = quote!(_rt::expect_element::<#out_path>(r, start, #ns, #local));
            match out_fields {
                [single] => {
                    let (f, ty) = (&single.ident, &single.ty);
                    (
                        ty.clone(),
                        quote!(|r, start| #read.map(|response| response.#f)),
                    )
                }
                _ => (out_path.clone(), quote!(|r, start| #read)),
            }
        }
    };
    Ok((params, write_body, ret_ty, read_body))
}

fn unreachable_part<T>(op: &Operation) -> Result<T> {
    Err(Error::Invalid {
        at: op.at.clone(),
        message: format!("operation `{}`: wrapped part is not an element", op.name),
    })
}

/// Bare document/literal: one argument per body part, each written as its element.
fn render_bare(op: &Operation, types: &TypesOutput) -> Result<Rendered> {
    let mut params = Vec::new();
    let mut writes = TokenStream::new();
    for part in &op.input.body {
        let PartKind::Element(el) = &part.kind else {
            return Err(Error::Unsupported {
                at: op.at.clone(),
                what: format!(
                    "document-style part `{}` of operation `{}` declared with `type=` (WS-I requires `element=`)",
                    part.name, op.name
                ),
            });
        };
        let ty = part_type(part, op, types)?;
        let ident = names::snake_ident(&part.name);
        let name = name_tokens(el);
        writes.extend(quote!(_rt::XmlWrite::write_xml(&#ident, w, #name);));
        params.push(Param {
            ident,
            ty: ty.path.clone(),
            optional: false,
        });
    }
    let write_body = quote!(let body = |w: &mut _rt::XmlWriter| { #writes };);
    let (ret_ty, read_body) = match op.output.as_ref().map(|o| o.body.as_slice()) {
        None | Some([]) => (
            quote!(()),
            quote!(|_r, _start| ::core::result::Result::Ok(())),
        ),
        Some([out]) => {
            let PartKind::Element(el) = &out.kind else {
                return Err(Error::Unsupported {
                    at: op.at.clone(),
                    what: format!(
                        "document-style output part `{}` declared with `type=`",
                        out.name
                    ),
                });
            };
            let ty = part_type(out, op, types)?;
            let path = &ty.path;
            let ns = opt_lit(el.ns.as_deref());
            let local = &el.local;
            (
                path.clone(),
                quote!(|r, start| _rt::expect_element::<#path>(r, start, #ns, #local)),
            )
        }
        Some(_) => {
            return Err(Error::Unsupported {
                at: op.at.clone(),
                what: format!(
                    "document-style output of `{}` with several body parts",
                    op.name
                ),
            })
        }
    };
    Ok((params, write_body, ret_ty, read_body))
}

/// rpc/literal: the body is `{namespace}operation` holding one unqualified child per part;
/// the response is `{namespace}operationResponse` likewise.
///
/// Without `soap:body namespace` (which WS-I requires for rpc) the port type's namespace is used.
fn render_rpc(op: &Operation, types: &TypesOutput, default_ns: Option<&str>) -> Result<Rendered> {
    let default_ns = default_ns.unwrap_or_default();
    let ns = op
        .input
        .rpc_namespace
        .clone()
        .unwrap_or_else(|| default_ns.to_owned());
    let wrapper = QName::new(ns, op.name.clone());
    let wrapper_name = name_tokens(&wrapper);
    let mut params = Vec::new();
    let mut writes = TokenStream::new();
    for part in &op.input.body {
        let ty = part_type(part, op, types)?;
        let ident = names::snake_ident(&part.name);
        let name = match &part.kind {
            PartKind::Element(q) => name_tokens(q),
            PartKind::Type(_) => name_tokens(&QName::new("", part.name.clone())),
        };
        writes.extend(quote!(_rt::XmlWrite::write_xml(&#ident, w, #name);));
        params.push(Param {
            ident,
            ty: ty.path.clone(),
            optional: false,
        });
    }
    let write_body = quote! {
        let body = |w: &mut _rt::XmlWriter| {
            w.open(#wrapper_name);
            #writes
            w.close(#wrapper_name);
        };
    };

    let Some(output) = &op.output else {
        return Ok((
            params,
            write_body,
            quote!(()),
            quote!(|_r, _start| ::core::result::Result::Ok(())),
        ));
    };
    // One slot per output part; the wrapper's children are matched by local name (rpc
    // accessors are unqualified, but some servers qualify them, so the namespace is not checked).
    let op_name_lit = format!("{}Response", op.name);
    let mut slots = TokenStream::new();
    let mut arms = TokenStream::new();
    let mut results = Vec::new();
    let mut tys = Vec::new();
    for (i, part) in output.body.iter().enumerate() {
        let ty = part_type(part, op, types)?;
        let slot = format_ident!("part{}", i);
        let path = &ty.path;
        let local = match &part.kind {
            PartKind::Element(q) => q.local.clone(),
            PartKind::Type(_) => part.name.clone(),
        };
        let local_b = Literal::byte_string(local.as_bytes());
        slots.extend(
            quote!(let mut #slot: ::core::option::Option<#path> = ::core::option::Option::None;),
        );
        arms.extend(quote!(#local_b => #slot = ::core::option::Option::Some(_rt::XmlRead::read_xml(r, &child)?),));
        results.push(quote!(#slot.ok_or_else(|| r.error(_rt::DecodeErrorKind::MissingElement { ty: #op_name_lit, field: #local }))));
        tys.push(path.clone());
    }
    // A single part is returned as is (`Ok(x?)` would trip clippy::needless_question_mark).
    let (ret_ty, value) = match tys.len() {
        0 => (quote!(()), quote!(::core::result::Result::Ok(()))),
        1 => (tys[0].clone(), results[0].clone()),
        _ => (
            quote!((#(#tys),*)),
            quote!(::core::result::Result::Ok((#(#results?),*))),
        ),
    };
    let resp = QName::new(
        output
            .rpc_namespace
            .clone()
            .unwrap_or_else(|| default_ns.to_owned()),
        format!("{}Response", op.name),
    );
    let resp_ns = opt_lit(resp.ns.as_deref());
    let resp_local = &resp.local;
    let read_body = quote! {
        |r, start| {
            let start = _rt::expect_start(r, start, #resp_ns, #resp_local)?;
            #slots
            r.children(&start, |r, child| {
                match child.local_name() {
                    #arms
                    _ => r.skip(&child)?,
                }
                ::core::result::Result::Ok(())
            })?;
            #value
        }
    };
    Ok((params, write_body, ret_ty, read_body))
}
