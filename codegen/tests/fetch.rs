//! `codegen fetch` against a real HTTP server (axum on 127.0.0.1) serving a JAX-WS style
//! multi-file WSDL set: `/services/geo?wsdl` (binding + service, inline schema importing the
//! absolute `…/geo?xsd=1`, relative `wsdl:import` of `geo-port.wsdl`), `?xsd=1` importing
//! `?xsd=2` through an absolute location written un-normalized (`/services/./geo?xsd=2`).
#![cfg(feature = "fetch")]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use soap_codegen::catalog::Catalog;
use soap_codegen::fetch::{fetch, FetchError, FetchOptions, FileStatus};

/// `path?query` → (status, body); `{PORT}` in bodies is replaced when served.
type Routes = Arc<Mutex<BTreeMap<String, (u16, String)>>>;

const MAIN_WSDL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- Published by JAX-WS RI. -->
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/"
             xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
             xmlns:xsd="http://www.w3.org/2001/XMLSchema"
             xmlns:tns="http://example.test/ws/geo/2015-05-20"
             targetNamespace="http://example.test/ws/geo/2015-05-20" name="GeoService">
  <import namespace="http://example.test/ws/geo/2015-05-20" location="geo-port.wsdl"/>
  <types>
    <xsd:schema>
      <xsd:import namespace="http://example.test/ws/geo/2015-05-20" schemaLocation="http://127.0.0.1:{PORT}/services/geo?xsd=1"/>
    </xsd:schema>
  </types>
  <binding name="GeoPortBinding" type="tns:Geo">
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http" style="document"/>
    <operation name="getCities">
      <soap:operation soapAction=""/>
      <input><soap:body use="literal"/></input>
      <output><soap:body use="literal"/></output>
    </operation>
  </binding>
  <service name="GeoService">
    <port name="GeoPort" binding="tns:GeoPortBinding">
      <soap:address location="http://127.0.0.1:{PORT}/services/geo"/>
    </port>
  </service>
</definitions>
"#;

const PORT_WSDL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/"
             xmlns:tns="http://example.test/ws/geo/2015-05-20"
             targetNamespace="http://example.test/ws/geo/2015-05-20">
  <message name="getCities"><part name="parameters" element="tns:getCities"/></message>
  <message name="getCitiesResponse"><part name="parameters" element="tns:getCitiesResponse"/></message>
  <portType name="Geo">
    <operation name="getCities">
      <input message="tns:getCities"/>
      <output message="tns:getCitiesResponse"/>
    </operation>
  </portType>
</definitions>
"#;

const XSD1: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="http://example.test/ws/geo/2015-05-20"
           xmlns:c="http://example.test/ws/common" version="1.0"
           targetNamespace="http://example.test/ws/geo/2015-05-20">
  <xs:import namespace="http://example.test/ws/common" schemaLocation="http://127.0.0.1:{PORT}/services/./geo?xsd=2"/>
  <xs:element name="getCities" type="tns:getCities"/>
  <xs:element name="getCitiesResponse" type="tns:getCitiesResponse"/>
  <xs:complexType name="getCities">
    <xs:sequence><xs:element name="auth" type="c:auth" minOccurs="0"/></xs:sequence>
  </xs:complexType>
  <xs:complexType name="getCitiesResponse">
    <xs:sequence><xs:element name="return" type="xs:string" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
  </xs:complexType>
</xs:schema>
"#;

const XSD2: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" version="1.0"
           targetNamespace="http://example.test/ws/common">
  <xs:complexType name="auth">
    <xs:sequence>
      <xs:element name="clientNumber" type="xs:long"/>
      <xs:element name="clientKey" type="xs:string"/>
    </xs:sequence>
  </xs:complexType>
</xs:schema>
"#;

async fn serve(State(routes): State<(Routes, u16)>, uri: Uri) -> (StatusCode, String) {
    let (routes, port) = routes;
    let key = match uri.query() {
        Some(q) => format!("{}?{q}", uri.path()),
        None => uri.path().to_owned(),
    };
    let found = routes.lock().ok().and_then(|r| r.get(&key).cloned());
    match found {
        Some((status, body)) => (
            StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            body.replace("{PORT}", &port.to_string()),
        ),
        None => (StatusCode::NOT_FOUND, format!("no route {key}")),
    }
}

/// Starts the server on its own thread and runtime (the blocking client must not run inside
/// one); returns the routes to edit and the base URL.
fn start_server() -> (Routes, String) {
    let routes: Routes = Arc::new(Mutex::new(BTreeMap::from([
        ("/services/geo?wsdl".to_owned(), (200, MAIN_WSDL.to_owned())),
        (
            "/services/geo-port.wsdl".to_owned(),
            (200, PORT_WSDL.to_owned()),
        ),
        ("/services/geo?xsd=1".to_owned(), (200, XSD1.to_owned())),
        ("/services/geo?xsd=2".to_owned(), (200, XSD2.to_owned())),
    ])));
    let (tx, rx) = std::sync::mpsc::channel();
    let shared = routes.clone();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let port = listener.local_addr().unwrap().port();
            let app = axum::Router::new()
                .fallback(serve)
                .with_state((shared, port));
            tx.send(port).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    let port = rx.recv().unwrap();
    (routes, format!("http://127.0.0.1:{port}"))
}

fn set_route(routes: &Routes, key: &str, status: u16, body: &str) {
    routes
        .lock()
        .unwrap()
        .insert(key.to_owned(), (status, body.to_owned()));
}

fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("soap-codegen-fetch-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every file of `dir` with its bytes and modification time.
fn snapshot(dir: &Path) -> BTreeMap<String, (Vec<u8>, std::time::SystemTime)> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let path = e.path();
            let mtime = e.metadata().unwrap().modified().unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                (std::fs::read(path).unwrap(), mtime),
            )
        })
        .collect()
}

fn served(body: &str, base: &str) -> Vec<u8> {
    let port = base.rsplit(':').next().unwrap();
    body.replace("{PORT}", port).into_bytes()
}

#[test]
fn fetches_the_whole_set_writes_the_catalog_and_is_idempotent() {
    let (routes, base) = start_server();
    let root = temp_dir("ok");
    let into = root.join("geo");
    std::fs::create_dir_all(&into).unwrap();
    // An unrelated entry of an existing catalog must survive.
    std::fs::write(
        into.join("catalog.xml"),
        r#"<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">
  <system systemId="http://elsewhere.test/common.xsd" uri="common.xsd"/>
  <rewriteSystem systemIdStartString="http://mirror.test/" rewritePrefix="mirror/"/>
</catalog>"#,
    )
    .unwrap();

    let url = format!("{base}/services/geo?wsdl");
    let report = fetch(&url, &into, &FetchOptions::default()).unwrap();
    let files: Vec<(&str, FileStatus)> = report
        .documents
        .iter()
        .map(|d| (d.file.as_str(), d.status))
        .collect();
    assert_eq!(
        files,
        [
            ("geo.wsdl", FileStatus::Added),
            ("geo-port.wsdl", FileStatus::Added),
            ("geo.xsd", FileStatus::Added),
            ("geo_2.xsd", FileStatus::Added),
        ]
    );
    assert_eq!(report.documents[0].url, url);
    assert_eq!(report.catalog, Some(FileStatus::Updated));
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert!(report.stale.is_empty());

    // The documents are DPD's bytes, not rewritten.
    assert_eq!(
        std::fs::read(into.join("geo.wsdl")).unwrap(),
        served(MAIN_WSDL, &base)
    );
    assert_eq!(
        std::fs::read(into.join("geo-port.wsdl")).unwrap(),
        served(PORT_WSDL, &base)
    );
    assert_eq!(
        std::fs::read(into.join("geo.xsd")).unwrap(),
        served(XSD1, &base)
    );
    assert_eq!(
        std::fs::read(into.join("geo_2.xsd")).unwrap(),
        served(XSD2, &base)
    );

    // Absolute locations exactly as written (un-normalized `./` kept), sorted; the relative
    // `geo-port.wsdl` needs no entry; the unrelated entries are kept.
    let catalog = std::fs::read_to_string(into.join("catalog.xml")).unwrap();
    let port = base.rsplit(':').next().unwrap();
    let expected_entries = format!(
        r#"<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">
  <system systemId="http://127.0.0.1:{port}/services/./geo?xsd=2" uri="geo_2.xsd"/>
  <system systemId="http://127.0.0.1:{port}/services/geo?xsd=1" uri="geo.xsd"/>
  <system systemId="http://elsewhere.test/common.xsd" uri="common.xsd"/>
  <rewriteSystem systemIdStartString="http://mirror.test/" rewritePrefix="mirror/"/>
</catalog>
"#
    );
    assert!(catalog.ends_with(&expected_entries), "{catalog}");

    // The generator loads the fetched set offline (the catalog is picked up automatically).
    let defs = soap_codegen::wsdl::load(&[into.join("geo.wsdl")], &Catalog::new()).unwrap();
    assert_eq!(defs.services.len(), 1);
    assert_eq!(defs.services[0].name, "GeoService");
    let modules = soap_codegen::Builder::new()
        .wsdl(&into)
        .emit_rerun_if_changed(false)
        .render()
        .unwrap();
    assert_eq!(modules.len(), 1);
    assert!(
        modules[0].code.contains("pub struct GeoClient"),
        "{}",
        modules[0].code
    );
    assert!(modules[0].code.contains("pub client_number: i64"));

    // Same server bytes: nothing changes, not even modification times.
    let before = snapshot(&into);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let again = fetch(&url, &into, &FetchOptions::default()).unwrap();
    assert!(!again.changed());
    assert!(again
        .documents
        .iter()
        .all(|d| d.status == FileStatus::Unchanged));
    assert_eq!(again.catalog, Some(FileStatus::Unchanged));
    assert_eq!(snapshot(&into), before);

    // One changed import: only that file is replaced.
    let xsd2_v2 = XSD2.replace(
        r#"type="xs:string"/>"#,
        r#"type="xs:string"/><xs:element name="login" type="xs:string" minOccurs="0"/>"#,
    );
    set_route(&routes, "/services/geo?xsd=2", 200, &xsd2_v2);
    let third = fetch(&url, &into, &FetchOptions::default()).unwrap();
    let changed: Vec<&str> = third
        .documents
        .iter()
        .filter(|d| d.status != FileStatus::Unchanged)
        .map(|d| d.file.as_str())
        .collect();
    assert_eq!(changed, ["geo_2.xsd"]);
    assert_eq!(third.documents[3].status, FileStatus::Updated);
    assert_eq!(third.catalog, Some(FileStatus::Unchanged));
    let after = snapshot(&into);
    assert_eq!(after.get("geo.xsd"), before.get("geo.xsd"));
    assert_eq!(after["geo_2.xsd"].0, served(&xsd2_v2, &base));

    // No temporary folder is left next to the target.
    let leftovers: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, [std::ffi::OsString::from("geo")]);
}

#[test]
fn a_failing_import_leaves_the_target_untouched() {
    let (routes, base) = start_server();
    let root = temp_dir("fail");
    let into = root.join("geo");
    let url = format!("{base}/services/geo?wsdl");
    fetch(&url, &into, &FetchOptions::default()).unwrap();
    let before = snapshot(&into);
    let port = base.rsplit(':').next().unwrap();

    // The first import changes and the second one is gone: nothing may be replaced.
    set_route(
        &routes,
        "/services/geo?xsd=1",
        200,
        &XSD1.replace("version=\"1.0\"", "version=\"2.0\""),
    );
    set_route(&routes, "/services/geo?xsd=2", 404, "Not Found");
    let err = fetch(&url, &into, &FetchOptions::default()).unwrap_err();
    assert!(
        matches!(err, FetchError::Status { code: 404, .. }),
        "{err:?}"
    );
    let message = err.to_string();
    assert_eq!(
        message,
        format!(
            "HTTP 404 Not Found for {base}/services/geo?xsd=2 (referred to by {base}/services/geo?xsd=1:5:3)"
        ),
    );
    assert_eq!(snapshot(&into), before);

    // Malformed XML in the import: the error gives its URL, line and column, and the referrer.
    set_route(&routes, "/services/geo?xsd=2", 200, "<?xml version=\"1.0\"?>\n<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n  <xs:element name=\"a\">\n</xs:schema>\n");
    let err = fetch(&url, &into, &FetchOptions::default()).unwrap_err();
    assert!(matches!(err, FetchError::Xml { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.starts_with(&format!("http://127.0.0.1:{port}/services/geo?xsd=2:4:")),
        "{message}"
    );
    assert!(
        message.contains(&format!("(referred to by {base}/services/geo?xsd=1:5:3)")),
        "{message}"
    );
    assert_eq!(snapshot(&into), before);

    // A DOCTYPE is refused like any other malformed document.
    set_route(
        &routes,
        "/services/geo?xsd=2",
        200,
        "<!DOCTYPE x [<!ENTITY e \"e\">]><x/>",
    );
    let err = fetch(&url, &into, &FetchOptions::default()).unwrap_err();
    assert!(matches!(err, FetchError::Xml { .. }), "{err:?}");
    assert_eq!(snapshot(&into), before);

    // An HTML error page served with 200 is not a schema.
    set_route(
        &routes,
        "/services/geo?xsd=2",
        200,
        "<html><body>maintenance</body></html>",
    );
    let err = fetch(&url, &into, &FetchOptions::default()).unwrap_err();
    assert!(matches!(err, FetchError::NotWsdlOrXsd { .. }), "{err:?}");
    assert!(err.to_string().contains("found `html`"), "{err}");

    // Limits.
    set_route(&routes, "/services/geo?xsd=2", 200, XSD2);
    let small = FetchOptions {
        max_documents: 3,
        ..FetchOptions::default()
    };
    let err = fetch(&url, &into, &small).unwrap_err();
    assert!(
        matches!(err, FetchError::TooManyDocuments { limit: 3, .. }),
        "{err:?}"
    );
    let tiny = FetchOptions {
        max_bytes: 100,
        ..FetchOptions::default()
    };
    let err = fetch(&url, &into, &tiny).unwrap_err();
    assert!(
        matches!(err, FetchError::TooLarge { limit: 100, .. }),
        "{err:?}"
    );
    assert_eq!(snapshot(&into), before);

    // Nothing left behind next to the target.
    let leftovers: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, [std::ffi::OsString::from("geo")]);
}

#[test]
fn an_unreachable_server_is_a_transport_error() {
    // Bind then drop a listener to get a port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let into = temp_dir("down").join("geo");
    let url = format!("http://127.0.0.1:{port}/services/geo?wsdl");
    let err = fetch(&url, &into, &FetchOptions::default()).unwrap_err();
    assert!(matches!(err, FetchError::Transport { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with(&format!("cannot download {url}: ")),
        "{err}"
    );
    assert!(!into.exists());
    let err = fetch("ftp://example.test/x.wsdl", &into, &FetchOptions::default()).unwrap_err();
    assert!(matches!(err, FetchError::BadUrl { .. }), "{err:?}");
}
