//! `shop-day`: a shop's day with the real DPD client against the in-process sandbox, offline.
//!
//! Every call below goes over HTTP on 127.0.0.1 through `dpd_client::DpdClient`, the same code
//! a shop runs against DPD. The sandbox implements geography2 and calculator2 so far; the
//! steps that need orders, labels, tracking and reports say so instead of pretending.

use std::process::ExitCode;

use dpd_client::generated::dpd_calculator_service as calc;
use dpd_client::generated::dpd_geography2_service as geo;
use dpd_client::{DpdClient, DpdError, DpdErrorCode, Environment};
use futures_util::StreamExt;
use sandbox::{Config, Sandbox};

fn city(name: &str) -> calc::CityRequest {
    calc::CityRequest {
        city_name: Some(name.into()),
        country_code: Some("RU".into()),
        ..Default::default()
    }
}

fn quote_request(
    from: calc::CityRequest,
    to: calc::CityRequest,
    weight: f64,
) -> calc::ServiceCostRequest {
    calc::ServiceCostRequest {
        auth: Default::default(), // filled in by DpdClient
        pickup: from,
        delivery: to,
        self_pickup: false,
        self_delivery: true,
        weight,
        volume: Some(0.02),
        service_code: None,
        pickup_date: None,
        max_days: None,
        max_cost: None,
        declared_value: None,
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let config = Config::default();
    let (number, key) = (config.client_number, config.client_key.clone());
    let (addr, handle) = Sandbox::start(config).await?;
    println!("DPD sandbox listening on http://{addr} (client number {number})\n");
    let dpd = DpdClient::new(number, key, Environment::Custom(format!("http://{addr}")));

    println!("1. Cities with cash on delivery (getCitiesCashPay)");
    let cities = dpd.cities_cash_pay(Some("RU")).await?;
    println!("   {:<12} {:<22} region", "cityId", "city");
    for c in cities.iter().take(5) {
        println!(
            "   {:<12} {:<22} {}",
            c.city_id.unwrap_or_default(),
            c.city_name.as_deref().unwrap_or("?"),
            c.region_name.as_deref().unwrap_or("?")
        );
    }
    println!("   … {} cities in all\n", cities.len());

    println!("2. Parcel pickup points, streamed entry by entry (getParcelShops)");
    let all = geo::DpdParcelShopRequest {
        auth: Default::default(), // filled in by DpdClient
        country_code: Some("RU".into()),
        region_code: None,
        city_code: None,
        city_name: None,
        service_code: None,
    };
    let mut shops = dpd.parcel_shops_stream(all);
    let (mut count, mut moscow) = (0usize, 0usize);
    while let Some(shop) = shops.next().await {
        let shop = shop?;
        count += 1;
        if shop.address.as_ref().and_then(|a| a.city_name.as_deref()) == Some("Москва") {
            moscow += 1;
        }
        if count % 1000 == 0 {
            println!("   … {count} decoded");
        }
    }
    println!("   {count} pickup points, {moscow} of them in Moscow\n");

    println!("3. Delivery quote Москва → Казань, 2.5 kg, to a pickup point (getServiceCost2)");
    let costs = dpd
        .service_cost(quote_request(city("Москва"), city("Казань"), 2.5))
        .await?;
    println!(
        "   {:<8} {:<28} {:>10} {:>6}",
        "service", "name", "cost, ₽", "days"
    );
    for c in &costs {
        println!(
            "   {:<8} {:<28} {:>10.2} {:>6}",
            c.service_code.as_deref().unwrap_or("?"),
            c.service_name.as_deref().unwrap_or("?"),
            c.cost.unwrap_or_default(),
            c.days.unwrap_or_default()
        );
    }
    println!();

    println!("4. An ambiguous city name: the guide's too-many-rows procedure");
    let ambiguous = quote_request(city("Москва"), city("Железнодорожный"), 1.0);
    match dpd.service_cost(ambiguous).await {
        Err(DpdError::Service {
            code: DpdErrorCode::TooManyRows,
            delivery_dups,
            ..
        }) => {
            println!(
                "   DPD answered too-many-rows with {} candidate cities:",
                delivery_dups.len()
            );
            for d in &delivery_dups {
                println!(
                    "     cityId {:<10} {}",
                    d.city_id.unwrap_or_default(),
                    d.region_name.as_deref().unwrap_or("?")
                );
            }
            let chosen = delivery_dups
                .first()
                .and_then(|d| d.city_id)
                .ok_or("no candidate city")?;
            let retry = calc::CityRequest {
                city_id: Some(chosen),
                ..Default::default()
            };
            let costs = dpd
                .service_cost(quote_request(city("Москва"), retry, 1.0))
                .await?;
            println!(
                "   retried with cityId {chosen}: {} services offered\n",
                costs.len()
            );
        }
        other => return Err(format!("expected too-many-rows, got {other:?}").into()),
    }

    println!("5. Wrong credentials are refused the way DPD refuses them");
    let stranger = DpdClient::new(
        42,
        "not-the-key",
        Environment::Custom(format!("http://{addr}")),
    );
    match stranger.cities_cash_pay(None).await {
        Err(e) => println!("   {e}\n"),
        Ok(_) => return Err("the sandbox accepted unknown credentials".into()),
    }

    println!("Not in the sandbox yet (see issue notes): orders, labels, tracking, reports, cancellation.");
    handle.stop();
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => {
            println!("\nshop day finished");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("shop day failed: {e}");
            ExitCode::FAILURE
        }
    }
}
