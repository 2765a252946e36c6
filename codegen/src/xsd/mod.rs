//! XSD stage: schemas → xsd-parser → Rust types with XML (de)serialization.
