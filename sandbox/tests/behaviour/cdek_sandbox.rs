//! The CDEK side of the sandbox, driven through the real `cdek_client::CdekClient` (and the
//! generated clients it wraps) over HTTP on 127.0.0.1; plus a round trip of the generated
//! HTTP-binding clients against the generated HTTP-binding servers with a minimal service.

use std::sync::Arc;

use cdek_client::generated::cdek_integration as g;
use cdek_client::{
    CdekClient, CdekError, Credentials, Environment, OrderQuery, Outcome, PvzFilter, StatusQuery,
};
use sandbox::{Config, Sandbox};
use soap_runtime::xml::{XmlRead, XmlReader};

const DATE: &str = "2026-12-01T09:00:00";

async fn start() -> (String, sandbox::Handle) {
    let (addr, handle) = Sandbox::start(Config::default())
        .await
        .expect("bind 127.0.0.1:0");
    (format!("http://{addr}"), handle)
}

fn environment(base: &str) -> Environment {
    Environment::Custom {
        integration: format!("{base}/"),
        calculator: format!("{base}/calculator/"),
    }
}

fn client_with(base: &str, password: &str) -> CdekClient {
    let c = Config::default();
    CdekClient::new(
        Credentials::new(c.cdek_account, password),
        environment(base),
    )
    .with_fixed_date(DATE)
}

fn client(base: &str) -> CdekClient {
    client_with(base, &Config::default().cdek_password)
}

/// A request document from XML (the generated types have many fields; XML is shorter).
fn parse<T: XmlRead>(xml: &str, root: &str) -> T {
    let mut r = XmlReader::new(xml.as_bytes());
    let start = r.root().expect("root");
    soap_runtime::client::expect_element::<T>(&mut r, Some(&start), None, root).expect(root)
}

/// An order from Moscow (44) to `rec` with `tariff`; `pvz` for warehouse tariffs.
fn order_xml(number: &str, rec: i32, tariff: i32, pvz: Option<&str>, payment: f64) -> String {
    let address = match pvz {
        Some(p) => format!("<Address PvzCode=\"{p}\"/>"),
        None => "<Address Street=\"Невский\" House=\"28\" Flat=\"5\"/>".to_owned(),
    };
    format!(
        "<Order Number=\"{number}\" SendCityCode=\"44\" RecCityCode=\"{rec}\" RecipientName=\"Иванов Иван\" \
         Phone=\"+79001234567\" TariffTypeCode=\"{tariff}\">{address}\
         <Package Number=\"1\" BarCode=\"{number}-1\" Weight=\"1500\" SizeA=\"20\" SizeB=\"15\" SizeC=\"10\">\
         <Item WareKey=\"A1\" Cost=\"1000\" Payment=\"{payment}\" Weight=\"1500\" Amount=\"1\" Comment=\"Книга\"/>\
         </Package></Order>"
    )
}

fn delivery(act: &str, orders: &[String]) -> g::DeliveryRequest {
    parse(
        &format!(
            "<DeliveryRequest Number=\"{act}\" Date=\"x\" Account=\"x\" Secure=\"x\" OrderCount=\"0\">{}</DeliveryRequest>",
            orders.concat()
        ),
        "DeliveryRequest",
    )
}

fn codes(errors: &[cdek_client::ApiError]) -> Vec<String> {
    errors.iter().map(|e| e.code.code().to_owned()).collect()
}

fn dispatch_numbers(o: &Outcome) -> Vec<Option<i64>> {
    o.orders
        .iter()
        .map(|r| r.as_ref().ok().and_then(|x| x.dispatch_number))
        .collect()
}

/// The first ПВЗ (pickup point) of St Petersburg (137).
async fn spb_pvz(c: &CdekClient) -> String {
    let list = c.pvz_list(&PvzFilter::city(137)).await.expect("pvzlist");
    list.pvz
        .first()
        .and_then(|p| p.code.clone())
        .expect("a pickup point")
}

async fn create_one(c: &CdekClient, act: &str, number: &str) -> i64 {
    let outcome = c
        .new_orders(delivery(act, &[order_xml(number, 137, 139, None, 0.0)]))
        .await
        .expect("new_orders");
    outcome
        .orders
        .first()
        .and_then(|r| r.as_ref().ok())
        .and_then(|o| o.dispatch_number)
        .expect("created")
}

fn status_request(dispatch: &[i64], history: bool) -> g::StatusReport {
    let orders: String = dispatch
        .iter()
        .map(|d| format!("<Order DispatchNumber=\"{d}\"/>"))
        .collect();
    parse(
        &format!(
            "<StatusReport Date=\"x\" Account=\"x\" Secure=\"x\" ShowHistory=\"{}\">{orders}</StatusReport>",
            u8::from(history)
        ),
        "StatusReport",
    )
}

async fn status(c: &CdekClient, dispatch: i64) -> g::StatusOrder {
    let r = c
        .status_report_raw(status_request(&[dispatch], true))
        .await
        .expect("status_report");
    r.order.into_iter().next().expect("one order")
}

fn code_of(o: &g::StatusOrder) -> Option<String> {
    o.status.as_ref().and_then(|s| s.code.clone())
}

#[tokio::test]
async fn wrong_secure_is_err_auth_everywhere() {
    let (base, handle) = start().await;
    let bad = client_with(&base, "not-the-password");
    match bad
        .new_orders(delivery("ACT-1", &[order_xml("A-1", 137, 139, None, 0.0)]))
        .await
    {
        Err(CdekError::Api(errors)) => {
            assert_eq!(codes(&errors), ["ERR_AUTH"]);
            // Real ERR_AUTH answers carry an empty Msg.
            assert_eq!(errors.first().map(|e| e.message.as_str()), Some(""));
        }
        other => panic!("expected ERR_AUTH, got {other:?}"),
    }
    let query = StatusQuery::new(OrderQuery::new().dispatch_numbers([1]));
    match bad.status_report(&query).await {
        Err(CdekError::Api(errors)) => assert_eq!(codes(&errors), ["ERR_AUTH"]),
        other => panic!("expected ERR_AUTH, got {other:?}"),
    }
    match bad.orders_print(&[1_100_000_001], None).await {
        Err(CdekError::Api(errors)) => assert_eq!(codes(&errors), ["ERR_AUTH"]),
        other => panic!("expected ERR_AUTH, got {other:?}"),
    }
    // Nothing was stored.
    assert_eq!(handle.state().cdek.order_count(), 0);
    handle.stop();
}

#[tokio::test]
async fn orders_are_numbered_and_errors_mixed_with_successes() {
    let (base, handle) = start().await;
    let c = client(&base);
    let pvz = spb_pvz(&c).await;
    let outcome = c
        .new_orders(delivery(
            "ACT-2",
            &[
                order_xml("A-1", 137, 139, None, 0.0),
                // Warehouse tariff without a ПВЗ code.
                order_xml("A-2", 137, 136, None, 0.0),
                order_xml("A-3", 137, 136, Some(&pvz), 500.0),
                // Twice in one document.
                order_xml("A-3", 137, 136, Some(&pvz), 0.0),
                // Unknown receiver city and unknown tariff.
                order_xml("A-4", 999_999, 139, None, 0.0),
                order_xml("A-5", 137, 4242, None, 0.0),
            ],
        ))
        .await
        .expect("new_orders");
    assert_eq!(
        dispatch_numbers(&outcome),
        [
            Some(1_100_000_001),
            None,
            Some(1_100_000_002),
            None,
            None,
            None
        ]
    );
    let errors: Vec<(Option<String>, String)> = outcome
        .orders
        .iter()
        .filter_map(|r| r.as_ref().err())
        .map(|e| (e.number.clone(), e.code.code().to_owned()))
        .collect();
    assert_eq!(
        errors,
        [
            (Some("A-2".into()), "ERR_NEED_ATTRIBUTE".into()),
            (Some("A-3".into()), "ERR_ORDER_DUBL".into()),
            (Some("A-4".into()), "ERR_RECCITYCODE".into()),
            (Some("A-5".into()), "ERR_INVALID_TARIFFTYPECODE".into()),
        ]
    );
    assert_eq!(outcome.messages, ["Добавлено заказов 2"]);

    // The same number again: already in CDEK's database; the next number continues.
    let again = c
        .new_orders(delivery(
            "ACT-3",
            &[
                order_xml("A-1", 137, 139, None, 0.0),
                order_xml("B-1", 270, 1, None, 0.0),
            ],
        ))
        .await
        .expect("new_orders");
    assert_eq!(dispatch_numbers(&again), [None, Some(1_100_000_003)]);
    assert!(matches!(
        again.orders.first(),
        Some(Err(e)) if e.code.code() == "ERR_ORDER_DUBL_EXISTS"
    ));

    // OrderCount must match the orders (the client fills it in; send a wrong one directly).
    let (date, account, secure) = c.auth();
    let mut wrong = delivery("ACT-4", &[order_xml("C-1", 137, 139, None, 0.0)]);
    (wrong.date, wrong.account, wrong.secure, wrong.order_count) = (date, account, secure, 5);
    let r = c.integration().new_orders(&wrong).await.expect("answer");
    assert!(
        matches!(r.choice.first(), Some(g::ResponseChoice::DeliveryRequest(m)) if m.error_code.as_deref() == Some("ERR_NOT_EQUAL_ORDERCOUNT")),
        "{r:?}"
    );
    handle.stop();
}

#[tokio::test]
async fn only_created_orders_can_be_deleted() {
    let (base, handle) = start().await;
    let c = client(&base);
    create_one(&c, "ACT-1", "D-1").await;
    create_one(&c, "ACT-1", "D-2").await;
    create_one(&c, "ACT-9", "D-3").await;
    let first = c.delete_orders("ACT-1", &["D-1"]).await.expect("delete");
    assert!(matches!(first.orders.as_slice(), [Ok(o)] if o.number.as_deref() == Some("D-1")));
    assert_eq!(first.messages, ["Удалено заказов 1"]);

    // An hour later D-2 is accepted at the warehouse (status 3): no longer deletable.
    handle.advance_minutes(61);
    let later = c
        .delete_orders("ACT-1", &["D-1", "D-2", "D-3", "NOPE"])
        .await
        .expect("delete");
    let codes: Vec<String> = later
        .orders
        .iter()
        .map(|r| match r {
            Ok(_) => "ok".to_owned(),
            Err(e) => e.code.code().to_owned(),
        })
        .collect();
    assert_eq!(
        codes,
        [
            "ERR_DELETEREQUEST_ORDER_DELETED",
            "ERR_DELETEREQUEST_ORDER_MOVE",
            "ERR_DELETEREQUEST_ORDER_ACTNUMBER",
            "ERR_INVALID_NUMBER_DELETE",
        ]
    );
    handle.stop();
}

#[tokio::test]
async fn statuses_advance_with_the_simulated_clock() {
    let (base, handle) = start().await;
    let c = client(&base);
    let d = create_one(&c, "ACT-1", "S-1").await;
    let s = status(&c, d).await;
    assert_eq!(code_of(&s).as_deref(), Some("1"));
    assert_eq!(s.delivery_date.as_deref(), Some(""));

    handle.advance_minutes(200);
    let s = status(&c, d).await;
    assert_eq!(code_of(&s).as_deref(), Some("7"));
    let history: Vec<String> = s
        .status
        .iter()
        .flat_map(|st| st.state.iter().filter_map(|x| x.code.clone()))
        .collect();
    assert_eq!(history, ["1", "3", "6", "7"]);

    handle.advance_minutes(1000);
    let s = status(&c, d).await;
    assert_eq!(code_of(&s).as_deref(), Some("4"));
    assert_eq!(
        s.status.as_ref().and_then(|x| x.description.as_deref()),
        Some("Вручен")
    );
    assert_eq!(s.recipient_name.as_deref(), Some("Иванов Иван"));
    // Created at 09:00, delivered 15 hours later.
    assert_eq!(
        s.delivery_date.as_deref(),
        Some("2026-12-02T00:00:00+03:00")
    );

    // By period: today's changes include the order; a period in the past finds nothing.
    let by_period: g::StatusReport = parse(
        "<StatusReport Date=\"x\" Account=\"x\" Secure=\"x\"><ChangePeriod DateFirst=\"2026-12-01\" DateLast=\"2026-12-02\"/></StatusReport>",
        "StatusReport",
    );
    let r = c.status_report_raw(by_period).await.expect("by period");
    assert_eq!(r.order.len(), 1);
    let past: g::StatusReport = parse(
        "<StatusReport Date=\"x\" Account=\"x\" Secure=\"x\"><ChangePeriod DateFirst=\"2026-11-01\" DateLast=\"2026-11-02\"/></StatusReport>",
        "StatusReport",
    );
    let first = cdek_client::chrono::NaiveDate::from_ymd_opt(2026, 11, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .expect("date");
    assert_eq!(
        c.status_report_raw(past)
            .await
            .expect("answer")
            .error_code
            .as_deref(),
        Some("ERR_ORDERS_NOT_FOUND")
    );
    let past = StatusQuery::new(
        OrderQuery::new()
            .changed_between(first, Some(first + cdek_client::chrono::Duration::days(1))),
    );
    match c.status_report(&past).await {
        Err(CdekError::Api(e)) => assert_eq!(codes(&e), ["ERR_ORDERS_NOT_FOUND"]),
        other => panic!("{other:?}"),
    }
    // An unknown waybill is an error on its line, not on the document.
    let r = c
        .status_report_raw(status_request(&[42], false))
        .await
        .expect("report");
    assert_eq!(
        r.order.first().and_then(|o| o.error_code.as_deref()),
        Some("ERR_INVALID_DISPATCHNUMBER")
    );
    handle.stop();
}

#[tokio::test]
async fn info_report_has_costs_and_services() {
    let (base, handle) = start().await;
    let c = client(&base);
    let pvz = spb_pvz(&c).await;
    let outcome = c
        .new_orders(delivery(
            "ACT-1",
            &[order_xml("I-1", 137, 136, Some(&pvz), 1000.0)],
        ))
        .await
        .expect("new_orders");
    let d = dispatch_numbers(&outcome)
        .first()
        .copied()
        .flatten()
        .expect("created");
    let req: g::InfoRequest = parse(
        &format!("<InfoRequest Date=\"x\" Account=\"x\" Secure=\"x\"><Order DispatchNumber=\"{d}\"/></InfoRequest>"),
        "InfoRequest",
    );
    let info = c.info_report_raw(req).await.expect("info");
    let o = info.order.first().expect("one order");
    assert_eq!(o.tariff_type_code.as_deref(), Some("136"));
    assert_eq!(o.delivery_mode.as_deref(), Some("4"));
    assert_eq!(o.delivery_variant.as_deref(), Some("PVZCDEK"));
    assert_eq!(o.pvz_code.as_deref(), Some(pvz.as_str()));
    assert_eq!(o.cash_on_deliv.as_deref(), Some("1000.00"));
    assert!(o
        .delivery_sum
        .as_deref()
        .and_then(|s| s.parse::<f64>().ok())
        .is_some_and(|v| v > 100.0));
    // Insurance (2): 0.75 % of the declared value of 1000.
    assert!(o
        .added_service
        .iter()
        .any(|s| s.service_code.as_deref() == Some("2") && s.sum.as_deref() == Some("7.50")));
    // Weight in kilograms here (grams in the request).
    assert_eq!(o.weight.as_deref(), Some("1.500"));

    let neither: g::InfoRequest = parse(
        "<InfoRequest Date=\"x\" Account=\"x\" Secure=\"x\"/>",
        "InfoRequest",
    );
    match c.info_report_raw(neither).await {
        Err(CdekError::Api(e)) => assert_eq!(codes(&e), ["ERR_INFOREQUEST"]),
        other => panic!("{other:?}"),
    }
    handle.stop();
}

#[tokio::test]
async fn prints_are_pdf_and_unknown_orders_are_errors() {
    let (base, handle) = start().await;
    let c = client(&base);
    let d = create_one(&c, "ACT-1", "P-1").await;
    let pdf = c.orders_print(&[d], Some(1)).await.expect("print");
    assert!(pdf.starts_with(b"%PDF"), "{:?}", pdf.get(..16));
    match c.orders_print(&[d, 42], None).await {
        Err(CdekError::Api(e)) => {
            assert!(
                codes(&e).contains(&"ERR_INVALID_DISPATCHNUMBER".to_owned()),
                "{e:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    let (date, account, secure) = c.auth();
    let labels: g::OrdersPackagesPrint = parse(
        &format!(
            "<OrdersPackagesPrint Date=\"{date}\" Account=\"{account}\" Secure=\"{secure}\" OrderCount=\"1\" PrintFormat=\"A6\"><Order DispatchNumber=\"{d}\"/></OrdersPackagesPrint>"
        ),
        "OrdersPackagesPrint",
    );
    let pdf = c
        .integration()
        .orders_packages_print(&labels)
        .await
        .expect("labels");
    assert!(pdf.starts_with(b"%PDF"));
    handle.stop();
}

#[tokio::test]
async fn update_schedule_and_courier_call() {
    let (base, handle) = start().await;
    let c = client(&base);
    let d = create_one(&c, "ACT-1", "U-1").await;
    let (date, account, secure) = c.auth();
    let update: g::UpdateRequest = parse(
        &format!(
            "<UpdateRequest Number=\"ACT-1\" Date=\"{date}\" Account=\"{account}\" Secure=\"{secure}\" OrderCount=\"2\">\
             <Order DispatchNumber=\"{d}\" RecipientName=\"Петров Пётр\"/><Order DispatchNumber=\"7\"/></UpdateRequest>"
        ),
        "UpdateRequest",
    );
    let r = c
        .integration()
        .update_orders(&update)
        .await
        .expect("update");
    let codes: Vec<Option<String>> = r
        .choice
        .iter()
        .filter_map(|x| match x {
            g::ResponseChoice::Order(o) if o.number.is_some() || o.error_code.is_some() => {
                Some(o.error_code.clone())
            }
            _ => None,
        })
        .collect();
    assert_eq!(codes, [None, Some("ERR_INVALID_DISPATCHNUMBER".to_owned())]);
    let s = status(&c, d).await;
    assert_eq!(s.number.as_deref(), Some("U-1"));

    // A schedule before the planned delivery date is refused; two days later it is fine.
    let schedule = |day: &str| -> g::ScheduleRequest {
        parse(
            &format!(
                "<ScheduleRequest Date=\"{date}\" Account=\"{account}\" Secure=\"{secure}\" OrderCount=\"1\">\
                 <Order DispatchNumber=\"{d}\"><Attempt ID=\"1\" Date=\"{day}\" TimeBeg=\"10:00:00\" TimeEnd=\"14:00:00\"/></Order></ScheduleRequest>"
            ),
            "ScheduleRequest",
        )
    };
    let early = c
        .integration()
        .new_schedule(&schedule("2026-12-01"))
        .await
        .expect("schedule");
    assert!(early.choice.iter().any(|x| matches!(x, g::ResponseChoice::Order(o) if o.error_code.as_deref() == Some("ERR_SCHEDULE_DATE"))), "{early:?}");
    let ok = c
        .integration()
        .new_schedule(&schedule("2026-12-05"))
        .await
        .expect("schedule");
    assert!(ok.choice.iter().any(|x| matches!(x, g::ResponseChoice::ScheduleRequest(m) if m.msg.as_deref() == Some("Добавлено расписаний 1"))), "{ok:?}");

    let call = |day: &str, beg: &str| -> g::CallCourier {
        parse(
            &format!(
                "<CallCourier Date=\"{date}\" Account=\"{account}\" Secure=\"{secure}\" CallCount=\"1\">\
                 <Call Date=\"{day}\" TimeBeg=\"{beg}\" TimeEnd=\"18:00:00\" SendCityCode=\"44\" SenderName=\"Склад\" SendPhone=\"+74951234567\">\
                 <Address Street=\"Полярная\" House=\"31\"/></Call></CallCourier>"
            ),
            "CallCourier",
        )
    };
    let call_errors = |r: &g::Response| -> Vec<String> {
        r.choice
            .iter()
            .filter_map(|x| match x {
                g::ResponseChoice::CallCourier(m) => m.error_code.clone(),
                _ => None,
            })
            .collect()
    };
    let r = c
        .integration()
        .call_courier(&call("2026-12-02", "10:00:00"))
        .await
        .expect("call");
    assert!(call_errors(&r).is_empty(), "{r:?}");
    assert!(r
        .choice
        .iter()
        .any(|x| matches!(x, g::ResponseChoice::Call(k) if k.number.is_some())));
    let again = c
        .integration()
        .call_courier(&call("2026-12-02", "10:00:00"))
        .await
        .expect("call");
    assert_eq!(call_errors(&again), ["ERR_CALLCOURIER_DATE_EXISTS"]);
    let short = c
        .integration()
        .call_courier(&call("2026-12-03", "16:00:00"))
        .await
        .expect("call");
    assert_eq!(call_errors(&short), ["ERR_CALLCOURIER_TIME_INTERVAL"]);
    let past = c
        .integration()
        .call_courier(&call("2026-11-30", "10:00:00"))
        .await
        .expect("call");
    assert_eq!(call_errors(&past), ["ERR_CALLCOURIER_DATETIME"]);
    handle.stop();
}

#[tokio::test]
async fn pickup_points_regions_and_cities_filter() {
    let (base, handle) = start().await;
    let c = client(&base);
    let moscow = c.pvz_list(&PvzFilter::city(44)).await.expect("pvzlist");
    assert!(moscow.pvz.len() > 50, "{}", moscow.pvz.len());
    assert!(moscow
        .pvz
        .iter()
        .all(|p| p.city_code.as_deref() == Some("44") && p.r#type.as_deref() == Some("PVZ")));
    let refs = c.references();
    let lockers = refs
        .pvz_list(
            Some(44),
            None,
            Some(g::PvzTypeFilter::Postomat),
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        )
        .await
        .expect("lockers");
    assert!(!lockers.pvz.is_empty());
    assert!(lockers
        .pvz
        .iter()
        .all(|p| p.r#type.as_deref() == Some("POSTOMAT")));
    let heavy = refs
        .pvz_list(
            Some(44),
            None,
            Some(g::PvzTypeFilter::All),
            None,
            None,
            None,
            None,
            Some(true),
            None,
            Some(true),
            Some(30),
            None,
            None,
            None,
        )
        .await
        .expect("filtered");
    assert!(!heavy.pvz.is_empty());
    assert!(heavy.pvz.len() < moscow.pvz.len());
    assert!(heavy.pvz.iter().all(|p| {
        p.have_cash.as_deref() == Some("true")
            && p.is_dressing_room.as_deref() == Some("есть")
            && p.weight_limit
                .as_ref()
                .and_then(|w| w.weight_max.as_deref())
                .and_then(|w| w.parse::<f64>().ok())
                .is_some_and(|w| w >= 30.0)
    }));
    // cityid wins over citypostcode; an unknown city has no points.
    let none = c.pvz_list(&PvzFilter::city(5)).await.expect("empty");
    assert!(none.pvz.is_empty());

    let regions = refs
        .regions(Some(54), None, None, None, None, None, None, None)
        .await
        .expect("regions");
    assert_eq!(regions.region.len(), 1);
    assert_eq!(
        regions
            .region
            .first()
            .and_then(|r| r.region_name.as_deref()),
        Some("Новосибирская")
    );
    let page = refs
        .regions(None, None, None, None, None, Some(1), Some(3), None)
        .await
        .expect("page");
    assert_eq!(page.region.len(), 3);
    match refs
        .regions(None, None, None, None, None, Some(-1), Some(3), None)
        .await
    {
        Err(soap_runtime::error::Error::BindingFault { detail, status, .. }) => {
            assert_eq!(status, 400);
            assert!(
                matches!(*detail, g::ReferencesFault::JsonGatewayError(ref e) if e.status == Some(400))
            );
        }
        other => panic!("{other:?}"),
    }
    let cities = refs
        .cities(
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            Some("Железнодорожный".into()),
            None,
            None,
            None,
        )
        .await
        .expect("cities");
    assert_eq!(cities.location.len(), 2, "two cities share the name");
    let spb = refs
        .cities(
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            Some(137),
            None,
            None,
        )
        .await
        .expect("by code");
    assert_eq!(
        spb.location.first().and_then(|l| l.city_name.as_deref()),
        Some("Санкт-Петербург")
    );
    handle.stop();
}

fn calc_request(tariff: Option<i32>, list: &[i32], weight: &str) -> g::CalculatorRequest {
    g::CalculatorRequest {
        version: "1.0".into(),
        sender_city_id: Some(44),
        receiver_city_id: Some(137),
        tariff_id: tariff,
        tariff_list: list
            .iter()
            .enumerate()
            .map(|(i, id)| g::CalcTariffPriority {
                priority: Some(i32::try_from(i).unwrap_or(0) + 1),
                id: *id,
                mode_id: None,
            })
            .collect(),
        goods: vec![g::CalcGoods {
            weight: weight.parse().expect("decimal"),
            length: Some(20),
            width: Some(15),
            height: Some(10),
            volume: None,
        }],
        services: vec![g::CalcServiceRequest {
            id: 2,
            param: Some("1000".parse().expect("decimal")),
        }],
        date_execute: None,
        auth_login: None,
        secure: None,
        sender_city_post_code: None,
        sender_country_code: None,
        sender_city: None,
        sender_longitude: None,
        sender_latitude: None,
        receiver_city_post_code: None,
        receiver_country_code: None,
        receiver_city: None,
        receiver_longitude: None,
        receiver_latitude: None,
        mode_id: None,
        currency: None,
        lang: None,
    }
}

#[tokio::test]
async fn calculator_prices_and_errors() {
    let (base, handle) = start().await;
    let c = client(&base);
    let r = c
        .calculate_price(calc_request(Some(139), &[], "2.5"))
        .await
        .expect("price");
    assert_eq!(r.tariff_id.as_deref(), Some("139"));
    let price: f64 = r
        .price
        .as_deref()
        .and_then(|p| p.parse().ok())
        .expect("price");
    assert!(price > 300.0, "{price}");
    assert_eq!(
        r.delivery_date_min.as_deref().map(|d| &d[..8]),
        Some("2026-12-")
    );
    assert!(
        r.services
            .iter()
            .any(|s| s.id == "2"
                && s.price.as_deref().and_then(|p| p.parse::<f64>().ok()) == Some(7.5)),
        "{:?}",
        r.services
    );
    // Heavier costs more.
    let heavy = c
        .calculate_price(calc_request(Some(139), &[], "12"))
        .await
        .expect("price");
    let heavy_price: f64 = heavy
        .price
        .as_deref()
        .and_then(|p| p.parse().ok())
        .expect("price");
    assert!(heavy_price > price);

    // A priority list: 4242 (unknown) is skipped, 137 is used.
    let r = c
        .calculate_price(calc_request(None, &[4242, 137, 139], "1"))
        .await
        .expect("list");
    assert_eq!(r.tariff_id.as_deref(), Some("137"));

    for (req, code) in [
        (calc_request(Some(139), &[], "0"), "4"),
        (calc_request(None, &[], "1"), "6"),
        (calc_request(Some(139), &[], "45"), "3"),
    ] {
        match c.calculate_price(req).await {
            Err(CdekError::Calculator(errors)) => {
                assert_eq!(
                    errors.first().map(|e| e.code.code()),
                    Some(code),
                    "{errors:?}"
                );
            }
            other => panic!("{other:?}"),
        }
    }
    // Without authorisation the contract tariffs (136-139) are not available.
    let anonymous = g::CalculatorClient::new(format!("{base}/calculator/"));
    let list = anonymous
        .calculate_tariff_list(&calc_request(None, &[1, 136, 234], "1"))
        .await
        .expect("tariff list");
    let statuses: Vec<(String, bool)> = list
        .result
        .iter()
        .map(|e| (e.tariff_id.clone(), e.status))
        .collect();
    assert_eq!(
        statuses,
        [
            ("1".into(), true),
            ("136".into(), false),
            ("234".into(), true)
        ]
    );
    // Wrong credentials: code 2.
    match client_with(&base, "wrong")
        .calculate_price(calc_request(Some(1), &[], "1"))
        .await
    {
        Err(CdekError::Calculator(errors)) => {
            assert_eq!(errors.first().map(|e| e.code.code()), Some("2"));
        }
        other => panic!("{other:?}"),
    }
    handle.stop();
}

/// The generated HTTP-binding client against the generated HTTP-binding server, with a
/// minimal hand-written service: query parameters, JSON bodies and declared JSON faults
/// survive the round trip in both directions.
mod round_trip {
    use super::*;
    use sandbox::generated::cdek_integration as s;
    use soap_runtime::server::{axum_http_router, HttpFault};

    struct Echo;

    impl s::ReferencesService for Echo {
        async fn pvz_list(
            &self,
            q: s::PvzListParams,
        ) -> Result<s::PvzList, HttpFault<s::ReferencesFault>> {
            Ok(s::PvzList {
                pvz: vec![s::Pvz {
                    code: Some(format!("{:?}", q.r#type)),
                    city_code: q.cityid.map(|c| c.to_string()),
                    city: q.citypostcode,
                    have_cash: q.havecash.map(|b| b.to_string()),
                    weight_limit: Some(s::PvzWeightLimit {
                        weight_max: q.weightmax.map(|w| w.to_string()),
                        ..Default::default()
                    }),
                    ..Default::default()
                }],
                ..Default::default()
            })
        }

        async fn regions(
            &self,
            q: s::RegionsParams,
        ) -> Result<s::Regions, HttpFault<s::ReferencesFault>> {
            Err(HttpFault::new(
                503,
                s::ReferencesFault::JsonGatewayError(s::JsonGatewayError {
                    status: Some(503),
                    message: q.country_code,
                    ..Default::default()
                }),
            ))
        }

        async fn cities(
            &self,
            q: s::CitiesParams,
        ) -> Result<s::Locations, HttpFault<s::ReferencesFault>> {
            Ok(s::Locations {
                location: vec![s::Location {
                    city_name: q.city_name,
                    ..Default::default()
                }],
            })
        }
    }

    struct Price;

    impl s::CalculatorService for Price {
        async fn calculate_price(
            &self,
            r: s::CalculatorRequest,
        ) -> Result<s::CalculatorResponse, HttpFault> {
            Ok(s::CalculatorResponse {
                result: Some(s::CalcResult {
                    price: r.goods.first().map(|g| g.weight.as_str().to_owned()),
                    tariff_id: r.tariff_id.map(|t| t.to_string()),
                    ..Default::default()
                }),
                error: Vec::new(),
            })
        }

        async fn calculate_tariff_list(
            &self,
            _: s::CalculatorRequest,
        ) -> Result<s::TariffListResponse, HttpFault> {
            Err(HttpFault::text(418, "teapot"))
        }
    }

    #[tokio::test]
    async fn generated_client_meets_generated_server() {
        let app = axum_http_router("/ref", Arc::new(s::ReferencesServer::new(Arc::new(Echo))))
            .merge(axum_http_router(
                "/calc/",
                Arc::new(s::CalculatorServer::new(Arc::new(Price))),
            ));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });

        let refs = g::ReferencesClient::new(format!("http://{addr}/ref/"));
        let list = refs
            .pvz_list(
                Some(44),
                Some("101 000 & Ко".to_owned()),
                Some(g::PvzTypeFilter::All),
                None,
                None,
                None,
                None,
                Some(false),
                None,
                None,
                Some(30),
                None,
                None,
                None,
            )
            .await
            .expect("pvzlist");
        let p = list.pvz.first().expect("one");
        assert_eq!(p.code.as_deref(), Some("Some(All)"));
        assert_eq!(p.city_code.as_deref(), Some("44"));
        assert_eq!(p.city.as_deref(), Some("101 000 & Ко"));
        assert_eq!(p.have_cash.as_deref(), Some("false"));
        assert_eq!(
            p.weight_limit
                .as_ref()
                .and_then(|w| w.weight_max.as_deref()),
            Some("30")
        );

        match refs
            .regions(
                None,
                None,
                None,
                Some("KZ".to_owned()),
                None,
                None,
                None,
                None,
            )
            .await
        {
            Err(soap_runtime::error::Error::BindingFault { detail, status, .. }) => {
                assert_eq!(status, 503);
                assert!(
                    matches!(*detail, g::ReferencesFault::JsonGatewayError(ref e) if e.message.as_deref() == Some("KZ"))
                );
            }
            other => panic!("{other:?}"),
        }
        let cities = refs
            .cities(
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                Some("Омск".to_owned()),
                None,
                None,
                None,
            )
            .await
            .expect("cities");
        assert_eq!(
            cities.location.first().and_then(|l| l.city_name.as_deref()),
            Some("Омск")
        );

        let calc = g::CalculatorClient::new(format!("http://{addr}/calc/"));
        let r = calc
            .calculate_price(&calc_request(Some(139), &[], "2.5"))
            .await
            .expect("price");
        assert_eq!(
            r.result.as_ref().and_then(|x| x.price.as_deref()),
            Some("2.5")
        );
        assert_eq!(
            r.result.as_ref().and_then(|x| x.tariff_id.as_deref()),
            Some("139")
        );
        match calc
            .calculate_tariff_list(&calc_request(None, &[1], "1"))
            .await
        {
            Err(e) => assert_eq!(e.status(), Some(418)),
            Ok(v) => panic!("{v:?}"),
        }
        // An unknown path is a 404 from the router, a body that is not JSON a 400.
        let raw = reqwest_free_post(addr, "/calc/calculate_price_by_json.php", "{not json").await;
        assert!(raw.starts_with("HTTP/1.1 400"), "{raw}");
        server.abort();
    }

    /// A bare HTTP/1.1 POST (no client library needed), returning the raw answer.
    async fn reqwest_free_post(addr: std::net::SocketAddr, path: &str, body: &str) -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
        let req = format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        s.write_all(req.as_bytes()).await.expect("write");
        let mut out = String::new();
        s.read_to_string(&mut out).await.expect("read");
        out
    }
}
