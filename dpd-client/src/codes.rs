//! DPD's code lists (guide 1.12, part IV §3 and §5) as typed enums.
//!
//! DPD's schemas keep every code as `xs:string`; these enums give them names and the guide's
//! meaning. Each has an `Unknown(String)` variant so that a code DPD adds later never breaks
//! decoding: `From<&str>` is total, [`as_str`](ServiceCode::as_str) gives the wire value back.

/// Declares a code enum with its wire values, docs, `as_str`, `From<&str>`, `FromStr` and
/// `Display`. Extra accepted spellings (e.g. Cyrillic «ОК») go after `|`.
macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal $(| $alt:literal)* ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A code this version does not know, kept verbatim.
            Unknown(String),
        }

        impl $name {
            /// The code as DPD writes it on the wire.
            #[must_use]
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )+
                    Self::Unknown(s) => s,
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s.trim() {
                    $( $wire $(| $alt)* => Self::$variant, )+
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self::from(s.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(s))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use code_enum;

code_enum! {
    /// DPD service (коды услуг DPD, guide §3.10). Calculator and parcel-shop filters take a
    /// comma-separated list: see [`service_code_list`].
    ServiceCode {
        /// `BZP` — DPD 18:00.
        Bzp = "BZP",
        /// `ECN` — DPD ECONOMY.
        Ecn = "ECN",
        /// `TEN` — DPD 10:00.
        Ten = "TEN",
        /// `DPT` — DPD 13:00.
        Dpt = "DPT",
        /// `CUR` — DPD CLASSIC.
        Cur = "CUR",
        /// `NDY` — DPD EXPRESS.
        Ndy = "NDY",
        /// `CSM` — DPD CONSUMER.
        Csm = "CSM",
        /// `PCL` — DPD CLASSIC Parcel.
        Pcl = "PCL",
    }
}

/// Joins service codes into the comma-separated list the calculator and geography filters
/// expect, e.g. `"BZP,ECN"` (guide §1.5.4, §2.5.1).
#[must_use]
pub fn service_code_list(codes: &[ServiceCode]) -> String {
    codes
        .iter()
        .map(ServiceCode::as_str)
        .collect::<Vec<_>>()
        .join(",")
}

code_enum! {
    /// Delivery variant (вариант доставки, `serviceVariant`, guide §3.7); the wire values are
    /// Cyrillic letters: Д = door (дверь), Т = DPD terminal (терминал).
    ServiceVariant {
        /// `ДД` — door to door (от двери до двери).
        DoorDoor = "ДД",
        /// `ДТ` — door to DPD terminal (от двери до терминала): the receiver collects.
        DoorTerminal = "ДТ",
        /// `ТД` — DPD terminal to door (от терминала до двери): the sender brings the cargo.
        TerminalDoor = "ТД",
        /// `ТТ` — terminal to terminal (от терминала до терминала).
        TerminalTerminal = "ТТ",
    }
}

impl ServiceVariant {
    /// The calculator flags `(selfPickup, selfDelivery)` for this variant (guide §2.5.1):
    /// `selfPickup` = the sender brings the cargo to a terminal (самопривоз),
    /// `selfDelivery` = the receiver collects it at a terminal (самовывоз). `None` for
    /// unknown variants.
    #[must_use]
    pub fn calculator_flags(&self) -> Option<(bool, bool)> {
        match self {
            Self::DoorDoor => Some((false, false)),
            Self::DoorTerminal => Some((false, true)),
            Self::TerminalDoor => Some((true, false)),
            Self::TerminalTerminal => Some((true, true)),
            Self::Unknown(_) => None,
        }
    }
}

code_enum! {
    /// Pickup time interval (интервал времени забора груза, `header.pickupTimePeriod`,
    /// guide §3.8).
    PickupTimePeriod {
        /// `9-18` — any time from 09:00 to 18:00 (в любое время с 09:00 до 18:00); the default.
        Any = "9-18",
        /// `9-13` — from 09:00 to 13:00.
        Morning = "9-13",
        /// `13-18` — from 13:00 to 18:00.
        Afternoon = "13-18",
    }
}

code_enum! {
    /// Delivery time interval (интервал времени доставки, `order.deliveryTimePeriod`,
    /// guide §3.9).
    DeliveryTimePeriod {
        /// `9-18` — any time from 09:00 to 18:00; the default.
        Any = "9-18",
        /// `9-13` — from 09:00 to 13:00.
        Morning = "9-13",
        /// `13-18` — from 13:00 to 18:00.
        Afternoon = "13-18",
        /// `18-21` — from 18:00 to 21:00 (charged extra, платная).
        Evening = "18-21",
    }
}

code_enum! {
    /// Option (опция, `extraService.esCode`, guide §3.11). Build one with its parameters via
    /// [`ExtraService`](crate::ExtraService).
    OptionCode {
        /// `SMS` — SMS to the receiver at pickup and when out for delivery (free). Param `phone`.
        Sms = "SMS",
        /// `EML` — e-mail to the receiver at pickup and when out for delivery (free). Param `email`.
        Eml = "EML",
        /// `ЭСД` — e-mail on delivery (электронное сообщение о доставке, free). Param `email`.
        EmailOnDelivery = "ЭСД",
        /// `ЭСЗ` — e-mail on order acceptance (электронное сообщение о приёме заказа, free).
        /// Param `email`.
        EmailOnAcceptance = "ЭСЗ",
        /// `ВДО` — return of documents to the sender (возврат документов отправителю), paid.
        ReturnDocuments = "ВДО",
        /// `ДВД` — delivery on days off (доставка в выходные дни), paid.
        WeekendDelivery = "ДВД",
        /// `НПП` — cash on delivery (наложенный платёж), paid. Param `sum_npp`.
        CashOnDelivery = "НПП",
        /// `ПОД` — proof of delivery (подтверждение о доставке), paid. Param `email` or `fax`.
        ProofOfDelivery = "ПОД",
        /// `ПРД` — loading/unloading at delivery (погрузо-разгрузочные работы), paid.
        Loading = "ПРД",
        /// `ТРМ` — temperature regime (температурный режим), paid.
        Temperature = "ТРМ",
        /// `ОЖД` — waiting at the address (ожидание на адресе), paid. Param `reason_delay`.
        Waiting = "ОЖД",
        /// `ЧСТ` — partial return (возврат части отправки), paid. Params `goods_return_amount`
        /// or `delivery_amount`.
        PartialReturn = "ЧСТ",
    }
}

code_enum! {
    /// Reason for waiting at the address, parameter `reason_delay` of option `ОЖД`
    /// (guide §3.11).
    WaitingReason {
        /// `ВНЕШ` — check for external damage (проверка внешнего вида).
        ExternalCheck = "ВНЕШ",
        /// `ПРИМ` — try-on (примерка).
        TryOn = "ПРИМ",
        /// `РАБТ` — check it works (проверка работоспособности).
        WorkingCheck = "РАБТ",
        /// `СООТ` — check conformity with the order (проверка соответствия).
        ConformityCheck = "СООТ",
    }
}

code_enum! {
    /// Cash payment variant (`order_payment_type`, guide §3.6.4): who pays the delivery in cash.
    PaymentType {
        /// `ОУО` — the sender pays cash at the pickup terminal (оплата у отправителя).
        Sender = "ОУО",
        /// `ОУП` — the receiver pays cash, at the delivery terminal or at the door
        /// (оплата у получателя).
        Receiver = "ОУП",
    }
}

code_enum! {
    /// Order creation outcome (`dpdOrderStatus.status` of createOrder / getOrderStatus,
    /// guide §3.12).
    OrderCreationStatus {
        /// `OK` — the order is created; `orderNum` holds DPD's number.
        Ok = "OK" | "ОК",
        /// `OrderPending` — accepted but needs manual completion by DPD (e.g. the address was
        /// not recognised); poll getOrderStatus later
        /// ([`DpdClient::poll_order_status`](crate::DpdClient::poll_order_status)).
        OrderPending = "OrderPending",
        /// `OrderError` — not created; the reason is in `errorMessage`.
        OrderError = "OrderError",
        /// `OrderDuplicate` — seen in DPD's newer material: the order already exists.
        OrderDuplicate = "OrderDuplicate",
    }
}

code_enum! {
    /// Address code outcome (`dpdClientAddressStatus.status` of createAddress/updateAddress,
    /// guide §3.13, §V.5).
    AddressStatus {
        /// `OK` — done (the guide writes Cyrillic «ОК»; both are accepted).
        Ok = "OK" | "ОК",
        /// `code-already-exists` — an address with this code exists already
        /// (Адрес с указанным кодом уже существует).
        CodeAlreadyExists = "code-already-exists",
        /// `address-error` — the address cannot be created (Адрес не может быть создан): fields
        /// missing or invalid; fix and retry.
        AddressError = "address-error",
        /// `code-not-found` — updateAddress: no address with this code
        /// (Адрес с указанным кодом не найден); call createAddress.
        CodeNotFound = "code-not-found",
    }
}

code_enum! {
    /// Outcome of an order change (`dpdOrderCorrectionStatus.status`) or of one parcel in it
    /// (`parcelStatus.status`) for addParcels/removeParcels (guide §4.7).
    OrderChangeStatus {
        /// `OK` — done.
        Ok = "OK" | "ОК",
        /// `illegal-state` — the order's state forbids the change (cargo already received at a
        /// DPD terminal).
        IllegalState = "illegal-state",
        /// `no-data-found` — no such order / parcel.
        NoDataFound = "no-data-found",
        /// `too-many-rows` — removal: more than one parcel with this number.
        TooManyRows = "too-many-rows",
    }
}

code_enum! {
    /// Cancellation outcome (`dpdOrderStatus.status` of cancelOrder, guide §8.7).
    CancelStatus {
        /// `Cancelled` — the order is cancelled (заказ отменён), or a return order was created
        /// when the cargo had already been picked up.
        Cancelled = "Cancelled" | "Canceled",
        /// `Cancelled_previously` — it had been cancelled before (отменён ранее).
        CancelledPreviously = "Cancelled_previously" | "Canceled_previously",
        /// `Error` — cancellation impossible; the reason is in `errorMessage`
        /// («Отмена заказа невозможна, возникла ошибка: …»).
        Error = "Error",
    }
}

code_enum! {
    /// Parcel state (`stateParcel.newState`, guide §5.6.1).
    ParcelState {
        /// `NewOrderByClient` — new order created by the client (оформлен новый заказ клиентом).
        NewOrderByClient = "NewOrderByClient",
        /// `NotDone` — the order was cancelled (заказ отменён).
        NotDone = "NotDone",
        /// `OnTerminalPickup` — at the pickup terminal (посылка находится на терминале приёма).
        OnTerminalPickup = "OnTerminalPickup",
        /// `OnRoad` — in transit on DPD's line haul (посылка в пути).
        OnRoad = "OnRoad",
        /// `OnTerminal` — at a transit terminal (посылка на транзитном терминале).
        OnTerminal = "OnTerminal",
        /// `OnTerminalDelivery` — at the delivery terminal (посылка на терминале доставки).
        OnTerminalDelivery = "OnTerminalDelivery",
        /// `Delivering` — out for delivery (посылка выведена на доставку).
        Delivering = "Delivering",
        /// `Delivered` — delivered (посылка доставлена); `consignee` names the actual receiver.
        Delivered = "Delivered",
        /// `Lost` — lost (посылка утеряна).
        Lost = "Lost",
        /// `Problem` — a problem occurred (с посылкой возникла проблемная ситуация).
        Problem = "Problem",
        /// `ReturnedFromDelivery` — returned from delivery (посылка возвращена с доставки).
        ReturnedFromDelivery = "ReturnedFromDelivery",
        /// `NewOrderByDPD` — new order created by DPD (оформлен новый заказ по инициативе DPD).
        NewOrderByDpd = "NewOrderByDPD",
    }
}

code_enum! {
    /// Type of a DPD point (тип подразделения, `parcelShopType`, guide §1.5.5).
    ParcelShopType {
        /// `Т` — DPD terminal (терминал).
        Terminal = "Т",
        /// `СД` — city depot (сервисный пункт / городской депо).
        CityDepot = "СД",
        /// `ПВП` — parcel pickup point (пункт выдачи посылок).
        PickupPoint = "ПВП",
        /// `П` — postamat (постамат); newer DPD material.
        Postamat = "П",
    }
}

code_enum! {
    /// Status of an INN lookup (getClientNumByINN, guide §9.7).
    InnLookupStatus {
        /// `OK` — found (the guide writes Cyrillic «ОК»).
        Ok = "OK" | "ОК",
        /// `no-data-found` — no client with this INN.
        NoDataFound = "no-data-found",
        /// `too-many-rows` — several client numbers: contact DPD.
        TooManyRows = "too-many-rows",
        /// `no-setting` — payment by a non-customer is not allowed: contact your manager.
        NoSetting = "no-setting",
    }
}

code_enum! {
    /// Label file format (`fileFormat`, guide §7.5.1).
    LabelFormat {
        /// `PDF`.
        Pdf = "PDF",
        /// `FP3` — FastReport prepared report.
        Fp3 = "FP3",
    }
}

code_enum! {
    /// Label sheet size (`pageSize`, guide §7.5.1).
    PageSize {
        /// `A5` — two labels across the sheet; each order starts in the left half.
        A5 = "A5",
        /// `A6` — one column of labels, for narrow label printers.
        A6 = "A6",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_keep_unknown() {
        assert_eq!(ServiceVariant::from("ДТ"), ServiceVariant::DoorTerminal);
        assert_eq!(
            ServiceVariant::DoorTerminal.calculator_flags(),
            Some((false, true))
        );
        assert_eq!(OrderCreationStatus::from("ОК"), OrderCreationStatus::Ok);
        assert_eq!(
            ParcelState::from("NewOrderByDPD"),
            ParcelState::NewOrderByDpd
        );
        assert_eq!(ServiceCode::from("MAX"), ServiceCode::Unknown("MAX".into()));
        assert_eq!(ServiceCode::Unknown("MAX".into()).to_string(), "MAX");
        assert_eq!(
            service_code_list(&[ServiceCode::Bzp, ServiceCode::Ecn]),
            "BZP,ECN"
        );
    }
}
