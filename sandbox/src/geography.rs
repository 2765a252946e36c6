//! geography2: cities with cash on delivery, self-delivery terminals, parcel shops.

use std::sync::Arc;

use soap_runtime::server::ServerFault;
use soap_runtime::types::Decimal;

use crate::generated::dpd_geography2_service as g;
use crate::world::Shop;
use crate::State;

/// The geography2 implementation.
pub(crate) struct Geography(pub(crate) Arc<State>);

type Res<T> = Result<T, ServerFault<g::DpdGeography2Fault>>;

fn ws_fault(code: &str, message: &str) -> ServerFault<g::DpdGeography2Fault> {
    crate::fault(
        g::DpdGeography2Fault::WsFault(g::WsFault {
            code: Some(code.to_owned()),
            message: Some(message.to_owned()),
        }),
        message,
    )
}

impl Geography {
    fn auth(&self, auth: Option<&g::Auth>) -> Res<()> {
        let Some(a) = auth else {
            return Err(ws_fault(
                "required-value",
                "Не заданы значения обязательных полей",
            ));
        };
        self.0
            .check_auth(a.client_number, &a.client_key)
            .map_err(|(code, msg)| ws_fault(code, &msg))
    }

    fn address(&self, s: &Shop) -> g::Address {
        let city = self.0.world.cities.get(s.city);
        g::Address {
            city_id: city.map(|c| c.id),
            country_code: Some("RU".into()),
            region_code: city.map(|c| c.region_code.to_string()),
            region_name: city.map(|c| c.region_name.clone()),
            city_code: city.map(|c| c.code.clone()),
            city_name: city.map(|c| c.name.clone()),
            street: Some(s.street.clone()),
            street_abbr: Some("ул".into()),
            house_no: Some(s.house.clone()),
            country_name: Some("Россия".into()),
            ..Default::default()
        }
    }
}

fn coords(s: &Shop) -> g::GeoCoordinates {
    g::GeoCoordinates {
        latitude: Decimal::from_f64((s.lat * 1e6).round() / 1e6),
        longitude: Decimal::from_f64((s.lon * 1e6).round() / 1e6),
    }
}

impl g::DpdGeography2Service for Geography {
    async fn get_cities_cash_pay(
        &self,
        request: g::GetCitiesCashPay,
    ) -> Res<g::GetCitiesCashPayResponse> {
        let req = request.request;
        self.auth(req.as_ref().map(|r| &r.auth))?;
        let cities = self
            .0
            .world
            .cities
            .iter()
            .filter(|c| c.cash_pay)
            .map(|c| g::City {
                city_id: Some(c.id),
                country_code: Some("RU".into()),
                country_name: Some("Россия".into()),
                region_code: Some(c.region_code),
                region_name: Some(c.region_name.clone()),
                city_code: Some(c.code.clone()),
                city_name: Some(c.name.clone()),
                abbreviation: Some("г".into()),
                ..Default::default()
            })
            .collect();
        Ok(g::GetCitiesCashPayResponse { r#return: cities })
    }

    async fn get_terminals_self_delivery2(
        &self,
        request: g::GetTerminalsSelfDelivery2,
    ) -> Res<g::GetTerminalsSelfDelivery2Response> {
        self.auth(request.auth.as_ref())?;
        let terminals = self
            .0
            .world
            .shops
            .iter()
            .filter(|s| s.kind == "Т")
            .map(|s| {
                soap_runtime::types::Nillable::Value(g::TerminalSelf {
                    terminal_code: Some(s.code.clone()),
                    terminal_name: Some(format!("Терминал {}", s.code)),
                    address: Some(self.address(s)),
                    geo_coordinates: Some(coords(s)),
                    ..Default::default()
                })
            })
            .collect();
        Ok(g::GetTerminalsSelfDelivery2Response {
            r#return: Some(g::SelfTerminals {
                terminal: terminals,
            }),
        })
    }

    async fn get_parcel_shops(&self, request: g::GetParcelShops) -> Res<g::GetParcelShopsResponse> {
        let Some(req) = request.request else {
            return Err(ws_fault(
                "required-value",
                "Не заданы значения обязательных полей",
            ));
        };
        self.auth(Some(&req.auth))?;
        let world = &self.0.world;
        let shops = world
            .shops
            .iter()
            .filter(|s| s.kind == "П")
            .filter(|s| {
                let Some(c) = world.cities.get(s.city) else {
                    return false;
                };
                // cityName counts only without cityCode (guide §1.5.4).
                req.region_code
                    .as_deref()
                    .is_none_or(|r| r == c.region_code.to_string())
                    && req.city_code.as_deref().is_none_or(|code| code == c.code)
                    && (req.city_code.is_some()
                        || req
                            .city_name
                            .as_deref()
                            .is_none_or(|n| n.eq_ignore_ascii_case(&c.name) || n == c.name))
            })
            .map(|s| {
                soap_runtime::types::Nillable::Value(g::ParcelShop {
                    code: Some(s.code.clone()),
                    parcel_shop_type: Some("ПВП".into()),
                    state: Some("Open".into()),
                    address: Some(self.address(s)),
                    brand: Some("DPD Pickup".into()),
                    geo_coordinates: Some(coords(s)),
                    ..Default::default()
                })
            })
            .collect();
        Ok(g::GetParcelShopsResponse {
            r#return: Some(g::DpdParcelShops { parcel_shop: shops }),
        })
    }

    async fn get_storage_period(
        &self,
        request: g::GetStoragePeriod,
    ) -> Res<g::GetStoragePeriodResponse> {
        let _ = request;
        Err(ws_fault("system-error", "Not implemented by the sandbox"))
    }

    async fn get_possible_extra_service(
        &self,
        request: g::GetPossibleExtraService,
    ) -> Res<g::GetPossibleExtraServiceResponse> {
        let _ = request;
        Err(ws_fault("system-error", "Not implemented by the sandbox"))
    }
}
