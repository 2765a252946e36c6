//! The markup tokenizer under [`XmlReader`](super::XmlReader) (a whole document in memory) and
//! the streaming [`ItemSplitter`](crate::stream::ItemSplitter) (a buffer that grows chunk by
//! chunk, so a token may be incomplete and its scan resumes later).
//!
//! Why not quick-xml's reader: its one-event-per-token API costs a leaf element
//! (`<code>12Z</code>`) three events and a copy of each start name for the end-tag check, which
//! was most of the decode time on DPD's parcel-shop lists. Here the reader takes a leaf's text
//! and checks its end tag in one search, and both decoders agree on what is well-formed.
//! quick-xml still parses attributes, unescapes text and writes documents.

use std::ops::Range;

use super::DecodeErrorKind;

/// One markup token; ranges are offsets in the scanned buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tok {
    /// Character data up to the next `<` (escaped: may hold entity references). In a buffer
    /// that is still growing this may be only part of a run of text.
    Text(Range<usize>),
    /// A comment, processing instruction or XML declaration.
    Misc,
    /// A CDATA section; the range is its content.
    CData(Range<usize>),
    /// A start tag; `begin` is the offset of `<`, `attrs` runs to the end of the tag's content
    /// (before `/>` or `>`).
    Start {
        begin: usize,
        name: Range<usize>,
        attrs: Range<usize>,
        empty: bool,
    },
    /// An end tag.
    End { begin: usize, name: Range<usize> },
}

/// What [`scan`] found at the token's start.
pub(crate) enum Scan {
    /// A complete token, and the offset just past it.
    Tok(Tok, usize),
    /// The token is incomplete: the buffer ends inside it.
    More,
    /// Malformed input at the given offset.
    Err(DecodeErrorKind, usize),
}

/// Where the scan of an incomplete token resumes, so a token split over many chunks is not
/// searched from its start each time.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Resume {
    /// Offset relative to the token's start.
    at: usize,
    /// The quote of an attribute value open there (start tags), or 0.
    quote: u8,
}

/// Reads the token that starts at `start` in `buf`.
pub(crate) fn scan(buf: &[u8], start: usize, resume: &mut Resume) -> Scan {
    let b = buf.get(start..).unwrap_or_default();
    let Some(&first) = b.first() else {
        return Scan::More;
    };
    if first != b'<' {
        let n = find_byte(b, 0, b'<').unwrap_or(b.len());
        return Scan::Tok(Tok::Text(start..start + n), start + n);
    }
    let Some(&second) = b.get(1) else {
        return Scan::More;
    };
    // Most tags in data documents are a bare name, `<name>` or `</name>`: a byte loop over
    // the name finds their end sooner than setting up a search.
    if resume.at == 0 {
        let from = if second == b'/' { 2 } else { 1 };
        let n = b[from..].iter().position(|&c| !is_plain_name_byte(c));
        if let Some(n) = n.filter(|&n| n > 0 && b[from + n] == b'>') {
            let name = start + from..start + from + n;
            let tok = if from == 2 {
                Tok::End { begin: start, name }
            } else {
                Tok::Start {
                    begin: start,
                    attrs: name.end..name.end,
                    name,
                    empty: false,
                }
            };
            return Scan::Tok(tok, start + from + n + 1);
        }
    }
    let (tok, len) = match second {
        b'/' => match find_byte(b, resume.at.max(2), b'>') {
            Some(gt) => {
                let name = trim_end_ws(b, 2, gt);
                if name.is_empty() || b[name.clone()].iter().any(|c| is_ws(*c)) {
                    return Scan::Err(DecodeErrorKind::Syntax("malformed end tag".into()), start);
                }
                let name = start + name.start..start + name.end;
                (Tok::End { begin: start, name }, gt + 1)
            }
            None => return more(resume, b.len(), 0),
        },
        b'?' => match find_seq(b, resume.at.max(2), b"?>") {
            Some(i) => (Tok::Misc, i + 2),
            None => return more(resume, b.len().saturating_sub(1).max(2), 0),
        },
        b'!' => {
            if b.starts_with(b"<!--") {
                match find_seq(b, resume.at.max(4), b"-->") {
                    Some(i) => (Tok::Misc, i + 3),
                    None => return more(resume, b.len().saturating_sub(2).max(4), 0),
                }
            } else if b.starts_with(b"<![CDATA[") {
                match find_seq(b, resume.at.max(9), b"]]>") {
                    Some(i) => (Tok::CData(start + 9..start + i), i + 3),
                    None => return more(resume, b.len().saturating_sub(2).max(9), 0),
                }
            } else if b.starts_with(b"<!DOCTYPE") {
                return Scan::Err(DecodeErrorKind::Doctype, start);
            } else if [&b"<!--"[..], b"<![CDATA[", b"<!DOCTYPE"]
                .iter()
                .any(|m| m.len() > b.len() && m.starts_with(b))
            {
                return Scan::More;
            } else {
                return Scan::Err(DecodeErrorKind::Syntax("unknown `<!` markup".into()), start);
            }
        }
        _ => {
            // Start tag: find the `>` that is not inside a quoted attribute value.
            let mut q = resume.quote;
            let mut i = resume.at.max(1);
            let gt = loop {
                let found = if q == 0 {
                    find_any(b, i, [b'>', b'"', b'\'', b'<'])
                } else {
                    find_byte(b, i, q)
                };
                let Some(j) = found else {
                    return more(resume, b.len(), q);
                };
                match b[j] {
                    c if q != 0 && c == q => q = 0,
                    b'>' => break j,
                    b'<' => {
                        return Scan::Err(
                            DecodeErrorKind::Syntax("`<` inside a start tag".into()),
                            start + j,
                        )
                    }
                    c => q = c,
                }
                i = j + 1;
            };
            let empty = gt >= 2 && b[gt - 1] == b'/';
            let content_end = if empty { gt - 1 } else { gt };
            let name_end = b[1..content_end]
                .iter()
                .position(|&c| is_ws(c) || c == b'/')
                .map_or(content_end, |j| j + 1);
            if name_end == 1 || (empty && name_end < content_end && b[name_end] == b'/') {
                return Scan::Err(DecodeErrorKind::Syntax("malformed start tag".into()), start);
            }
            let tok = Tok::Start {
                begin: start,
                name: start + 1..start + name_end,
                attrs: start + name_end..start + content_end,
                empty,
            };
            (tok, gt + 1)
        }
    };
    *resume = Resume::default();
    Scan::Tok(tok, start + len)
}

/// A byte that can only be part of a name: not markup, quote, `=`, `/` or whitespace.
#[inline]
fn is_plain_name_byte(c: u8) -> bool {
    !matches!(
        c,
        b'<' | b'>' | b'/' | b'"' | b'\'' | b'=' | b'!' | b'?' | b' ' | b'\t' | b'\r' | b'\n'
    )
}

fn more(resume: &mut Resume, at: usize, quote: u8) -> Scan {
    *resume = Resume { at, quote };
    Scan::More
}

/// XML whitespace.
pub(crate) fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

const LO: u64 = 0x0101_0101_0101_0101;
const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;

/// High bit set in each byte of `x` that is zero.
#[inline]
fn zero_bytes(x: u64) -> u64 {
    !(((x & LOW7).wrapping_add(LOW7)) | x | LOW7)
}

/// The first offset at or after `from` holding any of `needles`. Start tags are short, so a
/// word-at-a-time search beats setting up a vectorised one for four needles.
pub(crate) fn find_any<const N: usize>(hay: &[u8], from: usize, needles: [u8; N]) -> Option<usize> {
    let tail = hay.get(from..)?;
    let splat = needles.map(|n| LO * u64::from(n));
    let mut words = tail.chunks_exact(8);
    let mut base = from;
    for w in &mut words {
        let mut word = [0u8; 8];
        word.copy_from_slice(w);
        let x = u64::from_le_bytes(word);
        let hits = splat.iter().fold(0, |m, s| m | zero_bytes(x ^ s));
        if hits != 0 {
            return Some(base + (hits.trailing_zeros() / 8) as usize);
        }
        base += 8;
    }
    words
        .remainder()
        .iter()
        .position(|c| needles.contains(c))
        .map(|i| base + i)
}

/// The first `needle` at or after `from`.
#[inline]
pub(crate) fn find_byte(hay: &[u8], from: usize, needle: u8) -> Option<usize> {
    memchr::memchr(needle, hay.get(from..)?).map(|i| from + i)
}

/// The first `needle` sequence at or after `from`.
pub(crate) fn find_seq(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay.get(from..)?, needle).map(|i| from + i)
}

/// Number of `\n` in `b`.
pub(crate) fn count_newlines(b: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', b).count() as u64
}

/// `start..end` of `b` without trailing whitespace.
fn trim_end_ws(b: &[u8], start: usize, mut end: usize) -> Range<usize> {
    while end > start && b.get(end - 1).is_some_and(|c| is_ws(*c)) {
        end -= 1;
    }
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(doc: &str) -> Vec<Tok> {
        let b = doc.as_bytes();
        let (mut pos, mut out) = (0, Vec::new());
        while pos < b.len() {
            match scan(b, pos, &mut Resume::default()) {
                Scan::Tok(t, end) => {
                    out.push(t);
                    pos = end;
                }
                Scan::More => panic!("incomplete at {pos}"),
                Scan::Err(e, at) => panic!("{e} at {at}"),
            }
        }
        out
    }

    #[test]
    fn tokens_of_a_small_document() {
        let doc = "<?xml version='1.0'?><a x='>' y=\"<\"><!-- c --><b/>t&amp;<![CDATA[<x>]]></a >";
        assert_eq!(
            tokens(doc),
            vec![
                Tok::Misc,
                Tok::Start {
                    begin: 21,
                    name: 22..23,
                    attrs: 23..35,
                    empty: false
                },
                Tok::Misc,
                Tok::Start {
                    begin: 46,
                    name: 47..48,
                    attrs: 48..48,
                    empty: true
                },
                Tok::Text(50..56),
                Tok::CData(65..68),
                Tok::End {
                    begin: 71,
                    name: 73..74
                },
            ]
        );
    }

    #[test]
    fn a_token_split_over_chunks_resumes() {
        let doc = b"<a x='1>2' y='3'>";
        let mut resume = Resume::default();
        for cut in [4, 8, 12] {
            assert!(matches!(scan(&doc[..cut], 0, &mut resume), Scan::More));
        }
        assert!(matches!(
            scan(doc, 0, &mut resume),
            Scan::Tok(Tok::Start { empty: false, .. }, 17)
        ));
    }

    #[test]
    fn malformed_markup_is_an_error_at_its_offset() {
        for (doc, at) in [
            ("<a <b>", 3),
            ("</a b>", 0),
            ("<!DOCTYPE a>", 0),
            ("<!x>", 0),
            ("</>", 0),
        ] {
            match scan(doc.as_bytes(), 0, &mut Resume::default()) {
                Scan::Err(_, found) => assert_eq!(found, at, "{doc}"),
                _ => panic!("{doc} accepted"),
            }
        }
    }

    #[test]
    fn searches_agree_with_a_plain_scan() {
        let hay: Vec<u8> = (0..200u8)
            .map(|i| b"ab<c\"d>\n\x80"[usize::from(i % 9)])
            .collect();
        for from in 0..hay.len() {
            let naive = hay[from..]
                .iter()
                .position(|c| b"<\">".contains(c))
                .map(|i| i + from);
            assert_eq!(find_any(&hay, from, [b'<', b'"', b'>']), naive);
        }
        assert_eq!(find_any(&hay, hay.len() + 1, [b'<']), None);
        assert_eq!(find_byte(&[0x80, 0xff, 0x3c], 0, b'<'), Some(2));
        assert_eq!(
            count_newlines(&hay),
            hay.iter().filter(|&&c| c == b'\n').count() as u64
        );
    }
}
