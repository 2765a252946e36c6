//! Typed async client for DPD Russia's SOAP web services (integration guide 1.12).
//!
//! [`DpdClient`] is built once with the client number (клиентский номер) and key (ключ) and an
//! [`Environment`]; every call fills in the `auth` element, maps DPD's documented error codes
//! (guide part V «Справочник ошибок») to [`DpdError`], and the guide's procedures are helpers:
//! [`DpdClient::poll_order_status`] (OrderPending), [`DpdClient::sync_states`]
//! (getStatesByClient → confirm), the 30-minute report limits, decoded files, and streamed
//! parcel-shop lists.
//!
//! The generated bindings live in [`generated`]; request structs there carry an `auth` field:
//! leave it `Default::default()`, the client replaces it.
//!
//! # Example: quote, order, label, tracking
//!
//! ```no_run
//! use dpd_client::generated::{dpd_calculator_service as calc, dpd_order_service as order};
//! use dpd_client::{
//!     DeliveryTimePeriod, DpdClient, Environment, ExtraService, LabelFormat, OrderCreationStatus,
//!     PageSize, PickupTimePeriod, PollOptions, ServiceCode, ServiceVariant,
//! };
//! use soap_runtime::types::Date;
//!
//! # async fn run() -> Result<(), dpd_client::DpdError> {
//! let dpd = DpdClient::new(1_001_027_795, "YOUR-KEY", Environment::Test);
//!
//! // 1. Cost quote Moscow → Saint Petersburg, door to door, 3.5 kg.
//! let (self_pickup, self_delivery) = ServiceVariant::DoorDoor.calculator_flags().unwrap_or_default();
//! let quotes = dpd
//!     .service_cost(calc::ServiceCostRequest {
//!         auth: Default::default(),
//!         pickup: calc::CityRequest { city_name: Some("Москва".into()), ..Default::default() },
//!         delivery: calc::CityRequest { city_name: Some("Санкт-Петербург".into()), ..Default::default() },
//!         self_pickup,
//!         self_delivery,
//!         weight: 3.5,
//!         volume: Some(0.02),
//!         service_code: None,
//!         pickup_date: None,
//!         max_days: None,
//!         max_cost: None,
//!         declared_value: Some(5000.0),
//!     })
//!     .await?;
//! let cheapest = quotes.iter().min_by(|a, b| a.cost.partial_cmp(&b.cost).unwrap_or(std::cmp::Ordering::Equal));
//! println!("cheapest: {cheapest:?}");
//!
//! // 2. Create the order.
//! let date: Date = "2026-12-01".parse().map_err(|_| dpd_client::DpdError::MissingData("date"))?;
//! let sender = order::Address {
//!     name: Some("ООО «Ромашка»".into()),
//!     country_name: Some("Россия".into()),
//!     city: Some("Москва".into()),
//!     street: Some("Тверская".into()),
//!     street_abbr: Some("ул".into()),
//!     house: Some("7".into()),
//!     contact_fio: Some("Иванов Иван".into()),
//!     contact_phone: Some("+74951234567".into()),
//!     ..Default::default()
//! };
//! let receiver = order::Address {
//!     name: Some("Петров Пётр".into()),
//!     country_name: Some("Россия".into()),
//!     city: Some("Санкт-Петербург".into()),
//!     street: Some("Невский".into()),
//!     street_abbr: Some("пр-кт".into()),
//!     house: Some("28".into()),
//!     flat: Some("12".into()),
//!     contact_fio: Some("Петров Пётр".into()),
//!     contact_phone: Some("+78121234567".into()),
//!     ..Default::default()
//! };
//! let statuses = dpd
//!     .create_order(order::DpdOrdersData {
//!         auth: Default::default(),
//!         header: order::Header {
//!             date_pickup: date.clone(),
//!             payer: None,
//!             sender_address: sender,
//!             pickup_time_period: Some(PickupTimePeriod::Any.to_string()),
//!             regular_num: None,
//!         },
//!         order: vec![order::Order {
//!             order_number_internal: "SHOP-10001".into(),
//!             service_code: ServiceCode::Cur.to_string(),
//!             service_variant: ServiceVariant::DoorDoor.to_string(),
//!             cargo_num_pack: 1,
//!             cargo_weight: 3.5,
//!             cargo_volume: Some(0.02),
//!             cargo_registered: false,
//!             cargo_value: Some(5000.0),
//!             cargo_category: "Одежда".into(),
//!             delivery_time_period: Some(DeliveryTimePeriod::Any.to_string()),
//!             payment_type: None,
//!             extra_param: Vec::new(),
//!             data_int: None,
//!             receiver_address: receiver,
//!             extra_service: vec![ExtraService::sms("+79111234567").into()],
//!             parcel: Vec::new(),
//!             unit_load: Vec::new(),
//!         }],
//!     })
//!     .await?;
//! let mut created = statuses.into_iter().next().ok_or(dpd_client::DpdError::MissingData("status"))?;
//! if created.creation_status() == OrderCreationStatus::OrderPending {
//!     created = dpd.poll_order_status("SHOP-10001", Some(date), PollOptions::default()).await?;
//! }
//! let order_num = created.order_num.clone().ok_or(dpd_client::DpdError::MissingData("orderNum"))?;
//!
//! // 3. Label (A6 PDF) for its one parcel.
//! let label = dpd.create_label_file(LabelFormat::Pdf, PageSize::A6, &[(order_num.as_str(), 1)]).await?;
//! std::fs::write("label.pdf", &label.bytes).ok();
//!
//! // 4. Tracking: full history, then the current state.
//! let history = dpd.states_by_client_order("SHOP-10001", None).await?;
//! if let Some(now) = history.current_state() {
//!     println!("{}: {:?}", now.dpd_parcel_nr, now.state());
//! }
//! # Ok(())
//! # }
//! ```

#![deny(missing_docs)]

mod client;
mod codes;
mod error;
mod ext;

/// Bindings generated from `wsdl/dpd/` by the shared build script, one module per service.
pub mod generated {
    include!(concat!(env!("OUT_DIR"), "/_all.rs"));
}

pub use client::{
    paths, ClientKey, Clock, DpdClient, DpdClientBuilder, Environment, LabelFile, PollOptions,
    SyncSummary, SystemClock, REPORT_INTERVAL,
};
pub use codes::{
    service_code_list, AddressStatus, CancelStatus, DeliveryTimePeriod, InnLookupStatus,
    LabelFormat, OptionCode, OrderChangeStatus, OrderCreationStatus, PageSize, ParcelShopType,
    ParcelState, PaymentType, PickupTimePeriod, ServiceCode, ServiceVariant, WaitingReason,
};
pub use error::{DpdError, DpdErrorCode, DpdFault, ErrorChannel};
pub use ext::{cash_payment_params, ExtraService, PRIVATE_PERSON_PAYER};
