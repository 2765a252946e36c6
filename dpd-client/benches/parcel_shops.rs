//! Decode throughput of a 10,000-pickup-point `getParcelShops` response (and per-call
//! overhead on a 100-city `getCitiesCashPay` response), same bytes, same run:
//!
//! - `generated`: the generated types through `read_envelope` + `expect_element`, exactly
//!   what `DpdGeography2Client::get_parcel_shops` does with a response body;
//! - `stream_16k`: `ItemSplitter` fed 16 KiB chunks, one `ParcelShop` at a time;
//! - `serde_quick_xml`: hand-written serde structs of the same shape, `quick_xml::de`;
//! - `quick_xml_events`: a bare quick-xml event loop that only counts elements: tokenizing
//!   alone, the yardstick of the target "at least half its speed".
//!
//! Run: `cargo bench -p dpd-client --bench parcel_shops -- --warm-up-time 1 --measurement-time 3`

mod common;

use std::hint::black_box;

use common::decode::{count_events, decode_generated, decode_serde, decode_streaming};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dpd_client::generated::dpd_geography2_service as geo;
use soap_runtime::client::expect_element;
use soap_runtime::envelope::{read_envelope, EnvelopeBody, SoapVersion};

fn decode_cities_generated(bytes: &[u8]) -> usize {
    let res = read_envelope::<_, geo::DpdGeography2Fault, _>(SoapVersion::V11, bytes, |r, s| {
        expect_element::<geo::GetCitiesCashPayResponse>(
            r,
            s,
            Some(common::NS),
            "getCitiesCashPayResponse",
        )
        .map(|resp| resp.r#return)
    });
    match res {
        Ok(EnvelopeBody::Value(cities)) => black_box(cities).len(),
        _ => 0,
    }
}

fn decode_cities_serde(bytes: &[u8]) -> usize {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return 0;
    };
    quick_xml::de::from_str::<common::serde_types::Envelope<common::serde_types::CitiesBody>>(text)
        .map_or(0, |env| black_box(env).body.response.r#return.len())
}

fn parcel_shops(c: &mut Criterion) {
    let doc = common::parcel_shops_response(common::SHOPS);
    // The four decoders must agree on the document before their speed means anything.
    assert_eq!(decode_generated(&doc), common::SHOPS, "generated decode");
    assert_eq!(decode_streaming(&doc).0, common::SHOPS, "streaming decode");
    assert_eq!(decode_serde(&doc), common::SHOPS, "serde decode");
    assert!(count_events(&doc) > common::SHOPS * 50, "event count");
    println!(
        "getParcelShopsResponse: {} shops, {} bytes, {} elements",
        common::SHOPS,
        doc.len(),
        count_events(&doc)
    );

    let mut g = c.benchmark_group("parcel_shops_10k");
    g.throughput(Throughput::Bytes(doc.len() as u64));
    g.bench_function("generated", |b| {
        b.iter(|| decode_generated(black_box(&doc)))
    });
    g.bench_function("stream_16k", |b| {
        b.iter(|| decode_streaming(black_box(&doc)))
    });
    g.bench_function("serde_quick_xml", |b| {
        b.iter(|| decode_serde(black_box(&doc)))
    });
    g.bench_function("quick_xml_events", |b| {
        b.iter(|| count_events(black_box(&doc)))
    });
    g.finish();
}

fn cities_cash_pay(c: &mut Criterion) {
    let doc = common::cities_cash_pay_response(common::CITIES);
    assert_eq!(
        decode_cities_generated(&doc),
        common::CITIES,
        "generated decode"
    );
    assert_eq!(decode_cities_serde(&doc), common::CITIES, "serde decode");
    println!(
        "getCitiesCashPayResponse: {} cities, {} bytes",
        common::CITIES,
        doc.len()
    );

    let mut g = c.benchmark_group("cities_cash_pay_100");
    g.throughput(Throughput::Bytes(doc.len() as u64));
    g.bench_function("generated", |b| {
        b.iter(|| decode_cities_generated(black_box(&doc)))
    });
    g.bench_function("serde_quick_xml", |b| {
        b.iter(|| decode_cities_serde(black_box(&doc)))
    });
    g.bench_function("quick_xml_events", |b| {
        b.iter(|| count_events(black_box(&doc)))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = parcel_shops, cities_cash_pay
}
criterion_main!(benches);
