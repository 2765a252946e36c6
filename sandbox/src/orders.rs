//! order2: orders, address codes, order changes, cancellation, waybill and register files
//! (guide §IV.3, §IV.4, §IV.8). The state rules are documented in [`crate::store`].
//!
//! Validation (Part V.1): a missing wrapper, an empty `order` list or an empty required
//! string (orderNumberInternal, serviceCode, serviceVariant, cargoCategory) is a
//! `required-value` fault for the whole call; a value outside its set (serviceCode,
//! serviceVariant, pickupTimePeriod, deliveryTimePeriod) or a non-positive cargoNumPack /
//! cargoWeight is `error-value`. Problems of one order's addresses are that order's
//! `OrderError` with a message such as «Не заполнен параметр «Улица»» (§3.12), or
//! `OrderPending` by the rules of [`crate::store`].

use std::sync::Arc;

use chrono::NaiveDateTime;
use soap_runtime::server::ServerFault;
use soap_runtime::types::{Base64Binary, Nillable};

use crate::files;
use crate::generated::dpd_order_service as o;
use crate::store::{
    plan, plus_minutes, Creation, OrderRec, ParcelRec, ParcelState, Place, Store, StoredAddress,
    PENDING_MINUTES,
};
use crate::world::World;
use crate::{State, BAD_VALUE, NOT_FOUND, REQUIRED, SYSTEM, TOO_MANY};

/// The order2 implementation.
pub(crate) struct Orders(pub(crate) Arc<State>);

type Res<T> = Result<T, ServerFault<o::DpdOrderFault>>;

fn ws_fault((code, message): (&str, &str)) -> ServerFault<o::DpdOrderFault> {
    crate::fault(
        o::DpdOrderFault::WsFault(o::WsFault {
            code: Some(code.to_owned()),
            message: Some(message.to_owned()),
        }),
        message,
    )
}

/// `code` with `message: detail` (e.g. which field).
fn ws_fault_on((code, message): (&str, &str), detail: &str) -> ServerFault<o::DpdOrderFault> {
    ws_fault((code, &format!("{message}: {detail}")))
}

/// How far ahead a pickup date may be.
const MAX_DAYS_AHEAD: i32 = 365;

const PICKUP_PERIODS: &[&str] = &["9-18", "9-13", "13-18"];
const DELIVERY_PERIODS: &[&str] = &["9-18", "9-13", "13-18", "18-21"];
const VARIANTS: &[&str] = &["ДД", "ДТ", "ТД", "ТТ"];

fn blank(s: Option<&str>) -> bool {
    s.is_none_or(|s| s.trim().is_empty())
}

fn text(s: Option<&String>) -> String {
    s.map(|s| s.trim().to_owned()).unwrap_or_default()
}

/// How one end of an order resolved.
enum End {
    /// Recognised.
    Ok(Place),
    /// Needs DPD's manual completion; `Some(message)`: it will fail.
    Pending(Place, Option<String>),
}

/// Resolves one end: a terminal code, an address code or a door address.
fn resolve_end(
    addr: &o::Address,
    terminal: bool,
    store: &Store,
    world: &World,
) -> Result<End, String> {
    if terminal {
        let Some(code) = addr
            .terminal_code
            .as_deref()
            .filter(|c| !c.trim().is_empty())
        else {
            return Err("Не заполнен параметр «Код терминала»".to_owned());
        };
        let shop = world
            .shops
            .iter()
            .find(|s| s.kind == "Т" && s.code.eq_ignore_ascii_case(code.trim()))
            .ok_or_else(|| format!("Терминал «{code}» не найден"))?;
        let city = world.cities.get(shop.city);
        return Ok(End::Ok(Place {
            name: text(addr.name.as_ref()),
            city: city.map(|c| c.name.clone()).unwrap_or_default(),
            city_idx: Some(shop.city),
            line: format!("Терминал {}", shop.code),
            phone: text(addr.contact_phone.as_ref()),
        }));
    }
    let (name, city, region, street, house, phone) =
        match addr.code.as_deref().filter(|c| !c.trim().is_empty()) {
            Some(code) => {
                let a = store
                    .addresses
                    .get(code.trim())
                    .ok_or_else(|| format!("Адрес с кодом «{code}» не найден"))?;
                (
                    a.name.clone(),
                    a.city.clone(),
                    a.region.clone(),
                    a.street.clone(),
                    a.house.clone(),
                    a.phone.clone(),
                )
            }
            None => (
                text(addr.name.as_ref()),
                text(addr.city.as_ref()),
                addr.region.clone(),
                text(addr.street.as_ref()),
                text(addr.house.as_ref()),
                text(addr.contact_phone.as_ref()),
            ),
        };
    if city.is_empty() {
        return Err("Не заполнен параметр «Город»".to_owned());
    }
    if street.is_empty() {
        return Err("Не заполнен параметр «Улица»".to_owned());
    }
    let mut place = Place {
        name,
        city: city.clone(),
        city_idx: None,
        line: if house.is_empty() {
            street.clone()
        } else {
            format!("{street}, {house}")
        },
        phone,
    };
    let candidates: Vec<usize> = world
        .cities
        .iter()
        .enumerate()
        .filter(|(_, c)| c.name.to_lowercase() == city.to_lowercase())
        .map(|(i, _)| i)
        .collect();
    let by_region = |i: &usize| {
        let (Some(r), Some(c)) = (region.as_deref(), world.cities.get(*i)) else {
            return false;
        };
        let r = r.trim().to_lowercase();
        !r.is_empty() && c.region_name.to_lowercase().contains(&r)
    };
    match candidates.as_slice() {
        [] => Ok(End::Pending(
            place,
            Some(format!("Адрес не распознан: город «{city}» не найден")),
        )),
        [one] => {
            place.city_idx = Some(*one);
            Ok(if house.is_empty() {
                End::Pending(place, None)
            } else {
                End::Ok(place)
            })
        }
        many => {
            // Ambiguous name: the region decides; otherwise DPD picks the first by hand.
            let chosen = many.iter().copied().find(|i| by_region(i));
            place.city_idx = chosen.or(many.first().copied());
            Ok(if chosen.is_none() || house.is_empty() {
                End::Pending(place, None)
            } else {
                End::Ok(place)
            })
        }
    }
}

/// Request-level checks of one order (faults for the whole call).
fn check_order(order: &o::Order) -> Res<()> {
    for (value, field) in [
        (&order.order_number_internal, "orderNumberInternal"),
        (&order.service_code, "serviceCode"),
        (&order.service_variant, "serviceVariant"),
        (&order.cargo_category, "cargoCategory"),
    ] {
        if value.trim().is_empty() {
            return Err(ws_fault_on(REQUIRED, field));
        }
    }
    if !crate::calculator::known_service(order.service_code.trim()) {
        return Err(ws_fault_on(BAD_VALUE, "serviceCode"));
    }
    if !VARIANTS.contains(&order.service_variant.trim()) {
        return Err(ws_fault_on(BAD_VALUE, "serviceVariant"));
    }
    if order.cargo_num_pack < 1 {
        return Err(ws_fault_on(BAD_VALUE, "cargoNumPack"));
    }
    if order.cargo_weight.is_nan() || order.cargo_weight <= 0.0 {
        return Err(ws_fault_on(BAD_VALUE, "cargoWeight"));
    }
    if let Some(p) = order.delivery_time_period.as_deref() {
        if !DELIVERY_PERIODS.contains(&p.trim()) {
            return Err(ws_fault_on(BAD_VALUE, "deliveryTimePeriod"));
        }
    }
    Ok(())
}

fn status(order: &OrderRec) -> o::DpdOrderStatus {
    o::DpdOrderStatus {
        order_number_internal: Some(order.internal.clone()),
        order_num: order.number.clone(),
        status: order.creation.as_str().to_owned(),
        error_message: match &order.creation {
            Creation::Error(m) => Some(m.clone()),
            _ => None,
        },
    }
}

/// Creates one order (validated already) and answers its status.
fn create_one(
    store: &mut Store,
    world: &World,
    now: NaiveDateTime,
    header: &o::Header,
    order: &o::Order,
) -> o::DpdOrderStatus {
    let date_pickup = header.date_pickup.to_naive_date();
    let variant = order.service_variant.trim().to_owned();
    let error = |message: String| o::DpdOrderStatus {
        order_number_internal: Some(order.order_number_internal.clone()),
        order_num: None,
        status: "OrderError".to_owned(),
        error_message: Some(message),
    };
    if date_pickup < now.date() {
        return error("Дата приёма груза ранее текущей даты".to_owned());
    }
    // Orders are taken for the coming year only (keeps the simulated calendar bounded).
    if date_pickup > crate::store::plus_days(now.date(), MAX_DAYS_AHEAD) {
        return error(format!(
            "Дата приёма груза более чем через {MAX_DAYS_AHEAD} дней от текущей даты"
        ));
    }
    let internal = order.order_number_internal.trim();
    if store.orders.iter().any(|x| {
        x.internal == internal
            && x.date_pickup == date_pickup
            && !matches!(x.creation, Creation::Error(_))
    }) {
        return error(format!(
            "Заказ «{internal}» с датой приёма {date_pickup} уже существует"
        ));
    }
    let sender = resolve_end(
        &header.sender_address,
        variant.starts_with('Т'),
        store,
        world,
    );
    let receiver = resolve_end(
        &order.receiver_address,
        variant.ends_with('Т'),
        store,
        world,
    );
    let (sender, receiver) = match (sender, receiver) {
        (Err(m), _) | (_, Err(m)) => return error(m),
        (Ok(s), Ok(r)) => (s, r),
    };
    let mut pending: Option<Option<String>> = None;
    let mut take = |end: End| match end {
        End::Ok(p) => p,
        End::Pending(p, fails) => {
            let prev = pending.take().flatten();
            pending = Some(prev.or(fails));
            p
        }
    };
    let (sender, receiver) = (take(sender), take(receiver));
    let mut parcels = Vec::new();
    for p in order.parcel.iter().filter_map(Nillable::value) {
        parcels.push(ParcelRec {
            number: p.number.clone(),
            dpd_number: store.next_parcel_number(),
            weight: p.weight,
            size: [p.length, p.width, p.height],
            removed: false,
        });
    }
    if parcels.is_empty() {
        // No parcel list: one parcel per cargoNumPack, numbered after the order.
        let each = order.cargo_weight / f64::from(order.cargo_num_pack.max(1));
        for i in 1..=order.cargo_num_pack.clamp(1, 999) {
            parcels.push(ParcelRec {
                number: format!("{internal}-{i}"),
                dpd_number: store.next_parcel_number(),
                weight: Some((each * 1000.0).round() / 1000.0),
                size: [None; 3],
                removed: false,
            });
        }
    }
    let mut rec = OrderRec {
        internal: internal.to_owned(),
        number: None,
        creation: Creation::Ok,
        date_pickup,
        service_code: order.service_code.trim().to_owned(),
        service_variant: variant,
        cargo_num_pack: order.cargo_num_pack,
        cargo_weight: order.cargo_weight,
        cargo_volume: order.cargo_volume,
        cargo_value: order.cargo_value,
        cargo_category: order.cargo_category.clone(),
        pickup_period: header
            .pickup_time_period
            .clone()
            .unwrap_or_else(|| "9-18".to_owned()),
        delivery_period: order
            .delivery_time_period
            .clone()
            .unwrap_or_else(|| "9-18".to_owned()),
        sender,
        receiver,
        parcels,
        events: Vec::new(),
        cancelled: false,
        return_number: None,
        cost: 0.0,
        days: 0,
    };
    match pending {
        Some(fails) => {
            rec.creation = Creation::Pending {
                resolve_at: plus_minutes(now, PENDING_MINUTES),
                fails,
            }
        }
        None => {
            rec.number = Some(store.next_order_number(now, &rec.sender.city));
            plan(&mut rec, now, world);
        }
    }
    let answer = status(&rec);
    store.orders.push(rec);
    answer
}

/// Checks a registered address's fields; `Err` is the address-error message.
fn check_address(a: &o::ClientAddress) -> Result<StoredAddress, String> {
    let missing = |v: &str, field: &str| {
        if v.trim().is_empty() {
            Err(format!("Не указан параметр «{field}»"))
        } else {
            Ok(())
        }
    };
    missing(&a.code, "Код")?;
    missing(&a.name, "Название")?;
    missing(&a.city, "Город")?;
    missing(&a.street, "Улица")?;
    missing(a.house.as_deref().unwrap_or(""), "Дом")?;
    missing(&a.contact_fio, "Контактное лицо")?;
    missing(&a.contact_phone, "Контактный телефон")?;
    Ok(StoredAddress {
        name: a.name.trim().to_owned(),
        city: a.city.trim().to_owned(),
        region: a.region.clone(),
        street: a.street.trim().to_owned(),
        house: text(a.house.as_ref()),
        phone: a.contact_phone.trim().to_owned(),
    })
}

/// createAddress (`update = false`: the code must be new, else `code-already-exists`) and
/// updateAddress (`update = true`: it must exist, else `code-not-found`); then the address is
/// validated (`address-error`) and stored under its code.
fn save_address(
    store: &mut Store,
    a: &o::ClientAddress,
    update: bool,
) -> o::DpdClientAddressStatus {
    let code = a.code.trim().to_owned();
    match (store.addresses.contains_key(&code), update) {
        (true, false) => address_status(
            &code,
            "code-already-exists",
            Some("Адрес с указанным кодом уже существует".to_owned()),
        ),
        (false, true) => address_status(
            &code,
            "code-not-found",
            Some("Адрес с указанным кодом не найден".to_owned()),
        ),
        _ => match check_address(a) {
            Ok(stored) => {
                store.addresses.insert(code.clone(), stored);
                address_status(&code, "OK", None)
            }
            Err(m) => address_status(&code, "address-error", Some(m)),
        },
    }
}

fn address_status(code: &str, status: &str, message: Option<String>) -> o::DpdClientAddressStatus {
    o::DpdClientAddressStatus {
        code: code.to_owned(),
        status: status.to_owned(),
        error_message: message,
    }
}

fn cancel_error(problem: &str) -> String {
    format!("Отмена заказа невозможна, возникла ошибка: {problem}")
}

/// The waybill page of `order`.
fn invoice_page(order: &OrderRec, parcels: i32, value: Option<f64>) -> files::Page {
    let num = order.number.clone().unwrap_or_default();
    files::Page {
        size: files::PaperSize::A4,
        title: format!("Накладная DPD № {num}"),
        fields: vec![
            ("Номер заказа клиента".to_owned(), order.internal.clone()),
            ("Дата приёма".to_owned(), order.date_pickup.to_string()),
            (
                "Услуга".to_owned(),
                format!("{} {}", order.service_code, order.service_variant),
            ),
            (
                "Отправитель".to_owned(),
                format!(
                    "{}, {}, {}",
                    order.sender.name, order.sender.city, order.sender.line
                ),
            ),
            (
                "Получатель".to_owned(),
                format!(
                    "{}, {}, {}",
                    order.receiver.name, order.receiver.city, order.receiver.line
                ),
            ),
            ("Мест".to_owned(), parcels.to_string()),
            ("Вес, кг".to_owned(), format!("{:.2}", order.cargo_weight)),
            (
                "Объявленная ценность, руб.".to_owned(),
                format!("{:.2}", value.or(order.cargo_value).unwrap_or(0.0)),
            ),
            ("Содержимое".to_owned(), order.cargo_category.clone()),
        ],
        barcode: Some(num),
    }
}

impl Orders {
    fn auth(&self, auth: &o::Auth) -> Res<()> {
        self.0
            .check_auth(auth.client_number, &auth.client_key)
            .map_err(|(code, msg)| ws_fault((code, &msg)))
    }

    /// Locks the store after resolving what became due.
    fn store(&self) -> Res<(std::sync::MutexGuard<'_, Store>, NaiveDateTime)> {
        let now = self.0.now();
        let mut store = self.0.dpd.lock().map_err(|_| ws_fault(SYSTEM))?;
        store.refresh(now, &self.0.world);
        Ok((store, now))
    }

    /// addParcels/removeParcels.
    fn correct(
        &self,
        request: Option<o::DpdOrderCorrection>,
        add: bool,
    ) -> Res<o::DpdOrderCorrectionStatus> {
        let Some(req) = request else {
            return Err(ws_fault(REQUIRED));
        };
        self.auth(&req.auth)?;
        if req.order_num.trim().is_empty() {
            return Err(ws_fault_on(REQUIRED, "orderNum"));
        }
        // Guide §IV.4: the new totals are required.
        if req.cargo_num_pack.is_none() {
            return Err(ws_fault_on(REQUIRED, "cargoNumPack"));
        }
        if req.cargo_weight.is_none() {
            return Err(ws_fault_on(REQUIRED, "cargoWeight"));
        }
        if blank(req.cargo_category.as_deref()) {
            return Err(ws_fault_on(REQUIRED, "cargoCategory"));
        }
        let (mut store, now) = self.store()?;
        let parcel_status = |number: &str, status: &str, message: Option<&str>| {
            Nillable::Value(o::ParcelStatus {
                number: number.to_owned(),
                status: status.to_owned(),
                error_message: message.map(str::to_owned),
            })
        };
        let answer = |status: &str, message: Option<&str>, parcels| o::DpdOrderCorrectionStatus {
            order_num: req.order_num.clone(),
            status: status.to_owned(),
            error_message: message.map(str::to_owned),
            parcel_status: parcels,
        };
        let Some(idx) = store.find_by_number(&req.order_num) else {
            return Ok(answer("no-data-found", Some("Заказ не найден"), Vec::new()));
        };
        let locked = store
            .orders
            .get(idx)
            .is_none_or(|x| x.cancelled || x.picked_up(now));
        let parcels: Vec<&o::Parcel> = req.parcel.iter().filter_map(Nillable::value).collect();
        if locked {
            let message = "Состояние заказа не позволяет выполнять его корректировку";
            let statuses = parcels
                .iter()
                .map(|p| parcel_status(&p.number, "illegal-state", Some(message)))
                .collect();
            return Ok(answer("illegal-state", Some(message), statuses));
        }
        let mut statuses = Vec::new();
        for p in parcels {
            if add {
                let dpd_number = store.next_parcel_number();
                if let Some(order) = store.orders.get_mut(idx) {
                    order.parcels.push(ParcelRec {
                        number: p.number.clone(),
                        dpd_number,
                        weight: p.weight,
                        size: [p.length, p.width, p.height],
                        removed: false,
                    });
                }
                statuses.push(parcel_status(&p.number, "OK", None));
            } else if let Some(order) = store.orders.get_mut(idx) {
                let matches: Vec<usize> = order
                    .parcels
                    .iter()
                    .enumerate()
                    .filter(|(_, x)| !x.removed && x.number == p.number)
                    .map(|(i, _)| i)
                    .collect();
                match matches.as_slice() {
                    [] => statuses.push(parcel_status(&p.number, NOT_FOUND.0, Some(NOT_FOUND.1))),
                    [one] => {
                        if let Some(x) = order.parcels.get_mut(*one) {
                            x.removed = true;
                        }
                        statuses.push(parcel_status(&p.number, "OK", None));
                    }
                    _ => statuses.push(parcel_status(&p.number, TOO_MANY.0, Some(TOO_MANY.1))),
                }
            }
        }
        if let Some(order) = store.orders.get_mut(idx) {
            order.cargo_num_pack = req.cargo_num_pack.unwrap_or(order.cargo_num_pack);
            order.cargo_weight = req.cargo_weight.unwrap_or(order.cargo_weight);
            order.cargo_volume = req.cargo_volume.or(order.cargo_volume);
            order.cargo_value = req.cargo_value.or(order.cargo_value);
            if let Some(c) = &req.cargo_category {
                order.cargo_category.clone_from(c);
            }
        }
        Ok(answer("OK", None, statuses))
    }
}

impl o::DpdOrderService for Orders {
    async fn create_order(&self, request: o::CreateOrder) -> Res<o::CreateOrderResponse> {
        let Some(data) = request.orders else {
            return Err(ws_fault(REQUIRED));
        };
        self.auth(&data.auth)?;
        if data.order.is_empty() {
            return Err(ws_fault_on(REQUIRED, "order"));
        }
        if let Some(p) = data.header.pickup_time_period.as_deref() {
            if !PICKUP_PERIODS.contains(&p.trim()) {
                return Err(ws_fault_on(BAD_VALUE, "pickupTimePeriod"));
            }
        }
        for order in &data.order {
            check_order(order)?;
        }
        let (mut store, now) = self.store()?;
        let world = &self.0.world;
        let statuses = data
            .order
            .iter()
            .map(|order| create_one(&mut store, world, now, &data.header, order))
            .collect();
        Ok(o::CreateOrderResponse { r#return: statuses })
    }

    async fn get_order_status(&self, request: o::GetOrderStatus) -> Res<o::GetOrderStatusResponse> {
        let Some(req) = request.order_status else {
            return Err(ws_fault(REQUIRED));
        };
        self.auth(&req.auth)?;
        if req.order.is_empty() {
            return Err(ws_fault_on(REQUIRED, "order"));
        }
        let (store, _) = self.store()?;
        let mut out = Vec::new();
        for wanted in &req.order {
            let date = wanted
                .date_pickup
                .as_ref()
                .map(soap_runtime::types::Date::to_naive_date);
            let found: Vec<&OrderRec> = store
                .orders
                .iter()
                .filter(|x| {
                    x.internal == wanted.order_number_internal.trim()
                        && date.is_none_or(|d| d == x.date_pickup)
                })
                .collect();
            match found.as_slice() {
                [] => return Err(ws_fault(NOT_FOUND)),
                [one] => out.push(status(one)),
                _ => return Err(ws_fault(TOO_MANY)),
            }
        }
        Ok(o::GetOrderStatusResponse { r#return: out })
    }

    async fn create_address(&self, request: o::CreateAddress) -> Res<o::CreateAddressResponse> {
        let Some(req) = request.address else {
            return Err(ws_fault(REQUIRED));
        };
        self.auth(&req.auth)?;
        let a = &req.client_address;
        let (mut store, _) = self.store()?;
        let answer = save_address(&mut store, a, false);
        Ok(o::CreateAddressResponse {
            r#return: Some(answer),
        })
    }

    async fn update_address(&self, request: o::UpdateAddress) -> Res<o::UpdateAddressResponse> {
        let Some(req) = request.address else {
            return Err(ws_fault(REQUIRED));
        };
        self.auth(&req.auth)?;
        let a = &req.client_address;
        let (mut store, _) = self.store()?;
        let answer = save_address(&mut store, a, true);
        Ok(o::UpdateAddressResponse {
            r#return: Some(answer),
        })
    }

    async fn get_invoice_file(&self, request: o::GetInvoiceFile) -> Res<o::GetInvoiceFileResponse> {
        let Some(req) = request.request else {
            return Err(ws_fault(REQUIRED));
        };
        self.auth(&req.auth)?;
        if req.order_num.trim().is_empty() {
            return Err(ws_fault_on(REQUIRED, "orderNum"));
        }
        let (store, _) = self.store()?;
        let order = store
            .find_by_number(&req.order_num)
            .and_then(|i| store.orders.get(i))
            .ok_or_else(|| ws_fault(NOT_FOUND))?;
        let parcels = req
            .parcel_count
            .unwrap_or_else(|| i32::try_from(order.live_parcels().count()).unwrap_or(i32::MAX));
        let page = invoice_page(order, parcels, req.cargo_value.as_ref().map(|d| d.to_f64()));
        Ok(o::GetInvoiceFileResponse {
            r#return: Some(o::DpdInvoiceFile {
                file: Some(Base64Binary(files::pdf(&[page]))),
            }),
        })
    }

    async fn get_register_file(
        &self,
        request: o::GetRegisterFile,
    ) -> Res<o::GetRegisterFileResponse> {
        let Some(req) = request.request else {
            return Err(ws_fault(REQUIRED));
        };
        self.auth(&req.auth)?;
        let date = req.date_pickup.to_naive_date();
        let (store, _) = self.store()?;
        let rows: Vec<Vec<String>> = store
            .orders
            .iter()
            .filter(|x| x.date_pickup == date && x.number.is_some() && !x.cancelled)
            .map(|x| {
                vec![
                    x.number.clone().unwrap_or_default(),
                    x.internal.clone(),
                    x.service_code.clone(),
                    x.receiver.name.clone(),
                    x.receiver.city.clone(),
                    x.receiver.line.clone(),
                    x.live_parcels().count().to_string(),
                    format!("{:.2}", x.cargo_weight),
                    format!("{:.2}", x.cargo_value.unwrap_or(0.0)),
                ]
            })
            .collect();
        if rows.is_empty() {
            return Err(ws_fault(NOT_FOUND));
        }
        let sheet = files::Sheet {
            name: format!("Реестр {date}"),
            header: [
                "Номер заказа DPD",
                "Номер заказа клиента",
                "Услуга",
                "Получатель",
                "Город",
                "Адрес",
                "Мест",
                "Вес, кг",
                "Объявленная ценность, руб.",
            ]
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
            rows,
        };
        Ok(o::GetRegisterFileResponse {
            r#return: Some(o::DpdRegisterFile {
                file: vec![Nillable::Value(Base64Binary(files::spreadsheet(&sheet)))],
            }),
        })
    }

    async fn add_parcels(&self, request: o::AddParcels) -> Res<o::AddParcelsResponse> {
        Ok(o::AddParcelsResponse {
            r#return: Some(self.correct(request.parcels, true)?),
        })
    }

    async fn remove_parcels(&self, request: o::RemoveParcels) -> Res<o::RemoveParcelsResponse> {
        Ok(o::RemoveParcelsResponse {
            r#return: Some(self.correct(request.parcels, false)?),
        })
    }

    async fn cancel_order(&self, request: o::CancelOrder) -> Res<o::CancelOrderResponse> {
        let Some(req) = request.orders else {
            return Err(ws_fault(REQUIRED));
        };
        self.auth(&req.auth)?;
        let (mut store, now) = self.store()?;
        let mut out = Vec::new();
        for c in &req.cancel {
            let answer =
                |status: &str, num: Option<String>, message: Option<String>| o::DpdOrderStatus {
                    order_number_internal: c.order_number_internal.clone(),
                    order_num: num.or_else(|| c.order_num.clone()),
                    status: status.to_owned(),
                    error_message: message,
                };
            let date = c
                .pickupdate
                .as_ref()
                .map(soap_runtime::types::Date::to_naive_date);
            let by_num = c.order_num.as_deref().filter(|n| !n.trim().is_empty());
            let by_internal = c
                .order_number_internal
                .as_deref()
                .filter(|n| !n.trim().is_empty());
            if by_num.is_none() && by_internal.is_none() {
                out.push(answer(
                    "Error",
                    None,
                    Some(cancel_error("Получены не все данные на вход")),
                ));
                continue;
            }
            let found: Vec<usize> = store
                .orders
                .iter()
                .enumerate()
                .filter(|(_, x)| {
                    by_num.is_none_or(|n| x.number.as_deref() == Some(n.trim()))
                        && by_internal.is_none_or(|n| x.internal == n.trim())
                        && date.is_none_or(|d| d == x.date_pickup)
                        && !matches!(x.creation, Creation::Error(_))
                })
                .map(|(i, _)| i)
                .collect();
            let [idx] = found.as_slice() else {
                let problem = if found.is_empty() {
                    "Не найден заказ \\ заявка \\ отправка"
                } else {
                    "Полученные данные некорректны"
                };
                out.push(answer("Error", None, Some(cancel_error(problem))));
                continue;
            };
            let idx = *idx;
            let Some(order) = store.orders.get(idx) else {
                continue;
            };
            let num = order.number.clone();
            if order.cancelled {
                out.push(answer("Cancelled_previously", num, None));
                continue;
            }
            if order.current(now) == Some(ParcelState::Delivered) {
                out.push(answer(
                    "Error",
                    num,
                    Some(cancel_error("Полученные данные некорректны")),
                ));
                continue;
            }
            let picked_up = order.picked_up(now);
            let return_number = if picked_up {
                let city = order.receiver.city.clone();
                Some(store.next_order_number(now, &city))
            } else {
                None
            };
            if let Some(order) = store.orders.get_mut(idx) {
                order.cancelled = true;
                order.events.retain(|(t, _)| *t <= now);
                if picked_up {
                    // Picked up: a return order takes the cargo back (§IV.8).
                    order.return_number = return_number;
                    order.events.push((
                        plus_minutes(now, 24 * 60),
                        ParcelState::ReturnedFromDelivery,
                    ));
                } else if order.number.is_some() {
                    order.events.push((now, ParcelState::NotDone));
                }
            }
            out.push(answer("Cancelled", num, None));
        }
        Ok(o::CancelOrderResponse { r#return: out })
    }
}
