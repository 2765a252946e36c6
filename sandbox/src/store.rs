//! DPD's mutable side, shared by order2, tracing, label-print and nl: orders with their
//! parcels and planned state timelines, address codes, tracking documents and report gates.
//!
//! Rules (all deterministic, on the simulated clock of [`State::now`](crate::State::now)):
//! - **Order numbers** (номер заказа DPD) look like DPD's `05120002MOW`: `MMDD` of the
//!   simulated day the number is assigned, a 4-digit sequence counted per such day from
//!   `0001`, and the 3-letter code of the sender's city ([`city_code`]). DPD parcel numbers
//!   are 8 digits from `30000001` up.
//! - **OrderPending** (§3.12): a door address whose city is not known to the world, whose city
//!   name is ambiguous without a matching `region`, or whose `house` is missing, is accepted as
//!   `OrderPending`; [`PENDING_MINUTES`] later it resolves — an unknown city to `OrderError`
//!   («Адрес не распознан…»), the others to `OK` with a number.
//! - **Timeline** (§5.6.1) of an order with a number, from the moment `t0` it got it:
//!   `NewOrderByClient` at `t0`; `OnTerminalPickup` (picked up: from now on
//!   `illegal-state`) at the pickup date 10:00 (14:00 for `13-18`), not before `t0 + 30 min`;
//!   `OnRoad` 4 h later; `OnTerminal` 12 h after that when the transit takes ≥ 2 days;
//!   `OnTerminalDelivery` at 07:00 of pickup date + the calculator's days; for door delivery
//!   `Delivering` 2 h later and `Delivered` at 11:00 / 13:00 / 15:00 / 19:30 for
//!   `9-13` / `9-18` / `13-18` / `18-21`; for terminal delivery `Delivered` at 16:00.
//! - **Cancel** (§IV.8): before pickup the future is dropped and `NotDone` recorded now; after
//!   pickup (not delivered) a return order number is assigned (`dpdOrderReNr`, `isReturn`)
//!   and `ReturnedFromDelivery` follows 24 h later.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};

use crate::world::{distance_km, World};

/// Minutes an `OrderPending` order waits for DPD's "manual completion".
pub const PENDING_MINUTES: i64 = 120;

/// A parcel state of §5.6.1 used by the sandbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParcelState {
    /// New order created by the client.
    NewOrderByClient,
    /// Order cancelled.
    NotDone,
    /// At the pickup terminal (the cargo has been picked up).
    OnTerminalPickup,
    /// In transit (line haul).
    OnRoad,
    /// At a transit terminal.
    OnTerminal,
    /// At the delivery terminal.
    OnTerminalDelivery,
    /// Out for delivery.
    Delivering,
    /// Delivered.
    Delivered,
    /// Returned from delivery (after a cancel of picked-up cargo).
    ReturnedFromDelivery,
}

impl ParcelState {
    /// DPD's name of the state.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NewOrderByClient => "NewOrderByClient",
            Self::NotDone => "NotDone",
            Self::OnTerminalPickup => "OnTerminalPickup",
            Self::OnRoad => "OnRoad",
            Self::OnTerminal => "OnTerminal",
            Self::OnTerminalDelivery => "OnTerminalDelivery",
            Self::Delivering => "Delivering",
            Self::Delivered => "Delivered",
            Self::ReturnedFromDelivery => "ReturnedFromDelivery",
        }
    }
}

/// Creation status of an order (§3.12).
#[derive(Debug, Clone, PartialEq)]
pub enum Creation {
    /// Created; the order has a number.
    Ok,
    /// Waiting for manual completion until `resolve_at`; `fails` is the later OrderError text.
    Pending {
        /// When it resolves.
        resolve_at: NaiveDateTime,
        /// `Some(message)`: it resolves to OrderError.
        fails: Option<String>,
    },
    /// Not created.
    Error(String),
}

impl Creation {
    /// DPD's status string.
    #[must_use]
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Ok => "OK",
            Self::Pending { .. } => "OrderPending",
            Self::Error(_) => "OrderError",
        }
    }
}

/// One end of an order, as shown on documents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Place {
    /// Name of the sender/receiver.
    pub name: String,
    /// City name as sent.
    pub city: String,
    /// Index into [`World::cities`] once recognised.
    pub city_idx: Option<usize>,
    /// Street and house, or the terminal code for terminal ends.
    pub line: String,
    /// Contact phone.
    pub phone: String,
}

/// A parcel of an order.
#[derive(Debug, Clone, PartialEq)]
pub struct ParcelRec {
    /// The client's number (barcode).
    pub number: String,
    /// DPD's parcel number.
    pub dpd_number: String,
    /// Weight, kg.
    pub weight: Option<f64>,
    /// Length, width, height as sent.
    pub size: [Option<f64>; 3],
    /// Removed by removeParcels (kept so tracking keys stay stable).
    pub removed: bool,
}

/// An order as DPD keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderRec {
    /// The client's number (orderNumberInternal).
    pub internal: String,
    /// DPD's number, once assigned.
    pub number: Option<String>,
    /// Creation status.
    pub creation: Creation,
    /// Pickup date.
    pub date_pickup: NaiveDate,
    /// Service code, e.g. CUR.
    pub service_code: String,
    /// Delivery variant, e.g. ДД.
    pub service_variant: String,
    /// Parcel count (cargoNumPack).
    pub cargo_num_pack: i32,
    /// Weight, kg.
    pub cargo_weight: f64,
    /// Volume, m³.
    pub cargo_volume: Option<f64>,
    /// Declared value, roubles.
    pub cargo_value: Option<f64>,
    /// Contents.
    pub cargo_category: String,
    /// Pickup interval, e.g. 9-18.
    pub pickup_period: String,
    /// Delivery interval, e.g. 9-18.
    pub delivery_period: String,
    /// Sender.
    pub sender: Place,
    /// Receiver.
    pub receiver: Place,
    /// Parcels.
    pub parcels: Vec<ParcelRec>,
    /// Planned and past transitions, in time order.
    pub events: Vec<(NaiveDateTime, ParcelState)>,
    /// Cancelled by cancelOrder (before or after pickup).
    pub cancelled: bool,
    /// Number of the return order created by a cancel after pickup.
    pub return_number: Option<String>,
    /// Delivery cost by the calculator's tariff, roubles.
    pub cost: f64,
    /// Transit days by the calculator's tariff.
    pub days: i32,
}

impl OrderRec {
    /// Transitions that have happened by `now`.
    pub fn visible(
        &self,
        now: NaiveDateTime,
    ) -> impl Iterator<Item = &(NaiveDateTime, ParcelState)> {
        self.events.iter().filter(move |(t, _)| *t <= now)
    }

    /// The latest transition by `now`.
    #[must_use]
    pub fn current(&self, now: NaiveDateTime) -> Option<ParcelState> {
        self.visible(now).last().map(|e| e.1)
    }

    /// Whether the cargo has been picked up by `now` (changes are `illegal-state` from then).
    #[must_use]
    pub fn picked_up(&self, now: NaiveDateTime) -> bool {
        self.visible(now)
            .any(|(_, s)| *s == ParcelState::OnTerminalPickup)
    }

    /// Parcels not removed.
    pub fn live_parcels(&self) -> impl Iterator<Item = &ParcelRec> {
        self.parcels.iter().filter(|p| !p.removed)
    }
}

/// An address registered with createAddress.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAddress {
    /// Name.
    pub name: String,
    /// City.
    pub city: String,
    /// Region, if given.
    pub region: Option<String>,
    /// Street.
    pub street: String,
    /// House.
    pub house: String,
    /// Contact phone.
    pub phone: String,
}

/// Identity of one state of one parcel: (order index, DPD parcel number, event index).
pub type StateKey = (usize, String, usize);

/// The nl call gate of one method (§6.6).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportGate {
    /// A call is running.
    pub running: bool,
    /// Start of the last accepted call.
    pub last_start: Option<NaiveDateTime>,
}

/// All mutable DPD data.
#[derive(Debug, Default)]
pub struct Store {
    /// Orders in creation order.
    pub orders: Vec<OrderRec>,
    /// Address codes.
    pub addresses: BTreeMap<String, StoredAddress>,
    /// Order sequence per day of assignment.
    seq_by_day: BTreeMap<NaiveDate, u32>,
    /// Last DPD parcel number handed out.
    parcel_seq: u64,
    /// States whose receipt was confirmed (or, without confirmation, delivered).
    pub confirmed: BTreeSet<StateKey>,
    /// Unconfirmed tracking documents: docId → their states.
    pub docs: BTreeMap<i64, Vec<StateKey>>,
    /// Last docId handed out.
    pub doc_seq: i64,
    /// getNLAmount gate.
    pub nl_amount: ReportGate,
    /// getNLInvoice gate.
    pub nl_invoice: ReportGate,
}

/// IATA-style code DPD uses in order numbers, by city name (unknown: first three letters
/// transliterated, upper case).
#[must_use]
pub fn city_code(city: &str) -> String {
    let known = [
        ("Москва", "MOW"),
        ("Санкт-Петербург", "LED"),
        ("Новосибирск", "OVB"),
        ("Екатеринбург", "SVX"),
        ("Казань", "KZN"),
        ("Нижний Новгород", "GOJ"),
        ("Челябинск", "CEK"),
        ("Самара", "KUF"),
        ("Омск", "OMS"),
        ("Ростов-на-Дону", "ROV"),
        ("Уфа", "UFA"),
        ("Красноярск", "KJA"),
        ("Воронеж", "VOZ"),
        ("Пермь", "PEE"),
        ("Волгоград", "VOG"),
        ("Люберцы", "MOW"),
        ("Владивосток", "VVO"),
        ("Калининград", "KGD"),
    ];
    if let Some((_, code)) = known.iter().find(|(n, _)| n.eq_ignore_ascii_case(city)) {
        return (*code).to_owned();
    }
    let code: String = city
        .chars()
        .filter_map(translit)
        .take(3)
        .collect::<String>()
        .to_uppercase();
    if code.len() == 3 {
        code
    } else {
        "DPD".to_owned()
    }
}

/// One Latin letter for a Cyrillic or Latin one (enough for a 3-letter code).
fn translit(c: char) -> Option<char> {
    let lower = c.to_lowercase().next().unwrap_or(c);
    if lower.is_ascii_alphabetic() {
        return Some(lower);
    }
    const MAP: &[(char, char)] = &[
        ('а', 'a'),
        ('б', 'b'),
        ('в', 'v'),
        ('г', 'g'),
        ('д', 'd'),
        ('е', 'e'),
        ('ё', 'e'),
        ('ж', 'z'),
        ('з', 'z'),
        ('и', 'i'),
        ('й', 'y'),
        ('к', 'k'),
        ('л', 'l'),
        ('м', 'm'),
        ('н', 'n'),
        ('о', 'o'),
        ('п', 'p'),
        ('р', 'r'),
        ('с', 's'),
        ('т', 't'),
        ('у', 'u'),
        ('ф', 'f'),
        ('х', 'h'),
        ('ц', 'c'),
        ('ч', 'c'),
        ('ш', 's'),
        ('щ', 's'),
        ('ы', 'y'),
        ('э', 'e'),
        ('ю', 'u'),
        ('я', 'a'),
    ];
    MAP.iter().find(|(k, _)| *k == lower).map(|(_, v)| *v)
}

/// `t` plus `minutes`, saturating at the end of the calendar (no panic on odd clocks).
#[must_use]
pub fn plus_minutes(t: NaiveDateTime, minutes: i64) -> NaiveDateTime {
    Duration::try_minutes(minutes)
        .and_then(|d| t.checked_add_signed(d))
        .unwrap_or(NaiveDateTime::MAX)
}

/// `d` plus `days`, saturating.
#[must_use]
pub fn plus_days(d: NaiveDate, days: i32) -> NaiveDate {
    d.checked_add_signed(Duration::days(i64::from(days)))
        .unwrap_or(NaiveDate::MAX)
}

/// `date` at `h:m`.
fn at(date: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
    date.and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN))
}

impl Store {
    /// A new DPD order number for a number assigned at `now` (see the module docs).
    pub fn next_order_number(&mut self, now: NaiveDateTime, sender_city: &str) -> String {
        let day = now.date();
        let seq = self.seq_by_day.entry(day).or_insert(0);
        *seq += 1;
        format!(
            "{:02}{:02}{:04}{}",
            day.month(),
            day.day(),
            *seq % 10_000,
            city_code(sender_city)
        )
    }

    /// A new DPD parcel number.
    pub fn next_parcel_number(&mut self) -> String {
        self.parcel_seq += 1;
        format!("{}", 30_000_000 + self.parcel_seq)
    }

    /// Resolves pending orders whose time has come (lazy: called before every access).
    pub fn refresh(&mut self, now: NaiveDateTime, world: &World) {
        for i in 0..self.orders.len() {
            let Some(order) = self.orders.get(i) else {
                continue;
            };
            let Creation::Pending { resolve_at, fails } = &order.creation else {
                continue;
            };
            if *resolve_at > now || order.cancelled {
                continue;
            }
            let (resolve_at, fails) = (*resolve_at, fails.clone());
            match fails {
                Some(message) => {
                    if let Some(o) = self.orders.get_mut(i) {
                        o.creation = Creation::Error(message);
                    }
                }
                None => {
                    let city = order.sender.city.clone();
                    let number = self.next_order_number(resolve_at, &city);
                    if let Some(o) = self.orders.get_mut(i) {
                        o.number = Some(number);
                        o.creation = Creation::Ok;
                        plan(o, resolve_at, world);
                    }
                }
            }
        }
    }

    /// Orders whose DPD number or (while it has none) client number is `num`.
    pub fn find_by_number(&self, num: &str) -> Option<usize> {
        let num = num.trim();
        self.orders
            .iter()
            .position(|o| o.number.as_deref() == Some(num))
    }

    /// Minutes from `now` to the next planned transition or pending resolution, if any.
    #[must_use]
    pub fn next_event_in(&self, now: NaiveDateTime) -> Option<u64> {
        let mut next: Option<NaiveDateTime> = None;
        for o in &self.orders {
            let t = match &o.creation {
                Creation::Pending { resolve_at, .. } if !o.cancelled => Some(*resolve_at),
                Creation::Ok => o.events.iter().map(|e| e.0).find(|t| *t > now),
                _ => None,
            };
            if let Some(t) = t.filter(|t| *t > now) {
                next = Some(next.map_or(t, |n: NaiveDateTime| n.min(t)));
            }
        }
        next.map(|t| u64::try_from((t - now).num_minutes().max(1)).unwrap_or(1))
    }
}

/// Plans the timeline of `order`, numbered at `t0` (see the module docs).
pub fn plan(order: &mut OrderRec, t0: NaiveDateTime, world: &World) {
    let self_pickup = order.service_variant.starts_with('Т');
    let self_delivery = order.service_variant.ends_with('Т');
    let km = match (
        order.sender.city_idx.and_then(|i| world.cities.get(i)),
        order.receiver.city_idx.and_then(|i| world.cities.get(i)),
    ) {
        (Some(a), Some(b)) => distance_km(a, b),
        _ => 500.0,
    };
    let (cost, days) = crate::calculator::tariff(
        km,
        &order.service_code,
        order.cargo_weight,
        order.cargo_volume.unwrap_or(0.0),
        self_pickup,
        self_delivery,
        order.cargo_value,
    )
    .unwrap_or((0.0, 3));
    order.cost = cost;
    order.days = days.max(1);
    let mut events = vec![(t0, ParcelState::NewOrderByClient)];
    let hour = if order.pickup_period == "13-18" {
        14
    } else {
        10
    };
    let pickup = at(order.date_pickup, hour, 0).max(plus_minutes(t0, 30));
    events.push((pickup, ParcelState::OnTerminalPickup));
    let road = plus_minutes(pickup, 4 * 60);
    events.push((road, ParcelState::OnRoad));
    let mut last = road;
    if order.days >= 2 {
        last = plus_minutes(road, 12 * 60);
        events.push((last, ParcelState::OnTerminal));
    }
    let day = plus_days(order.date_pickup, order.days);
    let terminal = at(day, 7, 0).max(plus_minutes(last, 60));
    events.push((terminal, ParcelState::OnTerminalDelivery));
    if self_delivery {
        let done = at(terminal.date(), 16, 0).max(plus_minutes(terminal, 60));
        events.push((done, ParcelState::Delivered));
    } else {
        let out = plus_minutes(terminal, 2 * 60);
        events.push((out, ParcelState::Delivering));
        let (h, m) = match order.delivery_period.as_str() {
            "9-13" => (11, 0),
            "13-18" => (15, 0),
            "18-21" => (19, 30),
            _ => (13, 0),
        };
        let done = at(out.date(), h, m).max(plus_minutes(out, 60));
        events.push((done, ParcelState::Delivered));
    }
    order.events = events;
}
