//! Typed views of the two reports, built from the generated answer types with the lenient
//! parsers: "Статусы заказов" (order statuses, `status_report_h.php`) and "Информация по
//! заказам" (order information, `info_report.php`), plus the queries that ask for them.
//!
//! Empty attributes (`Code=""`, `Date=""`) become `None`; dates accept every form CDEK sends
//! and keep no zone (CDEK's times are local to its offices); codes become the enums of
//! [`crate::codes`], with `Unknown` for codes this crate does not know.

use chrono::{NaiveDate, NaiveDateTime};

use crate::client::{doc_error, line_error, ApiError};
use crate::codes::{
    AdditionalService, AdditionalStatus, CallFailReason, CashOnDeliveryType, DelayReason,
    DeliveryMode, DeliveryVariant, OrderStatus, Tariff, VatRate,
};
use crate::generated::cdek_integration as g;
use crate::lenient;

fn owned(v: Option<&String>) -> Option<String> {
    lenient::text(v.map(String::as_str)).map(str::to_owned)
}

fn date(v: Option<&String>) -> Option<NaiveDateTime> {
    lenient::date_time(v.map(String::as_str))
}

fn int(v: Option<&String>) -> Option<i64> {
    lenient::int(v.map(String::as_str))
}

fn dec(v: Option<&String>) -> Option<f64> {
    lenient::decimal(v.map(String::as_str))
}

/// A code attribute: empty → `None`, otherwise the enum (unknown codes kept as sent).
fn code<T>(v: Option<&String>, parse: fn(&str) -> T) -> Option<T> {
    lenient::text(v.map(String::as_str)).map(parse)
}

/// The document date format of requests (`YYYY-MM-DDThh:mm:ss`, no zone).
fn doc_date_time(d: NaiveDateTime) -> String {
    d.format("%Y-%m-%dT%H:%M:%S").to_string()
}

fn doc_date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Which orders a report covers: by CDEK waybill, by the shop's number and act date, by a
/// period of changes, or a combination (then: the listed orders that changed in the period).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrderQuery {
    orders: Vec<g::OrderRef>,
    period: Option<(String, Option<String>)>,
}

impl OrderQuery {
    /// No orders and no period yet (CDEK needs at least one of them).
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Orders by CDEK waybill number (`DispatchNumber`).
    #[must_use]
    pub fn dispatch_numbers(mut self, numbers: impl IntoIterator<Item = i64>) -> Self {
        self.orders.extend(numbers.into_iter().map(|d| g::OrderRef {
            dispatch_number: Some(d),
            number: None,
            date: None,
        }));
        self
    }

    /// An order by the shop's number (`Number`) and the date of the act it was sent with
    /// (`Date`).
    #[must_use]
    pub fn shop_number(mut self, number: impl Into<String>, act_date: NaiveDate) -> Self {
        self.orders.push(g::OrderRef {
            dispatch_number: None,
            number: Some(number.into()),
            date: Some(doc_date(act_date)),
        });
        self
    }

    /// Orders whose data changed from `first` to `last` (`None`: until now). The status
    /// report covers at most 31 days.
    #[must_use]
    pub fn changed_between(mut self, first: NaiveDateTime, last: Option<NaiveDateTime>) -> Self {
        self.period = Some((doc_date_time(first), last.map(doc_date_time)));
        self
    }

    fn orders(&self) -> Vec<g::OrderRef> {
        self.orders.clone()
    }
}

/// A status report request ("Статусы заказов"): which orders, and which extra sections.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatusQuery {
    /// Which orders.
    pub orders: OrderQuery,
    /// Include the full status history (`ShowHistory=1`), the delay-reason history too.
    pub history: bool,
    /// Include return orders (`ShowReturnOrder=1`).
    pub returns: bool,
    /// Include the status history of return orders (`ShowReturnOrderHistory=1`).
    pub return_history: bool,
}

impl StatusQuery {
    /// Last statuses of `orders`.
    #[must_use]
    pub fn new(orders: OrderQuery) -> Self {
        Self {
            orders,
            ..Self::default()
        }
    }

    /// Adds the full history (statuses and delay reasons).
    #[must_use]
    pub fn with_history(mut self) -> Self {
        self.history = true;
        self
    }

    /// Adds return orders and their history.
    #[must_use]
    pub fn with_returns(mut self) -> Self {
        self.returns = true;
        self.return_history = true;
        self
    }

    /// The generated request document (authentication left empty: the client fills it in).
    #[must_use]
    pub fn to_request(&self) -> g::StatusReport {
        let flag = |b: bool| b.then_some(1);
        g::StatusReport {
            date: String::new(),
            account: String::new(),
            secure: String::new(),
            show_history: flag(self.history),
            show_return_order: flag(self.returns),
            show_return_order_history: flag(self.return_history),
            change_period: self
                .orders
                .period
                .clone()
                .map(|(first, last)| g::StatusReportPeriod {
                    date_first: first,
                    date_last: last,
                    date_beg: None,
                    date_end: None,
                }),
            order: self.orders.orders(),
        }
    }
}

/// An info report request ("Информация по заказам").
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InfoQuery {
    /// Which orders.
    pub orders: OrderQuery,
}

impl InfoQuery {
    /// Information about `orders`.
    #[must_use]
    pub fn new(orders: OrderQuery) -> Self {
        Self { orders }
    }

    /// The generated request document (authentication left empty: the client fills it in).
    #[must_use]
    pub fn to_request(&self) -> g::InfoRequest {
        g::InfoRequest {
            date: String::new(),
            account: String::new(),
            secure: String::new(),
            change_period: self
                .orders
                .period
                .clone()
                .map(|(beg, end)| g::InfoReportPeriod {
                    date_beg: beg,
                    date_end: end,
                    date_first: None,
                    date_last: None,
                }),
            order: self.orders.orders(),
        }
    }
}

/// The status report answer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatusReport {
    /// Start of the reported period (CDEK sends a sentinel such as 2000-12-31 when orders
    /// were listed).
    pub date_first: Option<NaiveDateTime>,
    /// End of the reported period.
    pub date_last: Option<NaiveDateTime>,
    /// One entry per order line: its statuses, or the error CDEK reported for it.
    pub orders: Vec<Result<OrderStatusReport, ApiError>>,
    /// An error on the report root that came together with order lines.
    pub document_errors: Vec<ApiError>,
    /// The gateway's `TraceId`, if sent.
    pub trace_id: Option<String>,
}

/// One status event: the current status or an entry of its history.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusEvent {
    /// When (local time of the office; no zone kept).
    pub date: Option<NaiveDateTime>,
    /// The status (§5.4).
    pub status: OrderStatus,
    /// CDEK's text for it.
    pub description: Option<String>,
    /// CDEK code of the city where it happened.
    pub city_code: Option<i64>,
    /// Name of that city.
    pub city_name: Option<String>,
}

/// A coded event: an additional status (`Reason`) or a delay reason (`DelayReason`).
#[derive(Debug, Clone, PartialEq)]
pub struct CodedEvent<C> {
    /// When.
    pub date: Option<NaiveDateTime>,
    /// The code.
    pub code: C,
    /// CDEK's text for it (show this one: numbering changed between versions).
    pub description: Option<String>,
}

/// A package of a finished order, with how many of each item were handed over.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveredPackage {
    /// Package number (`Number`).
    pub number: Option<String>,
    /// Package barcode (`BarCode`).
    pub bar_code: Option<String>,
    /// Items.
    pub items: Vec<DeliveredItem>,
}

/// An item of a [`DeliveredPackage`].
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveredItem {
    /// Article (`WareKey`).
    pub ware_key: Option<String>,
    /// Quantity sent (`Amount`).
    pub amount: Option<i64>,
    /// Quantity handed over (`DelivAmount`); less than `amount` with partial delivery.
    pub delivered: Option<i64>,
    /// Goods marking code (`Marking`).
    pub marking: Option<String>,
}

/// A failed delivery attempt against the shop's schedule (`Attempt`).
#[derive(Debug, Clone, PartialEq)]
pub struct FailedAttempt {
    /// The schedule id the shop sent (`ID`).
    pub id: Option<i64>,
    /// Why it failed (`ScheduleCode`, a delay-reason code).
    pub reason: Option<DelayReason>,
    /// CDEK's text (`ScheduleDescription`).
    pub description: Option<String>,
}

/// CDEK's calls to the receiver (`Call`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallHistory {
    /// Successful calls (`CallGood/Good`).
    pub successful: Vec<SuccessfulCall>,
    /// Failed calls (`CallFail/Fail`).
    pub failed: Vec<FailedCall>,
    /// Calls moved to a later time (`CallDelay/Delay`).
    pub delayed: Vec<DelayedCall>,
}

/// A successful call.
#[derive(Debug, Clone, PartialEq)]
pub struct SuccessfulCall {
    /// When the call was made.
    pub date: Option<NaiveDateTime>,
    /// The delivery or pick-up date agreed (`DateDeliv`).
    pub delivery_date: Option<NaiveDateTime>,
}

/// A failed call.
#[derive(Debug, Clone, PartialEq)]
pub struct FailedCall {
    /// When.
    pub date: Option<NaiveDateTime>,
    /// Why (`ReasonCode`, §5.7).
    pub reason: Option<CallFailReason>,
    /// CDEK's text (`ReasonDescription`).
    pub description: Option<String>,
}

/// A call moved to a later time.
#[derive(Debug, Clone, PartialEq)]
pub struct DelayedCall {
    /// When.
    pub date: Option<NaiveDateTime>,
    /// When to call again (`DateNext`; a date or a date-time).
    pub next: Option<NaiveDateTime>,
}

/// The statuses of one order (or of its return order).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrderStatusReport {
    /// Act number (`ActNumber`; empty for return orders → `None`).
    pub act_number: Option<String>,
    /// The shop's order number (`Number`).
    pub number: Option<String>,
    /// CDEK waybill (`DispatchNumber`).
    pub dispatch_number: Option<i64>,
    /// When it was delivered (`DeliveryDate`).
    pub delivery_date: Option<NaiveDateTime>,
    /// Who received it (`RecipientName`).
    pub recipient_name: Option<String>,
    /// Waybill of the return shipment (`ReturnDispatchNumber`).
    pub return_dispatch_number: Option<i64>,
    /// The last status.
    pub status: Option<StatusEvent>,
    /// Full status history, oldest first as CDEK sends it (only with
    /// [`StatusQuery::with_history`]).
    pub history: Vec<StatusEvent>,
    /// The current additional status (`Reason`), e.g. why it was not delivered.
    pub reason: Option<CodedEvent<AdditionalStatus>>,
    /// The current delay reason (`DelayReason`).
    pub delay: Option<CodedEvent<DelayReason>>,
    /// History of delay reasons (only with history).
    pub delay_history: Vec<CodedEvent<DelayReason>>,
    /// Packages with handed-over quantities (only for finished orders).
    pub packages: Vec<DeliveredPackage>,
    /// Failed attempts against the shop's schedule.
    pub failed_attempts: Vec<FailedAttempt>,
    /// Calls to the receiver.
    pub calls: CallHistory,
    /// The return order (only with [`StatusQuery::with_returns`]).
    pub return_order: Option<Box<OrderStatusReport>>,
}

impl OrderStatusReport {
    /// Whether the last status is final (delivered or not delivered).
    #[must_use]
    pub fn is_final(&self) -> bool {
        self.status.as_ref().is_some_and(|s| s.status.is_final())
    }
}

fn status_event(
    date_v: Option<&String>,
    code_v: Option<&String>,
    description: Option<&String>,
    city_code: Option<&String>,
    city_name: Option<&String>,
) -> Option<StatusEvent> {
    Some(StatusEvent {
        date: date(date_v),
        status: code(code_v, OrderStatus::from_code)?,
        description: owned(description),
        city_code: int(city_code),
        city_name: owned(city_name),
    })
}

fn coded<C>(
    date_v: Option<&String>,
    code_v: Option<&String>,
    description: Option<&String>,
    parse: fn(&str) -> C,
) -> Option<CodedEvent<C>> {
    Some(CodedEvent {
        date: date(date_v),
        code: code(code_v, parse)?,
        description: owned(description),
    })
}

fn statuses(s: Option<&g::OrderStatus>) -> (Option<StatusEvent>, Vec<StatusEvent>) {
    let Some(s) = s else {
        return (None, Vec::new());
    };
    let current = status_event(
        s.date.as_ref(),
        s.code.as_ref(),
        s.description.as_ref(),
        s.city_code.as_ref(),
        s.city_name.as_ref(),
    );
    let history = s
        .state
        .iter()
        .filter_map(|h| {
            status_event(
                h.date.as_ref(),
                h.code.as_ref(),
                h.description.as_ref(),
                h.city_code.as_ref(),
                h.city_name.as_ref(),
            )
        })
        .collect();
    (current, history)
}

fn delays(
    d: Option<&g::DelayReason>,
) -> (
    Option<CodedEvent<DelayReason>>,
    Vec<CodedEvent<DelayReason>>,
) {
    let Some(d) = d else {
        return (None, Vec::new());
    };
    let current = coded(
        d.date.as_ref(),
        d.code.as_ref(),
        d.description.as_ref(),
        DelayReason::from_code,
    );
    let history = d
        .state
        .iter()
        .filter_map(|h| {
            coded(
                h.date.as_ref(),
                h.code.as_ref(),
                h.description.as_ref(),
                DelayReason::from_code,
            )
        })
        .collect();
    (current, history)
}

fn reason(r: Option<&g::StatusReason>) -> Option<CodedEvent<AdditionalStatus>> {
    let r = r?;
    coded(
        r.date.as_ref(),
        r.code.as_ref(),
        r.description.as_ref(),
        AdditionalStatus::from_code,
    )
}

fn calls(c: Option<&g::StatusCall>) -> CallHistory {
    let Some(c) = c else {
        return CallHistory::default();
    };
    CallHistory {
        successful: c
            .call_good
            .iter()
            .flat_map(|l| &l.good)
            .map(|g| SuccessfulCall {
                date: date(g.date.as_ref()),
                delivery_date: date(g.date_deliv.as_ref()),
            })
            .collect(),
        failed: c
            .call_fail
            .iter()
            .flat_map(|l| &l.fail)
            .map(|f| FailedCall {
                date: date(f.date.as_ref()),
                reason: code(f.reason_code.as_ref(), CallFailReason::from_code),
                description: owned(f.reason_description.as_ref()),
            })
            .collect(),
        delayed: c
            .call_delay
            .iter()
            .flat_map(|l| &l.delay)
            .map(|d| DelayedCall {
                date: date(d.date.as_ref()),
                next: date(d.date_next.as_ref()),
            })
            .collect(),
    }
}

impl From<&g::StatusReturnOrder> for OrderStatusReport {
    fn from(r: &g::StatusReturnOrder) -> Self {
        let (status, history) = statuses(r.status.as_ref());
        let (delay, delay_history) = delays(r.delay_reason.as_ref());
        Self {
            act_number: owned(r.act_number.as_ref()),
            number: owned(r.number.as_ref()),
            dispatch_number: int(r.dispatch_number.as_ref()),
            delivery_date: date(r.delivery_date.as_ref()),
            recipient_name: owned(r.recipient_name.as_ref()),
            status,
            history,
            reason: reason(r.reason.as_ref()),
            delay,
            delay_history,
            ..Self::default()
        }
    }
}

impl From<&g::StatusOrder> for OrderStatusReport {
    fn from(o: &g::StatusOrder) -> Self {
        let (status, history) = statuses(o.status.as_ref());
        let (delay, delay_history) = delays(o.delay_reason.as_ref());
        Self {
            act_number: owned(o.act_number.as_ref()),
            number: owned(o.number.as_ref()),
            dispatch_number: int(o.dispatch_number.as_ref()),
            delivery_date: date(o.delivery_date.as_ref()),
            recipient_name: owned(o.recipient_name.as_ref()),
            return_dispatch_number: int(o.return_dispatch_number.as_ref()),
            status,
            history,
            reason: reason(o.reason.as_ref()),
            delay,
            delay_history,
            packages: o
                .package
                .iter()
                .map(|p| DeliveredPackage {
                    number: owned(p.number.as_ref()),
                    bar_code: owned(p.bar_code.as_ref()),
                    items: p
                        .item
                        .iter()
                        .map(|i| DeliveredItem {
                            ware_key: owned(i.ware_key.as_ref()),
                            amount: int(i.amount.as_ref()),
                            delivered: int(i.deliv_amount.as_ref()),
                            marking: owned(i.marking.as_ref()),
                        })
                        .collect(),
                })
                .collect(),
            failed_attempts: o
                .attempt
                .iter()
                .map(|a| FailedAttempt {
                    id: int(a.id.as_ref()),
                    reason: code(a.schedule_code.as_ref(), DelayReason::from_code),
                    description: owned(a.schedule_description.as_ref()),
                })
                .collect(),
            calls: calls(o.call.as_ref()),
            return_order: o
                .return_order
                .as_ref()
                .map(|r| Box::new(OrderStatusReport::from(r))),
        }
    }
}

impl From<&g::StatusReportResponse> for StatusReport {
    fn from(r: &g::StatusReportResponse) -> Self {
        Self {
            date_first: date(r.date_first.as_ref()),
            date_last: date(r.date_last.as_ref()),
            orders: r
                .order
                .iter()
                .map(|o| match line_error!(o) {
                    Some(e) => Err(e),
                    None => Ok(OrderStatusReport::from(o)),
                })
                .collect(),
            document_errors: doc_error!(r).into_iter().collect(),
            trace_id: owned(r.trace_id.as_ref()),
        }
    }
}

/// The info report answer ("Информация по заказам").
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InfoReport {
    /// One entry per order line: its information, or the error CDEK reported for it.
    pub orders: Vec<Result<OrderInfo, ApiError>>,
    /// An error on the report root that came together with order lines.
    pub document_errors: Vec<ApiError>,
    /// The gateway's `TraceId`, if sent.
    pub trace_id: Option<String>,
}

/// A city of an [`OrderInfo`].
#[derive(Debug, Clone, PartialEq)]
pub struct CityInfo {
    /// CDEK city code.
    pub code: Option<i64>,
    /// Postcode.
    pub post_code: Option<String>,
    /// Name.
    pub name: Option<String>,
}

/// An additional service charged for an order (`AddedService`).
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceCharge {
    /// The service (§5.3).
    pub service: AdditionalService,
    /// Its cost, in the settlement currency (RUB by default).
    pub sum: Option<f64>,
}

/// A package of an [`OrderInfo`]. Weights in **kilograms**, sizes in **cm**.
#[derive(Debug, Clone, PartialEq)]
pub struct PackageInfo {
    /// Package number.
    pub number: Option<String>,
    /// Barcode.
    pub bar_code: Option<String>,
    /// Weight, kg.
    pub weight_kg: Option<f64>,
    /// Volumetric weight, kg.
    pub volume_weight_kg: Option<f64>,
    /// Sizes A, B, C in cm.
    pub size_cm: [Option<f64>; 3],
    /// Items.
    pub items: Vec<ItemInfo>,
}

/// An item of a [`PackageInfo`]. Money in the order currency; weight in **kilograms**.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemInfo {
    /// Article (`WareKey`).
    pub ware_key: Option<String>,
    /// Marking code.
    pub marking: Option<String>,
    /// Goods name (`Comment`).
    pub comment: Option<String>,
    /// Declared value per unit.
    pub cost: Option<f64>,
    /// Cash on delivery per unit.
    pub payment: Option<f64>,
    /// VAT rate of the payment (`VATRate`; empty → `None`).
    pub vat_rate: Option<VatRate>,
    /// VAT sum of the payment.
    pub vat_sum: Option<f64>,
    /// Weight per unit, kg.
    pub weight_kg: Option<f64>,
    /// Quantity sent.
    pub amount: Option<i64>,
    /// Quantity handed over.
    pub delivered: Option<i64>,
}

/// Costs and services of one order. Weights in **kilograms**; money in the settlement
/// currency (RUB by default) except cash on delivery (the receiver country's currency).
#[derive(Debug, Clone, PartialEq)]
pub struct OrderInfo {
    /// The shop's order number.
    pub number: Option<String>,
    /// When the order was handed to CDEK.
    pub date: Option<NaiveDateTime>,
    /// CDEK waybill.
    pub dispatch_number: Option<i64>,
    /// Tariff.
    pub tariff: Option<Tariff>,
    /// Chargeable weight, kg.
    pub weight_kg: Option<f64>,
    /// Delivery cost.
    pub delivery_sum: Option<f64>,
    /// Last change of the delivery cost.
    pub date_last_change: Option<NaiveDateTime>,
    /// Cash on delivery to collect.
    pub cash_on_delivery: Option<f64>,
    /// Cash on delivery collected (only once delivered).
    pub cash_on_delivery_fact: Option<f64>,
    /// How it was paid (absent until CDEK knows).
    pub cash_on_delivery_type: Option<CashOnDeliveryType>,
    /// Delivery mode (`deliveryMode`, also read as `DeliveryMode`).
    pub delivery_mode: Option<DeliveryMode>,
    /// Pickup point (ПВЗ) code (`pvzCode`).
    pub pvz_code: Option<String>,
    /// Courier or pickup point (`deliveryVariant`).
    pub delivery_variant: Option<DeliveryVariant>,
    /// Sender city.
    pub send_city: Option<CityInfo>,
    /// Receiver city.
    pub rec_city: Option<CityInfo>,
    /// Additional services and their costs.
    pub services: Vec<ServiceCharge>,
    /// Packages.
    pub packages: Vec<PackageInfo>,
}

fn city(c: Option<&g::InfoCity>) -> Option<CityInfo> {
    c.map(|c| CityInfo {
        code: int(c.code.as_ref()),
        post_code: owned(c.post_code.as_ref()),
        name: owned(c.name.as_ref()),
    })
}

impl From<&g::InfoOrder> for OrderInfo {
    fn from(o: &g::InfoOrder) -> Self {
        Self {
            number: owned(o.number.as_ref()),
            date: date(o.date.as_ref()),
            dispatch_number: int(o.dispatch_number.as_ref()),
            tariff: code(o.tariff_type_code.as_ref(), Tariff::from_code),
            weight_kg: dec(o.weight.as_ref()),
            delivery_sum: dec(o.delivery_sum.as_ref()),
            date_last_change: date(o.date_last_change.as_ref()),
            cash_on_delivery: dec(o.cash_on_deliv.as_ref()),
            cash_on_delivery_fact: dec(o.cash_on_deliv_fact.as_ref()),
            cash_on_delivery_type: code(
                o.cash_on_deliv_type.as_ref(),
                CashOnDeliveryType::from_code,
            ),
            // Older servers spell these three `DeliveryMode`, `PvzCode`, `DeliveryVariant`.
            delivery_mode: code(
                o.delivery_mode.as_ref().or(o.delivery_mode_2.as_ref()),
                DeliveryMode::from_code,
            ),
            pvz_code: owned(o.pvz_code.as_ref().or(o.pvz_code_2.as_ref())),
            delivery_variant: code(
                o.delivery_variant
                    .as_ref()
                    .or(o.delivery_variant_2.as_ref()),
                DeliveryVariant::from_code,
            ),
            send_city: city(o.send_city.as_ref()),
            rec_city: city(o.rec_city.as_ref()),
            services: o
                .added_service
                .iter()
                .filter_map(|s| {
                    Some(ServiceCharge {
                        service: code(s.service_code.as_ref(), AdditionalService::from_code)?,
                        sum: dec(s.sum.as_ref()),
                    })
                })
                .collect(),
            packages: o
                .package
                .iter()
                .map(|p| PackageInfo {
                    number: owned(p.number.as_ref()),
                    bar_code: owned(p.bar_code.as_ref()),
                    weight_kg: dec(p.weight.as_ref()),
                    volume_weight_kg: dec(p.volume_weight.as_ref()),
                    size_cm: [
                        dec(p.size_a.as_ref()),
                        dec(p.size_b.as_ref()),
                        dec(p.size_c.as_ref()),
                    ],
                    items: p
                        .item
                        .iter()
                        .map(|i| ItemInfo {
                            ware_key: owned(i.ware_key.as_ref()),
                            marking: owned(i.marking.as_ref()),
                            comment: owned(i.comment.as_ref()),
                            cost: dec(i.cost.as_ref()),
                            payment: dec(i.payment.as_ref()),
                            vat_rate: code(i.vat_rate.as_ref(), VatRate::from_code),
                            vat_sum: dec(i.vat_sum.as_ref()),
                            weight_kg: dec(i.weight.as_ref()),
                            amount: int(i.amount.as_ref()),
                            delivered: int(i.deliv_amount.as_ref()),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

impl From<&g::InfoReport> for InfoReport {
    fn from(r: &g::InfoReport) -> Self {
        Self {
            orders: r
                .order
                .iter()
                .map(|o| match line_error!(o) {
                    Some(e) => Err(e),
                    None => Ok(OrderInfo::from(o)),
                })
                .collect(),
            document_errors: doc_error!(r).into_iter().collect(),
            trace_id: owned(r.trace_id.as_ref()),
        }
    }
}

/// A pickup point's city name: `City` (2019+), or `CityName` (the 2015 spelling).
#[must_use]
pub fn pvz_city(p: &g::Pvz) -> Option<&str> {
    lenient::text(p.city.as_deref()).or_else(|| lenient::text(p.city_name.as_deref()))
}
