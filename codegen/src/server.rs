//! Server stage (opt-in, [`Builder::server`](crate::Builder::server)): per SOAP port a
//! `<Port>Service` trait and a `<Port>Server<S>` dispatcher.
//!
//! Each trait method takes the decoded request *element* (for document/literal wrapped
//! operations that is the wrapper struct, e.g. `GetParcelShops { request }`) and returns the
//! response element (`GetParcelShopsResponse { return_ }`) or a
//! `ServerFault<PortFault>` (code, reason, optional typed detail from the port's fault enum).
//! Keeping whole elements, not unwrapped parameters, makes the trait a one-to-one image of
//! the wire and keeps implementations free of argument lists of twenty optional fields.
//!
//! The dispatcher implements `soap_runtime::server::SoapService`: it routes by the body's
//! first element (the SOAP action breaks ties), decodes with the generated `XmlRead`, calls
//! the trait and encodes with the generated `XmlWrite`. Mount it with
//! `soap_runtime::server::axum_router(path, Arc::new(<Port>Server::new(service)))`.
//!
//! HTTP-binding ports (`http:binding verb="GET"|"POST"`) get the same pair, with the
//! conventions of the client stage (`http.rs`) mirrored so the generated client and server
//! agree: the dispatcher implements `soap_runtime::server::HttpService`, routes by operation
//! location and verb, and decodes
//! - `http:urlEncoded` parts from the query string into a `<Op>Params` struct of optional
//!   fields (every part is optional, as on the client);
//! - a form (`application/x-www-form-urlencoded`) with one element part: the field's XML
//!   document, passed as the element (other form shapes: a `<Op>Params` struct of required
//!   fields);
//! - a JSON body through the generated `JsonRead`.
//!
//! Answers are written as the bound `mime:mimeXml` document (a `type=` part's root is the
//! part name), JSON, or raw bytes of the declared media type (`Vec<u8>`). Methods return
//! `HttpFault<PortFault>`: a status plus one of the declared fault bodies (or plain text).
//! Requests that do not decode go to the trait's `invalid_request` (default: 400 text).
//! Mount with `soap_runtime::server::axum_http_router(base, Arc::new(<Port>Server::new(..)))`.
//!
//! Supported: document-style operations whose input and output are each at most one
//! `element=` part. Other operations (rpc style, `type=` parts, several parts) are left out of
//! the trait, listed in its documentation; requests for them get a `Client` fault.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::client::{name_tokens, opt_lit, part_type};
use crate::error::{Error, Result};
use crate::http::{
    answer, bound_part, input_params, is_json, operation_doc, xml_root, Answer, Param, ParamKind,
};
use crate::model::{HttpEncoding, Operation, PartKind, Port, Protocol, QName, Service, Style};
use crate::names;
use crate::xsd::TypesOutput;

/// Renders the server traits and dispatchers of every SOAP port of `service`.
///
/// # Errors
/// A part or fault refers to an element the schemas do not define.
pub fn render_service(service: &Service, types: &TypesOutput) -> Result<TokenStream> {
    let mut out = TokenStream::new();
    let mut used = BTreeSet::new();
    for port in &service.ports {
        // The same naming as the client stage, so `<stem>Fault` names the client's enum.
        let stem = port_stem(port, &mut used);
        if let Protocol::Http { post } = port.binding.protocol {
            out.extend(render_http_port(service, port, &stem, post, types)?);
        } else {
            out.extend(render_port(service, port, &stem, types)?);
        }
    }
    Ok(out)
}

/// The client stage's naming without its `Client` suffix: `DPDGeography2Port` → `DpdGeography2`,
/// so the server side shares the client's `<stem>Fault` enum.
fn port_stem(port: &Port, used: &mut BTreeSet<String>) -> String {
    let client = crate::client::client_name(port, used).to_string();
    client.replacen("Client", "", 1)
}

/// The single `element=` part of a message body, `None` for an empty body; `Err(())` when
/// the shape is not served.
fn single_element(parts: &[crate::model::Part]) -> std::result::Result<Option<&QName>, ()> {
    match parts {
        [] => Ok(None),
        [p] => match &p.kind {
            PartKind::Element(q) => Ok(Some(q)),
            PartKind::Type(_) => Err(()),
        },
        _ => Err(()),
    }
}

/// What the dispatcher needs per served operation.
struct Served<'a> {
    input: &'a QName,
    output: Option<&'a QName>,
}

fn served(op: &Operation) -> Option<Served<'_>> {
    if op.style != Style::Document {
        return None;
    }
    let input = single_element(&op.input.body).ok()??;
    let output = match &op.output {
        None => None,
        Some(m) => single_element(&m.body).ok()?,
    };
    Some(Served { input, output })
}

/// The fault enum variants the client stage generated for `port`: (variant, element).
fn fault_variants(port: &Port) -> Vec<(Ident, QName)> {
    let mut seen = BTreeSet::new();
    let mut variants = Vec::new();
    for op in &port.binding.operations {
        for f in &op.faults {
            let Some(part) = &f.part else { continue };
            let PartKind::Element(el) = &part.kind else {
                continue;
            };
            if seen.insert(el.clone()) {
                variants.push((names::camel_ident(&el.local), el.clone()));
            }
        }
    }
    let mut idents = BTreeSet::new();
    for (i, (ident, _)) in variants.iter_mut().enumerate() {
        if !idents.insert(ident.to_string()) {
            *ident = format_ident!("{}{}", ident, i + 1);
        }
    }
    variants
}

fn render_port(
    service: &Service,
    port: &Port,
    stem: &str,
    types: &TypesOutput,
) -> Result<TokenStream> {
    let trait_name = format_ident!("{}Service", stem);
    let server_name = format_ident!("{}Server", stem);
    let variants = fault_variants(port);
    let (fault_ty, fault_write) = if variants.is_empty() {
        (quote!(_rt::NoDetail), TokenStream::new())
    } else {
        let fault = format_ident!("{}Fault", stem);
        let arms = variants.iter().map(|(v, el)| {
            let name = name_tokens(el);
            quote!(Self::#v(d) => _rt::XmlWrite::write_xml(d, w, #name),)
        });
        (
            quote!(#fault),
            quote! {
                impl _rt::FaultDetailWrite for #fault {
                    fn write_detail(&self, w: &mut _rt::XmlWriter) {
                        match self {
                            #(#arms)*
                        }
                    }
                }
            },
        )
    };

    let mut methods = TokenStream::new();
    let mut routes = Vec::new();
    let mut arms = TokenStream::new();
    let mut skipped = Vec::new();
    for op in &port.binding.operations {
        let Some(s) = served(op) else {
            skipped.push(op.name.clone());
            continue;
        };
        let method = names::snake_ident(&op.name);
        let lookup = |q: &QName| {
            types.elements.get(q).ok_or_else(|| Error::Missing {
                at: op.at.clone(),
                kind: "element",
                name: q.to_string(),
            })
        };
        let in_ty = &lookup(s.input)?.path;
        let (out_ty, write_out) = match s.output {
            Some(q) => {
                let ty = &lookup(q)?.path;
                let name = name_tokens(q);
                (
                    quote!(#ty),
                    quote!(_rt::soap_response(version, |w| _rt::XmlWrite::write_xml(&output, w, #name))),
                )
            }
            None => (
                quote!(()),
                quote!({
                    let () = output;
                    _rt::soap_response(version, |_| {})
                }),
            ),
        };
        let mut doc = op.doc.clone().unwrap_or_default();
        if !doc.is_empty() {
            doc.push_str("\n\n");
        }
        doc.push_str(&format!("SOAP operation `{}`.", op.name));
        let doc_attrs = crate::docs::doc_attrs(Some(&doc));
        methods.extend(quote! {
            #doc_attrs
            fn #method(
                &self,
                request: #in_ty,
            ) -> impl ::core::future::Future<
                Output = ::core::result::Result<#out_ty, _rt::ServerFault<#fault_ty>>,
            > + ::core::marker::Send;
        });
        let index = routes.len();
        let (op_name, ns, local, action) = (
            &op.name,
            opt_lit(s.input.ns.as_deref()),
            &s.input.local,
            opt_lit(op.soap_action.as_deref().filter(|a| !a.is_empty())),
        );
        routes.push(quote! {
            _rt::OperationRoute { name: #op_name, ns: #ns, local: #local, soap_action: #action }
        });
        arms.extend(quote! {
            #index => {
                let input = match _rt::decode_request(&request, version, |r, start| {
                    _rt::expect_element::<#in_ty>(r, start, #ns, #local)
                }) {
                    ::core::result::Result::Ok(v) => v,
                    ::core::result::Result::Err(response) => return response,
                };
                match self.service.#method(input).await {
                    ::core::result::Result::Ok(output) => #write_out,
                    ::core::result::Result::Err(fault) => _rt::fault_response(version, &fault),
                }
            }
        });
    }

    let mut trait_doc = format!(
        " Server side of port `{}` of service `{}`: implement it and serve it with [`{server_name}`].\n\n\
         One method per operation, taking the request element and returning the response element\n\
         or a fault.",
        port.name, service.name
    );
    if !skipped.is_empty() {
        trait_doc.push_str(&format!(
            "\n\nNot served (rpc style or several/`type=` parts): `{}`.",
            skipped.join("`, `")
        ));
    }
    // Each doc line needs its leading space to render as `/// text`.
    let trait_doc = trait_doc.lines().map(|l| {
        let l = if l.is_empty() || l.starts_with(' ') {
            l.to_owned()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #l])
    });
    let server_doc = format!(
        " Dispatcher of port `{}`: routes SOAP 1.1/1.2 requests to a [`{trait_name}`].",
        port.name
    );
    let handle_body = if routes.is_empty() {
        quote! {
            let _ = &self.service;
            let version = match _rt::route_request(&request, &[]) {
                ::core::result::Result::Ok((version, _)) => version,
                ::core::result::Result::Err(response) => return response,
            };
            _rt::fault_response::<_rt::NoDetail>(version, &_rt::ServerFault::client("no operation is served"))
        }
    } else {
        quote! {
            let (version, index) = match _rt::route_request(&request, Self::ROUTES) {
                ::core::result::Result::Ok(v) => v,
                ::core::result::Result::Err(response) => return response,
            };
            match index {
                #arms
                _ => _rt::fault_response::<_rt::NoDetail>(
                    version,
                    &_rt::ServerFault::server("operation index out of range"),
                ),
            }
        }
    };

    let dispatcher = dispatcher(
        &server_name,
        &trait_name,
        &server_doc,
        " The operations served: request element and SOAP action of each.",
        quote!(_rt::OperationRoute),
        &routes,
    );
    Ok(quote! {
        #fault_write

        #(#trait_doc)*
        pub trait #trait_name: ::core::marker::Send + ::core::marker::Sync + 'static {
            #methods
        }

        #dispatcher

        impl<S: #trait_name> _rt::SoapService for #server_name<S> {
            fn handle(
                &self,
                request: _rt::ServerRequest,
            ) -> _rt::ServiceFuture<'_, _rt::ServerResponse> {
                ::std::boxed::Box::pin(async move { #handle_body })
            }
        }
    })
}

// ---------------------------------------------------------------------------------------
// HTTP bindings
// ---------------------------------------------------------------------------------------

/// A declared fault body of an HTTP port, as the client stage names its enum variant.
struct HttpFaultVariant {
    ident: Ident,
    root: QName,
    json: bool,
}

/// The client stage's fault variants, in its order: one per distinct (root, JSON or XML).
fn http_fault_variants(port: &Port) -> Vec<HttpFaultVariant> {
    let mut out: Vec<HttpFaultVariant> = Vec::new();
    for op in &port.binding.operations {
        for f in &op.faults {
            let Some(part) = &f.part else { continue };
            let json = matches!(&f.http, Some(HttpEncoding::Content { media_type }) if is_json(media_type));
            let root = xml_root(part);
            if out.iter().any(|v| v.root == root && v.json == json) {
                continue;
            }
            let mut ident = names::camel_ident(&root.local);
            if out.iter().any(|v| v.ident == ident) {
                ident = format_ident!("{}{}", ident, out.len() + 1);
            }
            out.push(HttpFaultVariant { ident, root, json });
        }
    }
    out
}

/// A free Rust type name for the parameters struct of `op`.
fn params_name(op: &Operation, types: &TypesOutput, taken: &mut BTreeSet<String>) -> Ident {
    let base = format!("{}Params", names::camel(&op.name));
    let mut name = base.clone();
    let mut n = 2;
    while types.structs.contains_key(&name) || !taken.insert(name.clone()) {
        name = format!("{base}{n}");
        n += 1;
    }
    format_ident!("{}", name)
}

/// Renders the trait and dispatcher of an HTTP-binding port.
fn render_http_port(
    service: &Service,
    port: &Port,
    stem: &str,
    post: bool,
    types: &TypesOutput,
) -> Result<TokenStream> {
    let trait_name = format_ident!("{}Service", stem);
    let server_name = format_ident!("{}Server", stem);
    let variants = http_fault_variants(port);
    let (fault_ty, fault_write) = if variants.is_empty() {
        (quote!(_rt::NoDetail), TokenStream::new())
    } else {
        let fault = format_ident!("{}Fault", stem);
        let arms = variants.iter().map(|v| {
            let ident = &v.ident;
            if v.json {
                quote!(Self::#ident(d) => _rt::json_fault_body(d),)
            } else {
                let name = name_tokens(&v.root);
                quote!(Self::#ident(d) => _rt::xml_fault_body(d, #name),)
            }
        });
        (
            quote!(#fault),
            quote! {
                impl _rt::HttpFaultWrite for #fault {
                    fn write_fault(&self) -> (::std::string::String, ::std::vec::Vec<u8>) {
                        match self {
                            #(#arms)*
                        }
                    }
                }
            },
        )
    };
    let verb = if post {
        quote!(_rt::HttpVerb::Post)
    } else {
        quote!(_rt::HttpVerb::Get)
    };
    let verb_text = if post { "POST" } else { "GET" };

    let mut items = TokenStream::new();
    let mut methods = TokenStream::new();
    let mut routes = Vec::new();
    let mut arms = TokenStream::new();
    let mut taken = BTreeSet::new();
    for op in &port.binding.operations {
        let method = names::snake_ident(&op.name);
        let op_name = &op.name;
        let location = op.http_location.clone().unwrap_or_default();
        let unsupported = |what: String| Error::Unsupported {
            at: op.at.clone(),
            what,
        };

        // Request: the method's argument (if any) and how the dispatcher decodes it.
        let encoding = op.input.http.clone().unwrap_or(HttpEncoding::UrlEncoded);
        let (arg, decode): (Option<TokenStream>, TokenStream) = match &encoding {
            HttpEncoding::FormUrlEncoded if matches!(op.input.body.as_slice(), [p] if matches!(p.kind, PartKind::Element(_))) =>
            {
                let part = bound_part(&op.input.body, None, op, "form field")?;
                let ty = part_type(part, op, types)?;
                let root = xml_root(part);
                let (path, key, ns, local) = (
                    &ty.path,
                    &part.name,
                    opt_lit(root.ns.as_deref()),
                    &root.local,
                );
                (
                    Some(quote!(#path)),
                    quote!(_rt::form_xml::<#path>(&request, #op_name, #key, #ns, #local)),
                )
            }
            HttpEncoding::UrlEncoded | HttpEncoding::FormUrlEncoded => {
                let form = matches!(encoding, HttpEncoding::FormUrlEncoded);
                if op.input.body.is_empty() {
                    (None, TokenStream::new())
                } else {
                    let params = params_name(op, types, &mut taken);
                    let mut fields = Vec::new();
                    let mut reads = Vec::new();
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
                                let (ns, local) = (opt_lit(el.ns.as_deref()), &el.local);
                                let d = format!(" Form field `{key}`: the XML document `{el}`.");
                                fields.push(quote!(#[doc = #d] pub #ident: #path,));
                                reads.push(quote!(#ident: _rt::form_xml::<#path>(request, #op_name, #key, #ns, #local)?,));
                            }
                            ParamKind::FormText => {
                                let d = format!(" Form field `{key}`.");
                                fields.push(quote!(#[doc = #d] pub #ident: #path,));
                                reads.push(quote!(#ident: _rt::form_text::<#path>(request, #op_name, #key)?,));
                            }
                            ParamKind::Query => {
                                let d = format!(" Query parameter `{key}` (optional).");
                                fields.push(
                                    quote!(#[doc = #d] pub #ident: ::core::option::Option<#path>,),
                                );
                                reads.push(quote!(#ident: _rt::query_param::<#path>(request, #op_name, #key)?,));
                            }
                        }
                    }
                    let d = format!(
                        " The {} of HTTP operation `{}` (`{verb_text} {location}`).",
                        if form {
                            "form fields"
                        } else {
                            "query parameters"
                        },
                        op.name
                    );
                    let derive = if form {
                        quote!(#[derive(Debug, Clone, PartialEq)])
                    } else {
                        quote!(#[derive(Debug, Clone, Default, PartialEq)])
                    };
                    items.extend(quote! {
                        #[doc = #d]
                        #derive
                        pub struct #params {
                            #(#fields)*
                        }

                        impl #params {
                            /// Decodes the parameters from `request`.
                            ///
                            /// # Errors
                            /// A parameter that does not parse, or a missing form field.
                            pub fn from_request(
                                request: &_rt::HttpServerRequest,
                            ) -> ::core::result::Result<Self, _rt::RequestError> {
                                ::core::result::Result::Ok(Self { #(#reads)* })
                            }
                        }
                    });
                    (
                        Some(quote!(#params)),
                        quote!(#params::from_request(&request)),
                    )
                }
            }
            HttpEncoding::Content { media_type } if is_json(media_type) && post => {
                let part = bound_part(&op.input.body, None, op, "JSON request")?;
                let ty = part_type(part, op, types)?;
                let path = &ty.path;
                (
                    Some(quote!(#path)),
                    quote!(_rt::json_request::<#path>(&request, #op_name)),
                )
            }
            other => {
                return Err(unsupported(format!(
                    "request encoding {other:?} of HTTP operation `{}`",
                    op.name
                )))
            }
        };

        // Answer.
        let (out_ty, write_out) = match answer(op, types)? {
            Answer::Empty => (
                quote!(()),
                quote!({
                    let () = output;
                    _rt::empty_response()
                }),
            ),
            Answer::Xml { ty, root } => {
                let (path, root) = (&ty.path, name_tokens(&root));
                (quote!(#path), quote!(_rt::xml_response(&output, #root)))
            }
            Answer::Json { ty } => {
                let path = &ty.path;
                (quote!(#path), quote!(_rt::json_response(&output)))
            }
            Answer::Bytes { media_type } => (
                quote!(::std::vec::Vec<u8>),
                quote!(_rt::bytes_response(output, #media_type)),
            ),
        };

        let doc = crate::docs::doc_attrs(Some(&operation_doc(op, verb_text, &location)));
        let (param, call, decode_input) = match &arg {
            Some(ty) => (
                quote!(request: #ty,),
                quote!(self.service.#method(input)),
                quote! {
                    let input = match #decode {
                        ::core::result::Result::Ok(v) => v,
                        ::core::result::Result::Err(e) => {
                            return _rt::http_fault_response(&self.service.invalid_request(e));
                        }
                    };
                },
            ),
            None => (
                TokenStream::new(),
                quote!(self.service.#method()),
                TokenStream::new(),
            ),
        };
        methods.extend(quote! {
            #doc
            fn #method(
                &self,
                #param
            ) -> impl ::core::future::Future<
                Output = ::core::result::Result<#out_ty, _rt::HttpFault<#fault_ty>>,
            > + ::core::marker::Send;
        });
        let index = routes.len();
        routes.push(quote! {
            _rt::HttpRoute { name: #op_name, verb: #verb, location: #location }
        });
        arms.extend(quote! {
            #index => {
                #decode_input
                match #call.await {
                    ::core::result::Result::Ok(output) => #write_out,
                    ::core::result::Result::Err(fault) => _rt::http_fault_response(&fault),
                }
            }
        });
    }

    let trait_doc = crate::docs::doc_attrs(Some(&format!(
        "Server side of HTTP port `{}` of service `{}` ({verb_text}): implement it and serve it \
         with [`{server_name}`].\n\nOne method per operation, taking the decoded request and \
         returning the answer or an [`HttpFault`](_rt::HttpFault) (a status with a declared \
         error body or text).",
        port.name, service.name
    )));
    let server_doc = format!(
        " Dispatcher of HTTP port `{}`: routes requests by operation location to a [`{trait_name}`].",
        port.name
    );
    let handle_body = if routes.is_empty() {
        quote! {
            let _ = &self.service;
            match _rt::route_http(&request, &[]) {
                ::core::result::Result::Ok(_) => _rt::empty_response(),
                ::core::result::Result::Err(response) => response,
            }
        }
    } else {
        quote! {
            let index = match _rt::route_http(&request, Self::ROUTES) {
                ::core::result::Result::Ok(i) => i,
                ::core::result::Result::Err(response) => return response,
            };
            match index {
                #arms
                _ => _rt::http_fault_response::<_rt::NoDetail>(
                    &_rt::HttpFault::internal("operation index out of range"),
                ),
            }
        }
    };

    let dispatcher = dispatcher(
        &server_name,
        &trait_name,
        &server_doc,
        " The operations served: location and verb of each.",
        quote!(_rt::HttpRoute),
        &routes,
    );
    Ok(quote! {
        #fault_write

        #items

        #trait_doc
        pub trait #trait_name: ::core::marker::Send + ::core::marker::Sync + 'static {
            #methods

            /// The answer to a request that does not decode (a missing or malformed field,
            /// parameter or body). Default: 400 with the error as text.
            fn invalid_request(&self, error: _rt::RequestError) -> _rt::HttpFault<#fault_ty> {
                _rt::HttpFault::from_request_error(&error)
            }
        }

        #dispatcher

        impl<S: #trait_name> _rt::HttpService for #server_name<S> {
            fn routes(&self) -> &'static [_rt::HttpRoute] {
                Self::ROUTES
            }

            fn handle(
                &self,
                request: _rt::HttpServerRequest,
            ) -> _rt::ServiceFuture<'_, _rt::ServerResponse> {
                ::std::boxed::Box::pin(async move { #handle_body })
            }
        }
    })
}

/// The dispatcher struct both port kinds share: it holds the service behind an `Arc` and lists
/// its `ROUTES` (`route_ty`: `OperationRoute` for SOAP, `HttpRoute` for HTTP bindings).
fn dispatcher(
    server_name: &Ident,
    trait_name: &Ident,
    server_doc: &str,
    routes_doc: &str,
    route_ty: TokenStream,
    routes: &[TokenStream],
) -> TokenStream {
    quote! {
        #[doc = #server_doc]
        #[derive(Debug)]
        pub struct #server_name<S> {
            service: ::std::sync::Arc<S>,
        }

        impl<S> ::core::clone::Clone for #server_name<S> {
            fn clone(&self) -> Self {
                Self { service: ::std::sync::Arc::clone(&self.service) }
            }
        }

        impl<S: #trait_name> #server_name<S> {
            #[doc = #routes_doc]
            pub const ROUTES: &'static [#route_ty] = &[#(#routes),*];

            /// A dispatcher calling `service`.
            pub fn new(service: ::std::sync::Arc<S>) -> Self {
                Self { service }
            }

            /// The service implementation.
            pub fn service(&self) -> &::std::sync::Arc<S> {
                &self.service
            }
        }
    }
}
