//! Feeding schemas to `xsd-parser`, with imports and includes resolved offline.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use url::Url;
use xsd_parser::pipeline::parser::resolver::{ResolveRequest, ResolveResult, Resolver};
use xsd_parser::pipeline::parser::Error as ParserError;
use xsd_parser::{Parser, Schemas};

use crate::catalog::Catalog;
use crate::model::{Location, SchemaDoc};

/// Why an `xs:import`/`xs:include` location did not resolve.
#[derive(Debug)]
pub(crate) struct ResolveError {
    location: String,
    referrer: Option<Url>,
    reason: String,
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot resolve `{}`: {}", self.location, self.reason)
    }
}

/// Resolves schema locations through the catalog to local files; never fetches.
///
/// Schemas handed over as [`SchemaDoc`]s are served from memory, under the URL of their file
/// (so an import of a file that is also a `SchemaDoc` is loaded once).
#[derive(Debug)]
struct CatalogResolver {
    catalog: Catalog,
    /// URL → schema text, for the documents given to [`parse`].
    docs: BTreeMap<String, String>,
}

fn file_url(path: &Path) -> Option<Url> {
    let abs = std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .ok()?;
    Url::from_file_path(abs).ok()
}

impl Resolver for CatalogResolver {
    type Buffer = Cursor<Vec<u8>>;
    type Error = ResolveError;

    fn resolve(&mut self, req: &ResolveRequest) -> ResolveResult<Self> {
        if let Some(text) = self.docs.get(&req.requested_location) {
            let url = Url::parse(&req.requested_location).map_err(|e| ResolveError {
                location: req.requested_location.clone(),
                referrer: None,
                reason: e.to_string(),
            })?;
            return Ok(Some((None, url, Cursor::new(text.clone().into_bytes()))));
        }
        let err = |reason: String| ResolveError {
            location: req.requested_location.clone(),
            referrer: req.current_location.clone(),
            reason,
        };
        let referrer: PathBuf = req
            .current_location
            .as_ref()
            .and_then(|u| u.to_file_path().ok())
            .unwrap_or_else(|| PathBuf::from("."));
        let path = self
            .catalog
            .resolve(&req.requested_location, &referrer)
            .map_err(err)?;
        let url = file_url(&path)
            .ok_or_else(|| err(format!("`{}` is not a usable path", path.display())))?;
        if let Some(text) = self.docs.get(url.as_str()) {
            return Ok(Some((None, url, Cursor::new(text.clone().into_bytes()))));
        }
        let bytes = std::fs::read(&path).map_err(|e| err(format!("{}: {e}", path.display())))?;
        Ok(Some((None, url, Cursor::new(bytes))))
    }
}

/// Parses `docs` (following imports and includes) into xsd-parser's `Schemas`.
pub(crate) fn parse(docs: &[SchemaDoc], catalog: &Catalog) -> crate::Result<Schemas> {
    let mut texts = BTreeMap::new();
    let mut urls = Vec::with_capacity(docs.len());
    let mut at_of: BTreeMap<String, Location> = BTreeMap::new();
    for (i, doc) in docs.iter().enumerate() {
        // Inline `wsdl:types` schemas are known as `<wsdl path>#types[N]`: their file is the
        // WSDL, so they get a fragment URL of their own; relative imports still resolve
        // against the WSDL's folder.
        let inline = doc.location.contains("#types");
        let mut url = file_url(&doc.path)
            .or_else(|| Url::parse(&format!("file:///schema-{i}.xsd")).ok())
            .ok_or_else(|| crate::Error::Schema {
                message: format!("{}: no usable path", doc.location),
            })?;
        if inline {
            url.set_fragment(Some(&format!("types{i}")));
        }
        at_of.insert(url.to_string(), doc.at.clone());
        urls.push(url);
    }
    // `xs:import namespace="…"` without `schemaLocation` (usual between the inline schemas
    // of one WSDL) is not followed by xsd-parser, which then cannot see the imported types:
    // point such imports at the given documents of that namespace explicitly.
    let providers: Vec<(Option<String>, String)> = docs
        .iter()
        .zip(&urls)
        .map(|(d, u)| {
            (
                d.target_ns.clone().or_else(|| target_ns_of(&d.text)),
                u.to_string(),
            )
        })
        .collect();
    for (doc, url) in docs.iter().zip(&urls) {
        let text = link_imports(&doc.text, url.as_str(), &providers);
        texts.insert(url.to_string(), text);
    }
    let resolver = CatalogResolver {
        catalog: catalog.clone(),
        docs: texts,
    };
    let mut parser = Parser::new()
        .with_resolver(resolver)
        .resolve_includes(true)
        .with_default_namespaces();
    for (url, doc) in urls.into_iter().zip(docs) {
        parser = parser
            .add_schema_from_url(url)
            .map_err(|e| map_error(e, doc, &at_of))?;
    }
    Ok(parser.finish())
}

fn map_error(
    e: ParserError<ResolveError>,
    doc: &SchemaDoc,
    at_of: &BTreeMap<String, Location>,
) -> crate::Error {
    let located = |referrer: Option<&Url>| {
        referrer
            .and_then(|u| at_of.get(u.as_str()).cloned())
            .or_else(|| {
                referrer
                    .and_then(|u| u.to_file_path().ok())
                    .map(|file| Location {
                        file,
                        line: 1,
                        column: 1,
                    })
            })
            .unwrap_or_else(|| doc.at.clone())
    };
    match e {
        ParserError::Resolver(r) => crate::Error::Unresolved {
            at: located(r.referrer.as_ref()),
            location: r.location,
            reason: r.reason,
        },
        ParserError::UnableToResolve(req) => crate::Error::Unresolved {
            at: located(req.current_location.as_ref()),
            location: req.requested_location.clone(),
            reason: "no resolver answered".to_owned(),
        },
        other => crate::Error::Schema {
            message: format!("{}: {other}", doc.location),
        },
    }
}

/// The `targetNamespace` of a schema document.
fn target_ns_of(text: &str) -> Option<String> {
    let mut reader = quick_xml::Reader::from_str(text);
    loop {
        match reader.read_event().ok()? {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                return e
                    .try_get_attribute("targetNamespace")
                    .ok()
                    .flatten()
                    .map(|a| String::from_utf8_lossy(&a.value).into_owned());
            }
            quick_xml::events::Event::Eof => return None,
            _ => {}
        }
    }
}

/// Adds, after each top-level `xs:import` that has a namespace but no `schemaLocation`, one
/// import per provider document of that namespace (other than `self_url`).
fn link_imports(text: &str, self_url: &str, providers: &[(Option<String>, String)]) -> String {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut depth = 0usize;
    let mut inserts: Vec<(usize, String)> = Vec::new();
    loop {
        let ev = match reader.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(ev) => ev,
        };
        match ev {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Empty(e) if depth == 1 && e.local_name().as_ref() == b"import" => {
                let attr = |n: &str| {
                    e.try_get_attribute(n)
                        .ok()
                        .flatten()
                        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
                };
                if attr("schemaLocation").is_some() {
                    continue;
                }
                let Some(ns) = attr("namespace") else {
                    continue;
                };
                let tag = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                let Ok(pos) = usize::try_from(reader.buffer_position()) else {
                    continue;
                };
                for (pns, url) in providers {
                    if pns.as_deref() == Some(ns.as_str()) && url != self_url {
                        let esc = |s: &str| {
                            s.replace('&', "&amp;")
                                .replace('"', "&quot;")
                                .replace('<', "&lt;")
                        };
                        inserts.push((
                            pos,
                            format!(
                                r#"<{tag} namespace="{}" schemaLocation="{}"/>"#,
                                esc(&ns),
                                esc(url)
                            ),
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    if inserts.is_empty() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + inserts.len() * 80);
    let mut last = 0;
    for (pos, add) in inserts {
        if let Some(chunk) = text.get(last..pos) {
            out.push_str(chunk);
            out.push_str(&add);
            last = pos;
        }
    }
    out.push_str(text.get(last..).unwrap_or_default());
    out
}
