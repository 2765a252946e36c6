//! Lenient parsing of CDEK's answer values (the schema keeps them as text; see
//! `wsdl/cdek/README.md`, "Requests are strict and answers are lenient").

use chrono::{NaiveDate, NaiveDateTime};

/// Text with surrounding spaces removed; `None` when empty (`Code=""`, `MetroStation=" "`).
#[must_use]
pub fn text(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|s| !s.is_empty())
}

/// An integer; empty or malformed → `None`.
#[must_use]
pub fn int(v: Option<&str>) -> Option<i64> {
    text(v)?.parse().ok()
}

/// A decimal number (`"1250"`, `"1250.50"`, `"-1.0"`, a comma as separator); empty or
/// malformed → `None`.
#[must_use]
pub fn decimal(v: Option<&str>) -> Option<f64> {
    let t = text(v)?.replace(',', ".");
    t.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// A flag: `есть`/`да`/`true`/`1` → true, `нет`/`false`/`0` → false, anything else → `None`.
#[must_use]
pub fn flag(v: Option<&str>) -> Option<bool> {
    let t = text(v)?.to_lowercase();
    match t.as_str() {
        "есть" | "да" | "true" | "1" | "yes" => Some(true),
        "нет" | "false" | "0" | "no" => Some(false),
        _ => None,
    }
}

/// A date-time in any of CDEK's forms: `2019-03-01`, `2019-03-01T12:30:00`,
/// `2019-03-01 12:30:00`, with or without fractional seconds or a zone (`+03:00`, `Z`). The
/// zone is dropped: CDEK means local time of the office. Empty or malformed → `None`.
#[must_use]
pub fn date_time(v: Option<&str>) -> Option<NaiveDateTime> {
    let t = text(v)?;
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(t) {
        return Some(dt.naive_local());
    }
    let t2 = t.replacen(' ', "T", 1);
    // Drop a trailing zone (`+0300`, `+03:00`, `Z`) that RFC 3339 parsing did not accept.
    let body = t2.trim_end_matches('Z');
    let body = match body.get(10..).and_then(|rest| rest.rfind(['+', '-'])) {
        Some(i) => body.get(..10 + i).unwrap_or(body),
        None => body,
    };
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(body, fmt) {
            return Some(dt);
        }
    }
    for fmt in ["%Y-%m-%d", "%d.%m.%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(body, fmt) {
            return d.and_hms_opt(0, 0, 0);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quirks() {
        assert_eq!(int(Some("")), None);
        assert_eq!(int(Some(" 12 ")), Some(12));
        assert_eq!(decimal(Some("-1.0")), Some(-1.0));
        assert_eq!(decimal(Some("150,5")), Some(150.5));
        assert_eq!(flag(Some("есть")), Some(true));
        assert_eq!(flag(Some("Нет")), Some(false));
        assert_eq!(flag(Some("")), None);
        let want = NaiveDate::from_ymd_opt(2019, 3, 1).and_then(|d| d.and_hms_opt(12, 30, 0));
        assert_eq!(date_time(Some("2019-03-01 12:30:00")), want);
        assert_eq!(date_time(Some("2019-03-01T12:30:00+03:00")), want);
        assert_eq!(date_time(Some("2019-03-01T12:30:00.000+0300")), want);
        assert_eq!(
            date_time(Some("2019-03-01")),
            NaiveDate::from_ymd_opt(2019, 3, 1).and_then(|d| d.and_hms_opt(0, 0, 0))
        );
        assert_eq!(date_time(Some("")), None);
        assert_eq!(date_time(Some("garbage")), None);
    }
}
