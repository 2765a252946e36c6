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

/// `from_i64` for the code tables whose codes are integers.
macro_rules! numeric_code {
    ($($name:ident),*) => {$(
        impl $name {
            /// The enum value of an integer code (as found in lenient answer attributes).
            #[must_use]
            pub fn from_i64(code: i64) -> Self {
                Self::from_code(&code.to_string())
            }
        }
    )*};
}

code_enum! {
    /// Tariff (`TariffTypeCode`, calculator `tariffId`), §5.1. Д = door (дверь), С = warehouse
    /// or ПВЗ (pickup point) (склад). Weight limits are in kilograms.
    Tariff {
        ExpressLightDoorDoor = "1", "express light door-door, up to 30 kg", "Экспресс лайт дверь-дверь";
        SuperExpress18 = "3", "super express by 18:00, door-door", "Супер-экспресс до 18";
        EconomyExpressWarehouseWarehouse = "5", "economy express warehouse-warehouse", "Экономичный экспресс склад-склад";
        InternationalExpressDocuments = "7", "international express, documents, door-door", "Международный экспресс документы";
        InternationalExpressGoods = "8", "international express, goods 0.5-30 kg, door-door", "Международный экспресс грузы";
        ExpressLightWarehouseWarehouse = "10", "express light warehouse-warehouse", "Экспресс лайт склад-склад";
        ExpressLightWarehouseDoor = "11", "express light warehouse-door", "Экспресс лайт склад-дверь";
        ExpressLightDoorWarehouse = "12", "express light door-warehouse", "Экспресс лайт дверь-склад";
        HeavyExpressWarehouseWarehouse = "15", "heavy express warehouse-warehouse, over 30 kg", "Экспресс тяжеловесы склад-склад";
        HeavyExpressWarehouseDoor = "16", "heavy express warehouse-door, over 30 kg", "Экспресс тяжеловесы склад-дверь";
        HeavyExpressDoorWarehouse = "17", "heavy express door-warehouse, over 30 kg", "Экспресс тяжеловесы дверь-склад";
        HeavyExpressDoorDoor = "18", "heavy express door-door, over 30 kg", "Экспресс тяжеловесы дверь-дверь";
        SuperExpress9 = "57", "super express by 9:00, door-door, up to 5 kg", "Супер-экспресс до 9";
        SuperExpress10 = "58", "super express by 10:00, door-door, up to 5 kg", "Супер-экспресс до 10";
        SuperExpress12 = "59", "super express by 12:00, door-door, up to 5 kg", "Супер-экспресс до 12";
        SuperExpress14 = "60", "super express by 14:00, door-door, up to 5 kg", "Супер-экспресс до 14";
        SuperExpress16 = "61", "super express by 16:00, door-door, up to 5 kg", "Супер-экспресс до 16";
        TrunkExpress = "62", "trunk express warehouse-warehouse", "Магистральный экспресс склад-склад";
        TrunkSuperExpress = "63", "trunk super express warehouse-warehouse", "Магистральный супер-экспресс склад-склад";
        BlitzExpress01 = "66", "blitz express 01, door-door", "Блиц-экспресс 01";
        BlitzExpress02 = "67", "blitz express 02, door-door", "Блиц-экспресс 02";
        BlitzExpress03 = "68", "blitz express 03, door-door", "Блиц-экспресс 03";
        BlitzExpress04 = "69", "blitz express 04, door-door", "Блиц-экспресс 04";
        BlitzExpress05 = "70", "blitz express 05, door-door", "Блиц-экспресс 05";
        BlitzExpress06 = "71", "blitz express 06, door-door", "Блиц-экспресс 06";
        BlitzExpress07 = "72", "blitz express 07, door-door", "Блиц-экспресс 07";
        BlitzExpress08 = "73", "blitz express 08, door-door", "Блиц-экспресс 08";
        BlitzExpress09 = "74", "blitz express 09, door-door", "Блиц-экспресс 09";
        BlitzExpress10 = "75", "blitz express 10, door-door", "Блиц-экспресс 10";
        BlitzExpress11 = "76", "blitz express 11, door-door", "Блиц-экспресс 11";
        BlitzExpress12 = "77", "blitz express 12, door-door", "Блиц-экспресс 12";
        BlitzExpress13 = "78", "blitz express 13, door-door", "Блиц-экспресс 13";
        BlitzExpress14 = "79", "blitz express 14, door-door", "Блиц-экспресс 14";
        BlitzExpress15 = "80", "blitz express 15, door-door", "Блиц-экспресс 15";
        BlitzExpress16 = "81", "blitz express 16, door-door", "Блиц-экспресс 16";
        BlitzExpress17 = "82", "blitz express 17, door-door", "Блиц-экспресс 17";
        BlitzExpress18 = "83", "blitz express 18, door-door", "Блиц-экспресс 18";
        BlitzExpress19 = "84", "blitz express 19, door-door", "Блиц-экспресс 19";
        BlitzExpress20 = "85", "blitz express 20, door-door", "Блиц-экспресс 20";
        BlitzExpress21 = "86", "blitz express 21, door-door", "Блиц-экспресс 21";
        BlitzExpress22 = "87", "blitz express 22, door-door", "Блиц-экспресс 22";
        BlitzExpress23 = "88", "blitz express 23, door-door", "Блиц-экспресс 23";
        BlitzExpress24 = "89", "blitz express 24, door-door", "Блиц-экспресс 24";
        ParcelWarehouseWarehouse = "136", "parcel warehouse-warehouse, up to 30 kg (e-shop contract)", "Посылка склад-склад";
        ParcelWarehouseDoor = "137", "parcel warehouse-door, up to 30 kg (e-shop contract)", "Посылка склад-дверь";
        ParcelDoorWarehouse = "138", "parcel door-warehouse, up to 30 kg (e-shop contract)", "Посылка дверь-склад";
        ParcelDoorDoor = "139", "parcel door-door, up to 30 kg (e-shop contract)", "Посылка дверь-дверь";
        InternationalExpressGoodsDoorWarehouse = "180", "international express, goods, door-warehouse", "Международный экспресс грузы дверь-склад";
        InternationalExpressDocumentsDoorWarehouse = "183", "international express, documents, door-warehouse", "Международный экспресс документы дверь-склад";
        EconomyParcelDoorDoor = "231", "economy parcel door-door, up to 50 kg", "Экономичная посылка дверь-дверь";
        EconomyParcelDoorWarehouse = "232", "economy parcel door-warehouse, up to 50 kg", "Экономичная посылка дверь-склад";
        EconomyParcelWarehouseDoor = "233", "economy parcel warehouse-door, up to 50 kg", "Экономичная посылка склад-дверь";
        EconomyParcelWarehouseWarehouse = "234", "economy parcel warehouse-warehouse, up to 50 kg", "Экономичная посылка склад-склад";
        ChinaExpressWarehouseWarehouse = "243", "China express warehouse-warehouse", "Китайский экспресс склад-склад";
        ChinaExpressDoorDoor = "245", "China express door-door", "Китайский экспресс дверь-дверь";
        ChinaExpressWarehouseDoor = "246", "China express warehouse-door", "Китайский экспресс склад-дверь";
        ChinaExpressDoorWarehouse = "247", "China express door-warehouse", "Китайский экспресс дверь-склад";
        CdekExpressWarehouseWarehouse = "291", "CDEK Express warehouse-warehouse (import with customs)", "CDEK Express склад-склад";
        CdekExpressDoorDoor = "293", "CDEK Express door-door (import with customs)", "CDEK Express дверь-дверь";
        CdekExpressWarehouseDoor = "294", "CDEK Express warehouse-door (import with customs)", "CDEK Express склад-дверь";
        CdekExpressDoorWarehouse = "295", "CDEK Express door-warehouse (import with customs)", "CDEK Express дверь-склад";
        InPostDoorWarehouse = "301", "to an InPost locker, door-warehouse, up to 20 kg", "До постомата InPost дверь-склад";
        InPostWarehouseWarehouse = "302", "to an InPost locker, warehouse-warehouse, up to 20 kg", "До постомата InPost склад-склад";
        ParcelDoorLocker = "366", "parcel door-locker", "Посылка дверь-постамат";
        ParcelWarehouseLocker = "368", "parcel warehouse-locker", "Посылка склад-постамат";
        EconomyParcelDoorLocker = "376", "economy parcel door-locker", "Экономичная посылка дверь-постамат";
        EconomyParcelWarehouseLocker = "378", "economy parcel warehouse-locker", "Экономичная посылка склад-постамат";
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
    /// How an order is handed to the receiver (InfoReport `deliveryVariant`), §3.7.
    DeliveryVariant {
        Courier = "COURIER", "by courier", "курьер";
        PvzCdek = "PVZCDEK", "at a CDEK pickup point (ПВЗ)", "ПВЗ СДЭК";
        PvzClient = "PVZCLIENT", "at the client's own pickup point (ПВЗ)", "ПВЗ клиента";
    }
}

code_enum! {
    /// How cash on delivery was paid (InfoReport `CashOnDelivType`), §3.7.
    CashOnDeliveryType {
        Cash = "cash", "in cash", "наличные";
        Cashless = "cashless", "by card", "безналичные";
    }
}

code_enum! {
    /// Order status (`Status@Code`, `State@Code`), §5.4 ("таблица 2"); 4 and 5 are final.
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

    /// Whether the order may still be deleted (only in status 1 "Создан", created).
    #[must_use]
    pub fn is_deletable(&self) -> bool {
        matches!(self, Self::Created)
    }
}

code_enum! {
    /// Additional status (`Reason@Code`), §5.5 ("таблица 3"); why an order was returned or
    /// only partly delivered.
    AdditionalStatus {
        WrongAddress = "1", "return, wrong address", "Возврат, неверный адрес";
        NotReachedByPhone = "2", "return, could not reach by phone", "Возврат, не дозвонились";
        AddresseeNotLiving = "3", "return, addressee does not live there", "Возврат, адресат не проживает";
        WeightDiffers = "4", "return, not to be carried: weight differs from the declared one", "Возврат, не должен выполняться: вес отличается от заявленного";
        ShipmentOnlyOnPaper = "5", "return, not to be carried: the shipment exists only on paper", "Возврат, не должен выполняться: фактически нет отправления (на бумаге есть)";
        DuplicateNumberInAct = "6", "return, not to be carried: duplicate order number in one act", "Возврат, не должен выполняться: дубль номера заказа в одном акте";
        CityNotServed = "7", "return, not to be carried: no delivery to this city/region", "Возврат, не должен выполняться: не доставляем в данный город/регион";
        DamagedAtAcceptance = "8", "return, packaging damaged at acceptance from the sender", "Возврат, повреждение упаковки, при приемке от отправителя";
        DamagedAtCarrier = "9", "return, packaging damaged at the carrier", "Возврат, повреждение упаковки, у перевозчика";
        DamagedAtCdek = "10", "return, packaging damaged at our warehouse or with the courier", "Возврат, повреждение упаковки, на нашем складе/доставке у курьера";
        RefusedNoReason = "11", "refused, no reason given", "Возврат, отказ от получения: Без объяснения";
        QualityComplaint = "12", "refused, quality complaint", "Возврат, отказ от получения: Претензия к качеству товара";
        ItemsMissing = "13", "refused, items missing", "Возврат, отказ от получения: Недовложение";
        WrongItems = "14", "refused, wrong items", "Возврат, отказ от получения: Пересорт";
        TooLate = "15", "refused, delivery time not acceptable", "Возврат, отказ от получения: Не устроили сроки";
        AlreadyBought = "16", "refused, already bought", "Возврат, отказ от получения: Уже купил";
        ChangedMind = "17", "refused, changed mind", "Возврат, отказ от получения: Передумал";
        OrderingMistake = "18", "refused, ordering mistake", "Возврат, отказ от получения: Ошибка оформления";
        DamagedAtReceiver = "19", "refused, packaging damaged, at the receiver", "Возврат, отказ от получения: Повреждение упаковки, у получателя";
        PartialDelivery = "20", "partial delivery", "Частичная доставка";
        NoMoney = "21", "refused, no money", "Возврат, отказ от получения: Нет денег";
        NotLiked = "22", "refused, goods did not fit or were not liked", "Возврат, отказ от получения: Товар не подошел/не понравился";
        StorageExpired = "23", "return, storage period expired", "Возврат, истек срок хранения";
        FailedCustoms = "24", "return, failed customs", "Возврат, не прошел таможню";
        CommercialCargo = "25", "return, not to be carried: commercial cargo", "Возврат, не должен выполняться: является коммерческим грузом";
        Lost = "26", "lost", "Утерян";
        NotCollectedDisposed = "27", "not collected, disposed of", "Не востребован, утилизация";
        SenderRequest = "31", "return at the sender's request", "Возврат, по запросу отправителя";
        PayerRequest = "32", "return at the payer's request", "Возврат, по запросу плательщика";
        InvoiceNotReceived = "33", "return, accompanying invoice (СНТ) not received", "Возврат, СНТ не получено";
    }
}

code_enum! {
    /// Delay reason (`DelayReason@Code`, `DelayReason/State@Code`, `Attempt@ScheduleCode`),
    /// §5.6 ("таблица 4"). The v1.5 table was not available; this is the same-family v2
    /// numbering, and older answers may number differently, so show CDEK's own
    /// `Description` text to people.
    DelayReason {
        WrongPhone = "1", "wrong phone", "Телефон неверный";
        GoodsNotReady = "9", "goods not ready", "Груз не готов";
        RefusedToPay = "11", "refused to pay", "Отказ от оплаты";
        ContactAbsent = "13", "contact person absent", "Контактное лицо отсутствует";
        OrganisationClosed = "17", "organisation closed", "Организация не работает";
        AddressChange = "19", "address change", "Смена адреса";
        CannotMakeIt = "35", "receiver cannot make it", "Не успеваю";
        WillCollect = "36", "receiver will collect in person", "Самозабор";
        LockerFull = "37", "parcel locker full", "Постамат переполнен";
        LockerOutOfOrder = "38", "parcel locker out of order", "Постамат не работает";
        DidNotFitCell = "39", "goods did not fit the locker cell", "Груз не влез в ячейку";
        RefusedDelivery = "40", "refused delivery", "Отказ от получения";
        RequestCancelled = "41", "request cancelled", "Отказ от заявки";
        PassRequired = "42", "pass required", "Требуется пропуск";
        PaidEntry = "43", "paid entry", "Платный въезд";
        ClosedTerritory = "44", "closed territory", "Закрытая территория";
        NoIdDocument = "45", "no ID document", "Нет документа, удостоверяющего личность";
        CityChange = "46", "city change", "Смена города";
        AddressDoesNotExist = "47", "address does not exist", "Адрес не существует";
        PoBox = "48", "delivery to a PO box", "Доставка в А/Я";
        DangerousGoods = "49", "dangerous goods", "Опасный груз";
        RefusedAtAddress = "52", "refused at the address", "Отказ с адреса";
        WindowChangedByAgreement = "53", "time window changed by agreement with the client", "Изменение интервала по согласованию с клиентом";
        LockerAppDown = "54", "parcel locker app not working", "Постаматное приложение не работает";
        GoodsNotFound = "55", "goods not found", "Груз не найден";
        HandedToPvz = "56", "handed to a pickup point (ПВЗ)", "Передача на ПВЗ";
        CannotDeliverToPvz = "57", "cannot deliver to the pickup point (ПВЗ)", "Не могу доставить на ПВЗ";
    }
}

code_enum! {
    /// Failed-call reason (`Fail@ReasonCode`), §5.7 ("таблица 6").
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
    /// Additional service (`AddService@ServiceCode`, InfoReport `AddedService@ServiceCode`,
    /// calculator `services[].id`), §5.3.
    AdditionalService {
        Insurance = "2", "insurance (automatic for e-shop orders; set with Cost in delivery orders)", "Страхование";
        WeekendDelivery = "3", "weekend delivery", "Доставка в выходной день";
        HeavyCargo = "5", "heavy cargo", "Тяжёлый груз";
        OversizedCargo = "6", "oversized cargo", "Негабаритный груз";
        DangerousGoods = "7", "dangerous goods", "Опасный груз";
        WaitingAtSender = "8", "waiting over 15 min at the sender", "Ожидание более 15 мин у отправителя";
        WaitingAtReceiver = "9", "waiting over 15 min at the receiver", "Ожидание более 15 мин у получателя";
        Storage = "10", "storage", "Хранение на складе";
        Other = "13", "other", "Прочее";
        RemoteArea = "14", "remote area", "Удалённый район";
        RepeatTrip = "15", "repeat trip", "Повторная поездка";
        PickUpInSenderCity = "16", "pick-up in the sender city", "Забор в городе отправителя";
        DeliveryInReceiverCity = "17", "delivery in the receiver city", "Доставка в городе получателя";
        Penalty = "20", "penalty", "Пеня";
        Crating = "23", "crating", "Обрешётка груза";
        Packaging1 = "24", "packaging 1 (needs Count)", "Упаковка 1";
        Packaging2 = "25", "packaging 2", "Упаковка 2";
        CourierHire = "26", "courier hire", "Аренда курьера";
        SmsNotice = "27", "SMS notice", "СМС уведомление";
        FittingAtHome = "30", "fitting at home", "Примерка на дому";
        PersonalDelivery = "31", "personal delivery", "Доставка лично в руки";
        DocumentScans = "32", "document scans", "Скан документов";
        CarryUpstairsByHand = "33", "carry upstairs by hand", "Подъём на этаж ручной";
        CarryUpstairsByLift = "34", "carry upstairs by lift", "Подъём на этаж лифтом";
        CallingReceiver = "35", "calling the receiver", "Прозвон";
        PartialDelivery = "36", "partial delivery", "Частичная доставка";
        ContentsInspection = "37", "inspection of the contents", "Осмотр вложения";
        TemperatureControl = "40", "temperature control", "Тепловой режим";
        DocumentReturn = "41", "document return", "Возврат документов";
        AgentFee = "42", "agent's fee (answers only)", "Агентское вознаграждение";
        Reverse = "48", "reverse", "Реверс";
    }
}

numeric_code!(
    Tariff,
    DeliveryMode,
    OrderStatus,
    AdditionalStatus,
    DelayReason,
    CallFailReason,
    AdditionalService
);

impl Tariff {
    /// The delivery mode of the tariff, when the tariff table gives one (Д = door, С =
    /// warehouse).
    #[must_use]
    pub fn delivery_mode(&self) -> Option<DeliveryMode> {
        use DeliveryMode::{
            DoorDoor as DD, DoorWarehouse as DW, WarehouseDoor as WD, WarehouseWarehouse as WW,
        };
        let code: i64 = self.code().parse().ok()?;
        Some(match code {
            1 | 3 | 7 | 8 | 18 | 57..=61 | 66..=89 | 139 | 231 | 245 | 293 => DD,
            12 | 17 | 138 | 180 | 183 | 232 | 247 | 295 | 301 => DW,
            11 | 16 | 137 | 233 | 246 | 294 => WD,
            5 | 10 | 15 | 62 | 63 | 136 | 234 | 243 | 291 | 302 => WW,
            _ => return None,
        })
    }
}

code_enum! {
    /// Error code of the calculator (`error[].code`), §6.
    CalculatorErrorCode {
        Internal = "0", "internal server error (contact CDEK)", "Внутренняя ошибка на сервере";
        VersionNotSupported = "1", "API version not supported", "Указанная вами версия API не поддерживается";
        Auth = "2", "authorisation error", "Ошибка авторизации";
        DirectionImpossible = "3", "delivery impossible in this direction under the given conditions", "Невозможно осуществить доставку по этому направлению при заданных условиях";
        GoodsParameters = "4", "error in the place (goods) parameters", "Ошибка при указании параметров места";
        NoGoods = "5", "no place given", "Не задано ни одного места для отправления";
        NoTariff = "6", "no tariff or tariff list given", "Не задан тариф или список тарифов";
        NoSenderCity = "7", "sender city not given", "Не задан город-отправитель";
        NoReceiverCity = "8", "receiver city not given", "Не задан город-получатель";
        NoDateExecute = "9", "authorised, but no planned shipping date (dateExecute)", "При авторизации не задана дата планируемой отправки";
        DeliveryModeWrong = "10", "delivery mode wrong", "Ошибка задания режима доставки";
        WrongFormat = "11", "wrong data format", "Неправильно задан формат данных";
        CannotDecode = "12", "cannot decode data; JSON or JSONP expected", "Ошибка декодирования данных";
        SenderPostcodeUnknown = "13", "sender postcode not in CDEK's database", "Почтовый индекс города-отправителя отсутствует в базе СДЭК";
        SenderPostcodeAmbiguous = "14", "sender city ambiguous by postcode", "Невозможно однозначно идентифицировать город-отправитель по индексу";
        ReceiverPostcodeUnknown = "15", "receiver postcode not in CDEK's database", "Почтовый индекс города-получателя отсутствует в базе СДЭК";
        ReceiverPostcodeAmbiguous = "16", "receiver city ambiguous by postcode", "Невозможно однозначно идентифицировать город-получатель по индексу";
    }
}

numeric_code!(CalculatorErrorCode);

code_enum! {
    /// VAT rate, §5.8 (compared case-insensitively: `vat10` has been seen). VAT fields apply
    /// only to receivers in Russia.
    VatRate {
        NoVat = "VATX", "no VAT", "без НДС";
        Vat0 = "VAT0", "0%", "НДС 0%";
        Vat10 = "VAT10", "10%", "НДС 10%";
        Vat18 = "VAT18", "18% (2015-2018)", "НДС 18%";
        Vat20 = "VAT20", "20% (2019+)", "НДС 20%";
    }
}

impl VatRate {
    /// The rate in percent (`None` for "no VAT" and unknown codes).
    #[must_use]
    pub fn percent(&self) -> Option<u8> {
        match self {
            Self::Vat0 => Some(0),
            Self::Vat10 => Some(10),
            Self::Vat18 => Some(18),
            Self::Vat20 => Some(20),
            Self::NoVat | Self::Unknown(_) => None,
        }
    }
}

code_enum! {
    /// Error code of the integration protocol (`ErrorCode`), §4.3, plus codes seen only in
    /// real answers. Unknown codes are kept (CDEK's full list is in its ErrorCode.xls).
    ErrorCode {
        Api = "ERR_API", "error calling the API", "Ошибка обращения к API";
        AttributeEmpty = "ERR_ATTRIBUTE_EMPTY", "attribute has no value", "Не задано значение атрибута";
        Auth = "ERR_AUTH", "shop not identified: wrong Account/Secure", "Интернет-магазин не идентифицирован";
        BarcodeDuplicate = "ERR_BARCODE_DUBL", "duplicate package BarCode in an order", "Дублирование BarCode";
        CallCourierCity = "ERR_CALLCOURIER_CITY", "courier call impossible in this city", "Вызов курьера в выбранном городе невозможен";
        CallCourierCount = "ERR_CALLCOURIER_COUNT", "number of calls differs from CallCount", "Количество передаваемых заявок не соответствует контрольному значению";
        CallCourierDateTime = "ERR_CALLCOURIER_DATETIME", "a courier can only be called for a future date", "Вызов курьера возможно сделать только на будущую дату";
        CallCourierDateDuplicate = "ERR_CALLCOURIER_DATE_DUBL", "courier call date repeated in the document", "Дата вызова курьера дублируется в файле";
        CallCourierDateExists = "ERR_CALLCOURIER_DATE_EXISTS", "a courier call already exists for this date", "На текущую дату уже есть вызов курьера";
        CallCourierTime = "ERR_CALLCOURIER_TIME", "time range wrong: TimeBeg > TimeEnd", "Временной диапазон вызова курьера задан некорректно";
        CallCourierTimeLunch = "ERR_CALLCOURIER_TIMELUNCH", "lunch range wrong: LunchBeg > LunchEnd", "Временной диапазон обеденного перерыва задан некорректно";
        CallCourierTimeInterval = "ERR_CALLCOURIER_TIME_INTERVAL", "the waiting window must be at least 3 continuous hours", "Интервал ожидания курьера должен составлять не менее 3 непрерывных часов";
        CallDuplicate = "ERR_CALL_DUBL", "duplicate courier call on one date", "Дублирование вызова курьера на одну дату";
        CashLimit = "ERR_CASH_LIMIT", "cash on delivery above the receiver city's limit", "Ограничение суммы наложенного платежа в городе получателя";
        CashNo = "ERR_CASH_NO", "cash on delivery impossible in the city", "Получение наложенного платежа в городе невозможно";
        Database = "ERR_DATABASE", "CDEK database error", "Ошибка обращения к базе данных СДЭК";
        DatabaseTest = "ERR_DATABASE_TEST", "CDEK test database error", "Ошибка обращения к базе данных СДЭК";
        DateFormat = "ERR_DATEFORMAT", "wrong date format", "Неверный формат даты";
        DateInvoice = "ERR_DATEINVOICE", "invoice date missing", "Не указана дата инвойса";
        DboAuth = "ERR_DBO_AUTH", "authorisation error: wrong login or password", "Ошибка авторизации: неверный логин/пароль";
        DboAuthHash = "ERR_DBO_AUTH_HASH", "wrong hash or its lifetime expired", "Неверный хеш или его время жизни истекло";
        DboCityIncorrectForService = "ERR_DBO_CITY_INCORRECT_FOR_SERVICE", "the service is impossible in this city", "В указанном городе невозможно осуществить заданную услугу";
        DboClientCurrency = "ERR_DBO_CLIENT_CURRENCY", "currency differs from the client's currency", "Заданная валюта не соответствует валюте клиента";
        DboDateCreateInvalid = "ERR_DBO_DATE_CREATE_INVALID", "waybill date must not precede the request date", "Дата создания накладной должна быть позже или равна дате создания заявки";
        DboForbiddenSumForCash = "ERR_DBO_FORBIDDEN_SUM_FOR_CASH", "the receiver city cannot take this cash sum", "В городе-получателе невозможен приём наличных, равный сумме услуг";
        DboIncorrectUrl = "ERR_DBO_INCORRECT_URL", "wrong URL", "Неправильный URL";
        DboInvalidAdditionalService = "ERR_DBO_INVALID_ADDITIONALSERVICE", "the additional service is impossible here", "При заданных условиях невозможно применение выбранной доп. услуги";
        DboNeedAuth = "ERR_DBO_NEED_AUTH", "not authorised", "Вы не авторизовались";
        DboNotFound = "ERR_DBO_NOT_FOUND", "unknown error", "Неизвестная ошибка";
        DboPackageNumberEmpty = "ERR_DBO_PACKAGE_NUMBER_EMPTY", "package number missing", "Не задан номер упаковки";
        DboParamEmpty = "ERR_DBO_PARAM_EMPTY", "attribute value missing", "Не задано значение атрибута";
        DboParamMistake = "ERR_DBO_PARAM_MISTAKE", "attribute value wrong", "Неверно задано значение атрибута";
        DboParamMistakePvz = "ERR_DBO_PARAM_MISTAKE_PVZ", "no pickup point (ПВЗ) in the receiver city", "В выбранном городе-получателе нет ПВЗ";
        DboParamServiceInterface = "ERR_DBO_PARAM_SERVICE_INTERFACE", "no calculation for this interface", "При заданном значении интерфейса расчёт невозможен";
        DboPayerEmpty = "ERR_DBO_PAYER_EMPTY", "payer missing", "Не задан плательщик";
        DboReceiverAddressTitleEmpty = "ERR_DBO_RECEIVER_ADDRESS_TITLE_EMPTY", "receiver address text missing", "Не задано строковое представление адреса получателя";
        DboSenderAddressTitleEmpty = "ERR_DBO_SENDER_ADDRESS_TITLE_EMPTY", "sender address text missing", "Не задано строковое представление адреса отправителя";
        DboReceiverCityAmbiguous = "ERR_DBO_RECEIVER_CITY_AMBIGUOUS", "receiver city ambiguous", "Город-получатель неоднозначен";
        DboReceiverCityEmpty = "ERR_DBO_RECEIVER_CITY_EMPTY", "receiver city missing", "Город-получатель не задан";
        DboReceiverCityIncorrect = "ERR_DBO_RECEIVER_CITY_INCORRECT", "receiver city does not exist", "Город-получатель не существует";
        DboReceiverCityNotInteger = "ERR_DBO_RECEIVER_CITY_NOT_INTEGER", "receiver city code is not an integer", "Код города-получателя не целое число";
        DboSenderCityAmbiguous = "ERR_DBO_SENDER_CITY_AMBIGUOUS", "sender city ambiguous", "Город-отправитель неоднозначен";
        DboSenderCityEmpty = "ERR_DBO_SENDER_CITY_EMPTY", "sender city missing", "Город-отправитель не задан";
        DboSenderCityIncorrect = "ERR_DBO_SENDER_CITY_INCORRECT", "sender city does not exist", "Город-отправитель не существует";
        DboSenderCityNotInteger = "ERR_DBO_SENDER_CITY_NOT_INTEGER", "sender city code is not an integer", "Код города-отправителя не целое число";
        DboResultEmpty = "ERR_DBO_RESULT_EMPTY", "no tariff for this direction", "По данному направлению при заданных условиях нет доступных тарифов";
        DboResultServiceEmpty = "ERR_DBO_RESULT_SERVICE_EMPTY", "the chosen tariff is not available", "Выбранный тариф недоступен";
        DboServiceEmpty = "ERR_DBO_SERVICE_EMPTY", "service missing", "Не задана услуга";
        DboTypeEmpty = "ERR_DBO_TYPE_EMPTY", "order type missing", "Не задан тип заказа";
        DboWeightEmpty = "ERR_DBO_WEIGHT_EMPTY", "weight missing", "Не задан вес";
        DeleteOrder = "ERR_DELETEREQUEST_ORDER", "cannot delete: the order has warehouse movements", "Невозможно удалить заказ, т. к. есть движение на складе";
        DeleteOrderActNumber = "ERR_DELETEREQUEST_ORDER_ACTNUMBER", "the order belongs to another act", "Заказ принадлежит другому акту приема-передачи";
        DeleteOrderDeleted = "ERR_DELETEREQUEST_ORDER_DELETED", "order deleted earlier", "Заказ удален ранее";
        DeleteOrderMove = "ERR_DELETEREQUEST_ORDER_MOVE", "order not in status created", "Заказ не в состоянии \"Создан\"";
        FileNotExists = "ERR_FILE_NOTEXISTS", "cannot get the file", "Невозможно получить файл";
        FileSave = "ERR_FILE_SAVE", "error saving the file", "Ошибка сохранения файла";
        FirstDuplicateExists = "ERR_FIRST_DUBL_EXISTS", "a courier call for this date already exists", "Заявка на вызов курьера существует в базе СДЭК на дату";
        InfoRequest = "ERR_INFOREQUEST", "neither ChangePeriod nor Order in InfoRequest", "Отсутствуют тэг ChangePeriod или Order";
        InfoRequestDateBeg = "ERR_INFOREQUEST_DATEBEG", "DateBeg missing in InfoRequest", "Отсутствует параметр DateBeg";
        InvalidAddressDelivery = "ERR_INVALID_ADDRESS_DELIVERY", "wrong delivery address", "Неверный адрес доставки";
        InvalidAmount = "ERR_INVALID_AMOUNT", "invalid item quantity", "Невалидное значение количества вложений";
        InvalidCost = "ERR_INVALID_COST", "Cost must not be negative", "Cost должно быть неотрицательным";
        InvalidCostEx = "ERR_INVALID_COSTEX", "CostEx must not be negative", "CostEx должно быть неотрицательным";
        InvalidDeliveryRecipientCost = "ERR_INVALID_DELIVERYRECIPIENTCOST", "DeliveryRecipientCost must not be negative", "DeliveryRecipientCost должно быть неотрицательным";
        InvalidDispatchNumber = "ERR_INVALID_DISPATCHNUMBER", "order not found by DispatchNumber (the table's typo ERR_INVALID_DISPACHNUMBER is accepted)", "Заказ не найден в базе СДЭК";
        InvalidIntakeService = "ERR_INVALID_INTAKESERVICE", "additional service 16 does not fit the tariff", "Доп. услуга 16 не соответствует выбранному тарифу";
        InvalidIntakeServiceToCity = "ERR_INVALID_INTAKESERVICE_TOCITY", "additional service 17 does not fit the tariff", "Доп. услуга 17 не соответствует выбранному тарифу";
        InvalidNumber = "ERR_INVALID_NUMBER", "order not found by Number and Date", "заказ не найден в базе СДЭК";
        InvalidNumberDelete = "ERR_INVALID_NUMBER_DELETE", "order not found by Number (delete)", "заказ не найден в базе СДЭК";
        InvalidPayment = "ERR_INVALID_PAYMENT", "Payment must not be negative", "Payment должно быть неотрицательным";
        InvalidPaymentEx = "ERR_INVALID_PAYMENTEX", "PaymentEx must not be negative", "PaymentEx должно быть неотрицательным";
        InvalidServiceCode = "ERR_INVALID_SERVICECODE", "unknown additional service code", "Дополнительная услуга не идентифицирована по коду";
        InvalidSize = "ERR_INVALID_SIZE", "invalid size", "Невалидное значение габаритов";
        InvalidTariff = "ERR_INVALID_TARIFFTYPECODE", "unknown tariff code", "Тариф не идентифицирован по коду";
        InvalidWeight = "ERR_INVALID_WEIGHT", "weight must be positive", "Значение веса должно быть положительным";
        InvalidXml = "ERR_INVALID_XML", "XML not well-formed", "Неверный формат XML";
        ItemNotFound = "ERR_ITEM_NOTFIND", "no item with this WareKey in CDEK's database", "Отсутствует вложение в базе СДЭК с артикулом";
        NeedAttribute = "ERR_NEED_ATTRIBUTE", "required attribute missing", "Отсутствие обязательного атрибута";
        CurrencyNotFound = "ERR_NOTFOUNDCURRENCY", "currency code unknown", "Код валюты не найден в базе СДЭК";
        NotFoundTag = "ERR_NOTFOUNDTAG", "required tag missing", "Не найден обязательный тег";
        NotEqualCallCount = "ERR_NOT_EQUAL_CALLCOUNT", "number of calls differs from CallCount", "Количество заявок не соответствует CallCount";
        NotEqualOrderCount = "ERR_NOT_EQUAL_ORDERCOUNT", "number of orders differs from OrderCount", "Количество заказов не соответствует OrderCount";
        CostExNotFound = "ERR_NOT_FOUND_COSTEX", "CostEx missing", "Не найдено значение атрибута COSTEX";
        PaymentExNotFound = "ERR_NOT_FOUND_PAYMENTEX", "PaymentEx missing", "Не найдено значение атрибута PAYMENTEX";
        PassportNumberNotFound = "ERR_NOT_FOUND_PASSPORTNUMBER", "passport data missing (international)", "Не найдены паспортные данные";
        PassportNumberNotValid = "ERR_NOT_VALID_PASSPORTNUMBER", "passport data invalid (international)", "Неверные паспортные данные";
        RegistrationAddressNotFound = "ERR_NOT_FOUND_REGISTRATIONADDRESS", "registration address missing (international)", "Не найден адрес регистрации";
        RecCityNotFound = "ERR_NOT_FOUND_RECCITY", "neither RecCityCode nor RecCityPostCode given", "Не задан город получателя";
        SendCityNotFound = "ERR_NOT_FOUND_SENDCITY", "neither SendCityCode nor SendCityPostCode given", "Не задан город отправителя";
        TariffNotAvailable = "ERR_NOT_FOUND_TARIFFTYPECODE", "tariff not available for this direction", "Тариф по переданному направлению не существует";
        OrderCount = "ERR_ORDER_COUNT", "more than 100 orders in one request", "Превышено ограничение количества заказов в одном запросе";
        OrderDelete = "ERR_ORDER_DELETE", "cannot delete the order", "Невозможно удалить заказ";
        OrderDuplicate = "ERR_ORDER_DUBL", "duplicate order number in the document", "Дублирование заказа в документе";
        OrderExists = "ERR_ORDER_DUBL_EXISTS", "order already exists in CDEK's database", "Заказ существует в базе СДЭК";
        OrderNotFound = "ERR_ORDER_NOTFIND", "order not found in CDEK's database", "Заказ не найден в базе СДЭК";
        OrdersNotFound = "ERR_ORDERS_NOT_FOUND", "no orders for these parameters", "По указанным параметрам заказов не найдено";
        PackageNotFound = "ERR_PACKAGE_NOTFIND", "package not found in CDEK's database", "Отсутствует упаковка в базе СДЭК";
        PackageNumberDuplicate = "ERR_PACKAGE_NUM_DUBL", "duplicate package number in an order", "Дублирование номера упаковки";
        PrintOrder = "ERR_PRINT_ORDER", "could not build the print file", "Не удалось сформировать файл печатной формы";
        PvzCode = "ERR_PVZCODE", "pickup point (ПВЗ) code unknown", "Код ПВЗ отсутствует в базе СДЭК";
        PvzCodeNotFound = "ERR_PVZCODE_NOTFOUND", "pickup point (ПВЗ) not in the receiver city", "ПВЗ не найден в городе";
        PvzClosed = "ERR_PVZ_CLOSED", "pickup point (ПВЗ) is closed", "Указанный ПВЗ на данный момент закрыт";
        PvzNotFound = "ERR_PVZ_NOTFOUND", "no pickup point (ПВЗ) in this city", "В выбранном городе ПВЗ отсутствуют";
        PvzNotFoundByPostcode = "ERR_PVZ_NOTFOUND_BY_POSTCODE", "no pickup point (ПВЗ) for this postcode", "По индексу ПВЗ отсутствуют";
        PvzWeight = "ERR_PVZ_WEIGHT", "weight too small for the pickup point (ПВЗ)", "Слишком маленький вес";
        PvzWeightLimit = "ERR_PVZ_WEIGHT_LIMIT", "weight over the pickup point's (ПВЗ) limit", "Ограничение веса в выбранном ПВЗ";
        RecCityCode = "ERR_RECCITYCODE", "receiver city code unknown", "Код города получателя отсутствует в базе СДЭК";
        RecCityPostCode = "ERR_RECCITYPOSTCODE", "receiver postcode unknown", "Почтовый индекс города получателя отсутствует в базе СДЭК";
        RecCityPostCodeDuplicate = "ERR_RECCITYPOSTCODE_DUBL", "receiver postcode ambiguous", "Почтовый индекс города получателя неоднозначен";
        SendCityCode = "ERR_SENDCITYCODE", "sender city code unknown", "Код города отправителя отсутствует в базе СДЭК";
        SendCityPostCode = "ERR_SENDCITYPOSTCODE", "sender postcode unknown", "Почтовый индекс города отправителя отсутствует в базе СДЭК";
        SendCityPostCodeDuplicate = "ERR_SENDCITYPOSTCODE_DUBL", "sender postcode ambiguous", "Почтовый индекс города отправителя неоднозначен";
        ScheduleChange = "ERR_SCHEDULE_CHANGE", "order cannot change in a final status", "Заказ не может быть изменен в статусе";
        ScheduleDate = "ERR_SCHEDULE_DATE", "delivery date must be after the tariff's planned delivery date", "Дата доставки должна быть больше планируемой даты доставки по прайсу";
        ScheduleDuplicate = "ERR_SCHEDULE_DUBL", "duplicate order numbers in the document", "Дублирование номеров заказов в документе";
        UnknownDocType = "ERR_UNKNOWN_DOC_TYPE", "unknown document type", "Неизвестный тип документа";
        UnknownVersion = "ERR_UNKNOWN_VERSION", "unknown document version", "Неизвестная версия документа";
        WareKeyDuplicate = "ERR_WAREKEY_DUBL", "duplicate WareKey in a package", "Дублирование идентификатора вложения в упаковке";
        WeightLimit = "ERR_WEIGHT_LIMIT", "over 30 kg is impossible with this tariff", "Невозможна отправка груза свыше 30 кг. с указанным тарифом";
        XmlEmpty = "ERR_XML_EMPTY", "xml_request is empty", "Значение переменной `$_POST[xml_request]` пустое";
        CashCurrencyNotValid = "ERR_CURRCASH_NOTVALID", "cash-on-delivery currency must equal the contract currency", "Валюта наложенного платежа должна совпадать с валютой договора";
        ClientDeleted = "ERR_CLIENT_IS_DELETED", "client not active", "Клиент не активен";
        ShopNumberNotUnique = "ERROR_VALIDATE_IM_DEP_NUMBER_HAS_ALREADY_HAD", "shop order number not unique", "Введенный номер отправления ИМ не уникальный";
        PackageDescriptionMissing = "ERROR_VALIDATE_PACKAGE_NULL_DESCRIPTION", "package Comment required", "";
        CallEmpty = "ERROR_CALL_EMPTY", "courier-call tag missing", "Не указан тэг вызова курьера";
        ShopCollectionVatRate = "ERR_SHOP_ADDITIONAL_COLLECTION_VAT_RATE_MISTAKE", "wrong VAT rate of the delivery charge", "";
        GoodsVatRate = "ERR_GOODS_VAT_RATE_MISTAKE", "wrong VAT rate of an item", "";
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

    /// Whether repeating the same request later may succeed (CDEK-side failures).
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::Api
                | Self::Database
                | Self::DatabaseTest
                | Self::InternalXml
                | Self::InternalJson
                | Self::FileNotExists
                | Self::FileSave
                | Self::PrintOrder
        )
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
        assert_eq!(Tariff::from_i64(89), Tariff::BlitzExpress24);
        assert_eq!(
            Tariff::ParcelWarehouseDoor.delivery_mode(),
            Some(DeliveryMode::WarehouseDoor)
        );
        assert_eq!(Tariff::from_i64(9999).delivery_mode(), None);
        assert_eq!(VatRate::from_code("vat10"), VatRate::Vat10);
        assert_eq!(VatRate::Vat20.percent(), Some(20));
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
        assert_eq!(
            AdditionalStatus::from_i64(33),
            AdditionalStatus::InvoiceNotReceived
        );
        assert_eq!(DelayReason::from_i64(47), DelayReason::AddressDoesNotExist);
        assert_eq!(
            AdditionalService::from_i64(24),
            AdditionalService::Packaging1
        );
        assert_eq!(
            DeliveryVariant::from_code("PVZCDEK"),
            DeliveryVariant::PvzCdek
        );
        assert_eq!(
            CashOnDeliveryType::from_code("cashless"),
            CashOnDeliveryType::Cashless
        );
    }

    #[test]
    fn error_codes() {
        assert_eq!(
            ErrorCode::parse("ERR_INVALID_DISPACHNUMBER"),
            ErrorCode::InvalidDispatchNumber
        );
        assert_eq!(
            ErrorCode::parse("ERR_AUTH").meaning_ru(),
            Some("Интернет-магазин не идентифицирован")
        );
        assert_eq!(ErrorCode::parse("error_internal"), ErrorCode::InternalXml);
        assert!(ErrorCode::InternalJson.is_retryable());
        assert!(!ErrorCode::Auth.is_retryable());
        assert_eq!(
            ErrorCode::parse("ERR_NEW_2030"),
            ErrorCode::Unknown("ERR_NEW_2030".into())
        );
    }
}
