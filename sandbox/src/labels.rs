//! label-print «Печать Наклейки» (guide §IV.7): createLabelFile for orders with DPD numbers.
//!
//! `fileFormat` must be `PDF` or `FP3` and `pageSize` `A5` or `A6` (else `error-value`), at
//! least one order is required (`required-value`) and `parcelsNumber` must be 1..=999
//! (`error-value`). Each order gets a status (Part V.6): `no-data-found` («Заказ № … для
//! клиента № … не найден») for an unknown number; `OrderPending` when the number is the client
//! number of an order still waiting for DPD's completion (§7.6.1's example status);
//! `input-data-error` when the pickup date is before today (the order is outdated);
//! `illegal-state` once the cargo is picked up or the order cancelled; otherwise `OK`. The file
//! holds `parcelsNumber` A6 labels of every OK order — one per page for `A6`, two across an A5
//! page for `A5`, each order starting a new page in the left half — and is absent when no
//! order is OK.

use std::sync::Arc;

use soap_runtime::server::ServerFault;
use soap_runtime::types::{Base64Binary, Nillable};

use crate::files;
use crate::generated::dpd_label_print_service as l;
use crate::store::{Creation, OrderRec};
use crate::{State, BAD_VALUE, REQUIRED, SYSTEM};

/// The label-print implementation.
pub(crate) struct Labels(pub(crate) Arc<State>);

type Res<T> = Result<T, ServerFault<l::DpdLabelPrintFault>>;

fn ws_fault((code, message): (&str, &str)) -> ServerFault<l::DpdLabelPrintFault> {
    crate::fault(
        l::DpdLabelPrintFault::WsFault(l::WsFault {
            code: Some(code.to_owned()),
            message: Some(message.to_owned()),
        }),
        message,
    )
}

fn bad(field: &str) -> ServerFault<l::DpdLabelPrintFault> {
    ws_fault((BAD_VALUE.0, &format!("{}: {field}", BAD_VALUE.1)))
}

/// The fields of label `i` (1-based) of `n` for `order`.
fn label_fields(order: &OrderRec, i: usize, n: usize) -> (Vec<(String, String)>, String) {
    let num = order.number.clone().unwrap_or_default();
    let barcode = order
        .live_parcels()
        .nth(i.saturating_sub(1))
        .map(|p| p.dpd_number.clone())
        .unwrap_or_else(|| format!("{num}{i:03}"));
    let fields = vec![
        ("Заказ DPD".to_owned(), num),
        ("Место".to_owned(), format!("{i} из {n}")),
        (
            "Услуга".to_owned(),
            format!("{} {}", order.service_code, order.service_variant),
        ),
        (
            "Отправитель".to_owned(),
            format!("{}, {}", order.sender.name, order.sender.city),
        ),
        ("Получатель".to_owned(), order.receiver.name.clone()),
        (
            "Адрес".to_owned(),
            format!("{}, {}", order.receiver.city, order.receiver.line),
        ),
        ("Телефон".to_owned(), order.receiver.phone.clone()),
        ("Дата приёма".to_owned(), order.date_pickup.to_string()),
    ];
    (fields, barcode)
}

impl l::DpdLabelPrintService for Labels {
    async fn create_label_file(
        &self,
        request: l::CreateLabelFile,
    ) -> Res<l::CreateLabelFileResponse> {
        let Some(req) = request.get_label_file else {
            return Err(ws_fault(REQUIRED));
        };
        self.0
            .check_auth(req.auth.client_number, &req.auth.client_key)
            .map_err(|(code, msg)| ws_fault((code, &msg)))?;
        let fp3 = match req.file_format.trim().to_uppercase().as_str() {
            "PDF" => false,
            "FP3" => true,
            _ => return Err(bad("fileFormat")),
        };
        let a5 = match req.page_size.trim().to_uppercase().as_str() {
            "A5" => true,
            "A6" => false,
            _ => return Err(bad("pageSize")),
        };
        if req.order.is_empty() {
            return Err(ws_fault((REQUIRED.0, &format!("{}: order", REQUIRED.1))));
        }
        if req
            .order
            .iter()
            .any(|o| !(1..=999).contains(&o.parcels_number))
        {
            return Err(bad("parcelsNumber"));
        }
        let now = self.0.now();
        let mut store = self.0.dpd.lock().map_err(|_| ws_fault(SYSTEM))?;
        store.refresh(now, &self.0.world);
        let client = self.0.config.client_number;
        let mut statuses = Vec::new();
        let mut pages = Vec::new();
        for p in &req.order {
            let num = p.order_num.trim();
            let status = |s: &str, m: Option<String>| {
                Nillable::Value(l::OrderStatus {
                    order_num: Some(p.order_num.clone()),
                    status: s.to_owned(),
                    error_message: m,
                })
            };
            let Some(order) = store.find_by_number(num).and_then(|i| store.orders.get(i)) else {
                let pending = store.orders.iter().any(|o| {
                    o.number.is_none()
                        && o.internal == num
                        && matches!(o.creation, Creation::Pending { .. })
                });
                statuses.push(if pending {
                    status(
                        "OrderPending",
                        Some(format!("Заказ № {num} ожидает доработки сотрудником DPD")),
                    )
                } else {
                    status(
                        "no-data-found",
                        Some(format!("Заказ № {num} для клиента № {client} не найден")),
                    )
                });
                continue;
            };
            // An outdated order is reported as such even though it was picked up too.
            if order.date_pickup < now.date() {
                statuses.push(status(
                    "input-data-error",
                    Some(format!("У заказа № {num} дата забора ранее текущей даты")),
                ));
                continue;
            }
            if order.cancelled || order.picked_up(now) {
                statuses.push(status(
                    "illegal-state",
                    Some(format!(
                        "Состояние заказа № {num} не позволяет создавать наклейки"
                    )),
                ));
                continue;
            }
            let n = usize::try_from(p.parcels_number).unwrap_or(1);
            let labels: Vec<_> = (1..=n).map(|i| label_fields(order, i, n)).collect();
            if a5 {
                // Two labels across an A5 sheet; each order starts a new sheet (left half).
                for pair in labels.chunks(2) {
                    let mut fields = Vec::new();
                    for (side, (f, barcode)) in ["Слева", "Справа"].iter().zip(pair) {
                        fields.push((format!("{side}: штрих-код"), barcode.clone()));
                        fields.extend(f.iter().map(|(k, v)| (format!("{side}: {k}"), v.clone())));
                    }
                    pages.push(files::Page {
                        size: files::PaperSize::A5,
                        title: format!("DPD {num}"),
                        fields,
                        barcode: pair.first().map(|(_, b)| b.clone()),
                    });
                }
            } else {
                for (fields, barcode) in labels {
                    pages.push(files::Page {
                        size: files::PaperSize::A6,
                        title: format!("DPD {num}"),
                        fields,
                        barcode: Some(barcode),
                    });
                }
            }
            statuses.push(status("OK", None));
        }
        let file = (!pages.is_empty()).then(|| {
            Base64Binary(if fp3 {
                files::fp3(&pages)
            } else {
                files::pdf(&pages)
            })
        });
        Ok(l::CreateLabelFileResponse {
            r#return: Some(l::DpdOrderLabelsFile {
                file,
                order: statuses,
            }),
        })
    }
}
