//! Offline resolution of schema and WSDL locations.
//!
//! A catalog is an [OASIS XML catalog](https://www.oasis-open.org/committees/entity/spec-2001-08-06.html)
//! file (`catalog.xml`, or JAX-WS's `jax-ws-catalog.xml`) next to the WSDLs. It maps the absolute
//! URLs that published WSDLs import (DPD's `http://ws.dpd.ru:80/services/geography2?xsd=1`) to
//! local files, so a build never touches the network:
//!
//! ```xml
//! <catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">
//!   <system systemId="http://ws.dpd.ru:80/services/geography2?xsd=1" uri="geography2.xsd"/>
//!   <rewriteSystem systemIdStartString="http://ws.dpd.ru/services/" rewritePrefix="./"/>
//! </catalog>
//! ```
//!
//! Relative locations resolve against the referring file, as usual.

use std::path::{Path, PathBuf};

/// Catalog entries, in the order they were read.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
enum Entry {
    /// `system`/`uri`: one exact location.
    Exact { location: String, path: PathBuf },
    /// `rewriteSystem`/`rewriteURI`: a location prefix replaced by a local folder prefix.
    Rewrite { prefix: String, replacement: PathBuf },
}

impl Catalog {
    /// An empty catalog: only relative locations resolve.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Maps `location` exactly to the local file `path`.
    #[must_use]
    pub fn with_mapping(mut self, location: impl Into<String>, path: impl Into<PathBuf>) -> Self {
        self.entries.push(Entry::Exact { location: location.into(), path: path.into() });
        self
    }

    /// Maps every location starting with `prefix` to `replacement` + the rest.
    #[must_use]
    pub fn with_rewrite(mut self, prefix: impl Into<String>, replacement: impl Into<PathBuf>) -> Self {
        self.entries.push(Entry::Rewrite { prefix: prefix.into(), replacement: replacement.into() });
        self
    }

    /// Reads catalog file `path`; relative `uri`s in it resolve against its folder.
    ///
    /// # Errors
    /// The file cannot be read, is malformed, or has an entry without its attributes.
    pub fn load(path: &Path) -> crate::Result<Self> {
        let mut catalog = Self::new();
        catalog.merge_file(path)?;
        Ok(catalog)
    }

    /// Adds the entries of catalog file `path`.
    ///
    /// # Errors
    /// See [`Catalog::load`].
    pub fn merge_file(&mut self, path: &Path) -> crate::Result<()> {
        let doc = crate::xml::Document::load(path)?;
        let dir = path.parent().unwrap_or(Path::new("."));
        for el in doc.root.children() {
            let attr = |name: &'static str| {
                el.attr(name).map(str::to_owned).ok_or_else(|| crate::Error::Invalid {
                    at: el.at.clone(),
                    message: format!("catalog entry `{}` needs attribute `{name}`", el.name.local),
                })
            };
            match el.name.local.as_str() {
                "system" => {
                    let location = attr("systemId")?;
                    let path = dir.join(attr("uri")?);
                    self.entries.push(Entry::Exact { location, path });
                }
                "uri" => {
                    let location = attr("name")?;
                    let path = dir.join(attr("uri")?);
                    self.entries.push(Entry::Exact { location, path });
                }
                "rewriteSystem" => {
                    let prefix = attr("systemIdStartString")?;
                    let replacement = dir.join(attr("rewritePrefix")?);
                    self.entries.push(Entry::Rewrite { prefix, replacement });
                }
                "rewriteURI" => {
                    let prefix = attr("uriStartString")?;
                    let replacement = dir.join(attr("rewritePrefix")?);
                    self.entries.push(Entry::Rewrite { prefix, replacement });
                }
                other => {
                    return Err(crate::Error::Unsupported {
                        at: el.at.clone(),
                        what: format!("catalog entry `{other}`"),
                    })
                }
            }
        }
        Ok(())
    }

    /// Resolves `location` as written in the file `referrer` to a local path.
    ///
    /// Catalog entries win; then a relative location (or `file:` URL) resolves against the
    /// referrer's folder. Any other absolute URL is an error: builds never fetch.
    ///
    /// # Errors
    /// A message saying why the location could not be resolved.
    pub fn resolve(&self, location: &str, referrer: &Path) -> Result<PathBuf, String> {
        for e in &self.entries {
            match e {
                Entry::Exact { location: l, path } if l == location => return Ok(path.clone()),
                Entry::Rewrite { prefix, replacement } => {
                    if let Some(rest) = location.strip_prefix(prefix.as_str()) {
                        return Ok(replacement.join(rest));
                    }
                }
                Entry::Exact { .. } => {}
            }
        }
        if let Some(path) = location.strip_prefix("file://") {
            return Ok(PathBuf::from(path));
        }
        if is_absolute_url(location) {
            return Err("an absolute URL with no catalog entry".to_owned());
        }
        let dir = referrer.parent().unwrap_or(Path::new("."));
        Ok(dir.join(location))
    }
}

/// `scheme:` with a scheme of two letters or more (so `C:\x` is a path, not a URL).
fn is_absolute_url(s: &str) -> bool {
    match s.find(':') {
        Some(i) if i >= 2 => s[..i].chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)),
        _ => false,
    }
}
