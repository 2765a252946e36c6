//! Typed async client for CDEK's (СДЭК) integration protocol v1.5, generated from
//! `wsdl/cdek` (HTTP POST form + XML, HTTP GET references, JSON calculator), with a
//! hand-written layer: [`CdekClient`] signs requests (`Secure = md5(Date&password)`), parses
//! CDEK's messy answer values leniently ([`lenient`]), maps error codes to [`ErrorCode`] and
//! reports per-order results next to per-order errors ([`Outcome`]).

pub mod auth;
pub mod client;
pub mod codes;
pub mod lenient;

pub use auth::{Credentials, Environment};
pub use client::{ApiError, CdekClient, CdekError, OrderResult, Outcome, PrintAlert};
pub use codes::{
    AdditionalService, AdditionalStatus, CallFailReason, DelayReason, DeliveryMode, ErrorCode,
    OrderStatus, Tariff, VatRate,
};

/// Bindings generated from `wsdl/cdek` at build time (module `cdek_integration`).
#[allow(clippy::all, missing_docs)]
pub mod generated {
    include!(concat!(env!("OUT_DIR"), "/_all.rs"));
}
