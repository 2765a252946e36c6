//! Snapshots of the request envelope of every DPD operation as `dpd_client::DpdClient` sends
//! it, captured by a local server. Client number 1001027795 is a test value and the key an
//! obvious placeholder.

use std::sync::{Arc, Mutex};

use dpd_client::generated::{
    dpd_calculator_service as calc, dpd_geography2_service as geo, dpd_order_service as order,
};
use dpd_client::{DpdClient, Environment, ExtraService, LabelFormat, OptionCode, PageSize};
use soap_runtime::types::Date;

const KEY: &str = "FAKE-KEY-FOR-SNAPSHOTS";

type Log = Arc<Mutex<Vec<(String, String)>>>;

/// Starts a server that records `(path, body)` and answers an empty 200 (the client's decode
/// error is irrelevant here).
async fn recorder() -> (String, Log) {
    let log: Log = Arc::new(Mutex::new(Vec::new()));
    let l = log.clone();
    let app = axum::Router::new().fallback(move |uri: axum::http::Uri, body: String| {
        let l = l.clone();
        async move {
            l.lock().unwrap().push((uri.path().to_owned(), body));
            ""
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), log)
}

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

fn city(name: &str) -> calc::CityRequest {
    calc::CityRequest {
        city_name: Some(name.into()),
        country_code: Some("RU".into()),
        ..Default::default()
    }
}

fn address(city: &str, street: &str, house: &str, fio: &str) -> order::Address {
    order::Address {
        name: Some(fio.into()),
        country_name: Some("Россия".into()),
        city: Some(city.into()),
        street: Some(street.into()),
        street_abbr: Some("ул".into()),
        house: Some(house.into()),
        contact_fio: Some(fio.into()),
        contact_phone: Some("+74951234567".into()),
        ..Default::default()
    }
}

fn client_address() -> order::ClientAddress {
    order::ClientAddress {
        code: "SKLAD-1".into(),
        name: "ООО «Ромашка», склад".into(),
        address_string: None,
        country_name: Some("Россия".into()),
        index: Some("127282".into()),
        region: Some("Москва".into()),
        city: "Москва".into(),
        street: "Полярная".into(),
        street_abbr: Some("ул".into()),
        house: Some("31".into()),
        house_korpus: Some("2".into()),
        str: None,
        vlad: None,
        extra_info: Some("Въезд со двора".into()),
        office: Some("12".into()),
        flat: None,
        work_time_from: Some("9:00".into()),
        work_time_to: Some("18:00".into()),
        dinner_time_from: Some("13:00".into()),
        dinner_time_to: Some("14:00".into()),
        contact_fio: "Иванов Иван Иванович".into(),
        contact_phone: "+74951234567".into(),
        contact_email: Some("sklad@example.ru".into()),
        instructions: None,
        need_pass: Some(false),
    }
}

fn correction() -> order::DpdOrderCorrection {
    order::DpdOrderCorrection {
        auth: Default::default(),
        order_num: "05120002MOW".into(),
        order_number_internal: Some("SHOP-10001".into()),
        cargo_num_pack: Some(2),
        cargo_weight: Some(7.0),
        cargo_volume: Some(0.04),
        cargo_value: None,
        cargo_category: Some("Одежда".into()),
        parcel: vec![order::Parcel {
            number: "SHOP-10001-2".into(),
            weight: Some(3.5),
            length: Some(40.0),
            width: Some(30.0),
            height: Some(20.0),
            insurance_cost: None,
            insurance_cost_vat: None,
            cod_amount: None,
        }
        .into()],
    }
}

#[tokio::test]
async fn every_dpd_operation_envelope() {
    let (base, log) = recorder().await;
    let dpd = DpdClient::new(1_001_027_795, KEY, Environment::Custom(base));
    let cost = calc::ServiceCostRequest {
        auth: Default::default(),
        pickup: city("Москва"),
        delivery: city("Санкт-Петербург"),
        self_pickup: false,
        self_delivery: true,
        weight: 3.5,
        volume: Some(0.02),
        service_code: Some("CUR,ECN".into()),
        pickup_date: Some(date("2026-12-01")),
        max_days: None,
        max_cost: None,
        declared_value: Some(5000.0),
    };
    let by_parcels = calc::ServiceCostParcelsRequest {
        auth: Default::default(),
        pickup: calc::CityRequest {
            city_id: Some(49_694_102),
            ..Default::default()
        },
        delivery: calc::CityRequest {
            city_id: Some(49_694_167),
            ..Default::default()
        },
        self_pickup: false,
        self_delivery: false,
        service_code: None,
        pickup_date: None,
        max_days: Some(5),
        max_cost: None,
        declared_value: None,
        parcel: vec![calc::ParcelRequest {
            weight: 3.5,
            length: 40.0,
            width: 30.0,
            height: 20.0,
            quantity: Some(2),
        }],
    };
    let shops = geo::DpdParcelShopRequest {
        auth: Default::default(),
        country_code: Some("RU".into()),
        region_code: Some("78".into()),
        city_code: None,
        city_name: Some("Санкт-Петербург".into()),
        service_code: None,
    };
    let orders = order::DpdOrdersData {
        auth: Default::default(),
        header: order::Header {
            date_pickup: date("2026-12-01"),
            payer: None,
            sender_address: address("Москва", "Полярная", "31", "Иванов Иван"),
            pickup_time_period: Some("9-18".into()),
            regular_num: None,
        },
        order: vec![order::Order {
            order_number_internal: "SHOP-10001".into(),
            service_code: "CUR".into(),
            service_variant: "ДД".into(),
            cargo_num_pack: 1,
            cargo_weight: 3.5,
            cargo_volume: Some(0.02),
            cargo_registered: false,
            cargo_value: Some(5000.0),
            cargo_category: "Одежда".into(),
            delivery_time_period: Some("18-21".into()),
            payment_type: None,
            extra_param: dpd_client::cash_payment_params(
                &dpd_client::PaymentType::Receiver,
                dpd_client::PRIVATE_PERSON_PAYER,
            ),
            data_int: None,
            receiver_address: address("Санкт-Петербург", "Невский", "28", "Петров Пётр"),
            extra_service: vec![
                ExtraService::sms("+79111234567").into(),
                ExtraService::email(OptionCode::EmailOnDelivery, "petrov@example.ru").into(),
                ExtraService::cash_on_delivery(5000.0).into(),
            ],
            parcel: vec![order::Parcel {
                number: "SHOP-10001-1".into(),
                weight: Some(3.5),
                length: Some(40.0),
                width: Some(30.0),
                height: Some(20.0),
                insurance_cost: None,
                insurance_cost_vat: None,
                cod_amount: None,
            }
            .into()],
            unit_load: Vec::new(),
        }],
    };

    let _ = dpd.cities_cash_pay(Some("RU")).await;
    let _ = dpd.terminals().await;
    let _ = dpd.parcel_shops(shops).await;
    let _ = dpd
        .storage_period(geo::StoragePeriodRequest {
            auth: Default::default(),
            terminal_code: "M11".into(),
            service_code: Some("CUR".into()),
        })
        .await;
    let _ = dpd
        .possible_extra_service(geo::DpdPossibleEsRequest {
            auth: Default::default(),
            pickup: Some(geo::DpdPossibleEsPickupDelivery {
                city_name: Some("Москва".into()),
                country_code: Some("RU".into()),
                ..Default::default()
            }),
            delivery: Some(geo::DpdPossibleEsPickupDelivery {
                terminal_code: Some("LED".into()),
                ..Default::default()
            }),
            self_pickup: false,
            self_delivery: true,
            service_code: "CUR".into(),
            pickup_date: Some(date("2026-12-01")),
            options: Some(geo::DpdPossibleEsOption {
                option: vec!["НПП".to_owned().into()],
            }),
        })
        .await;
    let _ = dpd.service_cost(cost.clone()).await;
    let _ = dpd.service_cost_by_parcels(by_parcels.clone()).await;
    let _ = dpd
        .service_cost_international(calc::ServiceCostInternationalRequest {
            auth: Default::default(),
            pickup: calc::CityInternationalRequest {
                country_name: "Россия".into(),
                city_name: Some("Москва".into()),
                city_id: None,
            },
            delivery: calc::CityInternationalRequest {
                country_name: "Беларусь".into(),
                city_name: Some("Минск".into()),
                city_id: None,
            },
            self_pickup: false,
            self_delivery: false,
            weight: 2.0,
            length: 30,
            width: 20,
            height: 10,
            declared_value: Some(3000.0),
            insurance: Some(true),
        })
        .await;
    let _ = dpd.service_cost_v1(cost).await;
    let _ = dpd.service_cost_by_parcels_v1(by_parcels).await;
    let _ = dpd.create_order(orders).await;
    let _ = dpd
        .order_status(vec![order::InternalOrderNumber {
            order_number_internal: "SHOP-10001".into(),
            date_pickup: Some(date("2026-12-01")),
        }])
        .await;
    let _ = dpd.create_address(client_address()).await;
    let _ = dpd.update_address(client_address()).await;
    let _ = dpd
        .invoice_file(order::DpdGetInvoiceFile {
            auth: Default::default(),
            order_num: "05120002MOW".into(),
            parcel_count: Some(1),
            cargo_value: None,
        })
        .await;
    let _ = dpd.register_files(date("2026-12-01")).await;
    let _ = dpd.add_parcels(correction()).await;
    let _ = dpd.remove_parcels(correction()).await;
    let _ = dpd
        .cancel_order(vec![order::OrderCancel {
            order_number_internal: Some("SHOP-10001".into()),
            order_num: Some("05120002MOW".into()),
            pickupdate: Some(date("2026-12-01")),
        }])
        .await;
    let _ = dpd.states_by_client().await;
    let _ = dpd.confirm(1_234_567).await;
    let _ = dpd
        .states_by_client_order("SHOP-10001", Some(date("2026-12-01")))
        .await;
    let _ = dpd.states_by_client_parcel("SHOP-10001-1", None).await;
    let _ = dpd.states_by_dpd_order("RU0123456789", Some(2026)).await;
    let _ = dpd
        .states_by_client_order_detailed("SHOP-10001", None)
        .await;
    let _ = dpd
        .states_by_client_parcel_detailed("SHOP-10001-1", Some(date("2026-12-01")))
        .await;
    let _ = dpd.states_by_dpd_order_detailed("RU0123456789", None).await;
    let _ = dpd.nl_amount(date("2026-11-01"), date("2026-11-30")).await;
    let _ = dpd.nl_invoice(date("2026-11-01"), date("2026-11-30")).await;
    let _ = dpd
        .create_label_file(
            LabelFormat::Pdf,
            PageSize::A6,
            &[("05120002MOW", 1), ("05120003MOW", 2)],
        )
        .await;
    let _ = dpd.client_num_by_inn("7701234567").await;

    let log = log.lock().unwrap().clone();
    assert_eq!(log.len(), 31, "one request per operation");
    for (i, (path, body)) in log.iter().enumerate() {
        assert!(body.contains("<clientNumber>1001027795</clientNumber>"));
        let body = body.replace(KEY, "[REDACTED]");
        assert!(!body.contains(KEY));
        let op = body
            .split_once("Body><")
            .and_then(|(_, r)| r.split([' ', '>']).next())
            .map(|n| n.rsplit(':').next().unwrap_or(n).to_owned())
            .unwrap_or_default();
        insta::assert_snapshot!(
            format!("dpd_envelope_{i:02}_{op}"),
            format!("POST {path}\n{body}")
        );
    }
}
