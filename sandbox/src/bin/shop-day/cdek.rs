//! The CDEK half of the day, through `cdek_client::CdekClient` exactly as a shop calls CDEK.

use std::path::Path;

use cdek_client::generated::cdek_integration as g;
use cdek_client::{
    lenient, CdekClient, Credentials, Environment, InfoQuery, OrderQuery, Outcome, PvzFilter,
    StatusQuery, Tariff,
};
use sandbox::Handle;

use crate::print::{say, step, table};
use crate::Result;

/// CDEK's code of Moscow, the shop's city.
const MOSCOW: i32 = 44;
/// CDEK's code of Saint Petersburg.
const SAINT_PETERSBURG: i32 = 137;
/// Simulated minutes per tracking round.
const TRACKING_STEP_MINUTES: u64 = 180;
/// Rounds before the day gives up waiting for deliveries.
const MAX_TRACKING_ROUNDS: usize = 40;

/// Runs the CDEK day; files go to `out`.
pub async fn day(handle: &Handle, base_url: &str, out: &Path) -> Result<()> {
    let config = &handle.state().config;
    let cdek = CdekClient::new(
        Credentials::new(config.cdek_account.clone(), config.cdek_password.clone()),
        Environment::Custom {
            integration: format!("{base_url}/"),
            calculator: format!("{base_url}/calculator/"),
        },
    );
    quote(&cdek).await?;
    let pvz = pickup_points(&cdek).await?;
    let waybills = create_orders(&cdek, &pvz).await?;
    print(&cdek, &waybills, out).await?;
    track(&cdek, handle, &waybills).await?;
    info(&cdek, &waybills).await?;
    delete_one(&cdek).await?;
    Ok(())
}

async fn quote(cdek: &CdekClient) -> Result<()> {
    step(
        "11",
        "Tariff list Москва → Санкт-Петербург, 1.5 kg (calculator, tariffList)",
    );
    let request = g::CalculatorRequest {
        version: "1.0".into(),
        // Filled in by CdekClient: the signature of the calculator.
        date_execute: None,
        auth_login: None,
        secure: None,
        sender_city_id: Some(MOSCOW),
        sender_city_post_code: None,
        sender_country_code: None,
        sender_city: None,
        sender_longitude: None,
        sender_latitude: None,
        receiver_city_id: Some(SAINT_PETERSBURG),
        receiver_city_post_code: None,
        receiver_country_code: None,
        receiver_city: None,
        receiver_longitude: None,
        receiver_latitude: None,
        tariff_id: None,
        mode_id: None,
        tariff_list: [136, 137, 138, 139]
            .into_iter()
            .enumerate()
            .map(|(i, id)| g::CalcTariffPriority {
                priority: i32::try_from(i + 1).ok(),
                id,
                mode_id: None,
            })
            .collect(),
        goods: vec![g::CalcGoods {
            weight: "1.5".parse()?,
            length: Some(20),
            width: Some(15),
            height: Some(10),
            volume: None,
        }],
        services: Vec::new(),
        currency: None,
        lang: None,
    };
    let quotes = cdek.calculate_tariff_list(request).await?;
    print!(
        "{}",
        table(
            &["tariff", "name", "price, ₽", "days"],
            quotes.iter().map(|q| {
                let (price, days) = match &q.result {
                    Ok(r) => (
                        lenient::decimal(r.price.as_deref())
                            .map_or("—".to_owned(), |p| format!("{p:.2}")),
                        format!(
                            "{}–{}",
                            r.delivery_period_min.as_deref().unwrap_or("?"),
                            r.delivery_period_max.as_deref().unwrap_or("?")
                        ),
                    ),
                    Err(e) => (format!("error {}", e.code.code()), e.text.clone()),
                };
                vec![tariff_code(&q.tariff), tariff_name(&q.tariff), price, days]
            }),
        )
    );
    Ok(())
}

fn tariff_code(t: &Tariff) -> String {
    t.code().to_owned()
}

fn tariff_name(t: &Tariff) -> String {
    t.meaning_ru().unwrap_or_default().to_owned()
}

/// Lists St Petersburg's ПВЗ and returns the first one's code.
async fn pickup_points(cdek: &CdekClient) -> Result<String> {
    step("12", "ПВЗ (pickup points) in Санкт-Петербург (pvzlist)");
    let list = cdek.pvz_list(&PvzFilter::city(SAINT_PETERSBURG)).await?;
    print!(
        "{}",
        table(
            &["code", "name", "address"],
            list.pvz.iter().take(3).map(|p| {
                vec![
                    p.code.clone().unwrap_or_default(),
                    p.name.clone().unwrap_or_default(),
                    p.address.clone().unwrap_or_default(),
                ]
            }),
        )
    );
    say(format!("… {} pickup points in the city", list.pvz.len()));
    list.pvz
        .first()
        .and_then(|p| p.code.clone())
        .ok_or_else(|| "no pickup point in Санкт-Петербург".into())
}

/// A one-package order of `grams` to Saint Petersburg, to a door or a ПВЗ.
fn new_order(number: &str, tariff: i32, pvz: Option<&str>, phone: &str, grams: i32) -> g::NewOrder {
    let address = match pvz {
        Some(code) => g::OrderAddress {
            pvz_code: Some(code.to_owned()),
            ..Default::default()
        },
        None => g::OrderAddress {
            street: Some("Невский проспект".into()),
            house: Some("28".into()),
            flat: Some("5".into()),
            ..Default::default()
        },
    };
    let item = g::OrderItem {
        ware_key: "SKU-1".into(),
        cost: 2500.0,
        payment: 0.0, // prepaid: nothing to collect on delivery
        payment_vat_rate: None,
        payment_vat_sum: None,
        weight: grams,
        amount: 1,
        comment: "Книга".into(),
        marking: None,
        cost_ex: None,
        payment_ex: None,
        weight_brutto: None,
        comment_ex: None,
        link: None,
    };
    let package = g::OrderPackage {
        number: "1".into(),
        bar_code: format!("{number}-1"),
        weight: grams,
        size_a: Some(20),
        size_b: Some(15),
        size_c: Some(10),
        comment: None,
        item: vec![item],
    };
    g::NewOrder {
        number: number.to_owned(),
        send_city_code: Some(MOSCOW),
        rec_city_code: Some(SAINT_PETERSBURG),
        send_city_post_code: None,
        rec_city_post_code: None,
        send_country_code: None,
        rec_country_code: None,
        send_city_name: None,
        rec_city_name: None,
        recipient_inn: None,
        date_invoice: None,
        shipper_name: None,
        shipper_address: None,
        passport_number: None,
        recipient_name: "Смирнова Анна".into(),
        recipient_email: None,
        recipient_company: None,
        phone: phone.to_owned(),
        tariff_type_code: tariff,
        delivery_recipient_cost: None,
        delivery_recipient_vat_rate: None,
        delivery_recipient_vat_sum: None,
        recipient_currency: None,
        items_currency: None,
        comment: None,
        seller_name: None,
        seller_address: None,
        client_side: None,
        address,
        package: vec![package],
        add_service: Vec::new(),
        schedule: None,
        delivery_recipient_cost_adv: Vec::new(),
        passport: None,
        sender: None,
        seller: None,
    }
}

/// A DeliveryRequest (акт, the shop's act) of `orders`.
fn delivery_request(act: &str, orders: Vec<g::NewOrder>) -> g::DeliveryRequest {
    g::DeliveryRequest {
        number: act.to_owned(),
        // Date, Account, Secure and OrderCount are filled in by CdekClient.
        date: String::new(),
        account: String::new(),
        secure: String::new(),
        order_count: 0,
        currency: None,
        foreign_delivery: None,
        developer_key: None,
        order: orders,
        call_courier: None,
    }
}

fn outcome_table(outcome: &Outcome) -> String {
    table(
        &["order", "result", "waybill / error"],
        outcome.orders.iter().map(|r| match r {
            Ok(o) => vec![
                o.number.clone().unwrap_or_default(),
                "created".to_owned(),
                o.dispatch_number
                    .map_or_else(String::new, |d| d.to_string()),
            ],
            Err(e) => vec![
                e.number.clone().unwrap_or_default(),
                e.code.code().to_owned(),
                e.message.clone(),
            ],
        }),
    )
}

/// Creates the day's CDEK orders (one refused, shown beside the others) and returns the
/// waybills of the created ones.
async fn create_orders(cdek: &CdekClient, pvz: &str) -> Result<Vec<i64>> {
    step(
        "13",
        "Create orders; CDEK answers per order, successes and errors side by side (new_orders)",
    );
    let request = delivery_request(
        "ACT-2026-1201",
        vec![
            new_order("CDEK-7001", 137, None, "+79001234567", 1500),
            new_order("CDEK-7002", 136, Some(pvz), "+79007654321", 800),
            // No phone: CDEK refuses this one order and keeps the rest.
            new_order("CDEK-7003", 137, None, "", 1200),
        ],
    );
    let outcome = cdek.new_orders(request).await?;
    print!("{}", outcome_table(&outcome));
    for m in &outcome.messages {
        say(m);
    }
    let waybills: Vec<i64> = outcome
        .orders
        .iter()
        .filter_map(|r| r.as_ref().ok().and_then(|o| o.dispatch_number))
        .collect();
    if waybills.is_empty() {
        return Err("CDEK created no order".into());
    }
    Ok(waybills)
}

async fn print(cdek: &CdekClient, waybills: &[i64], out: &Path) -> Result<()> {
    step(
        "14",
        "Print the receipts and package labels to files (orders_print, ordersPackagesPrint)",
    );
    std::fs::create_dir_all(out)?;
    let receipts = cdek.orders_print(waybills, Some(2)).await?;
    let path = out.join("cdek-receipts.pdf");
    std::fs::write(&path, &receipts)?;
    say(format!(
        "receipts (2 copies): {} KiB → {}",
        receipts.len() / 1024,
        path.display()
    ));
    let labels = cdek.orders_packages_print(waybills, None, None).await?;
    let path = out.join("cdek-package-labels.pdf");
    std::fs::write(&path, &labels)?;
    say(format!(
        "package labels: {} KiB → {}",
        labels.len() / 1024,
        path.display()
    ));
    Ok(())
}

async fn track(cdek: &CdekClient, handle: &Handle, waybills: &[i64]) -> Result<()> {
    step(
        "15",
        "Track until delivered («Статусы заказов», status_report_h)",
    );
    let query = StatusQuery::new(OrderQuery::new().dispatch_numbers(waybills.iter().copied()))
        .with_history();
    let mut last_line = String::new();
    for round in 1..=MAX_TRACKING_ROUNDS {
        handle.advance_minutes(TRACKING_STEP_MINUTES);
        let report = cdek.status_report(&query).await?;
        let mut done = 0;
        let mut states = Vec::new();
        for line in &report.orders {
            match line {
                Ok(o) => {
                    done += usize::from(o.is_final());
                    let status = o
                        .status
                        .as_ref()
                        .and_then(|s| s.description.clone())
                        .unwrap_or_else(|| "—".into());
                    states.push(format!(
                        "{} {status}",
                        o.dispatch_number.unwrap_or_default()
                    ));
                }
                Err(e) => states.push(format!("error {e}")),
            }
        }
        let line = states.join(", ");
        if line != last_line {
            say(format!(
                "+{:>3} h  {done}/{} final  [{line}]",
                round as u64 * TRACKING_STEP_MINUTES / 60,
                waybills.len()
            ));
            last_line = line;
        }
        if done == waybills.len() {
            let history: usize = report
                .orders
                .iter()
                .filter_map(|r| r.as_ref().ok())
                .map(|o| o.history.len())
                .sum();
            say(format!(
                "all delivered; {history} history entries in the last report"
            ));
            return Ok(());
        }
    }
    Err("CDEK orders were not delivered within the simulated days".into())
}

async fn info(cdek: &CdekClient, waybills: &[i64]) -> Result<()> {
    step(
        "16",
        "Costs and services («Информация по заказам», info_report)",
    );
    let report = cdek
        .info_report(&InfoQuery::new(
            OrderQuery::new().dispatch_numbers(waybills.iter().copied()),
        ))
        .await?;
    print!(
        "{}",
        table(
            &["waybill", "tariff", "weight, kg", "delivery, ₽", "services"],
            report.orders.iter().map(|r| match r {
                Ok(o) => vec![
                    o.dispatch_number.unwrap_or_default().to_string(),
                    o.tariff.as_ref().map_or_else(String::new, tariff_code),
                    o.weight_kg.map_or_else(String::new, |w| format!("{w:.3}")),
                    o.delivery_sum
                        .map_or_else(String::new, |s| format!("{s:.2}")),
                    o.services.len().to_string(),
                ],
                Err(e) => vec![
                    e.dispatch_number.unwrap_or_default().to_string(),
                    e.code.code().to_owned(),
                    String::new(),
                    String::new(),
                    e.message.clone(),
                ],
            }),
        )
    );
    Ok(())
}

async fn delete_one(cdek: &CdekClient) -> Result<()> {
    step(
        "17",
        "An order still «Создан» (created) is deleted (delete_orders)",
    );
    let created = cdek
        .new_orders(delivery_request(
            "ACT-2026-1202",
            vec![new_order("CDEK-7004", 137, None, "+79001112233", 500)],
        ))
        .await?;
    print!("{}", outcome_table(&created));
    let deleted = cdek.delete_orders("ACT-2026-1202", &["CDEK-7004"]).await?;
    print!(
        "{}",
        table(
            &["order", "result", "message"],
            deleted.orders.iter().map(|r| match r {
                Ok(o) => vec![
                    o.number.clone().unwrap_or_default(),
                    "deleted".to_owned(),
                    o.message.clone().unwrap_or_default(),
                ],
                Err(e) => vec![
                    e.number.clone().unwrap_or_default(),
                    e.code.code().to_owned(),
                    e.message.clone(),
                ],
            }),
        )
    );
    Ok(())
}
