//! The sandbox exercised through the generated DPD *clients* (a separate generated copy of
//! the types, in `dpd-client`), over HTTP on 127.0.0.1.
use dpd_client::generated::dpd_calculator_service as calc;
use dpd_client::generated::dpd_geography2_service as geo;
use sandbox::{Config, Sandbox};

async fn start() -> (String, sandbox::Handle) {
    let (addr, handle) = Sandbox::start(Config::default())
        .await
        .expect("bind 127.0.0.1:0");
    (format!("http://{addr}"), handle)
}

fn geo_auth() -> geo::Auth {
    let c = Config::default();
    geo::Auth {
        client_number: c.client_number,
        client_key: c.client_key,
    }
}

/// A cost request with this test's credentials in it (the raw generated client sends it as is).
fn cost_request(from: &str, to: &str) -> calc::ServiceCostRequest {
    calc::ServiceCostRequest {
        auth: calc_auth(),
        ..crate::dpd_common::cost_request(from, to)
    }
}

fn calc_auth() -> calc::Auth {
    let c = Config::default();
    calc::Auth {
        client_number: c.client_number,
        client_key: c.client_key,
    }
}

fn shops_request(city: Option<&str>) -> geo::DpdParcelShopRequest {
    geo::DpdParcelShopRequest {
        auth: geo_auth(),
        country_code: None,
        region_code: None,
        city_code: None,
        city_name: city.map(str::to_owned),
        service_code: None,
    }
}

#[tokio::test]
async fn geography_lists_cities_and_thousands_of_parcel_shops() {
    let (base, handle) = start().await;
    let client = geo::DpdGeography2Client::new(format!("{base}/services/geography2"));
    let cities = client
        .get_cities_cash_pay(geo::DpdCitiesCashPayRequest {
            auth: geo_auth(),
            country_code: Some("RU".into()),
        })
        .await
        .expect("cities");
    assert!(cities.len() >= 15, "{}", cities.len());
    assert!(cities
        .iter()
        .any(|c| c.city_name.as_deref() == Some("Москва") && c.region_code == Some(77)));

    let all = client
        .get_parcel_shops(shops_request(None))
        .await
        .expect("parcel shops")
        .expect("a list");
    assert_eq!(all.parcel_shop.len(), 3000);
    let moscow = client
        .get_parcel_shops(shops_request(Some("Москва")))
        .await
        .expect("moscow shops")
        .expect("a list");
    assert!(!moscow.parcel_shop.is_empty() && moscow.parcel_shop.len() < 3000);
    for s in &moscow.parcel_shop {
        let s = s.value().expect("not nil");
        let city = s.address.as_ref().and_then(|a| a.city_name.as_deref());
        assert_eq!(city, Some("Москва"));
        let lat = s
            .geo_coordinates
            .as_ref()
            .and_then(|g| g.latitude.as_ref())
            .map(|d| d.to_f64())
            .expect("latitude");
        assert!((55.0..56.5).contains(&lat), "{lat}");
    }
    handle.stop();
}

#[tokio::test]
async fn wrong_key_is_auth_error_like_dpd() {
    let (base, handle) = start().await;
    let client = geo::DpdGeography2Client::new(format!("{base}/services/geography2"));
    let err = client
        .get_cities_cash_pay(geo::DpdCitiesCashPayRequest {
            auth: geo::Auth {
                client_number: 1_000_000_000,
                client_key: "WRONG".into(),
            },
            country_code: None,
        })
        .await
        .expect_err("a fault");
    let fault = err.fault().expect("a SOAP fault");
    assert_eq!(fault.reason(), "Ошибка в параметрах аутентификации");
    match fault.detail.typed() {
        Some(geo::DpdGeography2Fault::WsFault(f)) => {
            assert_eq!(f.code.as_deref(), Some("auth-error"));
        }
        other => panic!("{other:?}"),
    }
    handle.stop();
}

#[tokio::test]
async fn calculator_tariffs_filters_and_city_faults() {
    let (base, handle) = start().await;
    let client = calc::DpdCalculatorClient::new(format!("{base}/services/calculator2"));

    let all = client
        .get_service_cost2(cost_request("Москва", "Казань"))
        .await
        .expect("costs");
    assert_eq!(all.len(), 5);
    let cost = |code: &str, list: &[calc::ServiceCost]| {
        list.iter()
            .find(|s| s.service_code.as_deref() == Some(code))
            .and_then(|s| s.cost)
    };
    // Farther is dearer; heavier is dearer; self-delivery is cheaper.
    let far = client
        .get_service_cost2(cost_request("Москва", "Владивосток"))
        .await
        .expect("far");
    assert!(cost("CUR", &far) > cost("CUR", &all));
    let mut heavy = cost_request("Москва", "Казань");
    heavy.weight = 20.0;
    let heavy = client.get_service_cost2(heavy).await.expect("heavy");
    assert!(cost("CUR", &heavy) > cost("CUR", &all));
    let mut selfd = cost_request("Москва", "Казань");
    selfd.self_delivery = true;
    let selfd = client.get_service_cost2(selfd).await.expect("self");
    assert!(cost("CUR", &selfd) < cost("CUR", &all));

    // serviceCode narrows; maxDays filters.
    let mut only = cost_request("Москва", "Казань");
    only.service_code = Some("ECN,NDY".into());
    let only = client.get_service_cost2(only).await.expect("only");
    let codes: Vec<_> = only.iter().filter_map(|s| s.service_code.clone()).collect();
    assert_eq!(codes, ["ECN", "NDY"]);
    let mut fast = cost_request("Москва", "Казань");
    fast.max_days = Some(3);
    let fast = client.get_service_cost2(fast).await.expect("fast");
    assert!(!fast.is_empty() && fast.len() < 5);
    assert!(fast.iter().all(|s| s.days.unwrap_or(99) <= 3));

    // Unknown city → no-data-found.
    let err = client
        .get_service_cost2(cost_request("Атлантида", "Казань"))
        .await
        .expect_err("unknown city");
    match err.fault().and_then(|f| f.detail.typed()) {
        Some(calc::DpdCalculatorFault::ServiceCostFault2(f)) => {
            assert_eq!(f.code.as_deref(), Some("no-data-found"));
        }
        other => panic!("{other:?}"),
    }

    // Ambiguous name → too-many-rows with the duplicates; the chosen cityId then works.
    let err = client
        .get_service_cost2(cost_request("Москва", "Железнодорожный"))
        .await
        .expect_err("ambiguous");
    let Some(calc::DpdCalculatorFault::ServiceCostFault2(f)) =
        err.fault().and_then(|f| f.detail.typed())
    else {
        panic!("{err:?}")
    };
    assert_eq!(f.code.as_deref(), Some("too-many-rows"));
    assert!(f.pickup_dups.is_empty());
    assert_eq!(f.delivery_dups.len(), 2);
    let id = f
        .delivery_dups
        .first()
        .and_then(|d| d.value())
        .and_then(|c| c.city_id)
        .expect("a city id");
    let mut retry = cost_request("Москва", "Железнодорожный");
    retry.delivery = calc::CityRequest {
        city_id: Some(id),
        ..Default::default()
    };
    assert_eq!(
        client.get_service_cost2(retry).await.expect("by id").len(),
        5
    );
    handle.stop();
}
