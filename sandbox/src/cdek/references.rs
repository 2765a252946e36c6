//! The public references (`ReferencesService`): ПВЗ (pickup points), regions and cities, all
//! taken from the sandbox's [`World`](crate::World). No authentication, as at CDEK.

use std::sync::Arc;

use soap_runtime::server::{HttpFault, RequestError};

use super::{city_code, city_index, city_postcode, postcode_index};
use crate::generated::cdek_integration as g;
use crate::world::City;
use crate::State;

/// The references port's implementation.
pub(crate) struct References(pub(crate) Arc<State>);

type Fault = HttpFault<g::ReferencesFault>;
type Res<T> = Result<T, Fault>;

/// Latin prefixes of ПВЗ codes, one per `World` city in order (CDEK's codes look like
/// `MSK64`); other cities use `PVZ`.
const PREFIXES: &[&str] = &[
    "MSK", "SPB", "NSK", "EKB", "KZN", "NNV", "CHL", "SMR", "OMS", "RND", "UFA", "KRS", "VRN",
    "PRM", "VLG", "LBR", "ZHD", "ZHK", "VVO", "KGD",
];

/// One pickup point as the sandbox derives it from a `World` shop.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Point {
    pub(super) code: String,
    /// Index into `World::cities`.
    pub(super) city: usize,
    /// Index into `World::shops`.
    pub(super) shop: usize,
    pub(super) postomat: bool,
    pub(super) cash: bool,
    pub(super) cashless: bool,
    pub(super) cod: bool,
    pub(super) dressing_room: bool,
    /// Heaviest accepted parcel, kg (inclusive).
    pub(super) weight_max: f64,
}

/// Every pickup point: one per `World` shop (terminals included); every fifth parcel shop is a
/// parcel locker (постамат).
pub(super) fn points(state: &State) -> Vec<Point> {
    state
        .world
        .shops
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let postomat = s.kind == "П" && i % 5 == 4;
            let cash = !postomat && i % 3 != 0;
            let cashless = i % 7 != 0;
            let city_cod = state.world.cities.get(s.city).is_some_and(|c| c.cash_pay);
            Point {
                code: format!("{}{i}", PREFIXES.get(s.city).copied().unwrap_or("PVZ")),
                city: s.city,
                shop: i,
                postomat,
                cash,
                cashless,
                cod: city_cod && (cash || cashless),
                dressing_room: !postomat && (s.kind == "Т" || i % 2 == 0),
                weight_max: if postomat { 20.0 } else { s.max_weight },
            }
        })
        .collect()
}

/// The pickup point with `code`.
pub(super) fn point(state: &State, code: &str) -> Option<Point> {
    points(state).into_iter().find(|p| p.code == code.trim())
}

/// CDEK's region code of a region with national code `ext` (ours: 1000 + ext).
fn region_code(ext: i32) -> i32 {
    1000 + ext
}

/// (name, kind abbreviation) of a `World` region name such as «Новосибирская обл.».
fn region_parts(name: &str) -> (String, &'static str) {
    let name = name.trim();
    for (suffix, prefix) in [(" обл.", "обл"), (" респ.", "респ"), (" край", "край")]
    {
        if let Some(n) = name.strip_suffix(suffix) {
            return (n.to_owned(), prefix);
        }
    }
    (name.to_owned(), "г")
}

/// A flag in CDEK's mixed spellings: «есть»/«нет» for some attributes, `true`/`false` for
/// others (both occur in one real document).
fn flag(v: bool, russian: bool) -> String {
    match (v, russian) {
        (true, true) => "есть",
        (false, true) => "нет",
        (true, false) => "true",
        (false, false) => "false",
    }
    .to_owned()
}

fn coordinate(v: f64) -> String {
    format!("{v:.6}")
}

/// A deterministic UUID-like identifier.
fn uuid(kind: u32, n: i64) -> String {
    format!("{kind:08x}-0000-4000-8000-{n:012x}")
}

/// The JSON error of the 2019 gateway (status 400).
fn bad_request(path: &str, message: String) -> Fault {
    HttpFault::new(
        400,
        g::ReferencesFault::JsonGatewayError(g::JsonGatewayError {
            timestamp: Some("2026-12-01T09:00:00.000+0000".to_owned()),
            path: Some(path.to_owned()),
            status: Some(400),
            error: Some("Bad Request".to_owned()),
            message: Some(message),
        }),
    )
}

/// `items` cut to page `page` of `size` (CDEK's pages start at 0).
fn paginate<T>(items: Vec<T>, page: Option<i32>, size: Option<i32>, path: &str) -> Res<Vec<T>> {
    if page.is_some_and(|p| p < 0) || size.is_some_and(|s| s <= 0) {
        return Err(bad_request(
            path,
            "page must be ≥ 0 and size > 0".to_owned(),
        ));
    }
    let Some(size) = size.and_then(|s| usize::try_from(s).ok()) else {
        return Ok(items);
    };
    let page = page.and_then(|p| usize::try_from(p).ok()).unwrap_or(0);
    Ok(items
        .into_iter()
        .skip(page.saturating_mul(size))
        .take(size)
        .collect())
}

/// Whether `country` (ISO `RU` or CDEK's numeric `1`) is Russia, the sandbox's only country.
fn is_russia(country: Option<&str>) -> bool {
    country.is_none_or(|c| {
        matches!(
            c.trim().to_ascii_uppercase().as_str(),
            "RU" | "1" | "643" | ""
        )
    })
}

impl References {
    fn city(&self, index: usize) -> Option<&City> {
        self.0.world.cities.get(index)
    }

    fn pvz(&self, p: &Point) -> Option<g::Pvz> {
        let shop = self.0.world.shops.get(p.shop)?;
        let city = self.city(p.city)?;
        let address = format!("ул. {}, {}", shop.street, shop.house);
        Some(g::Pvz {
            code: Some(p.code.clone()),
            status: Some("ACTIVE".to_owned()),
            postal_code: Some(city_postcode(p.city)),
            name: Some(if p.postomat {
                format!("Постамат {}, {}", shop.street, shop.house)
            } else {
                format!("На {}", shop.street)
            }),
            country_code: Some("1".to_owned()),
            country_code_iso: Some("RU".to_owned()),
            country_name: Some("Россия".to_owned()),
            region_code: Some(region_code(city.region_code).to_string()),
            region_name: Some(city.region_name.clone()),
            city_code: Some(city_code(p.city).to_string()),
            city: Some(city.name.clone()),
            work_time: Some(
                if p.postomat {
                    "круглосуточно"
                } else {
                    "пн-пт 10-20, сб-вс 10-18"
                }
                .to_owned(),
            ),
            address: Some(address.clone()),
            full_address: Some(format!(
                "Россия, {}, {}, {address}",
                city.region_name, city.name
            )),
            phone: Some(format!("+7800250{:04}", p.shop % 10_000)),
            coord_x: Some(coordinate(shop.lon)),
            coord_y: Some(coordinate(shop.lat)),
            r#type: Some(if p.postomat { "POSTOMAT" } else { "PVZ" }.to_owned()),
            owner_code: Some("cdek".to_owned()),
            is_dressing_room: Some(flag(p.dressing_room, true)),
            have_cashless: Some(flag(p.cashless, false)),
            have_cash: Some(flag(p.cash, false)),
            allowed_cod: Some(flag(p.cod, true)),
            take_only: Some(flag(false, false)),
            is_handout: Some(flag(true, false)),
            is_reception: Some(flag(!p.postomat, false)),
            weight_limit: Some(g::PvzWeightLimit {
                weight_min: Some("0".to_owned()),
                weight_max: Some(format!("{}", p.weight_max)),
                ..Default::default()
            }),
            ..Default::default()
        })
    }
}

impl g::ReferencesService for References {
    async fn pvz_list(&self, q: g::PvzListParams) -> Res<g::PvzList> {
        // cityid wins over citypostcode; an unknown one matches nothing.
        let city = match (q.cityid, q.citypostcode.as_deref()) {
            (Some(id), _) if id != 0 => Some(city_index(&self.0, id)),
            (_, Some(pc)) if !pc.trim().is_empty() => Some(postcode_index(&self.0, pc)),
            _ => None,
        };
        let kind = q.r#type.clone().unwrap_or(g::PvzTypeFilter::Pvz);
        let russia =
            q.countryid.is_none_or(|c| c == 0 || c == 1) && is_russia(q.countryiso.as_deref());
        let region = q.regionid.filter(|&r| r != 0);
        let weight_max = q.weightmax.filter(|&w| w > 0);
        let pvz = points(&self.0)
            .into_iter()
            .filter(|_| russia)
            .filter(|p| city.is_none_or(|c| c == Some(p.city)))
            .filter(|p| match &kind {
                g::PvzTypeFilter::Postomat => p.postomat,
                g::PvzTypeFilter::All => true,
                _ => !p.postomat,
            })
            .filter(|p| {
                region.is_none_or(|r| {
                    self.city(p.city)
                        .is_some_and(|c| region_code(c.region_code) == r)
                })
            })
            .filter(|p| q.havecashless != Some(true) || p.cashless)
            .filter(|p| q.havecash != Some(true) || p.cash)
            .filter(|p| q.allowedcod != Some(true) || p.cod)
            .filter(|p| q.isdressingroom != Some(true) || p.dressing_room)
            .filter(|p| weight_max.is_none_or(|w| p.weight_max >= f64::from(w)))
            .filter(|_| q.takeonly != Some(true))
            .filter_map(|p| self.pvz(&p))
            .collect();
        Ok(g::PvzList {
            pvz,
            ..Default::default()
        })
    }

    async fn regions(&self, q: g::RegionsParams) -> Res<g::Regions> {
        let mut seen = std::collections::BTreeMap::new();
        for c in &self.0.world.cities {
            seen.entry(c.region_code)
                .or_insert_with(|| c.region_name.clone());
        }
        let all: Vec<g::Region> = seen
            .into_iter()
            .filter(|(ext, _)| q.region_code_ext.is_none_or(|r| r == *ext))
            .filter(|(ext, _)| q.region_code.is_none_or(|r| r == region_code(*ext)))
            .filter(|(ext, _)| {
                q.region_fias_guid
                    .as_deref()
                    .is_none_or(|g| g == uuid(0xF1A5, i64::from(*ext)))
            })
            .filter(|_| is_russia(q.country_code.as_deref()))
            .filter(|_| q.country_code_ext.is_none_or(|c| c == 643))
            .map(|(ext, name)| {
                let (name, prefix) = region_parts(&name);
                g::Region {
                    region_name: Some(name),
                    region_code: Some(region_code(ext).to_string()),
                    region_uuid: Some(uuid(0xBE61, i64::from(ext))),
                    prefix: Some(prefix.to_owned()),
                    region_code_ext: Some(ext.to_string()),
                    region_fias_guid: Some(uuid(0xF1A5, i64::from(ext))),
                    country_name: Some("Россия".to_owned()),
                    country_code: Some("RU".to_owned()),
                    country_code_ext: Some("643".to_owned()),
                }
            })
            .collect();
        Ok(g::Regions {
            region: paginate(all, q.page, q.size, "/v1/location/regions")?,
        })
    }

    async fn cities(&self, q: g::CitiesParams) -> Res<g::Locations> {
        let name = q.city_name.as_deref().map(|n| n.trim().to_lowercase());
        let all: Vec<g::Location> = self
            .0
            .world
            .cities
            .iter()
            .enumerate()
            .filter(|(_, c)| q.region_code_ext.is_none_or(|r| r == c.region_code))
            .filter(|(_, c)| {
                q.region_code
                    .is_none_or(|r| r == region_code(c.region_code))
            })
            .filter(|(_, c)| {
                q.region_fias_guid
                    .as_deref()
                    .is_none_or(|g| g == uuid(0xF1A5, i64::from(c.region_code)))
            })
            .filter(|(_, c)| {
                q.fias_guid
                    .as_deref()
                    .is_none_or(|g| g == uuid(0xC17E, c.id))
            })
            .filter(|_| is_russia(q.country_code.as_deref()))
            .filter(|(_, c)| name.as_deref().is_none_or(|n| c.name.to_lowercase() == n))
            .filter(|(i, _)| q.city_code.is_none_or(|code| code == city_code(*i)))
            .filter(|(i, _)| {
                q.postcode
                    .as_deref()
                    .is_none_or(|p| p.trim() == city_postcode(*i))
            })
            .map(|(i, c)| g::Location {
                city_name: Some(c.name.clone()),
                city_code: Some(city_code(i).to_string()),
                city_uuid: Some(uuid(0xC17E, c.id)),
                country: Some("Россия".to_owned()),
                country_code: Some("RU".to_owned()),
                region: Some(c.region_name.clone()),
                region_code: Some(region_code(c.region_code).to_string()),
                region_code_ext: Some(c.region_code.to_string()),
                region_fias_guid: Some(uuid(0xF1A5, i64::from(c.region_code))),
                latitude: Some(coordinate(c.lat)),
                longitude: Some(coordinate(c.lon)),
                kladr: Some(c.code.clone()),
                fias_guid: Some(uuid(0xC17E, c.id)),
                payment_limit: Some(if c.cash_pay { "-1" } else { "0" }.to_owned()),
                ..Default::default()
            })
            .collect();
        Ok(g::Locations {
            location: paginate(all, q.page, q.size, "/v1/location/cities")?,
        })
    }

    fn invalid_request(&self, error: RequestError) -> Fault {
        bad_request(error.operation, error.to_string())
    }
}
