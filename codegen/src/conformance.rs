//! `codegen conformance`: generate every case of a WSDL/XSD corpus and type-check the output.
//!
//! The corpus layout is the one of `wsdl-corpus/`: one folder per case, an `INDEX.tsv` naming
//! each case's main file, and copies of remote documents under `<case>/_remote/<host>/<path>`
//! (mapped with a catalog rewrite, exactly as a user would map them).
//! Every generated module becomes its own crate in one scratch workspace (so dependencies are
//! built once) and is checked with `cargo check`. A case passes when it compiles; it is
//! *unsupported* when generation stops with an explicit `unsupported:` error; anything else
//! (another generation error, a compile error, a panic) is a failure.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::builder::Builder;
use crate::catalog::Catalog;

/// How one case ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Generated and compiled.
    Pass,
    /// Generation refused the input with an explicit "unsupported" error.
    Unsupported(String),
    /// Generation failed otherwise.
    GenerateError(String),
    /// The generated code did not compile.
    CompileError(String),
}

/// The result for one case.
#[derive(Debug, Clone)]
pub struct CaseResult {
    /// Case folder name.
    pub case: String,
    /// Size of the generated code in bytes (0 when nothing was generated).
    pub generated_bytes: usize,
    /// Outcome.
    pub outcome: Outcome,
    /// Seconds spent (generation + check).
    pub seconds: f64,
}

/// One row of `INDEX.tsv`.
struct Case {
    name: String,
    main_file: PathBuf,
    folder: PathBuf,
}

fn read_index(corpus: &Path) -> Result<Vec<Case>, String> {
    let index = corpus.join("INDEX.tsv");
    let text = std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    let mut cases = Vec::new();
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (Some(name), Some(main)) = (cols.first(), cols.get(1)) else {
            return Err(format!("{}: malformed line `{line}`", index.display()));
        };
        let folder = corpus.join(name);
        cases.push(Case {
            name: (*name).to_owned(),
            main_file: folder.join(main),
            folder,
        });
    }
    Ok(cases)
}

/// Maps `http(s)://<host>/<path>` to `<case>/_remote/<host>/<path>` for every copied file,
/// and a folder URL (`…/encoding/`) to the single document stored in that folder.
fn remote_catalog(folder: &Path) -> Catalog {
    fn walk(dir: &Path, url: &str, catalog: &mut Catalog) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        let files: Vec<&PathBuf> = entries.iter().filter(|p| p.is_file()).collect();
        if let [only] = files.as_slice() {
            for scheme in ["http", "https"] {
                catalog.extend(
                    Catalog::new().with_mapping(format!("{scheme}://{url}/"), (*only).clone()),
                );
            }
        }
        for path in &entries {
            let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
                continue;
            };
            let child = format!("{url}/{name}");
            if path.is_dir() {
                walk(path, &child, catalog);
            } else {
                for scheme in ["http", "https"] {
                    catalog.extend(
                        Catalog::new().with_mapping(format!("{scheme}://{child}"), path.clone()),
                    );
                }
            }
        }
    }
    let mut catalog = Catalog::new();
    let remote = folder.join("_remote");
    let Ok(hosts) = std::fs::read_dir(&remote) else {
        return catalog;
    };
    let mut hosts: Vec<PathBuf> = hosts.filter_map(|h| h.ok().map(|h| h.path())).collect();
    hosts.sort();
    for host in hosts {
        if let Some(name) = host.file_name().map(|n| n.to_string_lossy().into_owned()) {
            walk(&host, &name, &mut catalog);
        }
    }
    catalog
}

fn scratch_manifest(name: &str, runtime: &Path) -> String {
    format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [lib]\npath = \"lib.rs\"\n\n[dependencies]\nsoap-runtime = {{ path = \"{}\" }}\n",
        runtime.display()
    )
}

/// Runs the conformance check over `corpus`, using `scratch` as the scratch workspace and
/// the runtime crate at `runtime`. Prints one line per case as it goes.
///
/// # Errors
/// The corpus index cannot be read or the scratch folder cannot be written.
pub fn run(
    corpus: &Path,
    scratch: &Path,
    runtime: &Path,
    only: Option<&str>,
) -> Result<Vec<CaseResult>, String> {
    let cases = read_index(corpus)?;
    std::fs::create_dir_all(scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    let runtime = runtime
        .canonicalize()
        .map_err(|e| format!("{}: {e}", runtime.display()))?;
    let mut members = Vec::new();
    let mut generated = Vec::new();
    let mut results = Vec::new();
    for case in cases.iter().filter(|c| only.is_none_or(|o| c.name == o)) {
        let started = std::time::Instant::now();
        let catalog = remote_catalog(&case.folder);
        let builder = Builder::new()
            .wsdl(&case.main_file)
            .emit_rerun_if_changed(false)
            .with_catalog(catalog);
        // Generation must never panic; catch one so it is reported as a failure, not a crash.
        let rendered = std::panic::catch_unwind(|| builder.render());
        let outcome = match rendered {
            Err(_) => Some(Outcome::GenerateError("panic during generation".into())),
            Ok(Err(e)) => {
                let msg = e.to_string();
                Some(if msg.contains("unsupported: ") {
                    Outcome::Unsupported(msg)
                } else {
                    Outcome::GenerateError(msg)
                })
            }
            Ok(Ok(modules)) => {
                let crate_name = format!("case_{}", crate::names::snake(&case.name));
                let dir = scratch.join(&crate_name);
                std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                let mut lib = String::from("#![allow(missing_docs)]\n");
                let mut bytes = 0;
                for m in &modules {
                    bytes += m.code.len();
                    std::fs::write(dir.join(format!("{}.rs", m.name)), &m.code)
                        .map_err(|e| e.to_string())?;
                    let _ = writeln!(lib, "pub mod {0} {{ include!(\"{0}.rs\"); }}", m.name);
                }
                std::fs::write(dir.join("lib.rs"), lib).map_err(|e| e.to_string())?;
                std::fs::write(
                    dir.join("Cargo.toml"),
                    scratch_manifest(&crate_name, &runtime),
                )
                .map_err(|e| e.to_string())?;
                members.push(crate_name.clone());
                generated.push((results.len(), crate_name, bytes));
                None
            }
        };
        results.push(CaseResult {
            case: case.name.clone(),
            generated_bytes: 0,
            outcome: outcome.unwrap_or(Outcome::Pass),
            seconds: started.elapsed().as_secs_f64(),
        });
    }

    let mut ws = String::from("[workspace]\nresolver = \"2\"\nmembers = [\n");
    for m in &members {
        let _ = writeln!(ws, "  \"{m}\",");
    }
    ws.push_str("]\n");
    std::fs::write(scratch.join("Cargo.toml"), ws).map_err(|e| e.to_string())?;

    for (i, crate_name, bytes) in generated {
        let started = std::time::Instant::now();
        let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args([
                "check",
                "--quiet",
                "--message-format=short",
                "-p",
                &crate_name,
            ])
            .current_dir(scratch)
            .output()
            .map_err(|e| format!("running cargo: {e}"))?;
        let r = &mut results[i];
        r.generated_bytes = bytes;
        r.seconds += started.elapsed().as_secs_f64();
        if !out.status.success() {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let first: Vec<&str> = stderr
                .lines()
                .filter(|l| l.contains("error"))
                .take(3)
                .collect();
            r.outcome = Outcome::CompileError(first.join(" | "));
        }
    }
    Ok(results)
}

/// Whether an unsupported case is one the issue allows to stay unsupported: SOAP encoding
/// (`use="encoded"`) and WSDL 2.0.
fn allowed_unsupported(outcome: &Outcome) -> bool {
    matches!(outcome, Outcome::Unsupported(m) if m.contains("use=\"encoded\"") || m.contains("WSDL 2.0"))
}

/// A one-line-per-case table, a summary, and the pass rate over the cases in scope (all cases
/// except those allowed to be unsupported: rpc/encoded and WSDL 2.0). Both rates are printed.
#[must_use]
pub fn report(results: &[CaseResult]) -> (String, f64) {
    let mut s = String::new();
    let mut pass = 0;
    let mut allowed = 0;
    for r in results {
        let (status, detail) = match &r.outcome {
            Outcome::Pass => {
                pass += 1;
                ("PASS", String::new())
            }
            Outcome::Unsupported(m) => {
                if allowed_unsupported(&r.outcome) {
                    allowed += 1;
                }
                ("UNSUPPORTED", m.clone())
            }
            Outcome::GenerateError(m) => ("GENERATE-ERROR", m.clone()),
            Outcome::CompileError(m) => ("COMPILE-ERROR", m.clone()),
        };
        let detail: String = detail.chars().take(200).collect();
        let _ = writeln!(
            s,
            "{:<40} {:<15} {:>10} B {:>7.1} s  {}",
            r.case, status, r.generated_bytes, r.seconds, detail
        );
    }
    #[allow(clippy::cast_precision_loss)]
    let rate = |n: usize, d: usize| {
        if d == 0 {
            0.0
        } else {
            100.0 * n as f64 / d as f64
        }
    };
    let in_scope = results.len() - allowed;
    let overall = rate(pass, results.len());
    let scoped = rate(pass, in_scope);
    let _ = writeln!(
        s,
        "conformance: {pass} of {} cases compile ({overall:.1}%); {allowed} are rpc/encoded or WSDL 2.0 \
         (allowed to be unsupported); {pass} of the {in_scope} in scope compile ({scoped:.1}%)",
        results.len()
    );
    (s, scoped)
}
