//! The sandbox's behaviour, each rule checked through the real clients over HTTP on 127.0.0.1.
//!
//! One test binary with a module per area: every binary links the HTTP stack, both clients and the
//! sandbox, so one link instead of seven keeps build time and disk use down.

mod cdek_sandbox;
mod dpd_common;
mod dpd_documents;
mod dpd_orders;
mod dpd_reports;
mod dpd_sandbox;
mod dpd_tracking;
mod faults;
