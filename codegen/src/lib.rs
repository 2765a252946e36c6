//! Generates typed async Rust clients from WSDL 1.1 and XSD.
//!
//! Use it from a build script, like `tonic-build`/`prost-build`:
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     soap_codegen::compile_wsdl("wsdl/dpd")?;
//!     Ok(())
//! }
//! ```
//!
//! and include the result in the crate, one module per WSDL file:
//!
//! ```ignore
//! include!(concat!(env!("OUT_DIR"), "/_all.rs"));
//! ```
//!
//! [`Builder`] configures more (extra catalogs, output folder, runtime path, module names).
//!
//! The pipeline has one stage per module, each with its own model:
//! [`wsdl`] (read WSDL documents, follow imports through the [`catalog`], resolve them into
//! [`model`]) → [`xsd`] (hand the schemas to `xsd-parser`, render the XML types with their
//! (de)serialization) → [`client`] (one client struct per port, one `async fn` per
//! operation) → formatting with `prettyplease` and writing ([`Builder`]).
//! Nothing is ever fetched from the network during generation: remote locations resolve
//! through catalogs to local files.

pub mod builder;
pub mod catalog;
pub mod client;
pub mod conformance;
pub mod diff;
mod docs;
pub mod error;
pub mod fetch;
pub mod http;
pub mod model;
pub mod names;
pub mod server;
pub mod wsdl;
pub mod xml;
pub mod xsd;

pub use builder::{Builder, GeneratedModule};
pub use error::{Error, Result};

/// Generates every WSDL under `path` (a file or a folder) into `$OUT_DIR`, one module per
/// WSDL file plus `_all.rs` declaring them all.
///
/// # Errors
/// The first input that cannot be read, parsed, resolved or rendered; the error names the
/// file, line and column.
pub fn compile_wsdl(path: impl Into<std::path::PathBuf>) -> Result<Vec<GeneratedModule>> {
    Builder::new().wsdl(path).generate()
}
