//! CDEK's code tables (protocol v1.5 §5) as typed enums. Every enum keeps codes it does not
//! know in `Unknown(String)`, because CDEK adds codes without notice.

macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $code:literal, $en:literal, $ru:literal;)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $(
                #[doc = concat!("`", $code, "`: ", $en, " ", $ru, ".")]
                $variant,
            )*
            /// A code this crate does not know, as sent.
            Unknown(String),
        }

        impl $name {
            /// The code as CDEK writes it; codes are compared case-insensitively.
            #[must_use]
            pub fn from_code(code: &str) -> Self {
                let c = code.trim();
                $(if c.eq_ignore_ascii_case($code) { return Self::$variant; })*
                Self::Unknown(c.to_owned())
            }

            /// The code as sent on the wire.
            #[must_use]
            pub fn code(&self) -> &str {
                match self {
                    $(Self::$variant => $code,)*
                    Self::Unknown(c) => c,
                }
            }

            /// The meaning in English (`None` for unknown codes).
            #[must_use]
            pub fn meaning(&self) -> Option<&'static str> {
                match self {
                    $(Self::$variant => Some($en),)*
                    Self::Unknown(_) => None,
                }
            }

            /// CDEK's original Russian name (`None` for unknown codes).
            #[must_use]
            pub fn meaning_ru(&self) -> Option<&'static str> {
                match self {
                    $(Self::$variant => Some($ru).filter(|s: &&str| !s.is_empty()),)*
                    Self::Unknown(_) => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self.meaning() {
                    Some(m) => write!(f, "{} ({m})", self.code()),
                    None => f.write_str(self.code()),
                }
            }
        }
    };
}

code_enum! {
    /// Tariff (`TariffTypeCode`, calculator `tariffId`), §5.1. Д = door (дверь), С = warehouse
    /// or ПВЗ (склад).
    Tariff {
        ExpressLightDoorDoor = "1", "express light door-door, up to 30 kg", "Экспресс лайт дверь-дверь";
        SuperExpress18 = "3", "super express by 18:00", "Супер-экспресс до 18";
        EconomyExpressWarehouseWarehouse = "5", "economy express warehouse-warehouse", "Экономичный экспресс склад-склад";
        InternationalExpressDocuments = "7", "international express, documents", "Международный экспресс документы";
        InternationalExpressGoods = "8", "international express, goods", "Международный экспресс грузы";
        ExpressLightWarehouseWarehouse = "10", "express light warehouse-warehouse", "Экспресс лайт склад-склад";
        ExpressLightWarehouseDoor = "11", "express light warehouse-door", "Экспресс лайт склад-дверь";
        ExpressLightDoorWarehouse = "12", "express light door-warehouse", "Экспресс лайт дверь-склад";
        HeavyExpressWarehouseWarehouse = "15", "heavy express warehouse-warehouse", "Экспресс тяжеловесы склад-склад";
        HeavyExpressWarehouseDoor = "16", "heavy express warehouse-door", "Экспресс тяжеловесы склад-дверь";
        HeavyExpressDoorWarehouse = "17", "heavy express door-warehouse", "Экспресс тяжеловесы дверь-склад";
        HeavyExpressDoorDoor = "18", "heavy express door-door", "Экспресс тяжеловесы дверь-дверь";
        TrunkExpress = "62", "trunk express warehouse-warehouse", "Магистральный экспресс склад-склад";
        TrunkSuperExpress = "63", "trunk super express warehouse-warehouse", "Магистральный супер-экспресс склад-склад";
        ParcelWarehouseWarehouse = "136", "parcel warehouse-warehouse, up to 30 kg", "Посылка склад-склад";
        ParcelWarehouseDoor = "137", "parcel warehouse-door", "Посылка склад-дверь";
        ParcelDoorWarehouse = "138", "parcel door-warehouse", "Посылка дверь-склад";
        ParcelDoorDoor = "139", "parcel door-door", "Посылка дверь-дверь";
        EconomyParcelDoorDoor = "231", "economy parcel door-door, up to 50 kg", "Экономичная посылка дверь-дверь";
        EconomyParcelDoorWarehouse = "232", "economy parcel door-warehouse", "Экономичная посылка дверь-склад";
        EconomyParcelWarehouseDoor = "233", "economy parcel warehouse-door", "Экономичная посылка склад-дверь";
        EconomyParcelWarehouseWarehouse = "234", "economy parcel warehouse-warehouse", "Экономичная посылка склад-склад";
        ParcelDoorLocker = "366", "parcel door-locker", "Посылка дверь-постамат";
        ParcelWarehouseLocker = "368", "parcel warehouse-locker", "Посылка склад-постамат";
    }
}

code_enum! {
    /// Delivery mode (`modeId`, InfoReport `deliveryMode`), §5.2.
    DeliveryMode {
        DoorDoor = "1", "door-door", "дверь-дверь";
        DoorWarehouse = "2", "door-warehouse", "дверь-склад";
        WarehouseDoor = "3", "warehouse-door", "склад-дверь";
        WarehouseWarehouse = "4", "warehouse-warehouse", "склад-склад";
    }
}

code_enum! {
    /// Order status (`Status@Code`, `State@Code`), §5.4; 4 and 5 are final.
    OrderStatus {
        Created = "1", "created", "Создан";
        Deleted = "2", "deleted", "Удален";
        AcceptedAtSenderWarehouse = "3", "accepted at the sender warehouse", "Принят на склад отправителя";
        Delivered = "4", "delivered (final)", "Вручен";
        NotDelivered = "5", "not delivered (final; see the reason)", "Не вручен";
        IssuedForDispatchInSenderCity = "6", "issued for dispatch in the sender city", "Выдан на отправку в г. отправителе";
        HandedToCarrierInSenderCity = "7", "handed to the carrier in the sender city", "Сдан перевозчику в г. отправителе";
        SentToReceiverCity = "8", "sent to the receiver city", "Отправлен в г. получатель";
        MetInReceiverCity = "9", "met in the receiver city", "Встречен в г. получателе";
        AcceptedAtDeliveryWarehouse = "10", "accepted at the delivery warehouse", "Принят на склад доставки";
        OutForDelivery = "11", "out for delivery", "Выдан на доставку";
        HeldForCollection = "12", "held at the warehouse for collection", "Принят на склад до востребования";
        AcceptedAtTransitWarehouse = "13", "accepted at a transit warehouse", "Принят на склад транзита";
        ReturnedToSenderWarehouse = "16", "returned to the sender warehouse", "Возвращен на склад отправителя";
        ReturnedToTransitWarehouse = "17", "returned to a transit warehouse", "Возвращен на склад транзита";
        ReturnedToDeliveryWarehouse = "18", "returned to the delivery warehouse", "Возвращен на склад доставки";
        IssuedForDispatchInTransitCity = "19", "issued for dispatch in a transit city", "Выдан на отправку в г. транзите";
        HandedToCarrierInTransitCity = "20", "handed to the carrier in a transit city", "Сдан перевозчику в г. транзите";
        SentToTransitCity = "21", "sent to a transit city", "Отправлен в г. транзит";
        MetInTransitCity = "22", "met in a transit city", "Встречен в г. транзите";
    }
}

impl OrderStatus {
    /// Whether the status is final (4 delivered, 5 not delivered).
    #[must_use]
    pub fn is_final(&self) -> bool {
        matches!(self, Self::Delivered | Self::NotDelivered)
    }
}

code_enum! {
    /// Additional status (`Reason@Code`), §5.5 (subset; others are `Unknown`).
    AdditionalStatus {
        WrongAddress = "1", "return, wrong address", "Возврат, неверный адрес";
        NotReachedByPhone = "2", "return, could not reach by phone", "Возврат, не дозвонились";
        AddresseeNotLiving = "3", "return, addressee does not live there", "Возврат, адресат не проживает";
        RefusedNoReason = "11", "refused, no reason given", "Возврат, отказ от получения: Без объяснения";
        QualityComplaint = "12", "refused, quality complaint", "Возврат, отказ от получения: Претензия к качеству товара";
        ChangedMind = "17", "refused, changed mind", "Возврат, отказ от получения: Передумал";
        PartialDelivery = "20", "partial delivery", "Частичная доставка";
        NoMoney = "21", "refused, no money", "Возврат, отказ от получения: Нет денег";
        StorageExpired = "23", "return, storage period expired", "Возврат, истек срок хранения";
        FailedCustoms = "24", "return, failed customs", "Возврат, не прошел таможню";
        Lost = "26", "lost", "Утерян";
        NotCollectedDisposed = "27", "not collected, disposed of", "Не востребован, утилизация";
        SenderRequest = "31", "return at the sender's request", "Возврат, по запросу отправителя";
    }
}

code_enum! {
    /// Delay reason (`DelayReason@Code`, `Attempt@ScheduleCode`), §5.6 (v2 numbering, subset).
    DelayReason {
        WrongPhone = "1", "wrong phone", "Телефон неверный";
        GoodsNotReady = "9", "goods not ready", "Груз не готов";
        RefusedToPay = "11", "refused to pay", "Отказ от оплаты";
        ContactAbsent = "13", "contact person absent", "Контактное лицо отсутствует";
        AddressChange = "19", "address change", "Смена адреса";
        RefusedDelivery = "40", "refused delivery", "Отказ от получения";
        PassRequired = "42", "pass required", "Требуется пропуск";
        AddressDoesNotExist = "47", "address does not exist", "Адрес не существует";
    }
}

code_enum! {
    /// Failed-call reason (`Fail@ReasonCode`), §5.7.
    CallFailReason {
        Busy = "1", "line busy", "Телефон занят";
        NoAnswer = "2", "no answer", "Абонент не берет трубку";
        Unavailable = "3", "subscriber unavailable", "Абонент недоступен";
        WrongNumber = "4", "wrong number", "Неверный номер";
        NoPhone = "5", "no phone given", "Телефон не указан";
        Silence = "6", "silence", "«Тишина»";
        Rejected = "7", "call rejected", "Сброс";
        HungUp = "8", "hung up", "Бросил трубку";
    }
}

code_enum! {
    /// Additional service (`ServiceCode`, calculator `services[].id`), §5.3.
    AdditionalService {
        Insurance = "2", "insurance", "Страхование";
        WeekendDelivery = "3", "weekend delivery", "Доставка в выходной день";
        HeavyCargo = "5", "heavy cargo", "Тяжёлый груз";
        OversizedCargo = "6", "oversized cargo", "Негабаритный груз";
        DangerousGoods = "7", "dangerous goods", "Опасный груз";
        WaitingAtSender = "8", "waiting over 15 min at the sender", "Ожидание более 15 мин у отправителя";
        WaitingAtReceiver = "9", "waiting over 15 min at the receiver", "Ожидание более 15 мин у получателя";
        Storage = "10", "storage", "Хранение на складе";
        RemoteArea = "14", "remote area", "Удалённый район";
        RepeatTrip = "15", "repeat trip", "Повторная поездка";
        PickUpInSenderCity = "16", "pick-up in the sender city", "Забор в городе отправителя";
        DeliveryInReceiverCity = "17", "delivery in the receiver city", "Доставка в городе получателя";
        SmsNotice = "27", "SMS notice", "СМС уведомление";
        FittingAtHome = "30", "fitting at home", "Примерка на дому";
        PersonalDelivery = "31", "personal delivery", "Доставка лично в руки";
        PartialDelivery = "36", "partial delivery", "Частичная доставка";
        ContentsInspection = "37", "inspection of the contents", "Осмотр вложения";
        AgentFee = "42", "agent's fee", "Агентское вознаграждение";
        Reverse = "48", "reverse", "Реверс";
    }
}

code_enum! {
    /// VAT rate, §5.8 (compared case-insensitively: `vat10` has been seen).
    VatRate {
        NoVat = "VATX", "no VAT", "без НДС";
        Vat0 = "VAT0", "0%", "НДС 0%";
        Vat10 = "VAT10", "10%", "НДС 10%";
        Vat18 = "VAT18", "18% (2015-2018)", "НДС 18%";
        Vat20 = "VAT20", "20% (2019+)", "НДС 20%";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_keep_unknowns() {
        assert_eq!(Tariff::from_code("137"), Tariff::ParcelWarehouseDoor);
        assert_eq!(
            Tariff::from_code("137").meaning_ru(),
            Some("Посылка склад-дверь")
        );
        assert_eq!(VatRate::from_code("vat10"), VatRate::Vat10);
        assert_eq!(
            OrderStatus::from_code("999"),
            OrderStatus::Unknown("999".into())
        );
        assert!(OrderStatus::from_code("4").is_final());
        assert_eq!(DeliveryMode::WarehouseDoor.code(), "3");
        assert_eq!(
            CallFailReason::from_code("3").to_string(),
            "3 (subscriber unavailable)"
        );
    }
}

code_enum! {
    /// Error code of the integration protocol (`ErrorCode`), §4.3 (the main codes; others are
    /// `Unknown`). The Russian text is given where CDEK's table has one.
    ErrorCode {
        Auth = "ERR_AUTH", "shop not identified: wrong Account/Secure", "Интернет-магазин не идентифицирован";
        Api = "ERR_API", "error calling the API", "Ошибка обращения к API";
        AttributeEmpty = "ERR_ATTRIBUTE_EMPTY", "attribute has no value", "Не задано значение атрибута";
        NeedAttribute = "ERR_NEED_ATTRIBUTE", "required attribute missing", "";
        NotFoundTag = "ERR_NOTFOUNDTAG", "required tag missing", "";
        InvalidXml = "ERR_INVALID_XML", "XML not well-formed", "";
        XmlEmpty = "ERR_XML_EMPTY", "xml_request is empty", "";
        Database = "ERR_DATABASE", "CDEK database error", "";
        DateFormat = "ERR_DATEFORMAT", "wrong date format", "";
        OrderNotFound = "ERR_ORDER_NOTFIND", "order not found in CDEK's database", "";
        OrdersNotFound = "ERR_ORDERS_NOT_FOUND", "no orders for these parameters", "";
        OrderDuplicate = "ERR_ORDER_DUBL", "duplicate order number in the document", "";
        OrderExists = "ERR_ORDER_DUBL_EXISTS", "order already exists in CDEK's database", "";
        OrderCount = "ERR_ORDER_COUNT", "more than 100 orders in one request", "";
        NotEqualOrderCount = "ERR_NOT_EQUAL_ORDERCOUNT", "number of orders differs from OrderCount", "";
        InvalidNumber = "ERR_INVALID_NUMBER", "order not found by Number and Date", "";
        InvalidNumberDelete = "ERR_INVALID_NUMBER_DELETE", "order not found by Number (delete)", "";
        InvalidDispatchNumber = "ERR_INVALID_DISPATCHNUMBER", "order not found by DispatchNumber", "";
        DeleteOrderMove = "ERR_DELETEREQUEST_ORDER_MOVE", "order not in status created", "";
        DeleteOrderDeleted = "ERR_DELETEREQUEST_ORDER_DELETED", "order deleted earlier", "";
        DeleteOrder = "ERR_DELETEREQUEST_ORDER", "cannot delete: the order has warehouse movements", "";
        RecCityCode = "ERR_RECCITYCODE", "receiver city code unknown", "";
        SendCityCode = "ERR_SENDCITYCODE", "sender city code unknown", "";
        InvalidTariff = "ERR_INVALID_TARIFFTYPECODE", "unknown tariff code", "";
        TariffNotAvailable = "ERR_NOT_FOUND_TARIFFTYPECODE", "tariff not available for this direction", "";
        InvalidWeight = "ERR_INVALID_WEIGHT", "weight must be positive", "";
        WeightLimit = "ERR_WEIGHT_LIMIT", "over 30 kg is impossible with this tariff", "";
        CashLimit = "ERR_CASH_LIMIT", "cash on delivery above the receiver city's limit", "";
        CashNo = "ERR_CASH_NO", "cash on delivery impossible in the city", "";
        PvzCode = "ERR_PVZCODE", "pickup point (ПВЗ) code unknown", "";
        PvzNotFound = "ERR_PVZ_NOTFOUND", "no pickup point (ПВЗ) in this city", "";
        PvzClosed = "ERR_PVZ_CLOSED", "pickup point (ПВЗ) is closed", "";
        PrintOrder = "ERR_PRINT_ORDER", "could not build the print file", "";
        InfoRequest = "ERR_INFOREQUEST", "neither ChangePeriod nor Order in InfoRequest", "";
        CallDuplicate = "ERR_CALL_DUBL", "duplicate courier call on one date", "";
        CallCourierDateTime = "ERR_CALLCOURIER_DATETIME", "a courier can only be called for a future date", "";
        CallCourierTimeInterval = "ERR_CALLCOURIER_TIME_INTERVAL", "the waiting window must be at least 3 continuous hours", "";
        ScheduleChange = "ERR_SCHEDULE_CHANGE", "order cannot change in a final status", "";
        InvalidParameter = "INVALID_PARAMETER", "invalid parameter", "";
        InternalXml = "error_internal", "gateway internal error", "";
        InternalJson = "internal_error", "gateway internal error (JSON)", "";
    }
}

impl ErrorCode {
    /// Reads a code, accepting the error table's typo `ERR_INVALID_DISPACHNUMBER`.
    #[must_use]
    pub fn parse(code: &str) -> Self {
        if code
            .trim()
            .eq_ignore_ascii_case("ERR_INVALID_DISPACHNUMBER")
        {
            return Self::InvalidDispatchNumber;
        }
        Self::from_code(code)
    }
}
