//! Filters of the reference operations (GET, no authentication). Every filter is optional;
//! a filter left `None` is left out of the query string. Names follow CDEK's parameters.

use crate::generated::cdek_integration as g;

/// Filters of the pickup point (ПВЗ) list (`pvzlist/v1/xml`), §3.9. Weights in **kilograms**.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PvzFilter {
    /// `cityid`: CDEK city code (wins over `citypostcode`).
    pub city_id: Option<i32>,
    /// `citypostcode`: the city's postcode.
    pub city_post_code: Option<String>,
    /// `type`: `PVZ` (default; CDEK offices), `POSTOMAT` (parcel lockers) or `ALL`.
    pub kind: Option<g::PvzTypeFilter>,
    /// `countryid`: CDEK country code.
    pub country_id: Option<i32>,
    /// `countryiso`: ISO 3166 alpha-2 country code.
    pub country_iso: Option<String>,
    /// `regionid`: CDEK region code.
    pub region_id: Option<i32>,
    /// `havecashless`: has a card terminal.
    pub have_cashless: Option<bool>,
    /// `havecash`: accepts cash.
    pub have_cash: Option<bool>,
    /// `allowedcod`: cash on delivery allowed.
    pub allowed_cod: Option<bool>,
    /// `isdressingroom`: has a fitting room.
    pub is_dressing_room: Option<bool>,
    /// `weightmax`, kg: >0 = only points accepting this weight; 0 = all; `None` = CDEK hides
    /// points whose weight limit is 0.
    pub weight_max: Option<i32>,
    /// `weightmin`, kg.
    pub weight_min: Option<i32>,
    /// `lang`: language of names (`rus`, `eng`, `zho`).
    pub lang: Option<g::ReferenceLang>,
    /// `takeonly`: only points that hand out orders.
    pub take_only: Option<bool>,
}

impl PvzFilter {
    /// The pickup points of one city (CDEK city code).
    #[must_use]
    pub fn city(city_id: i32) -> Self {
        Self {
            city_id: Some(city_id),
            ..Self::default()
        }
    }
}

/// Filters of the regions reference (`v1/location/regions/xml`), §3.10.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RegionFilter {
    /// `regionCodeExt`: region code of the country's own classification.
    pub region_code_ext: Option<i32>,
    /// `regionCode`: CDEK region code.
    pub region_code: Option<i32>,
    /// `regionFiasGuid`: FIAS id of the region (Russia).
    pub region_fias_guid: Option<String>,
    /// `countryCode`: ISO 3166 alpha-2 country code.
    pub country_code: Option<String>,
    /// `countryCodeExt`: country code of the OKSM classification.
    pub country_code_ext: Option<i32>,
    /// `page`: page number, from 0.
    pub page: Option<i32>,
    /// `size`: page size.
    pub size: Option<i32>,
    /// `lang`: language of names.
    pub lang: Option<g::ReferenceLang>,
}

/// Filters of the cities reference (`v1/location/cities/xml`), §3.10.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CityFilter {
    /// `regionCodeExt`.
    pub region_code_ext: Option<i32>,
    /// `regionCode`: CDEK region code.
    pub region_code: Option<i32>,
    /// `regionFiasGuid`.
    pub region_fias_guid: Option<String>,
    /// `fiasGuid`: FIAS id of the city.
    pub fias_guid: Option<String>,
    /// `page`: page number, from 0.
    pub page: Option<i32>,
    /// `size`: page size.
    pub size: Option<i32>,
    /// `countryCode`: ISO 3166 alpha-2 country code.
    pub country_code: Option<String>,
    /// `cityName`.
    pub city_name: Option<String>,
    /// `cityCode`: CDEK city code.
    pub city_code: Option<i32>,
    /// `postcode`.
    pub postcode: Option<String>,
    /// `lang`: language of names.
    pub lang: Option<g::ReferenceLang>,
}
