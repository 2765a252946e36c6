//! FP3 output: a FastReport (VCL) prepared report — the XML that `TfrxReport.PreviewPages`
//! saves — with one report page per [`Page`]. Best effort: memo views for the text and a
//! Code 128 barcode view, positioned like the PDF; not checked against FastReport itself.

use std::fmt::Write as _;

use super::{Page, PaperSize};

/// FastReport's unit: screen pixels at 96 dpi, per millimetre.
const PX_PER_MM: f32 = 96.0 / 25.4;

/// Escapes `text` for a double-quoted XML attribute; drops characters XML 1.0 forbids.
fn attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if u32::from(c) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// FastReport's `PaperSize` value (Windows DMPAPER_* constants).
fn dmpaper(size: PaperSize) -> u8 {
    match size {
        PaperSize::A4 => 9,
        PaperSize::A5 => 11,
        // No DMPAPER constant for A6 in older Windows headers; 70 is DMPAPER_A6.
        PaperSize::A6 => 70,
    }
}

/// Renders `pages` as a FastReport prepared report (UTF-8 XML).
pub fn fp3(pages: &[Page]) -> Vec<u8> {
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"no\"?>\n");
    x.push_str("<preparedreport>\n<previewpages>\n");
    for (i, page) in pages.iter().enumerate() {
        let (w_mm, h_mm) = page.size.millimetres();
        let margin = if page.size == PaperSize::A6 {
            6.0
        } else {
            10.0
        };
        let width = (w_mm - 2.0 * margin) * PX_PER_MM;
        let (title_h, line_h) = if page.size == PaperSize::A4 {
            (26.0, 18.0)
        } else {
            (20.0, 14.0)
        };
        // Writing into a String cannot fail.
        let _ = writeln!(
            x,
            "<page{i}>\n<TfrxReportPage Name=\"Page{n}\" PaperWidth=\"{w_mm}\" PaperHeight=\"{h_mm}\" \
             PaperSize=\"{ps}\" Orientation=\"poPortrait\" LeftMargin=\"{margin}\" RightMargin=\"{margin}\" \
             TopMargin=\"{margin}\" BottomMargin=\"{margin}\">",
            n = i + 1,
            ps = dmpaper(page.size),
        );
        let _ = writeln!(
            x,
            "<TfrxMemoView Name=\"Title{n}\" Left=\"0\" Top=\"0\" Width=\"{width:.2}\" Height=\"{title_h}\" \
             Font.Charset=\"204\" Font.Name=\"Arial\" Font.Height=\"-{fh}\" Font.Style=\"1\" WordWrap=\"True\" Text=\"{t}\"/>",
            n = i + 1,
            fh = title_h as u32 - 6,
            t = attr(&page.title),
        );
        let mut top = title_h + 4.0;
        for (j, (label, value)) in page.fields.iter().enumerate() {
            let _ = writeln!(
                x,
                "<TfrxMemoView Name=\"Field{n}_{m}\" Left=\"0\" Top=\"{top:.2}\" Width=\"{width:.2}\" Height=\"{line_h}\" \
                 Font.Charset=\"204\" Font.Name=\"Arial\" Font.Height=\"-{fh}\" WordWrap=\"True\" Text=\"{t}: {v}\"/>",
                n = i + 1,
                m = j + 1,
                fh = line_h as u32 - 3,
                t = attr(label),
                v = attr(value),
            );
            top += line_h;
        }
        if let Some(code) = &page.barcode {
            let bar_top = (h_mm - 2.0 * margin - 24.0) * PX_PER_MM;
            let _ = writeln!(
                x,
                "<TfrxBarCodeView Name=\"Barcode{n}\" Left=\"0\" Top=\"{bar_top:.2}\" Width=\"{width:.2}\" \
                 Height=\"{bh:.2}\" BarType=\"bcCode128B\" ShowText=\"True\" Text=\"{c}\"/>",
                n = i + 1,
                bh = 22.0 * PX_PER_MM,
                c = attr(code),
            );
        }
        let _ = writeln!(x, "</TfrxReportPage>\n</page{i}>");
    }
    x.push_str("</previewpages>\n</preparedreport>\n");
    x.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use quick_xml::events::Event;

    #[test]
    fn well_formed_with_the_data() {
        let pages = vec![
            Page {
                size: PaperSize::A6,
                title: "Наклейка <1/2> & \"DPD\"".into(),
                fields: vec![("Получатель".into(), "Иванов И.\nМосква\u{1}".into())],
                barcode: Some("05120002MOW0001".into()),
            },
            Page {
                size: PaperSize::A5,
                title: "Вторая".into(),
                fields: vec![],
                barcode: None,
            },
        ];
        let bytes = fp3(&pages);
        assert_eq!(bytes, fp3(&pages));
        let mut reader = quick_xml::Reader::from_reader(bytes.as_slice());
        let mut buf = Vec::new();
        let mut texts = Vec::new();
        let mut page_views = 0;
        loop {
            match reader.read_event_into(&mut buf).unwrap() {
                Event::Eof => break,
                Event::Start(e) | Event::Empty(e) => {
                    if e.name().as_ref() == b"TfrxReportPage" {
                        page_views += 1;
                    }
                    for a in e.attributes() {
                        let a = a.unwrap();
                        if a.key.as_ref() == b"Text" {
                            texts.push(
                                a.decode_and_unescape_value(reader.decoder())
                                    .unwrap()
                                    .into_owned(),
                            );
                        }
                    }
                }
                _ => {}
            }
            buf.clear();
        }
        assert_eq!(page_views, 2);
        assert_eq!(
            texts,
            [
                "Наклейка <1/2> & \"DPD\"",
                "Получатель: Иванов И.\nМосква",
                "05120002MOW0001",
                "Вторая"
            ]
        );
    }
}
