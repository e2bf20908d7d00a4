//! Extra trust roots: a private CA bundle (PEM) for intranet mail servers and
//! the private editions of the robot services, whose certificates an agency's
//! own CA signs and the Mozilla roots therefore do not hold. The bundle is
//! added to those roots, never in place of them.
use crate::{Error, Result};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use std::sync::Arc;

const BAD: &str = "CA 证书文件应为 PEM 格式，含至少一个 -----BEGIN CERTIFICATE----- 证书块";

#[derive(Clone, Default)]
pub struct Trust {
    pem: Option<Arc<[u8]>>,
}

impl std::fmt::Debug for Trust {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Trust")
            .field("private_ca", &self.pem.is_some())
            .finish()
    }
}

impl Trust {
    /// Only the Mozilla roots.
    pub fn public() -> Trust {
        Trust::default()
    }

    /// The Mozilla roots and every certificate of `pem`; refused when the
    /// text holds no certificate or one that does not parse, so a wrong file
    /// fails at start rather than at the first message.
    pub fn with_bundle(pem: &[u8]) -> Result<Trust> {
        let certs = reqwest::Certificate::from_pem_bundle(pem).map_err(|_| Error::invalid("ca_bundle", BAD))?;
        if certs.is_empty() {
            return Err(Error::invalid("ca_bundle", BAD));
        }
        // Parsing the PEM does not read the certificates; a root store does.
        let mut store = rustls::RootCertStore::empty();
        for der in CertificateDer::pem_slice_iter(pem) {
            let der = der.map_err(|_| Error::invalid("ca_bundle", BAD))?;
            store.add(der).map_err(|_| Error::invalid("ca_bundle", BAD))?;
        }
        lettre::transport::smtp::client::Certificate::from_pem(pem).map_err(|_| Error::invalid("ca_bundle", BAD))?;
        Ok(Trust { pem: Some(pem.into()) })
    }

    pub(super) fn http_roots(&self) -> Vec<reqwest::Certificate> {
        self.pem
            .as_deref()
            .and_then(|p| reqwest::Certificate::from_pem_bundle(p).ok())
            .unwrap_or_default()
    }

    pub(super) fn mail_roots(&self) -> Option<lettre::transport::smtp::client::Certificate> {
        self.pem
            .as_deref()
            .and_then(|p| lettre::transport::smtp::client::Certificate::from_pem(p).ok())
    }
}
