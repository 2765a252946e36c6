//! Deterministic test documents shared by the benchmarks: SOAP 1.1 responses of DPD's
//! geography2 service shaped like `wsdl/dpd/geography2/geography2.xsd`.
//!
//! Built from a fixed seed with a small LCG so every run (and every machine) decodes the
//! same bytes; no files are read.

// Each bench binary uses a different subset of these helpers.
#![allow(dead_code)]

use std::fmt::Write as _;

pub mod decode;

/// Namespace of the geography2 service.
pub const NS: &str = "http://dpd.ru/ws/geography/2015-05-20";

/// Number of pickup points in the large response.
pub const SHOPS: usize = 10_000;

/// Number of cities in the small response.
pub const CITIES: usize = 100;

/// Tiny deterministic generator (Knuth's MMIX LCG), enough to vary field values.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let i = usize::try_from(self.below(items.len() as u64)).unwrap_or(0);
        items.get(i).copied().unwrap_or("")
    }
}

/// (cityId, regionCode, regionName, cityCode KLADR, cityName, index prefix, lat, lon)
type City = (
    u64,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    u32,
    f64,
    f64,
);

const CITY_TABLE: &[City] = &[
    (
        49694102,
        "77",
        "Москва",
        "77000000000",
        "Москва",
        101,
        55.7558,
        37.6176,
    ),
    (
        49694167,
        "78",
        "Санкт-Петербург",
        "78000000000",
        "Санкт-Петербург",
        190,
        59.9386,
        30.3141,
    ),
    (
        49265227,
        "54",
        "Новосибирская обл.",
        "54000001000",
        "Новосибирск",
        630,
        55.0302,
        82.9204,
    ),
    (
        48994107,
        "66",
        "Свердловская обл.",
        "66000001000",
        "Екатеринбург",
        620,
        56.8389,
        60.6057,
    ),
    (
        49270397,
        "16",
        "Республика Татарстан",
        "16000001000",
        "Казань",
        420,
        55.7963,
        49.1088,
    ),
    (
        49395571,
        "52",
        "Нижегородская обл.",
        "52000001000",
        "Нижний Новгород",
        603,
        56.3269,
        44.0059,
    ),
    (
        195849981,
        "74",
        "Челябинская обл.",
        "74000001000",
        "Челябинск",
        454,
        55.1644,
        61.4368,
    ),
    (
        49615181,
        "63",
        "Самарская обл.",
        "63000001000",
        "Самара",
        443,
        53.1959,
        50.1002,
    ),
    (
        49437449,
        "55",
        "Омская обл.",
        "55000001000",
        "Омск",
        644,
        54.9885,
        73.3242,
    ),
    (
        49529215,
        "61",
        "Ростовская обл.",
        "61000001000",
        "Ростов-на-Дону",
        344,
        47.2357,
        39.7015,
    ),
    (
        49694374,
        "50",
        "Московская обл.",
        "50000017000",
        "Люберцы",
        140,
        55.6783,
        37.8936,
    ),
    (
        49397213,
        "23",
        "Краснодарский край",
        "23000001000",
        "Краснодар",
        350,
        45.0355,
        38.9753,
    ),
];

const STREETS: &[&str] = &[
    "Ленина",
    "Тверская",
    "Мира",
    "Гагарина",
    "Советская",
    "Профсоюзная",
    "Невский",
    "Обуховской Обороны",
    "Красноармейская",
    "Комсомольская",
    "Пушкина",
    "Садовая",
    "Октябрьская",
    "Центральная",
    "Молодёжная",
    "Школьная",
];
const STREET_ABBR: &[&str] = &["ул", "пр-кт", "б-р", "пер", "ш", "наб"];
const DESCRIPT: &[&str] = &[
    "Вход со двора, 2 этаж. Ориентир — аптека «Здоровье».",
    "ТЦ &quot;Мега&quot;, 1 этаж, рядом с эскалатором.",
    "Отделение в магазине &quot;Пятёрочка&quot;, касса №3 &amp; стойка выдачи.",
    "От метро 5 минут пешком, вывеска DPD Pickup над входом.",
    "Цокольный этаж, отдельный вход с торца здания.",
];
const BRANDS: &[&str] = &[
    "DPD Pickup",
    "Пятёрочка",
    "Boxberry-партнёр",
    "ООО &quot;Ромашка&quot;",
];
const SHOP_TYPES: &[&str] = &["ПВП", "П", "Т", "СД"];
const ES_CODES: &[&str] = &["НПП", "ОЖД", "ТРМ", "SMS", "ПРД"];
const SERVICES: &[&str] = &["PCL", "CUR", "ECN", "CSM", "ECU", "NDY", "BZP", "MAX"];

fn push_el(out: &mut String, name: &str, value: &str) {
    let _ = write!(out, "<{name}>{value}</{name}>");
}

fn push_shop(out: &mut String, rng: &mut Lcg, n: usize) {
    let i = usize::try_from(rng.below(CITY_TABLE.len() as u64)).unwrap_or(0);
    let Some(&(city_id, region_code, region, kladr, city, index, lat, lon)) = CITY_TABLE.get(i)
    else {
        return;
    };
    out.push_str("<parcelShop>");
    push_el(out, "code", &format!("{}{n:05}", &kladr[..2]));
    push_el(out, "parcelShopType", rng.pick(SHOP_TYPES));
    push_el(
        out,
        "state",
        if rng.below(20) == 0 { "Closed" } else { "Open" },
    );

    out.push_str("<address>");
    push_el(out, "cityId", &city_id.to_string());
    push_el(out, "countryCode", "RU");
    push_el(out, "regionCode", region_code);
    push_el(out, "regionName", region);
    push_el(out, "cityCode", kladr);
    push_el(out, "cityName", city);
    push_el(out, "index", &format!("{index}{:03}", rng.below(1000)));
    push_el(out, "street", rng.pick(STREETS));
    push_el(out, "streetAbbr", rng.pick(STREET_ABBR));
    push_el(out, "houseNo", &(1 + rng.below(180)).to_string());
    if rng.below(3) == 0 {
        push_el(out, "building", &(1 + rng.below(5)).to_string());
    }
    if rng.below(5) == 0 {
        push_el(out, "structure", &(1 + rng.below(3)).to_string());
    }
    push_el(out, "descript", rng.pick(DESCRIPT));
    out.push_str("</address>");

    push_el(out, "brand", rng.pick(BRANDS));
    push_el(
        out,
        "clientDepartmentNum",
        &format!("{:06}", rng.below(1_000_000)),
    );

    out.push_str("<geoCoordinates>");
    let dlat = (rng.below(20_000) as f64 - 10_000.0) / 100_000.0;
    let dlon = (rng.below(20_000) as f64 - 10_000.0) / 100_000.0;
    push_el(out, "latitude", &format!("{:.6}", lat + dlat));
    push_el(out, "longitude", &format!("{:.6}", lon + dlon));
    out.push_str("</geoCoordinates>");

    out.push_str("<limits>");
    push_el(out, "maxShipmentWeight", "31");
    push_el(
        out,
        "maxWeight",
        if rng.below(2) == 0 { "30" } else { "15.5" },
    );
    push_el(out, "maxLength", "120");
    push_el(out, "maxWidth", "80");
    push_el(out, "maxHeight", "50");
    push_el(out, "dimensionSum", "250");
    out.push_str("</limits>");

    let open = 8 + rng.below(3);
    for op in ["SelfPickup", "SelfDelivery", "Payment"] {
        out.push_str("<schedule>");
        push_el(out, "operation", op);
        out.push_str("<timetable>");
        push_el(out, "weekDays", "Пн,Вт,Ср,Чт,Пт");
        push_el(out, "workTime", &format!("{open:02}:00 - 21:00"));
        out.push_str("</timetable><timetable>");
        push_el(out, "weekDays", "Сб,Вс");
        push_el(out, "workTime", "10:00 - 18:00");
        out.push_str("</timetable>");
        out.push_str("</schedule>");
    }

    for _ in 0..1 + rng.below(3) {
        out.push_str("<extraService>");
        push_el(out, "esCode", rng.pick(ES_CODES));
        out.push_str("<params>");
        push_el(out, "name", "reception_cash");
        push_el(
            out,
            "value",
            if rng.below(2) == 0 { "true" } else { "false" },
        );
        out.push_str("</params><params>");
        push_el(out, "name", "reception_card");
        push_el(out, "value", "true");
        out.push_str("</params>");
        out.push_str("</extraService>");
    }

    out.push_str("<services>");
    for _ in 0..2 + rng.below(4) {
        push_el(out, "serviceCode", rng.pick(SERVICES));
    }
    out.push_str("</services>");

    out.push_str("<storagePeriod>");
    push_el(out, "serviceCode", "PCL");
    push_el(out, "days", &(3 + rng.below(5)).to_string());
    out.push_str("</storagePeriod>");
    out.push_str("</parcelShop>");
}

fn envelope(name: &str, body: &str) -> Vec<u8> {
    format!(
        "<?xml version='1.0' encoding='UTF-8'?>\
         <S:Envelope xmlns:S=\"http://schemas.xmlsoap.org/soap/envelope/\"><S:Body>\
         <ns2:{name} xmlns:ns2=\"{NS}\">{body}</ns2:{name}></S:Body></S:Envelope>"
    )
    .into_bytes()
}

/// A `getParcelShopsResponse` envelope with `n` pickup points, as DPD's JAX-WS server
/// writes it (`S:`/`ns2:` prefixes, unqualified locals, one line).
pub fn parcel_shops_response(n: usize) -> Vec<u8> {
    let mut rng = Lcg(0x5EED_D0D0);
    let mut body = String::with_capacity(n * 2400);
    body.push_str("<return>");
    for i in 0..n {
        push_shop(&mut body, &mut rng, i);
    }
    body.push_str("</return>");
    envelope("getParcelShopsResponse", &body)
}

/// A `getCitiesCashPayResponse` envelope with `n` cities.
pub fn cities_cash_pay_response(n: usize) -> Vec<u8> {
    let mut rng = Lcg(0xC17E5);
    let mut body = String::with_capacity(n * 400);
    for k in 0..n {
        let i = usize::try_from(rng.below(CITY_TABLE.len() as u64)).unwrap_or(0);
        let Some(&(city_id, region_code, region, kladr, city, index, _, _)) = CITY_TABLE.get(i)
        else {
            continue;
        };
        body.push_str("<return>");
        push_el(&mut body, "cityId", &(city_id + k as u64).to_string());
        push_el(&mut body, "countryCode", "RU");
        push_el(&mut body, "countryName", "Россия");
        push_el(&mut body, "regionCode", region_code);
        push_el(&mut body, "regionName", region);
        push_el(&mut body, "cityCode", kladr);
        push_el(&mut body, "cityName", city);
        push_el(&mut body, "abbreviation", "г");
        push_el(&mut body, "indexMin", &format!("{index}000"));
        push_el(&mut body, "indexMax", &format!("{index}999"));
        body.push_str("</return>");
    }
    envelope("getCitiesCashPayResponse", &body)
}

/// (c) Hand-written serde structs of the same shape (all fields; Option/Vec as in the XSD;
/// xs:decimal kept as its lexical form, like `soap_runtime::types::Decimal`).
// The fields exist to be decoded (that is what the benchmark measures); nothing reads them.
#[allow(dead_code)]
pub mod serde_types {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    pub struct Envelope<B> {
        #[serde(rename = "Body")]
        pub body: B,
    }

    #[derive(Debug, Deserialize)]
    pub struct ShopsBody {
        #[serde(rename = "getParcelShopsResponse")]
        pub response: GetParcelShopsResponse,
    }

    #[derive(Debug, Deserialize)]
    pub struct GetParcelShopsResponse {
        #[serde(rename = "return")]
        pub r#return: Option<DpdParcelShops>,
    }

    #[derive(Debug, Deserialize)]
    pub struct DpdParcelShops {
        #[serde(rename = "parcelShop", default)]
        pub parcel_shop: Vec<ParcelShop>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct ParcelShop {
        pub code: Option<String>,
        pub parcel_shop_type: Option<String>,
        pub state: Option<String>,
        pub address: Option<Address>,
        pub brand: Option<String>,
        pub client_department_num: Option<String>,
        pub geo_coordinates: Option<GeoCoordinates>,
        pub limits: Option<Limits>,
        #[serde(default)]
        pub schedule: Vec<Schedule>,
        #[serde(default)]
        pub extra_service: Vec<ExtraService>,
        pub services: Option<Services>,
        #[serde(default)]
        pub storage_period: Vec<StoragePeriod>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Address {
        pub city_id: Option<i64>,
        pub country_code: Option<String>,
        pub region_code: Option<String>,
        pub region_name: Option<String>,
        pub city_code: Option<String>,
        pub city_name: Option<String>,
        pub index: Option<String>,
        pub street: Option<String>,
        pub street_abbr: Option<String>,
        pub house_no: Option<String>,
        pub building: Option<String>,
        pub structure: Option<String>,
        pub ownership: Option<String>,
        pub descript: Option<String>,
        pub country_name: Option<String>,
        pub address_string: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    pub struct GeoCoordinates {
        pub latitude: Option<String>,
        pub longitude: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Limits {
        pub max_shipment_weight: Option<String>,
        pub max_weight: Option<String>,
        pub max_length: Option<String>,
        pub max_width: Option<String>,
        pub max_height: Option<String>,
        pub dimension_sum: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    pub struct Schedule {
        pub operation: Option<String>,
        #[serde(default)]
        pub timetable: Vec<Timetable>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Timetable {
        pub week_days: Option<String>,
        pub work_time: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct ExtraService {
        pub es_code: Option<String>,
        #[serde(default)]
        pub params: Vec<ExtraServiceParam>,
    }

    #[derive(Debug, Deserialize)]
    pub struct ExtraServiceParam {
        pub name: Option<String>,
        pub value: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Services {
        #[serde(default)]
        pub service_code: Vec<String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct StoragePeriod {
        pub service_code: Option<String>,
        pub days: i32,
    }

    #[derive(Debug, Deserialize)]
    pub struct CitiesBody {
        #[serde(rename = "getCitiesCashPayResponse")]
        pub response: GetCitiesCashPayResponse,
    }

    #[derive(Debug, Deserialize)]
    pub struct GetCitiesCashPayResponse {
        #[serde(rename = "return", default)]
        pub r#return: Vec<City>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct City {
        pub city_id: Option<i64>,
        pub country_code: Option<String>,
        pub country_name: Option<String>,
        pub region_code: Option<i32>,
        pub region_name: Option<String>,
        pub city_code: Option<String>,
        pub city_name: Option<String>,
        pub abbreviation: Option<String>,
        pub index_min: Option<String>,
        pub index_max: Option<String>,
    }
}
