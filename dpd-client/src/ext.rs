//! Typed accessors on generated types, `Default` for the `auth` placeholders, and builders
//! for options (опции) and cash-payment parameters.

use crate::codes::{
    CancelStatus, OptionCode, OrderChangeStatus, OrderCreationStatus, ParcelShopType, ParcelState,
    PaymentType, WaitingReason,
};
use crate::generated::{
    dpd_geography2_service as geo, dpd_order_service as order,
    parcel_tracing11_service as tracing11, parcel_tracing_service as tracing,
};

/// `Auth::default()` is the placeholder to put in request structs; [`DpdClient`](crate::DpdClient)
/// replaces it with the real credentials on every call.
macro_rules! auth_default {
    ($($module:ident),+) => {$(
        impl Default for crate::generated::$module::Auth {
            fn default() -> Self {
                Self { client_number: 0, client_key: String::new() }
            }
        }
    )+};
}

auth_default!(
    dpd_calculator_service,
    dpd_geography2_service,
    dpd_inquiry_desk_service,
    dpd_label_print_service,
    dpd_order_service,
    dpd_reports_service,
    parcel_tracing_service,
    parcel_tracing11_service
);

impl order::DpdOrderStatus {
    /// The createOrder / getOrderStatus outcome (guide §3.12).
    #[must_use]
    pub fn creation_status(&self) -> OrderCreationStatus {
        OrderCreationStatus::from(self.status.as_str())
    }

    /// The cancelOrder outcome (guide §8.7).
    #[must_use]
    pub fn cancel_status(&self) -> CancelStatus {
        CancelStatus::from(self.status.as_str())
    }
}

impl order::ParcelStatus {
    /// The per-parcel outcome of addParcels/removeParcels (guide §4.7.2).
    #[must_use]
    pub fn change_status(&self) -> OrderChangeStatus {
        OrderChangeStatus::from(self.status.as_str())
    }
}

impl geo::ParcelShop {
    /// The point type: terminal, city depot or ПВП (parcel pickup point).
    #[must_use]
    pub fn shop_type(&self) -> Option<ParcelShopType> {
        self.parcel_shop_type.as_deref().map(ParcelShopType::from)
    }
}

macro_rules! tracing_ext {
    ($($module:ident),+) => {$(
        impl $module::StateParcel {
            /// The typed state (guide §5.6.1).
            #[must_use]
            pub fn state(&self) -> ParcelState {
                ParcelState::from(self.new_state.as_str())
            }
        }

        impl $module::StateParcels {
            /// The current state of each DPD parcel: the entry with the latest
            /// `transitionTime` (guide §5.4.2), ordered by parcel number.
            #[must_use]
            pub fn current_states(&self) -> Vec<&$module::StateParcel> {
                let mut latest: std::collections::BTreeMap<&str, &$module::StateParcel> =
                    std::collections::BTreeMap::new();
                for s in &self.states {
                    let newer = latest
                        .get(s.dpd_parcel_nr.as_str())
                        .is_none_or(|cur| s.transition_time.to_naive() >= cur.transition_time.to_naive());
                    if newer {
                        latest.insert(s.dpd_parcel_nr.as_str(), s);
                    }
                }
                latest.into_values().collect()
            }

            /// The most recent state overall (by `transitionTime`), e.g. of a one-parcel order.
            #[must_use]
            pub fn current_state(&self) -> Option<&$module::StateParcel> {
                self.states.iter().max_by_key(|s| s.transition_time.to_naive())
            }
        }
    )+};
}

tracing_ext!(tracing, tracing11);

/// Builders of order options (`extraService`, guide §3.11) with their parameters.
pub struct ExtraService;

impl ExtraService {
    fn with(code: OptionCode, params: &[(&str, String)]) -> order::ExtraService {
        order::ExtraService {
            es_code: code.as_str().to_owned(),
            param: params
                .iter()
                .map(|(name, value)| {
                    order::Parameter {
                        name: (*name).to_owned(),
                        value: value.clone(),
                    }
                    .into()
                })
                .collect(),
        }
    }

    /// An option without parameters (ВДО, ДВД, ПРД, ТРМ, …).
    #[must_use]
    pub fn plain(code: OptionCode) -> order::ExtraService {
        Self::with(code, &[])
    }

    /// `SMS` to the receiver's `phone`.
    #[must_use]
    pub fn sms(phone: &str) -> order::ExtraService {
        Self::with(OptionCode::Sms, &[("phone", phone.to_owned())])
    }

    /// An e-mail option (`EML`, `ЭСД`, `ЭСЗ`, `ПОД`) to `email`.
    #[must_use]
    pub fn email(code: OptionCode, email: &str) -> order::ExtraService {
        Self::with(code, &[("email", email.to_owned())])
    }

    /// `НПП` cash on delivery (наложенный платёж) of `sum_npp` roubles (≤ 2 decimals).
    #[must_use]
    pub fn cash_on_delivery(sum_npp: f64) -> order::ExtraService {
        Self::with(
            OptionCode::CashOnDelivery,
            &[("sum_npp", format!("{sum_npp:.2}"))],
        )
    }

    /// `ОЖД` waiting at the address for `reason`.
    #[must_use]
    pub fn waiting(reason: &WaitingReason) -> order::ExtraService {
        Self::with(
            OptionCode::Waiting,
            &[("reason_delay", reason.as_str().to_owned())],
        )
    }

    /// `ЧСТ` partial return. `charge_delivery_always` = `delivery_amount` (charge the delivery
    /// in any case), otherwise `goods_return_amount` (only on full refusal); the value is the
    /// amount in roubles.
    #[must_use]
    pub fn partial_return(amount: f64, charge_delivery_always: bool) -> order::ExtraService {
        let name = if charge_delivery_always {
            "delivery_amount"
        } else {
            "goods_return_amount"
        };
        Self::with(OptionCode::PartialReturn, &[(name, format!("{amount:.2}"))])
    }
}

/// The two `order.extraParam`s of a cash payment (guide §3.6.4): `order_payment_type` and
/// `payer_num` (10-digit client number; private persons use [`PRIVATE_PERSON_PAYER`]).
#[must_use]
pub fn cash_payment_params(
    payment: &PaymentType,
    payer_num: &str,
) -> Vec<soap_runtime::types::Nillable<order::Parameter>> {
    vec![
        order::Parameter {
            name: "order_payment_type".into(),
            value: payment.as_str().to_owned(),
        }
        .into(),
        order::Parameter {
            name: "payer_num".into(),
            value: payer_num.to_owned(),
        }
        .into(),
    ]
}

/// `payer_num` for a private person paying cash (guide §3.6.4).
pub const PRIVATE_PERSON_PAYER: &str = "1001028502";
