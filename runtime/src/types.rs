//! Value types for XML Schema built-ins that have no exact Rust counterpart.
//!
//! Every type keeps what is needed to write back exactly what was read: [`Decimal`],
//! [`Date`], [`DateTime`] and [`Time`] keep their lexical form (validated when parsed) and
//! offer `chrono` conversions on top. Generated code maps the XSD built-ins as follows:
//!
//! | XSD | Rust |
//! |---|---|
//! | `string`, `normalizedString`, `token`, `anyURI`, `QName`, `duration`, `gYear`… | `String` |
//! | `boolean` | `bool` |
//! | `byte`/`short`/`int`/`long` | `i8`/`i16`/`i32`/`i64` |
//! | `unsignedByte`…`unsignedLong` | `u8`…`u64` |
//! | `integer`, `negativeInteger`, `nonPositiveInteger` | `i64` (larger values are a decode error) |
//! | `nonNegativeInteger`, `positiveInteger` | `u64` (larger values are a decode error) |
//! | `float`/`double` | `f32`/`f64` |
//! | `decimal` | [`Decimal`] |
//! | `date`/`dateTime`/`time` | [`Date`]/[`DateTime`]/[`Time`] |
//! | `base64Binary`/`hexBinary` | [`Base64Binary`]/[`HexBinary`] |
//! | `anyType`, `xs:any` | [`AnyElement`] |
//! | `xs:list` types | [`List`] |
//!
//! Facets (`pattern`, `maxLength`, ranges…) are not validated: servers validate, and a
//! client that rejected slightly-off carrier data would be less useful than one that passes it on.

use std::fmt;
use std::str::FromStr;

use chrono::{FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};

use crate::xml::{DecodeError, Name, Start, XmlRead, XmlReader, XmlText, XmlWrite, XmlWriter};

/// The value of a `nillable="true"` element: either `xsi:nil="true"` or a value.
///
/// An absent element is `None` around it (`Option<Nillable<T>>`), so absent, nil and
/// empty (`Value(String::new())`) stay distinct.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Nillable<T> {
    /// The element carried `xsi:nil="true"`.
    Nil,
    /// The element carried a value.
    Value(T),
}

impl<T> Nillable<T> {
    /// The value, unless nil.
    #[must_use]
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Nil => None,
            Self::Value(v) => Some(v),
        }
    }

    /// The value, unless nil.
    #[must_use]
    pub fn into_option(self) -> Option<T> {
        match self {
            Self::Nil => None,
            Self::Value(v) => Some(v),
        }
    }

    /// Whether this is `xsi:nil`.
    #[must_use]
    pub fn is_nil(&self) -> bool {
        matches!(self, Self::Nil)
    }
}

impl<T> From<T> for Nillable<T> {
    fn from(v: T) -> Self {
        Self::Value(v)
    }
}

impl<T> From<Option<T>> for Nillable<T> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Self::Nil, Self::Value)
    }
}

impl<T: XmlRead> XmlRead for Nillable<T> {
    fn read_xml<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self, DecodeError> {
        if r.is_nil(start) {
            r.skip(start)?;
            Ok(Self::Nil)
        } else {
            T::read_xml(r, start).map(Self::Value)
        }
    }
}

impl<T: XmlWrite> XmlWrite for Nillable<T> {
    fn write_xml(&self, w: &mut XmlWriter, name: Name<'_>) {
        match self {
            Self::Nil => {
                w.open(name);
                w.nil();
                w.close(name);
            }
            Self::Value(v) => v.write_xml(w, name),
        }
    }
}

/// Implements `Display` and `FromStr` (with `Err = String`) through [`XmlText`].
///
/// Used by generated enumerations to keep their code small.
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_text_traits {
    ($($t:ty),* $(,)?) => {$(
        impl ::core::fmt::Display for $t {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(&$crate::xml::XmlText::to_text(self))
            }
        }
        impl ::core::str::FromStr for $t {
            type Err = ::std::string::String;
            fn from_str(s: &str) -> ::core::result::Result<Self, Self::Err> {
                <$t as $crate::xml::XmlText>::parse_text(s)
            }
        }
    )*};
}
#[doc(hidden)]
pub use crate::__impl_text_traits as impl_text_traits;

macro_rules! text_traits {
    ($t:ty) => {
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.to_text())
            }
        }
        impl FromStr for $t {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                Self::parse_text(s)
            }
        }
    };
}

/// An `xs:decimal`, kept as its (validated) lexical form so no precision is lost.
///
/// Equality compares the lexical form: `1.0` and `1.00` are different values here.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Decimal(String);

impl Decimal {
    /// The lexical form, e.g. `-12.50`.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The nearest `f64` (loses precision beyond ~15 digits).
    #[must_use]
    pub fn to_f64(&self) -> f64 {
        self.0.parse().unwrap_or(f64::NAN)
    }

    /// A decimal from a finite `f64`, in its shortest round-trip form; `None` for NaN/infinity.
    #[must_use]
    pub fn from_f64(v: f64) -> Option<Self> {
        if !v.is_finite() {
            return None;
        }
        let s = format!("{v}");
        // `{}` never uses exponents for f64, but keep the guarantee explicit.
        Self::parse_text(&s).ok()
    }
}

fn is_decimal(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    (!int.is_empty() || !frac.is_empty()) && digits(int) && digits(frac) && s != "."
}

impl XmlText for Decimal {
    fn parse_text(s: &str) -> Result<Self, String> {
        let t = s.trim();
        if is_decimal(t) {
            Ok(Self(t.to_owned()))
        } else {
            Err(format!("`{t}` is not an xs:decimal"))
        }
    }
    fn write_text(&self, out: &mut String) {
        out.push_str(&self.0);
    }
}
text_traits!(Decimal);

impl From<i64> for Decimal {
    fn from(v: i64) -> Self {
        Self(v.to_string())
    }
}

impl From<u64> for Decimal {
    fn from(v: u64) -> Self {
        Self(v.to_string())
    }
}

impl From<i32> for Decimal {
    fn from(v: i32) -> Self {
        Self(v.to_string())
    }
}

/// Splits an optional XSD timezone (`Z`, `+03:00`, `-05:30`) off the end of `s`.
fn split_tz(s: &str) -> Result<(&str, Option<FixedOffset>), String> {
    if let Some(rest) = s.strip_suffix('Z') {
        return Ok((rest, FixedOffset::east_opt(0)));
    }
    let b = s.as_bytes();
    if b.len() >= 6 {
        let i = b.len() - 6;
        if (b[i] == b'+' || b[i] == b'-') && b[i + 3] == b':' {
            // `i` is a char boundary: the byte there is ASCII.
            let (rest, tz) = (
                s.get(..i).unwrap_or_default(),
                s.get(i..).unwrap_or_default(),
            );
            let bad = || format!("bad timezone `{tz}`");
            let num = |r: std::ops::Range<usize>| {
                tz.get(r)
                    .and_then(|p| p.parse::<i32>().ok())
                    .ok_or_else(bad)
            };
            let (hh, mm) = (num(1..3)?, num(4..6)?);
            if hh > 14 || mm > 59 {
                return Err(bad());
            }
            let secs = (hh * 3600 + mm * 60) * if b[i] == b'-' { -1 } else { 1 };
            return Ok((rest, FixedOffset::east_opt(secs)));
        }
    }
    Ok((s, None))
}

fn write_tz(out: &mut String, tz: Option<FixedOffset>) {
    use std::fmt::Write as _;
    if let Some(tz) = tz {
        let secs = tz.local_minus_utc();
        if secs == 0 {
            out.push('Z');
        } else {
            let sign = if secs < 0 { '-' } else { '+' };
            let m = secs.unsigned_abs() / 60;
            let _ = write!(out, "{sign}{:02}:{:02}", m / 60, m % 60);
        }
    }
}

/// An `xs:date` (`2024-03-01`, optionally with a timezone such as `+03:00`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Date {
    lexical: String,
    date: NaiveDate,
    tz: Option<FixedOffset>,
}

impl Date {
    /// A date without timezone.
    #[must_use]
    pub fn from_naive(date: NaiveDate) -> Self {
        Self::with_timezone(date, None)
    }

    /// A date with an optional timezone.
    #[must_use]
    pub fn with_timezone(date: NaiveDate, tz: Option<FixedOffset>) -> Self {
        let mut lexical = date.format("%Y-%m-%d").to_string();
        write_tz(&mut lexical, tz);
        Self { lexical, date, tz }
    }

    /// The calendar date.
    #[must_use]
    pub fn to_naive_date(&self) -> NaiveDate {
        self.date
    }
}

/// Accessors shared by the lexical date/time types: the kept lexical form and the timezone.
macro_rules! lexical_accessors {
    ($($t:ty),*) => {$(
        impl $t {
            /// The timezone, if the value had one.
            #[must_use]
            pub fn timezone(&self) -> Option<FixedOffset> {
                self.tz
            }

            /// The lexical form as read or built.
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.lexical
            }
        }
    )*};
}
lexical_accessors!(Date, DateTime, Time);

impl XmlText for Date {
    fn parse_text(s: &str) -> Result<Self, String> {
        let t = s.trim();
        let (d, tz) = split_tz(t)?;
        let date = NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| format!("`{t}` is not an xs:date"))?;
        Ok(Self {
            lexical: t.to_owned(),
            date,
            tz,
        })
    }
    fn write_text(&self, out: &mut String) {
        out.push_str(&self.lexical);
    }
}
text_traits!(Date);

impl From<NaiveDate> for Date {
    fn from(d: NaiveDate) -> Self {
        Self::from_naive(d)
    }
}

/// An `xs:dateTime` (`2024-03-01T10:15:00.5+03:00`; timezone optional).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DateTime {
    lexical: String,
    naive: NaiveDateTime,
    tz: Option<FixedOffset>,
}

impl DateTime {
    /// A date-time without timezone (seconds with fractions only when non-zero).
    #[must_use]
    pub fn from_naive(naive: NaiveDateTime) -> Self {
        Self::with_timezone(naive, None)
    }

    /// A date-time with an optional timezone.
    #[must_use]
    pub fn with_timezone(naive: NaiveDateTime, tz: Option<FixedOffset>) -> Self {
        let mut lexical = naive.format("%Y-%m-%dT%H:%M:%S%.f").to_string();
        write_tz(&mut lexical, tz);
        Self { lexical, naive, tz }
    }

    /// The local date and time as written (not converted to UTC).
    #[must_use]
    pub fn to_naive(&self) -> NaiveDateTime {
        self.naive
    }

    /// The instant, when the value has a timezone.
    #[must_use]
    pub fn to_fixed_offset(&self) -> Option<chrono::DateTime<FixedOffset>> {
        self.tz
            .and_then(|tz| self.naive.and_local_timezone(tz).single())
    }
}

impl XmlText for DateTime {
    fn parse_text(s: &str) -> Result<Self, String> {
        let t = s.trim();
        let (d, tz) = split_tz(t)?;
        let naive = NaiveDateTime::parse_from_str(d, "%Y-%m-%dT%H:%M:%S%.f")
            .map_err(|_| format!("`{t}` is not an xs:dateTime"))?;
        Ok(Self {
            lexical: t.to_owned(),
            naive,
            tz,
        })
    }
    fn write_text(&self, out: &mut String) {
        out.push_str(&self.lexical);
    }
}
text_traits!(DateTime);

impl From<NaiveDateTime> for DateTime {
    fn from(d: NaiveDateTime) -> Self {
        Self::from_naive(d)
    }
}

impl From<chrono::DateTime<FixedOffset>> for DateTime {
    fn from(d: chrono::DateTime<FixedOffset>) -> Self {
        Self::with_timezone(d.naive_local(), Some(*d.offset()))
    }
}

/// An `xs:time` (`10:15:00`, optionally with fractions and a timezone).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Time {
    lexical: String,
    naive: NaiveTime,
    tz: Option<FixedOffset>,
}

impl Time {
    /// A time without timezone.
    #[must_use]
    pub fn from_naive(naive: NaiveTime) -> Self {
        let lexical = naive.format("%H:%M:%S%.f").to_string();
        Self {
            lexical,
            naive,
            tz: None,
        }
    }

    /// The local time as written.
    #[must_use]
    pub fn to_naive_time(&self) -> NaiveTime {
        self.naive
    }
}

impl XmlText for Time {
    fn parse_text(s: &str) -> Result<Self, String> {
        let t = s.trim();
        let (d, tz) = split_tz(t)?;
        let naive = NaiveTime::parse_from_str(d, "%H:%M:%S%.f")
            .map_err(|_| format!("`{t}` is not an xs:time"))?;
        Ok(Self {
            lexical: t.to_owned(),
            naive,
            tz,
        })
    }
    fn write_text(&self, out: &mut String) {
        out.push_str(&self.lexical);
    }
}
text_traits!(Time);

/// `xs:base64Binary` content, decoded.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Base64Binary(pub Vec<u8>);

impl XmlText for Base64Binary {
    fn parse_text(s: &str) -> Result<Self, String> {
        use base64::Engine as _;
        // Line breaks and indentation are allowed inside base64 content.
        let compact: String = s.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        base64::engine::general_purpose::STANDARD
            .decode(compact.as_bytes())
            .map(Self)
            .map_err(|e| format!("invalid xs:base64Binary: {e}"))
    }
    fn write_text(&self, out: &mut String) {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode_string(&self.0, out);
    }
}
text_traits!(Base64Binary);

/// `xs:hexBinary` content, decoded.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct HexBinary(pub Vec<u8>);

impl XmlText for HexBinary {
    fn parse_text(s: &str) -> Result<Self, String> {
        let t = s.trim().as_bytes();
        if !t.len().is_multiple_of(2) {
            return Err("xs:hexBinary needs an even number of digits".to_owned());
        }
        let nib = |b: u8| match b {
            b'0'..=b'9' => Ok(b - b'0'),
            b'a'..=b'f' => Ok(b - b'a' + 10),
            b'A'..=b'F' => Ok(b - b'A' + 10),
            _ => Err(format!("`{}` is not a hex digit", char::from(b))),
        };
        t.chunks_exact(2)
            .map(|p| Ok(nib(p[0])? << 4 | nib(p[1])?))
            .collect::<Result<_, String>>()
            .map(Self)
    }
    fn write_text(&self, out: &mut String) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        for b in &self.0 {
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
}
text_traits!(HexBinary);

/// An `xs:list` value: items separated by whitespace.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct List<T>(pub Vec<T>);

impl<T: XmlText> XmlText for List<T> {
    fn parse_text(s: &str) -> Result<Self, String> {
        s.split_ascii_whitespace()
            .map(T::parse_text)
            .collect::<Result<_, _>>()
            .map(Self)
    }
    fn write_text(&self, out: &mut String) {
        for (i, v) in self.0.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            v.write_text(out);
        }
    }
}

/// An element kept as raw XML (`xs:any`, `xs:anyType`, and content the generator maps
/// losslessly instead of typing: mixed content, substitution groups).
///
/// The string is the whole element as it appeared in the input, start and end tag
/// included. Namespace prefixes declared on ancestors are not copied in, so resolve
/// prefixes against the original document if you need them. Written back verbatim
/// (the element name passed to [`XmlWrite::write_xml`] is ignored).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct AnyElement(pub String);

impl AnyElement {
    /// The raw XML.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl XmlRead for AnyElement {
    fn read_xml<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self, DecodeError> {
        r.raw_element(start).map(|s| Self(s.to_owned()))
    }
}

impl XmlWrite for AnyElement {
    fn write_xml(&self, w: &mut XmlWriter, _name: Name<'_>) {
        w.raw(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_keeps_lexical_form() {
        let d: Decimal = " -12.50 ".parse().unwrap();
        assert_eq!(d.as_str(), "-12.50");
        assert_eq!(d.to_string(), "-12.50");
        assert!((d.to_f64() + 12.5).abs() < f64::EPSILON);
        for ok in ["1", "+1", ".5", "5.", "0.000"] {
            assert!(Decimal::parse_text(ok).is_ok(), "{ok}");
        }
        for bad in ["", ".", "1e5", "abc", "1.2.3", "--1"] {
            assert!(Decimal::parse_text(bad).is_err(), "{bad}");
        }
        assert_eq!(Decimal::from_f64(2.25).unwrap().as_str(), "2.25");
        assert!(Decimal::from_f64(f64::NAN).is_none());
    }

    #[test]
    fn date_with_and_without_timezone() {
        let d = Date::parse_text("2024-03-01+03:00").unwrap();
        assert_eq!(
            d.to_naive_date(),
            NaiveDate::from_ymd_opt(2024, 3, 1).unwrap()
        );
        assert_eq!(d.timezone().unwrap().local_minus_utc(), 3 * 3600);
        assert_eq!(d.to_text(), "2024-03-01+03:00");
        let z = Date::parse_text("2024-03-01Z").unwrap();
        assert_eq!(z.timezone().unwrap().local_minus_utc(), 0);
        let n = Date::parse_text("2024-03-01").unwrap();
        assert!(n.timezone().is_none());
        assert!(Date::parse_text("2024-13-01").is_err());
        assert!(Date::parse_text("01.03.2024").is_err());
        assert!(Date::parse_text("2024-03-01+Ж:00").is_err());
        assert!(DateTime::parse_text("Пн, 1 марта").is_err());
        let built = Date::with_timezone(n.to_naive_date(), FixedOffset::east_opt(-5 * 3600 - 1800));
        assert_eq!(built.as_str(), "2024-03-01-05:30");
    }

    #[test]
    fn datetime_round_trips_exactly() {
        for s in [
            "2024-03-01T10:15:00",
            "2024-03-01T10:15:00.500+03:00",
            "2024-03-01T23:59:59Z",
        ] {
            assert_eq!(DateTime::parse_text(s).unwrap().to_text(), s);
        }
        let dt = DateTime::parse_text("2024-03-01T10:15:00+03:00").unwrap();
        assert_eq!(dt.to_fixed_offset().unwrap().timestamp(), 1_709_277_300);
        assert!(DateTime::parse_text("2024-03-01").is_err());
        let naive = NaiveDate::from_ymd_opt(2024, 1, 2)
            .unwrap()
            .and_hms_opt(3, 4, 5)
            .unwrap();
        assert_eq!(DateTime::from_naive(naive).as_str(), "2024-01-02T03:04:05");
        let t = Time::parse_text("10:15:00.25Z").unwrap();
        assert_eq!(
            t.to_naive_time(),
            NaiveTime::from_hms_milli_opt(10, 15, 0, 250).unwrap()
        );
    }

    #[test]
    fn binary_types() {
        let b = Base64Binary::parse_text("aGVs\n  bG8=").unwrap();
        assert_eq!(b.0, b"hello");
        assert_eq!(b.to_text(), "aGVsbG8=");
        assert!(Base64Binary::parse_text("!!").is_err());
        let h = HexBinary::parse_text("0aFf").unwrap();
        assert_eq!(h.0, vec![0x0a, 0xff]);
        assert_eq!(h.to_text(), "0AFF");
        assert!(HexBinary::parse_text("abc").is_err());
        assert!(HexBinary::parse_text("zz").is_err());
        let l = List::<i32>::parse_text(" 1  2\n3 ").unwrap();
        assert_eq!(l.0, vec![1, 2, 3]);
        assert_eq!(l.to_text(), "1 2 3");
    }

    #[test]
    fn nillable_read_write() {
        let xml = br#"<r xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><a xsi:nil="true"/><a></a><a>x</a></r>"#;
        let mut r = XmlReader::new(xml);
        let root = r.root().unwrap();
        let mut got: Vec<Nillable<String>> = Vec::new();
        r.children(&root, |r, c| {
            got.push(Nillable::read_xml(r, &c)?);
            Ok(())
        })
        .unwrap();
        assert_eq!(
            got,
            vec![
                Nillable::Nil,
                Nillable::Value(String::new()),
                Nillable::Value("x".into())
            ]
        );
        assert!(got[0].is_nil() && got[0].value().is_none());
        assert_eq!(got[2].clone().into_option().as_deref(), Some("x"));
        let mut w = XmlWriter::new();
        Nillable::<String>::Nil.write_xml(&mut w, Name::unqualified("a"));
        assert_eq!(
            String::from_utf8(w.into_bytes()).unwrap(),
            r#"<a xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/>"#
        );
    }

    #[test]
    fn any_element_is_verbatim() {
        let xml = br#"<r><x:a xmlns:x="urn:x" k="v"><b>t&amp;</b></x:a><c/></r>"#;
        let mut r = XmlReader::new(xml);
        let root = r.root().unwrap();
        let mut got = Vec::new();
        r.children(&root, |r, c| {
            got.push(AnyElement::read_xml(r, &c)?);
            Ok(())
        })
        .unwrap();
        assert_eq!(
            got[0].as_str(),
            r#"<x:a xmlns:x="urn:x" k="v"><b>t&amp;</b></x:a>"#
        );
        assert_eq!(got[1].as_str(), "<c/>");
        let mut w = XmlWriter::new();
        got[0].write_xml(&mut w, Name::unqualified("ignored"));
        assert_eq!(w.into_bytes(), got[0].as_str().as_bytes());
    }
}
