//! Resolution: services → ports → bindings joined with port types and messages.

use std::collections::BTreeSet;

use super::loader::{check_not_required, documentation, Component, Loader};
use super::{HTTP_NS, MIME_NS, SOAP11_NS, SOAP12_NS, WSDL_NS};
use crate::model::{
    Binding, Definitions, Fault, HttpEncoding, Message, Operation, Part, PartKind, Port, Protocol,
    QName, Service, Style,
};
use crate::xml::Element;
use crate::{Error, Result};

/// Joins the collected components into the resolved model.
pub(super) fn resolve(loader: Loader) -> Result<Definitions> {
    let r = Resolver { l: &loader };
    let mut warnings = loader.warnings.clone();
    let mut used_bindings = BTreeSet::new();
    let mut services = Vec::new();
    for svc in loader.services.values() {
        let name = svc.el.attr("name").unwrap_or_default().trim().to_owned();
        let mut ports = Vec::new();
        for port_el in svc.el.children_named(WSDL_NS, "port") {
            let port_name = required_attr(port_el, "name")?.trim().to_owned();
            let binding_name = r.qname_attr(port_el, "binding")?;
            used_bindings.insert(binding_name.clone());
            let binding = match r.binding(&binding_name, port_el) {
                Ok(b) => b,
                Err(err @ Error::Unsupported { .. }) => {
                    match r.supported_alternative(&binding_name) {
                        Some(alt) => {
                            warnings.push(format!(
                            "port `{name}.{port_name}` skipped: {err}; its port type is also bound by \
                             supported binding `{alt}`"
                        ));
                            continue;
                        }
                        None => return Err(err),
                    }
                }
                Err(err) => return Err(err),
            };
            let address = [SOAP11_NS, SOAP12_NS, HTTP_NS]
                .iter()
                .find_map(|ns| port_el.child(ns, "address"))
                .and_then(|a| a.attr("location"))
                .map(|s| s.trim().to_owned());
            ports.push(Port {
                name: port_name,
                address,
                doc: documentation(port_el),
                binding,
                at: port_el.at.clone(),
            });
        }
        if ports.is_empty() {
            // Nothing to generate a client for; say so instead of emitting an empty one.
            warnings.push(format!(
                "{}: service `{name}` has no supported port; skipped",
                svc.el.at
            ));
            continue;
        }
        services.push(Service {
            name,
            target_ns: svc.tns.clone(),
            doc: documentation(&svc.el).or_else(|| svc.defs_doc.clone()),
            ports,
            at: svc.el.at.clone(),
        });
    }
    services.sort_by(|a, b| {
        a.name
            .cmp(&b.name)
            .then_with(|| a.target_ns.cmp(&b.target_ns))
    });
    for (name, b) in &loader.bindings {
        if !used_bindings.contains(name) {
            warnings.push(format!(
                "{}: binding `{name}` is used by no port; no client is generated for it",
                b.el.at
            ));
        }
    }
    let mut files: Vec<_> = loader.files.iter().cloned().collect();
    files.sort();
    Ok(Definitions {
        services,
        schemas: loader.schemas,
        files,
        catalog: loader.catalog,
        warnings,
    })
}

fn required_attr<'e>(el: &'e Element, name: &str) -> Result<&'e str> {
    el.attr(name).ok_or_else(|| Error::Invalid {
        at: el.at.clone(),
        message: format!("`{}` needs attribute `{name}`", el.name.local),
    })
}

/// The SOAP namespace of an extension element, if it is one.
fn is_soap(el: &Element, local: &str) -> bool {
    el.is(SOAP11_NS, local) || el.is(SOAP12_NS, local)
}

fn check_literal(el: &Element, op: &str) -> Result<()> {
    match el.attr("use").map(str::trim) {
        None | Some("literal") => Ok(()),
        Some("encoded") => Err(Error::Unsupported {
            at: el.at.clone(),
            what: format!("use=\"encoded\" (SOAP encoding) in operation {op}"),
        }),
        Some(other) => Err(Error::Invalid {
            at: el.at.clone(),
            message: format!("unknown use=\"{other}\""),
        }),
    }
}

/// What kind of binding: SOAP with its version and default style, or HTTP.
#[derive(Clone, Copy)]
enum Kind {
    Soap { protocol: Protocol, style: Style },
    Http { post: bool },
}

struct Resolver<'l> {
    l: &'l Loader,
}

impl Resolver<'_> {
    /// Resolves a QName-valued attribute; an undeclared prefix is an error.
    fn qname_attr(&self, el: &Element, attr: &str) -> Result<QName> {
        let value = required_attr(el, attr)?;
        el.resolve_qname(value).ok_or_else(|| Error::Invalid {
            at: el.at.clone(),
            message: format!("`{attr}=\"{value}\"`: not a QName or its prefix is not declared"),
        })
    }

    /// Another binding of the same port type that resolves, if any.
    fn supported_alternative(&self, failed: &QName) -> Option<QName> {
        let port_type = self
            .l
            .bindings
            .get(failed)
            .and_then(|b| self.qname_attr(&b.el, "type").ok())?;
        self.l
            .bindings
            .iter()
            .filter(|(name, _)| *name != failed)
            .filter(|(_, b)| self.qname_attr(&b.el, "type").ok().as_ref() == Some(&port_type))
            .find(|(name, b)| self.binding(name, &b.el).is_ok())
            .map(|(name, _)| name.clone())
    }

    fn binding(&self, name: &QName, referrer: &Element) -> Result<Binding> {
        let b = self.l.bindings.get(name).ok_or_else(|| Error::Missing {
            at: referrer.at.clone(),
            kind: "binding",
            name: name.to_string(),
        })?;
        let pt_name = self.qname_attr(&b.el, "type")?;
        let pt = self
            .l
            .port_types
            .get(&pt_name)
            .ok_or_else(|| Error::Missing {
                at: b.el.at.clone(),
                kind: "portType",
                name: pt_name.to_string(),
            })?;
        let kind = binding_kind(name, &b.el)?;
        let protocol = match kind {
            Kind::Soap { protocol, .. } => protocol,
            Kind::Http { post } => Protocol::Http { post },
        };
        let b_ops: Vec<&Element> = b.el.children_named(WSDL_NS, "operation").collect();
        let pt_ops: Vec<&Element> = pt.el.children_named(WSDL_NS, "operation").collect();
        for b_op in &b_ops {
            let op_name = required_attr(b_op, "name")?;
            if !pt_ops.iter().any(|p| p.attr("name") == Some(op_name)) {
                return Err(Error::Missing {
                    at: b_op.at.clone(),
                    kind: "operation",
                    name: format!("{op_name} (in port type `{pt_name}`)"),
                });
            }
        }
        let mut used = vec![false; b_ops.len()];
        let mut operations = Vec::with_capacity(pt_ops.len());
        for pt_op in &pt_ops {
            let op_name = required_attr(pt_op, "name")?;
            // Overloaded operations share a name; the input/output names tell them apart.
            let io_name = |el: &Element, io: &str| {
                el.child(WSDL_NS, io)
                    .and_then(|i| i.attr("name"))
                    .map(str::to_owned)
            };
            let found = b_ops.iter().enumerate().find(|(i, b_op)| {
                !used.get(*i).copied().unwrap_or(true)
                    && b_op.attr("name") == Some(op_name)
                    && (io_name(b_op, "input").is_none()
                        || io_name(b_op, "input") == io_name(pt_op, "input"))
            });
            let Some((i, b_op)) = found else {
                return Err(Error::Missing {
                    at: b.el.at.clone(),
                    kind: "binding operation",
                    name: format!("{op_name} (of port type `{pt_name}`)"),
                });
            };
            if let Some(u) = used.get_mut(i) {
                *u = true;
            }
            operations.push(self.operation(pt_op, b_op, op_name, kind)?);
        }
        Ok(Binding {
            name: name.clone(),
            port_type: pt_name,
            doc: documentation(&pt.el),
            protocol,
            operations,
        })
    }

    fn operation(
        &self,
        pt_op: &Element,
        b_op: &Element,
        name: &str,
        kind: Kind,
    ) -> Result<Operation> {
        let io: Vec<&Element> = pt_op
            .children()
            .filter(|c| c.is(WSDL_NS, "input") || c.is(WSDL_NS, "output"))
            .collect();
        let (pt_in, pt_out) = match io.as_slice() {
            [i, o] if i.name.local == "input" && o.name.local == "output" => (*i, Some(*o)),
            [i] if i.name.local == "input" => (*i, None),
            _ => {
                let what = format!(
                    "operation {name}: only request-response and one-way operations are \
                     supported (not notification or solicit-response)"
                );
                return Err(Error::Unsupported {
                    at: pt_op.at.clone(),
                    what,
                });
            }
        };
        let mut style = Style::Document;
        let mut soap_action = None;
        let mut http_location = None;
        match kind {
            Kind::Soap { style: default, .. } => {
                style = default;
                if let Some(so) = b_op.children().find(|c| is_soap(c, "operation")) {
                    if let Some(s) = so.attr("style") {
                        style = parse_style(so, s)?;
                    }
                    soap_action = so.attr("soapAction").map(|s| s.trim().to_owned());
                }
            }
            Kind::Http { .. } => {
                let ho = b_op
                    .child(HTTP_NS, "operation")
                    .ok_or_else(|| Error::Invalid {
                        at: b_op.at.clone(),
                        message: format!(
                            "HTTP binding operation {name} needs an `http:operation location`"
                        ),
                    })?;
                http_location = Some(required_attr(ho, "location")?.to_owned());
            }
        }
        for c in b_op.children() {
            let known =
                c.ns() == Some(WSDL_NS) || is_soap(c, "operation") || c.is(HTTP_NS, "operation");
            if !known {
                check_not_required(c)?;
            }
        }
        let input = self.message(pt_in, b_op.child(WSDL_NS, "input"), name, kind)?;
        let output = match pt_out {
            Some(o) => Some(self.message(o, b_op.child(WSDL_NS, "output"), name, kind)?),
            None => None,
        };
        let mut faults = Vec::new();
        for f in pt_op.children_named(WSDL_NS, "fault") {
            let fault_name = required_attr(f, "name")?.trim().to_owned();
            let msg_name = self.qname_attr(f, "message")?;
            let msg = self.lookup_message(&msg_name, f)?;
            let mut http = None;
            if let Some(bf) = b_op
                .children_named(WSDL_NS, "fault")
                .find(|bf| bf.attr("name") == Some(&fault_name))
            {
                for c in bf.children() {
                    if is_soap(c, "fault") {
                        check_literal(c, name)?;
                    } else if c.is(MIME_NS, "mimeXml") {
                        let part = c.attr("part").map(|s| s.trim().to_owned());
                        http = Some(HttpEncoding::MimeXml { part });
                    } else if c.is(MIME_NS, "content") {
                        let media_type = c.attr("type").map(str::trim).unwrap_or_default();
                        http = Some(HttpEncoding::Content {
                            media_type: media_type.to_owned(),
                        });
                    } else if c.ns() != Some(WSDL_NS) {
                        check_not_required(c)?;
                    }
                }
            }
            let parts = self.parts(msg)?;
            let part = match parts.len() {
                0 => None,
                1 => parts.into_iter().next(),
                n => {
                    return Err(Error::Invalid {
                        at: msg.el.at.clone(),
                        message: format!(
                            "fault message `{msg_name}` of operation {name} has {n} parts; \
                             a fault has one"
                        ),
                    })
                }
            };
            faults.push(Fault {
                name: fault_name,
                message: msg_name,
                part,
                http,
            });
        }
        Ok(Operation {
            name: name.to_owned(),
            doc: documentation(pt_op),
            style,
            soap_action,
            http_location,
            input,
            output,
            faults,
            at: pt_op.at.clone(),
        })
    }

    fn lookup_message(&self, name: &QName, referrer: &Element) -> Result<&Component> {
        self.l.messages.get(name).ok_or_else(|| Error::Missing {
            at: referrer.at.clone(),
            kind: "message",
            name: name.to_string(),
        })
    }

    /// The parts of a message, in order.
    fn parts(&self, msg: &Component) -> Result<Vec<Part>> {
        let mut parts = Vec::new();
        for p in msg.el.children_named(WSDL_NS, "part") {
            let name = required_attr(p, "name")?.trim().to_owned();
            let kind = match (p.attr("element"), p.attr("type")) {
                (Some(_), None) => PartKind::Element(self.qname_attr(p, "element")?),
                (None, Some(_)) => PartKind::Type(self.qname_attr(p, "type")?),
                _ => {
                    return Err(Error::Invalid {
                        at: p.at.clone(),
                        message: format!("part `{name}` needs exactly one of `element` and `type`"),
                    })
                }
            };
            parts.push(Part { name, kind });
        }
        Ok(parts)
    }

    /// One bound message: the port-type `input`/`output` plus the binding's extensions.
    fn message(
        &self,
        pt_io: &Element,
        b_io: Option<&Element>,
        op: &str,
        kind: Kind,
    ) -> Result<Message> {
        let name = self.qname_attr(pt_io, "message")?;
        let msg = self.lookup_message(&name, pt_io)?;
        let parts = self.parts(msg)?;
        let mut out = Message {
            name,
            body: parts.clone(),
            headers: Vec::new(),
            rpc_namespace: None,
            http: None,
        };
        let Some(b_io) = b_io else { return Ok(out) };
        match kind {
            Kind::Soap { .. } => {
                let mut body_parts: Option<Vec<String>> = None;
                for c in b_io.children() {
                    if is_soap(c, "body") {
                        check_literal(c, op)?;
                        out.rpc_namespace = c
                            .attr("namespace")
                            .map(|s| s.trim().to_owned())
                            .filter(|s| !s.is_empty());
                        if let Some(list) = c.attr("parts") {
                            let names: Vec<String> =
                                list.split_whitespace().map(str::to_owned).collect();
                            for n in &names {
                                if !parts.iter().any(|p| &p.name == n) {
                                    return Err(Error::Missing {
                                        at: c.at.clone(),
                                        kind: "part",
                                        name: format!("{n} (in message `{}`)", out.name),
                                    });
                                }
                            }
                            body_parts = Some(names);
                        }
                    } else if is_soap(c, "header") {
                        check_literal(c, op)?;
                        let hmsg_name = self.qname_attr(c, "message")?;
                        let hmsg = self.lookup_message(&hmsg_name, c)?;
                        let part_name = required_attr(c, "part")?.trim();
                        let part = self
                            .parts(hmsg)?
                            .into_iter()
                            .find(|p| p.name == part_name)
                            .ok_or_else(|| Error::Missing {
                                at: c.at.clone(),
                                kind: "part",
                                name: format!("{part_name} (in message `{hmsg_name}`)"),
                            })?;
                        // A part bound as a header of its own message leaves the body.
                        if hmsg_name == out.name {
                            out.body.retain(|p| p.name != part.name);
                        }
                        out.headers.push(part);
                    } else if c.is(MIME_NS, "multipartRelated") {
                        return Err(Error::Unsupported {
                            at: c.at.clone(),
                            what: format!(
                                "MIME multipart (SOAP with attachments, \
                                 `mime:multipartRelated`) in operation {op}"
                            ),
                        });
                    } else {
                        check_not_required(c)?;
                    }
                }
                if let Some(names) = body_parts {
                    out.body = parts
                        .into_iter()
                        .filter(|p| names.contains(&p.name))
                        .collect();
                }
            }
            Kind::Http { .. } => {
                for c in b_io.children() {
                    let enc = if c.is(HTTP_NS, "urlEncoded") {
                        HttpEncoding::UrlEncoded
                    } else if c.is(MIME_NS, "content") {
                        let ty = c.attr("type").map(str::trim).unwrap_or_default();
                        if ty.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
                            HttpEncoding::FormUrlEncoded
                        } else if ty.is_empty() {
                            return Err(Error::Invalid {
                                at: c.at.clone(),
                                message: format!("`mime:content` in operation {op} needs a `type`"),
                            });
                        } else {
                            HttpEncoding::Content {
                                media_type: ty.to_owned(),
                            }
                        }
                    } else if c.is(MIME_NS, "mimeXml") {
                        let part = c.attr("part").map(|s| s.trim().to_owned());
                        if let Some(p) = &part {
                            if !parts.iter().any(|x| &x.name == p) {
                                return Err(Error::Missing {
                                    at: c.at.clone(),
                                    kind: "part",
                                    name: format!("{p} (in message `{}`)", out.name),
                                });
                            }
                        }
                        HttpEncoding::MimeXml { part }
                    } else if c.ns() == Some(HTTP_NS) || c.ns() == Some(MIME_NS) {
                        return Err(Error::Unsupported {
                            at: c.at.clone(),
                            what: format!("`{}` in HTTP binding operation {op}", c.name),
                        });
                    } else {
                        check_not_required(c)?;
                        continue;
                    };
                    if out.http.is_some() {
                        return Err(Error::Unsupported {
                            at: c.at.clone(),
                            what: format!(
                                "several encodings for one message in HTTP binding operation {op}"
                            ),
                        });
                    }
                    out.http = Some(enc);
                }
            }
        }
        Ok(out)
    }
}

fn parse_style(el: &Element, s: &str) -> Result<Style> {
    match s.trim() {
        "document" => Ok(Style::Document),
        "rpc" => Ok(Style::Rpc),
        other => Err(Error::Invalid {
            at: el.at.clone(),
            message: format!("unknown style=\"{other}\""),
        }),
    }
}

/// Finds the protocol extension of a binding.
fn binding_kind(name: &QName, b: &Element) -> Result<Kind> {
    for c in b.children() {
        let soap = if c.is(SOAP11_NS, "binding") {
            Some(Protocol::Soap11)
        } else if c.is(SOAP12_NS, "binding") {
            Some(Protocol::Soap12)
        } else {
            None
        };
        if let Some(protocol) = soap {
            let style = match c.attr("style") {
                Some(s) => parse_style(c, s)?,
                None => Style::Document,
            };
            if let Some(t) = c.attr("transport").map(str::trim) {
                let http = t.trim_end_matches('/').ends_with("soap/http")
                    || t.trim_end_matches('/')
                        .eq_ignore_ascii_case("http://www.w3.org/2003/05/soap/bindings/HTTP");
                if !http {
                    return Err(Error::Unsupported {
                        at: c.at.clone(),
                        what: format!("SOAP transport `{t}` in binding `{name}` (only HTTP)"),
                    });
                }
            }
            return Ok(Kind::Soap { protocol, style });
        }
        if c.is(HTTP_NS, "binding") {
            return match c.attr("verb").map(str::trim) {
                Some(v) if v.eq_ignore_ascii_case("GET") => Ok(Kind::Http { post: false }),
                Some(v) if v.eq_ignore_ascii_case("POST") => Ok(Kind::Http { post: true }),
                other => Err(Error::Unsupported {
                    at: c.at.clone(),
                    what: format!(
                        "HTTP verb `{}` in binding `{name}` (only GET and POST)",
                        other.unwrap_or("")
                    ),
                }),
            };
        }
    }
    let found: Vec<String> = b
        .children()
        .filter(|c| c.ns() != Some(WSDL_NS))
        .map(|c| c.name.to_string())
        .collect();
    Err(Error::Unsupported {
        at: b.at.clone(),
        what: format!(
            "binding `{name}` has no SOAP 1.1, SOAP 1.2 or HTTP binding element{}",
            if found.is_empty() {
                String::new()
            } else {
                format!(" (found {})", found.join(", "))
            }
        ),
    })
}
