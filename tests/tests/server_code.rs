//! Snapshots of the server skeletons (`Builder::server(true)`): per port a `<Port>Service`
//! trait and a `<Port>Server` dispatcher — SOAP ports (the examples, DPD) and HTTP-binding
//! ports (CDEK: GET query parameters, POST form with an XML document, PDF and JSON bodies). Only the server part is snapshotted — the code the
//! option appends after the client-only module, which `generated_code.rs` already covers.

use std::path::{Path, PathBuf};

use soap_codegen::Builder;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the workspace")
        .to_owned()
}

fn render(dir: &Path, server: bool) -> Vec<soap_codegen::GeneratedModule> {
    Builder::new()
        .wsdl(dir)
        .emit_rerun_if_changed(false)
        .server(server)
        .render()
        .unwrap_or_else(|e| panic!("generating {}: {e}", dir.display()))
}

fn snapshot_servers(group: &str, only: &[&str]) {
    let dir = root().join(group);
    let plain = render(&dir, false);
    let with = render(&dir, true);
    assert_eq!(plain.len(), with.len());
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        for (p, w) in plain.iter().zip(&with) {
            if !only.is_empty() && !only.contains(&w.name.as_str()) {
                continue;
            }
            let client = p.code.trim_end();
            // The option only appends items: the client code is a prefix of the output.
            let server = w
                .code
                .strip_prefix(client)
                .unwrap_or_else(|| panic!("{}: server option changed the client code", w.name));
            assert!(server.contains("Server<S>"), "{}: no dispatcher", w.name);
            insta::assert_snapshot!(
                format!("server__{}__{}", group.replace('/', "_"), w.name),
                server.trim()
            );
        }
    });
}

#[test]
fn example_servers() {
    snapshot_servers("tests/wsdl", &[]);
}

#[test]
fn dpd_servers() {
    snapshot_servers(
        "wsdl/dpd",
        &["dpd_geography2_service", "dpd_calculator_service"],
    );
}

#[test]
fn cdek_http_binding_servers() {
    snapshot_servers("wsdl/cdek", &[]);
}
