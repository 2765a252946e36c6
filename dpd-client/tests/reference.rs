//! When a user drops DPD's own published WSDL/XSD files into `wsdl/dpd/`, the generated client
//! API must stay the same. DPD's files are not part of this project (they were written by
//! others); when a copy sits in `../shared/reference/dpd` this test generates it with the
//! same generator and compares the public API with the one from our own `wsdl/dpd/`.
//! Without that folder the test has nothing to compare and says so.

use std::path::{Path, PathBuf};

use soap_codegen::catalog::Catalog;
use soap_codegen::diff::{api_of_modules, diff, ChangeKind};
use soap_codegen::Builder;

/// (our folder, their folder, their WSDL, their XSD, the `?xsd=1` path) per service DPD published.
const SERVICES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "geography2",
        "geography2",
        "DPDGeography2Service.wsdl",
        "geography2.xsd",
        "geography2",
    ),
    (
        "calculator2",
        "calculator2",
        "DPDCalculatorService.wsdl",
        "calculator2.xsd",
        "calculator2",
    ),
    (
        "order2",
        "order2",
        "order2.wsdl",
        "order2.xsd_1.xsd",
        "order2",
    ),
    (
        "tracing",
        "tracing",
        "ParcelTracingService.wsdl",
        "tracing.xsd",
        "tracing",
    ),
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_owned()
}

#[test]
fn dpd_published_wsdls_generate_the_same_client_methods() {
    let reference = root().join("../shared/reference/dpd");
    if !reference.is_dir() {
        eprintln!("skipped: {} is not present", reference.display());
        return;
    }
    // Their WSDLs import `http://ws(test).dpd.ru:80/services/<x>?xsd=1`: map both hosts.
    let mut catalog = Catalog::new();
    let mut theirs = Builder::new().emit_rerun_if_changed(false);
    let mut ours = Builder::new().emit_rerun_if_changed(false);
    for (our_dir, dir, wsdl, xsd, path) in SERVICES {
        for host in ["ws.dpd.ru", "wstest.dpd.ru"] {
            catalog = catalog.with_mapping(
                format!("http://{host}:80/services/{path}?xsd=1"),
                reference.join(dir).join(xsd),
            );
        }
        theirs = theirs.wsdl(reference.join(dir).join(wsdl));
        ours = ours.wsdl(root().join("wsdl/dpd").join(our_dir));
    }
    let theirs = theirs
        .with_catalog(catalog)
        .render()
        .expect("DPD's published WSDLs generate");
    let ours = ours.render().expect("our WSDLs generate");
    assert_eq!(theirs.len(), ours.len());

    let report = diff(
        &api_of_modules(&ours).unwrap(),
        &api_of_modules(&theirs).unwrap(),
    );
    // Types may differ (our schemas add the guide's fields DPD's old copies lack; every
    // difference is listed in wsdl/dpd/README.md); client methods must not.
    let method_changes: Vec<String> = report
        .changes
        .iter()
        .filter(|c| {
            matches!(
                c.kind,
                ChangeKind::OperationAdded { .. }
                    | ChangeKind::OperationRemoved { .. }
                    | ChangeKind::OperationChanged { .. }
                    | ChangeKind::ModuleAdded
                    | ChangeKind::ModuleRemoved
                    | ChangeKind::ModuleRenamed { .. }
            )
        })
        .map(|c| c.message.clone())
        .collect();
    println!("ours → DPD's published files:\n{report}");
    assert!(
        method_changes.is_empty(),
        "client methods differ:\n{}",
        method_changes.join("\n")
    );
}
