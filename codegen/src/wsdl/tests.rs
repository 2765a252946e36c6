//! Tests of the WSDL stage against the fixtures in `tests/fixtures/wsdl/`.

use std::path::{Path, PathBuf};

use super::load;
use crate::catalog::Catalog;
use crate::model::{Definitions, HttpEncoding, Part, PartKind, Protocol, QName, Style};
use crate::xml::Document;
use crate::Error;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/wsdl")
        .join(rel)
}

fn load_one(rel: &str) -> crate::Result<Definitions> {
    load(&[fixture(rel)], &Catalog::new())
}

fn part(name: &str, kind: PartKind) -> Part {
    Part {
        name: name.to_owned(),
        kind,
    }
}

fn el(ns: &str, local: &str) -> PartKind {
    PartKind::Element(QName::new(ns, local))
}

const P: &str = "urn:example:parcels";
const XSD: &str = "http://www.w3.org/2001/XMLSchema";

#[test]
fn document_literal_soap11_and_soap12() {
    let defs = load_one("doc_literal/parcels.wsdl").unwrap();
    assert!(defs.warnings.is_empty(), "{:?}", defs.warnings);
    let names: Vec<_> = defs.services.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Archive", "Parcels"]);
    let svc = &defs.services[1];
    assert_eq!(svc.target_ns, P);
    assert_eq!(
        svc.doc.as_deref(),
        Some("Parcel tracking (отслеживание посылок).")
    );
    let ports: Vec<_> = svc
        .ports
        .iter()
        .map(|p| (p.name.as_str(), p.binding.protocol, p.address.as_deref()))
        .collect();
    assert_eq!(
        ports,
        [
            (
                "ParcelsSoap",
                Protocol::Soap11,
                Some("http://ws.example.ru/services/parcels")
            ),
            (
                "ParcelsSoap12",
                Protocol::Soap12,
                Some("http://ws.example.ru/services/parcels12")
            ),
        ]
    );
    let soap = &svc.ports[0].binding;
    assert_eq!(soap.name, QName::new(P, "ParcelsSoap"));
    assert_eq!(soap.port_type, QName::new(P, "ParcelsPort"));
    assert_eq!(soap.doc.as_deref(), Some("Operations on parcels."));
    let ops: Vec<_> = soap.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(ops, ["track", "notify"]);

    let track = &soap.operations[0];
    assert_eq!(track.doc.as_deref(), Some("Current state of a parcel."));
    assert_eq!(track.style, Style::Document);
    assert_eq!(
        track.soap_action.as_deref(),
        Some("urn:example:parcels/track")
    );
    assert_eq!(track.http_location, None);
    assert_eq!(track.input.name, QName::new(P, "trackRequest"));
    assert_eq!(track.input.body, [part("parameters", el(P, "track"))]);
    // Header parts come from another message.
    assert_eq!(
        track.input.headers,
        [part("auth", el("urn:example:common", "auth"))]
    );
    assert_eq!(track.input.rpc_namespace, None);
    let out = track.output.as_ref().unwrap();
    assert_eq!(out.body, [part("parameters", el(P, "trackResponse"))]);
    assert_eq!(out.headers, [part("requestId", el(P, "requestId"))]);
    assert_eq!(track.faults.len(), 1);
    assert_eq!(track.faults[0].name, "notFound");
    assert_eq!(track.faults[0].message, QName::new(P, "notFoundFault"));
    assert_eq!(track.faults[0].part, Some(part("fault", el(P, "notFound"))));
    assert_eq!(track.at.line, 51);

    // One-way operation with an empty soapAction.
    let notify = &soap.operations[1];
    assert!(notify.output.is_none());
    assert_eq!(notify.soap_action.as_deref(), Some(""));

    let soap12 = &svc.ports[1].binding;
    assert_eq!(
        soap12.operations[0].soap_action.as_deref(),
        Some("urn:example:parcels/track")
    );
    assert!(soap12.operations[0].input.headers.is_empty());
    assert_eq!(soap12.operations[1].soap_action, None);
    assert_eq!(defs.services[0].ports[0].binding.name, soap.name);
}

#[test]
fn inline_schemas_get_root_namespaces_and_imports_are_followed() {
    let defs = load_one("doc_literal/parcels.wsdl").unwrap();
    let dir = std::fs::canonicalize(fixture("doc_literal")).unwrap();
    let wsdl_url = url::Url::from_file_path(dir.join("parcels.wsdl"))
        .unwrap()
        .to_string();
    let locations: Vec<_> = defs.schemas.iter().map(|s| s.location.clone()).collect();
    assert_eq!(
        locations,
        [
            format!("{wsdl_url}#types[0]"),
            url::Url::from_file_path(dir.join("geo.xsd"))
                .unwrap()
                .to_string(),
            url::Url::from_file_path(dir.join("geo-city.xsd"))
                .unwrap()
                .to_string(),
            format!("{wsdl_url}#types[1]"),
        ]
    );
    let targets: Vec<_> = defs
        .schemas
        .iter()
        .map(|s| s.target_ns.as_deref())
        .collect();
    assert_eq!(
        targets,
        [
            Some("urn:example:common"),
            Some("urn:example:geo"),
            Some("urn:example:geo"),
            Some(P)
        ]
    );
    assert_eq!(defs.schemas[1].path, dir.join("geo.xsd"));
    assert_eq!(defs.schemas[0].path, dir.join("parcels.wsdl"));
    assert_eq!(
        (defs.schemas[3].at.line, defs.schemas[3].at.column),
        (19, 5)
    );

    // The second inline schema only works with the root's `tns:` declaration.
    let text = &defs.schemas[3].text;
    assert!(text.contains("xmlns:tns=\"urn:example:parcels\""), "{text}");
    let doc = Document::parse(text, Path::new("inline.xsd")).unwrap();
    let response = doc
        .root
        .children()
        .find(|c| c.attr("name") == Some("trackResponse"))
        .unwrap();
    assert_eq!(
        response.resolve_qname(response.attr("type").unwrap()),
        Some(QName::new(P, "TrackResult"))
    );
    assert_eq!(doc.root.name, QName::new(XSD, "schema"));

    // Every file read, the auto-picked catalog included.
    let files: Vec<_> = defs
        .files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        files,
        ["catalog.xml", "geo-city.xsd", "geo.xsd", "parcels.wsdl"]
    );
    assert_eq!(
        defs.catalog
            .resolve("http://ws.example.ru:80/services/geo?xsd=1", Path::new("x")),
        Ok(fixture("doc_literal/geo.xsd"))
    );
}

#[test]
fn rpc_literal_with_namespace_parts_and_header() {
    let defs = load_one("rpc_literal.wsdl").unwrap();
    let ops = &defs.services[0].ports[0].binding.operations;
    let add = &ops[0];
    assert_eq!(add.style, Style::Rpc);
    assert_eq!(add.soap_action.as_deref(), Some("add"));
    assert_eq!(
        add.input.rpc_namespace.as_deref(),
        Some("urn:example:calc:rpc")
    );
    let int = PartKind::Type(QName::new(XSD, "int"));
    // `parts="b a"` selects the body parts; they keep message order.
    assert_eq!(
        add.input.body,
        [part("a", int.clone()), part("b", int.clone())]
    );
    assert_eq!(
        add.input.headers,
        [part("session", PartKind::Type(QName::new(XSD, "string")))]
    );
    assert_eq!(add.output.as_ref().unwrap().body, [part("sum", int)]);
    // The operation's style overrides the binding's.
    assert_eq!(ops[1].style, Style::Document);
    assert_eq!(ops[1].input.rpc_namespace, None);
}

#[test]
fn http_get_and_post_bindings() {
    let defs = load_one("http_binding.wsdl").unwrap();
    let ports = &defs.services[0].ports;
    assert_eq!(ports.len(), 2);
    assert_eq!(ports[0].binding.protocol, Protocol::Http { post: false });
    assert_eq!(ports[1].binding.protocol, Protocol::Http { post: true });
    assert_eq!(
        ports[0].address.as_deref(),
        Some("http://rates.example.org/api")
    );
    let get = &ports[0].binding.operations[0];
    assert_eq!(get.http_location.as_deref(), Some("/getRate"));
    assert_eq!(get.soap_action, None);
    assert_eq!(get.input.http, Some(HttpEncoding::UrlEncoded));
    assert_eq!(get.input.body.len(), 2);
    let mime_xml = Some(HttpEncoding::MimeXml {
        part: Some("Body".to_owned()),
    });
    assert_eq!(get.output.as_ref().unwrap().http, mime_xml);
    let post = &ports[1].binding.operations[0];
    assert_eq!(post.input.http, Some(HttpEncoding::FormUrlEncoded));
    assert_eq!(post.output.as_ref().unwrap().http, mime_xml);
    assert_eq!(defs.schemas.len(), 1);
}

#[test]
fn wsdl_import_with_cycle_and_folder_input() {
    let defs = load_one("import/main.wsdl").unwrap();
    let binding = &defs.services[0].ports[0].binding;
    assert_eq!(binding.name, QName::new("urn:example:concrete", "EchoSoap"));
    assert_eq!(
        binding.port_type,
        QName::new("urn:example:abstract", "Echo")
    );
    assert_eq!(
        binding.operations[0].input.body,
        [part("body", el("urn:example:abstract", "echo"))]
    );
    assert_eq!(defs.schemas.len(), 1);
    assert_eq!(defs.files.len(), 2);
    // A folder stands for its WSDL files; the mutual import is read once.
    let from_dir = load(&[fixture("import")], &Catalog::new()).unwrap();
    assert_eq!(from_dir.services.len(), 1);
    assert_eq!(from_dir.files, defs.files);
}

#[test]
fn unsupported_port_skipped_when_its_port_type_has_a_supported_binding() {
    let defs = load_one("mixed_bindings.wsdl").unwrap();
    let ports: Vec<_> = defs.services[0]
        .ports
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(ports, ["LiteralPort"]);
    assert_eq!(defs.warnings.len(), 3, "{:?}", defs.warnings);
    let w = &defs.warnings[0];
    assert!(
        w.contains("Mixed.EncodedPort") && w.contains("use=\"encoded\""),
        "{w}"
    );
    // A service left without ports is dropped, with a warning.
    assert!(defs.warnings[1].contains("port `OnlyEncoded.EncodedPort` skipped"));
    assert!(defs.warnings[2].contains("service `OnlyEncoded` has no supported port"));
    assert_eq!(defs.services.len(), 1);
}

#[test]
fn explicit_catalog_maps_remote_schema_location() {
    let err = load_one("errors/unresolved_schema.wsdl").unwrap_err();
    match &err {
        Error::Unresolved { at, location, .. } => {
            assert_eq!(location, "http://nowhere.example.org/types.xsd");
            assert_eq!((at.line, at.column), (9, 7));
            assert!(at.file.ends_with("errors/unresolved_schema.wsdl"));
        }
        other => panic!("{other:?}"),
    }
    let text = err.to_string();
    assert!(
        text.contains("unresolved_schema.wsdl:9:7")
            && text.contains("http://nowhere.example.org/types.xsd"),
        "{text}"
    );
    let catalog = Catalog::new().with_mapping(
        "http://nowhere.example.org/types.xsd",
        fixture("errors/local.xsd"),
    );
    let defs = load(&[fixture("errors/unresolved_schema.wsdl")], &catalog).unwrap();
    assert_eq!(defs.schemas.len(), 2);
    assert_eq!(
        defs.schemas[1].target_ns.as_deref(),
        Some("urn:example:types")
    );
}

#[test]
fn error_cases() {
    // The base document of the variants is valid.
    load_one("errors/valid.wsdl").unwrap();

    match load_one("errors/bad_xml.wsdl").unwrap_err() {
        Error::Xml { at, message } => {
            assert_eq!(at.line, 5, "{message}");
            assert!(message.contains("mesage"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    match load_one("errors/doctype.wsdl").unwrap_err() {
        Error::Xml { at, message } => {
            assert_eq!((at.line, at.column), (2, 1));
            assert_eq!(message, "DOCTYPE is not allowed");
        }
        other => panic!("{other:?}"),
    }
    match load_one("errors/missing_message.wsdl").unwrap_err() {
        Error::Missing { at, kind, name } => {
            assert_eq!(
                (kind, name.as_str(), at.line),
                ("message", "{urn:example:err}nope", 15)
            );
        }
        other => panic!("{other:?}"),
    }
    match load_one("errors/missing_binding.wsdl").unwrap_err() {
        Error::Missing { at, kind, name } => {
            assert_eq!(
                (kind, name.as_str(), at.line),
                ("binding", "{urn:example:err}Nope", 28)
            );
        }
        other => panic!("{other:?}"),
    }
    match load_one("errors/encoded.wsdl").unwrap_err() {
        Error::Unsupported { at, what } => {
            assert_eq!(what, "use=\"encoded\" (SOAP encoding) in operation op");
            assert_eq!(at.line, 23);
        }
        other => panic!("{other:?}"),
    }
    match load_one("errors/wsdl20.wsdl").unwrap_err() {
        Error::Unsupported { at, what } => {
            assert!(what.contains("WSDL 2.0"), "{what}");
            assert_eq!((at.line, at.column), (2, 1));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        load(&[fixture("nope.wsdl")], &Catalog::new()),
        Err(Error::Io { .. })
    ));
}

#[test]
fn loading_is_deterministic() {
    let a = format!("{:?}", load_one("doc_literal/parcels.wsdl").unwrap());
    let b = format!("{:?}", load_one("doc_literal/parcels.wsdl").unwrap());
    assert_eq!(a, b);
}

/// Conformance smoke run over the shared WSDL corpus (`../shared/wsdl-corpus`, or the folder
/// in `WSDL_CORPUS`): every WSDL 1.1 case must load, or fail with a justified `Unsupported`.
/// Skipped when the corpus is absent.
#[test]
#[ignore = "needs the shared WSDL corpus"]
fn corpus_smoke() {
    let corpus = std::env::var_os("WSDL_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/wsdl-corpus"));
    let Ok(index) = std::fs::read_to_string(corpus.join("INDEX.tsv")) else {
        eprintln!("corpus not found at {}; skipped", corpus.display());
        return;
    };
    let mut failures = Vec::new();
    for line in index.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (Some(case), Some(main), Some(kind), Some(use_)) =
            (cols.first(), cols.get(1), cols.get(2), cols.get(5))
        else {
            continue;
        };
        // XSD-only cases load too: a schema given as input becomes a schema document.
        let folder = corpus.join(case);
        // Map remote URLs to the `_remote/<host>/<path>` copies, as the corpus README lists them.
        let catalog = Catalog::new().with_mapping(
            "http://schemas.xmlsoap.org/soap/encoding/",
            folder.join("_remote/schemas.xmlsoap.org/soap/encoding/soap-encoding.xsd"),
        );
        let started = std::time::Instant::now();
        let result = std::panic::catch_unwind(|| load(&[folder.join(main)], &catalog));
        let secs = started.elapsed().as_secs_f64();
        let verdict = match &result {
            Err(_) => "PANIC".to_owned(),
            Ok(Ok(defs)) => {
                for schema in &defs.schemas {
                    let doc = Document::parse(&schema.text, &schema.path)
                        .unwrap_or_else(|e| panic!("{case}: {}: {e}", schema.location));
                    assert_eq!(doc.root.name, QName::new(XSD, "schema"), "{case}");
                }
                let ops: usize = defs
                    .services
                    .iter()
                    .flat_map(|s| &s.ports)
                    .map(|p| p.binding.operations.len())
                    .sum();
                format!(
                    "ok: {} services, {} ports, {ops} bound ops, {} schemas, {} files, {} warnings{}",
                    defs.services.len(),
                    defs.services.iter().map(|s| s.ports.len()).sum::<usize>(),
                    defs.schemas.len(),
                    defs.files.len(),
                    defs.warnings.len(),
                    defs.warnings.iter().map(|w| format!("\n      warning: {w}")).collect::<String>()
                )
            }
            Ok(Err(e)) => format!("error: {e}"),
        };
        eprintln!("{case:40} {secs:6.2}s {verdict}");
        let justified = match &result {
            Ok(Ok(_)) => true,
            Ok(Err(Error::Unsupported { what, .. })) => {
                (use_.contains("encoded") && what.contains("encoded"))
                    || (*kind == "wsdl20" && what.contains("WSDL 2.0"))
                    || what.contains("multipartRelated")
            }
            _ => false,
        };
        if !justified {
            failures.push(format!("{case}: {verdict}"));
        }
    }
    assert!(
        failures.is_empty(),
        "unjustified failures:\n{}",
        failures.join("\n")
    );
}
