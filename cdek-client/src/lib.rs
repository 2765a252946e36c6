//! Typed async client for CDEK's (СДЭК) integration protocol v1.5, generated from
//! `wsdl/cdek` (HTTP POST form + XML, HTTP GET references, JSON calculator), with a
//! hand-written layer: [`CdekClient`] signs requests (`Secure = md5(Date&password)`), parses
//! CDEK's messy answer values leniently ([`lenient`]), gives typed views of the reports
//! ([`reports`]), maps error codes to [`ErrorCode`] and reports per-order results next to
//! per-order errors ([`Outcome`]).
//!
//! Units: weights in requests (`DeliveryRequest`, `UpdateRequest`, `CallCourier`) are
//! **grams**; weights in answers (InfoReport, pvzlist) and in the calculator are
//! **kilograms**; sizes are centimetres; the calculator's volume is cubic metres.

#![deny(missing_docs)]

/// The `chrono` version used in this crate's API (dates of queries and reports).
pub use chrono;

pub mod auth;
pub mod client;
pub mod codes;
pub mod lenient;
pub mod references;
pub mod reports;

pub use auth::{Credentials, Environment};
pub use client::{
    ApiError, CalculatorError, CallResult, CdekClient, CdekError, OrderResult, Outcome, PrintAlert,
    TariffQuote,
};
pub use codes::{
    AdditionalService, AdditionalStatus, CalculatorErrorCode, CallFailReason, CashOnDeliveryType,
    DelayReason, DeliveryMode, DeliveryVariant, ErrorCode, OrderStatus, Tariff, VatRate,
};
pub use references::{CityFilter, PvzFilter, RegionFilter};
pub use reports::{InfoQuery, InfoReport, OrderQuery, StatusQuery, StatusReport};

/// Bindings generated from `wsdl/cdek` at build time (module `cdek_integration`).
#[allow(clippy::all, missing_docs)]
pub mod generated {
    include!(concat!(env!("OUT_DIR"), "/_all.rs"));
}
