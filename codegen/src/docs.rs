//! Doc comments of generated items, from `xs:documentation` / `wsdl:documentation` text.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc]` attributes for `doc` (none for absent or blank text), one per line. Bare URLs
/// become autolinks (`<http://…>`), so `cargo doc` on generated code is warning-free.
pub(crate) fn doc_attrs(doc: Option<&str>) -> TokenStream {
    let Some(doc) = doc.map(str::trim).filter(|d| !d.is_empty()) else {
        return TokenStream::new();
    };
    doc.lines()
        .map(|l| {
            let l = format!(" {}", autolink(l.trim_end()));
            quote!(#[doc = #l])
        })
        .collect()
}

/// Wraps bare `http://`/`https://` URLs of one line in `<…>`; URLs in code spans, already in
/// angle brackets or the target of a Markdown link are left alone. Trailing sentence
/// punctuation stays outside the link.
fn autolink(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut in_code = false;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            in_code = !in_code;
        }
        let at_url = !in_code && (rest.starts_with("http://") || rest.starts_with("https://"));
        let quoted = out.ends_with("](") || matches!(out.chars().last(), Some('<' | '"' | '\''));
        if at_url && !quoted {
            let end = rest
                .find(|ch: char| ch.is_whitespace() || matches!(ch, '<' | '>' | '"' | '`'))
                .unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':', ')', '!', '?']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url.len()..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::autolink;

    #[test]
    fn bare_urls_become_autolinks() {
        assert_eq!(
            autolink("an internal host (http://mowwww101:80/services/x), so"),
            "an internal host (<http://mowwww101:80/services/x>), so"
        );
        assert_eq!(
            autolink("Production http://ws.dpd.ru/services/order2, test https://x.ru/."),
            "Production <http://ws.dpd.ru/services/order2>, test <https://x.ru/>."
        );
    }

    #[test]
    fn code_spans_links_and_autolinks_are_kept() {
        for line in [
            "The `{http://dpd.ru/ws/order2}WSFault` fault detail.",
            "See <http://a.b/c>.",
            "See [the guide](https://a.b/c).",
            "Кириллица без ссылок",
        ] {
            assert_eq!(autolink(line), line);
        }
    }
}
