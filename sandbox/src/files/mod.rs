//! Real documents the sandbox hands out: PDF labels and invoices, FastReport (FP3) labels,
//! spreadsheet registers.
//!
//! - [`pdf`]: one PDF page per [`Page`], text in DejaVu Sans (embedded as a subset, so Cyrillic
//!   addresses and names show and can be copied/extracted), the barcode as Code 128 bars with the
//!   number in large type under them.
//! - [`fp3`]: a FastReport prepared report (XML) with the same data, best effort.
//! - [`spreadsheet`]: an `.xlsx` workbook with one sheet.
//!
//! All output is deterministic: the same input gives the same bytes (no timestamps, no random ids).

mod code128;
mod fp3;
mod pdf;
mod sheet;

pub use fp3::fp3;
pub use pdf::pdf;
pub use sheet::spreadsheet;

/// The paper size of one page (ISO 216, portrait).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaperSize {
    /// 210 × 297 mm (invoices, registers).
    A4,
    /// 148 × 210 mm (DPD's «two labels across the sheet» format).
    A5,
    /// 105 × 148 mm (one DPD label).
    A6,
}

impl PaperSize {
    /// Width and height in millimetres.
    pub fn millimetres(self) -> (f32, f32) {
        match self {
            Self::A4 => (210.0, 297.0),
            Self::A5 => (148.0, 210.0),
            Self::A6 => (105.0, 148.0),
        }
    }

    /// Width and height in PDF points (1/72 inch).
    pub fn points(self) -> (f32, f32) {
        let (w, h) = self.millimetres();
        (mm_to_pt(w), mm_to_pt(h))
    }
}

/// Millimetres to PDF points.
pub(crate) fn mm_to_pt(mm: f32) -> f32 {
    mm * 72.0 / 25.4
}

/// One page of a document: a title, `label: value` lines and an optional barcode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Paper size of the page.
    pub size: PaperSize,
    /// Heading printed at the top, larger.
    pub title: String,
    /// `label: value` lines, in order.
    pub fields: Vec<(String, String)>,
    /// Barcode payload (e.g. a DPD parcel number), drawn as Code 128 bars plus the number in large
    /// type; characters outside printable ASCII are printed but not encoded as bars.
    pub barcode: Option<String>,
}

/// One worksheet: a header row and data rows (all cells are text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    /// Worksheet name (Excel's limits apply: ≤31 characters, no `[]:*?/\`; adjusted if needed).
    pub name: String,
    /// Column headings (the first row, bold).
    pub header: Vec<String>,
    /// Data rows, below the header.
    pub rows: Vec<Vec<String>>,
}
