//! Every DPD operation through `DpdClient` against a local HTTP server answering realistic
//! DPD responses, plus the documented error codes, duplicates, polling, tracking sync,
//! report limits and streaming.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{serve, Answer, Seen};
use dpd_client::generated::{
    dpd_calculator_service as calc, dpd_geography2_service as geo, dpd_order_service as order,
};
use dpd_client::{
    Clock, DpdClient, DpdError, DpdErrorCode, Environment, ErrorChannel, LabelFormat,
    OrderCreationStatus, PageSize, ParcelState, PollOptions,
};
use futures_util::StreamExt as _;
use soap_runtime::error::Error as SoapError;
use soap_runtime::types::Date;

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

fn cost_request() -> calc::ServiceCostRequest {
    calc::ServiceCostRequest {
        auth: Default::default(),
        pickup: calc::CityRequest {
            city_name: Some("Москва".into()),
            ..Default::default()
        },
        delivery: calc::CityRequest {
            city_name: Some("Санкт-Петербург".into()),
            ..Default::default()
        },
        self_pickup: false,
        self_delivery: false,
        weight: 3.5,
        volume: Some(0.02),
        service_code: Some("CUR,ECN".into()),
        pickup_date: Some(date("2026-12-01")),
        max_days: None,
        max_cost: None,
        declared_value: Some(5000.0),
    }
}

fn states_xml(doc_id: i64, complete: bool, states: &[(&str, &str, &str)]) -> String {
    let mut s = format!(
        "<return><docId>{doc_id}</docId><docDate>2026-11-26T10:00:00</docDate><clientNumber>1001027795</clientNumber><resultComplete>{complete}</resultComplete>"
    );
    for (parcel, state, time) in states {
        s.push_str(&format!(
            "<states><clientOrderNr>SHOP-10001</clientOrderNr><dpdOrderNr>RU0123456789</dpdOrderNr><dpdParcelNr>{parcel}</dpdParcelNr><pickupDate>2026-12-01</pickupDate><newState>{state}</newState><transitionTime>{time}</transitionTime><terminalCode>M11</terminalCode><terminalCity>Москва</terminalCity></states>"
        ));
    }
    s.push_str("</return>");
    s
}

/// Realistic answers per operation.
fn happy(seen: &Seen) -> Answer {
    let r = match seen.op.as_str() {
        "getCitiesCashPay" => "<return><cityId>49694102</cityId><countryCode>RU</countryCode><countryName>Россия</countryName><regionCode>77</regionCode><regionName>Москва</regionName><cityCode>77000000000</cityCode><cityName>Москва</cityName><abbreviation>г</abbreviation><indexMin>101000</indexMin><indexMax>135000</indexMax></return>".to_owned(),
        "getTerminalsSelfDelivery2" => "<return><terminal><terminalCode>M11</terminalCode><terminalName>Москва - M11 Илимская</terminalName><address><cityName>Москва</cityName><street>Илимская</street><houseNo>5</houseNo></address><geoCoordinates><latitude>55.894</latitude><longitude>37.593</longitude></geoCoordinates></terminal></return>".to_owned(),
        "getParcelShops" => "<return><parcelShop><code>77M1</code><parcelShopType>ПВП</parcelShopType><state>Open</state><address><cityName>Москва</cityName><street>Тверская</street><houseNo>7</houseNo></address></parcelShop></return>".to_owned(),
        "getStoragePeriod" => "<return><terminal><terminalCode>M11</terminalCode><services><serviceCode>CUR</serviceCode><days>7</days></services></terminal></return>".to_owned(),
        "getPossibleExtraService" => "<return><resultCode>OK</resultCode><extraService><code>НПП</code><name>Наложенный платёж</name><isPaid>true</isPaid></extraService></return>".to_owned(),
        "getServiceCost2" | "getServiceCost" | "getServiceCostByParcels2" | "getServiceCostByParcels" => "<return><serviceCode>CUR</serviceCode><serviceName>DPD CLASSIC</serviceName><cost>612.5</cost><days>2</days></return><return><serviceCode>ECN</serviceCode><serviceName>DPD ECONOMY</serviceName><cost>480</cost><days>3</days></return>".to_owned(),
        "getServiceCostInternational" => "<return><serviceCode>CUR</serviceCode><serviceName>DPD CLASSIC</serviceName><days>5-7</days><cost>3200</cost></return>".to_owned(),
        "createOrder" => "<return><orderNumberInternal>SHOP-10001</orderNumberInternal><orderNum>05120002MOW</orderNum><status>OK</status></return>".to_owned(),
        "getOrderStatus" => "<return><orderNumberInternal>SHOP-10001</orderNumberInternal><orderNum>05120002MOW</orderNum><status>OK</status></return>".to_owned(),
        "createAddress" | "updateAddress" => "<return><code>SKLAD-1</code><status>OK</status></return>".to_owned(),
        "getInvoiceFile" => "<return><file>JVBERi0xLjQK</file></return>".to_owned(),
        "getRegisterFile" => "<return><file>0M8R4KGxGuE=</file><file>0M8R4KGxGuA=</file></return>".to_owned(),
        "addParcels" | "removeParcels" => "<return><orderNum>05120002MOW</orderNum><status>OK</status><parcelStatus><number>P-2</number><status>OK</status></parcelStatus></return>".to_owned(),
        "cancelOrder" => "<return><orderNumberInternal>SHOP-10001</orderNumberInternal><orderNum>05120002MOW</orderNum><status>Cancelled</status></return>".to_owned(),
        "getStatesByClient" | "getStatesByClientOrder" | "getStatesByClientParcel" | "getStatesByDPDOrder" => states_xml(
            1001,
            true,
            &[("P-1", "OnTerminalPickup", "2026-12-01T18:30:00"), ("P-1", "Delivered", "2026-12-03T14:05:00"), ("P-1", "Delivering", "2026-12-03T09:10:00")],
        ),
        "confirm" => "<return>OK</return>".to_owned(),
        "getNLAmount" => "<return><amount>612.5</amount><ordernum>05120002MOW</ordernum></return>".to_owned(),
        "getNLInvoice" => "<return><amount>612.5</amount><invoicenum>СФ-77/123</invoicenum><ordernum>05120002MOW</ordernum></return>".to_owned(),
        "createLabelFile" => "<return><file>JVBERi0xLjQK</file><order><orderNum>05120002MOW</orderNum><status>OK</status></order></return>".to_owned(),
        "getClientNumByINN" => "<return><clientINN>7701234567</clientINN><clientNumber>1001028502</clientNumber><status>OK</status></return>".to_owned(),
        other => panic!("unexpected operation {other}"),
    };
    Answer::Ok(r)
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
        house_korpus: None,
        str: None,
        vlad: None,
        extra_info: None,
        office: Some("12".into()),
        flat: None,
        work_time_from: Some("9:00".into()),
        work_time_to: Some("18:00".into()),
        dinner_time_from: None,
        dinner_time_to: None,
        contact_fio: "Иванов Иван".into(),
        contact_phone: "+74951234567".into(),
        contact_email: None,
        instructions: None,
        need_pass: None,
    }
}

fn correction() -> order::DpdOrderCorrection {
    order::DpdOrderCorrection {
        auth: Default::default(),
        order_num: "05120002MOW".into(),
        order_number_internal: None,
        cargo_num_pack: Some(2),
        cargo_weight: Some(7.0),
        cargo_volume: None,
        cargo_value: None,
        cargo_category: Some("Одежда".into()),
        parcel: vec![order::Parcel {
            number: "P-2".into(),
            weight: Some(3.5),
            length: None,
            width: None,
            height: None,
            insurance_cost: None,
            insurance_cost_vat: None,
            cod_amount: None,
        }
        .into()],
    }
}

fn shop_filter() -> geo::DpdParcelShopRequest {
    geo::DpdParcelShopRequest {
        auth: Default::default(),
        country_code: Some("RU".into()),
        region_code: None,
        city_code: None,
        city_name: Some("Москва".into()),
        service_code: None,
    }
}

#[tokio::test]
async fn every_operation_round_trips() {
    let srv = serve(happy).await;
    let dpd = srv.client();

    assert_eq!(
        dpd.cities_cash_pay(Some("RU")).await.unwrap()[0]
            .city_name
            .as_deref(),
        Some("Москва")
    );
    assert_eq!(
        dpd.terminals().await.unwrap()[0].terminal_code.as_deref(),
        Some("M11")
    );
    let shops = dpd.parcel_shops(shop_filter()).await.unwrap();
    assert_eq!(
        shops[0].shop_type(),
        Some(dpd_client::ParcelShopType::PickupPoint)
    );
    assert_eq!(
        dpd.storage_period(geo::StoragePeriodRequest {
            auth: Default::default(),
            terminal_code: "M11".into(),
            service_code: Some("CUR".into())
        })
        .await
        .unwrap()[0]
            .services[0]
            .days,
        7
    );
    let es = dpd
        .possible_extra_service(geo::DpdPossibleEsRequest {
            auth: Default::default(),
            pickup: None,
            delivery: None,
            self_pickup: false,
            self_delivery: true,
            service_code: "CUR".into(),
            pickup_date: None,
            options: None,
        })
        .await
        .unwrap();
    assert_eq!(es.extra_service[0].code.as_deref(), Some("НПП"));

    let costs = dpd.service_cost(cost_request()).await.unwrap();
    assert_eq!(
        (costs[0].service_code.as_deref(), costs[0].cost),
        (Some("CUR"), Some(612.5))
    );
    assert_eq!(dpd.service_cost_v1(cost_request()).await.unwrap().len(), 2);
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
        self_pickup: true,
        self_delivery: false,
        service_code: None,
        pickup_date: None,
        max_days: None,
        max_cost: None,
        declared_value: None,
        parcel: vec![calc::ParcelRequest {
            weight: 3.5,
            length: 40.0,
            width: 30.0,
            height: 20.0,
            quantity: Some(1),
        }],
    };
    assert_eq!(
        dpd.service_cost_by_parcels(by_parcels.clone())
            .await
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        dpd.service_cost_by_parcels_v1(by_parcels)
            .await
            .unwrap()
            .len(),
        2
    );
    let intl = calc::ServiceCostInternationalRequest {
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
        insurance: None,
    };
    assert_eq!(
        dpd.service_cost_international(intl).await.unwrap()[0]
            .days
            .as_deref(),
        Some("5-7")
    );

    let created = dpd.create_order(sample_order()).await.unwrap();
    assert_eq!(created[0].creation_status(), OrderCreationStatus::Ok);
    assert_eq!(created[0].order_num.as_deref(), Some("05120002MOW"));
    let st = dpd
        .order_status(vec![order::InternalOrderNumber {
            order_number_internal: "SHOP-10001".into(),
            date_pickup: None,
        }])
        .await
        .unwrap();
    assert_eq!(st[0].status, "OK");
    assert_eq!(
        dpd.create_address(client_address()).await.unwrap().code,
        "SKLAD-1"
    );
    assert_eq!(
        dpd.update_address(client_address()).await.unwrap().status,
        "OK"
    );
    let pdf = dpd
        .invoice_file(order::DpdGetInvoiceFile {
            auth: Default::default(),
            order_num: "05120002MOW".into(),
            parcel_count: None,
            cargo_value: None,
        })
        .await
        .unwrap();
    assert!(pdf.starts_with(b"%PDF-1.4"));
    let registers = dpd.register_files(date("2026-12-01")).await.unwrap();
    assert_eq!(registers.len(), 2);
    assert_eq!(
        dpd.add_parcels(correction())
            .await
            .unwrap()
            .parcel_status
            .len(),
        1
    );
    assert_eq!(dpd.remove_parcels(correction()).await.unwrap().status, "OK");
    let cancelled = dpd
        .cancel_order(vec![order::OrderCancel {
            order_number_internal: Some("SHOP-10001".into()),
            order_num: None,
            pickupdate: None,
        }])
        .await
        .unwrap();
    assert_eq!(
        cancelled[0].cancel_status(),
        dpd_client::CancelStatus::Cancelled
    );

    let states = dpd.states_by_client().await.unwrap();
    assert_eq!(
        states.current_state().map(|s| s.state()),
        Some(ParcelState::Delivered)
    );
    assert_eq!(states.current_states().len(), 1);
    assert_eq!(dpd.confirm(1001).await.unwrap().as_deref(), Some("OK"));
    assert_eq!(
        dpd.states_by_client_order("SHOP-10001", None)
            .await
            .unwrap()
            .states
            .len(),
        3
    );
    assert_eq!(
        dpd.states_by_client_parcel("P-1", Some(date("2026-12-01")))
            .await
            .unwrap()
            .doc_id,
        1001
    );
    assert!(
        dpd.states_by_dpd_order("RU0123456789", Some(2026))
            .await
            .unwrap()
            .result_complete
    );
    assert_eq!(
        dpd.states_by_client_order_detailed("SHOP-10001", None)
            .await
            .unwrap()
            .states
            .len(),
        3
    );
    assert_eq!(
        dpd.states_by_client_parcel_detailed("P-1", None)
            .await
            .unwrap()
            .states
            .len(),
        3
    );
    assert_eq!(
        dpd.states_by_dpd_order_detailed("RU0123456789", None)
            .await
            .unwrap()
            .states
            .len(),
        3
    );

    assert_eq!(
        dpd.nl_amount(date("2026-11-01"), date("2026-11-30"))
            .await
            .unwrap()[0]
            .amount,
        Some(612.5)
    );
    assert_eq!(
        dpd.nl_invoice(date("2026-11-01"), date("2026-11-30"))
            .await
            .unwrap()[0]
            .invoicenum
            .as_deref(),
        Some("СФ-77/123")
    );
    let label = dpd
        .create_label_file(LabelFormat::Pdf, PageSize::A6, &[("05120002MOW", 1)])
        .await
        .unwrap();
    assert!(label.bytes.starts_with(b"%PDF"));
    assert_eq!(
        dpd.client_num_by_inn("7701234567").await.unwrap(),
        1_001_028_502
    );

    let seen = srv.seen();
    let paths: std::collections::BTreeSet<_> = seen.iter().map(|s| s.path.clone()).collect();
    assert_eq!(paths.len(), 8, "{paths:?}");
    // The wrapper children the guide names.
    let body_of = |op: &str| seen.iter().find(|s| s.op == op).unwrap().body.clone();
    assert!(body_of("createOrder").contains("<orders><auth>"));
    assert!(body_of("getOrderStatus").contains("<orderStatus><auth>"));
    assert!(body_of("getNLAmount").contains("<arg0><auth>"));
    assert!(body_of("createLabelFile").contains("<getLabelFile><auth>"));
    assert!(
        body_of("createLabelFile").contains("<fileFormat>PDF</fileFormat><pageSize>A6</pageSize>")
    );
    assert!(body_of("getTerminalsSelfDelivery2").contains("getTerminalsSelfDelivery2"));
}

fn sample_order() -> order::DpdOrdersData {
    let addr = |city: &str, street: &str, house: &str| order::Address {
        name: Some("ООО «Ромашка»".into()),
        country_name: Some("Россия".into()),
        city: Some(city.into()),
        street: Some(street.into()),
        street_abbr: Some("ул".into()),
        house: Some(house.into()),
        contact_fio: Some("Иванов Иван".into()),
        contact_phone: Some("+74951234567".into()),
        ..Default::default()
    };
    order::DpdOrdersData {
        auth: Default::default(),
        header: order::Header {
            date_pickup: date("2026-12-01"),
            payer: None,
            sender_address: addr("Москва", "Полярная", "31"),
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
            delivery_time_period: Some("9-18".into()),
            payment_type: None,
            extra_param: Vec::new(),
            data_int: None,
            receiver_address: addr("Санкт-Петербург", "Невский", "28"),
            extra_service: vec![dpd_client::ExtraService::sms("+79111234567").into()],
            parcel: Vec::new(),
            unit_load: Vec::new(),
        }],
    }
}

const FAULT_CODES: &[(&str, &str)] = &[
    ("system-error", "Системная ошибка"),
    (
        "too-many-calls",
        "Превышен лимит одновременных вызовов сервиса",
    ),
    (
        "call-client-twin",
        "Повторный вызов сервиса по одному коду клиента",
    ),
    ("client-num-error", "Не найден номер клиента"),
    ("auth-error", "Ошибка в параметрах аутентификации"),
    ("required-value", "Не заданы значения обязательных полей"),
    ("error-value", "Недопустимое значение поля"),
    (
        "no-service-available",
        "Невозможна услуга, удовлетворяющая запросу",
    ),
    ("no-data-found", "Данные не найдены"),
    ("too-many-rows", "Найдено более одной записи данных"),
    ("no-setting", "Не предусмотрены настройки"),
    (
        "date-before-start",
        "Дата запрошенного объекта ранее подключения клиента к сервису",
    ),
    (
        "confirm-not-required",
        "Запрос не предполагает подтверждения",
    ),
    (
        "input-data-error",
        "У заказа № 05120002MOW дата забора ранее текущей даты",
    ),
    (
        "illegal-state",
        "Состояние заказа № 05120002MOW не позволяет создавать наклейки",
    ),
];

#[tokio::test]
async fn every_documented_fault_code_maps_to_dpd_error_code() {
    let current = Arc::new(Mutex::new(0usize));
    let c2 = current.clone();
    let srv = serve(move |_| {
        let (code, msg) = FAULT_CODES[*c2.lock().unwrap()];
        Answer::Fault(msg.into(), Some(code.into()), msg.into())
    })
    .await;
    let dpd = srv.client();
    for (i, (code, msg)) in FAULT_CODES.iter().enumerate() {
        *current.lock().unwrap() = i;
        // Alternate services so every fault detail type is exercised.
        let err = match i % 4 {
            0 => dpd.service_cost(cost_request()).await.unwrap_err(),
            1 => dpd.states_by_client().await.map(|_| ()).unwrap_err(),
            2 => dpd
                .create_label_file(LabelFormat::Pdf, PageSize::A5, &[("05120002MOW", 2)])
                .await
                .map(|_| ())
                .unwrap_err(),
            _ => dpd
                .create_order(sample_order())
                .await
                .map(|_| ())
                .unwrap_err(),
        };
        match &err {
            DpdError::Service {
                code: c,
                message,
                channel,
                ..
            } => {
                assert_eq!(c.as_str(), *code);
                assert!(
                    !matches!(c, DpdErrorCode::Unknown(_)),
                    "{code} must be known"
                );
                assert_eq!(message, msg);
                assert_eq!(*channel, ErrorChannel::Fault);
            }
            other => panic!("{code}: {other:?}"),
        }
        assert_eq!(
            err.is_retryable(),
            matches!(
                *code,
                "system-error" | "too-many-calls" | "call-client-twin"
            )
        );
    }
}

#[tokio::test]
async fn code_only_in_faultstring_and_unknown_faults() {
    let srv = serve(|s| match s.op.as_str() {
        "getParcelShops" => Answer::Fault(
            "auth-error: Ошибка в параметрах аутентификации".into(),
            None,
            String::new(),
        ),
        _ => Answer::Fault("java.lang.NullPointerException".into(), None, String::new()),
    })
    .await;
    let dpd = srv.client();
    let err = dpd.parcel_shops(shop_filter()).await.unwrap_err();
    assert!(
        matches!(&err, DpdError::Service { code: DpdErrorCode::AuthError, message, .. } if message == "Ошибка в параметрах аутентификации"),
        "{err:?}"
    );
    let err = dpd.terminals().await.unwrap_err();
    assert!(
        matches!(&err, DpdError::Soap(e) if e.fault().is_some()),
        "{err:?}"
    );
}

#[tokio::test]
async fn calculator_too_many_rows_exposes_duplicates() {
    let dups = r#"<?xml version="1.0"?><S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><S:Fault><faultcode>S:Server</faultcode><faultstring>Найдено более одной записи данных</faultstring><detail><ns2:ServiceCostFault2 xmlns:ns2="http://dpd.ru/ws/calculator/2012-03-20"><code>too-many-rows</code><deliveryDups><cityId>195851995</cityId><countryCode>RU</countryCode><regionCode>50</regionCode><regionName>Московская</regionName><cityName>Александровка</cityName><abbreviation>д</abbreviation></deliveryDups><deliveryDups><cityId>195733465</cityId><countryCode>RU</countryCode><regionCode>33</regionCode><regionName>Владимирская</regionName><cityName>Александровка</cityName><abbreviation>д</abbreviation></deliveryDups><message>Найдено более одной записи данных</message></ns2:ServiceCostFault2></detail></S:Fault></S:Body></S:Envelope>"#;
    let app = axum::Router::new().fallback(move || async move {
        axum::response::Response::builder()
            .status(500)
            .header("content-type", "text/xml")
            .body(axum::body::Body::from(dups))
            .unwrap()
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let dpd = DpdClient::new(1, "k", Environment::Custom(format!("http://{addr}")));
    let mut req = cost_request();
    req.delivery.city_name = Some("Александровка".into());
    match dpd.service_cost(req).await.unwrap_err() {
        DpdError::Service {
            code: DpdErrorCode::TooManyRows,
            delivery_dups,
            pickup_dups,
            ..
        } => {
            assert!(pickup_dups.is_empty());
            let ids: Vec<_> = delivery_dups
                .iter()
                .map(|c| (c.city_id, c.region_name.clone()))
                .collect();
            assert_eq!(
                ids,
                vec![
                    (Some(195_851_995), Some("Московская".into())),
                    (Some(195_733_465), Some("Владимирская".into()))
                ]
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn status_field_errors_are_typed() {
    let srv = serve(|s| Answer::Ok(match s.op.as_str() {
        "createAddress" => "<return><code>SKLAD-1</code><status>code-already-exists</status><errorMessage>Адрес с указанным кодом уже существует</errorMessage></return>".into(),
        "updateAddress" => "<return><code>SKLAD-1</code><status>code-not-found</status><errorMessage>Адрес с указанным кодом не найден</errorMessage></return>".into(),
        "addParcels" => "<return><orderNum>05120002MOW</orderNum><status>illegal-state</status><errorMessage>Груз уже принят</errorMessage></return>".into(),
        "removeParcels" => "<return><orderNum>05120002MOW</orderNum><status>no-data-found</status></return>".into(),
        "getClientNumByINN" => "<return><clientINN>7701234567</clientINN><status>too-many-rows</status></return>".into(),
        "createLabelFile" => "<return><order><orderNum>05120002MOW</orderNum><status>illegal-state</status><errorMessage>Состояние заказа № 05120002MOW не позволяет создавать наклейки</errorMessage></order></return>".into(),
        "createOrder" => "<return><orderNumberInternal>SHOP-10001</orderNumberInternal><status>OrderError</status><errorMessage>Не указан адрес</errorMessage></return>".into(),
        "cancelOrder" => "<return><orderNumberInternal>SHOP-10001</orderNumberInternal><status>Error</status><errorMessage>Отмена заказа невозможна, возникла ошибка: Не найден заказ \\ заявка \\ отправка</errorMessage></return>".into(),
        other => panic!("{other}"),
    }))
    .await;
    let dpd = srv.client();
    let code = |e: DpdError| match e {
        DpdError::Service {
            code,
            channel: ErrorChannel::Status,
            ..
        } => code,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        code(dpd.create_address(client_address()).await.unwrap_err()),
        DpdErrorCode::CodeAlreadyExists
    );
    assert_eq!(
        code(dpd.update_address(client_address()).await.unwrap_err()),
        DpdErrorCode::CodeNotFound
    );
    assert_eq!(
        code(dpd.add_parcels(correction()).await.unwrap_err()),
        DpdErrorCode::IllegalState
    );
    assert_eq!(
        code(dpd.remove_parcels(correction()).await.unwrap_err()),
        DpdErrorCode::NoDataFound
    );
    assert_eq!(
        code(dpd.client_num_by_inn("7701234567").await.unwrap_err()),
        DpdErrorCode::TooManyRows
    );
    assert_eq!(
        code(
            dpd.create_label_file(LabelFormat::Fp3, PageSize::A5, &[("05120002MOW", 1)])
                .await
                .unwrap_err()
        ),
        DpdErrorCode::IllegalState
    );
    // Multi-result operations keep per-order statuses typed.
    assert_eq!(
        dpd.create_order(sample_order()).await.unwrap()[0].creation_status(),
        OrderCreationStatus::OrderError
    );
    assert_eq!(
        dpd.cancel_order(vec![]).await.unwrap()[0].cancel_status(),
        dpd_client::CancelStatus::Error
    );
    // address-error too.
    assert_eq!(
        DpdErrorCode::from("address-error"),
        DpdErrorCode::AddressError
    );
}

#[tokio::test]
async fn order_pending_is_polled_until_final() {
    let polls = Arc::new(AtomicUsize::new(0));
    let p = polls.clone();
    let srv = serve(move |_| {
        let n = p.fetch_add(1, Ordering::SeqCst);
        let status = if n < 2 {
            "<status>OrderPending</status>"
        } else {
            "<orderNum>05120002MOW</orderNum><status>OK</status>"
        };
        Answer::Ok(format!(
            "<return><orderNumberInternal>SHOP-10001</orderNumberInternal>{status}</return>"
        ))
    })
    .await;
    let dpd = srv.client();
    let opts = PollOptions {
        interval: Duration::from_millis(1),
        max_attempts: 5,
    };
    let done = dpd
        .poll_order_status("SHOP-10001", Some(date("2026-12-01")), opts)
        .await
        .unwrap();
    assert_eq!(done.order_num.as_deref(), Some("05120002MOW"));
    assert_eq!(polls.load(Ordering::SeqCst), 3);
    assert!(srv.seen()[0]
        .body
        .contains("<datePickup>2026-12-01</datePickup>"));

    polls.store(0, Ordering::SeqCst);
    let opts = PollOptions {
        interval: Duration::from_millis(1),
        max_attempts: 2,
    };
    assert!(matches!(
        dpd.poll_order_status("SHOP-10001", None, opts)
            .await
            .unwrap_err(),
        DpdError::StillPending { attempts: 2, .. }
    ));
}

#[tokio::test]
async fn sync_states_confirms_only_after_handler_success_and_follows_incomplete() {
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    let srv = serve(move |s| match s.op.as_str() {
        "getStatesByClient" => {
            let n = c.fetch_add(1, Ordering::SeqCst);
            // First batch is incomplete (limit per call reached), second completes.
            Answer::Ok(states_xml(
                500 + n as i64,
                n % 2 == 1,
                &[("P-1", "OnRoad", "2026-12-02T03:00:00")],
            ))
        }
        "confirm" => Answer::Ok("<return>OK</return>".into()),
        other => panic!("{other}"),
    })
    .await;
    let dpd = srv.client();

    // Handler fails: nothing confirmed, error surfaces.
    let err = dpd
        .sync_states(|_| async { Err::<(), _>("database down") })
        .await
        .unwrap_err();
    assert!(matches!(err, DpdError::Handler(_)));
    assert_eq!(srv.ops(), vec!["getStatesByClient"]);

    // Handler succeeds: batch 501 (complete after the one before)… reset the counter so the
    // first batch is incomplete.
    calls.store(0, Ordering::SeqCst);
    srv.seen.lock().unwrap().clear();
    let got = Arc::new(Mutex::new(Vec::new()));
    let g = got.clone();
    let summary = dpd
        .sync_states(move |batch| {
            let g = g.clone();
            async move {
                g.lock().unwrap().push(batch.doc_id);
                Ok::<(), std::io::Error>(())
            }
        })
        .await
        .unwrap();
    assert_eq!(summary.batches, 2);
    assert_eq!(summary.confirmed, 2);
    assert_eq!(*got.lock().unwrap(), vec![500, 501]);
    assert_eq!(
        srv.ops(),
        vec![
            "getStatesByClient",
            "confirm",
            "getStatesByClient",
            "confirm"
        ]
    );
    let seen = srv.seen();
    assert!(seen[1].body.contains("<docId>500</docId>"));
    assert!(seen[3].body.contains("<docId>501</docId>"));
}

#[tokio::test]
async fn sync_states_accepts_confirm_not_required() {
    let srv = serve(|s| match s.op.as_str() {
        "getStatesByClient" => Answer::Ok(states_xml(
            7,
            true,
            &[("P-1", "Delivered", "2026-12-03T14:05:00")],
        )),
        _ => Answer::Fault(
            "Запрос не предполагает подтверждения".into(),
            Some("confirm-not-required".into()),
            "Запрос не предполагает подтверждения".into(),
        ),
    })
    .await;
    let s = srv
        .client()
        .sync_states(|_| async { Ok::<(), std::io::Error>(()) })
        .await
        .unwrap();
    assert_eq!((s.batches, s.states, s.confirmed), (1, 1, 0));
}

#[derive(Debug)]
struct FakeClock(Mutex<Instant>);
impl Clock for FakeClock {
    fn now(&self) -> Instant {
        *self.0.lock().unwrap()
    }
}

#[tokio::test]
async fn reports_are_rate_limited_locally() {
    let srv = serve(happy).await;
    let clock = Arc::new(FakeClock(Mutex::new(Instant::now())));
    let dpd = DpdClient::builder(
        common::CLIENT_NUMBER,
        common::KEY,
        Environment::Custom(srv.base.clone()),
    )
    .clock(clock.clone())
    .build();
    let (from, to) = (date("2026-11-01"), date("2026-11-30"));
    dpd.nl_amount(from.clone(), to.clone()).await.unwrap();
    // The other report has its own limit.
    dpd.nl_invoice(from.clone(), to.clone()).await.unwrap();
    *clock.0.lock().unwrap() += Duration::from_secs(10 * 60);
    match dpd.nl_amount(from.clone(), to.clone()).await.unwrap_err() {
        DpdError::ReportRateLimited {
            operation,
            retry_after,
        } => {
            assert_eq!(operation, "getNLAmount");
            assert_eq!(retry_after, Duration::from_secs(20 * 60));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        srv.ops().iter().filter(|o| *o == "getNLAmount").count(),
        1,
        "refused locally"
    );
    *clock.0.lock().unwrap() += Duration::from_secs(20 * 60);
    dpd.nl_amount(from, to).await.unwrap();
    assert_eq!(srv.ops().iter().filter(|o| *o == "getNLAmount").count(), 2);
}

#[tokio::test]
async fn reports_refuse_concurrent_calls() {
    // A slow server keeps the first call running.
    let app = axum::Router::new().fallback(|| async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        common::ok_body("http://dpd.ru/ws/nl", "getNLAmount", "")
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let dpd = DpdClient::new(1, "k", Environment::Custom(format!("http://{addr}")));
    let (from, to) = (date("2026-11-01"), date("2026-11-30"));
    let first = dpd.nl_amount(from.clone(), to.clone());
    let second = async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        dpd.nl_amount(from.clone(), to.clone()).await
    };
    let (a, b) = tokio::join!(first, second);
    assert!(a.is_ok(), "{a:?}");
    assert!(matches!(b, Err(DpdError::ReportRateLimited { .. })));
}

#[tokio::test]
async fn parcel_shops_stream_decodes_thousands_in_chunks() {
    const N: usize = 3000;
    let srv = serve(|s| {
        assert_eq!(s.op, "getParcelShops");
        let mut xml = common::ok_body("http://dpd.ru/ws/geography/2015-05-20", "getParcelShops", "<return>@</return>");
        let mut items = String::new();
        for i in 0..N {
            items.push_str(&format!(
                "<parcelShop><code>{i:05}</code><parcelShopType>ПВП</parcelShopType><address><cityName>Москва</cityName><street>Тверская</street><houseNo>{i}</houseNo></address><geoCoordinates><latitude>55.7{i}</latitude><longitude>37.6</longitude></geoCoordinates></parcelShop>"
            ));
            if i == 10 {
                items.push_str(r#"<parcelShop xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/>"#);
            }
        }
        xml = xml.replace('@', &items);
        // Chunks of 1000 bytes, cut anywhere (even inside UTF-8 characters).
        let bytes = xml.into_bytes();
        let chunks = bytes.chunks(1000).map(<[u8]>::to_vec).collect();
        Answer::Chunked(chunks)
    })
    .await;
    let dpd = srv.client();
    let shops: Vec<_> = dpd.parcel_shops_stream(shop_filter()).collect().await;
    assert_eq!(shops.len(), N);
    let shops: Vec<geo::ParcelShop> = shops.into_iter().map(Result::unwrap).collect();
    assert_eq!(shops[0].code.as_deref(), Some("00000"));
    assert_eq!(shops[N - 1].code.as_deref(), Some("02999"));
    assert!(srv.seen()[0].body.contains("<cityName>Москва</cityName>"));
}

#[tokio::test]
async fn streams_report_faults() {
    let srv = serve(|_| {
        Answer::Fault(
            "Ошибка в параметрах аутентификации".into(),
            Some("auth-error".into()),
            "Ошибка в параметрах аутентификации".into(),
        )
    })
    .await;
    let dpd = srv.client();
    let items: Vec<_> = dpd.terminals_stream().collect().await;
    assert_eq!(items.len(), 1);
    assert!(matches!(
        &items[0],
        Err(DpdError::Service {
            code: DpdErrorCode::AuthError,
            ..
        })
    ));
}

#[test]
fn key_never_in_debug() {
    let dpd = DpdClient::new(1_001_027_795, "SECRET-KEY-123", Environment::Production);
    let dbg = format!("{dpd:?}");
    assert!(!dbg.contains("SECRET-KEY-123"));
    assert!(dbg.contains("ClientKey(***)"));
    assert_eq!(Environment::Test.base_url(), "http://wstest.dpd.ru");
}

/// Damaged responses (bytes replaced, inserted, removed, the body cut short) through both the
/// ordinary call and the stream: every one ends in a value or a typed error, never a panic, and
/// the undamaged response still decodes in full.
#[tokio::test]
async fn damaged_parcel_shop_responses_are_typed_errors() {
    const SHOPS: &str = "<return><parcelShop><code>77M1</code><parcelShopType>ПВП</parcelShopType>\
        <state>Open</state><address><cityName>Москва</cityName><street>Тверская &amp; Ко</street>\
        </address><geoCoordinates><latitude>55.75</latitude><longitude>37.61</longitude></geoCoordinates>\
        <schedule><operation>Payment</operation><timetable><weekDays>Пн,Вт</weekDays>\
        <workTime>10:00 - 21:00</workTime></timetable></schedule></parcelShop>\
        <parcelShop xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:nil=\"true\"/>\
        <parcelShop><code>77M2</code><state><![CDATA[Full]]></state></parcelShop></return>";
    let good = common::ok_body(
        "http://dpd.ru/ws/geography/2015-05-20",
        "getParcelShops",
        SHOPS,
    )
    .into_bytes();
    // A fixed xorshift sequence: the same damaged documents on every run.
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        usize::try_from(seed % 1_000_003).unwrap()
    };
    let markup = b"<>/&\"'!?:=x \n\x80\xd0;#[]-";
    let mut docs = vec![good];
    while docs.len() < 400 {
        let mut d = docs[0].clone();
        for _ in 0..=next() % 3 {
            let at = next() % d.len().max(1);
            let byte = markup[next() % markup.len()];
            match next() % 4 {
                0 if at < d.len() => d[at] = byte,
                1 if at < d.len() => drop(d.remove(at)),
                2 => d.insert(at.min(d.len()), byte),
                _ => d.truncate(at),
            }
        }
        docs.push(d);
    }
    let docs = Arc::new(docs);
    let served = Arc::new(AtomicUsize::new(0));
    let srv = serve({
        let (docs, served) = (docs.clone(), served.clone());
        move |_| {
            // Each document is served twice: to the ordinary call, then to the stream.
            let doc = &docs[served.fetch_add(1, Ordering::SeqCst) / 2];
            Answer::Chunked(doc.chunks(97).map(<[u8]>::to_vec).collect())
        }
    })
    .await;
    let dpd = srv.client();
    let mut decoded = 0;
    for i in 0..docs.len() {
        let whole = dpd.parcel_shops(shop_filter()).await;
        let streamed: Vec<_> = dpd.parcel_shops_stream(shop_filter()).collect().await;
        if i == 0 {
            let shops = whole.as_ref().expect("the undamaged response");
            assert_eq!(shops.len(), 2, "{shops:?}");
            assert_eq!(
                shops[0].address.as_ref().unwrap().street.as_deref(),
                Some("Тверская & Ко")
            );
            assert_eq!(streamed.iter().filter(|s| s.is_ok()).count(), 2);
        }
        decoded += usize::from(whole.is_ok());
        // The damage is reported as what it is, with what was received: the ordinary call keeps
        // the whole body, the stream (bounded memory) the part it was decoding.
        let doc = docs[i].as_slice();
        let errors = whole.err().map(|e| (e, true)).into_iter().chain(
            streamed
                .into_iter()
                .filter_map(Result::err)
                .map(|e| (e, false)),
        );
        for (e, whole_body) in errors {
            let DpdError::Soap(e) = e else {
                panic!("document {i}: {e:?}")
            };
            match *e {
                SoapError::Decode { body, .. } | SoapError::UnexpectedResponse { body, .. } => {
                    let body = body.as_ref();
                    if whole_body {
                        assert_eq!(body, doc, "document {i}");
                    } else {
                        assert!(
                            body.is_empty() || doc.windows(body.len()).any(|w| w == body),
                            "document {i}: {}\n{}",
                            String::from_utf8_lossy(body),
                            String::from_utf8_lossy(doc)
                        );
                    }
                }
                other => panic!("document {i}: {other:?}"),
            }
        }
    }
    // Most damage breaks the document; some (inside text) does not.
    assert!(decoded > 1 && decoded < docs.len(), "{decoded}");
}
