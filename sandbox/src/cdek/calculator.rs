//! The JSON cost calculator (`CalculatorService`): `calculate_price_by_json.php` and
//! `calculate_tarifflist.php` over a small tariff model (distance, chargeable weight, door
//! or warehouse at each end), with CDEK's error codes (§6 of the protocol).

use std::sync::Arc;

use chrono::{Duration, NaiveDate};
use soap_runtime::server::{HttpFault, RequestError};
use soap_runtime::types::Decimal;

use super::{city_index, postcode_index};
use crate::generated::cdek_integration as g;
use crate::world::{distance_km, City};
use crate::State;

/// The calculator port's implementation.
pub(crate) struct Calculator(pub(crate) Arc<State>);

type Res<T> = Result<T, HttpFault>;

/// One tariff of the sandbox's model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Tariff {
    /// Tariff code (`TariffTypeCode`, `tariffId`).
    pub(crate) code: i32,
    /// CDEK's name.
    pub(crate) name: &'static str,
    /// Picked up at the sender's door (else handed in at a warehouse).
    pub(crate) from_door: bool,
    /// Delivered to the door (else collected at a ПВЗ).
    pub(crate) to_door: bool,
    /// Heaviest chargeable weight, kg.
    pub(crate) max_kg: f64,
    /// Only with a contract (an authorised request): the e-shop tariffs 136-139.
    pub(crate) contract: bool,
    /// Base price, price per km, price per kg above the first.
    rates: (f64, f64, f64),
    /// Extra days over the distance-based minimum.
    extra_days: i32,
}

impl Tariff {
    /// CDEK's delivery mode: 1 door-door, 2 door-warehouse, 3 warehouse-door,
    /// 4 warehouse-warehouse.
    pub(crate) fn mode(&self) -> i32 {
        match (self.from_door, self.to_door) {
            (true, true) => 1,
            (true, false) => 2,
            (false, true) => 3,
            (false, false) => 4,
        }
    }
}

/// A tariff; `ends` = (from the door, to the door).
const fn t(
    code: i32,
    name: &'static str,
    ends: (bool, bool),
    max_kg: f64,
    contract: bool,
    rates: (f64, f64, f64),
    extra_days: i32,
) -> Tariff {
    Tariff {
        code,
        name,
        from_door: ends.0,
        to_door: ends.1,
        max_kg,
        contract,
        rates,
        extra_days,
    }
}

/// The tariffs the sandbox knows (a subset of §5.1).
const TARIFFS: &[Tariff] = &[
    t(
        1,
        "Экспресс лайт дверь-дверь",
        (true, true),
        30.0,
        false,
        (420.0, 0.18, 60.0),
        0,
    ),
    t(
        3,
        "Супер-экспресс до 18",
        (true, true),
        30.0,
        false,
        (1100.0, 0.30, 120.0),
        -1,
    ),
    t(
        10,
        "Экспресс лайт склад-склад",
        (false, false),
        30.0,
        false,
        (300.0, 0.18, 60.0),
        0,
    ),
    t(
        11,
        "Экспресс лайт склад-дверь",
        (false, true),
        30.0,
        false,
        (360.0, 0.18, 60.0),
        0,
    ),
    t(
        12,
        "Экспресс лайт дверь-склад",
        (true, false),
        30.0,
        false,
        (360.0, 0.18, 60.0),
        0,
    ),
    t(
        15,
        "Экспресс тяжеловесы склад-склад",
        (false, false),
        1000.0,
        false,
        (1500.0, 0.25, 25.0),
        1,
    ),
    t(
        16,
        "Экспресс тяжеловесы склад-дверь",
        (false, true),
        1000.0,
        false,
        (1650.0, 0.25, 25.0),
        1,
    ),
    t(
        17,
        "Экспресс тяжеловесы дверь-склад",
        (true, false),
        1000.0,
        false,
        (1650.0, 0.25, 25.0),
        1,
    ),
    t(
        18,
        "Экспресс тяжеловесы дверь-дверь",
        (true, true),
        1000.0,
        false,
        (1800.0, 0.25, 25.0),
        1,
    ),
    t(
        136,
        "Посылка склад-склад",
        (false, false),
        30.0,
        true,
        (250.0, 0.12, 40.0),
        1,
    ),
    t(
        137,
        "Посылка склад-дверь",
        (false, true),
        30.0,
        true,
        (370.0, 0.12, 40.0),
        1,
    ),
    t(
        138,
        "Посылка дверь-склад",
        (true, false),
        30.0,
        true,
        (370.0, 0.12, 40.0),
        1,
    ),
    t(
        139,
        "Посылка дверь-дверь",
        (true, true),
        30.0,
        true,
        (490.0, 0.12, 40.0),
        1,
    ),
    t(
        233,
        "Экономичная посылка склад-дверь",
        (false, true),
        50.0,
        false,
        (320.0, 0.08, 30.0),
        3,
    ),
    t(
        234,
        "Экономичная посылка склад-склад",
        (false, false),
        50.0,
        false,
        (200.0, 0.08, 30.0),
        3,
    ),
];

/// The tariff with `code`.
pub(crate) fn tariff(code: i32) -> Option<&'static Tariff> {
    TARIFFS.iter().find(|t| t.code == code)
}

/// Price (RUB, whole) and the shortest and longest period (days) of `t` from `a` to `b` for
/// `kg` chargeable kilograms.
pub(crate) fn quote(t: &Tariff, a: &City, b: &City, kg: f64) -> (f64, i32, i32) {
    let km = distance_km(a, b);
    let (base, per_km, per_kg) = t.rates;
    let price = (base + per_km * km + per_kg * (kg - 1.0).max(0.0)).round();
    // At most a few thousand km: the cast cannot overflow.
    let min = (1 + (km / 700.0) as i32 + t.extra_days).max(1);
    (price, min, min + 2)
}

/// The price of an additional service other than insurance (a flat fee per service).
pub(crate) fn service_price(code: i32) -> f64 {
    match code {
        3 => 300.0,
        5 | 6 => 500.0,
        7 => 900.0,
        24 | 25 => 50.0,
        27 => 15.0,
        30 | 31 | 36 | 37 => 100.0,
        _ => 150.0,
    }
}

/// The name of an additional service (§5.3), for the calculator's `services[].title`.
fn service_title(code: i32) -> &'static str {
    match code {
        2 => "Страхование",
        3 => "Доставка в выходной день",
        5 => "Тяжелый груз",
        6 => "Негабаритный груз",
        7 => "Опасный груз",
        24 => "Упаковка 1",
        25 => "Упаковка 2",
        27 => "СМС уведомление",
        30 => "Примерка на дому",
        31 => "Доставка лично в руки",
        36 => "Частичная доставка",
        37 => "Осмотр вложения",
        _ => "Прочее",
    }
}

fn error(code: i32, text: &str) -> g::CalcError {
    g::CalcError {
        code: code.to_string(),
        text: text.to_owned(),
    }
}

/// Numbers as CDEK prints them: whole values without decimals, others with two.
fn num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

fn decimal(d: &Decimal) -> f64 {
    d.to_f64()
}

/// A checked request: route, chargeable weight, authorisation, shipping date.
struct Checked<'s> {
    from: &'s City,
    to: &'s City,
    kg: f64,
    authorised: bool,
    day: NaiveDate,
}

impl Calculator {
    fn city(
        &self,
        id: Option<i32>,
        postcode: Option<&str>,
        missing: (i32, &str),
        unknown_postcode: (i32, &str),
    ) -> Result<&City, g::CalcError> {
        let index = match (id, postcode.filter(|p| !p.trim().is_empty())) {
            (Some(id), _) => city_index(&self.0, id).ok_or_else(|| error(missing.0, missing.1))?,
            (None, Some(p)) => postcode_index(&self.0, p)
                .ok_or_else(|| error(unknown_postcode.0, unknown_postcode.1))?,
            (None, None) => return Err(error(missing.0, missing.1)),
        };
        self.0
            .world
            .cities
            .get(index)
            .ok_or_else(|| error(missing.0, missing.1))
    }

    /// The request-level checks, in CDEK's order.
    fn check(&self, r: &g::CalculatorRequest) -> Result<Checked<'_>, g::CalcError> {
        if r.version.trim() != "1.0" {
            return Err(error(1, "Указанная вами версия API не поддерживается"));
        }
        let mut authorised = false;
        if r.auth_login.is_some() || r.secure.is_some() {
            let Some(day) = r.date_execute.as_deref().filter(|d| !d.trim().is_empty()) else {
                return Err(error(
                    9,
                    "При авторизации должна быть указана планируемая дата отправки",
                ));
            };
            let ok = self.0.cdek_auth(
                day,
                r.auth_login.as_deref().unwrap_or_default(),
                r.secure.as_deref().unwrap_or_default(),
            );
            if !ok {
                return Err(error(2, "Ошибка авторизации"));
            }
            authorised = true;
        }
        let day = match r.date_execute.as_deref().filter(|d| !d.trim().is_empty()) {
            None => self.0.now().date(),
            Some(d) => super::parse_date(d)
                .map(|d| d.date())
                .ok_or_else(|| error(11, "Неверный формат даты dateExecute"))?,
        };
        let from = self.city(
            r.sender_city_id,
            r.sender_city_post_code.as_deref(),
            (7, "Не задан город-отправитель"),
            (
                13,
                "Почтовый индекс города-отправителя отсутствует в базе СДЭК",
            ),
        )?;
        let to = self.city(
            r.receiver_city_id,
            r.receiver_city_post_code.as_deref(),
            (8, "Не задан город-получатель"),
            (
                15,
                "Почтовый индекс города-получателя отсутствует в базе СДЭК",
            ),
        )?;
        if r.goods.is_empty() {
            return Err(error(5, "Не задано ни одного места для отправления"));
        }
        let mut kg = 0.0;
        for goods in &r.goods {
            let weight = decimal(&goods.weight);
            let volumetric = match (goods.length, goods.width, goods.height, &goods.volume) {
                (Some(l), Some(w), Some(h), _) if l > 0 && w > 0 && h > 0 => {
                    f64::from(l) * f64::from(w) * f64::from(h) / 5000.0
                }
                (None, None, None, Some(v)) if decimal(v) > 0.0 => decimal(v) * 200.0,
                (None, None, None, None) => 0.0,
                _ => return Err(error(4, "Ошибка при передаче параметров места")),
            };
            if weight <= 0.0 {
                return Err(error(4, "Ошибка при передаче параметров места: вес"));
            }
            kg += weight.max(volumetric);
        }
        if r.tariff_id.is_none() && r.tariff_list.is_empty() {
            return Err(error(6, "Не задан тариф или список тарифов"));
        }
        if r.mode_id.is_some_and(|m| !(1..=4).contains(&m)) {
            return Err(error(10, "Задан неверный режим доставки"));
        }
        Ok(Checked {
            from,
            to,
            kg,
            authorised,
            day,
        })
    }

    /// Why tariff `code` cannot carry `c`, or the tariff.
    fn usable(code: i32, c: &Checked<'_>) -> Result<&'static Tariff, g::CalcError> {
        let t = tariff(code).ok_or_else(|| error(3, "Тариф не найден"))?;
        if t.contract && !c.authorised {
            return Err(error(
                3,
                "Тариф доступен только по договору: передайте authLogin и secure",
            ));
        }
        if c.kg > t.max_kg {
            return Err(error(
                3,
                "Невозможно осуществить доставку по этому направлению при заданных условиях",
            ));
        }
        Ok(t)
    }

    fn result(t: &Tariff, c: &Checked<'_>, services: &[g::CalcServiceRequest]) -> g::CalcResult {
        let (price, min, max) = quote(t, c.from, c.to, c.kg);
        let services = services
            .iter()
            .map(|s| {
                if s.id == 2 {
                    let value = s.param.as_ref().map_or(0.0, decimal);
                    g::CalcServicePrice {
                        id: "2".to_owned(),
                        title: Some(service_title(2).to_owned()),
                        price: Some(num((value * 0.0075 * 100.0).round() / 100.0)),
                        rate: Some("0.75".to_owned()),
                    }
                } else {
                    g::CalcServicePrice {
                        id: s.id.to_string(),
                        title: Some(service_title(s.id).to_owned()),
                        price: Some(num(service_price(s.id))),
                        rate: None,
                    }
                }
            })
            .collect();
        g::CalcResult {
            price: Some(num(price)),
            delivery_period_min: Some(min.to_string()),
            delivery_period_max: Some(max.to_string()),
            delivery_date_min: Some(
                (c.day + Duration::days(i64::from(min)))
                    .format("%Y-%m-%d")
                    .to_string(),
            ),
            delivery_date_max: Some(
                (c.day + Duration::days(i64::from(max)))
                    .format("%Y-%m-%d")
                    .to_string(),
            ),
            tariff_id: Some(t.code.to_string()),
            cash_on_delivery: (!c.to.cash_pay).then(|| "0".to_owned()),
            price_by_currency: c.authorised.then(|| num(price)),
            currency: Some("RUB".to_owned()),
            percent_vat: c.authorised.then(|| "20".to_owned()),
            services,
        }
    }
}

impl g::CalculatorService for Calculator {
    async fn calculate_price(&self, r: g::CalculatorRequest) -> Res<g::CalculatorResponse> {
        let failed = |e: g::CalcError| g::CalculatorResponse {
            result: None,
            error: vec![e],
        };
        let c = match self.check(&r) {
            Ok(c) => c,
            Err(e) => return Ok(failed(e)),
        };
        // tariffId wins; otherwise the list in ascending priority, filtered by modeId.
        let mut candidates: Vec<(i32, i32)> = match r.tariff_id {
            Some(id) => vec![(0, id)],
            None => r
                .tariff_list
                .iter()
                .map(|p| (p.priority.unwrap_or(i32::MAX), p.id))
                .filter(|(_, id)| {
                    r.mode_id
                        .is_none_or(|m| tariff(*id).is_some_and(|t| t.mode() == m))
                })
                .collect(),
        };
        candidates.sort_by_key(|&(priority, _)| priority);
        let mut last = error(
            3,
            "Невозможно осуществить доставку по этому направлению при заданных условиях",
        );
        for (_, id) in candidates {
            match Self::usable(id, &c) {
                Ok(t) => {
                    return Ok(g::CalculatorResponse {
                        result: Some(Self::result(t, &c, &r.services)),
                        error: Vec::new(),
                    })
                }
                Err(e) => last = e,
            }
        }
        Ok(failed(last))
    }

    async fn calculate_tariff_list(&self, r: g::CalculatorRequest) -> Res<g::TariffListResponse> {
        let c = match self.check(&r) {
            Ok(c) => c,
            Err(e) => {
                return Ok(g::TariffListResponse {
                    result: Vec::new(),
                    error: vec![e],
                })
            }
        };
        let ids: Vec<i32> = r
            .tariff_id
            .into_iter()
            .chain(r.tariff_list.iter().map(|p| p.id))
            .collect();
        let result = ids
            .into_iter()
            .map(|id| match Self::usable(id, &c) {
                Ok(t) => {
                    let full = Self::result(t, &c, &r.services);
                    g::CalcTariffListEntry {
                        tariff_id: id.to_string(),
                        status: true,
                        result: g::CalcTariffListResult {
                            price: full.price,
                            delivery_period_min: full.delivery_period_min,
                            delivery_period_max: full.delivery_period_max,
                            tariff_id: full.tariff_id,
                            price_by_currency: full.price_by_currency,
                            currency: full.currency,
                            percent_vat: full.percent_vat,
                            services: full.services,
                            ..Default::default()
                        },
                    }
                }
                Err(e) => g::CalcTariffListEntry {
                    tariff_id: id.to_string(),
                    status: false,
                    result: g::CalcTariffListResult {
                        errors: Some(e),
                        ..Default::default()
                    },
                },
            })
            .collect();
        Ok(g::TariffListResponse {
            result,
            error: Vec::new(),
        })
    }

    fn invalid_request(&self, error: RequestError) -> HttpFault {
        // CDEK answers an undecodable body with its code 12, as JSON, with 200.
        let body = format!(
            "{{\"error\":[{{\"code\":12,\"text\":{}}}]}}",
            soap_runtime::http::JsonValue::String(format!(
                "Невозможно прочитать данные, ожидается JSON: {}",
                error.message
            ))
        );
        HttpFault::raw(200, "application/json; charset=utf-8", body)
    }
}
