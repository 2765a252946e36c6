//! Fixes for CDEK answers that the generated decoders cannot read as they are.
//!
//! InfoReport's attributes `deliveryMode`, `pvzCode` and `deliveryVariant` are spelled
//! `DeliveryMode`, `PvzCode` and `DeliveryVariant` by some server versions (SPEC §1.4). The
//! schema declares only the lower-camel spelling (a case-only twin would give duplicate Rust
//! fields), so this transport rewrites the other spellings before decoding.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use soap_runtime::transport::{HttpRequest, HttpResponse, Transport, TransportError};

/// Attribute names that changed case between server versions, in the declared spelling, per
/// operation path.
const CASE_VARIANTS: &[(&str, &[&str])] = &[(
    "info_report.php",
    &["deliveryMode", "pvzCode", "deliveryVariant"],
)];

/// A transport that normalises attribute-name casing in the answers of the operations listed
/// in [`CASE_VARIANTS`].
#[derive(Debug, Clone)]
pub(crate) struct QuirkTransport {
    pub(crate) inner: Arc<dyn Transport>,
}

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

impl Transport for QuirkTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let names = CASE_VARIANTS
            .iter()
            .find(|(path, _)| {
                let url = request.url.split('?').next().unwrap_or_default();
                url.ends_with(path)
            })
            .map(|(_, names)| *names);
        let fut = self.inner.send(request);
        Box::pin(async move {
            let mut resp = fut.await?;
            if let Some(names) = names {
                if let Some(fixed) = normalize_attribute_case(&resp.body, names) {
                    resp.body = fixed.into();
                }
            }
            Ok(resp)
        })
    }
}

/// Rewrites attribute names that equal one of `names` up to ASCII case into that spelling.
/// A name is left alone when its declared spelling already occurs in the body (rewriting
/// could then duplicate an attribute). `None` when nothing changed.
#[must_use]
pub(crate) fn normalize_attribute_case(body: &[u8], names: &[&str]) -> Option<Vec<u8>> {
    let mut out: Option<Vec<u8>> = None;
    for name in names {
        let want = name.as_bytes();
        if want.is_empty() || contains_attr(body, want, false) {
            continue;
        }
        if !contains_attr(body, want, true) {
            continue;
        }
        let buf = out.get_or_insert_with(|| body.to_vec());
        let mut i = 1;
        while i + want.len() <= buf.len() {
            if is_attr_at(buf, i, want, true) {
                if let Some(slot) = buf.get_mut(i..i + want.len()) {
                    slot.copy_from_slice(want);
                }
                i += want.len();
            } else {
                i += 1;
            }
        }
    }
    out
}

fn contains_attr(body: &[u8], name: &[u8], ignore_case: bool) -> bool {
    (1..body.len()).any(|i| is_attr_at(body, i, name, ignore_case))
}

/// Whether an attribute called `name` starts at `i`: whitespace before, `=` after (spaces
/// allowed).
fn is_attr_at(body: &[u8], i: usize, name: &[u8], ignore_case: bool) -> bool {
    let Some(candidate) = body.get(i..i + name.len()) else {
        return false;
    };
    let same = if ignore_case {
        candidate.eq_ignore_ascii_case(name)
    } else {
        candidate == name
    };
    if !same || !body.get(i - 1).is_some_and(u8::is_ascii_whitespace) {
        return false;
    }
    body.get(i + name.len()..)
        .and_then(|rest| rest.iter().find(|b| !b.is_ascii_whitespace()))
        == Some(&b'=')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_only_attribute_names() {
        let names = ["deliveryMode", "pvzCode"];
        let body = br#"<Order DeliveryMode="4" PvzCode ="NSK33" Msg="PvzCode"/>"#;
        let fixed = normalize_attribute_case(body, &names).unwrap();
        assert_eq!(
            fixed,
            br#"<Order deliveryMode="4" pvzCode ="NSK33" Msg="PvzCode"/>"#.to_vec()
        );
        assert_eq!(
            normalize_attribute_case(br#"<Order deliveryMode="1"/>"#, &names),
            None
        );
        // Both spellings: leave the body alone rather than duplicate an attribute.
        let both = br#"<Order deliveryMode="1" DeliveryMode="1"/>"#;
        assert_eq!(normalize_attribute_case(both, &["deliveryMode"]), None);
        assert_eq!(normalize_attribute_case(b"", &names), None);
    }
}
