//! Shared helpers of the DPD tests: a sandbox, the real `DpdClient` on it, order and cost requests.

use chrono::NaiveDate;
use dpd_client::generated::dpd_calculator_service as calc;
use dpd_client::generated::dpd_order_service as order;
use dpd_client::{DpdClient, DpdError, DpdErrorCode, Environment};
use sandbox::{Config, Handle, Sandbox};
use soap_runtime::types::Date;

/// A sandbox with `config` and a client on it.
pub async fn start_with(config: Config) -> (DpdClient, Handle, String) {
    let (number, key) = (config.client_number, config.client_key.clone());
    let (addr, handle) = Sandbox::start(config).await.expect("bind 127.0.0.1:0");
    let base = format!("http://{addr}");
    let client = DpdClient::new(number, key, Environment::Custom(base.clone()));
    (client, handle, base)
}

/// A sandbox with the default config.
pub async fn start() -> (DpdClient, Handle, String) {
    start_with(Config::default()).await
}

/// `y-m-d`.
pub fn date(y: i32, m: u32, d: u32) -> Date {
    Date::from_naive(NaiveDate::from_ymd_opt(y, m, d).expect("a date"))
}

/// The default start day, 2026-12-01.
pub fn day1() -> Date {
    date(2026, 12, 1)
}

/// A door address in `city` at `street`/`house`.
pub fn door(city: &str, street: &str, house: Option<&str>) -> order::Address {
    order::Address {
        name: Some("Иванов Сергей Петрович".into()),
        country_name: Some("Россия".into()),
        city: Some(city.into()),
        street: Some(street.into()),
        street_abbr: Some("ул".into()),
        house: house.map(str::to_owned),
        contact_fio: Some("Иванов Сергей Петрович".into()),
        contact_phone: Some("89165555555".into()),
        ..Default::default()
    }
}

/// A CUR door-to-door order `internal` to `to`, `parcels` parcels numbered `<internal>-P<i>`.
pub fn order_to(internal: &str, to: order::Address, parcels: usize) -> order::Order {
    order::Order {
        order_number_internal: internal.into(),
        service_code: "CUR".into(),
        service_variant: "ДД".into(),
        cargo_num_pack: i32::try_from(parcels).unwrap(),
        cargo_weight: 2.0 * parcels as f64,
        cargo_volume: Some(0.01),
        cargo_registered: false,
        cargo_value: Some(1500.0),
        cargo_category: "Одежда".into(),
        delivery_time_period: None,
        payment_type: None,
        extra_param: Vec::new(),
        data_int: None,
        receiver_address: to,
        extra_service: Vec::new(),
        parcel: (1..=parcels)
            .map(|i| {
                soap_runtime::types::Nillable::Value(order::Parcel {
                    number: format!("{internal}-P{i}"),
                    weight: Some(2.0),
                    length: Some(30.0),
                    width: Some(20.0),
                    height: Some(10.0),
                    insurance_cost: None,
                    insurance_cost_vat: None,
                    cod_amount: None,
                })
            })
            .collect(),
        unit_load: Vec::new(),
    }
}

/// A Moscow → Kazan order to a recognised door address.
pub fn kazan(internal: &str, parcels: usize) -> order::Order {
    order_to(internal, door("Казань", "Баумана", Some("12")), parcels)
}

/// The createOrder request for `orders` picked up on `pickup` from a Moscow door.
pub fn orders(pickup: Date, orders: Vec<order::Order>) -> order::DpdOrdersData {
    order::DpdOrdersData {
        auth: Default::default(),
        header: order::Header {
            date_pickup: pickup,
            payer: None,
            sender_address: door("Москва", "Авиаторов", Some("1")),
            pickup_time_period: Some("9-18".into()),
            regular_num: None,
        },
        order: orders,
    }
}

/// Creates one order and returns its DPD number (it must be OK).
pub async fn create_ok(client: &DpdClient, o: order::Order) -> String {
    let statuses = client
        .create_order(orders(day1(), vec![o]))
        .await
        .expect("createOrder");
    assert_eq!(statuses.len(), 1);
    let s = &statuses[0];
    assert_eq!(s.status, "OK", "{s:?}");
    s.order_num.clone().expect("a number")
}

/// The DPD error code of `err` (panics on other errors).
pub fn code(err: DpdError) -> DpdErrorCode {
    match err {
        DpdError::Service { code, .. } => code,
        other => panic!("not a DPD service error: {other:?}"),
    }
}

/// A DPD-style order number: 4 digits MMDD, 4 digits sequence, 3 Latin capitals.
pub fn looks_like_dpd_number(n: &str) -> bool {
    n.len() == 11
        && n[..8].chars().all(|c| c.is_ascii_digit())
        && n[8..].chars().all(|c| c.is_ascii_uppercase())
}

/// Advances the simulated clock until no DPD event is planned (at most `limit` steps).
pub fn run_to_end(handle: &Handle, limit: usize) {
    for _ in 0..limit {
        if !handle.advance_to_next_event() {
            return;
        }
    }
    panic!("still events after {limit} steps");
}

/// A 2 kg door-to-door cost request between two cities (auth left empty: `DpdClient` fills it).
pub fn cost_request(from: &str, to: &str) -> calc::ServiceCostRequest {
    calc::ServiceCostRequest {
        auth: calc::Auth::default(),
        pickup: calc::CityRequest {
            city_name: Some(from.into()),
            ..Default::default()
        },
        delivery: calc::CityRequest {
            city_name: Some(to.into()),
            ..Default::default()
        },
        self_pickup: false,
        self_delivery: false,
        weight: 2.0,
        volume: None,
        service_code: None,
        pickup_date: None,
        max_days: None,
        max_cost: None,
        declared_value: None,
    }
}
