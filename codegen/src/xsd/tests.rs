//! Tests of the XSD stage on small schemas written for them.

use std::path::PathBuf;

use super::*;
use crate::model::Location;

fn doc(file: &str) -> SchemaDoc {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/xsd")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    SchemaDoc {
        location: path.display().to_string(),
        at: Location {
            file: path.clone(),
            line: 1,
            column: 1,
        },
        path,
        text,
        target_ns: None,
    }
}

/// Renders and pretty-prints the schema files.
pub(crate) fn render_files(files: &[&str]) -> (TypesOutput, String) {
    let docs: Vec<SchemaDoc> = files.iter().map(|f| doc(f)).collect();
    let out = generate(&docs, &Catalog::new(), &TypesOptions::default()).unwrap();
    let file: syn::File = syn::parse2(out.tokens.clone()).unwrap();
    let text = prettyplease::unparse(&file);
    (out, text)
}

/// Keeps `tests/xsd/sample.rs` (compiled by `tests/xsd_roundtrip.rs`) in sync; set
/// `UPDATE_SNAPSHOTS=1` to rewrite it.
#[test]
fn sample_snapshot() {
    let (_, text) = render_files(&["sample.xsd"]);
    let text =
        format!("// @generated from sample.xsd by the XSD stage; see xsd_roundtrip.rs.\n{text}");
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/xsd/sample.rs");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        text,
        "run with UPDATE_SNAPSHOTS=1"
    );
}

fn inline(text: &str, target_ns: &str, n: usize) -> SchemaDoc {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/xsd/service.wsdl");
    SchemaDoc {
        location: format!("{}#types[{n}]", path.display()),
        at: Location {
            file: path.clone(),
            line: 1,
            column: 1,
        },
        path,
        text: text.to_owned(),
        target_ns: Some(target_ns.to_owned()),
    }
}

fn q(ns: &str, local: &str) -> QName {
    QName::new(ns, local)
}

#[test]
fn sample_maps_elements_types_and_structs() {
    let (out, text) = render_files(&["sample.xsd"]);
    let tns = "urn:sample";
    assert_eq!(out.elements[&q(tns, "getCities")].name, "GetCities");
    assert_eq!(
        out.elements[&q(tns, "getCitiesResponse")].name,
        "GetCitiesResponse"
    );
    assert_eq!(out.elements[&q(tns, "Open")].name, "String");
    assert!(out.elements[&q(tns, "Open")].simple);
    assert_eq!(out.types[&q(tns, "city")].name, "City");
    assert_eq!(out.types[&q(tns, "codeList")].path.to_string(), "CodeList");
    assert!(out.types[&q(tns, "cityKind")].simple);
    assert!(!out.types[&q(tns, "city")].simple);
    assert_eq!(
        out.type_ref(&q(super::render::XS_NS, "decimal"))
            .unwrap()
            .path
            .to_string(),
        "_rt :: Decimal"
    );
    assert_eq!(
        out.type_ref(&q(super::render::XS_NS, "int")).unwrap().name,
        "i32"
    );
    assert!(out.type_ref(&q(tns, "nope")).is_none());
    // Wrapper unwrapping information.
    let resp = &out.structs["GetCitiesResponse"];
    assert_eq!(resp.fields.len(), 1);
    let f = &resp.fields[0];
    assert_eq!(
        f.xml,
        QName {
            ns: None,
            local: "return".into()
        }
    );
    assert_eq!(f.ident.to_string(), "r#return");
    assert_eq!((f.min, f.max, f.nillable), (0, None, true));
    assert_eq!(f.ty.to_string(), "Vec < _rt :: Nillable < City > >");
    assert_eq!(f.item.name, "City");
    let city = &out.structs["City"];
    assert!(city.has_attributes);
    assert_eq!(
        city.fields
            .iter()
            .find(|f| f.xml.local == "parent")
            .unwrap()
            .ty
            .to_string(),
        "Option < Box < City > >"
    );
    assert_eq!(out.structs["Amount"].fields[0].kind, FieldKind::Value);
    assert_eq!(out.structs["Open"].fields[1].kind, FieldKind::Any);
    // Documentation is carried over.
    assert!(text.contains("/// Which cities to list."), "{text}");
    assert!(text.contains("/// `city`: Город (city)"), "{text}");
    // Defaults only where every field has one.
    assert!(
        text.contains("#[derive(Debug, Clone, PartialEq, Default)]\npub struct GetCities {"),
        "{text}"
    );
    assert!(
        text.contains("#[derive(Debug, Clone, PartialEq)]\npub struct City {"),
        "{text}"
    );
}

#[test]
fn qualified_locals_follow_element_form_default() {
    let (out, text) = render_files(&["qualified.xsd"]);
    assert!(
        text.contains(r#"b"Id" if __r.ns_is(&__c, Some(NS0))"#),
        "{text}"
    );
    assert!(
        text.contains(r#"b"Local" if __r.ns_is(&__c, None)"#),
        "{text}"
    );
    assert!(text.contains(r#"const NS0: &str = "urn:q";"#), "{text}");
    let order = &out.structs["Order"];
    assert_eq!(order.fields[0].xml, q("urn:q", "Id"));
    assert_eq!(
        order.fields[1].xml,
        QName {
            ns: None,
            local: "Local".into()
        }
    );
    // The complex type `order` clashes with element `Order` (case only) and gets the suffix.
    assert_eq!(out.types[&q("urn:q", "order")].name, "OrderType");
}

#[test]
fn clashes_are_resolved_deterministically() {
    let (out, text) = render_files(&["clash.xsd"]);
    let ns = "urn:clash";
    assert_eq!(out.elements[&q(ns, "item")].name, "Item");
    assert_eq!(out.types[&q(ns, "item")].name, "ItemType");
    assert_eq!(out.types[&q(ns, "Foo")].name, "Foo");
    assert_eq!(out.types[&q(ns, "foo")].name, "FooType");
    assert_eq!(
        out.types[&q(ns, "string")].name,
        "StringType",
        "prelude names are not shadowed"
    );
    assert_eq!(out.elements[&q(ns, "useIt")].name, "StringType");
    let fields: Vec<String> = out.structs["Foo"]
        .fields
        .iter()
        .map(|f| f.ident.to_string())
        .collect();
    assert_eq!(fields, ["start", "r"]);
    assert_eq!(out.structs["FooType"].fields[0].ident.to_string(), "self_");
    // Same input, same output.
    let (_, again) = render_files(&["clash.xsd"]);
    assert_eq!(text, again);
}

#[test]
fn imports_resolve_through_the_catalog_only() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/xsd/imports");
    let main = doc("imports/main.xsd");
    let catalog =
        Catalog::new().with_mapping("http://example.invalid/common.xsd", dir.join("common.xsd"));
    let out = generate(
        std::slice::from_ref(&main),
        &catalog,
        &TypesOptions::default(),
    )
    .unwrap();
    assert_eq!(out.types[&q("urn:common", "address")].name, "Address");
    assert_eq!(out.structs["Order"].fields[0].item.name, "Address");
    let err = generate(&[main], &Catalog::new(), &TypesOptions::default()).unwrap_err();
    match err {
        crate::Error::Unresolved { location, at, .. } => {
            assert_eq!(location, "http://example.invalid/common.xsd");
            assert!(at.file.ends_with("main.xsd"), "{}", at.file.display());
        }
        other => panic!("{other}"),
    }
}

#[test]
fn inline_schemas_see_each_other_through_namespace_imports() {
    let a = inline(
        r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:b="urn:b" targetNamespace="urn:a">
             <xs:import namespace="urn:b"/>
             <xs:element name="req"><xs:complexType><xs:sequence>
               <xs:element name="id" type="b:ID"/><xs:element ref="b:shared"/>
             </xs:sequence></xs:complexType></xs:element>
           </xs:schema>"#,
        "urn:a",
        0,
    );
    let b = inline(
        r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:b">
             <xs:simpleType name="ID"><xs:restriction base="xs:string"><xs:length value="18"/></xs:restriction></xs:simpleType>
             <xs:element name="shared" type="xs:int"/>
           </xs:schema>"#,
        "urn:b",
        1,
    );
    let out = generate(&[a, b], &Catalog::new(), &TypesOptions::default()).unwrap();
    let req = &out.structs["Req"];
    assert_eq!(req.fields[0].item.name, "Id");
    assert_eq!(
        req.fields[1].xml,
        q("urn:b", "shared"),
        "a referenced global element is qualified"
    );
}

#[test]
fn broken_schemas_are_errors_not_panics() {
    let bad = inline(
        "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><xs:element",
        "",
        0,
    );
    assert!(matches!(
        generate(&[bad], &Catalog::new(), &TypesOptions::default()),
        Err(crate::Error::Schema { .. })
    ));
    let unknown = inline(
        r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:t" targetNamespace="urn:t">
             <xs:element name="x" type="t:missing"/></xs:schema>"#,
        "urn:t",
        0,
    );
    let err = generate(&[unknown], &Catalog::new(), &TypesOptions::default()).unwrap_err();
    assert!(err.to_string().contains("missing"), "{err}");
}

#[test]
fn dataset_schema_refs_and_xml_lang_are_known() {
    let s = inline(
        r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:d">
             <xs:import namespace="http://www.w3.org/XML/1998/namespace"/>
             <xs:element name="ds"><xs:complexType><xs:sequence>
               <xs:element ref="xs:schema"/><xs:any/>
             </xs:sequence><xs:attribute ref="xml:lang"/></xs:complexType></xs:element>
           </xs:schema>"#,
        "urn:d",
        0,
    );
    let out = generate(&[s], &Catalog::new(), &TypesOptions::default()).unwrap();
    let ds = &out.structs["Ds"];
    assert_eq!(ds.fields[0].item.name, "AnyElement");
    assert_eq!(ds.fields[0].xml, q(super::render::XS_NS, "schema"));
    assert!(ds.has_attributes);
}

#[test]
fn substitution_group_members_are_kept_raw() {
    let s = inline(
        r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:t" targetNamespace="urn:t" elementFormDefault="qualified">
             <xs:element name="Path" type="t:BasePath" abstract="true"/>
             <xs:complexType name="BasePath" abstract="true"/>
             <xs:complexType name="FieldPath"><xs:complexContent><xs:extension base="t:BasePath">
               <xs:attribute name="uri" type="xs:string"/></xs:extension></xs:complexContent></xs:complexType>
             <xs:element name="FieldURI" type="t:FieldPath" substitutionGroup="t:Path"/>
             <xs:element name="Get"><xs:complexType><xs:sequence><xs:element ref="t:Path" maxOccurs="unbounded"/></xs:sequence></xs:complexType></xs:element>
           </xs:schema>"#,
        "urn:t",
        0,
    );
    let out = generate(&[s], &Catalog::new(), &TypesOptions::default()).unwrap();
    let text = out.tokens.to_string();
    let get = &out.structs["Get"];
    assert_eq!(get.fields[0].xml, q("urn:t", "Path"));
    assert_eq!(get.fields[0].item.name, "Path");
    assert!(text.contains("pub type Path = _rt :: AnyElement"), "{text}");
    assert!(
        text.contains(r#"b"FieldURI""#),
        "substitutes are read into the head's field: {text}"
    );
}
