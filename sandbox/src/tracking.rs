//! tracing and tracing1-1 (guide §IV.5).
//!
//! getStatesByClient answers a *document*: a fresh `docId` holding the oldest parcel states
//! (by transition time) not yet confirmed, at most [`Config::states_per_call`](crate::Config)
//! of them; `resultComplete` is false when more remain. Until `confirm(docId)` those states
//! come again in the next document; confirm removes them for good. A `docId` that was never
//! handed out, or was confirmed already, is a `no-data-found` fault. With
//! `tracing_with_confirmation` off (DPD's «без подтверждения»), every state is sent once and
//! confirm is the `confirm-not-required` fault (Part V.4).
//!
//! The history methods return every state so far of the matching order/parcel, without
//! confirmation; nothing found is `no-data-found`, several orders `too-many-rows` (Part V.4).
//! States only exist for orders with a DPD number.

use std::sync::Arc;

use chrono::{Datelike, NaiveDateTime};
use soap_runtime::server::ServerFault;
use soap_runtime::types::{Date, DateTime};

use crate::generated::{parcel_tracing11_service as t11, parcel_tracing_service as t};
use crate::store::{city_code, OrderRec, ParcelRec, ParcelState, StateKey, Store};
use crate::{State, NOT_FOUND, REQUIRED, SYSTEM, TOO_MANY};

/// The tracing implementation.
pub(crate) struct Tracing(pub(crate) Arc<State>);

/// The tracing1-1 implementation.
pub(crate) struct Tracing11(pub(crate) Arc<State>);

type Res<T> = Result<T, ServerFault<t::ParcelTracingFault>>;
type Res11<T> = Result<T, ServerFault<t11::ParcelTracing11Fault>>;

fn ws_fault((code, message): (&str, &str)) -> ServerFault<t::ParcelTracingFault> {
    crate::fault(
        t::ParcelTracingFault::WsFault(t::WsFault {
            code: Some(code.to_owned()),
            message: Some(message.to_owned()),
        }),
        message,
    )
}

fn ws_fault11((code, message): (&str, &str)) -> ServerFault<t11::ParcelTracing11Fault> {
    crate::fault(
        t11::ParcelTracing11Fault::WsFault(t11::WsFault {
            code: Some(code.to_owned()),
            message: Some(message.to_owned()),
        }),
        message,
    )
}

/// One state of one parcel.
struct Row<'a> {
    order: &'a OrderRec,
    parcel: &'a ParcelRec,
    time: NaiveDateTime,
    state: ParcelState,
}

/// The terminal (code, city) where `state` happens for `order`.
fn terminal(order: &OrderRec, state: ParcelState) -> (String, String) {
    let city = match state {
        ParcelState::NewOrderByClient
        | ParcelState::NotDone
        | ParcelState::OnTerminalPickup
        | ParcelState::OnRoad
        | ParcelState::ReturnedFromDelivery => &order.sender.city,
        // Transit goes through the Moscow hub.
        ParcelState::OnTerminal => return ("MOW".to_owned(), "Москва".to_owned()),
        _ => &order.receiver.city,
    };
    (city_code(city), city.clone())
}

/// Orders with a DPD number, their live parcels and states visible at `now`.
fn rows<'a>(
    store: &'a Store,
    now: NaiveDateTime,
    orders: impl Fn(&OrderRec) -> bool,
    parcels: impl Fn(&ParcelRec) -> bool,
) -> Vec<(StateKey, Row<'a>)> {
    let mut out = Vec::new();
    for (oi, order) in store.orders.iter().enumerate() {
        if order.number.is_none() || !orders(order) {
            continue;
        }
        for parcel in order.live_parcels().filter(|p| parcels(p)) {
            for (ei, (time, state)) in order.events.iter().enumerate() {
                if *time <= now {
                    out.push((
                        (oi, parcel.dpd_number.clone(), ei),
                        Row {
                            order,
                            parcel,
                            time: *time,
                            state: *state,
                        },
                    ));
                }
            }
        }
    }
    out.sort_by(|a, b| a.1.time.cmp(&b.1.time).then_with(|| a.0.cmp(&b.0)));
    out
}

fn to_state(r: &Row<'_>) -> t::StateParcel {
    let (terminal_code, terminal_city) = terminal(r.order, r.state);
    t::StateParcel {
        client_order_nr: Some(r.order.internal.clone()),
        client_parcel_nr: Some(r.parcel.number.clone()),
        dpd_order_nr: r.order.number.clone().unwrap_or_default(),
        dpd_parcel_nr: r.parcel.dpd_number.clone(),
        pickup_date: Date::from_naive(r.order.date_pickup),
        dpd_order_re_nr: r.order.return_number.clone(),
        dpd_parcel_re_nr: None,
        is_return: r.order.return_number.as_ref().map(|_| true),
        plan_delivery_date: Some(Date::from_naive(crate::store::plus_days(
            r.order.date_pickup,
            r.order.days,
        ))),
        new_state: r.state.as_str().to_owned(),
        transition_time: DateTime::from_naive(r.time),
        terminal_code,
        terminal_city,
        incident_code: None,
        incident_name: None,
        consignee: (r.state == ParcelState::Delivered).then(|| r.order.receiver.name.clone()),
    }
}

fn to_state11(r: &Row<'_>) -> t11::StateParcel {
    let s = to_state(r);
    let o = r.order;
    // Volumetric weight: 200 kg per m³, as the calculator bills.
    let volume = o.cargo_volume.unwrap_or(0.0);
    let parcels = o.live_parcels().count().max(1) as f64;
    let p_weight = r.parcel.weight.unwrap_or(o.cargo_weight / parcels);
    let p_volume = volume / parcels;
    let round = |v: f64| (v * 1000.0).round() / 1000.0;
    t11::StateParcel {
        client_order_nr: s.client_order_nr,
        client_parcel_nr: s.client_parcel_nr,
        dpd_order_nr: s.dpd_order_nr,
        dpd_parcel_nr: s.dpd_parcel_nr,
        pickup_date: s.pickup_date,
        dpd_order_re_nr: s.dpd_order_re_nr,
        dpd_parcel_re_nr: s.dpd_parcel_re_nr,
        is_return: s.is_return,
        plan_delivery_date: s.plan_delivery_date,
        order_physical_weight: Some(round(o.cargo_weight)),
        order_volume: Some(round(volume)),
        order_volume_weight: Some(round(volume * 200.0)),
        order_pay_weight: Some(round(o.cargo_weight.max(volume * 200.0))),
        order_cost: o.cargo_value,
        parcel_physical_weight: Some(round(p_weight)),
        parcel_volume: Some(round(p_volume)),
        parcel_volume_weight: Some(round(p_volume * 200.0)),
        parcel_pay_weight: Some(round(p_weight.max(p_volume * 200.0))),
        parcel_length: r.parcel.size[0],
        parcel_width: r.parcel.size[1],
        parcel_height: r.parcel.size[2],
        new_state: s.new_state,
        transition_time: s.transition_time,
        terminal_code: s.terminal_code,
        terminal_city: s.terminal_city,
        incident_code: s.incident_code,
        incident_name: s.incident_name,
        consignee: s.consignee,
    }
}

/// Which history is asked for.
enum Query<'a> {
    ClientOrder(&'a str, Option<chrono::NaiveDate>),
    ClientParcel(&'a str, Option<chrono::NaiveDate>),
    DpdOrder(&'a str, Option<i32>),
}

/// Full history for `query`; `Err` is the (code, message) fault.
fn history<'a>(
    store: &'a Store,
    now: NaiveDateTime,
    query: &Query<'_>,
) -> Result<Vec<Row<'a>>, (&'static str, &'static str)> {
    let order_matches = |o: &OrderRec| -> bool {
        match *query {
            Query::ClientOrder(nr, date) => {
                o.internal == nr.trim() && date.is_none_or(|d| d == o.date_pickup)
            }
            Query::ClientParcel(nr, date) => {
                o.live_parcels().any(|p| p.number == nr.trim())
                    && date.is_none_or(|d| d == o.date_pickup)
            }
            Query::DpdOrder(nr, year) => {
                o.number.as_deref() == Some(nr.trim())
                    && year.is_none_or(|y| y == o.date_pickup.year())
            }
        }
    };
    let matching = store
        .orders
        .iter()
        .filter(|o| o.number.is_some() && order_matches(o))
        .count();
    match matching {
        0 => return Err(NOT_FOUND),
        1 => {}
        _ => return Err(TOO_MANY),
    }
    let parcel_matches = |p: &ParcelRec| match *query {
        Query::ClientParcel(nr, _) => p.number == nr.trim(),
        _ => true,
    };
    Ok(rows(store, now, order_matches, parcel_matches)
        .into_iter()
        .map(|(_, r)| r)
        .collect())
}

impl Tracing {
    fn auth(&self, auth: &t::Auth) -> Res<()> {
        self.0
            .check_auth(auth.client_number, &auth.client_key)
            .map_err(|(code, msg)| ws_fault((code, &msg)))
    }

    fn answer(&self, query: &Query<'_>) -> Res<Option<t::StateParcels>> {
        let now = self.0.now();
        let mut store = self.0.dpd.lock().map_err(|_| ws_fault(SYSTEM))?;
        store.refresh(now, &self.0.world);
        let rows = history(&store, now, query).map_err(ws_fault)?;
        Ok(Some(t::StateParcels {
            doc_id: 0,
            doc_date: DateTime::from_naive(now),
            client_number: self.0.config.client_number,
            result_complete: true,
            states: rows.iter().map(to_state).collect(),
        }))
    }
}

impl Tracing11 {
    fn auth(&self, auth: &t11::Auth) -> Res11<()> {
        self.0
            .check_auth(auth.client_number, &auth.client_key)
            .map_err(|(code, msg)| ws_fault11((code, &msg)))
    }

    fn answer(&self, query: &Query<'_>) -> Res11<Option<t11::StateParcels>> {
        let now = self.0.now();
        let mut store = self.0.dpd.lock().map_err(|_| ws_fault11(SYSTEM))?;
        store.refresh(now, &self.0.world);
        let rows = history(&store, now, query).map_err(ws_fault11)?;
        Ok(Some(t11::StateParcels {
            doc_id: 0,
            doc_date: DateTime::from_naive(now),
            client_number: self.0.config.client_number,
            result_complete: true,
            states: rows.iter().map(to_state11).collect(),
        }))
    }
}

impl t::ParcelTracingService for Tracing {
    async fn get_states_by_client(
        &self,
        request: t::GetStatesByClient,
    ) -> Res<t::GetStatesByClientResponse> {
        let Some(req) = request.request else {
            return Err(ws_fault(REQUIRED));
        };
        self.auth(&req.auth)?;
        let now = self.0.now();
        let mut store = self.0.dpd.lock().map_err(|_| ws_fault(SYSTEM))?;
        store.refresh(now, &self.0.world);
        let limit = self.0.config.states_per_call.max(1);
        let (states, keys, complete) = {
            let pending: Vec<_> = rows(&store, now, |_| true, |_| true)
                .into_iter()
                .filter(|(k, _)| !store.confirmed.contains(k))
                .collect();
            let complete = pending.len() <= limit;
            let batch: Vec<_> = pending.into_iter().take(limit).collect();
            let states: Vec<t::StateParcel> = batch.iter().map(|(_, r)| to_state(r)).collect();
            let keys: Vec<StateKey> = batch.into_iter().map(|(k, _)| k).collect();
            (states, keys, complete)
        };
        store.doc_seq += 1;
        let doc_id = 700_000 + store.doc_seq;
        if self.0.config.tracing_with_confirmation {
            store.docs.insert(doc_id, keys);
        } else {
            store.confirmed.extend(keys);
        }
        Ok(t::GetStatesByClientResponse {
            r#return: Some(t::StateParcels {
                doc_id,
                doc_date: DateTime::from_naive(now),
                client_number: self.0.config.client_number,
                result_complete: complete,
                states,
            }),
        })
    }

    async fn get_states_by_client_order(
        &self,
        request: t::GetStatesByClientOrder,
    ) -> Res<t::GetStatesByClientOrderResponse> {
        let Some(req) = request.request else {
            return Err(ws_fault(REQUIRED));
        };
        self.auth(&req.auth)?;
        let date = req.pickup_date.as_ref().map(Date::to_naive_date);
        Ok(t::GetStatesByClientOrderResponse {
            r#return: self.answer(&Query::ClientOrder(&req.client_order_nr, date))?,
        })
    }

    async fn get_states_by_client_parcel(
        &self,
        request: t::GetStatesByClientParcel,
    ) -> Res<t::GetStatesByClientParcelResponse> {
        let Some(req) = request.request else {
            return Err(ws_fault(REQUIRED));
        };
        self.auth(&req.auth)?;
        let date = req.pickup_date.as_ref().map(Date::to_naive_date);
        Ok(t::GetStatesByClientParcelResponse {
            r#return: self.answer(&Query::ClientParcel(&req.client_parcel_nr, date))?,
        })
    }

    async fn get_states_by_dpd_order(
        &self,
        request: t::GetStatesByDpdOrder,
    ) -> Res<t::GetStatesByDpdOrderResponse> {
        let Some(req) = request.request else {
            return Err(ws_fault(REQUIRED));
        };
        self.auth(&req.auth)?;
        Ok(t::GetStatesByDpdOrderResponse {
            r#return: self.answer(&Query::DpdOrder(&req.dpd_order_nr, req.pickup_year))?,
        })
    }

    async fn confirm(&self, request: t::Confirm) -> Res<t::ConfirmResponse> {
        let Some(req) = request.request else {
            return Err(ws_fault(REQUIRED));
        };
        self.auth(&req.auth)?;
        if !self.0.config.tracing_with_confirmation {
            return Err(ws_fault((
                "confirm-not-required",
                "Запрос не предполагает подтверждения",
            )));
        }
        let mut store = self.0.dpd.lock().map_err(|_| ws_fault(SYSTEM))?;
        let keys = store
            .docs
            .remove(&req.doc_id)
            .ok_or_else(|| ws_fault(NOT_FOUND))?;
        store.confirmed.extend(keys);
        Ok(t::ConfirmResponse {
            r#return: Some(req.doc_id.to_string()),
        })
    }
}

impl t11::ParcelTracing11Service for Tracing11 {
    async fn get_states_by_client_order(
        &self,
        request: t11::GetStatesByClientOrder,
    ) -> Res11<t11::GetStatesByClientOrderResponse> {
        let Some(req) = request.request else {
            return Err(ws_fault11(REQUIRED));
        };
        self.auth(&req.auth)?;
        let date = req.pickup_date.as_ref().map(Date::to_naive_date);
        Ok(t11::GetStatesByClientOrderResponse {
            r#return: self.answer(&Query::ClientOrder(&req.client_order_nr, date))?,
        })
    }

    async fn get_states_by_client_parcel(
        &self,
        request: t11::GetStatesByClientParcel,
    ) -> Res11<t11::GetStatesByClientParcelResponse> {
        let Some(req) = request.request else {
            return Err(ws_fault11(REQUIRED));
        };
        self.auth(&req.auth)?;
        let date = req.pickup_date.as_ref().map(Date::to_naive_date);
        Ok(t11::GetStatesByClientParcelResponse {
            r#return: self.answer(&Query::ClientParcel(&req.client_parcel_nr, date))?,
        })
    }

    async fn get_states_by_dpd_order(
        &self,
        request: t11::GetStatesByDpdOrder,
    ) -> Res11<t11::GetStatesByDpdOrderResponse> {
        let Some(req) = request.request else {
            return Err(ws_fault11(REQUIRED));
        };
        self.auth(&req.auth)?;
        Ok(t11::GetStatesByDpdOrderResponse {
            r#return: self.answer(&Query::DpdOrder(&req.dpd_order_nr, req.pickup_year))?,
        })
    }
}
