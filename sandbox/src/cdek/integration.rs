//! The authorised XML operations (`IntegrationService`): orders, statuses, reports, prints,
//! schedules, courier calls, pre-alerts.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{Duration, NaiveDateTime};
use soap_runtime::server::{HttpFault, RequestError, RequestErrorKind};

use super::calculator::{self, Tariff};
use super::references;
use super::{
    city_code, city_index, date, date_time, message, order_error, parse_date, postcode_index, Book,
    CourierCallRecord, Order, Package,
};
use crate::files::{self, Page, PaperSize};
use crate::generated::cdek_integration as g;
use crate::State;

/// The integration port's implementation.
pub(crate) struct Integration(pub(crate) Arc<State>);

type Fault = HttpFault<g::IntegrationFault>;
type Res<T> = Result<T, Fault>;

/// Most orders in one document (ERR_ORDER_COUNT).
const MAX_ORDERS: usize = 100;
/// The first waybill number handed out.
const FIRST_DISPATCH: i64 = 1_100_000_001;

/// The document-level line of `root` (the request's root element) in a `response`.
fn doc_line(root: &str, code: Option<&str>, msg: &str) -> g::ResponseChoice {
    let m = message(code, msg);
    match root {
        "UpdateRequest" => g::ResponseChoice::UpdateRequest(m),
        "DeleteRequest" => g::ResponseChoice::DeleteRequest(g::ResponseDeleteRequest {
            error_code: m.error_code,
            msg: m.msg,
            ..Default::default()
        }),
        "CallCourier" => g::ResponseChoice::CallCourier(m),
        "ScheduleRequest" => g::ResponseChoice::ScheduleRequest(m),
        "OrdersPrint" => g::ResponseChoice::OrdersPrint(m),
        "OrdersPackagesPrint" => g::ResponseChoice::OrdersPackagesPrint(m),
        "PreAlert" => g::ResponseChoice::PreAlert(m),
        "InfoRequest" => g::ResponseChoice::InfoRequest(m),
        _ => g::ResponseChoice::DeliveryRequest(m),
    }
}

/// A whole-document error as CDEK's gateway sends it: a `response` with HTTP 500.
fn doc_error(root: &str, code: &str, msg: &str) -> Fault {
    error_lines(vec![doc_line(root, Some(code), msg)])
}

/// Error lines as a `response` with HTTP 500.
fn error_lines(choice: Vec<g::ResponseChoice>) -> Fault {
    HttpFault::new(500, g::IntegrationFault::Response(g::Response { choice }))
}

/// `ERR_AUTH` with an empty `Msg`, as real answers have it.
fn auth_error(root: &str) -> Fault {
    doc_error(root, "ERR_AUTH", "")
}

/// The root element of an operation's request document.
fn request_root(operation: &str) -> &'static str {
    match operation {
        "UpdateOrders" => "UpdateRequest",
        "DeleteOrders" => "DeleteRequest",
        "NewSchedule" => "ScheduleRequest",
        "CallCourier" => "CallCourier",
        "InfoReport" => "InfoRequest",
        "OrdersPrint" => "OrdersPrint",
        "OrdersPackagesPrint" => "OrdersPackagesPrint",
        "AddPreAlert" => "PreAlert",
        "StatusReport" => "StatusReport",
        _ => "DeliveryRequest",
    }
}

/// A success line for an order.
fn order_ok(o: &Order, msg: &str) -> g::ResponseChoice {
    g::ResponseChoice::Order(g::ResponseOrder {
        number: Some(o.number.clone()),
        dispatch_number: Some(o.dispatch_number.to_string()),
        msg: Some(msg.to_owned()),
        ..Default::default()
    })
}

/// A summary line (`<Order Msg="Добавлено заказов 2"/>`).
fn summary(msg: String) -> g::ResponseChoice {
    g::ResponseChoice::Order(g::ResponseOrder {
        msg: Some(msg),
        ..Default::default()
    })
}

type Rule = (&'static str, String);

/// Where an order goes: (ПВЗ code, street, house).
type Destination = (Option<String>, Option<String>, Option<String>);

/// The order a reference names, with its index: `DispatchNumber`, or `Number` (+ act `Date`).
fn find<'b>(
    book: &'b Book,
    dispatch: Option<i64>,
    number: Option<&str>,
    act_date: Option<&str>,
) -> Result<(usize, &'b Order), Rule> {
    if let Some(d) = dispatch {
        return book
            .orders
            .iter()
            .enumerate()
            .find(|(_, o)| o.dispatch_number == d)
            .ok_or_else(|| {
                (
                    "ERR_INVALID_DISPATCHNUMBER",
                    format!("Заказ не найден в базе СДЭК: DispatchNumber={d}"),
                )
            });
    }
    let Some(number) = number.map(str::trim).filter(|n| !n.is_empty()) else {
        return Err((
            "ERR_NEED_ATTRIBUTE",
            "Не задан обязательный атрибут: (DISPATCHNUMBER, или NUMBER и DATE)".to_owned(),
        ));
    };
    let day = act_date.and_then(parse_date).map(|t| t.date());
    book.orders
        .iter()
        .enumerate()
        .rfind(|(_, o)| {
            o.number == number
                && day.is_none_or(|d| parse_date(&o.act_date).map(|t| t.date()) == Some(d))
        })
        .ok_or_else(|| {
            (
                "ERR_INVALID_NUMBER",
                format!(
                    "Заказ не найден в базе СДЭК: Number={number}, Date={}",
                    act_date.unwrap_or_default()
                ),
            )
        })
}

/// Resolves the sender or receiver city from code, postcode or name.
fn resolve_city(
    state: &State,
    code: Option<i32>,
    postcode: Option<&str>,
    name: Option<&str>,
    send: bool,
) -> Result<usize, Rule> {
    let side = if send { "SEND" } else { "REC" };
    if let Some(code) = code {
        return city_index(state, code).ok_or_else(|| {
            (
                if send {
                    "ERR_SENDCITYCODE"
                } else {
                    "ERR_RECCITYCODE"
                },
                format!("Город с кодом {code} отсутствует в базе СДЭК"),
            )
        });
    }
    if let Some(p) = postcode.filter(|p| !p.trim().is_empty()) {
        return postcode_index(state, p).ok_or_else(|| {
            (
                if send {
                    "ERR_SENDCITYPOSTCODE"
                } else {
                    "ERR_RECCITYPOSTCODE"
                },
                format!("Почтовый индекс {p} отсутствует в базе СДЭК"),
            )
        });
    }
    if let Some(n) = name.filter(|n| !n.trim().is_empty()) {
        let wanted = n.trim().to_lowercase();
        let found: Vec<usize> = (0..state.world.cities.len())
            .filter(|&i| {
                state
                    .world
                    .cities
                    .get(i)
                    .is_some_and(|c| c.name.to_lowercase() == wanted)
            })
            .collect();
        return match found.as_slice() {
            [one] => Ok(*one),
            [] => Err((
                if send {
                    "ERR_SENDCITYCODE"
                } else {
                    "ERR_RECCITYCODE"
                },
                format!("Город {n} отсутствует в базе СДЭК"),
            )),
            _ => Err((
                if send {
                    "ERR_DBO_SENDER_CITY_AMBIGUOUS"
                } else {
                    "ERR_DBO_RECEIVER_CITY_AMBIGUOUS"
                },
                format!("Город {n} неоднозначен: укажите код города"),
            )),
        };
    }
    Err((
        if send {
            "ERR_NOT_FOUND_SENDCITY"
        } else {
            "ERR_NOT_FOUND_RECCITY"
        },
        format!("Не задан ни {side}CITYCODE, ни {side}CITYPOSTCODE"),
    ))
}

/// Additional service codes CDEK knows (§5.3).
const SERVICES: &[i32] = &[
    2, 3, 5, 6, 7, 8, 9, 10, 13, 14, 15, 16, 17, 20, 23, 24, 25, 26, 27, 30, 31, 32, 33, 34, 35,
    36, 37, 40, 41, 42, 48,
];

/// Checks packages: numbering, barcodes, weights, items. Returns the packages.
fn packages(src: &[g::OrderPackage], number: &str) -> Result<Vec<Package>, Rule> {
    if src.is_empty() {
        return Err((
            "ERR_NOTFOUNDTAG",
            "Отсутствует обязательный тег: PACKAGE".to_owned(),
        ));
    }
    let mut numbers = BTreeSet::new();
    let mut codes = BTreeSet::new();
    let mut out = Vec::new();
    for p in src {
        if !numbers.insert(p.number.clone()) {
            return Err((
                "ERR_PACKAGE_NUM_DUBL",
                format!(
                    "Дублирование номера упаковки {} в заказе {number}",
                    p.number
                ),
            ));
        }
        if !codes.insert(p.bar_code.clone()) {
            return Err((
                "ERR_BARCODE_DUBL",
                format!("Дублирование штрих-кода {} в заказе {number}", p.bar_code),
            ));
        }
        if p.weight <= 0 {
            return Err(("ERR_INVALID_WEIGHT", "Вес должен быть больше 0".to_owned()));
        }
        let size = match (p.size_a, p.size_b, p.size_c) {
            (Some(a), Some(b), Some(c)) => {
                if a <= 0 || b <= 0 || c <= 0 {
                    return Err(("ERR_INVALID_SIZE", format!("Неверный габарит {a}x{b}x{c}")));
                }
                Some((a, b, c))
            }
            _ => None,
        };
        let mut keys = BTreeSet::new();
        let mut items = Vec::new();
        for it in &p.item {
            if !keys.insert(it.ware_key.clone()) {
                return Err((
                    "ERR_WAREKEY_DUBL",
                    format!(
                        "Дублирование артикула {} в упаковке {}",
                        it.ware_key, p.number
                    ),
                ));
            }
            if it.cost < 0.0 {
                return Err((
                    "ERR_INVALID_COST",
                    "Cost должен быть неотрицательным".to_owned(),
                ));
            }
            if it.payment < 0.0 {
                return Err((
                    "ERR_INVALID_PAYMENT",
                    "Payment должен быть неотрицательным".to_owned(),
                ));
            }
            if it.amount <= 0 {
                return Err((
                    "ERR_INVALID_AMOUNT",
                    "Неверное количество товара".to_owned(),
                ));
            }
            items.push((
                it.ware_key.clone(),
                it.comment.clone(),
                it.cost,
                it.payment,
                it.weight,
                it.amount,
            ));
        }
        out.push(Package {
            number: p.number.clone(),
            bar_code: p.bar_code.clone(),
            grams: i64::from(p.weight),
            size,
            items,
        });
    }
    Ok(out)
}

/// Checks the delivery address for `tariff` in receiver city `rec`: (pvz, street, house).
fn address(
    state: &State,
    tariff: &Tariff,
    rec: usize,
    a: &g::OrderAddress,
    kg: f64,
) -> Result<Destination, Rule> {
    let text = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    if tariff.to_door {
        let (street, house) = (text(&a.street), text(&a.house));
        if street.is_none() || house.is_none() {
            return Err((
                "ERR_NEED_ATTRIBUTE",
                "Не задан обязательный атрибут: Street, House (адрес доставки)".to_owned(),
            ));
        }
        return Ok((None, street, house));
    }
    let Some(code) = text(&a.pvz_code) else {
        return Err((
            "ERR_NEED_ATTRIBUTE",
            "Не задан обязательный атрибут: PvzCode".to_owned(),
        ));
    };
    let Some(point) = references::point(state, &code) else {
        return Err((
            "ERR_PVZCODE",
            format!("Код ПВЗ {code} отсутствует в базе СДЭК"),
        ));
    };
    if point.city != rec {
        return Err((
            "ERR_PVZCODE_NOTFOUND",
            format!("ПВЗ {code} не найден в городе {}", city_code(rec)),
        ));
    }
    if kg > point.weight_max {
        return Err((
            "ERR_PVZ_WEIGHT_LIMIT",
            format!(
                "Вес превышает ограничение ПВЗ {code}: {} кг",
                point.weight_max
            ),
        ));
    }
    Ok((Some(code), None, None))
}

/// Validates one new order; `Ok` is the order to store (without its number and times).
fn validate(state: &State, book: &Book, o: &g::NewOrder) -> Result<Order, Rule> {
    let number = o.number.trim();
    if number.is_empty() {
        return Err((
            "ERR_NEED_ATTRIBUTE",
            "Не задан обязательный атрибут: Number".to_owned(),
        ));
    }
    if book
        .orders
        .iter()
        .any(|x| x.number == number && x.deleted.is_none())
    {
        return Err((
            "ERR_ORDER_DUBL_EXISTS",
            format!("Заказ с номером {number} уже существует в базе СДЭК"),
        ));
    }
    if o.recipient_name.trim().is_empty() {
        return Err((
            "ERR_NEED_ATTRIBUTE",
            "Не задан обязательный атрибут: RecipientName".to_owned(),
        ));
    }
    if o.phone.trim().is_empty() {
        return Err((
            "ERR_NEED_ATTRIBUTE",
            "Не задан обязательный атрибут: Phone".to_owned(),
        ));
    }
    let send = resolve_city(
        state,
        o.send_city_code,
        o.send_city_post_code.as_deref(),
        o.send_city_name.as_deref(),
        true,
    )?;
    let rec = resolve_city(
        state,
        o.rec_city_code,
        o.rec_city_post_code.as_deref(),
        o.rec_city_name.as_deref(),
        false,
    )?;
    let Some(tariff) = calculator::tariff(o.tariff_type_code) else {
        return Err((
            "ERR_INVALID_TARIFFTYPECODE",
            format!("Неизвестный код тарифа {}", o.tariff_type_code),
        ));
    };
    if let Some(s) = o
        .add_service
        .iter()
        .find(|s| !SERVICES.contains(&s.service_code))
    {
        return Err((
            "ERR_INVALID_SERVICECODE",
            format!("Неизвестный код дополнительной услуги {}", s.service_code),
        ));
    }
    let packages = packages(&o.package, number)?;
    let mut order = Order {
        number: number.to_owned(),
        act_number: String::new(),
        act_date: String::new(),
        dispatch_number: 0,
        created: NaiveDateTime::default(),
        deleted: None,
        send_city: city_code(send),
        rec_city: city_code(rec),
        tariff: tariff.code,
        recipient_name: o.recipient_name.trim().to_owned(),
        phone: o.phone.trim().to_owned(),
        pvz_code: None,
        street: None,
        house: None,
        declared: 0.0,
        cod: 0.0,
        services: o.add_service.iter().map(|s| s.service_code).collect(),
        changed: NaiveDateTime::default(),
        packages,
    };
    let kg = order.chargeable_kg();
    if kg > tariff.max_kg {
        return Err((
            "ERR_WEIGHT_LIMIT",
            format!(
                "Превышен вес {} кг для тарифа {}",
                tariff.max_kg, tariff.code
            ),
        ));
    }
    (order.pvz_code, order.street, order.house) = address(state, tariff, rec, &o.address, kg)?;
    for p in &order.packages {
        for (_, _, cost, payment, _, amount) in &p.items {
            order.declared += cost * f64::from(*amount);
            order.cod += payment * f64::from(*amount);
        }
    }
    order.cod += o.delivery_recipient_cost.unwrap_or(0.0).max(0.0);
    if order.cod > 0.0 && !state.world.cities.get(rec).is_some_and(|c| c.cash_pay) {
        return Err((
            "ERR_CASH_NO",
            "Наложенный платёж в город получателя невозможен".to_owned(),
        ));
    }
    Ok(order)
}

impl Integration {
    fn now(&self) -> NaiveDateTime {
        self.0.now()
    }

    /// The checks a document with `OrderCount` starts with: `Secure` (`ERR_AUTH`), then the
    /// declared count against the orders sent (`ERR_NOT_EQUAL_ORDERCOUNT`).
    fn check_counted(
        &self,
        root: &str,
        [date, account, secure]: [&String; 3],
        declared: i32,
        sent: usize,
    ) -> Res<()> {
        if !self.0.cdek_auth(date, account, secure) {
            return Err(auth_error(root));
        }
        if usize::try_from(declared).ok() != Some(sent) {
            return Err(doc_error(
                root,
                "ERR_NOT_EQUAL_ORDERCOUNT",
                "Количество заказов не соответствует OrderCount",
            ));
        }
        Ok(())
    }

    fn create(&self, req: g::DeliveryRequest) -> Res<g::Response> {
        if !self.0.cdek_auth(&req.date, &req.account, &req.secure) {
            return Err(auth_error("DeliveryRequest"));
        }
        if req.order.len() > MAX_ORDERS {
            return Err(doc_error(
                "DeliveryRequest",
                "ERR_ORDER_COUNT",
                "Количество заказов в одном запросе не должно превышать 100",
            ));
        }
        if usize::try_from(req.order_count).ok() != Some(req.order.len()) {
            return Err(doc_error(
                "DeliveryRequest",
                "ERR_NOT_EQUAL_ORDERCOUNT",
                "Количество заказов не соответствует OrderCount",
            ));
        }
        if req.order.is_empty() {
            return Err(doc_error(
                "DeliveryRequest",
                "ERR_NOTFOUNDTAG",
                "Отсутствует обязательный тег: ORDER",
            ));
        }
        let now = self.now();
        let mut book = self.0.cdek.book();
        let mut seen = BTreeSet::new();
        let mut lines = Vec::new();
        let mut added = 0;
        for o in &req.order {
            let number = o.number.trim().to_owned();
            if !seen.insert(number.clone()) {
                lines.push(order_error(
                    Some(&number),
                    "ERR_ORDER_DUBL",
                    format!("Дублирование номера заказа {number} в документе"),
                ));
                continue;
            }
            match validate(&self.0, &book, o) {
                Err((code, msg)) => lines.push(order_error(Some(&number), code, msg)),
                Ok(mut order) => {
                    order.act_number.clone_from(&req.number);
                    order.act_date.clone_from(&req.date);
                    order.dispatch_number =
                        FIRST_DISPATCH + i64::try_from(book.orders.len()).unwrap_or(0);
                    order.created = now;
                    order.changed = now;
                    lines.push(order_ok(&order, "Заказ добавлен"));
                    book.orders.push(order);
                    added += 1;
                }
            }
        }
        lines.push(summary(format!("Добавлено заказов {added}")));
        Ok(g::Response { choice: lines })
    }

    fn rejected(&self, error: &RequestError) -> Fault {
        let code = match error.kind {
            RequestErrorKind::Missing => "ERR_XML_EMPTY",
            RequestErrorKind::Malformed => "ERR_INVALID_XML",
        };
        doc_error(request_root(error.operation), code, &error.message)
    }
}

/// The status of `o` as a `StatusOrder` as of `now`.
fn status_order(state: &State, o: &Order, now: NaiveDateTime, history: bool) -> g::StatusOrder {
    let steps = o.history(now);
    let city_name = |code: i32| {
        city_index(state, code)
            .and_then(|i| state.world.cities.get(i))
            .map(|c| c.name.clone())
    };
    let state_of = |&(code, name, at, city): &(i32, &str, NaiveDateTime, i32)| g::StatusState {
        date: Some(date_time(at)),
        code: Some(code.to_string()),
        description: Some(name.to_owned()),
        city_code: Some(city.to_string()),
        city_name: city_name(city),
    };
    let current = steps.last();
    let delivered = current.filter(|s| s.0 == 4);
    g::StatusOrder {
        act_number: Some(o.act_number.clone()),
        number: Some(o.number.clone()),
        dispatch_number: Some(o.dispatch_number.to_string()),
        delivery_date: Some(delivered.map(|s| date_time(s.2)).unwrap_or_default()),
        recipient_name: Some(if delivered.is_some() {
            o.recipient_name.clone()
        } else {
            String::new()
        }),
        status: current.map(|c| {
            let s = state_of(c);
            g::OrderStatus {
                date: s.date,
                code: s.code,
                description: s.description,
                city_code: s.city_code,
                city_name: s.city_name,
                state: if history {
                    steps.iter().map(state_of).collect()
                } else {
                    Vec::new()
                },
            }
        }),
        reason: Some(g::StatusReason {
            date: Some(String::new()),
            code: Some(String::new()),
            description: Some(String::new()),
        }),
        ..Default::default()
    }
}

/// The delivery cost of `o` (the calculator's price for its route, weight and tariff).
fn delivery_sum(state: &State, o: &Order) -> f64 {
    let from = city_index(state, o.send_city).and_then(|i| state.world.cities.get(i));
    let to = city_index(state, o.rec_city).and_then(|i| state.world.cities.get(i));
    match (from, to, calculator::tariff(o.tariff)) {
        (Some(a), Some(b), Some(t)) => calculator::quote(t, a, b, o.chargeable_kg()).0,
        _ => 0.0,
    }
}

fn money(v: f64) -> String {
    format!("{v:.2}")
}

fn kg(grams: i64) -> String {
    format!("{:.3}", grams as f64 / 1000.0)
}

fn info_order(state: &State, o: &Order, now: NaiveDateTime) -> g::InfoOrder {
    let info_city = |code: i32| {
        let i = city_index(state, code);
        g::InfoCity {
            code: Some(code.to_string()),
            post_code: i.map(super::city_postcode),
            name: i
                .and_then(|i| state.world.cities.get(i))
                .map(|c| c.name.clone()),
        }
    };
    let delivered = o.status(now) == 4;
    let tariff = calculator::tariff(o.tariff);
    let mode = tariff.map_or(1, Tariff::mode);
    let mut services = vec![g::InfoAddedService {
        service_code: Some("2".to_owned()),
        sum: Some(money(o.declared * 0.0075)),
    }];
    for s in &o.services {
        if *s != 2 {
            services.push(g::InfoAddedService {
                service_code: Some(s.to_string()),
                sum: Some(money(calculator::service_price(*s))),
            });
        }
    }
    g::InfoOrder {
        number: Some(o.number.clone()),
        date: Some(o.act_date.clone()),
        dispatch_number: Some(o.dispatch_number.to_string()),
        tariff_type_code: Some(o.tariff.to_string()),
        weight: Some(format!("{:.3}", o.chargeable_kg())),
        delivery_sum: Some(money(delivery_sum(state, o))),
        date_last_change: Some(o.changed.format("%Y-%m-%d %H:%M:%S").to_string()),
        cash_on_deliv: Some(money(o.cod)),
        cash_on_deliv_fact: delivered.then(|| money(o.cod)),
        cash_on_deliv_type: (delivered && o.cod > 0.0).then(|| "cash".to_owned()),
        delivery_mode: Some(mode.to_string()),
        pvz_code: o.pvz_code.clone(),
        delivery_variant: Some(
            if o.pvz_code.is_some() {
                "PVZCDEK"
            } else {
                "COURIER"
            }
            .to_owned(),
        ),
        // The older servers' spellings of the three above; the sandbox answers like today's.
        delivery_mode_2: None,
        pvz_code_2: None,
        delivery_variant_2: None,
        send_city: Some(info_city(o.send_city)),
        rec_city: Some(info_city(o.rec_city)),
        package: o
            .packages
            .iter()
            .map(|p| g::InfoPackage {
                number: Some(p.number.clone()),
                bar_code: Some(p.bar_code.clone()),
                weight: Some(kg(p.grams)),
                volume_weight: p.size.map(|(a, b, c)| {
                    format!("{:.3}", f64::from(a) * f64::from(b) * f64::from(c) / 5000.0)
                }),
                size_a: p.size.map(|s| s.0.to_string()),
                size_b: p.size.map(|s| s.1.to_string()),
                size_c: p.size.map(|s| s.2.to_string()),
                item: p
                    .items
                    .iter()
                    .map(|(key, comment, cost, payment, grams, amount)| g::InfoItem {
                        ware_key: Some(key.clone()),
                        comment: Some(comment.clone()),
                        cost: Some(money(*cost)),
                        payment: Some(money(*payment)),
                        vat_rate: Some(String::new()),
                        vat_sum: Some(String::new()),
                        weight: Some(kg(i64::from(*grams))),
                        amount: Some(amount.to_string()),
                        deliv_amount: Some(if delivered {
                            amount.to_string()
                        } else {
                            "0".to_owned()
                        }),
                        ..Default::default()
                    })
                    .collect(),
            })
            .collect(),
        added_service: services,
        ..Default::default()
    }
}

/// The orders of a print request, or the error lines.
fn print_targets(
    state: &State,
    root: &str,
    date: &str,
    account: &str,
    secure: &str,
    count: i32,
    refs: &[g::OrderRef],
) -> Res<Vec<Order>> {
    if !state.cdek_auth(date, account, secure) {
        return Err(auth_error(root));
    }
    if refs.len() > MAX_ORDERS {
        return Err(doc_error(
            root,
            "ERR_ORDER_COUNT",
            "Не более 100 заказов в одном запросе",
        ));
    }
    if usize::try_from(count).ok() != Some(refs.len()) {
        return Err(doc_error(
            root,
            "ERR_NOT_EQUAL_ORDERCOUNT",
            "Количество заказов не соответствует OrderCount",
        ));
    }
    if refs.is_empty() {
        return Err(doc_error(
            root,
            "ERR_NOTFOUNDTAG",
            "Отсутствует обязательный тег: ORDER",
        ));
    }
    let book = state.cdek.book();
    let mut errors = Vec::new();
    let mut found = Vec::new();
    for r in refs {
        match find(
            &book,
            r.dispatch_number,
            r.number.as_deref(),
            r.date.as_deref(),
        ) {
            Ok((_, o)) if o.deleted.is_none() => found.push(o.clone()),
            Ok(_) => errors.push(order_error(
                r.number.as_deref(),
                "ERR_ORDER_NOTFIND",
                "Заказ удалён",
            )),
            Err((code, msg)) => {
                let mut line = order_error(r.number.as_deref(), code, msg);
                if let g::ResponseChoice::Order(o) = &mut line {
                    o.dispatch_number = r.dispatch_number.map(|d| d.to_string());
                }
                errors.push(line);
            }
        }
    }
    if errors.is_empty() {
        Ok(found)
    } else {
        errors.push(doc_line(
            root,
            Some("ERR_PRINT_ORDER"),
            "Не удалось сформировать файл печати",
        ));
        Err(error_lines(errors))
    }
}

fn city_label(state: &State, code: i32) -> String {
    city_index(state, code)
        .and_then(|i| state.world.cities.get(i))
        .map_or_else(|| code.to_string(), |c| format!("{} ({code})", c.name))
}

impl g::IntegrationService for Integration {
    async fn new_orders(&self, request: g::DeliveryRequest) -> Res<g::Response> {
        self.create(request)
    }

    async fn add_delivery(&self, request: g::DeliveryRequest) -> Res<g::Response> {
        self.create(request)
    }

    async fn update_orders(&self, req: g::UpdateRequest) -> Res<g::Response> {
        self.check_counted(
            "UpdateRequest",
            [&req.date, &req.account, &req.secure],
            req.order_count,
            req.order.len(),
        )?;
        let now = self.now();
        let mut book = self.0.cdek.book();
        let mut lines = Vec::new();
        let mut changed = 0;
        for u in &req.order {
            let result =
                find(&book, u.dispatch_number, u.number.as_deref(), None).and_then(|(i, o)| {
                    if o.deleted.is_some() {
                        return Err(("ERR_ORDER_NOTFIND", format!("Заказ {} удалён", o.number)));
                    }
                    let status = o.status(now);
                    if status == 4 || status == 5 {
                        return Err((
                            "ERR_SCHEDULE_CHANGE",
                            format!("Заказ не может быть изменён в статусе {status}"),
                        ));
                    }
                    let mut next = o.clone();
                    if let Some(n) = u.recipient_name.as_deref().filter(|n| !n.trim().is_empty()) {
                        n.trim().clone_into(&mut next.recipient_name);
                    }
                    if let Some(p) = u.phone.as_deref().filter(|p| !p.trim().is_empty()) {
                        p.trim().clone_into(&mut next.phone);
                    }
                    if !u.package.is_empty() {
                        next.packages = packages(&u.package, &next.number)?;
                    }
                    if let Some(a) = &u.address {
                        let rec = city_index(&self.0, next.rec_city).unwrap_or(0);
                        let tariff = calculator::tariff(next.tariff)
                            .ok_or(("ERR_INVALID_TARIFFTYPECODE", String::new()))?;
                        (next.pvz_code, next.street, next.house) =
                            address(&self.0, tariff, rec, a, next.chargeable_kg())?;
                    }
                    next.changed = now;
                    Ok((i, next))
                });
            match result {
                Ok((i, next)) => {
                    lines.push(order_ok(&next, "Заказ изменён"));
                    if let Some(slot) = book.orders.get_mut(i) {
                        *slot = next;
                    }
                    changed += 1;
                }
                Err((code, msg)) => lines.push(order_error(u.number.as_deref(), code, msg)),
            }
        }
        lines.push(summary(format!("Изменено заказов: {changed}")));
        Ok(g::Response { choice: lines })
    }

    async fn delete_orders(&self, req: g::DeleteRequest) -> Res<g::Response> {
        self.check_counted(
            "DeleteRequest",
            [&req.date, &req.account, &req.secure],
            req.order_count,
            req.order.len(),
        )?;
        let now = self.now();
        let mut book = self.0.cdek.book();
        let mut lines = Vec::new();
        let mut deleted = 0;
        for d in &req.order {
            let number = d.number.as_deref();
            let found = match (d.dispatch_number, number) {
                (None, Some(n)) => book
                    .orders
                    .iter()
                    .enumerate()
                    .rfind(|(_, o)| o.number == n.trim())
                    .ok_or((
                        "ERR_INVALID_NUMBER_DELETE",
                        format!("Заказ не найден: Number={n}"),
                    )),
                _ => find(&book, d.dispatch_number, number, None),
            };
            let checked = found.and_then(|(i, o)| {
                if o.deleted.is_some() {
                    return Err((
                        "ERR_DELETEREQUEST_ORDER_DELETED",
                        format!("Заказ {} удалён ранее", o.number),
                    ));
                }
                if d.dispatch_number.is_none() && o.act_number != req.number {
                    return Err((
                        "ERR_DELETEREQUEST_ORDER_ACTNUMBER",
                        format!(
                            "Заказ {} относится к другому акту: {}",
                            o.number, o.act_number
                        ),
                    ));
                }
                if o.status(now) != 1 {
                    return Err((
                        "ERR_DELETEREQUEST_ORDER_MOVE",
                        format!("Заказ {} не в статусе «Создан»", o.number),
                    ));
                }
                Ok(i)
            });
            match checked {
                Ok(i) => {
                    if let Some(o) = book.orders.get_mut(i) {
                        o.deleted = Some(now);
                        o.changed = now;
                        lines.push(order_ok(o, "Заказ удален"));
                        deleted += 1;
                    }
                }
                Err((code, msg)) => {
                    let mut line = order_error(number, code, msg);
                    if let g::ResponseChoice::Order(o) = &mut line {
                        o.dispatch_number = d.dispatch_number.map(|n| n.to_string());
                    }
                    lines.push(line);
                }
            }
        }
        lines.push(summary(format!("Удалено заказов {deleted}")));
        Ok(g::Response { choice: lines })
    }

    async fn new_schedule(&self, req: g::ScheduleRequest) -> Res<g::Response> {
        self.check_counted(
            "ScheduleRequest",
            [&req.date, &req.account, &req.secure],
            req.order_count,
            req.order.len(),
        )?;
        let now = self.now();
        let mut book = self.0.cdek.book();
        let mut seen = BTreeSet::new();
        let mut lines = Vec::new();
        let mut added = 0;
        for s in &req.order {
            let key = (s.dispatch_number, s.number.clone());
            if !seen.insert(key) {
                lines.push(order_error(
                    s.number.as_deref(),
                    "ERR_SCHEDULE_DUBL",
                    "Дублирование номера заказа в документе",
                ));
                continue;
            }
            let checked = find(
                &book,
                s.dispatch_number,
                s.number.as_deref(),
                s.date.as_deref(),
            )
            .and_then(|(i, o)| {
                let status = o.status(now);
                if o.deleted.is_some() || status == 4 || status == 5 {
                    return Err((
                        "ERR_SCHEDULE_CHANGE",
                        format!("Заказ не может быть изменён в статусе {status}"),
                    ));
                }
                // The planned delivery date: creation + the tariff's shortest period.
                let days = calculator::tariff(o.tariff)
                    .zip(city_index(&self.0, o.send_city).and_then(|i| self.0.world.cities.get(i)))
                    .zip(city_index(&self.0, o.rec_city).and_then(|i| self.0.world.cities.get(i)))
                    .map_or(1, |((t, a), b)| {
                        calculator::quote(t, a, b, o.chargeable_kg()).1
                    });
                let planned = (o.created + Duration::days(i64::from(days))).date();
                if s.attempt.date.to_naive_date() < planned {
                    return Err((
                        "ERR_SCHEDULE_DATE",
                        format!(
                            "Дата доставки должна быть не раньше {}",
                            planned.format("%Y-%m-%d")
                        ),
                    ));
                }
                Ok(i)
            });
            match checked {
                Ok(i) => {
                    if let Some(o) = book.orders.get_mut(i) {
                        o.changed = now;
                        lines.push(order_ok(o, "Расписание добавлено"));
                        added += 1;
                    }
                }
                Err((code, msg)) => lines.push(order_error(s.number.as_deref(), code, msg)),
            }
        }
        book.schedules += added;
        lines.push(doc_line(
            "ScheduleRequest",
            None,
            &format!("Добавлено расписаний {added}"),
        ));
        Ok(g::Response { choice: lines })
    }

    async fn call_courier(&self, req: g::CallCourier) -> Res<g::Response> {
        if !self.0.cdek_auth(&req.date, &req.account, &req.secure) {
            return Err(auth_error("CallCourier"));
        }
        if req.call.is_empty() {
            return Err(doc_error(
                "CallCourier",
                "ERROR_CALL_EMPTY",
                "Отсутствует тег CALL",
            ));
        }
        if usize::try_from(req.call_count).ok() != Some(req.call.len()) {
            return Err(doc_error(
                "CallCourier",
                "ERR_CALLCOURIER_COUNT",
                "Количество заявок не соответствует CallCount",
            ));
        }
        let today = self.now().date();
        let mut book = self.0.cdek.book();
        let mut dates = BTreeSet::new();
        let mut lines = Vec::new();
        let mut added = 0;
        for c in &req.call {
            let day = c.date.as_str().to_owned();
            let minutes = |t: &str| {
                let (h, m) = t.trim().split_once(':')?;
                Some(h.parse::<i32>().ok()? * 60 + m.get(..2).unwrap_or(m).parse::<i32>().ok()?)
            };
            let city = c
                .send_city_code
                .and_then(|code| city_index(&self.0, code).map(|_| code))
                .or_else(|| {
                    c.send_city_post_code
                        .as_deref()
                        .and_then(|p| postcode_index(&self.0, p))
                        .map(city_code)
                });
            let rule: Result<i32, Rule> = (|| {
                if c.date.to_naive_date() <= today {
                    return Err((
                        "ERR_CALLCOURIER_DATETIME",
                        "Вызов курьера возможен только на будущую дату".to_owned(),
                    ));
                }
                let (beg, end) = (minutes(&c.time_beg), minutes(&c.time_end));
                let (Some(beg), Some(end)) = (beg, end) else {
                    return Err(("ERR_CALLCOURIER_TIME", "Неверный формат времени".to_owned()));
                };
                if beg > end {
                    return Err(("ERR_CALLCOURIER_TIME", "TimeBeg больше TimeEnd".to_owned()));
                }
                if let (Some(lb), Some(le)) = (
                    c.lunch_beg.as_deref().and_then(minutes),
                    c.lunch_end.as_deref().and_then(minutes),
                ) {
                    if lb > le {
                        return Err((
                            "ERR_CALLCOURIER_TIMELUNCH",
                            "LunchBeg больше LunchEnd".to_owned(),
                        ));
                    }
                }
                if end - beg < 180 {
                    return Err((
                        "ERR_CALLCOURIER_TIME_INTERVAL",
                        "Интервал ожидания курьера должен быть не менее 3 часов".to_owned(),
                    ));
                }
                let Some(city) = city else {
                    return Err((
                        "ERR_CALLCOURIER_CITY",
                        format!(
                            "Вызов курьера в данный город невозможен: SendCityCode={}",
                            c.send_city_code.unwrap_or_default()
                        ),
                    ));
                };
                if !dates.insert(day.clone()) {
                    return Err((
                        "ERR_CALLCOURIER_DATE_DUBL",
                        format!("Дата {day} повторяется"),
                    ));
                }
                let existing = book.calls.iter().find(|k| {
                    k.date == day
                        && k.city == city
                        && k.street == c.address.street
                        && k.house == c.address.house
                });
                if let Some(k) = existing {
                    return Err((
                        "ERR_CALLCOURIER_DATE_EXISTS",
                        format!(
                            "Заявка № {} на {day} по этому адресу уже существует",
                            k.number
                        ),
                    ));
                }
                Ok(city)
            })();
            match rule {
                Ok(city) => {
                    let number = 700_000 + u64::try_from(book.calls.len()).unwrap_or(0) + 1;
                    book.calls.push(CourierCallRecord {
                        number,
                        date: day.clone(),
                        city,
                        street: c.address.street.clone(),
                        house: c.address.house.clone(),
                    });
                    lines.push(g::ResponseChoice::Call(g::ResponseCall {
                        number: Some(number.to_string()),
                        date: Some(day),
                        msg: Some("Заявка принята".to_owned()),
                        ..Default::default()
                    }));
                    added += 1;
                }
                Err((code, msg)) => lines.push(doc_line("CallCourier", Some(code), &msg)),
            }
        }
        lines.push(doc_line(
            "CallCourier",
            None,
            &format!("Добавлено заявок {added}"),
        ));
        Ok(g::Response { choice: lines })
    }

    async fn status_report(&self, req: g::StatusReport) -> Res<g::StatusReportResponse> {
        let root_error = |code: &str, msg: &str| g::StatusReportResponse {
            error_code: Some(code.to_owned()),
            msg: Some(msg.to_owned()),
            ..Default::default()
        };
        if !self.0.cdek_auth(&req.date, &req.account, &req.secure) {
            return Ok(root_error("ERR_AUTH", ""));
        }
        let now = self.now();
        let history = req.show_history == Some(1);
        let book = self.0.cdek.book();
        if !req.order.is_empty() {
            let order = req
                .order
                .iter()
                .map(|r| {
                    match find(
                        &book,
                        r.dispatch_number,
                        r.number.as_deref(),
                        r.date.as_deref(),
                    ) {
                        Ok((_, o)) => status_order(&self.0, o, now, history),
                        Err((code, msg)) => g::StatusOrder {
                            number: r.number.clone(),
                            dispatch_number: r.dispatch_number.map(|d| d.to_string()),
                            date: r.date.clone(),
                            error_code: Some(code.to_owned()),
                            msg: Some(msg),
                            ..Default::default()
                        },
                    }
                })
                .collect();
            return Ok(g::StatusReportResponse {
                date_first: Some("2000-12-31T17:00:00+00:00".to_owned()),
                date_last: Some(date_time(now)),
                order,
                ..Default::default()
            });
        }
        let Some(period) = &req.change_period else {
            return Ok(root_error(
                "ERR_NEED_ATTRIBUTE",
                "Не задан обязательный атрибут: ChangePeriod или Order",
            ));
        };
        let first_text = if period.date_first.trim().is_empty() {
            period.date_beg.clone().unwrap_or_default()
        } else {
            period.date_first.clone()
        };
        let Some(first) = parse_date(&first_text) else {
            return Ok(root_error(
                "ERR_DATEFORMAT",
                &format!("Неверный формат даты в параметре DateFirst = {first_text}"),
            ));
        };
        let last_text = period.date_last.clone().or_else(|| period.date_end.clone());
        let last = match last_text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            None => now,
            Some(t) => match parse_date(t) {
                // A bare date means the whole day.
                Some(d) if t.len() == 10 => d + Duration::days(1) - Duration::seconds(1),
                Some(d) => d,
                None => {
                    return Ok(root_error(
                        "ERR_DATEFORMAT",
                        &format!("Неверный формат даты в параметре DateLast = {t}"),
                    ))
                }
            },
        };
        let order: Vec<g::StatusOrder> = book
            .orders
            .iter()
            .filter(|o| o.history(now).iter().any(|s| s.2 >= first && s.2 <= last))
            .map(|o| status_order(&self.0, o, now, history))
            .collect();
        if order.is_empty() {
            return Ok(root_error(
                "ERR_ORDERS_NOT_FOUND",
                "Заказы за указанный период не найдены",
            ));
        }
        Ok(g::StatusReportResponse {
            date_first: Some(date_time(first)),
            date_last: Some(date_time(last)),
            order,
            ..Default::default()
        })
    }

    async fn info_report(&self, req: g::InfoRequest) -> Res<g::InfoReport> {
        if !self.0.cdek_auth(&req.date, &req.account, &req.secure) {
            return Err(auth_error("InfoRequest"));
        }
        let now = self.now();
        let book = self.0.cdek.book();
        let order = if !req.order.is_empty() {
            req.order
                .iter()
                .map(|r| {
                    match find(
                        &book,
                        r.dispatch_number,
                        r.number.as_deref(),
                        r.date.as_deref(),
                    ) {
                        Ok((_, o)) => info_order(&self.0, o, now),
                        Err((code, msg)) => g::InfoOrder {
                            number: r.number.clone(),
                            dispatch_number: r.dispatch_number.map(|d| d.to_string()),
                            error_code: Some(code.to_owned()),
                            msg: Some(msg),
                            ..Default::default()
                        },
                    }
                })
                .collect()
        } else if let Some(p) = &req.change_period {
            let beg_text = if p.date_beg.trim().is_empty() {
                p.date_first.clone().unwrap_or_default()
            } else {
                p.date_beg.clone()
            };
            let Some(beg) = parse_date(&beg_text) else {
                return Err(doc_error(
                    "InfoRequest",
                    "ERR_INFOREQUEST_DATEBEG",
                    "Не задан или неверен DateBeg",
                ));
            };
            let end = p
                .date_end
                .as_deref()
                .or(p.date_last.as_deref())
                .and_then(parse_date)
                .map_or(now, |d| d + Duration::days(1));
            book.orders
                .iter()
                .filter(|o| o.changed >= beg && o.changed <= end)
                .map(|o| info_order(&self.0, o, now))
                .collect()
        } else {
            return Err(doc_error(
                "InfoRequest",
                "ERR_INFOREQUEST",
                "Не задан ни ChangePeriod, ни Order",
            ));
        };
        Ok(g::InfoReport {
            order,
            ..Default::default()
        })
    }

    async fn orders_print(&self, req: g::OrdersPrint) -> Res<Vec<u8>> {
        let orders = print_targets(
            &self.0,
            "OrdersPrint",
            &req.date,
            &req.account,
            &req.secure,
            req.order_count,
            &req.order,
        )?;
        let copies = req.copy_count.unwrap_or(2).clamp(1, 4);
        let mut pages = Vec::new();
        for o in &orders {
            for copy in 1..=copies {
                pages.push(Page {
                    size: PaperSize::A4,
                    title: format!("Квитанция к заказу № {} (СДЭК)", o.number),
                    fields: vec![
                        ("Накладная".to_owned(), o.dispatch_number.to_string()),
                        ("Экземпляр".to_owned(), format!("{copy} из {copies}")),
                        (
                            "Акт".to_owned(),
                            format!("{} от {}", o.act_number, o.act_date),
                        ),
                        ("Отправитель".to_owned(), city_label(&self.0, o.send_city)),
                        ("Получатель".to_owned(), o.recipient_name.clone()),
                        (
                            "Город получателя".to_owned(),
                            city_label(&self.0, o.rec_city),
                        ),
                        (
                            "Адрес".to_owned(),
                            match (&o.pvz_code, &o.street, &o.house) {
                                (Some(p), _, _) => format!("ПВЗ {p}"),
                                (None, Some(s), Some(h)) => format!("{s}, {h}"),
                                _ => String::new(),
                            },
                        ),
                        ("Тариф".to_owned(), o.tariff.to_string()),
                        ("Мест".to_owned(), o.packages.len().to_string()),
                        ("Вес, кг".to_owned(), kg(o.grams())),
                        ("Объявленная стоимость".to_owned(), money(o.declared)),
                        ("Наложенный платёж".to_owned(), money(o.cod)),
                    ],
                    barcode: Some(o.dispatch_number.to_string()),
                });
            }
        }
        Ok(files::pdf(&pages))
    }

    async fn orders_packages_print(&self, req: g::OrdersPackagesPrint) -> Res<Vec<u8>> {
        let orders = print_targets(
            &self.0,
            "OrdersPackagesPrint",
            &req.date,
            &req.account,
            &req.secure,
            req.order_count,
            &req.order,
        )?;
        let size = match req.print_format {
            Some(g::PrintFormat::A5) => PaperSize::A5,
            Some(g::PrintFormat::A6) => PaperSize::A6,
            _ => PaperSize::A4,
        };
        let copies = req.copy_count.unwrap_or(1).clamp(1, 4);
        let mut pages = Vec::new();
        for o in &orders {
            let total = o.packages.len();
            for (n, p) in o.packages.iter().enumerate() {
                for _ in 0..copies {
                    pages.push(Page {
                        size,
                        title: format!("СДЭК {}", o.dispatch_number),
                        fields: vec![
                            ("Заказ".to_owned(), o.number.clone()),
                            ("Место".to_owned(), format!("{} из {total}", n + 1)),
                            ("Упаковка".to_owned(), p.number.clone()),
                            ("Вес, кг".to_owned(), kg(p.grams)),
                            ("Откуда".to_owned(), city_label(&self.0, o.send_city)),
                            ("Куда".to_owned(), city_label(&self.0, o.rec_city)),
                            ("Получатель".to_owned(), o.recipient_name.clone()),
                        ],
                        barcode: Some(p.bar_code.clone()),
                    });
                }
            }
        }
        Ok(files::pdf(&pages))
    }

    async fn add_pre_alert(&self, req: g::PreAlert) -> Res<g::Response> {
        if !self.0.cdek_auth(&req.date, &req.account, &req.secure) {
            return Err(auth_error("PreAlert"));
        }
        if references::point(&self.0, &req.pvz_code).is_none() {
            return Err(doc_error(
                "PreAlert",
                "INVALID_PARAMETER",
                &format!("ПВЗ {} не найден", req.pvz_code),
            ));
        }
        let book_len;
        {
            let book = self.0.cdek.book();
            for r in &req.order {
                if let Err((code, msg)) = find(
                    &book,
                    r.dispatch_number,
                    r.number.as_deref(),
                    r.date.as_deref(),
                ) {
                    return Err(error_lines(vec![order_error(
                        r.number.as_deref(),
                        code,
                        msg,
                    )]));
                }
            }
            book_len = book.pre_alerts;
        }
        self.0.cdek.book().pre_alerts += 1;
        Ok(g::Response {
            choice: vec![summary(format!(
                "Преалерт создан. Номер={} Дата={}",
                book_len + 1,
                date(self.now())
            ))],
        })
    }

    fn invalid_request(&self, error: RequestError) -> Fault {
        self.rejected(&error)
    }
}
