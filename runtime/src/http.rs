//! Clients for WSDL 1.1 HTTP bindings (`http:binding verb="GET"|"POST"`): query strings, form
//! bodies carrying an XML document, `mime:mimeXml` answers, raw bytes (PDF) and JSON bodies.
//!
//! Generated HTTP-binding clients wrap one [`HttpBindingClient`]. The answer is classified by
//! its body ([`body_kind`]: XML with its root element, JSON, or other bytes) together with the
//! `Content-Type`, never by the HTTP status: some services (CDEK) send the same error document
//! with 200 or 500. Declared fault bodies become [`Error::BindingFault`]; anything that does
//! not decode keeps the raw body ([`Error::Decode`], [`Error::UnexpectedResponse`]).
//!
//! JSON bodies are (de)serialized through [`JsonRead`]/[`JsonWrite`], which generated code
//! implements for the XSD types that describe JSON objects (one member per child element).
//! Simple values go through their XML text form ([`XmlText`]), so numbers sent as strings
//! (`"price":"1250"`) and strings sent as numbers both decode.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;

use crate::error::Error;
use crate::transport::{HttpRequest, HttpResponse, Method, Transport};
use crate::xml::{XmlRead, XmlReader, XmlText, XmlWrite, XmlWriter};

pub use serde_json::{Map as JsonMap, Value as JsonValue};

/// An endpoint of an HTTP binding: base URL, transport and default deadline.
///
/// Operation locations are relative and resolved against the base URL. Cloning is cheap.
#[derive(Debug, Clone)]
pub struct HttpBindingClient {
    base: String,
    transport: Arc<dyn Transport>,
    timeout: Option<Duration>,
}

impl HttpBindingClient {
    /// A client for `base_url` over the default transport
    /// ([`ReqwestTransport`](crate::transport::ReqwestTransport)).
    #[cfg(feature = "reqwest")]
    pub fn new(base_url: impl Into<String>) -> Self {
        Self::with_transport_arc(
            base_url,
            Arc::new(crate::transport::ReqwestTransport::new()),
        )
    }

    /// A client for `base_url` over `transport`.
    pub fn with_transport_arc(base_url: impl Into<String>, transport: Arc<dyn Transport>) -> Self {
        Self {
            base: base_url.into(),
            transport,
            timeout: None,
        }
    }

    /// Replaces the transport.
    #[must_use]
    pub fn with_transport(mut self, transport: impl Transport + 'static) -> Self {
        self.transport = Arc::new(transport);
        self
    }

    /// Sets the deadline of every request; `None` uses the transport's default.
    #[must_use]
    pub fn with_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.timeout = timeout.into();
        self
    }

    /// Replaces the base URL.
    #[must_use]
    pub fn with_base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base = base_url.into();
        self
    }

    /// The base URL.
    #[must_use]
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// The request deadline.
    #[must_use]
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// The transport.
    #[must_use]
    pub fn transport(&self) -> &Arc<dyn Transport> {
        &self.transport
    }

    /// The absolute URL of `location` (relative to the base URL; one `/` between them).
    #[must_use]
    pub fn url(&self, location: &str) -> String {
        if location.contains("://") {
            return location.to_owned();
        }
        format!(
            "{}/{}",
            self.base.trim_end_matches('/'),
            location.trim_start_matches('/')
        )
    }

    /// `GET location?query`.
    ///
    /// # Errors
    /// Transport failures (the response itself is returned whatever its status).
    pub async fn get<D>(&self, location: &str, query: &FormBody) -> Result<HttpResponse, Error<D>> {
        let mut url = self.url(location);
        if !query.is_empty() {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(query.as_str());
        }
        self.send(Method::Get, url, None, Bytes::new()).await
    }

    /// `POST location` with a form body (`application/x-www-form-urlencoded`).
    ///
    /// # Errors
    /// Transport failures.
    pub async fn post_form<D>(
        &self,
        location: &str,
        form: &FormBody,
    ) -> Result<HttpResponse, Error<D>> {
        let url = self.url(location);
        let body = Bytes::from(form.as_str().to_owned());
        self.send(
            Method::Post,
            url,
            Some("application/x-www-form-urlencoded"),
            body,
        )
        .await
    }

    /// `POST location` with a JSON body.
    ///
    /// # Errors
    /// Transport failures.
    pub async fn post_json<D>(
        &self,
        location: &str,
        body: &JsonValue,
    ) -> Result<HttpResponse, Error<D>> {
        let url = self.url(location);
        let body = Bytes::from(body.to_string());
        self.send(Method::Post, url, Some("application/json"), body)
            .await
    }

    async fn send<D>(
        &self,
        method: Method,
        url: String,
        content_type: Option<&str>,
        body: Bytes,
    ) -> Result<HttpResponse, Error<D>> {
        let mut headers = Vec::new();
        if let Some(ct) = content_type {
            headers.push(("Content-Type".to_owned(), format!("{ct}; charset=utf-8")));
        }
        headers.push((
            "Accept".to_owned(),
            "application/xml, application/json, application/pdf, */*".to_owned(),
        ));
        tracing::debug!(?method, %url, "HTTP binding request");
        let request = HttpRequest {
            method,
            url,
            headers,
            body,
            timeout: self.timeout,
        };
        Ok(self.transport.send(request).await?)
    }
}

/// A query string or form body (`application/x-www-form-urlencoded`), built pair by pair.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormBody {
    encoded: String,
}

impl FormBody {
    /// An empty body.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `name=value`.
    pub fn push(&mut self, name: &str, value: &str) {
        if !self.encoded.is_empty() {
            self.encoded.push('&');
        }
        form_encode(name, &mut self.encoded);
        self.encoded.push('=');
        form_encode(value, &mut self.encoded);
    }

    /// Appends `name=<text form of value>`.
    pub fn push_text<T: XmlText>(&mut self, name: &str, value: &T) {
        self.push(name, &value.to_text());
    }

    /// Appends `name=<text form of value>` when `value` is set; an unset parameter is left out.
    pub fn push_opt<T: XmlText>(&mut self, name: &str, value: Option<&T>) {
        if let Some(v) = value {
            self.push_text(name, v);
        }
    }

    /// Appends `name=<value written as a standalone XML document>` (the form field of a POST
    /// binding whose part is an element).
    pub fn push_xml<T: XmlWrite + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        root: crate::xml::Name<'_>,
    ) {
        self.push(name, &xml_document(value, root));
    }

    /// Whether nothing was appended.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.encoded.is_empty()
    }

    /// The encoded form.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.encoded
    }
}

/// `value` as a standalone XML document with root `root` (with an XML declaration).
#[must_use]
pub fn xml_document<T: XmlWrite + ?Sized>(value: &T, root: crate::xml::Name<'_>) -> String {
    let mut w = XmlWriter::new();
    w.declaration();
    value.write_xml(&mut w, root);
    String::from_utf8_lossy(&w.into_bytes()).into_owned()
}

/// Percent-encodes `s` the way HTML forms do (space → `+`).
fn form_encode(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                out.push(char::from(b));
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0xF)]));
            }
        }
    }
}

/// What an answer body is, from its first bytes and its `Content-Type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyKind {
    /// An XML document with this root element local name.
    Xml(String),
    /// A JSON document.
    Json,
    /// Anything else (PDF, HTML, empty): the `Content-Type` (lower case, without parameters).
    Other(String),
}

/// Classifies `resp`: the body's first non-space byte decides between XML (`<`) and JSON
/// (`{`/`[`) because servers mislabel both; other bodies are reported with their media type.
#[must_use]
pub fn body_kind(resp: &HttpResponse) -> BodyKind {
    let media = resp
        .header("content-type")
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let body = resp.body.as_ref();
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let first = body.iter().find(|b| !b.is_ascii_whitespace()).copied();
    match first {
        Some(b'<') if !media.contains("html") || looks_like_xml(body) => {
            let mut r = XmlReader::new(body);
            match r.root() {
                Ok(start) => {
                    BodyKind::Xml(String::from_utf8_lossy(start.local_name()).into_owned())
                }
                Err(_) => BodyKind::Other(media),
            }
        }
        Some(b'{' | b'[') => BodyKind::Json,
        _ => BodyKind::Other(media),
    }
}

fn looks_like_xml(body: &[u8]) -> bool {
    let text = String::from_utf8_lossy(body.get(..body.len().min(64)).unwrap_or_default());
    let t = text.trim_start().to_ascii_lowercase();
    t.starts_with("<?xml") || !(t.starts_with("<!doctype") || t.starts_with("<html"))
}

/// Decodes `resp`'s body as the XML document whose root element is `local` (in namespace `ns`).
///
/// # Errors
/// [`Error::Decode`] with the whole body when the document does not match.
pub fn read_xml_body<T: XmlRead, D>(
    resp: &HttpResponse,
    ns: Option<&str>,
    local: &str,
) -> Result<T, Error<D>> {
    let mut r = XmlReader::new(&resp.body);
    let result = r
        .root()
        .and_then(|start| crate::client::expect_element::<T>(&mut r, Some(&start), ns, local));
    result.map_err(|error| Error::Decode {
        error,
        status: resp.status,
        body: resp.body.clone(),
    })
}

/// Decodes `resp`'s body as JSON shaped by `T`.
///
/// # Errors
/// [`Error::UnexpectedResponse`] with the whole body when the body is not JSON or not `T`.
pub fn read_json_body<T: JsonRead, D>(resp: &HttpResponse) -> Result<T, Error<D>> {
    let value: JsonValue = serde_json::from_slice(&resp.body)
        .map_err(|e| unexpected(resp, format!("invalid JSON: {e}")))?;
    T::read_json(&value).map_err(|e| unexpected(resp, format!("JSON does not match: {e}")))
}

/// A declared fault body: decodes it with `read` and wraps it with `wrap`.
///
/// # Errors
/// Always an error: [`Error::BindingFault`], or the decode error of the fault body.
pub fn binding_fault<F, D>(
    resp: &HttpResponse,
    read: impl FnOnce(&HttpResponse) -> Result<F, Error<D>>,
    wrap: impl FnOnce(F) -> D,
) -> Error<D> {
    match read(resp) {
        Ok(f) => Error::BindingFault {
            detail: Box::new(wrap(f)),
            status: resp.status,
            body: resp.body.clone(),
        },
        Err(e) => e,
    }
}

/// [`Error::UnexpectedResponse`] for `resp`.
#[must_use]
pub fn unexpected<D>(resp: &HttpResponse, message: impl Into<String>) -> Error<D> {
    Error::UnexpectedResponse {
        message: message.into(),
        status: resp.status,
        body: resp.body.clone(),
    }
}

/// The body of a `mime:content` answer of another media type (PDF…): the raw bytes, when
/// the `Content-Type` is `media_type` or the body starts like one (`%PDF`).
///
/// # Errors
/// [`Error::UnexpectedResponse`] when the body is something else.
pub fn read_bytes_body<D>(resp: &HttpResponse, media_type: &str) -> Result<Vec<u8>, Error<D>> {
    let media = resp
        .header("content-type")
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let pdf_magic =
        media_type.eq_ignore_ascii_case("application/pdf") && resp.body.starts_with(b"%PDF");
    if pdf_magic || media.eq_ignore_ascii_case(media_type) {
        Ok(resp.body.to_vec())
    } else {
        Err(unexpected(
            resp,
            format!("expected a `{media_type}` body, got `{media}`"),
        ))
    }
}

/// A value read from a JSON document.
pub trait JsonRead: Sized {
    /// Decodes `v`.
    ///
    /// # Errors
    /// A message with the path of the member that does not match.
    fn read_json(v: &JsonValue) -> Result<Self, String>;
}

/// A value written as a JSON document.
pub trait JsonWrite {
    /// Encodes `self`.
    fn write_json(&self) -> JsonValue;
}

/// `v` as a JSON object.
///
/// # Errors
/// `v` is not an object.
pub fn json_object<'v>(
    v: &'v JsonValue,
    ty: &str,
) -> Result<&'v JsonMap<String, JsonValue>, String> {
    v.as_object()
        .ok_or_else(|| format!("`{ty}`: expected a JSON object, found {}", kind_of(v)))
}

fn kind_of(v: &JsonValue) -> &'static str {
    match v {
        JsonValue::Null => "null",
        JsonValue::Bool(_) => "a boolean",
        JsonValue::Number(_) => "a number",
        JsonValue::String(_) => "a string",
        JsonValue::Array(_) => "an array",
        JsonValue::Object(_) => "an object",
    }
}

/// Reads a simple value through its text form: strings as they are, numbers and booleans as
/// their JSON text (so `"137"` and `137` both decode as an integer or a string).
///
/// # Errors
/// Objects, arrays, or text that `T` rejects.
pub fn json_text<T: XmlText>(v: &JsonValue) -> Result<T, String> {
    let text = match v {
        JsonValue::String(s) => s.clone(),
        JsonValue::Number(n) => n.to_string(),
        JsonValue::Bool(b) => b.to_string(),
        other => return Err(format!("expected a simple value, found {}", kind_of(other))),
    };
    T::parse_text(text.trim()).map_err(|e| format!("{text:?}: {e}"))
}

/// Reads a struct value.
///
/// # Errors
/// Whatever `T` reports.
pub fn json_struct<T: JsonRead>(v: &JsonValue) -> Result<T, String> {
    T::read_json(v)
}

/// A required member.
///
/// # Errors
/// Missing, `null`, or not decodable by `read`.
pub fn json_req<T>(
    o: &JsonMap<String, JsonValue>,
    key: &str,
    read: fn(&JsonValue) -> Result<T, String>,
) -> Result<T, String> {
    match o.get(key) {
        None | Some(JsonValue::Null) => Err(format!("missing member `{key}`")),
        Some(v) => read(v).map_err(|e| format!("{key}: {e}")),
    }
}

/// An optional member: missing or `null` → `None`.
///
/// # Errors
/// Present but not decodable by `read`.
pub fn json_opt<T>(
    o: &JsonMap<String, JsonValue>,
    key: &str,
    read: fn(&JsonValue) -> Result<T, String>,
) -> Result<Option<T>, String> {
    match o.get(key) {
        None | Some(JsonValue::Null) => Ok(None),
        Some(v) => read(v).map(Some).map_err(|e| format!("{key}: {e}")),
    }
}

/// A repeated member: missing or `null` → empty; an array → its items; a single value (some
/// services send one object where the schema allows several) → one item.
///
/// # Errors
/// An item not decodable by `read`.
pub fn json_vec<T>(
    o: &JsonMap<String, JsonValue>,
    key: &str,
    read: fn(&JsonValue) -> Result<T, String>,
) -> Result<Vec<T>, String> {
    match o.get(key) {
        None | Some(JsonValue::Null) => Ok(Vec::new()),
        Some(JsonValue::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| read(v).map_err(|e| format!("{key}[{i}]: {e}")))
            .collect(),
        Some(v) => read(v).map(|x| vec![x]).map_err(|e| format!("{key}: {e}")),
    }
}

/// A simple value written as a JSON string.
pub fn text_json_string<T: XmlText>(v: &T) -> JsonValue {
    JsonValue::String(v.to_text())
}

/// A numeric simple value written as a JSON number (as a string if its text is not a number).
pub fn text_json_number<T: XmlText>(v: &T) -> JsonValue {
    let text = v.to_text();
    match text.parse::<serde_json::Number>() {
        Ok(n) => JsonValue::Number(n),
        Err(_) => JsonValue::String(text),
    }
}

/// A boolean written as a JSON boolean.
pub fn text_json_bool(v: &bool) -> JsonValue {
    JsonValue::Bool(*v)
}

/// A struct value.
pub fn json_write<T: JsonWrite>(v: &T) -> JsonValue {
    v.write_json()
}

/// Sets member `key` (`null` is never written).
pub fn json_put<T>(
    o: &mut JsonMap<String, JsonValue>,
    key: &str,
    v: &T,
    write: fn(&T) -> JsonValue,
) {
    o.insert(key.to_owned(), write(v));
}

/// Sets member `key` when `v` is set (an optional member is left out otherwise).
pub fn json_put_opt<T>(
    o: &mut JsonMap<String, JsonValue>,
    key: &str,
    v: Option<&T>,
    write: fn(&T) -> JsonValue,
) {
    if let Some(v) = v {
        o.insert(key.to_owned(), write(v));
    }
}

/// Sets member `key` to an array; an empty optional array is left out.
pub fn json_put_vec<T>(
    o: &mut JsonMap<String, JsonValue>,
    key: &str,
    v: &[T],
    required: bool,
    write: fn(&T) -> JsonValue,
) {
    if required || !v.is_empty() {
        o.insert(
            key.to_owned(),
            JsonValue::Array(v.iter().map(write).collect()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(ct: &str, body: &str, status: u16) -> HttpResponse {
        HttpResponse {
            status,
            headers: vec![("content-type".into(), ct.into())],
            body: Bytes::from(body.to_owned()),
        }
    }

    #[test]
    fn form_encoding_matches_html_forms() {
        let mut f = FormBody::new();
        f.push("xml_request", "<a b=\"1 2\">я&</a>");
        f.push_opt::<i32>("cityid", None);
        f.push_opt("weightmax", Some(&30));
        assert_eq!(
            f.as_str(),
            "xml_request=%3Ca+b%3D%221+2%22%3E%D1%8F%26%3C%2Fa%3E&weightmax=30"
        );
    }

    #[test]
    fn classifies_by_body_not_status() {
        let r = resp(
            "text/html",
            "<?xml version=\"1.0\"?><response><Order/></response>",
            500,
        );
        assert_eq!(body_kind(&r), BodyKind::Xml("response".into()));
        let r = resp("text/html", " {\"alerts\":[]}", 200);
        assert_eq!(body_kind(&r), BodyKind::Json);
        let r = resp("application/pdf", "%PDF-1.4", 200);
        assert_eq!(body_kind(&r), BodyKind::Other("application/pdf".into()));
        let r = resp("text/html", "<html><body>502</body></html>", 502);
        assert_eq!(body_kind(&r), BodyKind::Other("text/html".into()));
    }

    #[test]
    fn json_values_are_lenient() {
        let v: JsonValue = serde_json::json!({"a": "137", "b": 1190, "c": {"x": 1}});
        let o = json_object(&v, "T").unwrap();
        assert_eq!(json_req(o, "a", json_text::<i32>).unwrap(), 137);
        assert_eq!(json_req(o, "b", json_text::<String>).unwrap(), "1190");
        assert_eq!(json_opt(o, "z", json_text::<i32>).unwrap(), None);
        assert!(json_req(o, "z", json_text::<i32>).is_err());
        assert!(json_req(o, "c", json_text::<i32>).is_err());
        let one = json_vec(o, "b", json_text::<i64>).unwrap();
        assert_eq!(one, vec![1190]);
        assert_eq!(text_json_number(&12_i32), serde_json::json!(12));
        let r = resp("application/json", "{\"a\":", 200);
        let e = read_json_body::<Dummy, crate::fault::NoDetail>(&r).unwrap_err();
        assert_eq!(e.body(), Some(&b"{\"a\":"[..]));
    }

    #[derive(Debug)]
    struct Dummy;
    impl JsonRead for Dummy {
        fn read_json(_: &JsonValue) -> Result<Self, String> {
            Ok(Self)
        }
    }

    #[test]
    fn url_joins_relative_locations() {
        let c = HttpBindingClient::with_transport_arc(
            "https://integration.cdek.ru/",
            Arc::new(crate::transport::ReqwestTransport::new()),
        );
        assert_eq!(
            c.url("new_orders.php"),
            "https://integration.cdek.ru/new_orders.php"
        );
        let c = c.with_base_url("http://127.0.0.1:1");
        assert_eq!(
            c.url("/pvzlist/v1/xml"),
            "http://127.0.0.1:1/pvzlist/v1/xml"
        );
    }
}
