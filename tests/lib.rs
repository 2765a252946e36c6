//! Bindings generated (by the shared `build.rs`) from the hand-written example WSDLs in
//! `tests/wsdl/`, used by the workspace tests: `warehouse` (document/literal wrapped, a SOAP
//! header, a declared fault, SOAP 1.1 and 1.2 ports) and `calculator` (rpc/literal, one-way).

include!(concat!(env!("OUT_DIR"), "/_all.rs"));
