//! `codegen fetch`: download a published WSDL and everything it imports, for offline builds.
//!
//! [`fetch`] starts at one URL (DPD's `http://ws.dpd.ru/services/geography2?wsdl`) and follows,
//! transitively, every `wsdl:import location` and every `xs:import`/`xs:include`/
//! `xs:redefine`/`xs:override schemaLocation` (in inline `wsdl:types` schemas and in the XSD
//! files reached), including JAX-WS `?xsd=N` locations. Relative locations resolve against
//! the URL of the referring document.
//!
//! **The documents are stored byte for byte** (never rewritten), so comparing them with what
//! the carrier serves stays meaningful. Instead, `catalog.xml` in the target folder maps every
//! location as written in the documents to the local file (an [OASIS catalog](crate::catalog)),
//! which is how the generator resolves them without the network. Existing catalog entries for
//! other locations are kept.
//!
//! **Local file names** are derived from the URL (see [`local_name`]): `geography2.wsdl` for
//! `…/geography2?wsdl`, `geography2.xsd` for `…/geography2?xsd=1`, `geography2_2.xsd` for
//! `?xsd=2`, otherwise the last path segment, sanitized, with `.wsdl`/`.xsd` after what the
//! document is. Names are unique (case-insensitively); on a clash `-2`, `-3`, … is appended in
//! discovery order, which is deterministic for the same server content.
//!
//! **All or nothing**: everything is downloaded into a temporary folder next to the target
//! and checked (well-formed XML, no DOCTYPE, a WSDL 1.1 or XSD root) before any file of the
//! target is replaced; any error leaves the target as it was. Files whose bytes did not change
//! are not touched (their modification times stay), so a second run with the same server
//! content changes nothing. Files of the target that the new set no longer uses are reported
//! ([`FetchReport::stale`]) but never deleted.
//!
//! Only this module (behind the default `fetch` feature) touches the network; generation never
//! does.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use url::Url;

use crate::catalog::CATALOG_NS;
use crate::wsdl::{WSDL_NS, XSD_NS};
use crate::xml::{Document, Element};

/// The catalog file written into the target folder (picked up automatically by the generator).
pub const CATALOG_FILE: &str = "catalog.xml";

/// Limits for one [`fetch`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchOptions {
    /// Most documents one fetch may download (guards against runaway import graphs).
    pub max_documents: usize,
    /// Largest accepted document, in bytes.
    pub max_bytes: u64,
    /// Timeout of one whole request (connect, headers and body).
    pub timeout: Duration,
    /// Timeout for establishing a connection.
    pub connect_timeout: Duration,
}

impl Default for FetchOptions {
    /// 200 documents, 16 MiB each, 60 s per request, 15 s to connect.
    fn default() -> Self {
        Self {
            max_documents: 200,
            max_bytes: 16 * 1024 * 1024,
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(15),
        }
    }
}

/// What happened to one file of the target folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileStatus {
    /// The file did not exist before.
    Added,
    /// The file existed with other content and was replaced.
    Updated,
    /// The file already had exactly these bytes and was not touched.
    Unchanged,
}

impl fmt::Display for FileStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `pad` so `{:<9}` aligns the CLI's columns.
        f.pad(match self {
            Self::Added => "added",
            Self::Updated => "updated",
            Self::Unchanged => "unchanged",
        })
    }
}

/// One downloaded document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedDocument {
    /// The URL it was downloaded from (resolved, normalized by the URL parser).
    pub url: String,
    /// Its file name in the target folder.
    pub file: String,
    /// Whether it is a WSDL (else an XSD).
    pub is_wsdl: bool,
    /// What happened to the file.
    pub status: FileStatus,
}

/// The result of a successful [`fetch`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchReport {
    /// Every document, in discovery order (the starting document first).
    pub documents: Vec<FetchedDocument>,
    /// What happened to `catalog.xml` (`None`: no catalog needed and none existed).
    pub catalog: Option<FileStatus>,
    /// `*.wsdl`/`*.xsd` files of the target that the fetched set does not use (left in place),
    /// sorted.
    pub stale: Vec<String>,
    /// Problems that did not stop the fetch, e.g. the fetched WSDL does not load offline
    /// (the generator would report the same).
    pub warnings: Vec<String>,
}

impl FetchReport {
    /// Whether any file of the target folder was added or replaced.
    #[must_use]
    pub fn changed(&self) -> bool {
        self.documents
            .iter()
            .any(|d| d.status != FileStatus::Unchanged)
            || self.catalog.is_some_and(|c| c != FileStatus::Unchanged)
    }
}

/// Why a download failed (what a [`Downloader`] reports).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DownloadFailure {
    /// The server answered with a non-success HTTP status.
    Status {
        /// The status code.
        code: u16,
        /// Its reason phrase, when known.
        reason: String,
    },
    /// The document exceeds [`FetchOptions::max_bytes`].
    TooLarge,
    /// Connection, TLS, timeout or read failure.
    Transport(String),
}

/// Downloads one document. [`HttpDownloader`] is the real one; tests may supply their own.
pub trait Downloader {
    /// The body of `url`, at most `max_bytes` long.
    ///
    /// # Errors
    /// Any failure, as a [`DownloadFailure`].
    fn get(&mut self, url: &Url, max_bytes: u64) -> Result<Vec<u8>, DownloadFailure>;
}

/// A [`Downloader`] over HTTP(S) (reqwest, rustls, redirects followed).
#[cfg(feature = "fetch")]
#[derive(Debug, Clone)]
pub struct HttpDownloader {
    client: reqwest::blocking::Client,
}

#[cfg(feature = "fetch")]
impl HttpDownloader {
    /// A downloader with the timeouts of `options`.
    ///
    /// Must not be called from inside an async runtime (it uses reqwest's blocking client).
    ///
    /// # Errors
    /// The HTTP client cannot be built (e.g. no TLS backend).
    pub fn new(options: &FetchOptions) -> Result<Self, FetchError> {
        let client = reqwest::blocking::Client::builder()
            .timeout(options.timeout)
            .connect_timeout(options.connect_timeout)
            .user_agent(concat!(
                "soap-codegen/",
                env!("CARGO_PKG_VERSION"),
                " (codegen fetch)"
            ))
            .build()
            .map_err(|e| FetchError::Client {
                message: error_chain(&e),
            })?;
        Ok(Self { client })
    }
}

#[cfg(feature = "fetch")]
impl Downloader for HttpDownloader {
    fn get(&mut self, url: &Url, max_bytes: u64) -> Result<Vec<u8>, DownloadFailure> {
        let response = self
            .client
            .get(url.as_str())
            .send()
            .map_err(|e| DownloadFailure::Transport(error_chain(&e)))?;
        let status = response.status();
        if !status.is_success() {
            return Err(DownloadFailure::Status {
                code: status.as_u16(),
                reason: status.canonical_reason().unwrap_or("").to_owned(),
            });
        }
        if response.content_length().is_some_and(|len| len > max_bytes) {
            return Err(DownloadFailure::TooLarge);
        }
        use std::io::Read as _;
        let mut body = Vec::new();
        response
            .take(max_bytes.saturating_add(1))
            .read_to_end(&mut body)
            .map_err(|e| DownloadFailure::Transport(error_chain(&e)))?;
        if body.len() as u64 > max_bytes {
            return Err(DownloadFailure::TooLarge);
        }
        Ok(body)
    }
}

/// `error: cause: cause…` (reqwest's top-level messages alone say little).
#[cfg(feature = "fetch")]
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !s.contains(&text) {
            s.push_str(": ");
            s.push_str(&text);
        }
        source = cause.source();
    }
    s
}

/// Everything that stops a fetch. Each names the URL and, for imported documents, the
/// referring document with line and column (`referred to by <url>:<line>:<column>`).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// The HTTP client could not be created.
    #[error("cannot create the HTTP client: {message}")]
    Client {
        /// Why.
        message: String,
    },
    /// A location that is not a usable http(s) URL.
    #[error("bad location `{location}`{}: {message}", by(referrer))]
    BadUrl {
        /// The location as written (or given).
        location: String,
        /// The referring document and position, if any.
        referrer: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// The server answered with an HTTP error.
    #[error("HTTP {code} {reason} for {url}{}", by(referrer))]
    Status {
        /// The URL requested.
        url: String,
        /// The status code.
        code: u16,
        /// The reason phrase.
        reason: String,
        /// The referring document and position, if any.
        referrer: Option<String>,
    },
    /// The request failed (connection, TLS, timeout, read).
    #[error("cannot download {url}{}: {message}", by(referrer))]
    Transport {
        /// The URL requested.
        url: String,
        /// What went wrong.
        message: String,
        /// The referring document and position, if any.
        referrer: Option<String>,
    },
    /// A document larger than [`FetchOptions::max_bytes`].
    #[error("{url} is larger than the limit of {limit} bytes{}", by(referrer))]
    TooLarge {
        /// The URL requested.
        url: String,
        /// The limit.
        limit: u64,
        /// The referring document and position, if any.
        referrer: Option<String>,
    },
    /// The import graph has more documents than [`FetchOptions::max_documents`].
    #[error(
        "more than {limit} documents to download (at {url}{}); raise the limit if this is expected",
        by(referrer)
    )]
    TooManyDocuments {
        /// The limit.
        limit: usize,
        /// The first URL over the limit.
        url: String,
        /// The referring document and position.
        referrer: Option<String>,
    },
    /// A document that is not well-formed XML or has a DOCTYPE; `source` names `url:line:column`.
    #[error("{source}{}", by(referrer))]
    Xml {
        /// The URL of the document.
        url: String,
        /// The parser error, located at `url:line:column`.
        #[source]
        source: Box<crate::Error>,
        /// The referring document and position, if any.
        referrer: Option<String>,
    },
    /// A well-formed document that is neither WSDL 1.1 nor XML Schema (e.g. an HTML error page).
    #[error("{url}: expected a WSDL 1.1 `definitions` or an XML Schema `schema` root element, found `{root}`{}", by(referrer))]
    NotWsdlOrXsd {
        /// The URL of the document.
        url: String,
        /// The root element found.
        root: String,
        /// The referring document and position, if any.
        referrer: Option<String>,
    },
    /// One relative location names different documents from different referrers, so one
    /// catalog entry cannot map it.
    #[error("relative location `{location}` means {first} in one document and {second} in another; a flat folder with one catalog cannot store both")]
    AmbiguousLocation {
        /// The location as written.
        location: String,
        /// What it resolves to first.
        first: String,
        /// What it resolves to elsewhere.
        second: String,
    },
    /// The target's existing `catalog.xml` cannot be read or merged.
    #[error("existing catalog: {source}")]
    Catalog {
        /// Why.
        #[source]
        source: Box<crate::Error>,
    },
    /// A local file or folder could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

fn by(referrer: &Option<String>) -> String {
    match referrer {
        Some(r) => format!(" (referred to by {r})"),
        None => String::new(),
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> FetchError + '_ {
    move |source| FetchError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Downloads `url` and everything it imports into the folder `into` over HTTP(S).
///
/// See the [module docs](self) for what is fetched, how files are named and the guarantees.
///
/// # Errors
/// The first download, XML or file system failure; the target folder is then unchanged.
#[cfg(feature = "fetch")]
pub fn fetch(url: &str, into: &Path, options: &FetchOptions) -> Result<FetchReport, FetchError> {
    let mut downloader = HttpDownloader::new(options)?;
    fetch_with(&mut downloader, url, into, options)
}

/// [`fetch`] with any [`Downloader`].
///
/// # Errors
/// See [`fetch`].
pub fn fetch_with(
    downloader: &mut dyn Downloader,
    url: &str,
    into: &Path,
    options: &FetchOptions,
) -> Result<FetchReport, FetchError> {
    let docs = crawl(downloader, url, options)?;
    let names = assign_names(&docs);
    let entries = catalog_entries(&docs, &names)?;
    commit(&docs, &names, &entries, into)
}

/// A downloaded, parsed document.
struct Fetched {
    url: Url,
    bytes: Vec<u8>,
    is_wsdl: bool,
    refs: Vec<Reference>,
}

/// One `location`/`schemaLocation` found in a document.
struct Reference {
    /// As written (trimmed): the catalog key.
    raw: String,
    /// Resolved against the referring URL, without fragment.
    url: Url,
}

/// Breadth-first download of the import graph, in document order.
fn crawl(
    downloader: &mut dyn Downloader,
    start: &str,
    options: &FetchOptions,
) -> Result<Vec<Fetched>, FetchError> {
    let start_url = parse_http_url(start.trim(), None, None)?;
    let mut queue: VecDeque<(Url, Option<String>)> = VecDeque::from([(start_url.clone(), None)]);
    let mut queued: BTreeSet<Url> = BTreeSet::from([start_url]);
    let mut docs = Vec::new();
    while let Some((url, referrer)) = queue.pop_front() {
        if docs.len() >= options.max_documents {
            return Err(FetchError::TooManyDocuments {
                limit: options.max_documents,
                url: url.to_string(),
                referrer,
            });
        }
        let bytes = downloader
            .get(&url, options.max_bytes)
            .map_err(|failure| match failure {
                DownloadFailure::Status { code, reason } => FetchError::Status {
                    url: url.to_string(),
                    code,
                    reason,
                    referrer: referrer.clone(),
                },
                DownloadFailure::TooLarge => FetchError::TooLarge {
                    url: url.to_string(),
                    limit: options.max_bytes,
                    referrer: referrer.clone(),
                },
                DownloadFailure::Transport(message) => FetchError::Transport {
                    url: url.to_string(),
                    message,
                    referrer: referrer.clone(),
                },
            })?;
        // The URL stands in for the file name, so parse errors read `url:line:column`.
        let doc = Document::parse_bytes(&bytes, Path::new(url.as_str())).map_err(|source| {
            FetchError::Xml {
                url: url.to_string(),
                source: Box::new(source),
                referrer: referrer.clone(),
            }
        })?;
        let is_wsdl = if doc.root.is(WSDL_NS, "definitions") {
            true
        } else if doc.root.is(XSD_NS, "schema") {
            false
        } else {
            return Err(FetchError::NotWsdlOrXsd {
                url: url.to_string(),
                root: match doc.root.ns() {
                    Some(ns) => format!("{{{ns}}}{}", doc.root.name.local),
                    None => doc.root.name.local.clone(),
                },
                referrer,
            });
        };
        let mut refs = Vec::new();
        for (raw, el) in references(&doc.root, is_wsdl) {
            let at = el.at.to_string();
            let target = parse_http_url(&raw, Some(&url), Some(&at))?;
            if queued.insert(target.clone()) {
                queue.push_back((target.clone(), Some(at)));
            }
            refs.push(Reference { raw, url: target });
        }
        docs.push(Fetched {
            url,
            bytes,
            is_wsdl,
            refs,
        });
    }
    Ok(docs)
}

/// `(location as written, trimmed; the element holding it)` of every reference, in order.
fn references(root: &Element, is_wsdl: bool) -> Vec<(String, &Element)> {
    let mut out = Vec::new();
    if is_wsdl {
        for child in root.children() {
            if child.is(WSDL_NS, "import") {
                if let Some(location) = child.attr("location") {
                    out.push((location.trim().to_owned(), child));
                }
            } else if child.is(WSDL_NS, "types") {
                for schema in child.children_named(XSD_NS, "schema") {
                    schema_references(schema, &mut out);
                }
            }
        }
    } else {
        schema_references(root, &mut out);
    }
    out
}

fn schema_references<'e>(schema: &'e Element, out: &mut Vec<(String, &'e Element)>) {
    for child in schema.children() {
        let is_ref = child.ns() == Some(XSD_NS)
            && matches!(
                child.name.local.as_str(),
                "import" | "include" | "redefine" | "override"
            );
        if let Some(location) = child.attr("schemaLocation").filter(|_| is_ref) {
            out.push((location.trim().to_owned(), child));
        }
    }
}

/// Resolves `location` (against `base` when relative) to an http(s) URL without fragment.
fn parse_http_url(location: &str, base: Option<&Url>, at: Option<&str>) -> Result<Url, FetchError> {
    let bad = |message: String| FetchError::BadUrl {
        location: location.to_owned(),
        referrer: at.map(str::to_owned),
        message,
    };
    if location.is_empty() {
        return Err(bad("empty location".to_owned()));
    }
    let parsed = match base {
        Some(base) => base.join(location),
        None => Url::parse(location),
    };
    let mut url = parsed.map_err(|e| bad(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad(format!(
            "only http and https locations can be fetched, not `{}:`",
            url.scheme()
        )));
    }
    url.set_fragment(None);
    Ok(url)
}

/// The local file name for a document at `url` (before making it unique):
///
/// * `…/geography2?wsdl` → `geography2.wsdl`;
/// * `…/geography2?xsd=1` → `geography2.xsd`, `?xsd=N` → `geography2_N.xsd`;
/// * any other query is appended to the stem, sanitized, without a trailing `.wsdl`/`.xsd`:
///   `…/svc?wsdl=types.wsdl` → `svc_wsdl_types.wsdl`;
/// * otherwise the last path segment; characters other than ASCII letters, digits, `-`, `_`
///   and `.` become `_`; a leading `.` becomes `_`; an empty segment becomes `index`.
///
/// The extension always says what the document is (`.wsdl` for WSDL, `.xsd` for XSD): an
/// existing `.wsdl`/`.xsd` extension of the segment is replaced, any other is kept before it.
#[must_use]
pub fn local_name(url: &Url, is_wsdl: bool) -> String {
    let ext = if is_wsdl { "wsdl" } else { "xsd" };
    let segment = url
        .path_segments()
        .and_then(|mut s| s.rfind(|seg| !seg.is_empty()))
        .unwrap_or("");
    let mut stem = strip_doc_ext(&sanitize(segment)).to_owned();
    if stem.is_empty() {
        stem = "index".to_owned();
    }
    match url.query() {
        None | Some("") => {}
        Some(q) if q.eq_ignore_ascii_case("wsdl") || q.eq_ignore_ascii_case("xsd") => {}
        Some(q) => match q
            .get(..4)
            .filter(|p| p.eq_ignore_ascii_case("xsd="))
            .and(q.get(4..))
        {
            Some(n) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
                let n = n.trim_start_matches('0');
                if n != "1" {
                    stem = format!("{stem}_{}", if n.is_empty() { "0" } else { n });
                }
            }
            _ => stem = format!("{stem}_{}", strip_doc_ext(&sanitize(q))),
        },
    }
    if stem.starts_with('.') {
        stem.replace_range(..1, "_");
    }
    format!("{stem}.{ext}")
}

fn sanitize(s: &str) -> String {
    let decoded = percent_decode(s);
    decoded
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Decodes `%XX` escapes (invalid ones are kept as written).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match hex
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .filter(|_| b == b'%')
        {
            Some(v) => {
                out.push(v);
                i += 3;
            }
            None => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn strip_doc_ext(s: &str) -> &str {
    for ext in [".wsdl", ".xsd"] {
        let cut = s.len().saturating_sub(ext.len());
        if s.len() > ext.len() && s.get(cut..).is_some_and(|e| e.eq_ignore_ascii_case(ext)) {
            return s.get(..cut).unwrap_or(s);
        }
    }
    s
}

/// Unique file names, in discovery order (clashes get `-2`, `-3`, … before the extension).
fn assign_names(docs: &[Fetched]) -> BTreeMap<Url, String> {
    let mut taken: BTreeSet<String> = [CATALOG_FILE, "jax-ws-catalog.xml"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let mut names = BTreeMap::new();
    for doc in docs {
        let base = local_name(&doc.url, doc.is_wsdl);
        let (stem, ext) = base.rsplit_once('.').unwrap_or((base.as_str(), ""));
        let mut name = base.clone();
        let mut n = 2u32;
        while taken.contains(&name.to_ascii_lowercase()) {
            name = format!("{stem}-{n}.{ext}");
            n += 1;
        }
        taken.insert(name.to_ascii_lowercase());
        names.insert(doc.url.clone(), name);
    }
    names
}

/// Catalog entries (location as written → local file) the fetched set needs: every absolute
/// location, and every relative one that would not land on its file by plain relative
/// resolution in the flat folder.
fn catalog_entries(
    docs: &[Fetched],
    names: &BTreeMap<Url, String>,
) -> Result<BTreeMap<String, String>, FetchError> {
    // Catalog lookups use the location as written, whoever refers: one string, one target.
    let mut targets: BTreeMap<&str, &Url> = BTreeMap::new();
    let mut entries: BTreeMap<String, String> = BTreeMap::new();
    for doc in docs {
        for r in &doc.refs {
            match targets.get(r.raw.as_str()) {
                Some(url) if *url != &r.url => {
                    return Err(FetchError::AmbiguousLocation {
                        location: r.raw.clone(),
                        first: url.to_string(),
                        second: r.url.to_string(),
                    })
                }
                Some(_) => continue,
                None => {
                    targets.insert(&r.raw, &r.url);
                }
            }
            let Some(name) = names.get(&r.url) else {
                continue;
            };
            let absolute = Url::parse(&r.raw).is_ok();
            if absolute || r.raw.strip_prefix("./").unwrap_or(&r.raw) != name {
                entries.insert(r.raw.clone(), name.clone());
            }
        }
    }
    Ok(entries)
}

/// Removes the temporary folder however the fetch ends.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        // Best effort: a leftover temporary folder is harmless and named after the fetch.
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Writes the set into a temporary folder next to `into`, checks it, then moves the changed
/// files over (restoring the old ones if a move fails).
fn commit(
    docs: &[Fetched],
    names: &BTreeMap<Url, String>,
    entries: &BTreeMap<String, String>,
    into: &Path,
) -> Result<FetchReport, FetchError> {
    let dir_name = into
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "wsdl".to_owned());
    let parent = match into.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(io_err(&parent))?;
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let tmp = TempDir(parent.join(format!(".{dir_name}.fetch-{}-{stamp}", std::process::id())));
    std::fs::create_dir(&tmp.0).map_err(io_err(&tmp.0))?;

    // name → new bytes, for every file the target should hold.
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for doc in docs {
        if let Some(name) = names.get(&doc.url) {
            files.insert(name.clone(), doc.bytes.clone());
        }
    }
    let catalog_path = into.join(CATALOG_FILE);
    let has_catalog = catalog_path.is_file();
    if has_catalog || !entries.is_empty() {
        let text = merged_catalog(&catalog_path, has_catalog, entries)?;
        files.insert(CATALOG_FILE.to_owned(), text.into_bytes());
    }
    for (name, bytes) in &files {
        let path = tmp.0.join(name);
        std::fs::write(&path, bytes).map_err(io_err(&path))?;
    }

    let mut warnings = Vec::new();
    if let Some(root) = docs
        .first()
        .filter(|d| d.is_wsdl)
        .and_then(|d| names.get(&d.url))
    {
        // The generator's own loader, offline: proves the catalog maps every reference.
        if let Err(e) = crate::wsdl::load(&[tmp.0.join(root)], &crate::catalog::Catalog::new()) {
            let e = e
                .to_string()
                .replace(&tmp.0.display().to_string(), &into.display().to_string());
            warnings.push(format!("the fetched WSDL does not load offline: {e}"));
        }
    }

    let mut status: BTreeMap<String, FileStatus> = BTreeMap::new();
    for (name, bytes) in &files {
        let target = into.join(name);
        let s = match std::fs::read(&target) {
            Ok(old) if &old == bytes => FileStatus::Unchanged,
            Ok(_) => FileStatus::Updated,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => FileStatus::Added,
            Err(e) => {
                return Err(FetchError::Io {
                    path: target,
                    source: e,
                })
            }
        };
        status.insert(name.clone(), s);
    }

    let to_move: Vec<&String> = status
        .iter()
        .filter(|(_, s)| **s != FileStatus::Unchanged)
        .map(|(n, _)| n)
        .collect();
    if !to_move.is_empty() {
        std::fs::create_dir_all(into).map_err(io_err(into))?;
        let backup = tmp.0.join(".previous");
        std::fs::create_dir(&backup).map_err(io_err(&backup))?;
        let mut moved: Vec<&String> = Vec::new();
        for name in &to_move {
            if let Err(e) = replace(&tmp.0, &backup, into, name) {
                rollback(&backup, into, &moved);
                return Err(e);
            }
            moved.push(name);
        }
    }

    let documents = docs
        .iter()
        .filter_map(|d| {
            let file = names.get(&d.url)?.clone();
            Some(FetchedDocument {
                url: d.url.to_string(),
                status: status.get(&file).copied().unwrap_or(FileStatus::Unchanged),
                file,
                is_wsdl: d.is_wsdl,
            })
        })
        .collect();
    Ok(FetchReport {
        documents,
        catalog: status.get(CATALOG_FILE).copied(),
        stale: stale_files(into, &files),
        warnings,
    })
}

/// Moves `into/name` (if any) to `backup/name`, then `tmp/name` to `into/name`.
fn replace(tmp: &Path, backup: &Path, into: &Path, name: &str) -> Result<(), FetchError> {
    let target = into.join(name);
    if target.exists() {
        std::fs::rename(&target, backup.join(name)).map_err(io_err(&target))?;
    }
    let source = tmp.join(name);
    if let Err(e) = std::fs::rename(&source, &target) {
        // Put the old file back before reporting.
        let _ = std::fs::rename(backup.join(name), &target);
        return Err(FetchError::Io {
            path: target,
            source: e,
        });
    }
    Ok(())
}

/// Undoes the moves already made: the previous file comes back, or the new one goes.
fn rollback(backup: &Path, into: &Path, moved: &[&String]) {
    for name in moved {
        let target = into.join(name);
        let previous = backup.join(name);
        // Best effort: the error that triggered the rollback is what gets reported.
        if previous.exists() {
            let _ = std::fs::rename(&previous, &target);
        } else {
            let _ = std::fs::remove_file(&target);
        }
    }
}

/// `*.wsdl`/`*.xsd` files of `into` that are not part of the new set, sorted.
fn stale_files(into: &Path, files: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(into) else {
        return Vec::new();
    };
    let mut stale: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            let lower = n.to_ascii_lowercase();
            (lower.ends_with(".wsdl") || lower.ends_with(".xsd")) && !files.contains_key(n)
        })
        .collect();
    stale.sort();
    stale
}

/// The target's catalog with `entries` set: existing `system`/`uri` entries for other
/// locations and every other element (rewrite rules, groups, `nextCatalog`) are kept;
/// `system` entries are written sorted by location.
fn merged_catalog(
    path: &Path,
    exists: bool,
    entries: &BTreeMap<String, String>,
) -> Result<String, FetchError> {
    let mut system: BTreeMap<String, String> = BTreeMap::new();
    let mut others: Vec<String> = Vec::new();
    if exists {
        let doc = Document::load(path).map_err(|source| FetchError::Catalog {
            source: Box::new(source),
        })?;
        if !doc.root.is(CATALOG_NS, "catalog") {
            return Err(FetchError::Catalog {
                source: Box::new(crate::Error::Invalid {
                    at: doc.root.at.clone(),
                    message: format!(
                        "expected an OASIS XML catalog (`{{{CATALOG_NS}}}catalog`), found `{}`",
                        doc.root.name
                    ),
                }),
            });
        }
        if let Some(a) = doc.root.attributes().first() {
            return Err(FetchError::Catalog {
                source: Box::new(crate::Error::Unsupported {
                    at: doc.root.at.clone(),
                    what: format!(
                        "attribute `{}` on the catalog element (merge the catalog by hand)",
                        a.raw_name
                    ),
                }),
            });
        }
        for el in doc.root.children() {
            let simple = el.children().next().is_none() && el.ns() == Some(CATALOG_NS);
            let attrs = el.attributes();
            let plain = |names: [&str; 2]| {
                simple
                    && attrs.len() == 2
                    && attrs
                        .iter()
                        .all(|a| a.name.ns.is_none() && names.contains(&a.name.local.as_str()))
            };
            if el.name.local == "system" && plain(["systemId", "uri"]) {
                if let (Some(id), Some(uri)) = (el.attr("systemId"), el.attr("uri")) {
                    system.insert(id.to_owned(), uri.to_owned());
                    continue;
                }
            }
            if el.name.local == "uri" && plain(["name", "uri"]) {
                if let (Some(id), Some(uri)) = (el.attr("name"), el.attr("uri")) {
                    // `uri` and `system` entries are equivalent for the generator.
                    system.insert(id.to_owned(), uri.to_owned());
                    continue;
                }
            }
            others.push(if simple {
                empty_element(el)
            } else {
                subtree(el)
            });
        }
    }
    for (location, file) in entries {
        system.insert(location.clone(), file.clone());
    }
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <!-- OASIS XML catalog: maps the locations the WSDL/XSD files import to local files, so generation\n     \
         never touches the network. Entries for downloaded documents are maintained by `codegen fetch`. -->\n\
         <catalog xmlns=\"urn:oasis:names:tc:entity:xmlns:xml:catalog\">\n",
    );
    for (id, uri) in &system {
        out.push_str(&format!(
            "  <system systemId=\"{}\" uri=\"{}\"/>\n",
            escape(id),
            escape(uri)
        ));
    }
    for other in others {
        out.push_str("  ");
        out.push_str(&other);
        out.push('\n');
    }
    out.push_str("</catalog>\n");
    Ok(out)
}

/// `<name attr="…"/>` for an element without children in the catalog namespace.
fn empty_element(el: &Element) -> String {
    let mut s = format!("<{}", el.name.local);
    for a in el.attributes() {
        s.push_str(&format!(" {}=\"{}\"", a.raw_name, escape(&a.value)));
    }
    s.push_str("/>");
    s
}

/// Any other element, re-serialized with the namespaces it uses declared on it.
fn subtree(el: &Element) -> String {
    let xml = el.to_standalone_xml();
    let body = xml.split_once("?>").map_or(xml.as_str(), |(_, rest)| rest);
    body.trim().to_owned()
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(url: &str, wsdl: bool) -> String {
        local_name(&Url::parse(url).unwrap(), wsdl)
    }

    /// Serves fixed bodies by URL.
    struct Fake(BTreeMap<String, String>);

    impl Downloader for Fake {
        fn get(&mut self, url: &Url, _max: u64) -> Result<Vec<u8>, DownloadFailure> {
            self.0
                .get(url.as_str())
                .map(|b| b.clone().into_bytes())
                .ok_or(DownloadFailure::Status {
                    code: 404,
                    reason: "Not Found".to_owned(),
                })
        }
    }

    fn schema(body: &str) -> String {
        format!(r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{body}</xs:schema>"#)
    }

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "soap-codegen-fetch-unit-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn relative_locations_and_name_clashes() {
        let wsdl = r#"<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <types><xs:schema>
    <xs:import schemaLocation="../common/types.xsd"/>
    <xs:import schemaLocation="svc?xsd=2"/>
    <xs:import schemaLocation="http://h/b/types.xsd"/>
    <xs:import schemaLocation="local.xsd#frag"/>
  </xs:schema></types>
</definitions>"#;
        let mut fake = Fake(BTreeMap::from([
            ("http://h/a/svc?wsdl".to_owned(), wsdl.to_owned()),
            ("http://h/common/types.xsd".to_owned(), schema("")),
            (
                "http://h/a/svc?xsd=2".to_owned(),
                schema(r#"<xs:include schemaLocation="local.xsd"/>"#),
            ),
            ("http://h/b/types.xsd".to_owned(), schema("")),
            ("http://h/a/local.xsd".to_owned(), schema("")),
        ]));
        let into = temp("relative").join("svc");
        let report = fetch_with(
            &mut fake,
            "http://h/a/svc?wsdl",
            &into,
            &FetchOptions::default(),
        )
        .unwrap();
        let files: Vec<&str> = report.documents.iter().map(|d| d.file.as_str()).collect();
        assert_eq!(
            files,
            [
                "svc.wsdl",
                "types.xsd",
                "svc_2.xsd",
                "types-2.xsd",
                "local.xsd"
            ]
        );
        let catalog = std::fs::read_to_string(into.join(CATALOG_FILE)).unwrap();
        // Plain `local.xsd` lands on its file by relative resolution; with a fragment it needs
        // an entry.
        assert!(
            catalog.ends_with(
                r#"<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">
  <system systemId="../common/types.xsd" uri="types.xsd"/>
  <system systemId="http://h/b/types.xsd" uri="types-2.xsd"/>
  <system systemId="local.xsd#frag" uri="local.xsd"/>
  <system systemId="svc?xsd=2" uri="svc_2.xsd"/>
</catalog>
"#
            ),
            "{catalog}"
        );
        assert!(report.warnings.is_empty(), "{:?}", report.warnings);
        let defs =
            crate::wsdl::load(&[into.join("svc.wsdl")], &crate::catalog::Catalog::new()).unwrap();
        assert_eq!(defs.schemas.len(), 5);
        let _ = std::fs::remove_dir_all(into.parent().unwrap());
    }

    #[test]
    fn one_relative_location_for_two_documents_is_refused() {
        let wsdl = r#"<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <types><xs:schema>
    <xs:import schemaLocation="x/a.xsd"/>
    <xs:import schemaLocation="y/b.xsd"/>
  </xs:schema></types>
</definitions>"#;
        let mut fake = Fake(BTreeMap::from([
            ("http://h/svc?wsdl".to_owned(), wsdl.to_owned()),
            (
                "http://h/x/a.xsd".to_owned(),
                schema(r#"<xs:include schemaLocation="common.xsd"/>"#),
            ),
            (
                "http://h/y/b.xsd".to_owned(),
                schema(r#"<xs:include schemaLocation="common.xsd"/>"#),
            ),
            ("http://h/x/common.xsd".to_owned(), schema("")),
            ("http://h/y/common.xsd".to_owned(), schema("")),
        ]));
        let into = temp("ambiguous").join("svc");
        let err = fetch_with(
            &mut fake,
            "http://h/svc?wsdl",
            &into,
            &FetchOptions::default(),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "relative location `common.xsd` means http://h/x/common.xsd in one document and \
             http://h/y/common.xsd in another; a flat folder with one catalog cannot store both"
        );
        assert!(!into.exists());
    }

    #[test]
    fn local_names() {
        assert_eq!(
            name("http://ws.dpd.ru/services/geography2?wsdl", true),
            "geography2.wsdl"
        );
        assert_eq!(
            name("http://ws.dpd.ru/services/geography2?WSDL", true),
            "geography2.wsdl"
        );
        assert_eq!(
            name("http://ws.dpd.ru:80/services/geography2?xsd=1", false),
            "geography2.xsd"
        );
        assert_eq!(
            name("http://ws.dpd.ru:80/services/geography2?xsd=2", false),
            "geography2_2.xsd"
        );
        assert_eq!(name("http://x/a/types.xsd", false), "types.xsd");
        assert_eq!(name("http://x/a/Types.XSD", false), "Types.xsd");
        assert_eq!(name("http://x/a/common%20v1.xsd", false), "common_v1.xsd");
        assert_eq!(
            name("http://x/svc?wsdl=types.wsdl", true),
            "svc_wsdl_types.wsdl"
        );
        assert_eq!(name("http://x/", true), "index.wsdl");
        assert_eq!(name("http://x/a/.hidden", false), "_hidden.xsd");
        assert_eq!(name("http://x/a/..", false), "index.xsd");
        assert_eq!(name("http://x/a/schema.xml", false), "schema.xml.xsd");
    }
}
