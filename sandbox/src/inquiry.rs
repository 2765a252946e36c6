//! inquiry-desk «Справочная информация» (guide §IV.9): getClientNumByINN over
//! [`Config::inns`](crate::Config) — one match `OK` with the number, none `no-data-found`,
//! several `too-many-rows`, an INN in `inns_no_setting` `no-setting` (statuses, §9.7); an empty
//! INN is the `required-value` fault.

use std::sync::Arc;

use soap_runtime::server::ServerFault;

use crate::generated::dpd_inquiry_desk_service as i;
use crate::{State, REQUIRED};

/// The inquiry-desk implementation.
pub(crate) struct Inquiry(pub(crate) Arc<State>);

type Res<T> = Result<T, ServerFault<i::DpdInquiryDeskFault>>;

fn ws_fault((code, message): (&str, &str)) -> ServerFault<i::DpdInquiryDeskFault> {
    crate::fault(
        i::DpdInquiryDeskFault::WsFault(i::WsFault {
            code: Some(code.to_owned()),
            message: Some(message.to_owned()),
        }),
        message,
    )
}

impl i::DpdInquiryDeskService for Inquiry {
    async fn get_client_num_by_inn(
        &self,
        request: i::GetClientNumByInn,
    ) -> Res<i::GetClientNumByInnResponse> {
        let Some(req) = request.request else {
            return Err(ws_fault(REQUIRED));
        };
        self.0
            .check_auth(req.auth.client_number, &req.auth.client_key)
            .map_err(|(code, msg)| ws_fault((code, &msg)))?;
        let inn = req.client_inn.trim();
        if inn.is_empty() {
            return Err(ws_fault((
                REQUIRED.0,
                &format!("{}: clientINN", REQUIRED.1),
            )));
        }
        let config = &self.0.config;
        let found: Vec<i64> = config
            .inns
            .iter()
            .filter(|(k, _)| k == inn)
            .map(|(_, n)| *n)
            .collect();
        let (status, number, message) = if config.inns_no_setting.iter().any(|k| k == inn) {
            (
                "no-setting",
                None,
                Some("Нет разрешения на оплату не заказчиком перевозки. Просьба обратиться к Вашему менеджеру в DPD"),
            )
        } else {
            match found.as_slice() {
                [] => (
                    "no-data-found",
                    None,
                    Some("В системе DPD не существует клиентского номера, зарегистрированного с искомым ИНН"),
                ),
                [one] => ("OK", Some(*one), None),
                _ => (
                    "too-many-rows",
                    None,
                    Some("По заданному ИНН в системе DPD существует несколько клиентских номеров. Просьба обратиться в DPD"),
                ),
            }
        };
        Ok(i::GetClientNumByInnResponse {
            r#return: Some(i::DpdClientNumByInn {
                client_inn: Some(inn.to_owned()),
                client_number: number,
                status: status.to_owned(),
                error_message: message.map(str::to_owned),
            }),
        })
    }
}
