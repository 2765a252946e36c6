//! Snapshots of the generated code for every WSDL in the repository, so a reviewer sees each
//! change of the generated API as a snapshot diff, plus determinism checks.

use std::path::{Path, PathBuf};

use soap_codegen::Builder;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the workspace")
        .to_owned()
}

fn render(dir: &Path) -> Vec<soap_codegen::GeneratedModule> {
    Builder::new()
        .wsdl(dir)
        .emit_rerun_if_changed(false)
        .render()
        .unwrap_or_else(|e| panic!("generating {}: {e}", dir.display()))
}

fn snapshot_dir(group: &str) {
    let dir = root().join(group);
    let modules = render(&dir);
    assert!(!modules.is_empty(), "no WSDL under {}", dir.display());
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        for m in &modules {
            let rel = m
                .wsdl
                .strip_prefix(&dir)
                .unwrap_or(&m.wsdl)
                .display()
                .to_string();
            insta::with_settings!({ description => format!("generated from {group}/{rel}") }, {
                insta::assert_snapshot!(format!("{}__{}", group.replace('/', "_"), m.name), m.code);
            });
        }
    });
}

#[test]
fn example_wsdls() {
    snapshot_dir("tests/wsdl");
}

#[test]
fn dpd_wsdls() {
    snapshot_dir("wsdl/dpd");
}

#[test]
fn cdek_wsdls() {
    snapshot_dir("wsdl/cdek");
}

#[test]
fn generation_is_deterministic() {
    for group in ["tests/wsdl", "wsdl/dpd"] {
        let dir = root().join(group);
        let a = render(&dir);
        let b = render(&dir);
        assert_eq!(a, b, "two runs over {group} differ");
    }
}
