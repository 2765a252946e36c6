//! The DPD half of the day, through `dpd_client::DpdClient` exactly as a shop calls DPD.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use dpd_client::generated::dpd_calculator_service as calc;
use dpd_client::generated::dpd_geography2_service as geo;
use dpd_client::generated::dpd_order_service as order;
use dpd_client::{
    DeliveryTimePeriod, DpdClient, DpdError, DpdErrorCode, Environment, ExtraService, LabelFormat,
    OrderCreationStatus, PageSize, ParcelState, PickupTimePeriod, PollOptions, ServiceVariant,
};
use futures_util::StreamExt;
use sandbox::Handle;
use soap_runtime::types::Date;

use crate::print::{say, step, table};
use crate::Result;

/// Simulated minutes per tracking round: DPD's states move on the sandbox's clock.
const TRACKING_STEP_MINUTES: u64 = 360;
/// Rounds before the day gives up waiting for deliveries.
const MAX_TRACKING_ROUNDS: usize = 60;

/// One of the shop's orders: where it goes and what DPD made of it.
struct ShopOrder {
    number: &'static str,
    city: &'static str,
    street: &'static str,
    house: &'static str,
    weight: f64,
    dpd_number: Option<String>,
}

/// Runs the DPD day; files go to `out`.
pub async fn day(handle: &Handle, base_url: &str, out: &Path) -> Result<()> {
    let config = &handle.state().config;
    let dpd = DpdClient::new(
        config.client_number,
        config.client_key.clone(),
        Environment::Custom(base_url.to_owned()),
    );
    geography(&dpd).await?;
    let service = quote(&dpd).await?;
    too_many_rows(&dpd).await?;
    let pickup = pickup_date(handle)?;
    let orders = create_orders(&dpd, handle, &service, &pickup).await?;
    labels_and_documents(&dpd, &orders, &pickup, out).await?;
    tracking(&dpd, handle, &orders).await?;
    reports(&dpd, &pickup).await?;
    cancel_one(&dpd, handle, &service, &orders).await?;
    refusals(&dpd, handle, base_url).await?;
    Ok(())
}

/// Tomorrow on the sandbox's calendar: the shop books today what the courier collects tomorrow.
fn pickup_date(handle: &Handle) -> Result<Date> {
    let today = handle.state().today();
    let tomorrow = today
        .succ_opt()
        .ok_or("the sandbox calendar ran out of days")?;
    Ok(Date::from_naive(tomorrow))
}

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
        self_delivery: false,
        weight,
        volume: Some(0.02),
        service_code: None,
        pickup_date: None,
        max_days: None,
        max_cost: None,
        declared_value: Some(3000.0),
    }
}

async fn geography(dpd: &DpdClient) -> Result<()> {
    step("1", "Cities with cash on delivery (getCitiesCashPay)");
    let cities = dpd.cities_cash_pay(Some("RU")).await?;
    print!(
        "{}",
        table(
            &["cityId", "city", "region"],
            cities.iter().take(5).map(|c| {
                vec![
                    c.city_id.unwrap_or_default().to_string(),
                    c.city_name.clone().unwrap_or_default(),
                    c.region_name.clone().unwrap_or_default(),
                ]
            }),
        )
    );
    say(format!("… {} cities in all", cities.len()));

    step(
        "2",
        "ПВП (parcel pickup points), streamed entry by entry (getParcelShops)",
    );
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
            say(format!("… {count} decoded"));
        }
    }
    say(format!("{count} pickup points, {moscow} of them in Moscow"));
    Ok(())
}

/// Quotes Москва → Казань and returns the cheapest service's code.
async fn quote(dpd: &DpdClient) -> Result<String> {
    step(
        "3",
        "Quote Москва → Казань, 2.5 kg, door to door (getServiceCost2)",
    );
    let mut costs = dpd
        .service_cost(quote_request(city("Москва"), city("Казань"), 2.5))
        .await?;
    costs.sort_by(|a, b| {
        a.cost
            .unwrap_or_default()
            .total_cmp(&b.cost.unwrap_or_default())
    });
    println!(
        "{}",
        table(
            &["service", "name", "cost, ₽", "days"],
            costs.iter().map(|c| {
                vec![
                    c.service_code.clone().unwrap_or_default(),
                    c.service_name.clone().unwrap_or_default(),
                    format!("{:.2}", c.cost.unwrap_or_default()),
                    c.days.unwrap_or_default().to_string(),
                ]
            }),
        )
    );
    let cheapest = costs
        .first()
        .and_then(|c| c.service_code.clone())
        .ok_or("the calculator offered no service")?;
    say(format!("the shop ships with the cheapest: {cheapest}"));
    Ok(cheapest)
}

async fn too_many_rows(dpd: &DpdClient) -> Result<()> {
    step(
        "4",
        "An ambiguous city name: the guide's too-many-rows procedure",
    );
    let ambiguous = quote_request(city("Москва"), city("Железнодорожный"), 1.0);
    match dpd.service_cost(ambiguous).await {
        Err(DpdError::Service {
            code: DpdErrorCode::TooManyRows,
            delivery_dups,
            ..
        }) => {
            say(format!(
                "DPD answered too-many-rows with {} candidate cities:",
                delivery_dups.len()
            ));
            print!(
                "{}",
                table(
                    &["cityId", "region"],
                    delivery_dups.iter().map(|d| {
                        vec![
                            d.city_id.unwrap_or_default().to_string(),
                            d.region_name.clone().unwrap_or_default(),
                        ]
                    }),
                )
            );
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
            say(format!(
                "retried with cityId {chosen}: {} services offered",
                costs.len()
            ));
            Ok(())
        }
        other => Err(format!("expected too-many-rows, got {other:?}").into()),
    }
}

fn address(name: &str, city: &str, street: &str, house: &str, phone: &str) -> order::Address {
    order::Address {
        name: Some(name.into()),
        country_name: Some("Россия".into()),
        city: Some(city.into()),
        street: Some(street.into()),
        street_abbr: Some("ул".into()),
        house: Some(house.into()),
        contact_fio: Some(name.into()),
        contact_phone: Some(phone.into()),
        ..Default::default()
    }
}

/// One createOrder document: the shop's warehouse as sender, `orders` as receivers.
fn orders_data(orders: &[ShopOrder], service: &str, pickup: &Date) -> order::DpdOrdersData {
    order::DpdOrdersData {
        auth: Default::default(), // filled in by DpdClient
        header: order::Header {
            date_pickup: pickup.clone(),
            payer: None,
            sender_address: address("ООО «Ромашка»", "Москва", "Полярная", "31", "+74951234567"),
            pickup_time_period: Some(PickupTimePeriod::Any.to_string()),
            regular_num: None,
        },
        order: orders
            .iter()
            .map(|o| order::Order {
                order_number_internal: o.number.into(),
                service_code: service.to_owned(),
                service_variant: ServiceVariant::DoorDoor.to_string(),
                cargo_num_pack: 1,
                cargo_weight: o.weight,
                cargo_volume: Some(0.01),
                cargo_registered: false,
                cargo_value: Some(3000.0),
                cargo_category: "Одежда".into(),
                delivery_time_period: Some(DeliveryTimePeriod::Any.to_string()),
                payment_type: None,
                extra_param: Vec::new(),
                data_int: None,
                receiver_address: address("Петров Пётр", o.city, o.street, o.house, "+79111234567"),
                extra_service: vec![ExtraService::sms("+79111234567").into()],
                parcel: Vec::new(),
                unit_load: Vec::new(),
            })
            .collect(),
    }
}

async fn create_orders(
    dpd: &DpdClient,
    handle: &Handle,
    service: &str,
    pickup: &Date,
) -> Result<Vec<ShopOrder>> {
    step(
        "5",
        &format!("Create the day's orders for pickup on {pickup} (createOrder)"),
    );
    let mut orders = vec![
        ShopOrder {
            number: "SHOP-24001",
            city: "Казань",
            street: "Баумана",
            house: "19",
            weight: 2.5,
            dpd_number: None,
        },
        ShopOrder {
            number: "SHOP-24002",
            city: "Санкт-Петербург",
            street: "Невский",
            house: "28",
            weight: 1.2,
            dpd_number: None,
        },
        ShopOrder {
            number: "SHOP-24003",
            city: "Новосибирск",
            street: "Красный проспект",
            house: "",
            weight: 4.0,
            dpd_number: None,
        },
    ];
    let request = orders_data(&orders, service, pickup);
    let statuses = dpd.create_order(request).await?;
    let mut pending = Vec::new();
    let mut rows = Vec::new();
    for s in &statuses {
        let ours = s.order_number_internal.clone().unwrap_or_default();
        rows.push(vec![
            ours.clone(),
            s.status.clone(),
            s.order_num.clone().unwrap_or_else(|| "—".into()),
            s.error_message.clone().unwrap_or_default(),
        ]);
        match s.creation_status() {
            OrderCreationStatus::Ok => set_number(&mut orders, &ours, s.order_num.clone()),
            OrderCreationStatus::OrderPending => pending.push(ours),
            other => return Err(format!("order {ours} was refused: {other:?}").into()),
        }
    }
    print!(
        "{}",
        table(&["order", "status", "DPD number", "message"], rows)
    );
    for ours in pending {
        say(format!(
            "{ours} is OrderPending: DPD completes it by hand; polling getOrderStatus …"
        ));
        // The sandbox resolves pending orders on its simulated clock: let that time pass.
        handle.advance_minutes(sandbox::store::PENDING_MINUTES.unsigned_abs());
        let poll = PollOptions {
            interval: Duration::from_millis(50),
            max_attempts: 10,
        };
        let done = dpd
            .poll_order_status(&ours, Some(pickup.clone()), poll)
            .await?;
        say(format!(
            "{ours} → {} {}",
            done.status,
            done.order_num.as_deref().unwrap_or("")
        ));
        set_number(&mut orders, &ours, done.order_num.clone());
    }
    Ok(orders)
}

fn set_number(orders: &mut [ShopOrder], ours: &str, dpd_number: Option<String>) {
    if let Some(o) = orders.iter_mut().find(|o| o.number == ours) {
        o.dpd_number = dpd_number;
    }
}

async fn labels_and_documents(
    dpd: &DpdClient,
    orders: &[ShopOrder],
    pickup: &Date,
    out: &Path,
) -> Result<()> {
    step(
        "6",
        "Print labels, waybills and the courier register to files",
    );
    std::fs::create_dir_all(out)?;
    let numbered: Vec<(&str, i32)> = orders
        .iter()
        .filter_map(|o| o.dpd_number.as_deref().map(|n| (n, 1)))
        .collect();
    let label = dpd
        .create_label_file(LabelFormat::Pdf, PageSize::A6, &numbered)
        .await?;
    let labels = out.join("dpd-labels-a6.pdf");
    std::fs::write(&labels, &label.bytes)?;
    print!(
        "{}",
        table(
            &["DPD number", "label status", "message"],
            label.orders.iter().map(|o| {
                vec![
                    o.order_num.clone().unwrap_or_default(),
                    o.status.clone(),
                    o.error_message.clone().unwrap_or_default(),
                ]
            }),
        )
    );
    say(format!(
        "createLabelFile (PDF, A6): {} KiB → {}",
        label.bytes.len() / 1024,
        labels.display()
    ));
    for o in orders {
        let Some(num) = o.dpd_number.as_deref() else {
            continue;
        };
        let invoice = dpd
            .invoice_file(order::DpdGetInvoiceFile {
                auth: Default::default(), // filled in by DpdClient
                order_num: num.to_owned(),
                parcel_count: Some(1),
                cargo_value: None,
            })
            .await?;
        let path = out.join(format!("dpd-waybill-{num}.pdf"));
        std::fs::write(&path, &invoice)?;
        say(format!(
            "getInvoiceFile {num}: {} KiB → {}",
            invoice.len() / 1024,
            path.display()
        ));
    }
    let registers = dpd.register_files(pickup.clone()).await?;
    for (i, file) in registers.iter().enumerate() {
        let path = out.join(format!("dpd-register-{}.xlsx", i + 1));
        std::fs::write(&path, file)?;
        say(format!(
            "getRegisterFile: {} KiB → {}",
            file.len() / 1024,
            path.display()
        ));
    }
    Ok(())
}

async fn cancel_one(
    dpd: &DpdClient,
    handle: &Handle,
    service: &str,
    delivered: &[ShopOrder],
) -> Result<()> {
    step(
        "9",
        "A late order is cancelled before pickup; a delivered one cannot be (cancelOrder)",
    );
    let pickup = pickup_date(handle)?;
    let late = [ShopOrder {
        number: "SHOP-24004",
        city: "Екатеринбург",
        street: "Малышева",
        house: "51",
        weight: 0.8,
        dpd_number: None,
    }];
    let created = dpd
        .create_order(orders_data(&late, service, &pickup))
        .await?;
    let late_number = created
        .first()
        .and_then(|s| s.order_num.clone())
        .ok_or("the late order got no DPD number")?;
    say(format!("SHOP-24004 booked for {pickup}: {late_number}"));
    let first = delivered.first().ok_or("no delivered order")?;
    let statuses = dpd
        .cancel_order(vec![
            order::OrderCancel {
                order_number_internal: Some("SHOP-24004".into()),
                order_num: Some(late_number),
                pickupdate: Some(pickup.clone()),
            },
            order::OrderCancel {
                order_number_internal: Some(first.number.into()),
                order_num: first.dpd_number.clone(),
                pickupdate: None,
            },
        ])
        .await?;
    print!(
        "{}",
        table(
            &["order", "DPD number", "cancel status", "message"],
            statuses.iter().map(|s| {
                vec![
                    s.order_number_internal.clone().unwrap_or_default(),
                    s.order_num.clone().unwrap_or_default(),
                    s.status.clone(),
                    s.error_message.clone().unwrap_or_default(),
                ]
            }),
        )
    );
    Ok(())
}

async fn tracking(dpd: &DpdClient, handle: &Handle, orders: &[ShopOrder]) -> Result<()> {
    step(
        "7",
        "Track until delivered (getStatesByClient → store → confirm)",
    );
    // The shop's own store of parcel states, keyed by its order number.
    let mut store: BTreeMap<String, (ParcelState, String)> = BTreeMap::new();
    let mut total_states = 0usize;
    let mut last_line = String::new();
    for round in 1..=MAX_TRACKING_ROUNDS {
        handle.advance_minutes(TRACKING_STEP_MINUTES);
        let mut batch_states = Vec::new();
        let summary = dpd
            .sync_states(|batch| {
                batch_states.extend(batch.states);
                async { Ok::<(), std::io::Error>(()) }
            })
            .await?;
        total_states += summary.states;
        for s in batch_states {
            let key = s.client_order_nr.clone().unwrap_or(s.dpd_order_nr.clone());
            let newer = store
                .get(&key)
                .is_none_or(|(_, time)| *time <= s.transition_time.to_string());
            if newer {
                store.insert(key, (s.state(), s.transition_time.to_string()));
            }
        }
        let delivered = orders
            .iter()
            .filter(|o| matches!(store.get(o.number), Some((ParcelState::Delivered, _))))
            .count();
        let line: Vec<String> = orders
            .iter()
            .map(|o| {
                let state = store
                    .get(o.number)
                    .map_or("—".to_owned(), |(s, _)| s.to_string());
                format!("{} {state}", o.number)
            })
            .collect();
        let line = line.join(", ");
        if line != last_line {
            say(format!(
                "+{:>3} h  {delivered}/{} delivered  [{line}]",
                round as u64 * TRACKING_STEP_MINUTES / 60,
                orders.len(),
            ));
            last_line = line;
        }
        if delivered == orders.len() {
            say(format!(
                "all delivered; {total_states} states received and confirmed"
            ));
            return Ok(());
        }
    }
    Err("parcels were not delivered within the simulated days".into())
}

async fn reports(dpd: &DpdClient, pickup: &Date) -> Result<()> {
    step(
        "8",
        "Reports: preliminary cost of the day's orders (getNLAmount)",
    );
    let amounts = dpd.nl_amount(pickup.clone(), pickup.clone()).await?;
    print!(
        "{}",
        table(
            &["DPD number", "amount, ₽"],
            amounts.iter().map(|a| {
                vec![
                    a.ordernum.clone().unwrap_or_default(),
                    format!("{:.2}", a.amount.unwrap_or_default()),
                ]
            }),
        )
    );
    match dpd.nl_amount(pickup.clone(), pickup.clone()).await {
        Err(e @ DpdError::ReportRateLimited { .. }) => {
            say(format!("asking again at once is refused locally: {e}"));
            Ok(())
        }
        other => Err(format!("expected the 30-minute report limit, got {other:?}").into()),
    }
}

async fn refusals(dpd: &DpdClient, handle: &Handle, base_url: &str) -> Result<()> {
    step("10", "What DPD refuses, and a busy server");
    let stranger = DpdClient::new(42, "not-the-key", Environment::Custom(base_url.to_owned()));
    match stranger.cities_cash_pay(None).await {
        Err(e) => say(format!("wrong credentials: {e}")),
        Ok(_) => return Err("the sandbox accepted unknown credentials".into()),
    }
    handle.faults().too_many_calls_next(1);
    match dpd.cities_cash_pay(Some("RU")).await {
        Err(e) if e.is_retryable() => {
            say(format!("busy: {e} — retryable, so the shop retries"));
            let cities = dpd.cities_cash_pay(Some("RU")).await?;
            say(format!("retry: {} cities", cities.len()));
            Ok(())
        }
        other => Err(format!("expected too-many-calls, got {other:?}").into()),
    }
}
