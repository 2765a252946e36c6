//! Real documents the sandbox hands out: PDF labels and invoices, spreadsheet registers.
//! (Placeholder: being built.)
