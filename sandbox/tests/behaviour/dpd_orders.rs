//! order2 through the real `DpdClient` over HTTP: creation, numbers, validation faults,
//! OrderPending on the simulated clock, address codes, parcel changes and cancellation.

use crate::dpd_common::*;
use dpd_client::generated::dpd_order_service as order;
use dpd_client::{CancelStatus, DpdErrorCode, OrderCreationStatus};

fn internal(n: &str) -> Vec<order::InternalOrderNumber> {
    vec![order::InternalOrderNumber {
        order_number_internal: n.into(),
        date_pickup: None,
    }]
}

#[tokio::test]
async fn create_order_assigns_dpd_numbers_and_get_order_status_finds_them() {
    let (dpd, handle, _) = start().await;
    let statuses = dpd
        .create_order(orders(day1(), vec![kazan("A-1", 1), kazan("A-2", 2)]))
        .await
        .expect("createOrder");
    let nums: Vec<_> = statuses
        .iter()
        .map(|s| {
            assert_eq!(s.creation_status(), OrderCreationStatus::Ok, "{s:?}");
            s.order_num.clone().expect("number")
        })
        .collect();
    // MMDD of the simulated day (12-01), a per-day sequence, the sender's city code.
    assert_eq!(nums, ["12010001MOW", "12010002MOW"]);
    assert!(nums.iter().all(|n| looks_like_dpd_number(n)));

    let status = dpd.order_status(internal("A-2")).await.expect("status");
    assert_eq!(status.len(), 1);
    assert_eq!(status[0].status, "OK");
    assert_eq!(status[0].order_num.as_deref(), Some("12010002MOW"));

    // Unknown client number: DPD's order2 no-data-found fault (Part V.3).
    let err = dpd
        .order_status(internal("nope"))
        .await
        .expect_err("unknown");
    assert_eq!(code(err), DpdErrorCode::NoDataFound);

    // The same client number on two pickup dates: too-many-rows without the date.
    let statuses = dpd
        .create_order(orders(date(2026, 12, 2), vec![kazan("A-1", 1)]))
        .await
        .expect("second day");
    assert_eq!(statuses[0].status, "OK");
    let err = dpd
        .order_status(internal("A-1"))
        .await
        .expect_err("ambiguous");
    assert_eq!(code(err), DpdErrorCode::TooManyRows);
    let by_date = dpd
        .order_status(vec![order::InternalOrderNumber {
            order_number_internal: "A-1".into(),
            date_pickup: Some(date(2026, 12, 2)),
        }])
        .await
        .expect("with date");
    assert_eq!(by_date[0].order_num.as_deref(), Some("12010003MOW"));
    handle.stop();
}

#[tokio::test]
async fn missing_and_invalid_fields_are_required_value_and_error_value() {
    let (dpd, handle, _) = start().await;
    let mut o = kazan("B-1", 1);
    o.service_code = String::new();
    let err = dpd
        .create_order(orders(day1(), vec![o]))
        .await
        .expect_err("required");
    assert_eq!(code(err), DpdErrorCode::RequiredValue);

    let mut o = kazan("B-2", 1);
    o.service_code = "XXX".into();
    let err = dpd
        .create_order(orders(day1(), vec![o]))
        .await
        .expect_err("service");
    assert_eq!(code(err), DpdErrorCode::ErrorValue);

    let mut o = kazan("B-3", 1);
    o.service_variant = "DD".into();
    let err = dpd
        .create_order(orders(day1(), vec![o]))
        .await
        .expect_err("variant");
    assert_eq!(code(err), DpdErrorCode::ErrorValue);

    let mut req = orders(day1(), vec![kazan("B-4", 1)]);
    req.header.pickup_time_period = Some("8-12".into());
    let err = dpd.create_order(req).await.expect_err("period");
    assert_eq!(code(err), DpdErrorCode::ErrorValue);

    let err = dpd
        .create_order(orders(day1(), vec![]))
        .await
        .expect_err("no order");
    assert_eq!(code(err), DpdErrorCode::RequiredValue);

    // An address without a street is that order's OrderError (§3.12), the others go on.
    let mut no_street = door("Казань", "", Some("1"));
    no_street.street = None;
    let statuses = dpd
        .create_order(orders(
            day1(),
            vec![order_to("B-5", no_street, 1), kazan("B-6", 1)],
        ))
        .await
        .expect("per-order statuses");
    assert_eq!(
        statuses[0].creation_status(),
        OrderCreationStatus::OrderError
    );
    assert!(statuses[0].order_num.is_none());
    assert!(
        statuses[0]
            .error_message
            .as_deref()
            .unwrap_or("")
            .contains("Улица"),
        "{:?}",
        statuses[0]
    );
    assert_eq!(statuses[1].status, "OK");
    // A terminal delivery needs a known terminal code.
    let mut t = kazan("B-7", 1);
    t.service_variant = "ДТ".into();
    t.receiver_address.terminal_code = Some("NOPE".into());
    let s = dpd
        .create_order(orders(day1(), vec![t]))
        .await
        .expect("status");
    assert_eq!(s[0].status, "OrderError");
    // A pickup date in the past is refused.
    let s = dpd
        .create_order(orders(date(2026, 11, 30), vec![kazan("B-8", 1)]))
        .await
        .expect("status");
    assert_eq!(s[0].status, "OrderError");
    // More than a year ahead: refused too.
    let s = dpd
        .create_order(orders(date(9999, 12, 31), vec![kazan("B-9", 1)]))
        .await
        .expect("status");
    assert_eq!(s[0].status, "OrderError");
    handle.stop();
}

#[tokio::test]
async fn unrecognised_addresses_stay_pending_then_resolve_on_the_clock() {
    let (dpd, handle, _) = start().await;
    let no_house = order_to("C-1", door("Казань", "Баумана", None), 1);
    let unknown_city = order_to("C-2", door("Атлантида", "Морская", Some("7")), 1);
    let statuses = dpd
        .create_order(orders(day1(), vec![no_house, unknown_city]))
        .await
        .expect("createOrder");
    for s in &statuses {
        assert_eq!(
            s.creation_status(),
            OrderCreationStatus::OrderPending,
            "{s:?}"
        );
        assert!(s.order_num.is_none());
    }
    handle.advance_minutes(sandbox::store::PENDING_MINUTES as u64 - 1);
    let s = dpd.order_status(internal("C-1")).await.expect("status");
    assert_eq!(s[0].status, "OrderPending");

    handle.advance_minutes(1);
    let s = dpd.order_status(internal("C-1")).await.expect("status");
    assert_eq!(s[0].status, "OK");
    // Numbered on the day it was completed.
    assert_eq!(s[0].order_num.as_deref(), Some("12010001MOW"));
    let s = dpd.order_status(internal("C-2")).await.expect("status");
    assert_eq!(s[0].status, "OrderError");
    assert!(s[0]
        .error_message
        .as_deref()
        .unwrap_or("")
        .contains("Атлантида"));
    assert!(s[0].order_num.is_none());

    // The driver's view agrees.
    let views = handle.state().orders();
    assert_eq!(views.len(), 2);
    assert_eq!(views[0].creation_status, "OK");
    assert_eq!(views[1].creation_status, "OrderError");
    handle.stop();
}

#[tokio::test]
async fn address_codes_create_update_and_use() {
    let (dpd, handle, _) = start().await;
    let addr = |code: &str, house: Option<&str>| order::ClientAddress {
        code: code.into(),
        name: "Склад на Авиаторов".into(),
        address_string: None,
        country_name: Some("Россия".into()),
        index: None,
        region: None,
        city: "Москва".into(),
        street: "Авиаторов".into(),
        street_abbr: Some("ул".into()),
        house: house.map(str::to_owned),
        house_korpus: None,
        str: None,
        vlad: None,
        extra_info: None,
        office: None,
        flat: None,
        work_time_from: None,
        work_time_to: None,
        dinner_time_from: None,
        dinner_time_to: None,
        contact_fio: "Смирнов Игорь Николаевич".into(),
        contact_phone: "89165555555".into(),
        contact_email: None,
        instructions: None,
        need_pass: None,
    };
    let ok = dpd
        .create_address(addr("X333", Some("5")))
        .await
        .expect("created");
    assert_eq!(ok.status, "OK");
    let err = dpd
        .create_address(addr("X333", Some("5")))
        .await
        .expect_err("dup");
    assert_eq!(code(err), DpdErrorCode::CodeAlreadyExists);
    let err = dpd
        .create_address(addr("X444", None))
        .await
        .expect_err("no house");
    assert_eq!(code(err), DpdErrorCode::AddressError);
    let err = dpd
        .update_address(addr("X555", Some("1")))
        .await
        .expect_err("unknown");
    assert_eq!(code(err), DpdErrorCode::CodeNotFound);
    let ok = dpd
        .update_address(addr("X333", Some("7")))
        .await
        .expect("updated");
    assert_eq!(ok.status, "OK");

    // An order may send just the code; an unknown code is that order's OrderError.
    let by_code = order::Address {
        code: Some("X333".into()),
        ..Default::default()
    };
    let unknown = order::Address {
        code: Some("NOPE".into()),
        ..Default::default()
    };
    let s = dpd
        .create_order(orders(
            day1(),
            vec![order_to("D-1", by_code, 1), order_to("D-2", unknown, 1)],
        ))
        .await
        .expect("createOrder");
    assert_eq!(s[0].status, "OK");
    assert_eq!(s[1].status, "OrderError");
    handle.stop();
}

fn correction(num: &str, parcels: &[&str]) -> order::DpdOrderCorrection {
    order::DpdOrderCorrection {
        auth: Default::default(),
        order_num: num.into(),
        order_number_internal: None,
        cargo_num_pack: Some(3),
        cargo_weight: Some(6.0),
        cargo_volume: None,
        cargo_value: None,
        cargo_category: Some("Одежда".into()),
        parcel: parcels
            .iter()
            .map(|n| {
                soap_runtime::types::Nillable::Value(order::Parcel {
                    number: (*n).into(),
                    weight: Some(2.0),
                    length: None,
                    width: None,
                    height: None,
                    insurance_cost: None,
                    insurance_cost_vat: None,
                    cod_amount: None,
                })
            })
            .collect(),
    }
}

#[tokio::test]
async fn parcels_change_until_pickup_then_illegal_state() {
    let (dpd, handle, _) = start().await;
    let num = create_ok(&dpd, kazan("E-1", 2)).await;

    let r = dpd
        .add_parcels(correction(&num, &["E-1-P3"]))
        .await
        .expect("added");
    assert_eq!(r.status, "OK");
    assert_eq!(
        r.parcel_status[0].value().map(|p| p.status.as_str()),
        Some("OK")
    );
    // Removing an unknown parcel: per-parcel no-data-found; a doubled one: too-many-rows.
    dpd.add_parcels(correction(&num, &["E-1-P3"]))
        .await
        .expect("added twice");
    let r = dpd
        .remove_parcels(correction(&num, &["E-1-P9", "E-1-P3", "E-1-P1"]))
        .await
        .expect("removed");
    let parcel_statuses: Vec<_> = r
        .parcel_status
        .iter()
        .filter_map(|p| p.value())
        .map(|p| p.status.as_str())
        .collect();
    assert_eq!(parcel_statuses, ["no-data-found", "too-many-rows", "OK"]);
    // The removed parcel no longer shows in the history; the added ones do.
    let states = dpd.states_by_dpd_order(&num, None).await.expect("history");
    let parcels: std::collections::BTreeSet<_> = states
        .states
        .iter()
        .filter_map(|s| s.client_parcel_nr.clone())
        .collect();
    assert_eq!(
        parcels.into_iter().collect::<Vec<_>>(),
        ["E-1-P2", "E-1-P3"]
    );

    let err = dpd
        .add_parcels(correction("00000000XXX", &["Z"]))
        .await
        .expect_err("unknown");
    assert_eq!(code(err), DpdErrorCode::NoDataFound);

    // Picked up at 10:00 of the pickup date (the clock starts at 09:00).
    handle.advance_minutes(60);
    let err = dpd
        .add_parcels(correction(&num, &["E-1-P4"]))
        .await
        .expect_err("picked up");
    assert_eq!(code(err), DpdErrorCode::IllegalState);
    let err = dpd
        .remove_parcels(correction(&num, &["E-1-P2"]))
        .await
        .expect_err("picked up");
    assert_eq!(code(err), DpdErrorCode::IllegalState);

    // The new totals are required (guide §IV.4).
    let mut c = correction(&num, &["E-1-P5"]);
    c.cargo_num_pack = None;
    let err = dpd.add_parcels(c).await.expect_err("totals");
    assert_eq!(code(err), DpdErrorCode::RequiredValue);
    handle.stop();
}

fn cancel(num: Option<&str>, internal: Option<&str>) -> order::OrderCancel {
    order::OrderCancel {
        order_number_internal: internal.map(str::to_owned),
        order_num: num.map(str::to_owned),
        pickupdate: None,
    }
}

#[tokio::test]
async fn cancel_before_and_after_pickup() {
    let (dpd, handle, _) = start().await;
    let early = create_ok(&dpd, kazan("F-1", 1)).await;
    let late = create_ok(&dpd, kazan("F-2", 1)).await;
    let done = create_ok(&dpd, kazan("F-3", 1)).await;

    let r = dpd
        .cancel_order(vec![
            cancel(Some(&early), None),
            cancel(None, None),
            cancel(Some("99999999XXX"), None),
        ])
        .await
        .expect("cancelOrder");
    assert_eq!(r[0].cancel_status(), CancelStatus::Cancelled);
    assert_eq!(r[1].status, "Error");
    assert_eq!(
        r[1].error_message.as_deref(),
        Some("Отмена заказа невозможна, возникла ошибка: Получены не все данные на вход")
    );
    assert_eq!(r[2].status, "Error");
    assert!(r[2]
        .error_message
        .as_deref()
        .unwrap_or("")
        .contains("Не найден заказ"));
    let r = dpd
        .cancel_order(vec![cancel(None, Some("F-1"))])
        .await
        .expect("again");
    assert_eq!(r[0].cancel_status(), CancelStatus::CancelledPreviously);
    let history = dpd
        .states_by_dpd_order(&early, None)
        .await
        .expect("history");
    let last = history.states.last().expect("states");
    assert_eq!(last.new_state, "NotDone");

    // After pickup: a return order is created and the cargo comes back.
    handle.advance_minutes(120);
    let r = dpd
        .cancel_order(vec![cancel(Some(&late), None)])
        .await
        .expect("return");
    assert_eq!(r[0].cancel_status(), CancelStatus::Cancelled);
    handle.advance_minutes(24 * 60);
    let history = dpd.states_by_dpd_order(&late, None).await.expect("history");
    let last = history.states.last().expect("states");
    assert_eq!(last.new_state, "ReturnedFromDelivery");
    let re = last.dpd_order_re_nr.clone().expect("return order number");
    assert!(looks_like_dpd_number(&re), "{re}");
    assert_eq!(last.is_return, Some(true));
    let views = handle.state().orders();
    assert!(views[0].cancelled && views[1].cancelled && !views[2].cancelled);

    // A delivered order can no longer be cancelled.
    run_to_end(&handle, 50);
    let r = dpd
        .cancel_order(vec![cancel(Some(&done), None)])
        .await
        .expect("delivered");
    assert_eq!(r[0].status, "Error");
    handle.stop();
}
