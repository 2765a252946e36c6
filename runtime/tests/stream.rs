//! Streaming decode of large list responses (`SoapClient::call_streaming`, `ItemSplitter`)
//! against a real HTTP server on 127.0.0.1 that sends the body in many small chunks.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::StatusCode;
use axum::response::Response;
use futures_util::StreamExt as _;
use soap_runtime::client::{expect_start, OperationInfo, SoapClient};
use soap_runtime::envelope::{read_envelope, EnvelopeBody, SoapVersion, SOAP11_ENV_NS};
use soap_runtime::error::Error;
use soap_runtime::fault::{Detail, FaultCodeKind, FaultDetail, NoDetail};
use soap_runtime::stream::{decode_items, ItemSplitter};
use soap_runtime::transport::TransportError;
use soap_runtime::xml::{
    DecodeError, DecodeErrorKind, Name, Start, XmlRead, XmlReader, XmlWriter, XSI_NS,
};

const NS: &str = "http://dpd.ru/ws/geography/2015-05-20";
const ADDR_NS: &str = "urn:addr";

static PATH: [Name<'static>; 3] = [
    Name::qualified(NS, "getParcelShopsResponse"),
    Name::unqualified("return"),
    Name::unqualified("parcelShop"),
];

const OP: OperationInfo = OperationInfo {
    name: "getParcelShops",
    soap_action: None,
};

#[derive(Debug, Clone, PartialEq)]
struct Address {
    city: String,
    street: String,
    house: Option<String>,
}

/// The shape of a DPD parcel shop: code, name, nested address, unbounded (nillable) children.
#[derive(Debug, Clone, PartialEq)]
struct ParcelShop {
    code: String,
    kind: Option<String>,
    name: String,
    address: Address,
    services: Vec<String>,
    phones: Vec<Option<String>>,
    max_weight: Option<f64>,
}

fn text<'a>(r: &mut XmlReader<'a>, c: &Start<'a>) -> Result<String, DecodeError> {
    Ok(r.text(c)?.into_owned())
}

impl XmlRead for Address {
    fn read_xml<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self, DecodeError> {
        let (mut city, mut street, mut house) = (None, None, None);
        r.children(start, |r, c| {
            match c.local_name() {
                b"city" => city = Some(text(r, &c)?),
                b"street" => street = Some(text(r, &c)?),
                b"house" => house = Some(text(r, &c)?),
                _ => r.skip(&c)?,
            }
            Ok(())
        })?;
        let missing = |field| DecodeErrorKind::MissingElement {
            ty: "Address",
            field,
        };
        Ok(Self {
            city: city.ok_or_else(|| r.error(missing("city")))?,
            street: street.ok_or_else(|| r.error(missing("street")))?,
            house,
        })
    }
}

impl XmlRead for ParcelShop {
    fn read_xml<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self, DecodeError> {
        let kind = r.attr(start, None, "type")?.map(|v| v.into_owned());
        let (mut code, mut name, mut address) = (None, None, None);
        let (mut services, mut phones, mut max_weight) = (Vec::new(), Vec::new(), None);
        r.children(start, |r, c| {
            match c.local_name() {
                b"code" => code = Some(text(r, &c)?),
                b"name" => name = Some(text(r, &c)?),
                // Qualified with a prefix declared on an ancestor of the item.
                b"address" if r.ns_is(&c, Some(ADDR_NS)) => {
                    address = Some(Address::read_xml(r, &c)?);
                }
                b"service" => services.push(text(r, &c)?),
                b"phone" if r.is_nil(&c) => {
                    r.skip(&c)?;
                    phones.push(None);
                }
                b"phone" => phones.push(Some(text(r, &c)?)),
                b"maxWeight" => max_weight = Some(f64::read_xml(r, &c)?),
                _ => r.skip(&c)?,
            }
            Ok(())
        })?;
        let missing = |field| DecodeErrorKind::MissingElement {
            ty: "ParcelShop",
            field,
        };
        Ok(Self {
            code: code.ok_or_else(|| r.error(missing("code")))?,
            kind,
            name: name.ok_or_else(|| r.error(missing("name")))?,
            address: address.ok_or_else(|| r.error(missing("address")))?,
            services,
            phones,
            max_weight,
        })
    }
}

/// One parcel shop as DPD would write it, with everything awkward a splitter can meet:
/// entity and character references, CDATA with markup, `>` inside an attribute value,
/// comments with tags inside, Cyrillic (multi-byte UTF-8), nil children.
fn shop_xml(i: usize) -> String {
    let house = if i.is_multiple_of(3) {
        String::new()
    } else {
        format!("<house>{}к{}</house>", i % 97, i % 5)
    };
    let phones = if i.is_multiple_of(2) {
        format!(r#"<phone>+7 495 {i:07}</phone><phone xsi:nil="true"/><phone>8&#45;800</phone>"#)
    } else {
        String::new()
    };
    format!(
        concat!(
            r#"<parcelShop type="П&amp;В>З 'x'"><code>{i:05}</code>"#,
            r#"<name>ПВЗ (pickup point) №{i} &amp; Co &lt;{i}&gt; &#1055;</name>"#,
            r#"<!-- <parcelShop type="fake"> -->"#,
            r#"<a:address><city>Москва</city><street><![CDATA[ул. Ленина <корп. {i}> & ]]>д.</street>{house}</a:address>"#,
            r#"<service>ПРД</service><service>ТТ{i}</service>{phones}<?note x?>"#,
            r#"<maxWeight>{w}.5</maxWeight></parcelShop>"#
        ),
        i = i,
        house = house,
        phones = phones,
        w = i % 1000
    )
}

/// A whole getParcelShops response with `n` shops (one per line), a nil item every 100th
/// entry, siblings of the list and a same-named element in another namespace.
fn response(n: usize) -> String {
    let mut s = String::with_capacity(n * 500 + 1000);
    s.push_str(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    s.push('\n');
    s.push_str(&format!(
        r#"<S:Envelope xmlns:S="{SOAP11_ENV_NS}" xmlns:xsi="{XSI_NS}">"#
    ));
    s.push_str("\n<S:Header><h:trace xmlns:h=\"urn:h\"><parcelShop>not an item</parcelShop></h:trace></S:Header>");
    s.push_str(&format!(
        "<S:Body><ns2:getParcelShopsResponse xmlns:ns2=\"{NS}\" xmlns:a=\"{ADDR_NS}\">\n<return><total>{n}</total>\n"
    ));
    for i in 0..n {
        if i % 100 == 50 {
            s.push_str("<parcelShop xsi:nil=\"true\"/>\n");
        }
        if i % 250 == 7 {
            s.push_str("<o:parcelShop xmlns:o=\"urn:other\"><code>no</code></o:parcelShop>\n");
        }
        s.push_str(&shop_xml(i));
        s.push('\n');
    }
    s.push_str(
        "</return><note>after the list</note></ns2:getParcelShopsResponse></S:Body></S:Envelope>\n",
    );
    s
}

/// The reference: the whole document decoded at once with the ordinary envelope reader.
fn whole_document(doc: &[u8]) -> Vec<ParcelShop> {
    let got = read_envelope::<_, NoDetail, _>(SoapVersion::V11, doc, |r, s| {
        let wrapper = expect_start(r, s, Some(NS), "getParcelShopsResponse")?;
        let mut items = Vec::new();
        r.children(&wrapper, |r, c| {
            if c.local_name() != b"return" || !r.ns_is(&c, None) {
                return r.skip(&c);
            }
            r.children(&c, |r, i| {
                if i.local_name() == b"parcelShop" && r.ns_is(&i, None) && !r.is_nil(&i) {
                    items.push(ParcelShop::read_xml(r, &i)?);
                    Ok(())
                } else {
                    r.skip(&i)
                }
            })
        })?;
        Ok(items)
    })
    .unwrap();
    match got {
        EnvelopeBody::Value(v) => v,
        EnvelopeBody::Fault(f) => panic!("{f}"),
    }
}

/// Chunk sizes cycling through small primes, so boundaries land everywhere.
fn awkward_chunks(doc: &[u8]) -> Vec<Bytes> {
    const SIZES: [usize; 12] = [1, 2, 3, 5, 7, 11, 13, 17, 31, 61, 127, 3];
    let mut out = Vec::new();
    let mut at = 0;
    let mut k = 0;
    while at < doc.len() {
        let end = (at + SIZES[k % SIZES.len()]).min(doc.len());
        out.push(Bytes::copy_from_slice(&doc[at..end]));
        at = end;
        k += 1;
    }
    out
}

/// Whether some chunk boundary falls strictly inside an occurrence of `needle`.
fn splits_inside(doc: &str, chunks: &[Bytes], needle: &str) -> bool {
    let mut boundaries = std::collections::BTreeSet::new();
    let mut at = 0;
    for c in chunks {
        at += c.len();
        boundaries.insert(at);
    }
    doc.match_indices(needle)
        .any(|(i, m)| boundaries.range(i + 1..i + m.len()).next().is_some())
}

/// How the server sends the body.
#[derive(Clone)]
struct Plan {
    status: u16,
    chunks: Vec<Bytes>,
    /// Sleep 1 ms after every this many chunks.
    pause_every: usize,
    /// Abort the connection after the chunks instead of ending the body.
    abort: bool,
}

impl Plan {
    fn new(status: u16, chunks: Vec<Bytes>) -> Self {
        Self {
            status,
            chunks,
            pause_every: 200,
            abort: false,
        }
    }
}

/// Starts a server answering every request with `plan`; returns its URL.
async fn serve(plan: Plan) -> String {
    let app = axum::Router::new().fallback(move || {
        let plan = plan.clone();
        async move {
            let pause_every = plan.pause_every.max(1);
            let abort = plan.abort;
            let body = futures_util::stream::iter(plan.chunks.into_iter().enumerate())
                .then(move |(i, c)| async move {
                    if i % pause_every == pause_every - 1 {
                        tokio::time::sleep(Duration::from_millis(1)).await;
                    }
                    Ok::<_, std::io::Error>(c)
                })
                .chain(futures_util::stream::iter(
                    abort.then(|| Err(std::io::Error::other("connection reset"))),
                ));
            Response::builder()
                .status(StatusCode::from_u16(plan.status).unwrap())
                .header("content-type", "text/xml; charset=utf-8")
                .body(Body::from_stream(body))
                .unwrap()
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/geography2")
}

fn write_request(w: &mut XmlWriter) {
    let n = Name::qualified(NS, "getParcelShops");
    w.open(n);
    w.close(n);
}

async fn fetch<D: FaultDetail + Send + 'static>(url: &str) -> Vec<Result<ParcelShop, Error<D>>> {
    let client = SoapClient::new(url, SoapVersion::V11);
    client
        .call_streaming::<ParcelShop, D>(&OP, |_| {}, write_request, &PATH)
        .collect()
        .await
}

/// Feeds `chunks` to a splitter, collecting everything it yields.
fn split_all<T: XmlRead>(
    chunks: impl IntoIterator<Item = impl AsRef<[u8]>>,
) -> (Vec<Result<T, Error>>, ItemSplitter<T>) {
    let mut sp = ItemSplitter::<T>::new(SoapVersion::V11, &PATH);
    let mut out = Vec::new();
    for c in chunks {
        sp.feed(c.as_ref());
        out.extend(std::iter::from_fn(|| sp.next_item()));
    }
    sp.end();
    out.extend(std::iter::from_fn(|| sp.next_item()));
    (out, sp)
}

#[tokio::test]
async fn five_thousand_items_in_awkward_chunks_match_whole_document_decode() {
    let doc = response(5_000);
    let expected = whole_document(doc.as_bytes());
    assert_eq!(expected.len(), 5_000);
    let chunks = awkward_chunks(doc.as_bytes());
    for needle in [
        "&amp;",
        "&#1055;",
        "<![CDATA[",
        "]]>",
        r#""П&amp;В>З 'x'""#,
        "<parcelShop",
        "</parcelShop>",
        "xsi:nil=\"true\"",
        "Москва",
        "<!--",
    ] {
        assert!(
            splits_inside(&doc, &chunks, needle),
            "no split inside {needle}"
        );
    }
    assert!(chunks.len() > 50_000, "{} chunks", chunks.len());

    let url = serve(Plan::new(200, chunks)).await;
    let got: Vec<ParcelShop> = fetch::<NoDetail>(&url)
        .await
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(got.len(), expected.len());
    assert_eq!(got, expected);
    // Spot checks of what the awkward parts decode to.
    assert_eq!(got[1].kind.as_deref(), Some("П&В>З 'x'"));
    assert_eq!(got[1].name, "ПВЗ (pickup point) №1 & Co <1> П");
    assert_eq!(got[1].address.street, "ул. Ленина <корп. 1> & д.");
    assert_eq!(
        got[2].phones,
        [Some("+7 495 0000002".into()), None, Some("8-800".into())]
    );
    assert_eq!(got[3].address.house, None);
}

#[test]
fn one_byte_chunks_match_whole_document_decode() {
    let doc = response(300);
    let expected = whole_document(doc.as_bytes());
    let (got, sp) = split_all::<ParcelShop>(doc.as_bytes().chunks(1));
    let got: Vec<ParcelShop> = got.into_iter().collect::<Result<_, _>>().unwrap();
    assert_eq!(got, expected);
    assert!(sp.is_finished());
    // The largest shop plus a byte, never the document.
    let largest = (0..300).map(|i| shop_xml(i).len()).max().unwrap();
    assert!(
        sp.max_buffered() <= largest + 1,
        "{} > {largest}",
        sp.max_buffered()
    );
}

static QPATH: [Name<'static>; 2] = [
    Name::qualified("urn:list", "shops"),
    Name::qualified("urn:item", "shop"),
];

#[test]
fn namespaces_declared_on_envelope_and_wrapper_resolve() {
    // `i` (the item namespace) and `t` are declared on the envelope, the default namespace
    // (the address namespace) on the wrapper; the item re-declares nothing.
    let doc = format!(
        r#"<e:Envelope xmlns:e="{SOAP11_ENV_NS}" xmlns:i="urn:item" xmlns:t="urn:item"><e:Body><l:shops xmlns:l="urn:list" xmlns="{ADDR_NS}"><i:shop><code xmlns="">1</code><name xmlns="">a</name><address><city xmlns="">c</city><street xmlns="">s</street></address></i:shop><shop><code>wrong namespace</code></shop><t:shop><code xmlns="">2</code><name xmlns="">b</name><address><city xmlns="">c</city><street xmlns="">s</street></address></t:shop><i:shop xmlns:i="urn:shadowed"><code>not an item: `i` is rebound</code></i:shop></l:shops></e:Body></e:Envelope>"#
    );
    let mut sp = ItemSplitter::<ParcelShop>::new(SoapVersion::V11, &QPATH);
    let mut got = Vec::new();
    for c in doc.as_bytes().chunks(3) {
        sp.feed(c);
        got.extend(std::iter::from_fn(|| sp.next_item()).map(Result::unwrap));
    }
    sp.end();
    assert!(sp.next_item().is_none());
    assert!(sp.is_finished());
    let codes: Vec<&str> = got.iter().map(|s| s.code.as_str()).collect();
    assert_eq!(codes, ["1", "2"]);
    assert_eq!(got[0].address.city, "c");
}

/// A typed fault detail as generated code would produce it.
#[derive(Debug, PartialEq)]
enum GeoFault {
    WsFault { code: String, message: String },
}

impl FaultDetail for GeoFault {
    fn read_detail<'a>(
        r: &mut XmlReader<'a>,
        child: &Start<'a>,
    ) -> Result<Option<Self>, DecodeError> {
        if child.local_name() != b"WSFault" || !r.ns_is(child, Some(NS)) {
            return Ok(None);
        }
        let (mut code, mut message) = (String::new(), String::new());
        r.children(child, |r, c| {
            match c.local_name() {
                b"code" => code = text(r, &c)?,
                b"message" => message = text(r, &c)?,
                _ => r.skip(&c)?,
            }
            Ok(())
        })?;
        Ok(Some(Self::WsFault { code, message }))
    }
}

fn fault_doc() -> String {
    // `ns2` (the detail namespace) is declared on the envelope, as JAX-WS does.
    format!(
        "<S:Envelope xmlns:S=\"{SOAP11_ENV_NS}\" xmlns:ns2=\"{NS}\"><S:Body><S:Fault><faultcode>S:Server</faultcode><faultstring>Ошибка авторизации (authorisation failed)</faultstring><detail><ns2:WSFault><code>no-auth</code><message>bad key</message></ns2:WSFault></detail></S:Fault></S:Body></S:Envelope>"
    )
}

#[tokio::test]
async fn fault_in_body_is_a_typed_fault_under_500_and_200() {
    for status in [500, 200] {
        let url = serve(Plan::new(status, awkward_chunks(fault_doc().as_bytes()))).await;
        let got = fetch::<GeoFault>(&url).await;
        assert_eq!(got.len(), 1, "status {status}");
        let Err(Error::Fault(fault)) = &got[0] else {
            panic!("status {status}: {:?}", got[0])
        };
        assert_eq!(fault.kind(), FaultCodeKind::Receiver);
        assert_eq!(fault.code.namespace.as_deref(), Some(SOAP11_ENV_NS));
        assert_eq!(fault.reason(), "Ошибка авторизации (authorisation failed)");
        assert_eq!(
            fault.detail,
            Detail::Typed(GeoFault::WsFault {
                code: "no-auth".into(),
                message: "bad key".into()
            })
        );
    }
}

#[tokio::test]
async fn fault_with_undeclared_detail_is_kept_raw() {
    let url = serve(Plan::new(200, awkward_chunks(fault_doc().as_bytes()))).await;
    let got = fetch::<NoDetail>(&url).await;
    let Some(Err(Error::Fault(fault))) = got.first() else {
        panic!("{got:?}")
    };
    let raw = fault.detail.raw().expect("raw detail");
    assert!(raw.contains("<ns2:WSFault><code>no-auth</code>"), "{raw}");
    assert_eq!(got.len(), 1);
}

#[tokio::test]
async fn http_503_is_http_error() {
    let html = "<html><body>503 Service Temporarily Unavailable</body></html>";
    let url = serve(Plan::new(503, awkward_chunks(html.as_bytes()))).await;
    let got = fetch::<NoDetail>(&url).await;
    assert_eq!(got.len(), 1);
    let Err(err @ Error::Http { status: 503, body }) = &got[0] else {
        panic!("{:?}", got[0])
    };
    assert_eq!(body, html);
    assert!(err.is_retryable());
}

#[tokio::test]
async fn truncated_body_is_an_error_after_the_complete_items() {
    let doc = response(200);
    let expected = whole_document(doc.as_bytes());
    // Cut in the middle of the 121st shop.
    let cut = doc.find(&shop_xml(120)).unwrap() + 40;
    let url = serve(Plan::new(200, awkward_chunks(&doc.as_bytes()[..cut]))).await;
    let got = fetch::<NoDetail>(&url).await;
    assert_eq!(got.len(), 121, "120 items and one error");
    for (g, e) in got.iter().zip(&expected[..120]) {
        assert_eq!(g.as_ref().unwrap(), e);
    }
    let Err(Error::Decode { error, status, .. }) = &got[120] else {
        panic!("{:?}", got[120])
    };
    assert_eq!(error.kind, DecodeErrorKind::UnexpectedEof);
    assert_eq!(*status, 200);

    // A connection reset mid-body is a transport error, also after the complete items.
    let mut plan = Plan::new(200, awkward_chunks(&doc.as_bytes()[..cut]));
    plan.abort = true;
    let url = serve(plan).await;
    let got = fetch::<NoDetail>(&url).await;
    // The server may lose what it had not flushed when it resets the connection.
    let (last, items) = got.split_last().unwrap();
    assert!(items.len() <= 120, "{} items", items.len());
    assert!(items.iter().all(Result::is_ok));
    assert!(matches!(last, Err(Error::Transport(_))), "{last:?}");
}

#[tokio::test]
async fn malformed_item_is_decode_error_and_ends_the_stream() {
    let good = response(50);
    let bad_shop = shop_xml(10);
    // An item that is well-formed but does not decode as `ParcelShop`.
    let doc = good.replacen(
        &bad_shop,
        &bad_shop.replace("<maxWeight>10.5", "<maxWeight>heavy"),
        1,
    );
    let url = serve(Plan::new(200, awkward_chunks(doc.as_bytes()))).await;
    let got = fetch::<NoDetail>(&url).await;
    assert_eq!(got.len(), 11, "10 items, then the error, then the end");
    assert!(got[..10].iter().all(Result::is_ok));
    let Err(Error::Decode { error, body, .. }) = &got[10] else {
        panic!("{:?}", got[10])
    };
    assert!(
        matches!(error.kind, DecodeErrorKind::InvalidValue(_)),
        "{error}"
    );
    // The body is the offending item; the position is the one in the whole response.
    assert!(body.starts_with(b"<parcelShop") && body.ends_with(b"</parcelShop>"));
    assert!(String::from_utf8_lossy(body).contains("heavy"));
    let line = doc.lines().position(|l| l.contains("heavy")).unwrap() + 1;
    let line_text = doc.lines().nth(line - 1).unwrap();
    let column = line_text.find("heavy").unwrap() + 1;
    assert_eq!(error.line as usize, line, "{error}");
    // quick-xml reports the end of the text, i.e. the `</maxWeight>` end tag.
    let end_col = line_text.find("heavy</maxWeight>").unwrap() + "heavy</maxWeight>".len() + 1;
    assert!(
        (column..=end_col).contains(&(error.column as usize)),
        "{error}: expected {column}..={end_col}"
    );

    // Malformed XML inside an item (mismatched end tag).
    let doc = good.replacen("<code>00020</code>", "<code>00020</kode>", 1);
    let url = serve(Plan::new(200, awkward_chunks(doc.as_bytes()))).await;
    let got = fetch::<NoDetail>(&url).await;
    assert_eq!(got.len(), 21);
    let Err(Error::Decode { error, .. }) = &got[20] else {
        panic!("{:?}", got[20])
    };
    assert!(
        matches!(&error.kind, DecodeErrorKind::Syntax(m) if m.contains("</kode>")),
        "{error}"
    );
}

#[tokio::test]
async fn doctype_is_refused() {
    let doc = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE S:Envelope [<!ENTITY x \"boom\">]>{}",
        response(3)
    );
    let url = serve(Plan::new(200, awkward_chunks(doc.as_bytes()))).await;
    let got = fetch::<NoDetail>(&url).await;
    assert_eq!(got.len(), 1);
    assert!(
        matches!(&got[0], Err(Error::Decode { error, .. }) if error.kind == DecodeErrorKind::Doctype),
        "{:?}",
        got[0]
    );
}

#[tokio::test]
async fn empty_list_gives_an_empty_stream() {
    let doc = format!(
        "<S:Envelope xmlns:S=\"{SOAP11_ENV_NS}\"><S:Body><ns2:getParcelShopsResponse xmlns:ns2=\"{NS}\"><return/></ns2:getParcelShopsResponse></S:Body></S:Envelope>"
    );
    let url = serve(Plan::new(200, awkward_chunks(doc.as_bytes()))).await;
    assert!(fetch::<NoDetail>(&url).await.is_empty());
}

/// Generates a `n`-shop response lazily, in chunks of about `chunk` bytes.
fn lazy_response(n: usize, chunk: usize) -> impl Iterator<Item = Vec<u8>> {
    let head = {
        let full = response(0);
        let cut = full.find("</return>").unwrap();
        (full[..cut].to_owned(), full[cut..].to_owned())
    };
    let (start, end) = head;
    let mut pending: Vec<u8> = start.into_bytes();
    let mut i = 0;
    let mut tail = Some(end.into_bytes());
    std::iter::from_fn(move || {
        while pending.len() < chunk && i < n {
            pending.extend_from_slice(shop_xml(i).as_bytes());
            pending.push(b'\n');
            i += 1;
        }
        if pending.len() < chunk {
            if let Some(t) = tail.take() {
                pending.extend_from_slice(&t);
            }
        }
        if pending.is_empty() {
            return None;
        }
        let take = pending.len().min(chunk);
        Some(pending.drain(..take).collect())
    })
}

#[test]
fn memory_stays_bounded_on_a_20_mb_body() {
    const CHUNK: usize = 16 * 1024;
    let average = (0..100).map(|i| shop_xml(i).len() + 1).sum::<usize>() / 100;
    let n = 21 * 1024 * 1024 / average;
    let mut sp = ItemSplitter::<ParcelShop>::new(SoapVersion::V11, &PATH);
    let (mut items, mut total) = (0usize, 0usize);
    for c in lazy_response(n, CHUNK) {
        total += c.len();
        sp.feed(&c);
        while let Some(item) = sp.next_item() {
            item.unwrap();
            items += 1;
        }
        // After draining, only an incomplete item (or tag) is left.
        assert!(sp.buffered_len() < 1024, "{} buffered", sp.buffered_len());
    }
    sp.end();
    assert!(sp.next_item().is_none());
    assert!(sp.is_finished());
    assert!(total > 20 * 1024 * 1024, "{total}");
    assert_eq!(items, n);
    assert!(
        sp.max_buffered() <= CHUNK + 1024,
        "peak buffer {} bytes for a {total}-byte body",
        sp.max_buffered()
    );
}

#[tokio::test]
async fn decode_items_over_any_chunk_stream() {
    let doc = response(20);
    let chunks: Vec<Result<Bytes, TransportError>> =
        awkward_chunks(doc.as_bytes()).into_iter().map(Ok).collect();
    let got: Vec<ParcelShop> = decode_items(
        ItemSplitter::<ParcelShop, NoDetail>::new(SoapVersion::V11, &PATH),
        futures_util::stream::iter(chunks),
    )
    .map(Result::unwrap)
    .collect()
    .await;
    assert_eq!(got, whole_document(doc.as_bytes()));
}

#[test]
fn call_streaming_is_send() {
    fn assert_send<S: Send>(_: &S) {}
    let client = SoapClient::with_transport_arc(
        "http://127.0.0.1:9/",
        SoapVersion::V11,
        std::sync::Arc::new(soap_runtime::transport::ReqwestTransport::new()),
    );
    let s = client.call_streaming::<ParcelShop, NoDetail>(&OP, |_| {}, write_request, &PATH);
    assert_send(&s);
}

#[test]
fn soap12_fault_through_the_splitter() {
    static P: [Name<'static>; 1] = [Name::qualified("urn:x", "item")];
    let doc = r#"<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:m="urn:m"><env:Body><env:Fault><env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>m:Limit</env:Value></env:Subcode></env:Code><env:Reason><env:Text xml:lang="en">too many</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>"#;
    let mut sp = ItemSplitter::<String>::new(SoapVersion::V12, &P);
    let mut got = Vec::new();
    for c in doc.as_bytes().chunks(4) {
        sp.feed(c);
        got.extend(std::iter::from_fn(|| sp.next_item()));
    }
    sp.end();
    got.extend(std::iter::from_fn(|| sp.next_item()));
    let [Err(Error::Fault(fault))] = &got[..] else {
        panic!("{got:?}")
    };
    assert_eq!(fault.kind(), FaultCodeKind::Sender);
    assert_eq!(fault.subcodes[0].namespace.as_deref(), Some("urn:m"));
    assert_eq!(fault.reason(), "too many");
    assert!(sp.is_done() && !sp.is_finished());
}

#[tokio::test]
async fn empty_path_is_refused_without_sending() {
    static EMPTY: [Name<'static>; 0] = [];
    let client = SoapClient::new("http://127.0.0.1:9/never", SoapVersion::V11);
    let got: Vec<Result<String, Error>> = client
        .call_streaming(&OP, |_| {}, write_request, &EMPTY)
        .collect()
        .await;
    assert!(
        matches!(&got[..], [Err(Error::InvalidRequest(_))]),
        "{got:?}"
    );
}
