//! Generator errors. Each names the file, line and column it comes from.

use std::path::PathBuf;

use crate::model::Location;

/// Everything that can stop generation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The input is not well-formed XML (or has a DOCTYPE, which is refused).
    #[error("{at}: malformed XML: {message}")]
    Xml {
        /// Where.
        at: Location,
        /// What the XML parser said.
        message: String,
    },
    /// A construct the generator does not support (never silently dropped).
    #[error("{at}: unsupported: {what}")]
    Unsupported {
        /// Where.
        at: Location,
        /// What is not supported.
        what: String,
    },
    /// A `location`/`schemaLocation` that maps to no local file.
    #[error("{at}: cannot resolve `{location}`: {reason} (add it to the catalog, or fetch it with `codegen fetch`)")]
    Unresolved {
        /// Where the reference is.
        at: Location,
        /// The location as written.
        location: String,
        /// Why it failed.
        reason: String,
    },
    /// A reference to a WSDL component (message, port type, binding, part) that does not exist.
    #[error("{at}: {kind} `{name}` is not defined")]
    Missing {
        /// Where the reference is.
        at: Location,
        /// `message`, `portType`, `binding`, `part`, `element`, `type`, …
        kind: &'static str,
        /// The name that was looked up.
        name: String,
    },
    /// A document that is well-formed but not a valid WSDL/XSD.
    #[error("{at}: {message}")]
    Invalid {
        /// Where.
        at: Location,
        /// What is wrong.
        message: String,
    },
    /// The XSD stage (xsd-parser) failed.
    #[error("schema error: {message}")]
    Schema {
        /// The message, naming the schema when known.
        message: String,
    },
}

/// Result alias for the generator.
pub type Result<T, E = Error> = std::result::Result<T, E>;
