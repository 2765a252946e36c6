//! label-print and order2's documents through the real client: real PDF/FP3/xlsx bytes with
//! the order's data, and the per-order label statuses of Part V.6.

use crate::dpd_common::*;
use calamine::{Reader, Xlsx};
use dpd_client::generated::dpd_order_service as order;
use dpd_client::{DpdErrorCode, LabelFormat, PageSize};

fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("a PDF");
    let pages: Vec<u32> = (1..=u32::try_from(doc.get_pages().len()).unwrap()).collect();
    doc.extract_text(&pages).expect("text")
}

fn page_count(bytes: &[u8]) -> usize {
    lopdf::Document::load_mem(bytes)
        .expect("a PDF")
        .get_pages()
        .len()
}

#[tokio::test]
async fn labels_in_pdf_and_fp3_with_per_order_statuses() {
    let (dpd, handle, _) = start().await;
    let num = create_ok(&dpd, kazan("L-1", 2)).await;
    let other = create_ok(&dpd, kazan("L-2", 3)).await;

    let file = dpd
        .create_label_file(LabelFormat::Pdf, PageSize::A6, &[(&num, 2), (&other, 3)])
        .await
        .expect("labels");
    assert!(file.bytes.starts_with(b"%PDF"));
    assert_eq!(page_count(&file.bytes), 5, "one A6 label per page");
    let text = pdf_text(&file.bytes);
    assert!(text.contains(&num) && text.contains(&other), "{text}");
    assert!(text.contains("Иванов Сергей Петрович"), "{text}");
    assert!(file.orders.iter().all(|o| o.status == "OK"));

    // A5: two labels across a sheet, each order on a new sheet: 1 + 2 pages.
    let a5 = dpd
        .create_label_file(LabelFormat::Pdf, PageSize::A5, &[(&num, 2), (&other, 3)])
        .await
        .expect("A5");
    assert_eq!(page_count(&a5.bytes), 3);

    let fp3 = dpd
        .create_label_file(LabelFormat::Fp3, PageSize::A6, &[(&num, 1)])
        .await
        .expect("fp3");
    let xml = String::from_utf8(fp3.bytes).expect("xml");
    assert!(xml.starts_with("<?xml") && xml.contains(&num), "{xml}");

    // Unknown number next to a good one: the file comes, the unknown one says why.
    let mixed = dpd
        .create_label_file(
            LabelFormat::Pdf,
            PageSize::A6,
            &[(&num, 1), ("99999999XXX", 1)],
        )
        .await
        .expect("mixed");
    assert!(mixed.bytes.starts_with(b"%PDF"));
    let bad = mixed
        .orders
        .iter()
        .find(|o| o.status != "OK")
        .expect("status");
    assert_eq!(bad.status, "no-data-found");
    assert_eq!(
        bad.error_message.as_deref(),
        Some("Заказ № 99999999XXX для клиента № 1000000000 не найден")
    );

    // Only unknown orders: no file; the client reports the status.
    let err = dpd
        .create_label_file(LabelFormat::Pdf, PageSize::A6, &[("99999999XXX", 1)])
        .await
        .expect_err("no file");
    assert_eq!(code(err), DpdErrorCode::NoDataFound);

    // A pending order (referred to by the client's number) is OrderPending.
    let s = dpd
        .create_order(orders(
            day1(),
            vec![order_to("L-3", door("Казань", "Баумана", None), 1)],
        ))
        .await
        .expect("pending");
    assert_eq!(s[0].status, "OrderPending");
    let err = dpd
        .create_label_file(LabelFormat::Pdf, PageSize::A6, &[("L-3", 1)])
        .await
        .expect_err("pending");
    assert_eq!(code(err), DpdErrorCode::Unknown("OrderPending".into()));

    // Bad format: error-value fault.
    let err = dpd
        .create_label_file(
            LabelFormat::Unknown("DOC".into()),
            PageSize::A6,
            &[(&num, 1)],
        )
        .await
        .expect_err("format");
    assert_eq!(code(err), DpdErrorCode::ErrorValue);

    // Picked up (10:00): illegal-state.
    handle.advance_minutes(90);
    let err = dpd
        .create_label_file(LabelFormat::Pdf, PageSize::A6, &[(&num, 1)])
        .await
        .expect_err("picked up");
    assert_eq!(code(err), DpdErrorCode::IllegalState);
    handle.stop();
}

#[tokio::test]
async fn labels_for_a_pickup_date_already_past_are_input_data_error() {
    let (dpd, handle, _) = start().await;
    let s = dpd
        .create_order(orders(date(2026, 12, 3), vec![kazan("L-9", 1)]))
        .await
        .expect("created");
    let num = s[0].order_num.clone().expect("number");
    // Picked up on its day: illegal-state.
    handle.advance_minutes(2 * 24 * 60 + 3 * 60);
    let err = dpd
        .create_label_file(LabelFormat::Pdf, PageSize::A6, &[(&num, 1)])
        .await
        .expect_err("picked up");
    assert_eq!(code(err), DpdErrorCode::IllegalState);
    // The next day the order is outdated.
    handle.advance_minutes(24 * 60);
    let err = dpd
        .create_label_file(LabelFormat::Pdf, PageSize::A6, &[(&num, 1)])
        .await
        .expect_err("old");
    match err {
        dpd_client::DpdError::Service { code, message, .. } => {
            assert_eq!(code, DpdErrorCode::InputDataError);
            assert_eq!(
                message,
                format!("У заказа № {num} дата забора ранее текущей даты")
            );
        }
        other => panic!("{other:?}"),
    }
    handle.stop();
}

#[tokio::test]
async fn invoice_pdf_and_register_spreadsheet_show_the_order() {
    let (dpd, handle, _) = start().await;
    let num = create_ok(&dpd, kazan("I-1", 2)).await;
    let pdf = dpd
        .invoice_file(order::DpdGetInvoiceFile {
            auth: Default::default(),
            order_num: num.clone(),
            parcel_count: None,
            cargo_value: None,
        })
        .await
        .expect("invoice");
    assert!(pdf.starts_with(b"%PDF"));
    let text = pdf_text(&pdf);
    assert!(text.contains(&num), "{text}");
    assert!(text.contains("I-1") && text.contains("Казань"), "{text}");
    assert!(text.contains("1500.00"), "{text}");

    let err = dpd
        .invoice_file(order::DpdGetInvoiceFile {
            auth: Default::default(),
            order_num: "99999999XXX".into(),
            parcel_count: None,
            cargo_value: None,
        })
        .await
        .expect_err("unknown");
    assert_eq!(code(err), DpdErrorCode::NoDataFound);

    let files = dpd.register_files(day1()).await.expect("register");
    assert_eq!(files.len(), 1);
    assert!(files[0].starts_with(b"PK"));
    let mut book = Xlsx::new(std::io::Cursor::new(files[0].clone())).expect("xlsx");
    let name = book.sheet_names().first().cloned().expect("a sheet");
    let range = book.worksheet_range(&name).expect("range");
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0][0], "Номер заказа DPD");
    assert_eq!(rows[1][0], num);
    assert_eq!(rows[1][1], "I-1");
    assert_eq!(rows[1][4], "Казань");

    let err = dpd
        .register_files(date(2026, 12, 20))
        .await
        .expect_err("nothing that day");
    assert_eq!(code(err), DpdErrorCode::NoDataFound);
    handle.stop();
}
