//! Every wrapped operation through `CdekClient` against a local HTTP server answering with
//! realistic CDEK documents (written for these tests), including CDEK's quirks: HTTP 500 with
//! an XML body, errors in another root element, JSON alerts from the print endpoint, empty
//! numeric attributes, several date formats and "есть"/"нет" flags.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use cdek_client::generated::cdek_integration as g;
use cdek_client::reports::pvz_city;
use cdek_client::{
    lenient, AdditionalService, AdditionalStatus, CalculatorErrorCode, CallFailReason,
    CashOnDeliveryType, CdekClient, CdekError, CityFilter, Credentials, DelayReason, DeliveryMode,
    DeliveryVariant, Environment, ErrorCode, InfoQuery, OrderQuery, OrderStatus, PvzFilter,
    RegionFilter, StatusQuery, Tariff, VatRate,
};
use chrono::{NaiveDate, NaiveDateTime};

/// What the server answers for a path: status, content type, body.
type Canned = BTreeMap<String, (u16, &'static str, Vec<u8>)>;

#[derive(Clone, Default)]
struct Server {
    canned: Arc<Canned>,
    seen: Arc<Mutex<Vec<(String, String, String)>>>,
}

async fn handle(State(s): State<Server>, req: Request) -> Response {
    let path = req.uri().path().trim_start_matches('/').to_owned();
    let query = req.uri().query().unwrap_or_default().to_owned();
    let body = axum::body::to_bytes(req.into_body(), 1 << 20)
        .await
        .unwrap_or_else(|_| Bytes::new());
    if let Ok(mut seen) = s.seen.lock() {
        seen.push((
            path.clone(),
            query,
            String::from_utf8_lossy(&body).into_owned(),
        ));
    }
    match s.canned.get(&path) {
        Some((status, ct, body)) => (
            StatusCode::from_u16(*status).unwrap_or(StatusCode::OK),
            [(header::CONTENT_TYPE, *ct)],
            body.clone(),
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no such path").into_response(),
    }
}

async fn start(canned: Canned) -> (CdekClient, Server) {
    let server = Server {
        canned: Arc::new(canned),
        seen: Arc::default(),
    };
    let app = axum::Router::new()
        .fallback(handle)
        .with_state(server.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let base = format!("http://{addr}/");
    let client = CdekClient::new(
        Credentials::new("test-account", "s3cret-password"),
        Environment::Custom {
            integration: base.clone(),
            calculator: format!("{base}calculator/"),
        },
    )
    .with_fixed_date("2024-03-15T10:30:00");
    (client, server)
}

fn canned(path: &str, status: u16, ct: &'static str, body: &str) -> Canned {
    let mut m = Canned::new();
    m.insert(path.to_owned(), (status, ct, body.as_bytes().to_vec()));
    m
}

fn one_order(number: &str) -> g::DeliveryRequest {
    g::DeliveryRequest {
        number: "ACT-2024-0315".into(),
        date: String::new(),
        account: String::new(),
        secure: String::new(),
        order_count: 0,
        currency: None,
        foreign_delivery: None,
        developer_key: None,
        call_courier: None,
        order: vec![new_order(number)],
    }
}

/// A realistic e-shop order; weights in grams.
fn new_order(number: &str) -> g::NewOrder {
    g::NewOrder {
        number: number.into(),
        send_city_code: Some(270),
        rec_city_code: Some(44),
        send_city_post_code: None,
        rec_city_post_code: None,
        send_country_code: None,
        rec_country_code: None,
        send_city_name: None,
        rec_city_name: None,
        recipient_inn: None,
        date_invoice: None,
        shipper_name: None,
        shipper_address: None,
        passport_number: None,
        recipient_name: "Иванов Иван Иванович".into(),
        recipient_email: Some("ivanov@example.ru".into()),
        recipient_company: None,
        phone: "+79161234567".into(),
        tariff_type_code: 137,
        delivery_recipient_cost: Some(300.0),
        delivery_recipient_vat_rate: None,
        delivery_recipient_vat_sum: None,
        recipient_currency: None,
        items_currency: None,
        comment: Some("Позвонить за час".into()),
        seller_name: None,
        seller_address: None,
        client_side: None,
        address: g::OrderAddress {
            street: Some("Тверская".into()),
            house: Some("7".into()),
            flat: Some("12".into()),
            pvz_code: None,
        },
        package: vec![g::OrderPackage {
            number: "1".into(),
            bar_code: format!("{number}-1"),
            weight: 1200,
            size_a: Some(30),
            size_b: Some(20),
            size_c: Some(10),
            comment: None,
            item: Vec::new(),
        }],
        add_service: Vec::new(),
        schedule: None,
        delivery_recipient_cost_adv: Vec::new(),
        passport: None,
        sender: None,
        seller: None,
    }
}

fn info_query() -> InfoQuery {
    InfoQuery::new(OrderQuery::new().dispatch_numbers([1_105_048_590]))
}

fn calc_request() -> g::CalculatorRequest {
    g::CalculatorRequest {
        version: "1.0".into(),
        date_execute: None,
        auth_login: None,
        secure: None,
        sender_city_id: Some(270),
        sender_city_post_code: None,
        sender_country_code: None,
        sender_city: None,
        sender_longitude: None,
        sender_latitude: None,
        receiver_city_id: Some(44),
        receiver_city_post_code: None,
        receiver_country_code: None,
        receiver_city: None,
        receiver_longitude: None,
        receiver_latitude: None,
        tariff_id: Some(137),
        tariff_list: Vec::new(),
        mode_id: None,
        goods: vec![g::CalcGoods {
            weight: soap_runtime::types::Decimal::from_f64(0.5).expect("decimal"),
            length: Some(10),
            width: Some(20),
            height: Some(30),
            volume: None,
        }],
        services: Vec::new(),
        currency: None,
        lang: None,
    }
}

#[tokio::test]
async fn new_orders_returns_successes_and_per_order_errors() {
    let body = r#"<?xml version="1.0" encoding="UTF-8"?>
<response>
  <Order Number="SHOP-1001" DispatchNumber="1105048590" Msg="Добавлен заказ 1105048590"/>
  <Order Number="SHOP-1002" ErrorCode="ERR_ORDER_DUBL_EXISTS" Msg="Заказ с таким номером уже существует"/>
  <Order Msg="Добавлено заказов 1"/>
</response>"#;
    let (client, server) = start(canned("new_orders.php", 200, "text/xml", body)).await;
    let out = client.new_orders(one_order("SHOP-1001")).await.unwrap();
    assert_eq!(out.orders.len(), 2);
    let ok = out.orders[0].as_ref().unwrap();
    assert_eq!(ok.dispatch_number, Some(1_105_048_590));
    let err = out.orders[1].as_ref().unwrap_err();
    assert_eq!(err.code, ErrorCode::OrderExists);
    assert_eq!(err.number.as_deref(), Some("SHOP-1002"));
    assert_eq!(out.messages, vec!["Добавлено заказов 1".to_owned()]);

    let seen = server.seen.lock().unwrap().clone();
    let (_, _, form) = &seen[0];
    assert!(form.starts_with("xml_request=%3C%3Fxml"), "{form}");
    assert!(!form.contains("s3cret"), "the password must never be sent");
    // md5("2024-03-15T10:30:00&s3cret-password")
    assert!(form.contains("Secure%3D%22"), "{form}");
}

#[tokio::test]
async fn auth_error_with_http_500_is_a_typed_error() {
    let body = r#"<?xml version="1.0" encoding="UTF-8"?><response><DeliveryRequest ErrorCode="ERR_AUTH" Msg=""/></response>"#;
    let (client, _) = start(canned("new_orders.php", 500, "text/html", body)).await;
    match client.new_orders(one_order("SHOP-1001")).await {
        Err(CdekError::Api(errors)) => {
            assert_eq!(errors.len(), 1);
            assert_eq!(errors[0].code, ErrorCode::Auth);
        }
        other => panic!("expected ERR_AUTH, got {other:?}"),
    }
}

#[tokio::test]
async fn delete_orders_both_answer_formats() {
    // 2015: a DeleteRequest wrapper; 2019: flat Order lines. Both in one document.
    let body = r#"<response>
  <DeleteRequest Number="ACT-1"><Order Number="SHOP-1" Msg="Удален заказ SHOP-1"/></DeleteRequest>
  <Order Number="SHOP-2" ErrorCode="ERR_DELETEREQUEST_ORDER_MOVE" Msg="Заказ не в статусе Создан"/>
</response>"#;
    let (client, _) = start(canned("delete_orders.php", 200, "application/xml", body)).await;
    let out = client
        .delete_orders("ACT-1", &["SHOP-1", "SHOP-2"])
        .await
        .unwrap();
    assert_eq!(out.orders.len(), 2);
    assert_eq!(
        out.orders[0].as_ref().unwrap().number.as_deref(),
        Some("SHOP-1")
    );
    assert_eq!(
        out.orders[1].as_ref().unwrap_err().code,
        ErrorCode::DeleteOrderMove
    );
}

#[tokio::test]
async fn info_report_with_empty_values_and_error_root() {
    let body = r#"<?xml version="1.0" encoding="UTF-8"?>
<InfoReport>
  <Order Number="SHOP-1001" Date="2024-03-14" DispatchNumber="1105048590" TariffTypeCode="137"
         Weight="1.2" DeliverySum="350" DateLastChange="2024-03-15 09:12:44" CashOnDeliv="">
    <SendCity Code="270" PostCode="630000" Name="Новосибирск"/>
    <RecCity Code="44" PostCode="101000" Name="Москва"/>
  </Order>
</InfoReport>"#;
    let (client, _) = start(canned("info_report.php", 200, "text/xml", body)).await;
    let report = client.info_report(&info_query()).await.unwrap();
    assert_eq!(report.orders.len(), 1);
    let o = report.orders[0].as_ref().unwrap();
    assert_eq!(o.cash_on_delivery, None, "CashOnDeliv=\"\" is no value");
    assert_eq!(o.date_last_change, Some(dt("2024-03-15T09:12:44")));

    let err = r#"<response><InfoRequest ErrorCode="ERR_INFOREQUEST" Msg="Не задан ни период, ни заказы"/></response>"#;
    let (client, _) = start(canned("info_report.php", 500, "text/xml", err)).await;
    match client.info_report(&info_query()).await {
        Err(CdekError::Api(e)) => assert_eq!(e[0].code, ErrorCode::InfoRequest),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn orders_print_pdf_xml_error_and_json_alerts() {
    let (client, _) = start(canned(
        "orders_print.php",
        200,
        "application/pdf",
        "%PDF-1.4\n%fake",
    ))
    .await;
    let pdf = client
        .orders_print(&[1_105_048_590], Some(2))
        .await
        .unwrap();
    assert!(pdf.starts_with(b"%PDF"));

    let xml = r#"<response><OrdersPrint ErrorCode="ERR_INVALID_DISPACHNUMBER" Msg="Не найден заказ"/></response>"#;
    let (client, _) = start(canned("orders_print.php", 200, "text/xml", xml)).await;
    match client.orders_print(&[1], None).await {
        Err(CdekError::Api(e)) => assert_eq!(e[0].code, ErrorCode::InvalidDispatchNumber),
        other => panic!("{other:?}"),
    }

    let json = r#"{"alerts":[{"type":"danger","msg":"Заказы не найдены","errorCode":"ERR_ORDER_NOTFIND"}]}"#;
    let (client, _) = start(canned("orders_print.php", 500, "application/json", json)).await;
    match client.orders_print(&[1], None).await {
        Err(CdekError::Print(a)) => {
            assert_eq!(a[0].code, Some(ErrorCode::OrderNotFound));
            assert_eq!(a[0].message, "Заказы не найдены");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn pvz_list_flags_and_query() {
    let body = r#"<?xml version="1.0" encoding="UTF-8"?>
<PvzList>
  <Pvz Code="NSK33" Name="На Ленина" CityCode="270" City="Новосибирск" WorkTime="Пн-Пт 10:00-20:00"
       Address="ул. Ленина, 1" Phone="+73832000000" Type="PVZ" OwnerCode="cdek"
       IsDressingRoom="есть" HaveCashless="true" AllowedCod="нет" MetroStation=" "
       coordX="82.92" coordY="55.03"/>
</PvzList>"#;
    let (client, server) = start(canned("pvzlist/v1/xml", 200, "text/xml", body)).await;
    let list = client.pvz_list(&PvzFilter::city(270)).await.unwrap();
    assert_eq!(list.pvz.len(), 1);
    let p = &list.pvz[0];
    assert_eq!(lenient::flag(p.is_dressing_room.as_deref()), Some(true));
    assert_eq!(lenient::flag(p.allowed_cod.as_deref()), Some(false));
    let seen = server.seen.lock().unwrap().clone();
    assert_eq!(seen[0].1, "cityid=270", "unset filters are left out");

    let err = r#"<PvzList ErrorCode="ERR_PVZ_NOTFOUND" Msg="ПВЗ не найдены"/>"#;
    let (client, _) = start(canned("pvzlist/v1/xml", 200, "text/xml", err)).await;
    match client.pvz_list(&PvzFilter::city(1)).await {
        Err(CdekError::Api(e)) => assert_eq!(e[0].code, ErrorCode::PvzNotFound),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn calculator_numbers_as_strings_and_errors() {
    let body = r#"{"result":{"price":"1250","deliveryPeriodMin":2,"deliveryPeriodMax":"4","tariffId":137,"priceByCurrency":1190,"currency":"RUB"}}"#;
    let (client, server) = start(canned(
        "calculator/calculate_price_by_json.php",
        200,
        "application/json",
        body,
    ))
    .await;
    let req = calc_request();
    let r = client.calculate_price(req.clone()).await.unwrap();
    assert_eq!(lenient::decimal(r.price.as_deref()), Some(1250.0));
    assert_eq!(lenient::int(r.delivery_period_min.as_deref()), Some(2));
    let seen = server.seen.lock().unwrap().clone();
    assert!(seen[0].2.contains("\"goods\":[{"), "{}", seen[0].2);
    assert!(seen[0].2.contains("\"authLogin\":\"test-account\""));
    assert!(!seen[0].2.contains("s3cret"));

    let err = r#"{"error":[{"code":3,"text":"Невозможно осуществить доставку по этому направлению при заданных условиях"}]}"#;
    let (client, _) = start(canned(
        "calculator/calculate_price_by_json.php",
        200,
        "application/json",
        err,
    ))
    .await;
    match client.calculate_price(req).await {
        Err(CdekError::Calculator(e)) => {
            assert_eq!(e[0].code, CalculatorErrorCode::DirectionImpossible)
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn undecodable_answer_keeps_the_body() {
    let (client, _) = start(canned(
        "new_orders.php",
        502,
        "text/html",
        "<html><body>Bad Gateway</body></html>",
    ))
    .await;
    let e = client.new_orders(one_order("X")).await.unwrap_err();
    assert_eq!(
        e.body(),
        Some(&b"<html><body>Bad Gateway</body></html>"[..])
    );
}

fn dt(s: &str) -> NaiveDateTime {
    lenient::date_time(Some(s)).unwrap()
}

fn courier_call() -> g::CourierCall {
    g::CourierCall {
        date: NaiveDate::from_ymd_opt(2024, 3, 18).unwrap().into(),
        time_beg: "10:00".into(),
        time_end: "15:00".into(),
        lunch_beg: Some("13:00".into()),
        lunch_end: Some("14:00".into()),
        send_city_code: Some(270),
        send_city_post_code: None,
        send_country_code: None,
        send_city_name: None,
        send_phone: Some("+73832123456".into()),
        sender_name: "Склад ООО «Ромашка»".into(),
        weight: Some(5400),
        comment: Some("Въезд со двора".into()),
        dispatch_number: None,
        ignore_time: None,
        address: g::StreetAddress {
            street: "Кирова".into(),
            house: "86".into(),
            flat: Some("офис 3".into()),
        },
    }
}

#[tokio::test]
async fn add_delivery_and_embedded_courier_call() {
    let body = r#"<response><Call Number="22022033"/><Call Msg="Добавлено заявок 1"/><Order DispatchNumber="1105048777" Number="SHOP-2001"/><Order Msg="Добавлено заказов 1"/><TraceId>e5341942156970a92</TraceId></response>"#;
    let (client, server) = start(canned("addDelivery", 200, "text/xml", body)).await;
    let out = client.add_delivery(one_order("SHOP-2001")).await.unwrap();
    assert_eq!(out.calls.len(), 1);
    assert_eq!(out.calls[0].as_ref().unwrap().number, "22022033");
    assert_eq!(
        out.orders[0].as_ref().unwrap().dispatch_number,
        Some(1_105_048_777)
    );
    assert_eq!(out.trace_id.as_deref(), Some("e5341942156970a92"));
    assert!(out.is_complete_success());
    assert_eq!(
        out.messages,
        vec![
            "Добавлено заявок 1".to_owned(),
            "Добавлено заказов 1".to_owned()
        ]
    );
    assert_eq!(server.seen.lock().unwrap()[0].0, "addDelivery");
}

#[tokio::test]
async fn update_orders_success_and_error_with_trace_id() {
    let ok = r#"<response><Order DispatchNumber="1105048590" Number="SHOP-1001"/><Order Msg="Изменено заказов: 1"/></response>"#;
    let (client, _) = start(canned("update", 200, "text/xml", ok)).await;
    let req = g::UpdateRequest {
        number: "ACT-2024-0315".into(),
        date: String::new(),
        account: String::new(),
        secure: String::new(),
        order_count: 0,
        order: vec![update_order()],
    };
    let out = client.update_orders(req.clone()).await.unwrap();
    assert_eq!(out.orders.len(), 1);
    assert_eq!(out.messages, vec!["Изменено заказов: 1".to_owned()]);

    // An error that names no order, with a TraceId, HTTP 500: the request failed as a whole.
    let err = r#"<response><Order ErrorCode="ERR_NEED_ATTRIBUTE" Msg="Отсутствие обязательного атрибута: DispatchNumber или Number"/><TraceId>2a706c5c926fc49d</TraceId></response>"#;
    let (client, _) = start(canned("update", 500, "text/xml", err)).await;
    match client.update_orders(req).await {
        Err(CdekError::Api(e)) => assert_eq!(e[0].code, ErrorCode::NeedAttribute),
        other => panic!("{other:?}"),
    }
}

fn update_order() -> g::UpdateOrder {
    g::UpdateOrder {
        number: None,
        dispatch_number: Some(1_105_048_590),
        recipient_name: Some("Петрова Анна Сергеевна".into()),
        phone: Some("+79139876543".into()),
        recipient_email: None,
        delivery_recipient_cost: Some(250.0),
        delivery_recipient_vat_rate: Some(g::VatRate::Vat20),
        delivery_recipient_vat_sum: Some(41.67),
        recipient_inn: None,
        date_invoice: None,
        shipper_name: None,
        shipper_address: None,
        passport_number: None,
        address: Some(g::OrderAddress {
            street: None,
            house: None,
            flat: None,
            pvz_code: Some("MSK123".into()),
        }),
        package: Vec::new(),
        delivery_recipient_cost_adv: Vec::new(),
        passport: None,
    }
}

fn schedule_request() -> g::ScheduleRequest {
    g::ScheduleRequest {
        date: String::new(),
        account: String::new(),
        secure: String::new(),
        order_count: 0,
        order: vec![g::ScheduleOrder {
            dispatch_number: Some(1_105_048_590),
            number: None,
            date: None,
            attempt: g::ScheduleRequestAttempt {
                id: 1,
                date: NaiveDate::from_ymd_opt(2024, 3, 19).unwrap().into(),
                time_beg: Some("10:00:00".into()),
                time_end: Some("14:00:00".into()),
                recipient_name: None,
                phone: None,
                delivery_recipient_cost: None,
                delivery_recipient_vat_rate: None,
                delivery_recipient_vat_sum: None,
                comment: Some("Позвонить за час".into()),
                address: None,
                package: Vec::new(),
            },
        }],
    }
}

#[tokio::test]
async fn new_schedule_forms() {
    let ok = r#"<response><ScheduleRequest Msg="Добавлено 1 прозвонов"/></response>"#;
    let (client, _) = start(canned("new_schedule.php", 200, "text/xml", ok)).await;
    let out = client.new_schedule(schedule_request()).await.unwrap();
    assert_eq!(out.messages, vec!["Добавлено 1 прозвонов".to_owned()]);

    // A per-order error naming the order: returned per order, not as a failure.
    let per_order = r#"<response><Order Number="SHOP-1001" ErrorCode="ERR_SCHEDULE_CHANGE" Msg="Заказ не может быть изменен в статусе: Вручен"/></response>"#;
    let (client, _) = start(canned("new_schedule.php", 200, "text/xml", per_order)).await;
    let out = client.new_schedule(schedule_request()).await.unwrap();
    assert_eq!(
        out.orders[0].as_ref().unwrap_err().code,
        ErrorCode::ScheduleChange
    );
    assert!(!out.is_complete_success());

    let doc = r#"<response><ScheduleRequest ErrorCode="ERR_NOTFOUNDTAG" Msg="Не найден обязательный тег:ORDER, ATTEMPT"/></response>"#;
    let (client, _) = start(canned("new_schedule.php", 200, "text/xml", doc)).await;
    match client.new_schedule(schedule_request()).await {
        Err(CdekError::Api(e)) => assert_eq!(e[0].code, ErrorCode::NotFoundTag),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn call_courier_forms() {
    let ok = r#"<response><CallCourier Date="2024-03-18" Msg="Добавлено заявок 1"/><Call Number="1234567"/></response>"#;
    let (client, server) = start(canned("call_courier.php", 200, "text/xml", ok)).await;
    let out = client.call_courier(vec![courier_call()]).await.unwrap();
    assert_eq!(out.calls[0].as_ref().unwrap().number, "1234567");
    assert_eq!(out.messages, vec!["Добавлено заявок 1".to_owned()]);
    let form = server.seen.lock().unwrap()[0].2.clone();
    assert!(form.contains("CallCount%3D%221%22"), "{form}");

    // Empty `Date=""` next to the error code.
    let err = r#"<response><CallCourier Date="" ErrorCode="ERR_CALLCOURIER_DATETIME" Msg="Вызов курьера возможно сделать только на будущую дату: Date=2024-03-18"/></response>"#;
    let (client, _) = start(canned("call_courier.php", 200, "text/xml", err)).await;
    match client.call_courier(vec![courier_call()]).await {
        Err(CdekError::Api(e)) => assert_eq!(e[0].code, ErrorCode::CallCourierDateTime),
        other => panic!("{other:?}"),
    }

    // The gateway's lower-case internal error, no Msg: retryable.
    let internal = r#"<response><Order ErrorCode="error_internal"/><TraceId>123456789abcdef</TraceId></response>"#;
    let (client, _) = start(canned("call_courier.php", 500, "text/xml", internal)).await;
    let e = client.call_courier(vec![courier_call()]).await.unwrap_err();
    assert_eq!(e.codes(), vec![&ErrorCode::InternalXml]);
    assert!(e.is_retryable());
}

const STATUS_REPORT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<StatusReport DateFirst="2000-12-31T17:00:00+00:00" DateLast="2024-03-15T07:30:00+00:00">
  <Order ActNumber="ACT-2024-0301" Number="SHOP-1001" DispatchNumber="1105048590"
         DeliveryDate="2024-03-07T15:29:32+03:00" RecipientName="Иванов Иван" ReturnDispatchNumber="1105099999">
    <Status Date="2024-03-07T12:29:39+00:00" Code="4" Description="Вручен" CityCode="44" CityName="Москва">
      <State Date="2024-03-01T14:15:20+00:00" Code="1" Description="Создан" CityCode="270" CityName="Новосибирск"/>
      <State Date="2024-03-02 09:00:00" Code="3" Description="Принят на склад отправителя" CityCode="270" CityName="Новосибирск"/>
      <State Date="2024-03-07T12:29:39+00:00" Code="4" Description="Вручен" CityCode="44" CityName="Москва"/>
    </Status>
    <Reason Code="20" Description="Частичная доставка" Date="2024-03-07T12:29:39+00:00"></Reason>
    <DelayReason Code="" Description="" Date="">
      <State Date="2024-03-05T16:56:41+00:00" Code="47" Description="Адрес не существует"/>
    </DelayReason>
    <Package Number="1" BarCode="SHOP-1001-1">
      <Item WareKey="NN0001" Amount="2" DelivAmount="1"/>
    </Package>
    <Attempt ID="1" ScheduleCode="13" ScheduleDescription="Контактное лицо отсутствует"/>
    <Call>
      <CallGood><Good Date="2024-03-04T14:15:46+00:00" DateDeliv="2024-03-07"/></CallGood>
      <CallFail><Fail Date="2024-03-03T15:35:47+00:00" ReasonCode="3" ReasonDescription="Абонент недоступен"/></CallFail>
      <CallDelay><Delay Date="2024-03-03T16:00:00+00:00" DateNext="2024-03-04"/></CallDelay>
    </Call>
    <ReturnOrder ActNumber="" Number="" DispatchNumber="1105099999" DeliveryDate="" RecipientName="">
      <Status Date="2024-03-10T10:00:00+03:00" Code="16" Description="Возвращен на склад отправителя" CityCode="270" CityName="Новосибирск"/>
      <Reason Code="" Description="" Date=""/>
      <DelayReason Code="" Description="" Date=""/>
    </ReturnOrder>
  </Order>
  <Order DispatchNumber="123" ErrorCode="ERR_INVALID_DISPATCHNUMBER" Msg="Заказ не найден в базе СДЭК: DispatchNumber=123"/>
</StatusReport>"#;

#[tokio::test]
async fn status_report_full_history_calls_returns() {
    let (client, server) = start(canned(
        "status_report_h.php",
        200,
        "text/xml",
        STATUS_REPORT,
    ))
    .await;
    let query = StatusQuery::new(OrderQuery::new().dispatch_numbers([1_105_048_590, 123]))
        .with_history()
        .with_returns();
    let report = client.status_report(&query).await.unwrap();
    assert_eq!(report.orders.len(), 2);
    let o = report.orders[0].as_ref().unwrap();
    assert!(o.is_final());
    let status = o.status.as_ref().unwrap();
    assert_eq!(status.status, OrderStatus::Delivered);
    assert_eq!(status.city_code, Some(44));
    assert_eq!(o.history.len(), 3);
    assert_eq!(o.history[1].date, Some(dt("2024-03-02T09:00:00")));
    assert_eq!(o.delivery_date, Some(dt("2024-03-07T15:29:32")));
    assert_eq!(
        o.reason.as_ref().unwrap().code,
        AdditionalStatus::PartialDelivery
    );
    assert_eq!(o.delay, None, "all-empty DelayReason is no delay");
    assert_eq!(o.delay_history[0].code, DelayReason::AddressDoesNotExist);
    assert_eq!(o.packages[0].items[0].delivered, Some(1));
    assert_eq!(
        o.failed_attempts[0].reason,
        Some(DelayReason::ContactAbsent)
    );
    assert_eq!(o.calls.failed[0].reason, Some(CallFailReason::Unavailable));
    assert_eq!(o.calls.successful[0].delivery_date, Some(dt("2024-03-07")));
    assert_eq!(o.calls.delayed[0].next, Some(dt("2024-03-04")));
    assert_eq!(o.return_dispatch_number, Some(1_105_099_999));
    let ret = o.return_order.as_ref().unwrap();
    assert_eq!(ret.act_number, None);
    assert_eq!(ret.number, None);
    assert_eq!(ret.reason, None);
    assert_eq!(
        ret.status.as_ref().unwrap().status,
        OrderStatus::ReturnedToSenderWarehouse
    );
    let err = report.orders[1].as_ref().unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidDispatchNumber);
    assert_eq!(err.dispatch_number, Some(123));

    let form = &server.seen.lock().unwrap()[0].2;
    assert!(form.contains("ShowHistory%3D%221%22"), "{form}");
}

#[tokio::test]
async fn status_report_root_errors() {
    let err = r#"<StatusReport ErrorCode="ERR_ORDERS_NOT_FOUND" Msg="По указанным параметрам заказов не найдено"><Order DispatchNumber="123" ErrorCode="ERR_INVALID_DISPACHNUMBER" Msg="Заказ не найден в базе СДЭК: DispatchNumber=123"/></StatusReport>"#;
    let (client, _) = start(canned("status_report_h.php", 200, "text/xml", err)).await;
    let query = StatusQuery::new(
        OrderQuery::new().changed_between(dt("2024-03-01T00:00:00"), Some(dt("2024-03-15"))),
    );
    match client.status_report(&query).await {
        Err(CdekError::Api(e)) => {
            assert_eq!(e[0].code, ErrorCode::OrdersNotFound);
            assert_eq!(e[1].code, ErrorCode::InvalidDispatchNumber, "typo accepted");
        }
        other => panic!("{other:?}"),
    }

    // Errors in another root: the gateway's `response` where `StatusReport` was expected.
    let other_root =
        r#"<response><Order ErrorCode="error_internal"/><TraceId>abc</TraceId></response>"#;
    let (client, _) = start(canned("status_report_h.php", 500, "text/xml", other_root)).await;
    match client.status_report(&query).await {
        Err(CdekError::Api(e)) => assert_eq!(e[0].code, ErrorCode::InternalXml),
        other => panic!("{other:?}"),
    }

    let bad_date = r#"<StatusReport ErrorCode="ERR_DATEFORMAT" Msg="Неверный формат даты в параметре Date = "/>"#;
    let (client, _) = start(canned("status_report_h.php", 200, "text/xml", bad_date)).await;
    match client.status_report(&query).await {
        Err(CdekError::Api(e)) => assert_eq!(e[0].code, ErrorCode::DateFormat),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn info_report_costs_services_and_old_attribute_casing() {
    // The old spelling DeliveryMode/PvzCode/DeliveryVariant, empty VAT values, a date with a
    // space and a zone.
    let body = r#"<InfoReport><Order Number="SHOP-1001" Date="2024-03-01" DispatchNumber="1105048590" TariffTypeCode="136" Weight="0.5" DeliverySum="980" DateLastChange="2024-03-06 05:30:00+03:00" CashOnDeliv="2231" CashOnDelivFact="2231" CashOnDelivType="cashless" DeliveryMode="4" PvzCode="MSK123" DeliveryVariant="PVZCDEK"><SendCity Code="270" PostCode="630000" Name="Новосибирск"/><RecCity Code="44" PostCode="101000" Name="Москва"/><Package Number="1" BarCode="SHOP-1001-1" Weight="0.5" VolumeWeight="1.22" SizeA="10" SizeB="12" SizeC="15"><Item WareKey="NN0001" Marking="" Comment="Футболка" Cost="500" Payment="0" VATRate="" VATSum="" Weight="0.12" Amount="2" DelivAmount="0"/><Item WareKey="NN0002" Comment="Кепка" Cost="300" Payment="300" VATRate="vat20" VATSum="50" Weight="0.1" Amount="1" DelivAmount="1"/></Package><AddedService ServiceCode="2" Sum="7.5"/><AddedService ServiceCode="42" Sum="66.93"/></Order><Order Number="SHOP-9" Date="" ErrorCode="ERR_INVALID_NUMBER" Msg="заказ не найден в базе СДЭК: Number=SHOP-9, Date="/></InfoReport>"#;
    let (client, _) = start(canned("info_report.php", 200, "text/xml", body)).await;
    let report = client.info_report(&info_query()).await.unwrap();
    let o = report.orders[0].as_ref().unwrap();
    assert_eq!(o.tariff, Some(Tariff::ParcelWarehouseWarehouse));
    assert_eq!(o.weight_kg, Some(0.5));
    assert_eq!(o.delivery_mode, Some(DeliveryMode::WarehouseWarehouse));
    assert_eq!(o.pvz_code.as_deref(), Some("MSK123"));
    assert_eq!(o.delivery_variant, Some(DeliveryVariant::PvzCdek));
    assert_eq!(o.cash_on_delivery_type, Some(CashOnDeliveryType::Cashless));
    assert_eq!(o.date_last_change, Some(dt("2024-03-06T05:30:00")));
    assert_eq!(o.services[0].service, AdditionalService::Insurance);
    assert_eq!(o.services[1].service, AdditionalService::AgentFee);
    assert_eq!(o.services[1].sum, Some(66.93));
    let items = &o.packages[0].items;
    assert_eq!(items[0].vat_rate, None);
    assert_eq!(items[0].vat_sum, None);
    assert_eq!(items[0].marking, None);
    assert_eq!(items[1].vat_rate, Some(VatRate::Vat20));
    assert_eq!(o.packages[0].size_cm, [Some(10.0), Some(12.0), Some(15.0)]);
    assert_eq!(
        report.orders[1].as_ref().unwrap_err().code,
        ErrorCode::InvalidNumber
    );
}

#[tokio::test]
async fn orders_packages_print_forms() {
    let (client, server) = start(canned(
        "ordersPackagesPrint",
        200,
        "application/pdf",
        "%PDF-1.4\n%labels",
    ))
    .await;
    let pdf = client
        .orders_packages_print(&[1_105_048_590], None, Some(g::PrintFormat::A6))
        .await
        .unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    assert!(server.seen.lock().unwrap()[0]
        .2
        .contains("PrintFormat%3D%22A6%22"));

    let xml = r#"<response><OrdersPackagesPrint ErrorCode="ERR_PRINT_ORDER" Msg="Не удалось сформировать файл печатной формы."/></response>"#;
    let (client, _) = start(canned("ordersPackagesPrint", 500, "text/xml", xml)).await;
    match client.orders_packages_print(&[1], None, None).await {
        Err(e @ CdekError::Api(_)) => assert_eq!(e.codes(), vec![&ErrorCode::PrintOrder]),
        other => panic!("{other:?}"),
    }

    let json =
        r#"{"alerts":[{"type":"danger","msg":"Внутренняя ошибка","errorCode":"internal_error"}]}"#;
    let (client, _) = start(canned("ordersPackagesPrint", 500, "application/json", json)).await;
    let e = client
        .orders_packages_print(&[1], None, None)
        .await
        .unwrap_err();
    assert!(matches!(&e, CdekError::Print(a) if a[0].code == Some(ErrorCode::InternalJson)));
    assert!(e.is_retryable());
}

#[tokio::test]
async fn add_pre_alert_forms() {
    let ok = r#"<response><Order Msg="Преалерт создан. Номер=SH/270/2467891 Дата=2024-03-18"/></response>"#;
    let (client, _) = start(canned("addPreAlert", 200, "text/xml", ok)).await;
    let day = NaiveDate::from_ymd_opt(2024, 3, 18).unwrap();
    let out = client
        .add_pre_alert("NSK33", day, &[1_105_048_590])
        .await
        .unwrap();
    assert!(out.messages[0].starts_with("Преалерт создан"));

    let err = r#"<response><PreAlert ErrorCode="INVALID_PARAMETER" Msg="plannedMeetingDate: неверный формат"/></response>"#;
    let (client, _) = start(canned("addPreAlert", 200, "text/xml", err)).await;
    match client.add_pre_alert("NSK33", day, &[1]).await {
        Err(CdekError::Api(e)) => assert_eq!(e[0].code, ErrorCode::InvalidParameter),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn pvz_list_all_filters_and_2015_city_name() {
    let body = r#"<PvzList weightMax="30"><Pvz Code="NSK1" Name="Старый" CityCode="270" CityName="Новосибирск" IsDressingRoom="нет" HaveCashless="есть" AllowedCod="true" coordX="82.9" coordY="55.0" MetroStation=" "><WeightLimit WeightMin="0" WeightMax="30"/><WorkTimeY day="1" periods="10:00/20:00"/></Pvz></PvzList>"#;
    let (client, server) = start(canned("pvzlist/v1/xml", 200, "text/xml", body)).await;
    let filter = PvzFilter {
        city_id: None,
        city_post_code: Some("630099".into()),
        kind: Some(g::PvzTypeFilter::All),
        country_iso: Some("RU".into()),
        allowed_cod: Some(true),
        weight_max: Some(20),
        lang: Some(g::ReferenceLang::Rus),
        ..PvzFilter::default()
    };
    let list = client.pvz_list(&filter).await.unwrap();
    let p = &list.pvz[0];
    assert_eq!(pvz_city(p), Some("Новосибирск"));
    assert_eq!(lenient::flag(p.is_dressing_room.as_deref()), Some(false));
    assert_eq!(lenient::flag(p.have_cashless.as_deref()), Some(true));
    assert_eq!(lenient::text(p.metro_station.as_deref()), None);
    assert_eq!(
        lenient::decimal(
            p.weight_limit
                .as_ref()
                .and_then(|w| w.weight_max.as_deref())
        ),
        Some(30.0)
    );
    assert_eq!(
        server.seen.lock().unwrap()[0].1,
        "citypostcode=630099&type=ALL&countryiso=RU&allowedcod=true&weightmax=20&lang=rus"
    );
}

#[tokio::test]
async fn regions_and_cities_with_gateway_errors() {
    let regions = r#"<Regions><Region regionName="Новосибирская обл." regionCode="23" regionUuid="0f9a" prefix="обл" regionCodeExt="54" regionFiasGuid="1ac46b49-3209-4814-b7bf-a509ea1aecd9" countryName="Россия" countryCode="RU" countryCodeExt="643"/></Regions>"#;
    let cities = r#"<Locations><Location cityName="Новосибирск" cityCode="270" country="Россия" countryCode="1" region="Новосибирская обл." regionCode="23" latitude="55.03" longitude="82.92" paymentLimit="-1.0" timezone="Asia/Novosibirsk"/></Locations>"#;
    let mut c = canned("v1/location/regions/xml", 200, "text/xml", regions);
    c.extend(canned(
        "v1/location/cities/xml",
        200,
        "application/xml",
        cities,
    ));
    let (client, server) = start(c).await;
    let r = client
        .regions(&RegionFilter {
            country_code: Some("RU".into()),
            size: Some(100),
            page: Some(0),
            ..RegionFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(lenient::int(r.region[0].region_code.as_deref()), Some(23));
    let l = client
        .cities(&CityFilter {
            city_name: Some("Новосибирск".into()),
            ..CityFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(
        lenient::decimal(l.location[0].payment_limit.as_deref()),
        Some(-1.0),
        "-1 = no limit"
    );
    let seen = server.seen.lock().unwrap().clone();
    assert_eq!(seen[0].1, "countryCode=RU&page=0&size=100");
    assert!(seen[1].1.starts_with("cityName=%D0%9D"), "{}", seen[1].1);

    let json = r#"{"timestamp":1572321600000,"path":"/v1/location/regions/xml","status":503,"error":"Service Unavailable","message":"The service or item was not found."}"#;
    let (client, _) = start(canned(
        "v1/location/regions/xml",
        503,
        "application/json",
        json,
    ))
    .await;
    match client.regions(&RegionFilter::default()).await {
        Err(e @ CdekError::Gateway { .. }) => {
            assert!(e.is_retryable());
            assert!(e.to_string().contains("not found"));
        }
        other => panic!("{other:?}"),
    }
    let json = r#"{"timestamp":"2021-01-01T01:01:01.001+0000","status":404,"error":"Not Found","message":"Not Found","path":"/v1/location/cities/xml"}"#;
    let (client, _) = start(canned(
        "v1/location/cities/xml",
        404,
        "application/json",
        json,
    ))
    .await;
    match client.cities(&CityFilter::default()).await {
        Err(CdekError::Gateway { status, .. }) => assert_eq!(status, Some(404)),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn tariff_list_per_tariff_results() {
    let body = r#"{"result":[{"tariffId":136,"status":true,"result":{"price":"1250","deliveryPeriodMin":"2","deliveryPeriodMax":4,"tariffId":"136","services":[{"id":2,"title":"Страхование","price":"15"}]}},{"tariffId":"62","status":false,"result":{"errors":{"code":3,"text":"Невозможно осуществить доставку по этому направлению при заданных условиях"}}}]}"#;
    let (client, server) = start(canned(
        "calculator/calculate_tarifflist.php",
        200,
        "application/json",
        body,
    ))
    .await;
    let mut req = calc_request();
    req.tariff_id = None;
    req.tariff_list = vec![
        g::CalcTariffPriority {
            priority: None,
            id: 136,
            mode_id: None,
        },
        g::CalcTariffPriority {
            priority: None,
            id: 62,
            mode_id: None,
        },
    ];
    let quotes = client.calculate_tariff_list(req).await.unwrap();
    assert_eq!(quotes[0].tariff, Tariff::ParcelWarehouseWarehouse);
    let ok = quotes[0].result.as_ref().unwrap();
    assert_eq!(lenient::decimal(ok.price.as_deref()), Some(1250.0));
    assert_eq!(lenient::int(ok.delivery_period_max.as_deref()), Some(4));
    assert_eq!(quotes[1].tariff, Tariff::TrunkExpress);
    assert_eq!(
        quotes[1].result.as_ref().unwrap_err().code,
        CalculatorErrorCode::DirectionImpossible
    );
    assert!(server.seen.lock().unwrap()[0]
        .2
        .contains("\"tariffList\":[{"));
}

#[tokio::test]
async fn json_gateway_error_and_empty_500_on_an_xml_operation() {
    let json = r#"{"timestamp":"2021-01-01T01:01:01.001+0000","status":404,"error":"Not Found","message":"Not Found","path":"/integration/new_orders.php"}"#;
    let (client, _) = start(canned("new_orders.php", 404, "application/json", json)).await;
    match client.new_orders(one_order("X")).await {
        Err(CdekError::Gateway { status, path, .. }) => {
            assert_eq!(status, Some(404));
            assert_eq!(path.as_deref(), Some("/integration/new_orders.php"));
        }
        other => panic!("{other:?}"),
    }
    let (client, _) = start(canned("delete_orders.php", 500, "text/html", "")).await;
    let e = client.delete_orders("A", &["X"]).await.unwrap_err();
    assert!(
        matches!(
            e,
            CdekError::Http {
                status: Some(500),
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.is_retryable());
    // Garbage that starts like XML: a typed error with the body, never a panic.
    let (client, _) = start(canned(
        "info_report.php",
        200,
        "text/xml",
        "<InfoReport><Order",
    ))
    .await;
    let e = client.info_report(&info_query()).await.unwrap_err();
    assert_eq!(e.body(), Some(&b"<InfoReport><Order"[..]));
}

#[tokio::test]
async fn the_password_never_leaks() {
    let (client, server) = start(canned("new_orders.php", 200, "text/xml", "<response/>")).await;
    let debug = format!(
        "{client:?} {:?}",
        Credentials::new("acc", "s3cret-password")
    );
    assert!(!debug.contains("s3cret"), "{debug}");
    assert!(debug.contains("<redacted>"));
    client.new_orders(one_order("SHOP-1")).await.unwrap();
    let _ = client.calculate_price(calc_request()).await;
    let seen = server.seen.lock().unwrap().clone();
    for (path, query, body) in seen {
        assert!(
            !query.contains("s3cret") && !body.contains("s3cret"),
            "{path}"
        );
    }
    // Secure is md5(Date&password) of the very Date sent.
    let (date, account, secure) = client.auth();
    assert_eq!(date, "2024-03-15T10:30:00");
    assert_eq!(account, "test-account");
    assert_eq!(
        secure,
        Credentials::new("x", "s3cret-password").secure("2024-03-15T10:30:00")
    );
}
