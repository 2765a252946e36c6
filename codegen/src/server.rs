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
//! Supported: document-style operations whose input and output are each at most one
//! `element=` part. Other operations (rpc style, `type=` parts, several parts) are left out of
//! the trait, listed in its documentation; requests for them get a `Client` fault.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::client::{name_tokens, opt_lit};
use crate::error::{Error, Result};
use crate::model::{Operation, PartKind, Port, Protocol, QName, Service, Style};
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
        if matches!(port.binding.protocol, Protocol::Http { .. }) {
            continue;
        }
        out.extend(render_port(service, port, &stem, types)?);
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
        let doc_attrs = doc.lines().map(|l| {
            let l = format!(" {}", l.trim_end());
            quote!(#[doc = #l])
        });
        methods.extend(quote! {
            #(#doc_attrs)*
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

    Ok(quote! {
        #fault_write

        #(#trait_doc)*
        pub trait #trait_name: ::core::marker::Send + ::core::marker::Sync + 'static {
            #methods
        }

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
            /// The operations served: request element and SOAP action of each.
            pub const ROUTES: &'static [_rt::OperationRoute] = &[#(#routes),*];

            /// A dispatcher calling `service`.
            pub fn new(service: ::std::sync::Arc<S>) -> Self {
                Self { service }
            }

            /// The service implementation.
            pub fn service(&self) -> &::std::sync::Arc<S> {
                &self.service
            }
        }

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
