//! Spreadsheet output: an `.xlsx` workbook (via `rust_xlsxwriter`) with one worksheet.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};

use super::Sheet;

/// Excel's limit on the characters in one cell.
const MAX_CELL_CHARS: usize = 32_767;
/// Excel's row limit (the header takes one).
const MAX_ROWS: usize = 1_048_576;
/// Excel's column limit.
const MAX_COLS: usize = 16_384;

/// A worksheet name Excel accepts: forbidden characters replaced, ≤31 characters, not empty,
/// not starting/ending with an apostrophe.
fn sheet_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(31)
        .collect();
    let cleaned = cleaned.trim_matches('\'').to_owned();
    if cleaned.trim().is_empty() || cleaned.eq_ignore_ascii_case("History") {
        "Sheet1".to_owned()
    } else {
        cleaned
    }
}

fn cell(text: &str) -> String {
    text.chars().take(MAX_CELL_CHARS).collect()
}

/// Renders `sheet` as an `.xlsx` workbook: header row bold, every cell text (so numbers like
/// order numbers keep leading zeros). Cells, rows and columns beyond Excel's limits are cut off.
/// Returns an empty vector only if the workbook cannot be assembled (not expected after the
/// adjustments above).
pub fn spreadsheet(sheet: &Sheet) -> Vec<u8> {
    build(sheet).unwrap_or_default()
}

fn build(sheet: &Sheet) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = Workbook::new();
    // A fixed creation time keeps the bytes deterministic (the default is "now").
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let ws = workbook.add_worksheet();
    ws.set_name(sheet_name(&sheet.name))?;
    let bold = Format::new().set_bold();
    for (c, h) in sheet.header.iter().take(MAX_COLS).enumerate() {
        ws.write_string_with_format(0, c as u16, cell(h), &bold)?;
    }
    for (r, row) in sheet.rows.iter().take(MAX_ROWS - 1).enumerate() {
        for (c, v) in row.iter().take(MAX_COLS).enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32 + 1, c as u16, cell(v))?;
            }
        }
    }
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};

    #[test]
    fn round_trips_through_calamine() {
        let sheet = Sheet {
            name: "Реестр 2026-11-26 [курьер]".into(),
            header: vec![
                "№".into(),
                "Заказ".into(),
                "Получатель".into(),
                "Вес, кг".into(),
            ],
            rows: vec![
                vec![
                    "1".into(),
                    "05120002MOW".into(),
                    "Иванов Иван".into(),
                    "1.5".into(),
                ],
                vec!["2".into(), "0007".into(), "ООО «Ромашка»".into(), "".into()],
            ],
        };
        let bytes = spreadsheet(&sheet);
        assert!(bytes.starts_with(b"PK"));
        assert_eq!(bytes, spreadsheet(&sheet), "deterministic");
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(book.sheet_names(), ["Реестр 2026-11-26 _курьер_"]);
        let range = book.worksheet_range("Реестр 2026-11-26 _курьер_").unwrap();
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|r| {
                r.iter()
                    .map(|d| match d {
                        Data::String(s) => s.clone(),
                        Data::Empty => String::new(),
                        other => panic!("unexpected cell {other:?}"),
                    })
                    .collect()
            })
            .collect();
        let mut expected = vec![sheet.header.clone()];
        expected.extend(sheet.rows.clone());
        assert_eq!(rows, expected);
    }

    #[test]
    fn odd_names_are_fixed() {
        assert_eq!(sheet_name(""), "Sheet1");
        assert_eq!(sheet_name("'a'"), "a");
        assert_eq!(sheet_name(&"я".repeat(40)).chars().count(), 31);
        let empty = Sheet {
            name: "?".into(),
            header: vec![],
            rows: vec![],
        };
        assert!(!spreadsheet(&empty).is_empty());
    }
}
