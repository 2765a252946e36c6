//! calculator2: the tariff model and DPD's city-resolution faults.

use std::sync::Arc;

use soap_runtime::server::ServerFault;
use soap_runtime::types::Nillable;

use crate::generated::dpd_calculator_service as c;
use crate::world::{distance_km, City};
use crate::State;

/// The calculator2 implementation.
pub(crate) struct Calculator(pub(crate) Arc<State>);

type Res<T> = Result<T, ServerFault<c::DpdCalculatorFault>>;

/// (code, name, price factor, base days, door-to-door only).
const SERVICES: &[(&str, &str, f64, i32)] = &[
    ("ECN", "DPD ECONOMY", 0.8, 3),
    ("CUR", "DPD CLASSIC", 1.0, 2),
    ("CSM", "DPD CONSUMER", 0.9, 3),
    ("NDY", "DPD EXPRESS", 1.6, 1),
    ("BZP", "DPD 18:00", 1.4, 1),
];

fn fault2(
    code: &str,
    message: &str,
    pickup: Vec<&City>,
    delivery: Vec<&City>,
) -> ServerFault<c::DpdCalculatorFault> {
    let dups = |v: Vec<&City>| {
        v.into_iter()
            .map(|city| {
                Nillable::Value(c::CityIndex {
                    city_id: Some(city.id),
                    country_code: Some("RU".into()),
                    country_name: Some("Россия".into()),
                    region_code: Some(city.region_code),
                    region_name: Some(city.region_name.clone()),
                    city_code: Some(city.code.clone()),
                    city_name: Some(city.name.clone()),
                    abbreviation: Some("г".into()),
                    ..Default::default()
                })
            })
            .collect()
    };
    crate::fault(
        c::DpdCalculatorFault::ServiceCostFault2(c::ServiceCostFault2 {
            code: Some(code.to_owned()),
            message: Some(message.to_owned()),
            pickup_dups: dups(pickup),
            delivery_dups: dups(delivery),
        }),
        message,
    )
}

/// The route end named by `req`: `Err(dups)` when the name is ambiguous.
enum Resolved<'w> {
    One(&'w City),
    None,
    Many(Vec<&'w City>),
}

impl<'w> Resolved<'w> {
    fn dups(self) -> Vec<&'w City> {
        match self {
            Resolved::Many(v) => v,
            _ => Vec::new(),
        }
    }
}

fn resolve<'w>(state: &'w State, req: &c::CityRequest) -> Resolved<'w> {
    if let Some(id) = req.city_id {
        return state.world.city(id).map_or(Resolved::None, Resolved::One);
    }
    let Some(name) = req.city_name.as_deref() else {
        return Resolved::None;
    };
    let mut found = state.world.cities_named(name);
    if let Some(r) = req.region_code {
        found.retain(|c| c.region_code == r);
    }
    match found.len() {
        0 => Resolved::None,
        1 => found.first().copied().map_or(Resolved::None, Resolved::One),
        _ => Resolved::Many(found),
    }
}

/// Tariff inputs common to both calculator «2» operations.
struct Quote<'a> {
    auth: &'a c::Auth,
    pickup: &'a c::CityRequest,
    delivery: &'a c::CityRequest,
    self_pickup: bool,
    self_delivery: bool,
    weight: f64,
    volume: f64,
    service_code: Option<&'a str>,
    max_days: Option<i32>,
    max_cost: Option<f64>,
    declared_value: Option<f64>,
}

/// The tariff of `service` over `km`: `(cost, days)`, `None` for an unknown service code.
/// Shared with order2 (order cost, planned delivery date) and nl (report amounts).
#[allow(clippy::too_many_arguments)]
pub(crate) fn tariff(
    km: f64,
    service: &str,
    weight: f64,
    volume: f64,
    self_pickup: bool,
    self_delivery: bool,
    declared_value: Option<f64>,
) -> Option<(f64, i32)> {
    let &(_, _, factor, days) = SERVICES.iter().find(|s| s.0 == service)?;
    let band = match km {
        d if d < 50.0 => 0.0,
        d if d < 700.0 => 1.0,
        d if d < 2000.0 => 2.0,
        _ => 3.5,
    };
    // Volumetric weight: 200 kg per m³.
    let billed = weight.max(volume * 200.0);
    let mut cost = (250.0 + billed * (18.0 + 22.0 * band)) * factor;
    if !self_pickup {
        cost += 150.0;
    }
    if !self_delivery {
        cost += 180.0;
    }
    if let Some(v) = declared_value {
        cost += v * 0.0075;
    }
    Some(((cost * 100.0).round() / 100.0, days + band as i32))
}

/// Whether `code` is a service the sandbox knows (order2 answers error-value otherwise).
pub(crate) fn known_service(code: &str) -> bool {
    SERVICES.iter().any(|s| s.0 == code)
}

impl Calculator {
    // The fault is returned straight to the dispatcher once per call; boxing it buys nothing.
    #[allow(clippy::result_large_err)]
    fn quote(&self, q: &Quote<'_>) -> Res<Vec<c::ServiceCost>> {
        let state = &self.0;
        state
            .check_auth(q.auth.client_number, &q.auth.client_key)
            .map_err(|(code, msg)| fault2(code, &msg, vec![], vec![]))?;
        let (from, to) = match (resolve(state, q.pickup), resolve(state, q.delivery)) {
            (Resolved::One(a), Resolved::One(b)) => (a, b),
            (Resolved::None, _) | (_, Resolved::None) => {
                return Err(fault2("no-data-found", "Данные не найдены", vec![], vec![]))
            }
            (p, d) => {
                let (p, d) = (p.dups(), d.dups());
                return Err(fault2(
                    "too-many-rows",
                    "Найдено более одной записи данных",
                    p,
                    d,
                ));
            }
        };
        if q.weight <= 0.0 {
            return Err(fault2(
                "error-value",
                "Недопустимое значение поля",
                vec![],
                vec![],
            ));
        }
        let wanted: Option<Vec<&str>> = q.service_code.map(|s| {
            s.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect()
        });
        let km = distance_km(from, to);
        let mut out = Vec::new();
        for &(code, name, _, _) in SERVICES {
            if wanted.as_ref().is_some_and(|w| !w.contains(&code)) {
                continue;
            }
            let Some((cost, days)) = tariff(
                km,
                code,
                q.weight,
                q.volume,
                q.self_pickup,
                q.self_delivery,
                q.declared_value,
            ) else {
                continue;
            };
            let filtered = wanted.as_ref().is_none_or(|w| w.len() != 1);
            if filtered
                && (q.max_days.is_some_and(|m| days > m) || q.max_cost.is_some_and(|m| cost > m))
            {
                continue;
            }
            out.push(c::ServiceCost {
                service_code: Some(code.to_owned()),
                service_name: Some(name.to_owned()),
                cost: Some(cost),
                days: Some(days),
            });
        }
        if out.is_empty() {
            return Err(fault2(
                "no-service-available",
                "Невозможна услуга, удовлетворяющая запросу",
                vec![],
                vec![],
            ));
        }
        Ok(out)
    }
}

fn required() -> ServerFault<c::DpdCalculatorFault> {
    fault2(
        "required-value",
        "Не заданы значения обязательных полей",
        vec![],
        vec![],
    )
}

impl c::DpdCalculatorService for Calculator {
    async fn get_service_cost2(
        &self,
        request: c::GetServiceCost2,
    ) -> Res<c::GetServiceCost2Response> {
        let r = request.request.ok_or_else(required)?;
        let costs = self.quote(&Quote {
            auth: &r.auth,
            pickup: &r.pickup,
            delivery: &r.delivery,
            self_pickup: r.self_pickup,
            self_delivery: r.self_delivery,
            weight: r.weight,
            volume: r.volume.unwrap_or(0.0),
            service_code: r.service_code.as_deref(),
            max_days: r.max_days,
            max_cost: r.max_cost,
            declared_value: r.declared_value,
        })?;
        Ok(c::GetServiceCost2Response { r#return: costs })
    }

    async fn get_service_cost_by_parcels2(
        &self,
        request: c::GetServiceCostByParcels2,
    ) -> Res<c::GetServiceCostByParcels2Response> {
        let r = request.request.ok_or_else(required)?;
        let weight = r
            .parcel
            .iter()
            .map(|p| p.weight * f64::from(p.quantity.unwrap_or(1).max(1)))
            .sum();
        let volume = r
            .parcel
            .iter()
            .map(|p| {
                p.length * p.width * p.height / 1e6 * f64::from(p.quantity.unwrap_or(1).max(1))
            })
            .sum();
        let costs = self.quote(&Quote {
            auth: &r.auth,
            pickup: &r.pickup,
            delivery: &r.delivery,
            self_pickup: r.self_pickup,
            self_delivery: r.self_delivery,
            weight,
            volume,
            service_code: r.service_code.as_deref(),
            max_days: r.max_days,
            max_cost: r.max_cost,
            declared_value: r.declared_value,
        })?;
        Ok(c::GetServiceCostByParcels2Response { r#return: costs })
    }

    async fn get_service_cost_international(
        &self,
        request: c::GetServiceCostInternational,
    ) -> Res<c::GetServiceCostInternationalResponse> {
        let _ = request;
        Err(fault2(
            "no-service-available",
            "Невозможна услуга, удовлетворяющая запросу",
            vec![],
            vec![],
        ))
    }

    async fn get_service_cost(&self, request: c::GetServiceCost) -> Res<c::GetServiceCostResponse> {
        let _ = request;
        Err(fault2(
            "no-service-available",
            "Используйте getServiceCost2 (sandbox)",
            vec![],
            vec![],
        ))
    }

    async fn get_service_cost_by_parcels(
        &self,
        request: c::GetServiceCostByParcels,
    ) -> Res<c::GetServiceCostByParcelsResponse> {
        let _ = request;
        Err(fault2(
            "no-service-available",
            "Используйте getServiceCostByParcels2 (sandbox)",
            vec![],
            vec![],
        ))
    }
}
