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

//! Supported entries: `system`, `uri`, `rewriteSystem`, `rewriteURI`, `systemSuffix`,
//! `uriSuffix`, `group` and `nextCatalog`; `xml:base` on the catalog, a group or an entry
//! changes the folder relative `uri`s resolve against. `public` and `delegatePublic` are
//! ignored (they only serve DTDs, which are refused anyway); `delegateSystem`/`delegateURI`
//! are reported as unsupported.
//!
//! Lookup order (as in the OASIS specification): an exact entry, then the rewrite entry with
//! the longest matching prefix, then the suffix entry with the longest matching suffix.
//! `system` and `uri` entries are treated alike: WSDL and XSD locations are both.

use std::path::{Path, PathBuf};

use crate::xml::{Element, XML_NS};

/// The OASIS XML catalog namespace.
pub const CATALOG_NS: &str = "urn:oasis:names:tc:entity:xmlns:xml:catalog";

/// How deep `nextCatalog` chains may go (guards against cycles).
const MAX_CATALOG_DEPTH: usize = 16;

/// Catalog entries, in the order they were read.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    entries: Vec<Entry>,
    files: Vec<PathBuf>,
    /// Canonical paths of the files read (to merge each once, even through `nextCatalog` cycles).
    seen: Vec<PathBuf>,
}

#[derive(Debug, Clone)]
enum Entry {
    /// `system`/`uri`: one exact location.
    Exact { location: String, path: PathBuf },
    /// `rewriteSystem`/`rewriteURI`: a location prefix replaced by a local folder prefix.
    Rewrite {
        prefix: String,
        replacement: PathBuf,
    },
    /// `systemSuffix`/`uriSuffix`: every location ending with `suffix` maps to `path`.
    Suffix { suffix: String, path: PathBuf },
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
        self.entries.push(Entry::Exact {
            location: location.into(),
            path: path.into(),
        });
        self
    }

    /// Maps every location starting with `prefix` to `replacement` + the rest.
    #[must_use]
    pub fn with_rewrite(
        mut self,
        prefix: impl Into<String>,
        replacement: impl Into<PathBuf>,
    ) -> Self {
        self.entries.push(Entry::Rewrite {
            prefix: prefix.into(),
            replacement: replacement.into(),
        });
        self
    }

    /// Adds every entry (and catalog file) of `other` after this catalog's own.
    pub fn extend(&mut self, other: Catalog) {
        self.entries.extend(other.entries);
        for (f, key) in other.files.into_iter().zip(other.seen) {
            if !self.seen.contains(&key) {
                self.files.push(f);
                self.seen.push(key);
            }
        }
    }

    /// Whether the catalog has no entries.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The catalog files read so far (for `cargo:rerun-if-changed`), in reading order.
    #[must_use]
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    /// Reads catalog file `path`; relative `uri`s in it resolve against its folder.
    ///
    /// # Errors
    /// The file cannot be read, is malformed, is not a catalog, or has an entry without its
    /// attributes.
    pub fn load(path: &Path) -> crate::Result<Self> {
        let mut catalog = Self::new();
        catalog.merge_file(path)?;
        Ok(catalog)
    }

    /// Adds the entries of catalog file `path` (a file already merged is skipped).
    ///
    /// # Errors
    /// See [`Catalog::load`].
    pub fn merge_file(&mut self, path: &Path) -> crate::Result<()> {
        self.merge_file_at(path, 0)
    }

    fn merge_file_at(&mut self, path: &Path, depth: usize) -> crate::Result<()> {
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        if self.seen.contains(&key) {
            return Ok(());
        }
        let doc = crate::xml::Document::load(path)?;
        self.seen.push(key);
        self.files.push(path.to_owned());
        if !doc.root.is(CATALOG_NS, "catalog") {
            return Err(crate::Error::Invalid {
                at: doc.root.at.clone(),
                message: format!(
                    "expected an OASIS XML catalog (`{{{CATALOG_NS}}}catalog`), found `{}`",
                    doc.root.name
                ),
            });
        }
        let dir = path.parent().unwrap_or(Path::new(".")).to_owned();
        let dir = with_base(&dir, &doc.root);
        self.merge_entries(&doc.root, &dir, depth)
    }

    fn merge_entries(&mut self, parent: &Element, dir: &Path, depth: usize) -> crate::Result<()> {
        for el in parent.children() {
            if el.ns() != Some(CATALOG_NS) {
                // Foreign elements are allowed by the specification and carry no mapping.
                continue;
            }
            let attr = |name: &'static str| {
                el.attr(name)
                    .map(str::to_owned)
                    .ok_or_else(|| crate::Error::Invalid {
                        at: el.at.clone(),
                        message: format!(
                            "catalog entry `{}` needs attribute `{name}`",
                            el.name.local
                        ),
                    })
            };
            let dir = with_base(dir, el);
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
                    self.entries.push(Entry::Rewrite {
                        prefix,
                        replacement,
                    });
                }
                "rewriteURI" => {
                    let prefix = attr("uriStartString")?;
                    let replacement = dir.join(attr("rewritePrefix")?);
                    self.entries.push(Entry::Rewrite {
                        prefix,
                        replacement,
                    });
                }
                "systemSuffix" => {
                    let suffix = attr("systemIdSuffix")?;
                    let path = dir.join(attr("uri")?);
                    self.entries.push(Entry::Suffix { suffix, path });
                }
                "uriSuffix" => {
                    let suffix = attr("uriSuffix")?;
                    let path = dir.join(attr("uri")?);
                    self.entries.push(Entry::Suffix { suffix, path });
                }
                "group" => self.merge_entries(el, &dir, depth)?,
                "nextCatalog" => {
                    let next = dir.join(attr("catalog")?);
                    if depth >= MAX_CATALOG_DEPTH {
                        return Err(crate::Error::Invalid {
                            at: el.at.clone(),
                            message: format!("`nextCatalog` chain deeper than {MAX_CATALOG_DEPTH}"),
                        });
                    }
                    self.merge_file_at(&next, depth + 1)?;
                }
                // Public identifiers only serve DTDs, which are never read.
                "public" | "delegatePublic" => {}
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
        let location = location.trim();
        if let Some(path) = self.lookup(location) {
            return Ok(path);
        }
        if location.starts_with("file:") {
            return url::Url::parse(location)
                .ok()
                .and_then(|u| u.to_file_path().ok())
                .ok_or_else(|| "a `file:` URL that names no local path".to_owned());
        }
        if is_absolute_url(location) {
            return Err("an absolute URL with no catalog entry".to_owned());
        }
        if location.is_empty() {
            return Err("an empty location".to_owned());
        }
        let dir = referrer.parent().unwrap_or(Path::new("."));
        Ok(dir.join(location))
    }

    /// The catalog entry for `location`, if any (exact, longest rewrite, longest suffix).
    fn lookup(&self, location: &str) -> Option<PathBuf> {
        let exact = self.entries.iter().find_map(|e| match e {
            Entry::Exact { location: l, path } if l == location => Some(path.clone()),
            _ => None,
        });
        if exact.is_some() {
            return exact;
        }
        let rewrite = self
            .entries
            .iter()
            .filter_map(|e| match e {
                Entry::Rewrite {
                    prefix,
                    replacement,
                } => location
                    .strip_prefix(prefix.as_str())
                    .map(|rest| (prefix.len(), replacement.join(rest))),
                _ => None,
            })
            // Longest prefix wins; on ties the first entry (max_by_key keeps the last).
            .rev()
            .max_by_key(|(len, _)| *len);
        if let Some((_, path)) = rewrite {
            return Some(path);
        }
        self.entries
            .iter()
            .filter_map(|e| match e {
                Entry::Suffix { suffix, path } if location.ends_with(suffix.as_str()) => {
                    Some((suffix.len(), path.clone()))
                }
                _ => None,
            })
            .rev()
            .max_by_key(|(len, _)| *len)
            .map(|(_, p)| p)
    }
}

/// `dir` adjusted by the element's `xml:base` (a relative or absolute folder path).
fn with_base(dir: &Path, el: &Element) -> PathBuf {
    match el.attr_ns(XML_NS, "base") {
        Some(base) => {
            let base = base.strip_prefix("file://").unwrap_or(base);
            dir.join(base)
        }
        None => dir.to_owned(),
    }
}

/// `scheme:` with a scheme of two letters or more (so `C:\x` is a path, not a URL).
fn is_absolute_url(s: &str) -> bool {
    match s.find(':') {
        Some(i) if i >= 2 => s.get(..i).is_some_and(|scheme| {
            scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, text).unwrap();
        path
    }

    fn tempdir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "soap-codegen-catalog-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn exact_rewrite_suffix_and_relative() {
        let dir = tempdir("basic");
        let cat = write(
            &dir,
            "catalog.xml",
            r#"<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">
                 <system systemId="http://ws.example.ru:80/services/x?xsd=1" uri="x.xsd"/>
                 <rewriteSystem systemIdStartString="http://ws.example.ru/" rewritePrefix="short/"/>
                 <rewriteSystem systemIdStartString="http://ws.example.ru/deep/" rewritePrefix="long/"/>
                 <group xml:base="sub/"><uri name="urn:a" uri="a.xsd"/></group>
                 <uriSuffix uriSuffix="/common.xsd" uri="common.xsd"/>
                 <public publicId="-//X//EN" uri="ignored.dtd"/>
               </catalog>"#,
        );
        let c = Catalog::load(&cat).unwrap();
        let referrer = Path::new("/elsewhere/main.wsdl");
        assert_eq!(
            c.resolve("http://ws.example.ru:80/services/x?xsd=1", referrer),
            Ok(dir.join("x.xsd"))
        );
        assert_eq!(
            c.resolve("http://ws.example.ru/a/b.xsd", referrer),
            Ok(dir.join("short/").join("a/b.xsd"))
        );
        assert_eq!(
            c.resolve("http://ws.example.ru/deep/b.xsd", referrer),
            Ok(dir.join("long/").join("b.xsd"))
        );
        assert_eq!(
            c.resolve("urn:a", referrer),
            Ok(dir.join("sub/").join("a.xsd"))
        );
        assert_eq!(
            c.resolve("http://other.org/v1/common.xsd", referrer),
            Ok(dir.join("common.xsd"))
        );
        assert_eq!(
            c.resolve("types.xsd", referrer),
            Ok(PathBuf::from("/elsewhere/types.xsd"))
        );
        assert_eq!(
            c.resolve("file:///tmp/a%20b.xsd", referrer),
            Ok(PathBuf::from("/tmp/a b.xsd"))
        );
        assert!(c
            .resolve("https://nowhere.example/x.xsd", referrer)
            .unwrap_err()
            .contains("no catalog entry"));
        assert_eq!(c.files(), &[cat]);
    }

    #[test]
    fn next_catalog_and_extend() {
        let dir = tempdir("next");
        write(
            &dir,
            "inner/next.xml",
            r#"<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">
                 <system systemId="http://x/inner" uri="in.xsd"/>
                 <nextCatalog catalog="../catalog.xml"/>
               </catalog>"#,
        );
        let cat = write(
            &dir,
            "catalog.xml",
            r#"<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">
                 <nextCatalog catalog="inner/next.xml"/>
               </catalog>"#,
        );
        let c = Catalog::load(&cat).unwrap();
        assert_eq!(
            c.resolve("http://x/inner", Path::new("m.wsdl")),
            Ok(dir.join("inner/in.xsd"))
        );
        let mut d = Catalog::new().with_mapping("http://x/inner", "/first.xsd");
        d.extend(c);
        // Exact entries: the first one read wins.
        assert_eq!(
            d.resolve("http://x/inner", Path::new("m.wsdl")),
            Ok(PathBuf::from("/first.xsd"))
        );
        assert_eq!(d.files().len(), 2);
    }

    #[test]
    fn bad_catalogs() {
        let dir = tempdir("bad");
        let cat = write(
            &dir,
            "a.xml",
            r#"<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog"><system uri="x"/></catalog>"#,
        );
        let err = Catalog::load(&cat).unwrap_err().to_string();
        assert!(
            err.contains("a.xml:1:") && err.contains("systemId"),
            "{err}"
        );
        let cat = write(&dir, "b.xml", "<notacatalog/>");
        assert!(Catalog::load(&cat)
            .unwrap_err()
            .to_string()
            .contains("OASIS XML catalog"));
        let cat = write(
            &dir,
            "c.xml",
            r#"<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">
                 <delegateSystem systemIdStartString="x" catalog="y"/></catalog>"#,
        );
        assert!(matches!(
            Catalog::load(&cat),
            Err(crate::Error::Unsupported { .. })
        ));
    }
}
