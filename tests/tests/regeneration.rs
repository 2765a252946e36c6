//! The regeneration workflow end to end, as the README's "When DPD publishes a new version"
//! describes it: an old calculator set is vendored; DPD (a local JAX-WS-style server on
//! 127.0.0.1) publishes a new version; `codegen fetch` downloads it with its `?xsd=1` schema
//! and writes the catalog; `codegen diff` classifies the API change; the generated-code
//! snapshot shows the new API.

use std::path::{Path, PathBuf};

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use soap_codegen::diff::{diff_paths, Impact};
use soap_codegen::fetch::{fetch, FetchOptions};
use soap_codegen::Builder;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../codegen/tests/fixtures/versions")
}

/// Serves the new version like JAX-WS does: `?wsdl` and `?xsd=1`, with DPD's host replaced
/// by this server's address in the documents it serves.
async fn publish_new_version() -> String {
    let dir = fixtures().join("calculator-v2");
    let wsdl = std::fs::read_to_string(dir.join("DPDCalculatorService.wsdl")).unwrap();
    let xsd = std::fs::read_to_string(dir.join("calculator2.xsd")).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let wsdl = wsdl.replace("http://ws.dpd.ru:80", &base);
    let app = Router::new()
        .route(
            "/services/calculator2",
            get(
                |State((wsdl, xsd)): State<(String, String)>, RawQuery(q): RawQuery| async move {
                    match q.as_deref() {
                        Some("wsdl") => (StatusCode::OK, wsdl),
                        Some("xsd=1") => (StatusCode::OK, xsd),
                        _ => (StatusCode::NOT_FOUND, String::new()),
                    }
                },
            ),
        )
        .with_state((wsdl, xsd));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("{base}/services/calculator2?wsdl")
}

#[tokio::test(flavor = "multi_thread")]
async fn new_dpd_version_fetch_diff_snapshot() {
    let old = fixtures().join("calculator-v1");
    let url = publish_new_version().await;
    let work = std::env::temp_dir().join(format!("regeneration-{}", std::process::id()));
    let new = work.join("calculator2");
    let _ = std::fs::remove_dir_all(&work);

    // 1. Fetch: the WSDL, its `?xsd=1` schema and a catalog, so the set builds offline.
    let into = new.clone();
    let report = tokio::task::spawn_blocking(move || fetch(&url, &into, &FetchOptions::default()))
        .await
        .unwrap()
        .expect("fetch succeeds");
    assert!(report.changed());
    let mut files: Vec<String> = std::fs::read_dir(&new)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        ["calculator2.wsdl", "calculator2.xsd", "catalog.xml"]
    );
    let catalog = std::fs::read_to_string(new.join("catalog.xml")).unwrap();
    assert!(
        catalog.contains("?xsd=1") && catalog.contains("calculator2.xsd"),
        "{catalog}"
    );

    // A second fetch of the same bytes changes nothing.
    let (url2, into) = (publish_new_version_url(&report), new.clone());
    let again = tokio::task::spawn_blocking(move || fetch(&url2, &into, &FetchOptions::default()))
        .await
        .unwrap()
        .expect("second fetch succeeds");
    assert!(!again.changed(), "second fetch rewrote files");

    // 2. Diff: the change in the generated Rust API, classified for a semver decision.
    let diff = diff_paths(&old, &new).expect("diff runs");
    assert!(diff.has_breaking());
    let text = diff.to_string();
    for expected in ["operation removed", "renamed", "endpoint changed"] {
        assert!(text.contains(expected), "diff lacks `{expected}`:\n{text}");
    }
    assert!(diff.changes.iter().any(|c| c.impact == Impact::Compatible));
    insta::assert_snapshot!("calculator_v1_to_v2_diff", text);

    // 3. The generated code of the new set, as the reviewer sees it in the snapshot diff.
    let modules = Builder::new()
        .wsdl(&new)
        .emit_rerun_if_changed(false)
        .render()
        .expect("new set generates");
    assert_eq!(modules.len(), 1);
    insta::assert_snapshot!("calculator_v2_generated", modules[0].code);

    std::fs::remove_dir_all(&work).ok();
}

/// The URL of the document fetched first (the WSDL), to fetch the same set again.
fn publish_new_version_url(report: &soap_codegen::fetch::FetchReport) -> String {
    report.documents[0].url.clone()
}
