//! Reading: inputs → documents → collected components and schema documents.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::{normalize, WSDL20_NS, WSDL_NS, XSD_NS};
use crate::catalog::Catalog;
use crate::model::{Location, QName, SchemaDoc};
use crate::xml::{Document, Element};
use crate::{Error, Result};

/// A top-level WSDL component with the definitions it belongs to.
#[derive(Debug, Clone)]
pub(super) struct Component {
    /// The component element (`message`, `portType`, `binding`, `service`).
    pub el: Element,
    /// `targetNamespace` of the enclosing definitions (`""` when absent).
    pub tns: String,
    /// `wsdl:documentation` of the enclosing definitions.
    pub defs_doc: Option<String>,
}

/// Everything read, before resolution.
#[derive(Debug)]
pub(super) struct Loader {
    pub catalog: Catalog,
    /// Canonical paths of the WSDL and XSD files read.
    seen: BTreeSet<PathBuf>,
    /// Every file read (canonical), catalogs included at the end.
    pub files: BTreeSet<PathBuf>,
    pub schemas: Vec<SchemaDoc>,
    pub messages: BTreeMap<QName, Component>,
    pub port_types: BTreeMap<QName, Component>,
    pub bindings: BTreeMap<QName, Component>,
    pub services: BTreeMap<QName, Component>,
    pub warnings: Vec<String>,
}

/// Expands folders into their `*.wsdl` files (recursively, sorted).
pub(super) fn expand_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for input in inputs {
        let meta = std::fs::metadata(input).map_err(|source| Error::Io {
            path: input.clone(),
            source,
        })?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(input, &mut found)?;
            found.sort();
            if found.is_empty() {
                return Err(Error::Invalid {
                    at: Location {
                        file: input.clone(),
                        line: 1,
                        column: 1,
                    },
                    message: "the folder holds no `*.wsdl` file".to_owned(),
                });
            }
            files.extend(found);
        } else {
            files.push(input.clone());
        }
    }
    Ok(files)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
        path: dir.to_owned(),
        source,
    })?;
    for entry in entries {
        let entry = entry.map_err(|source| Error::Io {
            path: dir.to_owned(),
            source,
        })?;
        let path = entry.path();
        let ty = entry.file_type().map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        if ty.is_dir() {
            walk(&path, out)?;
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("wsdl"))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// The `file://` URL of an absolute path.
fn file_url(path: &Path) -> String {
    url::Url::from_file_path(path)
        .map_or_else(|()| format!("file://{}", path.display()), |u| u.to_string())
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| normalize(path))
}

/// The trimmed text of the `wsdl:documentation` child, if any and not empty.
pub(super) fn documentation(el: &Element) -> Option<String> {
    let text = el.child(WSDL_NS, "documentation")?.text();
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

impl Loader {
    pub fn new(catalog: Catalog) -> Self {
        let files = catalog.files().iter().map(|f| canonical(f)).collect();
        Self {
            catalog,
            seen: BTreeSet::new(),
            files,
            schemas: Vec::new(),
            messages: BTreeMap::new(),
            port_types: BTreeMap::new(),
            bindings: BTreeMap::new(),
            services: BTreeMap::new(),
            warnings: Vec::new(),
        }
    }

    /// Marks `path` as read; `false` when it was read before.
    fn first_visit(&mut self, path: &Path) -> bool {
        let key = canonical(path);
        self.files.insert(key.clone());
        self.seen.insert(key)
    }

    /// Resolves a location written at `at` in file `referrer` to an existing local file.
    fn resolve_location(&self, location: &str, referrer: &Path, at: &Location) -> Result<PathBuf> {
        let unresolved = |reason: String| Error::Unresolved {
            at: at.clone(),
            location: location.to_owned(),
            reason,
        };
        let path = self
            .catalog
            .resolve(location, referrer)
            .map_err(unresolved)?;
        if path.is_dir() {
            let reason = format!("it maps to the folder `{}`, not to a file", path.display());
            return Err(unresolved(reason));
        }
        if !path.is_file() {
            return Err(unresolved(format!("no such file `{}`", path.display())));
        }
        Ok(normalize(&path))
    }

    /// Reads a WSDL file (an input or a `wsdl:import`), once.
    pub fn load_wsdl(&mut self, path: &Path) -> Result<()> {
        let path = normalize(path);
        if !self.first_visit(&path) {
            return Ok(());
        }
        let doc = Document::load(&path)?;
        let root = &doc.root;
        if root.is(XSD_NS, "schema") {
            // `wsdl:import` of a schema document (seen in the wild; WS-I prefers xs:import).
            let location = file_url(&canonical(&path));
            return self.add_schema(root, location, &path);
        }
        if root.ns() == Some(WSDL20_NS) {
            return Err(Error::Unsupported {
                at: root.at.clone(),
                what: format!("WSDL 2.0 (namespace `{WSDL20_NS}`); only WSDL 1.1 is supported"),
            });
        }
        if !root.is(WSDL_NS, "definitions") {
            return Err(Error::Invalid {
                at: root.at.clone(),
                message: format!(
                    "expected a WSDL 1.1 `definitions` element, found `{}`",
                    root.name
                ),
            });
        }
        let tns = root.attr("targetNamespace").unwrap_or_default().to_owned();
        let defs_doc = documentation(root);
        let mut schema_index = 0usize;
        for child in root.children() {
            if child.ns() != Some(WSDL_NS) {
                check_not_required(child)?;
                continue;
            }
            match child.name.local.as_str() {
                "import" => {
                    if let Some(location) = child.attr("location") {
                        let target = self.resolve_location(location, &path, &child.at)?;
                        self.load_wsdl(&target)?;
                    }
                }
                "types" => {
                    for schema in child.children() {
                        if schema.is(XSD_NS, "schema") {
                            let location =
                                format!("{}#types[{schema_index}]", file_url(&canonical(&path)));
                            schema_index += 1;
                            self.add_schema(schema, location, &path)?;
                        } else if schema.is(WSDL_NS, "documentation") {
                        } else {
                            check_not_required(schema)?;
                            self.warnings.push(format!(
                                "{}: `{}` in `wsdl:types` is not an XML Schema; ignored",
                                schema.at, schema.name
                            ));
                        }
                    }
                }
                "message" => self.register(Kind::Message, child, &tns, &defs_doc)?,
                "portType" => self.register(Kind::PortType, child, &tns, &defs_doc)?,
                "binding" => self.register(Kind::Binding, child, &tns, &defs_doc)?,
                "service" => self.register(Kind::Service, child, &tns, &defs_doc)?,
                "documentation" => {}
                _ => {
                    return Err(Error::Invalid {
                        at: child.at.clone(),
                        message: format!("unexpected `{}` in `wsdl:definitions`", child.name),
                    })
                }
            }
        }
        Ok(())
    }

    fn register(
        &mut self,
        kind: Kind,
        el: &Element,
        tns: &str,
        defs_doc: &Option<String>,
    ) -> Result<()> {
        let name = el.attr("name").ok_or_else(|| Error::Invalid {
            at: el.at.clone(),
            message: format!("`{}` needs a `name`", el.name.local),
        })?;
        let qname = QName::new(tns, name.trim());
        let map = match kind {
            Kind::Message => &mut self.messages,
            Kind::PortType => &mut self.port_types,
            Kind::Binding => &mut self.bindings,
            Kind::Service => &mut self.services,
        };
        if let Some(prev) = map.get(&qname) {
            return Err(Error::Invalid {
                at: el.at.clone(),
                message: format!(
                    "{} `{qname}` is defined twice (first at {})",
                    el.name.local, prev.el.at
                ),
            });
        }
        map.insert(
            qname,
            Component {
                el: el.clone(),
                tns: tns.to_owned(),
                defs_doc: defs_doc.clone(),
            },
        );
        Ok(())
    }

    /// Adds one schema document and follows its `schemaLocation`s.
    fn add_schema(&mut self, schema: &Element, location: String, path: &Path) -> Result<()> {
        self.schemas.push(SchemaDoc {
            location,
            path: canonical(path),
            at: schema.at.clone(),
            text: schema.to_standalone_xml(),
            target_ns: schema.attr("targetNamespace").map(str::to_owned),
        });
        for child in schema.children() {
            let is_ref = child.ns() == Some(XSD_NS)
                && matches!(
                    child.name.local.as_str(),
                    "import" | "include" | "redefine" | "override"
                );
            let Some(location) = child.attr("schemaLocation").filter(|_| is_ref) else {
                continue;
            };
            let target = self.resolve_location(location, path, &child.at)?;
            self.load_schema_file(&target, location, &child.at)?;
        }
        Ok(())
    }

    fn load_schema_file(&mut self, path: &Path, written: &str, at: &Location) -> Result<()> {
        if !self.first_visit(path) {
            return Ok(());
        }
        let doc = Document::load(path)?;
        if !doc.root.is(XSD_NS, "schema") {
            return Err(Error::Invalid {
                at: at.clone(),
                message: format!(
                    "`{written}` ({}) is not an XML Schema: its root is `{}`",
                    path.display(),
                    doc.root.name
                ),
            });
        }
        let location = file_url(&canonical(path));
        self.add_schema(&doc.root, location, path)
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Message,
    PortType,
    Binding,
    Service,
}

/// An extension element marked `wsdl:required="true"` must be understood; we understand
/// none outside the SOAP/HTTP/MIME bindings.
pub(super) fn check_not_required(el: &Element) -> Result<()> {
    if el
        .attr_ns(WSDL_NS, "required")
        .is_some_and(|v| v.trim() == "true" || v.trim() == "1")
    {
        return Err(Error::Unsupported {
            at: el.at.clone(),
            what: format!("required extension element `{}`", el.name),
        });
    }
    Ok(())
}
