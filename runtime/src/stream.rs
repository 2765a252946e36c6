//! Streaming decode of huge list responses, item by item, with bounded memory.
//!
//! Some operations (DPD `getParcelShops`, `getTerminalsSelfDelivery2`) answer with a whole
//! country: thousands of entries, megabytes of XML. [`ItemSplitter`] is fed the response body
//! chunk by chunk as it arrives; it tracks the element path from the envelope root with a small
//! tag scanner (comments, CDATA, processing instructions and quoted attribute values are
//! respected) and, whenever a complete item element at the requested path is buffered, decodes
//! exactly those bytes with the ordinary [`XmlReader`] and [`XmlRead`], then drops them. Memory
//! therefore stays bounded by the largest item plus one chunk.
//!
//! Item decoding: the item bytes are wrapped in a synthetic parent element that re-declares
//! every namespace binding in scope (from the envelope, `Body`, the response wrapper…), so
//! prefixes declared on ancestors still resolve inside the item.
//!
//! [`decode_items`] turns a body stream into a stream of items;
//! [`SoapClient::call_streaming`](crate::client::SoapClient::call_streaming) does the HTTP
//! exchange as well.
//!
//! Rules, matching [`read_envelope`](crate::envelope::read_envelope) where they overlap:
//! - the root must be the `Envelope` of the configured version (else
//!   [`Error::VersionMismatch`] / [`Error::UnexpectedResponse`]); DOCTYPE is refused;
//! - header blocks are skipped; the first `Body` child must be a `Fault` (→ [`Error::Fault`])
//!   or the first path element (else [`Error::Decode`], kind `UnexpectedElement`); an empty
//!   `Body` is an error too;
//! - below that, elements whose name (namespace included) does not match the path are skipped,
//!   so siblings of the list and same-named elements of another namespace are not items;
//! - items carrying `xsi:nil="true"` are **skipped** (a list of non-nillable `T` has no value
//!   for them);
//! - malformed XML, an item that does not decode as `T`, or a body that ends before the
//!   envelope is closed (truncation) yield one [`Error::Decode`] and end the stream.
//!
//! Errors of this module differ from [`SoapClient::call`](crate::client::SoapClient::call) in
//! one point: the whole body is never kept, so the `body` of [`Error::Decode`],
//! [`Error::UnexpectedResponse`] and [`Error::VersionMismatch`] holds only the offending item
//! or a window of at most 64 KiB around the error. Line and column are positions in the whole
//! response.

use std::marker::PhantomData;
use std::ops::Range;

use bytes::Bytes;
use futures_util::stream::{BoxStream, Stream, StreamExt as _};

use crate::envelope::{EnvelopeError, NsScope, SoapVersion};
use crate::error::Error;
use crate::fault::{Fault, FaultDetail, NoDetail};
use crate::transport::TransportError;
use crate::xml::scan::{count_newlines, find_byte, is_ws, scan, Resume, Scan, Tok};
use crate::xml::{DecodeError, DecodeErrorKind, Name, XmlRead, XmlReader};

/// Default largest item (and largest single markup token) [`ItemSplitter`] buffers: 16 MiB.
pub const DEFAULT_MAX_ITEM_SIZE: usize = 16 * 1024 * 1024;

/// Most bytes of the input kept in an error's `body`.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

const XML_NS: &[u8] = b"http://www.w3.org/XML/1998/namespace";

/// The name of the synthetic parent element items are wrapped in.
const WRAPPER_END: &[u8] = b"</_>";

/// An open element.
#[derive(Debug, Clone, Copy)]
struct Frame {
    /// End of this element's qualified name in [`ItemSplitter::names`].
    name_end: usize,
    /// Length of [`ItemSplitter::decls`] before this element's declarations.
    decl_mark: usize,
    /// Length of [`ItemSplitter::arena`] before this element's declarations.
    arena_mark: usize,
}

/// A namespace declaration of a path element, stored in [`ItemSplitter::arena`].
#[derive(Debug, Clone)]
struct Decl {
    /// The prefix (empty for the default namespace).
    prefix: Range<usize>,
    default: bool,
    /// The raw (still escaped) attribute value.
    value: Range<usize>,
    /// The quote the value was written with.
    quote: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CaptureKind {
    Item,
    Fault,
}

/// An element being buffered until its end tag.
#[derive(Debug, Clone, Copy)]
struct Capture {
    /// Offset of its `<` in the buffer.
    start: usize,
    /// Stack depth while inside it; it is complete when the stack gets shallower.
    depth: usize,
    kind: CaptureKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Running,
    Finished,
    Failed,
}

/// What the element at the current depth is for.
enum Role {
    /// On the path to the items: descend into it.
    Track,
    /// Not interesting: skip its content.
    Skip,
    /// An item or the fault: buffer it whole.
    Capture(CaptureKind),
}

/// Incremental splitter of a SOAP response into items; the synchronous core of
/// [`decode_items`], usable without HTTP (benchmarks, tests, other transports).
///
/// `path` names the elements below `Body` down to the repeated item, e.g.
/// `[{ns}getParcelShopsResponse, return, parcelShop]`; see the [module docs](self) for the
/// rules. `D` is the fault detail type.
///
/// Usage: [`feed`](Self::feed) a chunk, then call [`next_item`](Self::next_item) until it
/// returns `None`; repeat; after the last chunk call [`end`](Self::end) and drain
/// [`next_item`](Self::next_item) again (it reports a truncated body). After an error
/// `next_item` returns `None` forever.
///
/// ```
/// use soap_runtime::envelope::SoapVersion;
/// use soap_runtime::stream::ItemSplitter;
/// use soap_runtime::xml::Name;
///
/// static PATH: [Name<'static>; 2] = [Name::qualified("urn:x", "list"), Name::unqualified("n")];
/// let doc = br#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><x:list xmlns:x="urn:x"><n>1</n><n>2</n></x:list></s:Body></s:Envelope>"#;
/// let mut sp = ItemSplitter::<i32>::new(SoapVersion::V11, &PATH);
/// let mut got = Vec::new();
/// for chunk in doc.chunks(7) {
///     sp.feed(chunk);
///     while let Some(item) = sp.next_item() {
///         got.push(item.unwrap());
///     }
/// }
/// sp.end();
/// assert!(sp.next_item().is_none());
/// assert!(sp.is_finished());
/// assert_eq!(got, [1, 2]);
/// ```
pub struct ItemSplitter<T, D = NoDetail> {
    version: SoapVersion,
    path: &'static [Name<'static>],
    status: u16,
    max_item_size: usize,

    /// Unconsumed input; `buf[..pos]` has been scanned.
    buf: Vec<u8>,
    pos: usize,
    /// Where the scan of an incomplete token at `pos` resumes.
    resume: Resume,
    /// Whether a leading byte-order mark has been dealt with.
    bom_checked: bool,
    eof: bool,
    state: State,

    /// Qualified names of the open elements, concatenated.
    names: Vec<u8>,
    stack: Vec<Frame>,
    /// Number of open elements (from the root) that lie on the path to the items.
    tracked: usize,
    /// Namespace declarations of the tracked elements, innermost last.
    decls: Vec<Decl>,
    arena: Vec<u8>,
    /// Bumped when `decls` changes, to rebuild the synthetic wrapper lazily.
    decls_gen: u64,
    seen_body: bool,
    seen_first_child: bool,
    root_done: bool,
    capture: Option<Capture>,

    /// Synthetic wrapper start tag + item + wrapper end tag, reused for every item.
    scratch: Vec<u8>,
    wrapper_len: usize,
    wrapper_gen: Option<u64>,

    /// Absolute offset of `buf[0]` in the input, newlines before it, and the absolute offset
    /// of the line that was current there (for positions in errors).
    dropped: u64,
    dropped_lines: u64,
    dropped_line_start: u64,
    max_buffered: usize,

    _out: PhantomData<fn() -> (T, D)>,
}

impl<T, D> std::fmt::Debug for ItemSplitter<T, D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ItemSplitter")
            .field("version", &self.version)
            .field("path", &self.path)
            .field("buffered", &self.buf.len())
            .field("depth", &self.stack.len())
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl<T: XmlRead, D: FaultDetail> ItemSplitter<T, D> {
    /// A splitter for a response envelope of `version` whose items are at `path` below `Body`.
    #[must_use]
    pub fn new(version: SoapVersion, path: &'static [Name<'static>]) -> Self {
        Self {
            version,
            path,
            status: 200,
            max_item_size: DEFAULT_MAX_ITEM_SIZE,
            buf: Vec::new(),
            pos: 0,
            resume: Resume::default(),
            bom_checked: false,
            eof: false,
            state: State::Running,
            names: Vec::new(),
            stack: Vec::new(),
            tracked: 0,
            decls: Vec::new(),
            arena: Vec::new(),
            decls_gen: 0,
            seen_body: false,
            seen_first_child: false,
            root_done: false,
            capture: None,
            scratch: Vec::new(),
            wrapper_len: 0,
            wrapper_gen: None,
            dropped: 0,
            dropped_lines: 0,
            dropped_line_start: 0,
            max_buffered: 0,
            _out: PhantomData,
        }
    }

    /// Sets the HTTP status reported in errors (default 200).
    #[must_use]
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    /// Sets the largest item (or single comment, tag, text token) accepted; a larger one is an
    /// [`Error::Decode`] instead of unbounded buffering. Default [`DEFAULT_MAX_ITEM_SIZE`].
    #[must_use]
    pub fn with_max_item_size(mut self, bytes: usize) -> Self {
        self.max_item_size = bytes;
        self
    }

    /// Bytes currently buffered: after [`next_item`](Self::next_item) returned `None`, only
    /// the incomplete item or markup token at the end of the input so far.
    #[must_use]
    pub fn buffered_len(&self) -> usize {
        self.buf.len()
    }

    /// The most bytes ever buffered at once (right after a [`feed`](Self::feed)).
    #[must_use]
    pub fn max_buffered(&self) -> usize {
        self.max_buffered
    }

    /// Whether the whole envelope was read and the input ended cleanly.
    #[must_use]
    pub fn is_finished(&self) -> bool {
        self.state == State::Finished
    }

    /// Whether no more items will come: finished, or failed (the error was returned).
    #[must_use]
    pub fn is_done(&self) -> bool {
        self.state != State::Running
    }

    /// Appends the next chunk of the body, first dropping what has been consumed.
    ///
    /// Call [`next_item`](Self::next_item) until `None` between feeds: unprocessed input
    /// stays buffered. Peak memory is therefore about the largest item plus one chunk.
    pub fn feed(&mut self, chunk: &[u8]) {
        if self.state != State::Running || self.eof {
            return;
        }
        self.compact();
        self.buf.extend_from_slice(chunk);
        self.max_buffered = self.max_buffered.max(self.buf.len());
    }

    /// Marks the end of the input; the following [`next_item`](Self::next_item) calls
    /// process what is left and report a truncated document.
    pub fn end(&mut self) {
        self.eof = true;
    }

    /// Drops the consumed prefix of the buffer, keeping positions for error messages.
    fn compact(&mut self) {
        let keep = self
            .capture
            .map_or(self.pos, |c| c.start)
            .min(self.buf.len());
        if keep == 0 {
            return;
        }
        let gone = self.buf.get(..keep).unwrap_or_default();
        let lines = count_newlines(gone);
        if lines > 0 {
            self.dropped_lines += lines;
            if let Some(i) = gone.iter().rposition(|&b| b == b'\n') {
                self.dropped_line_start = self.dropped + i as u64 + 1;
            }
        }
        self.buf.drain(..keep);
        self.dropped += keep as u64;
        self.pos -= keep;
        if let Some(c) = &mut self.capture {
            c.start -= keep;
        }
    }

    /// The next decoded item, or `None` when more input is needed (or the stream is over:
    /// see [`is_done`](Self::is_done)).
    ///
    /// # Errors
    /// Yields one error (then `None` forever): [`Error::Fault`] for a SOAP fault,
    /// [`Error::Decode`] for malformed XML, a truncated body or an item that does not decode,
    /// [`Error::VersionMismatch`] / [`Error::UnexpectedResponse`] for a wrong root element,
    /// [`Error::InvalidRequest`] for an empty `path`.
    pub fn next_item(&mut self) -> Option<Result<T, Error<D>>> {
        if self.path.is_empty() && self.state == State::Running {
            self.state = State::Failed;
            return Some(Err(Error::InvalidRequest(
                "streaming decode needs a non-empty item path".into(),
            )));
        }
        loop {
            if self.state != State::Running {
                return None;
            }
            let tok = match self.scan() {
                Scan::Tok(tok, _) => tok,
                Scan::More => {
                    if let Some(e) = self.check_more() {
                        return Some(Err(self.fail(e)));
                    }
                    // Release consumed input now, so the buffer holds only what is pending.
                    self.compact();
                    return None;
                }
                Scan::Err(kind, at) => {
                    let e = self.error_at(kind, at);
                    return Some(Err(self.fail(e)));
                }
            };
            match self.handle(tok) {
                Ok(None) => {}
                Ok(Some((CaptureKind::Item, range))) => match self.decode_item(range) {
                    Ok(Some(v)) => return Some(Ok(v)),
                    Ok(None) => {}
                    Err(e) => return Some(Err(self.fail(e))),
                },
                Ok(Some((CaptureKind::Fault, range))) => {
                    let e = self.decode_fault(range);
                    return Some(Err(self.fail(e)));
                }
                Err(e) => return Some(Err(self.fail(e))),
            }
        }
    }

    fn fail(&mut self, e: Error<D>) -> Error<D> {
        self.state = State::Failed;
        // Nothing more is read; release the memory now.
        self.buf = Vec::new();
        self.scratch = Vec::new();
        self.pos = 0;
        self.capture = None;
        e
    }

    /// Called when the token at `pos` is incomplete: enforces the size bound, and at the end
    /// of input decides between a clean end and truncation.
    fn check_more(&mut self) -> Option<Error<D>> {
        let keep = self.capture.map_or(self.pos, |c| c.start);
        let held = self.buf.len().saturating_sub(keep);
        if held > self.max_item_size {
            let what = if self.capture.is_some() {
                "an item"
            } else {
                "a markup token"
            };
            return Some(self.error_at(
                DecodeErrorKind::Syntax(format!(
                    "{what} is larger than the limit of {} bytes",
                    self.max_item_size
                )),
                keep,
            ));
        }
        if !self.eof {
            return None;
        }
        if self.root_done && self.pos >= self.buf.len() {
            self.state = State::Finished;
            return None;
        }
        Some(self.error_at(DecodeErrorKind::UnexpectedEof, self.buf.len()))
    }

    /// Reads the token at `pos`, advancing past it when complete.
    fn scan(&mut self) -> Scan {
        if !self.bom_checked {
            const BOM: &[u8] = b"\xEF\xBB\xBF";
            let head = self.buf.get(self.pos..).unwrap_or_default();
            if head.len() < BOM.len() && BOM.starts_with(head) && !self.eof {
                return Scan::More;
            }
            if head.starts_with(BOM) {
                self.pos += BOM.len();
            }
            self.bom_checked = true;
        }
        let found = scan(&self.buf, self.pos, &mut self.resume);
        if let Scan::Tok(_, end) = found {
            self.pos = end;
        }
        found
    }

    /// Applies a token to the element stack; returns a completed capture.
    fn handle(&mut self, tok: Tok) -> Result<Option<(CaptureKind, Range<usize>)>, Error<D>> {
        match tok {
            Tok::Text(r) => {
                if self.stack.is_empty() {
                    let text = self.buf.get(r.clone()).unwrap_or_default();
                    if !text.iter().all(|c| is_ws(*c)) {
                        return Err(self.outside_root(r.start));
                    }
                }
                Ok(None)
            }
            Tok::CData(_) => {
                if self.stack.is_empty() {
                    // `pos` is past the section; report its start approximately at `pos`.
                    return Err(self.outside_root(self.pos));
                }
                Ok(None)
            }
            Tok::Misc => Ok(None),
            Tok::Start {
                begin,
                name,
                attrs,
                empty,
            } => self.on_start(begin, name, attrs, empty),
            Tok::End { begin, name } => self.on_end(begin, name),
        }
    }

    fn outside_root(&self, at: usize) -> Error<D> {
        let msg = if self.root_done {
            "content after the root element"
        } else {
            "content before the root element"
        };
        self.error_at(DecodeErrorKind::Syntax(msg.into()), at)
    }

    fn push_frame(&mut self, name: Range<usize>, decl_mark: usize, arena_mark: usize) {
        self.names
            .extend_from_slice(self.buf.get(name).unwrap_or_default());
        self.stack.push(Frame {
            name_end: self.names.len(),
            decl_mark,
            arena_mark,
        });
    }

    fn truncate_decls(&mut self, decl_mark: usize, arena_mark: usize) {
        if self.decls.len() > decl_mark {
            self.decls.truncate(decl_mark);
            self.arena.truncate(arena_mark);
            self.decls_gen += 1;
        }
    }

    /// Drops declarations just parsed from a start tag that is not tracked: the declarations
    /// return to the state the cached wrapper was built from, so it stays valid.
    fn drop_transient_decls(&mut self, decl_mark: usize, arena_mark: usize) {
        self.decls.truncate(decl_mark);
        self.arena.truncate(arena_mark);
    }

    fn on_start(
        &mut self,
        begin: usize,
        name: Range<usize>,
        attrs: Range<usize>,
        empty: bool,
    ) -> Result<Option<(CaptureKind, Range<usize>)>, Error<D>> {
        if self.root_done {
            return Err(self.outside_root(begin));
        }
        let depth = self.stack.len();
        let (decl_mark, arena_mark) = (self.decls.len(), self.arena.len());
        if self.capture.is_some() || depth > self.tracked {
            // Inside an item or a skipped element: only the nesting matters.
            if !empty {
                self.push_frame(name, decl_mark, arena_mark);
            }
            return Ok(None);
        }
        // The parent lies on the path (or this is the root): resolve the name.
        self.parse_decls(attrs, begin)?;
        let role = match self.classify(depth, name.clone(), begin) {
            Ok(role) => role,
            Err(e) => {
                self.drop_transient_decls(decl_mark, arena_mark);
                return Err(e);
            }
        };
        match role {
            Role::Track => {
                if empty {
                    self.drop_transient_decls(decl_mark, arena_mark);
                    if depth == 1 {
                        return Err(self.empty_body(begin));
                    }
                    if depth == 0 {
                        self.root_done = true;
                        return Err(self.missing_body(begin));
                    }
                } else {
                    if self.decls.len() > decl_mark {
                        self.decls_gen += 1;
                    }
                    self.push_frame(name, decl_mark, arena_mark);
                    self.tracked = depth + 1;
                }
                Ok(None)
            }
            Role::Skip => {
                self.drop_transient_decls(decl_mark, arena_mark);
                if !empty {
                    self.push_frame(name, decl_mark, arena_mark);
                }
                Ok(None)
            }
            Role::Capture(kind) => {
                // The item re-declares its own namespaces; only the ancestors' are kept.
                self.drop_transient_decls(decl_mark, arena_mark);
                if empty {
                    return Ok(Some((kind, begin..self.pos)));
                }
                self.push_frame(name, decl_mark, arena_mark);
                self.capture = Some(Capture {
                    start: begin,
                    depth: depth + 1,
                    kind,
                });
                Ok(None)
            }
        }
    }

    fn on_end(
        &mut self,
        begin: usize,
        name: Range<usize>,
    ) -> Result<Option<(CaptureKind, Range<usize>)>, Error<D>> {
        let Some(frame) = self.stack.pop() else {
            return Err(self.error_at(
                DecodeErrorKind::Syntax("end tag without a start tag".into()),
                begin,
            ));
        };
        let open_start = self.stack.last().map_or(0, |f| f.name_end);
        let open = self
            .names
            .get(open_start..frame.name_end)
            .unwrap_or_default();
        let close = self.buf.get(name).unwrap_or_default();
        if open != close {
            let msg = format!(
                "expected `</{}>`, found `</{}>`",
                String::from_utf8_lossy(open),
                String::from_utf8_lossy(close)
            );
            return Err(self.error_at(DecodeErrorKind::Syntax(msg), begin));
        }
        self.names.truncate(open_start);
        self.truncate_decls(frame.decl_mark, frame.arena_mark);
        let depth = self.stack.len();
        if self.tracked > depth {
            self.tracked = depth;
            if depth == 1 && !self.seen_first_child {
                return Err(self.empty_body(begin));
            }
        }
        if depth == 0 {
            self.root_done = true;
            if !self.seen_body {
                return Err(self.missing_body(begin));
            }
        }
        match self.capture {
            Some(c) if depth < c.depth => {
                self.capture = None;
                Ok(Some((c.kind, c.start..self.pos)))
            }
            _ => Ok(None),
        }
    }

    fn empty_body(&self, at: usize) -> Error<D> {
        let expected = self
            .path
            .first()
            .map_or_else(String::new, |n| format!("`{n}`"));
        self.error_at(
            DecodeErrorKind::UnexpectedElement {
                found: "(empty body)".into(),
                expected,
            },
            at,
        )
    }

    fn missing_body(&self, at: usize) -> Error<D> {
        self.error_at(
            DecodeErrorKind::MissingElement {
                ty: "Envelope",
                field: "Body",
            },
            at,
        )
    }

    /// Decides what the element `name` at `depth` (whose parent is tracked) is.
    fn classify(
        &mut self,
        depth: usize,
        name: Range<usize>,
        begin: usize,
    ) -> Result<Role, Error<D>> {
        let qname = self.buf.get(name).unwrap_or_default();
        let local = local_part(qname);
        let env_ns = self.version.namespace();
        match depth {
            0 => {
                if local == b"Envelope" && self.ns_matches(qname, Some(env_ns)) {
                    return Ok(Role::Track);
                }
                let ns = self.ns_of(qname);
                let found = ns.as_deref().and_then(SoapVersion::from_namespace);
                let body = self.window(begin);
                Err(match found {
                    Some(found) if local == b"Envelope" => Error::VersionMismatch {
                        expected: self.version,
                        found,
                        status: self.status,
                        body,
                    },
                    _ => Error::UnexpectedResponse {
                        message: EnvelopeError::NotEnvelope {
                            root: describe(ns.as_deref(), local),
                        }
                        .to_string(),
                        status: self.status,
                        body,
                    },
                })
            }
            1 => {
                if !self.seen_body && local == b"Body" && self.ns_matches(qname, Some(env_ns)) {
                    self.seen_body = true;
                    Ok(Role::Track)
                } else {
                    Ok(Role::Skip)
                }
            }
            _ => {
                let k = depth - 2;
                let want = self.path.get(k).copied();
                let matches = want
                    .is_some_and(|w| local == w.local.as_bytes() && self.ns_matches(qname, w.ns));
                if k == 0 && !self.seen_first_child {
                    self.seen_first_child = true;
                    if local == b"Fault" && self.ns_matches(qname, Some(env_ns)) {
                        return Ok(Role::Capture(CaptureKind::Fault));
                    }
                    if !matches {
                        let found = describe(self.ns_of(qname).as_deref(), local);
                        let expected = want.map_or_else(String::new, |n| format!("`{n}`"));
                        return Err(self.error_at(
                            DecodeErrorKind::UnexpectedElement { found, expected },
                            begin,
                        ));
                    }
                }
                Ok(if !matches {
                    Role::Skip
                } else if k + 1 == self.path.len() {
                    Role::Capture(CaptureKind::Item)
                } else {
                    Role::Track
                })
            }
        }
    }

    /// Records the `xmlns` attributes of a start tag (attribute region `attrs`).
    fn parse_decls(&mut self, attrs: Range<usize>, begin: usize) -> Result<(), Error<D>> {
        let end = attrs.end;
        let mut i = attrs.start;
        let bad = |this: &Self, at: usize| {
            this.error_at(DecodeErrorKind::Syntax("malformed attribute".into()), at)
        };
        loop {
            while i < end && is_ws(self.buf[i]) {
                i += 1;
            }
            if i >= end {
                return Ok(());
            }
            let key_start = i;
            while i < end && !is_ws(self.buf[i]) && self.buf[i] != b'=' {
                i += 1;
            }
            let key = key_start..i;
            while i < end && is_ws(self.buf[i]) {
                i += 1;
            }
            if i >= end || self.buf[i] != b'=' || key.is_empty() {
                return Err(bad(self, begin));
            }
            i += 1;
            while i < end && is_ws(self.buf[i]) {
                i += 1;
            }
            let quote = match self.buf.get(i) {
                Some(&q @ (b'"' | b'\'')) if i < end => q,
                _ => return Err(bad(self, begin)),
            };
            let value_start = i + 1;
            let Some(close) = find_byte(&self.buf[..end], value_start, quote) else {
                return Err(bad(self, begin));
            };
            i = close + 1;
            let k = &self.buf[key.clone()];
            let (default, prefix) = if k == b"xmlns" {
                (true, &k[..0])
            } else if let Some(p) = k.strip_prefix(b"xmlns:") {
                (false, p)
            } else {
                continue;
            };
            let p0 = self.arena.len();
            self.arena.extend_from_slice(prefix);
            let v0 = self.arena.len();
            self.arena.extend_from_slice(&self.buf[value_start..close]);
            self.decls.push(Decl {
                prefix: p0..v0,
                default,
                value: v0..self.arena.len(),
                quote,
            });
        }
    }

    /// The raw value bound to the prefix of `qname` (`None`: unbound or no namespace).
    fn lookup(&self, qname: &[u8]) -> Option<&[u8]> {
        let prefix = qname.iter().position(|&c| c == b':').map(|i| &qname[..i]);
        if prefix == Some(b"xml") {
            return Some(XML_NS);
        }
        let decl = self.decls.iter().rev().find(|d| match prefix {
            Some(p) => !d.default && self.arena.get(d.prefix.clone()) == Some(p),
            None => d.default,
        })?;
        let v = self.arena.get(decl.value.clone())?;
        (!v.is_empty()).then_some(v)
    }

    fn ns_of(&self, qname: &[u8]) -> Option<String> {
        self.lookup(qname).map(unescape_lossy)
    }

    fn ns_matches(&self, qname: &[u8], want: Option<&str>) -> bool {
        match (self.lookup(qname), want) {
            (None, None) => true,
            (Some(raw), Some(want)) if !raw.contains(&b'&') => raw == want.as_bytes(),
            (Some(raw), Some(want)) => unescape_lossy(raw) == want,
            _ => false,
        }
    }

    /// Builds `<_ xmlns…="…">` in `scratch` with the innermost binding of every prefix in
    /// scope, unless already built for the current declarations.
    fn build_wrapper(&mut self) {
        if self.wrapper_gen == Some(self.decls_gen) {
            self.scratch.truncate(self.wrapper_len);
            return;
        }
        self.scratch.clear();
        self.scratch.extend_from_slice(b"<_");
        for (i, d) in self.decls.iter().enumerate().rev() {
            let prefix = self.arena.get(d.prefix.clone()).unwrap_or_default();
            let shadowed = self.decls.get(i + 1..).unwrap_or_default().iter().any(|o| {
                o.default == d.default
                    && self.arena.get(o.prefix.clone()).unwrap_or_default() == prefix
            });
            if shadowed {
                continue;
            }
            self.scratch.extend_from_slice(b" xmlns");
            if !d.default {
                self.scratch.push(b':');
                self.scratch.extend_from_slice(prefix);
            }
            self.scratch.push(b'=');
            self.scratch.push(d.quote);
            // Keep the wrapper on one line so item positions map back simply.
            for &c in self.arena.get(d.value.clone()).unwrap_or_default() {
                match c {
                    b'\n' => self.scratch.extend_from_slice(b"&#10;"),
                    b'\r' => self.scratch.extend_from_slice(b"&#13;"),
                    _ => self.scratch.push(c),
                }
            }
            self.scratch.push(d.quote);
        }
        self.scratch.push(b'>');
        self.wrapper_len = self.scratch.len();
        self.wrapper_gen = Some(self.decls_gen);
    }

    /// Copies buffer `range` into the wrapper.
    fn wrap(&mut self, range: Range<usize>) {
        self.build_wrapper();
        self.scratch
            .extend_from_slice(self.buf.get(range).unwrap_or_default());
        self.scratch.extend_from_slice(WRAPPER_END);
    }

    /// Decodes the item at `range`; `None` for an `xsi:nil` item.
    fn decode_item(&mut self, range: Range<usize>) -> Result<Option<T>, Error<D>> {
        self.wrap(range.clone());
        let result = {
            let mut r = XmlReader::new(&self.scratch);
            read_wrapped(&mut r, |r, c| {
                if r.is_nil(c) {
                    r.skip(c)?;
                    Ok(None)
                } else {
                    T::read_xml(r, c).map(Some)
                }
            })
        };
        result
            .map(Option::flatten)
            .map_err(|e| self.item_error(e, range))
    }

    fn decode_fault(&mut self, range: Range<usize>) -> Error<D> {
        self.wrap(range.clone());
        let version = self.version;
        let result = {
            let mut r = XmlReader::new(&self.scratch);
            match r.root() {
                Ok(root) => {
                    let mut scope = NsScope::default();
                    scope.push(&root);
                    let mut fault = None;
                    r.children(&root, |r, c| {
                        if fault.is_none() {
                            fault = Some(Fault::<D>::read(version, r, &c, &scope)?);
                            Ok(())
                        } else {
                            r.skip(&c)
                        }
                    })
                    .map(|()| fault)
                }
                Err(e) => Err(e),
            }
        };
        match result {
            Ok(Some(fault)) => Error::Fault(Box::new(fault)),
            Ok(None) => self.error_at(DecodeErrorKind::UnexpectedEof, range.start),
            Err(e) => self.item_error(e, range),
        }
    }

    /// Maps an error inside the wrapped item at `range` to a position in the response.
    fn item_error(&self, e: DecodeError, range: Range<usize>) -> Error<D> {
        let (line0, col0) = self.position(range.start);
        let (line, column) = if e.line <= 1 {
            let rel = u64::from(e.column.saturating_sub(1)).saturating_sub(self.wrapper_len as u64);
            (line0, col0 + rel)
        } else {
            (line0 + u64::from(e.line) - 1, u64::from(e.column))
        };
        let item = self.buf.get(range).unwrap_or_default();
        let body = item.get(..ERROR_BODY_LIMIT).unwrap_or(item);
        Error::Decode {
            error: DecodeError {
                kind: e.kind,
                line: u32::try_from(line).unwrap_or(u32::MAX),
                column: u32::try_from(column).unwrap_or(u32::MAX),
            },
            status: self.status,
            body: Bytes::copy_from_slice(body),
        }
    }

    /// 1-based (line, column) of buffer offset `at` in the whole input.
    fn position(&self, at: usize) -> (u64, u64) {
        let at = at.min(self.buf.len());
        let before = self.buf.get(..at).unwrap_or_default();
        let lines = self.dropped_lines + count_newlines(before);
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(self.dropped_line_start, |i| self.dropped + i as u64 + 1);
        (lines + 1, self.dropped + at as u64 - line_start + 1)
    }

    /// At most [`ERROR_BODY_LIMIT`] buffered bytes around offset `at`.
    fn window(&self, at: usize) -> Bytes {
        let start = at.saturating_sub(ERROR_BODY_LIMIT / 2);
        let end = (start + ERROR_BODY_LIMIT).min(self.buf.len());
        Bytes::copy_from_slice(self.buf.get(start..end).unwrap_or_default())
    }

    fn error_at(&self, kind: DecodeErrorKind, at: usize) -> Error<D> {
        let (line, column) = self.position(at);
        Error::Decode {
            error: DecodeError {
                kind,
                line: u32::try_from(line).unwrap_or(u32::MAX),
                column: u32::try_from(column).unwrap_or(u32::MAX),
            },
            status: self.status,
            body: self.window(at),
        }
    }
}

/// Reads the synthetic wrapper and decodes its single child with `f`.
fn read_wrapped<'a, V>(
    r: &mut XmlReader<'a>,
    mut f: impl FnMut(&mut XmlReader<'a>, &crate::xml::Start<'a>) -> Result<Option<V>, DecodeError>,
) -> Result<Option<Option<V>>, DecodeError> {
    let root = r.root()?;
    let mut out = None;
    r.children(&root, |r, c| {
        if out.is_some() {
            return r.skip(&c);
        }
        out = Some(f(r, &c)?);
        Ok(())
    })?;
    Ok(out)
}

/// Decodes the items of a response body stream; see [`ItemSplitter`] for the rules.
///
/// The stream ends after the first error (a transport error is mapped with
/// `Error::from`). Configure the splitter (status, size limit) before passing it.
///
/// ```
/// # async fn demo() {
/// use bytes::Bytes;
/// use futures_util::StreamExt as _;
/// use soap_runtime::envelope::SoapVersion;
/// use soap_runtime::stream::{decode_items, ItemSplitter};
/// use soap_runtime::transport::TransportError;
/// use soap_runtime::xml::Name;
///
/// static PATH: [Name<'static>; 2] = [Name::qualified("urn:x", "list"), Name::unqualified("n")];
/// let doc = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><x:list xmlns:x="urn:x"><n>1</n><n>2</n></x:list></s:Body></s:Envelope>"#;
/// let chunks = doc.as_bytes().chunks(5).map(|c| Ok::<_, TransportError>(Bytes::copy_from_slice(c)));
/// let items: Vec<i32> = decode_items(
///     ItemSplitter::<i32>::new(SoapVersion::V11, &PATH),
///     futures_util::stream::iter(chunks.collect::<Vec<_>>()),
/// )
/// .map(Result::unwrap)
/// .collect()
/// .await;
/// assert_eq!(items, [1, 2]);
/// # }
/// ```
pub fn decode_items<T, D, S>(
    splitter: ItemSplitter<T, D>,
    body: S,
) -> BoxStream<'static, Result<T, Error<D>>>
where
    T: XmlRead + Send + 'static,
    D: FaultDetail + Send + 'static,
    S: Stream<Item = Result<Bytes, TransportError>> + Send + 'static,
{
    let body: BoxStream<'static, _> = Box::pin(body);
    futures_util::stream::unfold(Some((splitter, body)), |state| async move {
        let (mut sp, mut body) = state?;
        loop {
            if let Some(item) = sp.next_item() {
                let next = if item.is_ok() { Some((sp, body)) } else { None };
                return Some((item, next));
            }
            if sp.is_done() {
                return None;
            }
            match body.next().await {
                Some(Ok(chunk)) => sp.feed(&chunk),
                Some(Err(e)) => return Some((Err(Error::from(e)), None)),
                None => sp.end(),
            }
        }
    })
    .boxed()
}

fn local_part(qname: &[u8]) -> &[u8] {
    match qname.iter().position(|&c| c == b':') {
        Some(i) => &qname[i + 1..],
        None => qname,
    }
}

fn describe(ns: Option<&str>, local: &[u8]) -> String {
    let local = String::from_utf8_lossy(local);
    match ns {
        Some(ns) => format!("{{{ns}}}{local}"),
        None => local.into_owned(),
    }
}

fn unescape_lossy(raw: &[u8]) -> String {
    let s = String::from_utf8_lossy(raw);
    quick_xml::escape::unescape(&s).map_or_else(|_| s.to_string(), std::borrow::Cow::into_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    static PATH: [Name<'static>; 3] = [
        Name::qualified("urn:r", "resp"),
        Name::unqualified("return"),
        Name::unqualified("v"),
    ];

    fn run(doc: &[u8], chunk: usize) -> Vec<Result<String, Error>> {
        let mut sp = ItemSplitter::<String>::new(SoapVersion::V11, &PATH);
        let mut out = Vec::new();
        for c in doc.chunks(chunk.max(1)) {
            sp.feed(c);
            out.extend(std::iter::from_fn(|| sp.next_item()));
        }
        sp.end();
        out.extend(std::iter::from_fn(|| sp.next_item()));
        out
    }

    fn env(body: &str) -> String {
        format!(
            "<?xml version=\"1.0\"?>\n<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:x=\"http://www.w3.org/2001/XMLSchema-instance\">\n<s:Header><h><v>no</v></h></s:Header><s:Body>{body}</s:Body></s:Envelope>\n<!-- trailer -->"
        )
    }

    #[test]
    fn splits_at_every_byte() {
        let doc = env(
            r#"<r:resp xmlns:r="urn:r"><count>3</count><return><v>a&amp;b</v><!-- <v>no</v> --><v a="x>y"><![CDATA[<c>]]></v><v x:nil="true"/><r:v>other ns</r:v><v/><?pi <v>?></return></r:resp>"#,
        );
        for chunk in [1, 2, 3, 5, 8, 1000] {
            let got: Vec<String> = run(doc.as_bytes(), chunk)
                .into_iter()
                .map(Result::unwrap)
                .collect();
            assert_eq!(got, ["a&b", "<c>", ""], "chunk {chunk}");
        }
    }

    #[test]
    fn truncation_and_mismatch_are_errors() {
        let doc = env(r#"<r:resp xmlns:r="urn:r"><return><v>1</v><v>2</v></return></r:resp>"#);
        let cut = doc.find("<v>2").unwrap() + 2;
        let got = run(&doc.as_bytes()[..cut], 4);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].as_ref().unwrap(), "1");
        assert!(
            matches!(&got[1], Err(Error::Decode { error, .. }) if error.kind == DecodeErrorKind::UnexpectedEof)
        );

        let bad = env(r#"<r:resp xmlns:r="urn:r"><return><v>1</w></return></r:resp>"#);
        let got = run(bad.as_bytes(), 3);
        assert_eq!(got.len(), 1);
        let Err(Error::Decode { error, .. }) = &got[0] else {
            panic!("{got:?}")
        };
        let line3 = bad.lines().nth(2).unwrap();
        let col = line3.find("</w>").unwrap() + 1;
        assert_eq!((error.line, error.column as usize), (3, col), "{error}");
    }

    #[test]
    fn doctype_wrong_root_and_empty_body() {
        let got = run(b"<!DOCTYPE x [<!ENTITY a 'b'>]><x/>", 2);
        assert!(
            matches!(&got[..], [Err(Error::Decode { error, .. })] if error.kind == DecodeErrorKind::Doctype)
        );
        let got = run(b"<html><body>503</body></html>", 2);
        assert!(
            matches!(&got[..], [Err(Error::UnexpectedResponse { .. })]),
            "{got:?}"
        );
        let got = run(
            br#"<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body/></e:Envelope>"#,
            2,
        );
        assert!(
            matches!(&got[..], [Err(Error::VersionMismatch { .. })]),
            "{got:?}"
        );
        let got = run(env("").as_bytes(), 2);
        assert!(
            matches!(&got[..], [Err(Error::Decode { error, .. })] if matches!(error.kind, DecodeErrorKind::UnexpectedElement { .. })),
            "{got:?}"
        );
        let got = run(env("<other/>").as_bytes(), 2);
        assert!(
            matches!(&got[..], [Err(Error::Decode { error, .. })] if matches!(error.kind, DecodeErrorKind::UnexpectedElement { .. })),
            "{got:?}"
        );
        let got = run(b"", 2);
        assert!(
            matches!(&got[..], [Err(Error::Decode { error, .. })] if error.kind == DecodeErrorKind::UnexpectedEof),
            "{got:?}"
        );
    }

    #[test]
    fn size_limit() {
        let doc = env(&format!(
            r#"<r:resp xmlns:r="urn:r"><return><v>{}</v></return></r:resp>"#,
            "x".repeat(5000)
        ));
        let mut sp = ItemSplitter::<String>::new(SoapVersion::V11, &PATH).with_max_item_size(1000);
        let mut errs = 0;
        for c in doc.as_bytes().chunks(100) {
            sp.feed(c);
            while let Some(r) = sp.next_item() {
                assert!(r.is_err());
                errs += 1;
            }
        }
        assert_eq!(errs, 1);
        assert!(sp.max_buffered() < 1300);
    }
}
