//! Typed async client for DPD Russia's SOAP web services.

/// Bindings generated from `wsdl/dpd/` by the shared build script, one module per service.
pub mod generated {
    include!(concat!(env!("OUT_DIR"), "/_all.rs"));
}
