//! CDEK's (СДЭК) integration protocol v1.5, served over the HTTP-binding dispatchers
//! generated from `wsdl/cdek` (`IntegrationServer`, `ReferencesServer`, `CalculatorServer`).
//!
//! Paths are CDEK's, relative to the sandbox root: the integration and reference operations
//! at `/<location>` (e.g. `/new_orders.php`, `/pvzlist/v1/xml`) and the calculator under
//! `/calculator/` (so `Environment::Custom { integration: "http://addr/", calculator:
//! "http://addr/calculator/" }`). The rules follow `docs/cdek-facts.md`:
//! - authorised documents carry `Account` and `Secure = md5(Date + "&" + password)`
//!   ([`Config::cdek_account`](crate::Config::cdek_account)); anything else gets `ERR_AUTH`
//!   (empty `Msg`) with HTTP 500, as CDEK's gateway answers;
//! - orders get waybill numbers (`DispatchNumber`) from 1 100 000 001 on, per-order errors are
//!   mixed with successes in one `response`;
//! - statuses advance with the simulated clock ([`State::now`](crate::State::now)), see
//!   [`STATUS_TIMELINE`]; only orders still in status 1 «Создан» (created) can be deleted;
//! - pickup points, regions and cities come from the sandbox's [`World`](crate::World);
//! - the calculator prices by distance, chargeable weight and tariff.

mod calculator;
mod integration;
mod references;

use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};

use soap_runtime::server::axum_http_router;

use crate::generated::cdek_integration as g;
use crate::State;

/// CDEK's mutable state: orders, their statuses, courier calls.
#[derive(Debug, Default)]
pub struct CdekState {
    inner: Mutex<Book>,
}

impl CdekState {
    fn book(&self) -> MutexGuard<'_, Book> {
        // A panic while holding the lock cannot leave the book half-written in a way that
        // matters to a test double, so a poisoned lock is used as it is.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Number of orders ever created (deleted ones included).
    pub fn order_count(&self) -> usize {
        self.book().orders.len()
    }
}

/// Everything CDEK remembers.
#[derive(Debug, Default)]
struct Book {
    orders: Vec<Order>,
    calls: Vec<CourierCallRecord>,
    schedules: u32,
    pre_alerts: u32,
}

/// One order as CDEK keeps it.
#[derive(Debug, Clone)]
struct Order {
    /// The shop's number (`Number`).
    number: String,
    /// Number and date of the acceptance act (the request document) it came in.
    act_number: String,
    act_date: String,
    /// CDEK's waybill number.
    dispatch_number: i64,
    /// When it was created (simulated time).
    created: NaiveDateTime,
    /// When it was deleted.
    deleted: Option<NaiveDateTime>,
    send_city: i32,
    rec_city: i32,
    tariff: i32,
    recipient_name: String,
    phone: String,
    pvz_code: Option<String>,
    street: Option<String>,
    house: Option<String>,
    /// (number, barcode, grams, sizes in cm)
    packages: Vec<Package>,
    /// Declared value and cash on delivery (sums over items).
    declared: f64,
    cod: f64,
    /// Additional services ordered.
    services: Vec<i32>,
    /// The last change (creation, update, schedule).
    changed: NaiveDateTime,
}

#[derive(Debug, Clone)]
struct Package {
    number: String,
    bar_code: String,
    grams: i64,
    size: Option<(i32, i32, i32)>,
    items: Vec<(String, String, f64, f64, i32, i32)>,
}

#[derive(Debug, Clone)]
struct CourierCallRecord {
    number: u64,
    date: String,
    city: i32,
    street: String,
    house: String,
}

/// A status code, its Russian name, and the minutes after creation it is reached at.
/// Pickup-point tariffs end with 12 «Принят на склад до востребования» before 4 «Вручен».
pub const STATUS_TIMELINE: &[(i32, &str, u64)] = &[
    (1, "Создан", 0),
    (3, "Принят на склад отправителя", 60),
    (6, "Выдан на отправку в г.-отправителе", 120),
    (7, "Сдан перевозчику в г.-отправителе", 180),
    (8, "Отправлен в г.-получатель", 240),
    (9, "Встречен в г.-получателе", 600),
    (10, "Принят на склад доставки", 660),
    (11, "Выдан на доставку", 720),
    (4, "Вручен", 900),
];

/// The status name of code 2 «Удален» (deleted).
const DELETED: (i32, &str) = (2, "Удален");
/// Status 12 «Принят на склад до востребования» (held for collection), for ПВЗ tariffs.
const HELD: (i32, &str) = (12, "Принят на склад до востребования");

impl Order {
    /// Whether the receiver collects at a ПВЗ (pickup point) rather than at the door.
    fn to_pvz(&self) -> bool {
        calculator::tariff(self.tariff).is_some_and(|t| !t.to_door)
    }

    /// The status history as of `now`: (code, name, when, CDEK city code).
    fn history(&self, now: NaiveDateTime) -> Vec<(i32, &'static str, NaiveDateTime, i32)> {
        let mut out = Vec::new();
        for &(code, name, after) in STATUS_TIMELINE {
            let at = self.created + Duration::minutes(i64::try_from(after).unwrap_or(0));
            if self.deleted.is_some_and(|d| d < at) || at > now {
                break;
            }
            let (code, name) = if code == 11 && self.to_pvz() {
                HELD
            } else {
                (code, name)
            };
            let city = if after >= 600 {
                self.rec_city
            } else {
                self.send_city
            };
            out.push((code, name, at, city));
        }
        if let Some(d) = self.deleted.filter(|&d| d <= now) {
            out.push((DELETED.0, DELETED.1, d, self.send_city));
        }
        out
    }

    /// The current status code as of `now`.
    fn status(&self, now: NaiveDateTime) -> i32 {
        self.history(now).last().map_or(1, |s| s.0)
    }

    /// Total weight in grams.
    fn grams(&self) -> i64 {
        self.packages.iter().map(|p| p.grams).sum()
    }

    /// Chargeable weight in kg: the larger of actual and volumetric (A·B·C/5000).
    fn chargeable_kg(&self) -> f64 {
        let volumetric: f64 = self
            .packages
            .iter()
            .filter_map(|p| p.size)
            .map(|(a, b, c)| f64::from(a) * f64::from(b) * f64::from(c) / 5000.0)
            .sum();
        (self.grams() as f64 / 1000.0).max(volumetric)
    }
}

// ---------------------------------------------------------------------------------------
// Time: the simulated clock (`State::now`, Moscow local time) as CDEK writes dates.
// ---------------------------------------------------------------------------------------

/// `YYYY-MM-DDThh:mm:ss+03:00`, the form of CDEK's status dates.
fn date_time(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S+03:00").to_string()
}

/// `YYYY-MM-DD`.
fn date(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d").to_string()
}

/// A document date: `YYYY-MM-DD`, optionally with `Thh:mm[:ss]` or a space separator; a
/// zone suffix is ignored (CDEK's dates are Moscow time).
fn parse_date(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    let day = NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()?;
    let rest = s.get(10..).unwrap_or_default();
    if rest.is_empty() {
        return day.and_hms_opt(0, 0, 0);
    }
    let time = rest.strip_prefix(['T', ' '])?;
    let hms = time
        .get(..8)
        .filter(|t| t.len() == 8 && !t.contains(['+', 'Z']));
    let t = match hms {
        Some(t) => NaiveTime::parse_from_str(t, "%H:%M:%S").ok()?,
        None => NaiveTime::parse_from_str(time.get(..5)?, "%H:%M").ok()?,
    };
    Some(day.and_time(t))
}

// ---------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------

impl State {
    /// Whether `account`/`secure` sign `date` with the configured CDEK credentials
    /// (`Secure = md5(Date + "&" + password)`, computed as the real client does).
    fn cdek_auth(&self, date: &str, account: &str, secure: &str) -> bool {
        let expected = cdek_client::Credentials::new(
            self.config.cdek_account.clone(),
            self.config.cdek_password.clone(),
        )
        .secure(date);
        account == self.config.cdek_account && secure.trim().eq_ignore_ascii_case(&expected)
    }
}

/// CDEK city code of `World::cities[index]`: the real codes of the three biggest cities,
/// 1000 + index for the others.
fn city_code(index: usize) -> i32 {
    match index {
        0 => 44,
        1 => 137,
        2 => 270,
        i => 1000 + i32::try_from(i).unwrap_or(0),
    }
}

/// The `World::cities` index of CDEK city code `code`.
fn city_index(state: &State, code: i32) -> Option<usize> {
    (0..state.world.cities.len()).find(|&i| city_code(i) == code)
}

/// The postcode of `World::cities[index]` (one per city).
fn city_postcode(index: usize) -> String {
    format!("{:06}", 101_000 + index * 1000)
}

/// The city index of a postcode.
fn postcode_index(state: &State, postcode: &str) -> Option<usize> {
    (0..state.world.cities.len()).find(|&i| city_postcode(i) == postcode.trim())
}

/// A `response/Order` line with an error.
fn order_error(number: Option<&str>, code: &str, msg: impl Into<String>) -> g::ResponseChoice {
    g::ResponseChoice::Order(g::ResponseOrder {
        number: number.map(str::to_owned),
        error_code: Some(code.to_owned()),
        msg: Some(msg.into()),
        ..Default::default()
    })
}

/// A document-level line (`<DeliveryRequest ErrorCode=… Msg=…/>` and the like).
fn message(code: Option<&str>, msg: impl Into<String>) -> g::ResponseMessage {
    g::ResponseMessage {
        error_code: code.map(str::to_owned),
        msg: Some(msg.into()),
        ..Default::default()
    }
}

/// CDEK's endpoints on CDEK's paths.
pub(crate) fn router(state: &Arc<State>) -> axum::Router {
    axum_http_router(
        "/",
        Arc::new(g::IntegrationServer::new(Arc::new(
            integration::Integration(Arc::clone(state)),
        ))),
    )
    .merge(axum_http_router(
        "/",
        Arc::new(g::ReferencesServer::new(Arc::new(references::References(
            Arc::clone(state),
        )))),
    ))
    .merge(axum_http_router(
        "/calculator",
        Arc::new(g::CalculatorServer::new(Arc::new(calculator::Calculator(
            Arc::clone(state),
        )))),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_dates() {
        let t = |s: &str| parse_date(s).map(date_time);
        assert_eq!(
            t("2026-12-01").as_deref(),
            Some("2026-12-01T00:00:00+03:00")
        );
        assert_eq!(
            t("2026-12-01T09:30:15").as_deref(),
            Some("2026-12-01T09:30:15+03:00")
        );
        assert_eq!(
            t("2026-12-01 09:30").as_deref(),
            Some("2026-12-01T09:30:00+03:00")
        );
        assert_eq!(
            t("2026-12-01T09:30:00+03:00").as_deref(),
            Some("2026-12-01T09:30:00+03:00")
        );
        assert_eq!(t("01.12.2026"), None);
        assert_eq!(t(""), None);
    }
}
