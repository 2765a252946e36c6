//! Credentials and the `Secure` signature of CDEK's integration protocol.

use md5::{Digest, Md5};

/// An integration account: `Account` and `Secure_password`.
///
/// The password never appears in `Debug` output, logs or request documents: only its salted
/// hash (`Secure`) is sent.
#[derive(Clone)]
pub struct Credentials {
    account: String,
    password: String,
}

impl Credentials {
    /// The account (`Account`) and its password (`Secure_password`).
    pub fn new(account: impl Into<String>, password: impl Into<String>) -> Self {
        Self {
            account: account.into(),
            password: password.into(),
        }
    }

    /// The account identifier.
    #[must_use]
    pub fn account(&self) -> &str {
        &self.account
    }

    /// `Secure = md5_hex(Date + "&" + Secure_password)` for the document date `date`
    /// (exactly the bytes sent in the `Date` attribute).
    #[must_use]
    pub fn secure(&self, date: &str) -> String {
        let mut h = Md5::new();
        h.update(date.as_bytes());
        h.update(b"&");
        h.update(self.password.as_bytes());
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("account", &self.account)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// Which CDEK servers to use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Environment {
    /// Production: `https://integration.cdek.ru/`, calculator `https://api.cdek.ru/calculator/`.
    Production,
    /// The test (учебный) server `https://integration.edu.cdek.ru/` (test orders are deleted
    /// nightly); the calculator has no test host, so production's is used.
    Test,
    /// Custom base URLs (a proxy, a local mock server).
    Custom {
        /// Base URL of the integration and reference operations.
        integration: String,
        /// Base URL of the calculator.
        calculator: String,
    },
}

impl Environment {
    /// Base URL of the integration and reference operations.
    #[must_use]
    pub fn integration_url(&self) -> &str {
        match self {
            Self::Production => "https://integration.cdek.ru/",
            Self::Test => "https://integration.edu.cdek.ru/",
            Self::Custom { integration, .. } => integration,
        }
    }

    /// Base URL of the calculator.
    #[must_use]
    pub fn calculator_url(&self) -> &str {
        match self {
            Self::Production | Self::Test => "https://api.cdek.ru/calculator/",
            Self::Custom { calculator, .. } => calculator,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secure_is_md5_of_date_amp_password() {
        let c = Credentials::new("acc", "pass");
        // md5("2024-01-15&pass")
        assert_eq!(
            c.secure("2024-01-15"),
            format!("{:x}", Md5::digest(b"2024-01-15&pass"))
        );
        assert_eq!(c.secure("2024-01-15").len(), 32);
        assert!(!format!("{c:?}").contains("pass\""));
    }
}
