//! The generated geography: cities, terminals and parcel shops, deterministic from a seed.

/// splitmix64: a tiny, well-mixed deterministic generator (no dependency needed).
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator starting at `seed`.
    #[must_use]
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A value in `0..n` (`0` when `n == 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }

    /// A float in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A city known to the sandbox.
#[derive(Debug, Clone, PartialEq)]
pub struct City {
    /// DPD city id.
    pub id: i64,
    /// Name, e.g. «Москва».
    pub name: String,
    /// Region code (код региона).
    pub region_code: i32,
    /// Region name.
    pub region_name: String,
    /// KLADR-style city code.
    pub code: String,
    /// Latitude of the centre.
    pub lat: f64,
    /// Longitude of the centre.
    pub lon: f64,
    /// Whether cash on delivery is possible.
    pub cash_pay: bool,
}

/// A parcel shop or terminal.
#[derive(Debug, Clone, PartialEq)]
pub struct Shop {
    /// Code, e.g. `M12`.
    pub code: String,
    /// Type: «П» pickup point (ПВП) or «Т» terminal.
    pub kind: &'static str,
    /// Index into [`World::cities`].
    pub city: usize,
    /// Street address.
    pub street: String,
    /// House number.
    pub house: String,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Max parcel weight, kg.
    pub max_weight: f64,
    /// Free storage, days.
    pub storage_days: i32,
}

/// Everything generated.
#[derive(Debug, Clone, PartialEq)]
pub struct World {
    /// Cities, sorted by id.
    pub cities: Vec<City>,
    /// Parcel shops and terminals.
    pub shops: Vec<Shop>,
}

/// (name, region code, region, lat, lon): real coordinates; two «Железнодорожный» on purpose
/// (an ambiguous name: the calculator answers too-many-rows).
const BASE_CITIES: &[(&str, i32, &str, f64, f64)] = &[
    ("Москва", 77, "Москва", 55.7558, 37.6173),
    ("Санкт-Петербург", 78, "Санкт-Петербург", 59.9343, 30.3351),
    ("Новосибирск", 54, "Новосибирская обл.", 55.0084, 82.9357),
    ("Екатеринбург", 66, "Свердловская обл.", 56.8389, 60.6057),
    ("Казань", 16, "Татарстан респ.", 55.7963, 49.1088),
    (
        "Нижний Новгород",
        52,
        "Нижегородская обл.",
        56.2965,
        43.9361,
    ),
    ("Челябинск", 74, "Челябинская обл.", 55.1644, 61.4368),
    ("Самара", 63, "Самарская обл.", 53.1959, 50.1002),
    ("Омск", 55, "Омская обл.", 54.9885, 73.3242),
    ("Ростов-на-Дону", 61, "Ростовская обл.", 47.2357, 39.7015),
    ("Уфа", 2, "Башкортостан респ.", 54.7388, 55.9721),
    ("Красноярск", 24, "Красноярский край", 56.0153, 92.8932),
    ("Воронеж", 36, "Воронежская обл.", 51.6720, 39.1843),
    ("Пермь", 59, "Пермский край", 58.0105, 56.2502),
    ("Волгоград", 34, "Волгоградская обл.", 48.7080, 44.5133),
    ("Люберцы", 50, "Московская обл.", 55.6783, 37.8938),
    ("Железнодорожный", 50, "Московская обл.", 55.7440, 38.0169),
    (
        "Железнодорожный",
        39,
        "Калининградская обл.",
        54.3600,
        21.3100,
    ),
    ("Владивосток", 25, "Приморский край", 43.1155, 131.8855),
    ("Калининград", 39, "Калининградская обл.", 54.7104, 20.4522),
];

const STREETS: &[&str] = &[
    "Ленина",
    "Мира",
    "Советская",
    "Гагарина",
    "Пушкина",
    "Садовая",
    "Лесная",
    "Центральная",
];

impl World {
    /// The world of `seed` with `shops` parcel shops (plus one terminal per city).
    #[must_use]
    pub fn generate(seed: u64, shops: usize) -> Self {
        let mut rng = SplitMix64::new(seed);
        let cities: Vec<City> = BASE_CITIES
            .iter()
            .enumerate()
            .map(|(i, &(name, region_code, region, lat, lon))| City {
                id: 49_694_000 + (i as i64) * 97 + rng.below(90) as i64,
                name: name.to_owned(),
                region_code,
                region_name: region.to_owned(),
                code: format!("{region_code:02}000{i:03}000000"),
                lat,
                lon,
                cash_pay: i % 7 != 6,
            })
            .collect();
        let mut list = Vec::with_capacity(shops + cities.len());
        for (i, c) in cities.iter().enumerate() {
            list.push(Shop {
                code: format!("T{i:02}"),
                kind: "Т",
                city: i,
                street: STREETS[i % STREETS.len()].to_owned(),
                house: format!("{}", 1 + i),
                lat: c.lat,
                lon: c.lon,
                max_weight: 1000.0,
                storage_days: 7,
            });
        }
        for n in 0..shops {
            // Bigger cities (earlier in the list) get more shops.
            let city = (rng.below(cities.len() as u64) * rng.below(cities.len() as u64)
                / cities.len().max(1) as u64) as usize;
            let Some(c) = cities.get(city) else { continue };
            let idx = rng.below(STREETS.len() as u64) as usize;
            list.push(Shop {
                code: format!("{}{n:04}", c.name.chars().next().unwrap_or('X')),
                kind: "П",
                city,
                street: STREETS.get(idx).copied().unwrap_or("Ленина").to_owned(),
                house: format!("{}", 1 + rng.below(150)),
                lat: c.lat + (rng.unit() - 0.5) * 0.3,
                lon: c.lon + (rng.unit() - 0.5) * 0.5,
                max_weight: [5.0, 15.0, 31.5][rng.below(3) as usize % 3],
                storage_days: 3 + rng.below(5) as i32,
            });
        }
        Self {
            cities,
            shops: list,
        }
    }

    /// Cities whose name equals `name` (case-insensitive).
    #[must_use]
    pub fn cities_named(&self, name: &str) -> Vec<&City> {
        let name = name.trim().to_lowercase();
        self.cities
            .iter()
            .filter(|c| c.name.to_lowercase() == name)
            .collect()
    }

    /// The city with DPD id `id`.
    #[must_use]
    pub fn city(&self, id: i64) -> Option<&City> {
        self.cities.iter().find(|c| c.id == id)
    }
}

/// Great-circle distance in km.
#[must_use]
pub fn distance_km(a: &City, b: &City) -> f64 {
    let (la1, lo1, la2, lo2) = (
        a.lat.to_radians(),
        a.lon.to_radians(),
        b.lat.to_radians(),
        b.lon.to_radians(),
    );
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}
