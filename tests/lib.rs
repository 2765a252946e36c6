//! Bindings generated (by the shared `build.rs`) from the hand-written example WSDLs in
//! `tests/wsdl/`, used by the workspace tests: `warehouse` (document/literal wrapped, a SOAP
//! header, a declared fault, SOAP 1.1 and 1.2 ports) and `calculator` (rpc/literal, one-way).

include!(concat!(env!("OUT_DIR"), "/_all.rs"));

/// Re-indents an XML document (one element per line) so envelope snapshots review well as
/// diffs. Text content and attribute order are kept exactly.
///
/// # Panics
/// On malformed XML: the input is always a document the test itself captured.
#[must_use]
pub fn pretty_xml(xml: &str) -> String {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().trim_text(true);
    let mut writer = quick_xml::Writer::new_with_indent(Vec::new(), b' ', 2);
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Eof => break,
            event => writer.write_event(event).expect("writing to a Vec"),
        }
    }
    String::from_utf8(writer.into_inner()).expect("UTF-8 in, UTF-8 out")
}

/// Compiles every Rust example in the workspace README as a doctest, so the documented API and
/// the real one cannot drift apart (`no_run`: they would talk to the carriers).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeExamples;
