//! Everything generated code needs, under one path (`use soap_runtime::codegen as _rt;`).
//!
//! Hidden from docs: it is an implementation detail of generated code, free to change
//! between minor versions together with the generator.

pub use crate::client::*;
pub use crate::envelope::*;
pub use crate::error::*;
pub use crate::fault::*;
pub use crate::http::*;
#[cfg(feature = "server")]
pub use crate::server::*;
pub use crate::stream::*;
pub use crate::transport::*;
pub use crate::types::*;
pub use crate::xml::*;
