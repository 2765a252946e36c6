//! Generates typed async Rust clients from WSDL 1.1 and XSD.
//!
//! The pipeline has one stage per module, each with its own model:
//! [`wsdl`] (parse WSDL documents and resolve them into [`model`]) →
//! [`xsd`] (hand the schemas to `xsd-parser` and render the XML types) →
//! [`client`] (render one client struct per port, one `async fn` per operation) →
//! formatting and writing ([`Builder`]).

pub mod catalog;
pub mod error;
pub mod model;
pub mod names;
pub mod wsdl;
pub mod xml;
pub mod xsd;

pub use error::{Error, Result};
