//! The build script shared by the client crates (`build = "../build.rs"`).
//!
//! It generates the bindings of the crate's part of the WSDL tree into `OUT_DIR`, one module
//! per WSDL file plus `_all.rs` declaring them: `dpd-client` ← `wsdl/dpd`, `cdek-client` ←
//! `wsdl/cdek`, the workspace tests ← `tests/wsdl`, the sandbox ← both carriers' WSDLs with
//! server traits and dispatchers. Dropping a new WSDL set into the folder
//! and rebuilding is all a regeneration takes; nothing is fetched from the network.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let package = std::env::var("CARGO_PKG_NAME").expect("cargo sets CARGO_PKG_NAME");
    let root = manifest
        .parent()
        .expect("client crates live one level below the workspace root");
    let inputs = match package.as_str() {
        "dpd-client" => vec![root.join("wsdl/dpd")],
        "cdek-client" => vec![root.join("wsdl/cdek")],
        "workspace-tests" => vec![manifest.join("wsdl")],
        // The carrier sandbox serves both carriers: clients plus server traits/dispatchers.
        "sandbox" => vec![root.join("wsdl/dpd"), root.join("wsdl/cdek")],
        other => panic!("build.rs does not know which WSDLs belong to package `{other}`"),
    };
    let mut builder = soap_codegen::Builder::new().server(package == "sandbox");
    for input in &inputs {
        builder = builder.wsdl(input);
    }
    if let Err(e) = builder.generate() {
        // A build script reports by failing; the message names file, line and column.
        let shown: Vec<_> = inputs.iter().map(|i| i.display().to_string()).collect();
        eprintln!("error: generating bindings from {}: {e}", shown.join(", "));
        std::process::exit(1);
    }
}
