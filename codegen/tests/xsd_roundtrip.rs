//! The XSD stage's output compiles and round-trips: `tests/xsd/sample.rs` is the rendering of
//! `tests/xsd/sample.xsd` (checked by `snapshot_is_current`; regenerate with
//! `UPDATE_SNAPSHOTS=1 cargo test -p soap-codegen --test xsd_roundtrip`).

use std::path::PathBuf;

use soap_codegen::catalog::Catalog;
use soap_codegen::model::{Location, SchemaDoc};
use soap_codegen::xsd::{generate, TypesOptions};

#[allow(dead_code, clippy::all)]
mod sample {
    use soap_runtime::codegen as _rt;
    include!("xsd/sample.rs");
}

use sample::*;
use soap_runtime::codegen as rt;
use soap_runtime::codegen::{XmlRead, XmlWrite};

fn render(file: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/xsd")
        .join(file);
    let doc = SchemaDoc {
        location: path.display().to_string(),
        at: Location {
            file: path.clone(),
            line: 1,
            column: 1,
        },
        path: path.clone(),
        text: std::fs::read_to_string(&path).unwrap(),
        target_ns: None,
    };
    let out = generate(&[doc], &Catalog::new(), &TypesOptions::default()).unwrap();
    prettyplease::unparse(&syn::parse2(out.tokens).unwrap())
}

#[test]
fn snapshot_is_current() {
    let text = format!(
        "// @generated from sample.xsd by the XSD stage; see xsd_roundtrip.rs.\n{}",
        render("sample.xsd")
    );
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

fn decode<T: XmlRead>(xml: &str) -> Result<T, rt::DecodeError> {
    let mut r = rt::XmlReader::new(xml.as_bytes());
    let root = r.root()?;
    T::read_xml(&mut r, &root)
}

fn encode<T: XmlWrite>(v: &T, name: rt::Name<'_>) -> String {
    let mut w = rt::XmlWriter::new();
    v.write_xml(&mut w, name);
    String::from_utf8(w.into_bytes()).unwrap()
}

const TNS: &str = "urn:sample";
const XSI: &str = r#"xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance""#;

#[test]
fn dpd_shape_nillable_unbounded_array() {
    let xml = format!(
        r#"<ns:getCitiesResponse xmlns:ns="{TNS}" {XSI}>
             <return version="1"><cityId>1</cityId><cityName>Москва</cityName></return>
             <return xsi:nil="true"/>
             <return version="2" lang="en"><cityId>2</cityId><cityName xsi:nil="true"/></return>
             <return version="3"><cityId>3</cityId><cityName></cityName><unknownNewField>x</unknownNewField></return>
           </ns:getCitiesResponse>"#
    );
    let v: GetCitiesResponse = decode(&xml).unwrap();
    assert_eq!(v.r#return.len(), 4);
    assert!(v.r#return[1].is_nil());
    let first = v.r#return[0].value().unwrap();
    assert_eq!(first.city_id, 1);
    assert_eq!(first.lang, "ru", "attribute default applied");
    assert_eq!(
        first.city_name,
        Some(rt::Nillable::Value("Москва".to_owned()))
    );
    let second = v.r#return[2].value().unwrap();
    assert_eq!(second.lang, "en");
    // absent, nil and empty stay distinct
    assert_eq!(second.city_name, Some(rt::Nillable::Nil));
    assert_eq!(
        v.r#return[3].value().unwrap().city_name,
        Some(rt::Nillable::Value(String::new()))
    );
    assert_eq!(v.r#return[3].value().unwrap().price, None);
    // round trip: write, read back, compare
    let out = encode(&v, rt::Name::qualified(TNS, "getCitiesResponse"));
    assert!(out.contains(r#":nil="true"/>"#), "{out}");
    assert!(
        out.contains("<cityName/>"),
        "empty string stays an empty element: {out}"
    );
    let back: GetCitiesResponse = decode(&out).unwrap();
    assert_eq!(back, v);
}

#[test]
fn full_city_round_trip_with_recursion_enum_and_builtins() {
    let xml = format!(
        r#"<c version="7" note="n" {XSI}><cityId>10</cityId><price>12.50</price>
           <created>2024-03-01T10:15:00+03:00</created><day>2024-03-01</day><logo>aGVsbG8=</logo>
           <kind>Посёлок</kind><codes>AB CD</codes>
           <parent version="1"><cityId>9</cityId><kind>metropolis</kind></parent>
           <children version="2"><cityId>11</cityId></children><children version="3"><cityId>12</cityId></children>
           <extra><x:any xmlns:x="urn:x">raw</x:any></extra></c>"#
    );
    let v: City = decode(&xml).unwrap();
    assert_eq!(v.price.as_ref().unwrap().as_str(), "12.50");
    assert_eq!(
        v.created
            .as_ref()
            .unwrap()
            .timezone()
            .unwrap()
            .local_minus_utc(),
        3 * 3600
    );
    assert_eq!(v.logo.as_ref().unwrap().0, b"hello");
    assert_eq!(v.kind, Some(CityKind::Посёлок));
    assert_eq!(
        v.codes.as_ref().unwrap().0,
        vec!["AB".to_owned(), "CD".to_owned()]
    );
    let parent = v.parent.as_deref().unwrap();
    assert_eq!(
        parent.kind,
        Some(CityKind::Unknown("metropolis".into())),
        "unknown enum value decodes"
    );
    assert_eq!(v.children.len(), 2);
    assert!(v.extra.as_ref().unwrap().as_str().contains("<x:any"));
    let out = encode(&v, rt::Name::unqualified("c"));
    assert!(out.contains("<kind>metropolis</kind>"), "{out}");
    let back: City = decode(&out).unwrap();
    assert_eq!(back, v);
}

#[test]
fn missing_required_and_bad_values_are_errors() {
    let err = decode::<City>(r#"<c version="1"><price>1</price></c>"#).unwrap_err();
    assert!(
        matches!(
            err.kind,
            rt::DecodeErrorKind::MissingElement {
                ty: "City",
                field: "cityId"
            }
        ),
        "{err}"
    );
    let err = decode::<City>(r#"<c><cityId>1</cityId></c>"#).unwrap_err();
    assert!(
        matches!(
            err.kind,
            rt::DecodeErrorKind::MissingAttribute {
                ty: "City",
                field: "version"
            }
        ),
        "{err}"
    );
    let err = decode::<City>(r#"<c version="1"><cityId>99999999999999999999999</cityId></c>"#)
        .unwrap_err();
    assert!(
        matches!(err.kind, rt::DecodeErrorKind::InvalidValue(_)),
        "overflow is an error: {err}"
    );
}

#[test]
fn enum_text_traits() {
    assert_eq!("village".parse::<CityKind>().unwrap(), CityKind::Village);
    assert_eq!(CityKind::City.to_string(), "city");
    assert_eq!(CityKind::Unknown2.as_str(), "Unknown");
    assert_eq!("new".parse::<CityKind>().unwrap().as_str(), "new");
}

#[test]
fn keyword_fields_and_unqualified_locals() {
    let v = GetCities {
        request: Some(CityRequest {
            country_code: "RU".into(),
            r#type: Some(CityKind::City),
            r#return: Some(true),
        }),
    };
    let out = encode(&v, rt::Name::qualified(TNS, "getCities"));
    assert_eq!(
        out,
        r#"<ns1:getCities xmlns:ns1="urn:sample"><request><countryCode>RU</countryCode><type>city</type><return>true</return></request></ns1:getCities>"#
    );
    assert_eq!(decode::<GetCities>(&out).unwrap(), v);
    // A qualified local element where the schema says unqualified is not ours: skipped.
    let wrong = format!(
        r#"<ns1:getCities xmlns:ns1="{TNS}"><ns1:request><countryCode>RU</countryCode></ns1:request></ns1:getCities>"#
    );
    assert_eq!(decode::<GetCities>(&wrong).unwrap().request, None);
}

#[test]
fn element_ref_is_qualified() {
    let v = Open2 { open: "x".into() };
    let out = encode(&v, rt::Name::qualified(TNS, "open2"));
    assert_eq!(
        out,
        r#"<ns1:open2 xmlns:ns1="urn:sample"><ns1:Open>x</ns1:Open></ns1:open2>"#
    );
    assert_eq!(decode::<Open2>(&out).unwrap(), v);
}

#[test]
fn choice_extension_and_simple_content() {
    let xml = r#"<p heavy="true"><number>N1</number><volume unit="m3">1.5</volume><tag>a</tag><mark>2</mark><tag>b</tag><crane>false</crane></p>"#;
    let v: BigParcel = decode(xml).unwrap();
    assert_eq!(v.heavy, Some(true));
    assert_eq!(v.number, "N1");
    match &v.choice {
        BigParcelChoice::Volume(a) => {
            assert_eq!(a.unit, "m3");
            assert_eq!(a.value.as_str(), "1.5");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        v.choice_2,
        vec![
            BigParcelChoice2::Tag("a".into()),
            BigParcelChoice2::Mark(2),
            BigParcelChoice2::Tag("b".into())
        ]
    );
    assert!(!v.crane);
    let out = encode(&v, rt::Name::unqualified("p"));
    assert_eq!(out, xml);
    let err = decode::<Parcel>("<p><number>1</number></p>").unwrap_err();
    assert!(matches!(
        err.kind,
        rt::DecodeErrorKind::MissingElement { .. }
    ));
}

#[test]
fn any_and_any_attribute_are_kept() {
    let xml = r#"<o a="1" xmlns:p="urn:p" p:b="2"><id>5</id><p:x>1</p:x><y/></o>"#;
    let v: Open = decode(xml).unwrap();
    assert_eq!(v.id, 5);
    assert_eq!(
        v.any_attributes,
        vec![
            ("a".to_owned(), "1".to_owned()),
            ("{urn:p}b".to_owned(), "2".to_owned())
        ]
    );
    assert_eq!(v.any.len(), 2);
    assert_eq!(v.any[1].as_str(), "<y/>");
    let out = encode(&v, rt::Name::unqualified("o"));
    let back: Open = decode(&out).unwrap();
    assert_eq!(back.id, 5);
    assert_eq!(back.any_attributes, v.any_attributes);
    assert_eq!(back.any[1].as_str(), "<y/>");
}
