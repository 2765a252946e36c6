//! tracing and tracing1-1 through the real client: the §5.6.1 timeline on the simulated
//! clock, getStatesByClient documents (redelivery until confirm, resultComplete, unknown
//! docId), full histories, and tracing1-1's weights.

use crate::dpd_common::*;
use dpd_client::generated::parcel_tracing_service as tracing;
use dpd_client::DpdErrorCode;
use sandbox::Config;

const FULL: [&str; 7] = [
    "NewOrderByClient",
    "OnTerminalPickup",
    "OnRoad",
    "OnTerminal",
    "OnTerminalDelivery",
    "Delivering",
    "Delivered",
];

#[tokio::test]
async fn an_order_moves_through_the_documented_states_until_delivered() {
    let (dpd, handle, _) = start().await;
    let num = create_ok(&dpd, kazan("T-1", 2)).await;
    let only_new = dpd
        .states_by_dpd_order(&num, Some(2026))
        .await
        .expect("history");
    assert_eq!(only_new.states.len(), 2, "one state per parcel");
    assert!(only_new
        .states
        .iter()
        .all(|s| s.new_state == "NewOrderByClient"));

    let mut seen = vec![handle.state().orders()[0].state];
    while handle.advance_to_next_event() {
        seen.push(handle.state().orders()[0].state);
    }
    assert_eq!(seen, FULL.iter().map(|s| Some(*s)).collect::<Vec<_>>());
    let view = &handle.state().orders()[0];
    assert_eq!(view.plan_delivery_date.to_string(), "2026-12-05");
    assert!(handle.now() > sandbox::Config::default().start);

    let history = dpd.states_by_dpd_order(&num, None).await.expect("history");
    let p1: Vec<&tracing::StateParcel> = history
        .states
        .iter()
        .filter(|s| s.client_parcel_nr.as_deref() == Some("T-1-P1"))
        .collect();
    let names: Vec<_> = p1.iter().map(|s| s.new_state.as_str()).collect();
    assert_eq!(names, FULL);
    let times: Vec<_> = p1.iter().map(|s| s.transition_time.to_naive()).collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]), "{times:?}");
    assert_eq!(times[1].to_string(), "2026-12-01 10:00:00");
    let delivered = p1.last().expect("delivered");
    assert_eq!(
        delivered.consignee.as_deref(),
        Some("Иванов Сергей Петрович")
    );
    assert_eq!(delivered.terminal_city, "Казань");
    assert_eq!(p1[0].terminal_code, "MOW");
    assert!(p1[..6].iter().all(|s| s.consignee.is_none()));

    // By the client's order and parcel numbers.
    let by_order = dpd
        .states_by_client_order("T-1", None)
        .await
        .expect("by order");
    assert_eq!(by_order.states.len(), 14);
    let by_parcel = dpd
        .states_by_client_parcel("T-1-P2", Some(day1()))
        .await
        .expect("by parcel");
    assert_eq!(by_parcel.states.len(), 7);
    assert!(by_parcel
        .states
        .iter()
        .all(|s| s.client_parcel_nr.as_deref() == Some("T-1-P2") && s.dpd_order_nr == num));

    // tracing1-1 adds weights, volumes, sizes and the declared value.
    let detailed = dpd
        .states_by_client_parcel_detailed("T-1-P2", None)
        .await
        .expect("tracing1-1");
    let s = detailed.states.last().expect("a state");
    assert_eq!(s.new_state, "Delivered");
    assert_eq!(s.order_physical_weight, Some(4.0));
    assert_eq!(s.order_volume, Some(0.01));
    assert_eq!(s.order_volume_weight, Some(2.0));
    assert_eq!(s.order_pay_weight, Some(4.0));
    assert_eq!(s.order_cost, Some(1500.0));
    assert_eq!(s.parcel_physical_weight, Some(2.0));
    assert_eq!(s.parcel_length, Some(30.0));
    let by_num = dpd
        .states_by_dpd_order_detailed(&num, None)
        .await
        .expect("t11");
    assert_eq!(by_num.states.len(), 14);
    let by_order = dpd
        .states_by_client_order_detailed("T-1", None)
        .await
        .expect("t11");
    assert_eq!(by_order.states.len(), 14);

    // Unknown numbers, wrong year: no-data-found; one number on two dates: too-many-rows.
    let err = dpd
        .states_by_dpd_order(&num, Some(2025))
        .await
        .expect_err("year");
    assert_eq!(code(err), DpdErrorCode::NoDataFound);
    let err = dpd
        .states_by_client_order("nope", None)
        .await
        .expect_err("unknown");
    assert_eq!(code(err), DpdErrorCode::NoDataFound);
    let err = dpd
        .states_by_client_parcel_detailed("nope", None)
        .await
        .expect_err("unknown");
    assert_eq!(code(err), DpdErrorCode::NoDataFound);
    let statuses = dpd
        .create_order(orders(date(2026, 12, 10), vec![kazan("T-1", 1)]))
        .await
        .expect("again");
    assert_eq!(statuses[0].status, "OK");
    let err = dpd
        .states_by_client_order("T-1", None)
        .await
        .expect_err("twice");
    assert_eq!(code(err), DpdErrorCode::TooManyRows);
    let one = dpd
        .states_by_client_order("T-1", Some(date(2026, 12, 10)))
        .await
        .expect("with date");
    assert_eq!(one.states.len(), 1);
    handle.stop();
}

#[tokio::test]
async fn get_states_by_client_redelivers_until_confirmed_in_limited_documents() {
    let config = Config {
        states_per_call: 3,
        ..Config::default()
    };
    let (dpd, handle, _) = start_with(config).await;
    create_ok(&dpd, kazan("S-1", 2)).await;
    // 10:00 pickup, 14:00 on the road: 3 states × 2 parcels.
    handle.advance_minutes(5 * 60);

    let first = dpd.states_by_client().await.expect("first");
    assert_eq!(first.states.len(), 3);
    assert!(!first.result_complete);
    assert_eq!(first.client_number, Config::default().client_number);
    assert_eq!(first.doc_date.to_naive().to_string(), "2026-12-01 14:00:00");
    let key = |s: &tracing::StateParcel| (s.dpd_parcel_nr.clone(), s.new_state.clone());
    let first_keys: Vec<_> = first.states.iter().map(key).collect();
    // Oldest first.
    assert!(first
        .states
        .iter()
        .all(|s| s.new_state == "NewOrderByClient" || s.new_state == "OnTerminalPickup"));

    // Not confirmed: the same states again, in a new document.
    let again = dpd.states_by_client().await.expect("again");
    assert_ne!(again.doc_id, first.doc_id);
    assert_eq!(again.states.iter().map(key).collect::<Vec<_>>(), first_keys);
    assert!(!again.result_complete);

    assert_eq!(
        dpd.confirm(again.doc_id).await.expect("confirm"),
        Some(again.doc_id.to_string())
    );
    let rest = dpd.states_by_client().await.expect("rest");
    assert_eq!(rest.states.len(), 3);
    assert!(rest.result_complete);
    assert!(rest.states.iter().all(|s| !first_keys.contains(&key(s))));
    dpd.confirm(rest.doc_id).await.expect("confirm rest");
    let none = dpd.states_by_client().await.expect("none");
    assert!(none.states.is_empty() && none.result_complete);

    // Unknown or already confirmed docIds: no-data-found.
    let err = dpd.confirm(123).await.expect_err("unknown");
    assert_eq!(code(err), DpdErrorCode::NoDataFound);
    let err = dpd.confirm(rest.doc_id).await.expect_err("twice");
    assert_eq!(code(err), DpdErrorCode::NoDataFound);
    // The older, superseded document can still be confirmed (its states are just done).
    dpd.confirm(first.doc_id).await.expect("old doc");

    // The client's loop picks up everything that happens later, confirming as it goes.
    run_to_end(&handle, 50);
    let mut got = Vec::new();
    let summary = dpd
        .sync_states(|batch| {
            got.extend(batch.states.into_iter().map(|s| s.new_state));
            async { Ok::<_, std::io::Error>(()) }
        })
        .await
        .expect("sync");
    assert_eq!(got.len(), 8, "{got:?}");
    assert_eq!(summary.states, 8);
    assert_eq!(summary.batches, 3);
    assert_eq!(got.iter().filter(|s| *s == "Delivered").count(), 2);
    let after = dpd.states_by_client().await.expect("after");
    assert!(after.states.is_empty());
    handle.stop();
}

#[tokio::test]
async fn without_confirmation_states_come_once_and_confirm_is_not_required() {
    let config = Config {
        tracing_with_confirmation: false,
        ..Config::default()
    };
    let (dpd, handle, _) = start_with(config).await;
    create_ok(&dpd, kazan("N-1", 1)).await;
    let first = dpd.states_by_client().await.expect("first");
    assert_eq!(first.states.len(), 1);
    let second = dpd.states_by_client().await.expect("second");
    assert!(second.states.is_empty());
    let err = dpd.confirm(first.doc_id).await.expect_err("not required");
    assert_eq!(code(err), DpdErrorCode::ConfirmNotRequired);
    handle.stop();
}
