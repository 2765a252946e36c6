//! Readable terminal output: tables and step headings.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};

/// A table with `header`, indented under the current step.
pub fn table<R, C>(header: &[&str], rows: R) -> String
where
    R: IntoIterator<Item = Vec<C>>,
    C: ToString,
{
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header.to_vec());
    for row in rows {
        t.add_row(row.iter().map(ToString::to_string).collect::<Vec<_>>());
    }
    t.to_string().lines().map(|l| format!("   {l}\n")).collect()
}

/// A numbered step heading.
pub fn step(n: &str, title: &str) {
    println!("\n{n}. {title}");
}

/// An indented line under the current step.
pub fn say(line: impl AsRef<str>) {
    println!("   {}", line.as_ref());
}
