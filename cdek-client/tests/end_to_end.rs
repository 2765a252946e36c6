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
use cdek_client::{lenient, CdekClient, CdekError, Credentials, Environment, ErrorCode};

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
pub fn new_order(number: &str) -> g::NewOrder {
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

fn info_request() -> g::InfoRequest {
    g::InfoRequest {
        date: String::new(),
        account: String::new(),
        secure: String::new(),
        change_period: None,
        order: vec![g::OrderRef {
            dispatch_number: Some(1_105_048_590),
            number: None,
            date: None,
        }],
    }
}

pub fn calc_request_pub() -> g::CalculatorRequest {
    calc_request()
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
    let report = client.info_report(info_request()).await.unwrap();
    assert_eq!(report.order.len(), 1);

    let err = r#"<response><InfoRequest ErrorCode="ERR_INFOREQUEST" Msg="Не задан ни период, ни заказы"/></response>"#;
    let (client, _) = start(canned("info_report.php", 500, "text/xml", err)).await;
    match client.info_report(info_request()).await {
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
    let list = client.pvz_list(Some(270)).await.unwrap();
    assert_eq!(list.pvz.len(), 1);
    let p = &list.pvz[0];
    assert_eq!(lenient::flag(p.is_dressing_room.as_deref()), Some(true));
    assert_eq!(lenient::flag(p.allowed_cod.as_deref()), Some(false));
    let seen = server.seen.lock().unwrap().clone();
    assert_eq!(seen[0].1, "cityid=270", "unset filters are left out");

    let err = r#"<PvzList ErrorCode="ERR_PVZ_NOTFOUND" Msg="ПВЗ не найдены"/>"#;
    let (client, _) = start(canned("pvzlist/v1/xml", 200, "text/xml", err)).await;
    match client.pvz_list(Some(1)).await {
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
        Err(CdekError::Calculator(e)) => assert_eq!(e[0].0, "3"),
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
