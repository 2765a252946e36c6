//! Snapshots of every request `cdek_client::CdekClient` sends (form fields decoded, query
//! strings, JSON bodies), with realistic values and a fixed `Date`, so the `Secure` hash is
//! stable; every request is also checked to carry no trace of the password.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use cdek_client::chrono::NaiveDate;
use cdek_client::generated::cdek_integration as g;
use cdek_client::{
    CdekClient, CityFilter, Credentials, Environment, InfoQuery, OrderQuery, PvzFilter,
    RegionFilter, StatusQuery,
};
use soap_runtime::transport::{HttpRequest, HttpResponse, Transport, TransportError};

const PASSWORD: &str = "s3cret-password";

/// Records requests and answers every one with `answer` (content type, body).
#[derive(Debug, Clone)]
struct Recorder {
    seen: Arc<Mutex<Vec<HttpRequest>>>,
    answer: (&'static str, &'static str),
}

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

impl Transport for Recorder {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        if let Ok(mut s) = self.seen.lock() {
            s.push(request);
        }
        let (ct, body) = self.answer;
        Box::pin(async move {
            Ok(HttpResponse {
                status: 200,
                headers: vec![("content-type".into(), ct.into())],
                body: body.as_bytes().into(),
            })
        })
    }
}

fn client(answer: (&'static str, &'static str)) -> (CdekClient, Arc<Mutex<Vec<HttpRequest>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let t = Recorder {
        seen: seen.clone(),
        answer,
    };
    let c = CdekClient::with_transport(
        Credentials::new("7f3b2c9d4e5a6b7c8d9e0f1a2b3c4d5e", PASSWORD),
        Environment::Test,
        Arc::new(t),
    )
    .with_fixed_date("2024-03-15T10:30:00");
    (c, seen)
}

fn form_decode(s: &str) -> String {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// The only request sent, as text: method, URL, then the body (the `xml_request` form field
/// decoded and broken at element boundaries for reading; JSON as sent).
fn sent(seen: &Arc<Mutex<Vec<HttpRequest>>>) -> String {
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    let r = &seen[0];
    let body = String::from_utf8_lossy(&r.body).into_owned();
    assert!(!body.contains(PASSWORD), "password leaked: {body}");
    assert!(!r.url.contains(PASSWORD));
    let body = if let Some(xml) = body.strip_prefix("xml_request=") {
        format!("xml_request =\n{}", form_decode(xml).replace("><", ">\n<"))
    } else {
        body
    };
    let ct = r
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.as_str())
        .unwrap_or("-");
    format!("{:?} {}\ncontent-type: {ct}\n{body}", r.method, r.url)
}

const OK: (&str, &str) = ("text/xml", "<response/>");
const PDF: (&str, &str) = ("application/pdf", "%PDF-1.4");

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// An e-shop order to a door in Moscow from Novosibirsk; weights in grams.
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
        delivery_recipient_vat_rate: Some(g::VatRate::Vat20),
        delivery_recipient_vat_sum: Some(50.0),
        recipient_currency: Some("RUB".into()),
        items_currency: Some("RUB".into()),
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
            comment: Some("Одежда".into()),
            item: vec![g::OrderItem {
                ware_key: "NN0001".into(),
                cost: 1500.0,
                payment: 1500.0,
                payment_vat_rate: Some(g::VatRate::Vat20),
                payment_vat_sum: Some(250.0),
                weight: 600,
                amount: 2,
                comment: "Футболка хлопковая".into(),
                marking: None,
                cost_ex: None,
                payment_ex: None,
                weight_brutto: None,
                comment_ex: None,
                link: None,
            }],
        }],
        add_service: vec![g::AddService {
            service_code: 30,
            count: None,
            cost: None,
        }],
        schedule: Some(g::Schedule {
            attempt: vec![g::ScheduleAttempt {
                id: "1".into(),
                date: day(2024, 3, 19).into(),
                time_beg: "10:00:00".into(),
                time_end: "14:00:00".into(),
                recipient_name: None,
                phone: None,
                address: None,
            }],
        }),
        delivery_recipient_cost_adv: vec![g::DeliveryRecipientCostAdv {
            threshold: 5000,
            sum: 0.0,
            vat_rate: Some(g::VatRate::Vatx),
            vat_sum: None,
        }],
        passport: None,
        sender: None,
        seller: Some(g::Seller {
            name: Some("ООО «Ромашка»".into()),
            address: None,
            phone: Some("+73832123456".into()),
            inn: Some("5406123456".into()),
            ownership_form: Some(63),
        }),
    }
}

fn delivery_request() -> g::DeliveryRequest {
    g::DeliveryRequest {
        number: "ACT-2024-0315".into(),
        date: String::new(),
        account: String::new(),
        secure: String::new(),
        order_count: 0,
        currency: None,
        foreign_delivery: None,
        developer_key: None,
        call_courier: Some(g::EmbeddedCallCourier {
            call_count: None,
            call: vec![g::EmbeddedCall {
                date: day(2024, 3, 18).into(),
                time_beg: "10:00".into(),
                time_end: "15:00".into(),
                lunch_beg: None,
                lunch_end: None,
                send_city_code: Some(270),
                send_city_post_code: None,
                send_country_code: None,
                send_city_name: None,
                send_phone: Some("+73832123456".into()),
                sender_name: "Петров Пётр".into(),
                weight: Some(2400),
                comment: None,
                send_address: g::StreetAddress {
                    street: "Кирова".into(),
                    house: "86".into(),
                    flat: None,
                },
            }],
        }),
        order: vec![new_order("SHOP-1001"), new_order("SHOP-1002")],
    }
}

#[tokio::test]
async fn new_orders_request() {
    let (c, seen) = client(OK);
    c.new_orders(delivery_request()).await.unwrap();
    insta::assert_snapshot!(sent(&seen));
}

#[tokio::test]
async fn add_delivery_request() {
    let (c, seen) = client(OK);
    let mut req = delivery_request();
    req.call_courier = None;
    req.order.truncate(1);
    req.order[0].tariff_type_code = 11;
    req.order[0].add_service = vec![g::AddService {
        service_code: 2,
        count: None,
        cost: Some(3000.0),
    }];
    c.add_delivery(req).await.unwrap();
    insta::assert_snapshot!(sent(&seen));
}

#[tokio::test]
async fn update_orders_request() {
    let (c, seen) = client(OK);
    let req = g::UpdateRequest {
        number: "ACT-2024-0315".into(),
        date: String::new(),
        account: String::new(),
        secure: String::new(),
        order_count: 0,
        order: vec![g::UpdateOrder {
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
        }],
    };
    c.update_orders(req).await.unwrap();
    insta::assert_snapshot!(sent(&seen));
}

#[tokio::test]
async fn delete_orders_request() {
    let (c, seen) = client(OK);
    c.delete_orders("ACT-2024-0315", &["SHOP-1001", "SHOP-1002"])
        .await
        .unwrap();
    insta::assert_snapshot!(sent(&seen));
}

#[tokio::test]
async fn delete_orders_by_dispatch_number_request() {
    let (c, seen) = client(OK);
    c.delete_orders_by_dispatch_number("ACT-2024-0315", &[1_105_048_590])
        .await
        .unwrap();
    insta::assert_snapshot!(sent(&seen));
}

#[tokio::test]
async fn new_schedule_request() {
    let (c, seen) = client(OK);
    let req = g::ScheduleRequest {
        date: String::new(),
        account: String::new(),
        secure: String::new(),
        order_count: 0,
        order: vec![g::ScheduleOrder {
            dispatch_number: None,
            number: Some("SHOP-1001".into()),
            date: Some("2024-03-15".into()),
            attempt: g::ScheduleRequestAttempt {
                id: 2,
                date: day(2024, 3, 20).into(),
                time_beg: Some("18:00:00".into()),
                time_end: Some("21:00:00".into()),
                recipient_name: Some("Иванова Мария".into()),
                phone: Some("+79160001122".into()),
                delivery_recipient_cost: None,
                delivery_recipient_vat_rate: None,
                delivery_recipient_vat_sum: None,
                comment: Some("Домофон 12".into()),
                address: Some(g::AttemptAddress {
                    street: Some("Арбат".into()),
                    house: Some("10".into()),
                    flat: Some("5".into()),
                    pvz_code: None,
                    comment: None,
                }),
                package: vec![g::SchedulePackage {
                    number: "1".into(),
                    bar_code: Some("SHOP-1001-1".into()),
                    item: vec![g::ScheduleItem {
                        ware_key: "NN0001".into(),
                        payment: 1200.0,
                    }],
                }],
            },
        }],
    };
    c.new_schedule(req).await.unwrap();
    insta::assert_snapshot!(sent(&seen));
}

#[tokio::test]
async fn call_courier_request() {
    let (c, seen) = client(OK);
    let call = g::CourierCall {
        date: day(2024, 3, 18).into(),
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
    };
    c.call_courier(vec![call]).await.unwrap();
    insta::assert_snapshot!(sent(&seen));
}

#[tokio::test]
async fn status_report_by_number_request() {
    let (c, seen) = client(("text/xml", "<StatusReport/>"));
    let q = StatusQuery::new(
        OrderQuery::new()
            .dispatch_numbers([1_105_048_590])
            .shop_number("SHOP-1002", day(2024, 3, 15)),
    )
    .with_history()
    .with_returns();
    c.status_report(&q).await.unwrap();
    insta::assert_snapshot!(sent(&seen));
}

#[tokio::test]
async fn status_report_by_period_request() {
    let (c, seen) = client(("text/xml", "<StatusReport/>"));
    let first = day(2024, 3, 1).and_hms_opt(0, 0, 0).unwrap();
    let last = day(2024, 3, 15).and_hms_opt(23, 59, 59).unwrap();
    c.status_report(&StatusQuery::new(
        OrderQuery::new().changed_between(first, Some(last)),
    ))
    .await
    .unwrap();
    insta::assert_snapshot!(sent(&seen));
}

#[tokio::test]
async fn info_report_request() {
    let (c, seen) = client(("text/xml", "<InfoReport/>"));
    let first = day(2024, 3, 1).and_hms_opt(0, 0, 0).unwrap();
    let q = InfoQuery::new(
        OrderQuery::new()
            .changed_between(first, None)
            .dispatch_numbers([1_105_048_590])
            .shop_number("SHOP-1002", day(2024, 3, 15)),
    );
    c.info_report(&q).await.unwrap();
    insta::assert_snapshot!(sent(&seen));
}

#[tokio::test]
async fn orders_print_request() {
    let (c, seen) = client(PDF);
    c.orders_print(&[1_105_048_590, 1_105_048_591], Some(2))
        .await
        .unwrap();
    insta::assert_snapshot!(sent(&seen));
}

#[tokio::test]
async fn orders_packages_print_request() {
    let (c, seen) = client(PDF);
    c.orders_packages_print(&[1_105_048_590], Some(1), Some(g::PrintFormat::A6))
        .await
        .unwrap();
    insta::assert_snapshot!(sent(&seen));
}

#[tokio::test]
async fn add_pre_alert_request() {
    let (c, seen) = client(OK);
    c.add_pre_alert("NSK33", day(2024, 3, 18), &[1_105_048_590, 1_105_048_591])
        .await
        .unwrap();
    insta::assert_snapshot!(sent(&seen));
}

#[tokio::test]
async fn pvz_list_request() {
    let (c, seen) = client(("text/xml", "<PvzList/>"));
    let filter = PvzFilter {
        city_id: Some(270),
        city_post_code: Some("630099".into()),
        kind: Some(g::PvzTypeFilter::Postomat),
        country_id: Some(1),
        country_iso: Some("RU".into()),
        region_id: Some(23),
        have_cashless: Some(true),
        have_cash: Some(true),
        allowed_cod: Some(false),
        is_dressing_room: Some(true),
        weight_max: Some(20),
        weight_min: Some(1),
        lang: Some(g::ReferenceLang::Eng),
        take_only: Some(false),
    };
    c.pvz_list(&filter).await.unwrap();
    insta::assert_snapshot!(sent(&seen));
}

#[tokio::test]
async fn regions_request() {
    let (c, seen) = client(("text/xml", "<Regions/>"));
    c.regions(&RegionFilter {
        region_code_ext: Some(54),
        region_code: Some(23),
        region_fias_guid: Some("1ac46b49-3209-4814-b7bf-a509ea1aecd9".into()),
        country_code: Some("RU".into()),
        country_code_ext: Some(643),
        page: Some(0),
        size: Some(100),
        lang: Some(g::ReferenceLang::Rus),
    })
    .await
    .unwrap();
    insta::assert_snapshot!(sent(&seen));
}

#[tokio::test]
async fn cities_request() {
    let (c, seen) = client(("text/xml", "<Locations/>"));
    c.cities(&CityFilter {
        region_code_ext: Some(54),
        region_code: Some(23),
        region_fias_guid: None,
        fias_guid: Some("8dea00e3-9aab-4d8e-887c-ef2aaa546456".into()),
        page: Some(1),
        size: Some(50),
        country_code: Some("RU".into()),
        city_name: Some("Новосибирск".into()),
        city_code: Some(270),
        postcode: Some("630099".into()),
        lang: Some(g::ReferenceLang::Rus),
    })
    .await
    .unwrap();
    insta::assert_snapshot!(sent(&seen));
}

fn calc_request() -> g::CalculatorRequest {
    g::CalculatorRequest {
        version: String::new(),
        date_execute: None,
        auth_login: None,
        secure: None,
        sender_city_id: Some(270),
        sender_city_post_code: None,
        sender_country_code: None,
        sender_city: None,
        sender_longitude: None,
        sender_latitude: None,
        receiver_city_id: None,
        receiver_city_post_code: Some("101000".into()),
        receiver_country_code: Some("RU".into()),
        receiver_city: None,
        receiver_longitude: None,
        receiver_latitude: None,
        tariff_id: Some(137),
        tariff_list: Vec::new(),
        mode_id: None,
        goods: vec![g::CalcGoods {
            weight: soap_runtime::types::Decimal::from_f64(1.2).unwrap(),
            length: Some(30),
            width: Some(20),
            height: Some(10),
            volume: None,
        }],
        services: vec![g::CalcServiceRequest {
            id: 2,
            param: Some(soap_runtime::types::Decimal::from(3000)),
        }],
        currency: None,
        lang: None,
    }
}

#[tokio::test]
async fn calculate_price_request() {
    let (c, seen) = client((
        "application/json",
        r#"{"result":{"price":"1250","tariffId":137}}"#,
    ));
    c.calculate_price(calc_request()).await.unwrap();
    insta::assert_snapshot!(sent(&seen));
}

#[tokio::test]
async fn calculate_tariff_list_request() {
    let (c, seen) = client(("application/json", r#"{"result":[]}"#));
    let mut req = calc_request();
    req.tariff_id = None;
    req.mode_id = Some(3);
    req.tariff_list = vec![
        g::CalcTariffPriority {
            priority: Some(1),
            id: 137,
            mode_id: None,
        },
        g::CalcTariffPriority {
            priority: Some(2),
            id: 233,
            mode_id: Some(3),
        },
    ];
    req.goods[0].volume = Some(soap_runtime::types::Decimal::from_f64(0.006).unwrap());
    c.calculate_tariff_list(req).await.unwrap();
    insta::assert_snapshot!(sent(&seen));
}
