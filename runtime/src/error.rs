//! The error type of generated client methods.

use bytes::Bytes;

use crate::envelope::SoapVersion;
use crate::fault::{Fault, NoDetail};
use crate::transport::TransportError;
use crate::xml::DecodeError;

/// How many bytes of a response body [`Error`]'s `Display` shows.
const DISPLAY_BODY_LIMIT: usize = 512;

/// Why a SOAP call failed, from "never sent" to "the answer could not be decoded".
///
/// `D` is the operation's typed fault detail ([`NoDetail`] when none is declared). Response
/// bodies are always kept in full (`Display` shortens them); no variant holds credentials.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<D = NoDetail> {
    /// The request was rejected before sending (e.g. an invalid endpoint URL).
    InvalidRequest(String),
    /// Connecting, TLS, or I/O failed, or the response was too large.
    Transport(TransportError),
    /// The deadline passed before a complete response arrived.
    Timeout,
    /// A non-2xx status without a SOAP envelope (HTML error pages of proxies, 404, 503…).
    Http {
        /// HTTP status code.
        status: u16,
        /// The whole response body (lossy UTF-8).
        body: String,
    },
    /// The server answered with a SOAP fault (SOAP 1.1 faults come with HTTP 500).
    Fault(Box<Fault<D>>),
    /// HTTP bindings: the server answered with a fault body declared in the WSDL (another
    /// root element or a JSON error document), whatever the HTTP status.
    BindingFault {
        /// The decoded fault body.
        detail: Box<D>,
        /// HTTP status code.
        status: u16,
        /// The whole response body.
        body: Bytes,
    },
    /// The response envelope or its content did not match the expected types.
    Decode {
        /// What failed and where.
        error: DecodeError,
        /// HTTP status code.
        status: u16,
        /// The whole response body.
        body: Bytes,
    },
    /// The response is well-formed but not what a SOAP call can answer (e.g. a 2xx XML
    /// document that is not an envelope).
    UnexpectedResponse {
        /// What was wrong.
        message: String,
        /// HTTP status code.
        status: u16,
        /// The whole response body.
        body: Bytes,
    },
    /// The server answered with an envelope of the other SOAP version (the endpoint speaks
    /// `found`; configure the client with that version).
    VersionMismatch {
        /// The version sent.
        expected: SoapVersion,
        /// The version received.
        found: SoapVersion,
        /// HTTP status code.
        status: u16,
        /// The whole response body.
        body: Bytes,
    },
}

impl<D> Error<D> {
    /// The HTTP status, when a response was received and it is known here.
    #[must_use]
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Http { status, .. }
            | Self::BindingFault { status, .. }
            | Self::Decode { status, .. }
            | Self::UnexpectedResponse { status, .. }
            | Self::VersionMismatch { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether trying again later may succeed: timeouts, connect and I/O failures, and HTTP
    /// 408/429/502/503/504. A timed-out request may still have been processed, so retry
    /// non-idempotent operations (creating orders) with care.
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Timeout => true,
            Self::Transport(e) => matches!(
                e.kind(),
                crate::transport::TransportErrorKind::Connect
                    | crate::transport::TransportErrorKind::Io
            ),
            Self::Http { status, .. } => matches!(status, 408 | 429 | 502 | 503 | 504),
            _ => false,
        }
    }

    /// The SOAP fault, if the server sent one.
    #[must_use]
    pub fn fault(&self) -> Option<&Fault<D>> {
        match self {
            Self::Fault(f) => Some(f),
            _ => None,
        }
    }

    /// The raw response body, when one was received and kept.
    #[must_use]
    pub fn body(&self) -> Option<&[u8]> {
        match self {
            Self::Http { body, .. } => Some(body.as_bytes()),
            Self::Decode { body, .. }
            | Self::BindingFault { body, .. }
            | Self::UnexpectedResponse { body, .. }
            | Self::VersionMismatch { body, .. } => Some(body),
            _ => None,
        }
    }

    /// Converts the typed fault detail with `f` (e.g. into a crate-wide fault enum).
    pub fn map_detail<E>(self, f: impl FnOnce(D) -> E) -> Error<E> {
        match self {
            Self::InvalidRequest(m) => Error::InvalidRequest(m),
            Self::Transport(e) => Error::Transport(e),
            Self::Timeout => Error::Timeout,
            Self::Http { status, body } => Error::Http { status, body },
            Self::Fault(fault) => Error::Fault(Box::new(fault.map_detail(f))),
            Self::BindingFault {
                detail,
                status,
                body,
            } => Error::BindingFault {
                detail: Box::new(f(*detail)),
                status,
                body,
            },
            Self::Decode {
                error,
                status,
                body,
            } => Error::Decode {
                error,
                status,
                body,
            },
            Self::UnexpectedResponse {
                message,
                status,
                body,
            } => Error::UnexpectedResponse {
                message,
                status,
                body,
            },
            Self::VersionMismatch {
                expected,
                found,
                status,
                body,
            } => Error::VersionMismatch {
                expected,
                found,
                status,
                body,
            },
        }
    }
}

impl<D> From<TransportError> for Error<D> {
    fn from(e: TransportError) -> Self {
        match e.kind() {
            crate::transport::TransportErrorKind::Timeout => Self::Timeout,
            crate::transport::TransportErrorKind::InvalidRequest => {
                Self::InvalidRequest(e.to_string())
            }
            _ => Self::Transport(e),
        }
    }
}

/// Writes at most [`DISPLAY_BODY_LIMIT`] bytes of `body` (cut at a character boundary).
fn write_body(f: &mut std::fmt::Formatter<'_>, body: &[u8]) -> std::fmt::Result {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        return f.write_str(" (empty body)");
    }
    let mut end = text.len().min(DISPLAY_BODY_LIMIT);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    write!(f, ": {}", text.get(..end).unwrap_or_default())?;
    if end < text.len() {
        write!(f, "… ({} bytes)", body.len())?;
    }
    Ok(())
}

impl<D> std::fmt::Display for Error<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::InvalidRequest(m) => write!(f, "invalid request: {m}"),
            Self::Transport(e) => write!(f, "transport error: {e}"),
            Self::Timeout => f.write_str("request timed out"),
            Self::Http { status, body } => {
                write!(f, "HTTP status {status}")?;
                write_body(f, body.as_bytes())
            }
            Self::Fault(fault) => std::fmt::Display::fmt(fault, f),
            Self::BindingFault { status, body, .. } => {
                write!(f, "the server answered with a declared error document (HTTP {status})")?;
                write_body(f, body)
            }
            Self::Decode { error, status, body } => {
                write!(f, "cannot decode response (HTTP {status}) at {error}")?;
                write_body(f, body)
            }
            Self::UnexpectedResponse { message, status, body } => {
                write!(f, "unexpected response (HTTP {status}): {message}")?;
                write_body(f, body)
            }
            Self::VersionMismatch { expected, found, status, .. } => write!(
                f,
                "the server answered with a {found} envelope (HTTP {status}) to a {expected} request; \
                 configure the client for {found}"
            ),
        }
    }
}

impl<D: std::fmt::Debug> std::error::Error for Error<D> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Transport(e) => Some(e),
            Self::Decode { error, .. } => Some(error),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_truncates_long_bodies_at_char_boundary() {
        let body = "я".repeat(1000);
        let e: Error = Error::Http { status: 503, body };
        let s = e.to_string();
        assert!(s.starts_with("HTTP status 503: яя"));
        assert!(s.ends_with("… (2000 bytes)"), "{s}");
        assert!(s.len() < 600);
        assert!(e.is_retryable());
        assert_eq!(e.status(), Some(503));
    }

    #[test]
    fn transport_timeout_becomes_timeout() {
        let e: Error =
            TransportError::new(crate::transport::TransportErrorKind::Timeout, "t").into();
        assert!(matches!(e, Error::Timeout));
    }
}
