//! WSDL 1.1 stage: read documents (following imports), resolve them into [`crate::model`].
//!
//! [`load`] reads every input, follows `wsdl:import` and the schema references, and hands
//! the collected components to the resolver (`resolve.rs`), which joins services, ports,
//! bindings, port types and messages into the resolved [`Definitions`].

mod loader;
mod resolve;
#[cfg(test)]
mod tests;

use std::path::{Component, Path, PathBuf};

use crate::catalog::Catalog;
use crate::model::Definitions;

/// WSDL 1.1 namespace.
pub const WSDL_NS: &str = "http://schemas.xmlsoap.org/wsdl/";
/// WSDL 2.0 namespace (refused).
pub const WSDL20_NS: &str = "http://www.w3.org/ns/wsdl";
/// WSDL 1.1 SOAP 1.1 binding namespace.
pub const SOAP11_NS: &str = "http://schemas.xmlsoap.org/wsdl/soap/";
/// WSDL 1.1 SOAP 1.2 binding namespace.
pub const SOAP12_NS: &str = "http://schemas.xmlsoap.org/wsdl/soap12/";
/// WSDL 1.1 HTTP binding namespace.
pub const HTTP_NS: &str = "http://schemas.xmlsoap.org/wsdl/http/";
/// WSDL 1.1 MIME binding namespace.
pub const MIME_NS: &str = "http://schemas.xmlsoap.org/wsdl/mime/";
/// XML Schema namespace.
pub const XSD_NS: &str = "http://www.w3.org/2001/XMLSchema";

/// File names of catalogs picked up automatically from the folder of each input WSDL.
pub const AUTO_CATALOGS: [&str; 2] = ["catalog.xml", "jax-ws-catalog.xml"];

/// Reads WSDL 1.1 documents and resolves them into [`Definitions`].
///
/// **Inputs** are WSDL files or folders; a folder stands for every `*.wsdl` file in it,
/// recursively, in sorted path order. For each input WSDL, a `catalog.xml` or
/// `jax-ws-catalog.xml` in the same folder is merged into (a copy of) `catalog`, after the
/// entries given; the effective catalog is returned in [`Definitions::catalog`].
///
/// An input (or `wsdl:import` target) whose root is `xs:schema` is accepted and only
/// contributes schema documents, so XSD-only inputs load too (with no services).
///
/// **Imports**: `wsdl:import location=…` is followed recursively (a `wsdl:import` may also
/// name an XSD file). Every `xs:import`/`xs:include`/`xs:redefine`/`xs:override` with a
/// `schemaLocation`, in inline schemas and in the XSD files they reach, is followed too.
/// Locations resolve through the catalog first, then relative to the referring file;
/// an absolute URL without a catalog entry is an [`crate::Error::Unresolved`] naming the
/// location and the referring `file:line:column`. Each file is read once (deduplicated by
/// canonical path), so import cycles terminate.
///
/// **Schemas** ([`Definitions::schemas`], in discovery order):
/// * an inline `xs:schema` of `wsdl:types` is re-serialized standalone with every namespace
///   declaration in scope at it (so `tns:` prefixes declared on `wsdl:definitions` keep
///   working); its `location` is `<file URL of the WSDL>#types[N]` (`N` counts the schemas of
///   that WSDL from 0), its `path` the WSDL file;
/// * an XSD file has `location` = the `file://` URL of its canonical path (percent-encoded as
///   by [`url::Url::from_file_path`]) and `path` = that canonical path; its text is the file
///   re-serialized as UTF-8 (so a declared legacy encoding or a BOM never reaches the XSD
///   stage). Relative `schemaLocation`s resolve against either URL as usual, and the
///   catalog maps the absolute ones, so the XSD stage can resolve every reference with
///   [`Definitions::catalog`] and find the document by its canonical path.
///
/// **Model**: services sorted by name, ports in document order, operations in port-type
/// order. SOAP 1.1, SOAP 1.2 and the WSDL HTTP binding are supported with `use="literal"`.
/// A port whose binding is unsupported (SOAP encoding, SOAP with attachments, another
/// protocol) fails with [`crate::Error::Unsupported`] — unless the same port type is also
/// bound by a supported binding; then the port is skipped and the reason recorded in
/// [`Definitions::warnings`]. Bindings used by no port are also reported there.
///
/// # Errors
/// Unreadable or malformed files, WSDL 2.0 ([`crate::Error::Unsupported`]), unresolvable
/// locations, references to undefined messages, port types, bindings or parts
/// ([`crate::Error::Missing`]), and unsupported bindings as described above.
pub fn load(inputs: &[PathBuf], catalog: &Catalog) -> crate::Result<Definitions> {
    let files = loader::expand_inputs(inputs)?;
    let mut catalog = catalog.clone();
    for file in &files {
        let dir = file.parent().unwrap_or(Path::new("."));
        for name in AUTO_CATALOGS {
            let candidate = dir.join(name);
            if candidate.is_file() {
                catalog.merge_file(&candidate)?;
            }
        }
    }
    let mut loader = loader::Loader::new(catalog);
    for file in &files {
        loader.load_wsdl(file)?;
    }
    resolve::resolve(loader)
}

/// Removes `.` and `name/..` components without touching the file system (for display).
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            c => out.push(c),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}
