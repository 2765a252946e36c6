//! PDF output: DejaVu Sans embedded as a subset (Type0/CIDFontType2, Identity-H, with a ToUnicode
//! map so text is extractable), Code 128 barcodes drawn as filled rectangles.

use std::collections::{BTreeMap, BTreeSet};

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};
use subsetter::GlyphRemapper;

use super::{code128, mm_to_pt, Page, PaperSize};

/// Name of the font resource on every page.
const FONT: Name<'static> = Name(b"F1");

/// A positioned line of text or a filled rectangle, in PDF points from the bottom-left corner.
#[derive(Debug)]
enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        text: String,
    },
    Bar {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
}

/// The embedded font, or Helvetica (ASCII only) if DejaVu Sans cannot be parsed.
enum Metrics<'a> {
    Embedded(Box<ttf_parser::Face<'a>>),
    Helvetica,
}

impl Metrics<'_> {
    fn load() -> Metrics<'static> {
        match ttf_parser::Face::parse(dejavu::sans::regular(), 0) {
            Ok(face) => Metrics::Embedded(Box::new(face)),
            Err(_) => Metrics::Helvetica,
        }
    }

    /// Width of `text` at `size` points.
    fn width(&self, text: &str, size: f32) -> f32 {
        match self {
            Metrics::Embedded(face) => {
                let units: f32 = text
                    .chars()
                    .map(|c| {
                        let gid = face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
                        f32::from(face.glyph_hor_advance(gid).unwrap_or(0))
                    })
                    .sum();
                units * size / f32::from(face.units_per_em().max(1))
            }
            // Helvetica averages a little over half an em per character.
            Metrics::Helvetica => text.chars().count() as f32 * size * 0.56,
        }
    }
}

/// Sizes used on one paper size.
struct Style {
    margin: f32,
    title: f32,
    text: f32,
    bar_height: f32,
    number: f32,
}

fn style(size: PaperSize) -> Style {
    match size {
        PaperSize::A6 => Style {
            margin: mm_to_pt(6.0),
            title: 11.0,
            text: 7.5,
            bar_height: mm_to_pt(16.0),
            number: 14.0,
        },
        PaperSize::A5 => Style {
            margin: mm_to_pt(10.0),
            title: 13.0,
            text: 9.0,
            bar_height: mm_to_pt(18.0),
            number: 16.0,
        },
        PaperSize::A4 => Style {
            margin: mm_to_pt(15.0),
            title: 16.0,
            text: 10.0,
            bar_height: mm_to_pt(20.0),
            number: 18.0,
        },
    }
}

/// Splits `text` into lines no wider than `max` (at `size`), at spaces where possible.
fn wrap(metrics: &Metrics<'_>, text: &str, size: f32, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if metrics.width(&candidate, size) <= max {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // A word wider than the line is broken between characters.
        for c in word.chars() {
            line.push(c);
            if metrics.width(&line, size) > max && line.chars().count() > 1 {
                line.pop();
                lines.push(std::mem::take(&mut line));
                line.push(c);
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Positions everything on one page.
fn layout(metrics: &Metrics<'_>, page: &Page) -> Vec<Op> {
    let (width, height) = page.size.points();
    let s = style(page.size);
    let usable = width - 2.0 * s.margin;
    let mut ops = Vec::new();

    // The barcode block sits at the bottom: number text under the bars.
    let mut floor = s.margin;
    if let Some(code) = page.barcode.as_deref() {
        let number_w = metrics.width(code, s.number).min(usable);
        ops.push(Op::Text {
            x: s.margin + (usable - number_w) / 2.0,
            y: floor,
            size: s.number,
            text: code.to_owned(),
        });
        floor += s.number * 1.2;
        if let Some(widths) = code128::encode(code) {
            let modules: u32 = widths.iter().map(|&w| u32::from(w)).sum();
            // Ten modules of quiet zone on each side.
            let module = (usable / (modules + 20) as f32).min(1.5);
            let mut x = s.margin + (usable - module * modules as f32) / 2.0;
            for (i, &w) in widths.iter().enumerate() {
                let w = f32::from(w) * module;
                if i % 2 == 0 {
                    ops.push(Op::Bar {
                        x,
                        y: floor,
                        w,
                        h: s.bar_height,
                    });
                }
                x += w;
            }
            floor += s.bar_height;
        }
        floor += s.text;
    }

    let mut y = height - s.margin - s.title;
    for line in wrap(metrics, &page.title, s.title, usable) {
        ops.push(Op::Text {
            x: s.margin,
            y,
            size: s.title,
            text: line,
        });
        y -= s.title * 1.25;
    }
    // A rule under the title.
    ops.push(Op::Bar {
        x: s.margin,
        y: y + s.title * 0.6,
        w: usable,
        h: 0.6,
    });
    y -= s.text * 0.6;

    let leading = s.text * 1.3;
    'fields: for (label, value) in &page.fields {
        let text = format!("{label}: {value}");
        for line in wrap(metrics, &text, s.text, usable) {
            if y < floor {
                // Out of room: mark the cut instead of running into the barcode.
                ops.push(Op::Text {
                    x: s.margin,
                    y: y + leading,
                    size: s.text,
                    text: "…".into(),
                });
                break 'fields;
            }
            ops.push(Op::Text {
                x: s.margin,
                y,
                size: s.text,
                text: line,
            });
            y -= leading;
        }
    }
    ops
}

/// A deterministic six-letter subset tag (PDF requires `ABCDEF+Name` for subset fonts).
fn subset_tag(gids: &[u16]) -> String {
    // FNV-1a over the glyph ids: stable across runs and platforms.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for g in gids {
        for b in g.to_be_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    (0..6)
        .map(|i| char::from(b'A' + ((h >> (i * 8)) % 26) as u8))
        .collect()
}

/// Renders `pages` as a PDF, one PDF page per [`Page`] (an empty slice gives one blank A4 page,
/// since a PDF without pages upsets viewers).
pub fn pdf(pages: &[Page]) -> Vec<u8> {
    let metrics = Metrics::load();
    let blank = [Page {
        size: PaperSize::A4,
        title: String::new(),
        fields: Vec::new(),
        barcode: None,
    }];
    let pages = if pages.is_empty() { &blank[..] } else { pages };
    let laid: Vec<(PaperSize, Vec<Op>)> = pages
        .iter()
        .map(|p| (p.size, layout(&metrics, p)))
        .collect();

    let mut pdf = Pdf::new();
    let catalog_id = Ref::new(1);
    let tree_id = Ref::new(2);
    let font_id = Ref::new(3);
    let first_page = 10;
    let page_ids: Vec<Ref> = (0..laid.len())
        .map(|i| Ref::new(first_page + 2 * i as i32))
        .collect();
    pdf.catalog(catalog_id).pages(tree_id);
    pdf.pages(tree_id)
        .kids(page_ids.iter().copied())
        .count(page_ids.len() as i32);

    let encode = write_font(&mut pdf, &metrics, &laid, font_id);

    for ((size, ops), page_id) in laid.iter().zip(&page_ids) {
        let content_id = Ref::new(page_id.get() + 1);
        let (w, h) = size.points();
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, w, h));
        page.parent(tree_id);
        page.contents(content_id);
        page.resources().fonts().pair(FONT, font_id);
        page.finish();

        let mut content = Content::new();
        for op in ops {
            if let Op::Bar { x, y, w, h } = op {
                content.rect(*x, *y, *w, *h);
            }
        }
        content.fill_nonzero();
        content.begin_text();
        for op in ops {
            if let Op::Text { x, y, size, text } = op {
                content.set_font(FONT, *size);
                content.set_text_matrix([1.0, 0.0, 0.0, 1.0, *x, *y]);
                content.show(Str(&encode(text)));
            }
        }
        content.end_text();
        pdf.stream(content_id, &content.finish());
    }
    pdf.finish()
}

/// Text → the bytes of a PDF string shown in the page's font.
type Encoder<'m> = Box<dyn Fn(&str) -> Vec<u8> + 'm>;

/// Writes the font objects (root `font_id`) and returns the text → string-bytes encoder.
fn write_font<'m>(
    pdf: &mut Pdf,
    metrics: &'m Metrics<'m>,
    laid: &[(PaperSize, Vec<Op>)],
    font_id: Ref,
) -> Encoder<'m> {
    let face = match metrics {
        Metrics::Embedded(face) => face,
        Metrics::Helvetica => return helvetica(pdf, font_id),
    };
    let chars: BTreeSet<char> = laid
        .iter()
        .flat_map(|(_, ops)| ops)
        .filter_map(|op| match op {
            Op::Text { text, .. } => Some(text.chars()),
            Op::Bar { .. } => None,
        })
        .flatten()
        .collect();
    // Old glyph id per character, in character order so the remapping is deterministic.
    let mut remapper = GlyphRemapper::new();
    let mut to_unicode: BTreeMap<u16, char> = BTreeMap::new();
    for &c in &chars {
        let gid = face.glyph_index(c).map_or(0, |g| g.0);
        let new = remapper.remap(gid);
        to_unicode.entry(new).or_insert(c);
    }
    let subset = match subsetter::subset(dejavu::sans::regular(), 0, &remapper) {
        Ok(bytes) => bytes,
        Err(_) => return helvetica(pdf, font_id),
    };
    let old_gids: Vec<u16> = remapper.remapped_gids().collect();
    let base = format!("{}+DejaVuSans", subset_tag(&old_gids));
    let base = Name(base.as_bytes());

    let cid_id = Ref::new(4);
    let descriptor_id = Ref::new(5);
    let cmap_id = Ref::new(6);
    let file_id = Ref::new(7);
    let em = f32::from(face.units_per_em().max(1));
    let scale = |v: f32| v * 1000.0 / em;

    pdf.type0_font(font_id)
        .base_font(base)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_id)
        .to_unicode(cmap_id);

    let widths: Vec<f32> = old_gids
        .iter()
        .map(|&g| {
            scale(f32::from(
                face.glyph_hor_advance(ttf_parser::GlyphId(g)).unwrap_or(0),
            ))
        })
        .collect();
    let mut cid = pdf.cid_font(cid_id);
    cid.subtype(CidFontType::Type2)
        .base_font(base)
        .system_info(SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        })
        .font_descriptor(descriptor_id)
        .default_width(0.0)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    cid.widths().consecutive(0, widths);
    cid.finish();

    let bbox = face.global_bounding_box();
    pdf.font_descriptor(descriptor_id)
        .name(base)
        .flags(FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(
            scale(f32::from(bbox.x_min)),
            scale(f32::from(bbox.y_min)),
            scale(f32::from(bbox.x_max)),
            scale(f32::from(bbox.y_max)),
        ))
        .italic_angle(0.0)
        .ascent(scale(f32::from(face.ascender())))
        .descent(scale(f32::from(face.descender())))
        .cap_height(scale(f32::from(
            face.capital_height().unwrap_or(face.ascender()),
        )))
        .stem_v(80.0)
        .font_file2(file_id);

    pdf.stream(cmap_id, &to_unicode_cmap(&to_unicode));
    pdf.stream(file_id, &subset);

    let glyphs: BTreeMap<char, u16> = chars
        .iter()
        .map(|&c| {
            let old = face.glyph_index(c).map_or(0, |g| g.0);
            (c, remapper.get(old).unwrap_or(0))
        })
        .collect();
    Box::new(move |text: &str| {
        text.chars()
            .flat_map(|c| glyphs.get(&c).copied().unwrap_or(0).to_be_bytes())
            .collect()
    })
}

/// The ToUnicode CMap (glyph id → character) in the PDF specification's minimal form.
///
/// Written here rather than with `pdf_writer::types::UnicodeCmap` because that one adds
/// `/CMapVersion` and `/WMode` entries which some extractors (lopdf) reject; both are optional.
fn to_unicode_cmap(map: &BTreeMap<u16, char>) -> Vec<u8> {
    use std::fmt::Write as _;
    let mut s = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let pairs: Vec<(&u16, &char)> = map.iter().collect();
    // At most 100 entries per bfchar block.
    for chunk in pairs.chunks(100) {
        // Writing into a String cannot fail.
        let _ = writeln!(s, "{} beginbfchar", chunk.len());
        for (gid, c) in chunk {
            let mut units = [0u16; 2];
            let hex: String = c
                .encode_utf16(&mut units)
                .iter()
                .map(|u| format!("{u:04X}"))
                .collect();
            let _ = writeln!(s, "<{gid:04X}> <{hex}>");
        }
        s.push_str("endbfchar\n");
    }
    s.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    s.into_bytes()
}

/// Fallback: Helvetica with WinAnsi encoding; characters outside ASCII print as `?`.
fn helvetica(pdf: &mut Pdf, font_id: Ref) -> Encoder<'static> {
    pdf.type1_font(font_id)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    Box::new(|text: &str| {
        text.chars()
            .map(|c| if c.is_ascii() { c as u8 } else { b'?' })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label() -> Page {
        Page {
            size: PaperSize::A6,
            title: "DPD — наклейка 1/2".into(),
            fields: vec![
                ("Заказ".into(), "RU0123456789".into()),
                (
                    "Получатель".into(),
                    "Иванова Мария Сергеевна, г. Москва, ул. Большая Пироговская, д. 17, кв. 5"
                        .into(),
                ),
                ("Вес".into(), "1.5 кг".into()),
            ],
            barcode: Some("05120002MOW0001".into()),
        }
    }

    fn text_of(doc: &lopdf::Document, page: u32) -> String {
        doc.extract_text(&[page]).unwrap()
    }

    #[test]
    fn pages_sizes_and_cyrillic_text() {
        let a4 = Page {
            size: PaperSize::A4,
            title: "Накладная".into(),
            fields: vec![("Отправитель".into(), "ООО «Ромашка»".into())],
            barcode: None,
        };
        let bytes = pdf(&[label(), a4]);
        assert!(bytes.starts_with(b"%PDF-"));
        let doc = lopdf::Document::load_mem(&bytes).unwrap();
        let pages = doc.get_pages();
        assert_eq!(pages.len(), 2);
        let boxes: Vec<Vec<f32>> = pages
            .values()
            .map(|&id| {
                let page = doc.get_object(id).unwrap().as_dict().unwrap();
                let mb = page.get(b"MediaBox").unwrap().as_array().unwrap();
                mb.iter().map(|o| o.as_float().unwrap()).collect()
            })
            .collect();
        assert!((boxes[0][2] - 297.64).abs() < 0.1 && (boxes[0][3] - 419.53).abs() < 0.1);
        assert!((boxes[1][2] - 595.28).abs() < 0.1 && (boxes[1][3] - 841.89).abs() < 0.1);

        let first = text_of(&doc, 1);
        assert!(first.contains("DPD — наклейка 1/2"), "{first}");
        assert!(first.contains("Заказ: RU0123456789"), "{first}");
        assert!(first.contains("Иванова Мария Сергеевна"), "{first}");
        assert!(first.contains("05120002MOW0001"), "{first}");
        let second = text_of(&doc, 2);
        assert!(second.contains("Отправитель: ООО «Ромашка»"), "{second}");
    }

    #[test]
    fn deterministic_and_barcode_drawn() {
        let a = pdf(&[label()]);
        assert_eq!(a, pdf(&[label()]));
        let doc = lopdf::Document::load_mem(&a).unwrap();
        let page = *doc.get_pages().get(&1).unwrap();
        let content = String::from_utf8_lossy(&doc.get_page_content(page).unwrap()).into_owned();
        // Start + 15 characters + checksum + stop: 18 symbols of 3 bars, plus the stop's 4th bar;
        // one more rectangle is the title rule.
        let widths = code128::encode("05120002MOW0001").unwrap();
        let bars = widths.len().div_ceil(2);
        assert_eq!(bars, 18 * 3 + 1);
        assert_eq!(content.matches(" re").count(), bars + 1);
    }

    #[test]
    fn empty_and_overflowing_input_still_valid() {
        let doc = lopdf::Document::load_mem(&pdf(&[])).unwrap();
        assert_eq!(doc.get_pages().len(), 1);
        let long = Page {
            size: PaperSize::A6,
            title: "x".repeat(500),
            fields: (0..200)
                .map(|i| (format!("поле {i}"), "значение".repeat(9)))
                .collect(),
            barcode: Some("Штрихкод не ASCII".into()),
        };
        let doc = lopdf::Document::load_mem(&pdf(&[long])).unwrap();
        assert_eq!(doc.get_pages().len(), 1);
        let text = doc.extract_text(&[1]).unwrap();
        assert!(text.contains("Штрихкод не ASCII"), "{text}");
        assert!(text.contains('…'), "{text}");
    }
}
