//! The four decoders the benchmarks compare, on the same bytes: (a) the generated types,
//! (b) the generated types streamed item by item, (c) a hand-written serde + quick-xml struct,
//! (d) a bare quick-xml event loop. Each returns the number of items, so results are checked.

use std::hint::black_box;

use dpd_client::generated::dpd_geography2_service as geo;
use soap_runtime::client::expect_element;
use soap_runtime::envelope::{read_envelope, EnvelopeBody, SoapVersion};
use soap_runtime::stream::ItemSplitter;
use soap_runtime::types::Nillable;
use soap_runtime::xml::Name;

/// Chunk size of the streaming decode (a typical HTTP body chunk).
pub const CHUNK: usize = 16 * 1024;

/// Where the items sit: envelope body → response → `return` → `parcelShop`.
static SHOP_PATH: [Name<'static>; 3] = [
    Name::qualified(super::NS, "getParcelShopsResponse"),
    Name::unqualified("return"),
    Name::unqualified("parcelShop"),
];

/// (a) Whole-document decode with the generated types; returns the number of shops.
pub fn decode_generated(bytes: &[u8]) -> usize {
    let res = read_envelope::<_, geo::DpdGeography2Fault, _>(SoapVersion::V11, bytes, |r, s| {
        expect_element::<geo::GetParcelShopsResponse>(
            r,
            s,
            Some(super::NS),
            "getParcelShopsResponse",
        )
        .map(|resp| resp.r#return)
    });
    match res {
        Ok(EnvelopeBody::Value(Some(shops))) => black_box(shops).parcel_shop.len(),
        _ => 0,
    }
}

/// (b) Streaming decode in `CHUNK`-byte pieces; returns the number of shops and the
/// splitter's largest buffer.
pub fn decode_streaming(bytes: &[u8]) -> (usize, usize) {
    let mut sp = ItemSplitter::<Nillable<geo::ParcelShop>, geo::DpdGeography2Fault>::new(
        SoapVersion::V11,
        &SHOP_PATH,
    );
    let mut n = 0;
    let mut drain = |sp: &mut ItemSplitter<_, _>| {
        while let Some(item) = sp.next_item() {
            if item.is_ok() {
                black_box(item).ok();
                n += 1;
            }
        }
    };
    for chunk in bytes.chunks(CHUNK) {
        sp.feed(chunk);
        drain(&mut sp);
    }
    sp.end();
    drain(&mut sp);
    (n, sp.max_buffered())
}

/// (c) serde + quick-xml; returns the number of shops.
pub fn decode_serde(bytes: &[u8]) -> usize {
    // quick_xml::de::from_str needs &str; the UTF-8 check is part of the cost.
    let Ok(text) = std::str::from_utf8(bytes) else {
        return 0;
    };
    match quick_xml::de::from_str::<super::serde_types::Envelope<super::serde_types::ShopsBody>>(
        text,
    ) {
        Ok(env) => black_box(env)
            .body
            .response
            .r#return
            .map_or(0, |r| r.parcel_shop.len()),
        Err(_) => 0,
    }
}

/// (d) Bare quick-xml pull parser: counts start/empty elements, decodes nothing.
pub fn count_events(bytes: &[u8]) -> usize {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut n = 0;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(_) | quick_xml::events::Event::Empty(_)) => n += 1,
            Ok(quick_xml::events::Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    n
}
