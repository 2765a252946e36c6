//! Lexical conversion of simple values (`xs:string`, numbers, booleans, …).

/// A value with a text representation in XML (simple type).
///
/// Implemented by the XML Schema built-ins and by generated enumerations; every `XmlText`
/// type is also [`XmlRead`](super::XmlRead) and [`XmlWrite`](super::XmlWrite) as an element
/// with text content, and can be used as an attribute value.
pub trait XmlText: Sized {
    /// Parses the lexical form.
    ///
    /// # Errors
    /// A message describing why `s` is not a valid value.
    fn parse_text(s: &str) -> Result<Self, String>;

    /// Parses text the reader has already decoded; `String` takes an owned value over
    /// without copying it again.
    ///
    /// # Errors
    /// As [`parse_text`](Self::parse_text).
    #[inline]
    fn parse_cow(s: std::borrow::Cow<'_, str>) -> Result<Self, String> {
        Self::parse_text(&s)
    }

    /// Appends the canonical lexical form to `out`.
    fn write_text(&self, out: &mut String);

    /// The lexical form as a new string.
    fn to_text(&self) -> String {
        let mut s = String::new();
        self.write_text(&mut s);
        s
    }
}

impl XmlText for String {
    fn parse_text(s: &str) -> Result<Self, String> {
        Ok(s.to_owned())
    }
    #[inline]
    fn parse_cow(s: std::borrow::Cow<'_, str>) -> Result<Self, String> {
        Ok(s.into_owned())
    }
    fn write_text(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl XmlText for bool {
    fn parse_text(s: &str) -> Result<Self, String> {
        match s.trim() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            other => Err(format!("`{other}` is not an xs:boolean")),
        }
    }
    fn write_text(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

macro_rules! int_text {
    ($($t:ty => $xs:literal),* $(,)?) => {$(
        impl XmlText for $t {
            fn parse_text(s: &str) -> Result<Self, String> {
                let s = s.trim();
                s.strip_prefix('+').unwrap_or(s).parse().map_err(|_| format!("`{s}` is not an {}", $xs))
            }
            fn write_text(&self, out: &mut String) {
                use std::fmt::Write as _;
                let _ = write!(out, "{self}");
            }
        }
    )*};
}
int_text!(i8 => "xs:byte", i16 => "xs:short", i32 => "xs:int", i64 => "xs:long", i128 => "xs:integer",
          u8 => "xs:unsignedByte", u16 => "xs:unsignedShort", u32 => "xs:unsignedInt", u64 => "xs:unsignedLong",
          u128 => "xs:nonNegativeInteger");

macro_rules! float_text {
    ($($t:ty => $xs:literal),*) => {$(
        impl XmlText for $t {
            fn parse_text(s: &str) -> Result<Self, String> {
                match s.trim() {
                    "INF" | "+INF" => Ok(<$t>::INFINITY),
                    "-INF" => Ok(<$t>::NEG_INFINITY),
                    "NaN" => Ok(<$t>::NAN),
                    t => t.parse().map_err(|_| format!("`{t}` is not an {}", $xs)),
                }
            }
            fn write_text(&self, out: &mut String) {
                use std::fmt::Write as _;
                if self.is_nan() {
                    out.push_str("NaN");
                } else if self.is_infinite() {
                    out.push_str(if *self > 0.0 { "INF" } else { "-INF" });
                } else {
                    let _ = write!(out, "{self}");
                }
            }
        }
    )*};
}
float_text!(f32 => "xs:float", f64 => "xs:double");
