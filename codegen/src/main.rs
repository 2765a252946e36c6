//! `codegen`: generate Rust clients from WSDL/XSD, or check them, from the command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use soap_codegen::Builder;

/// Generate typed async Rust clients from WSDL 1.1 + XSD.
///
/// Remote schema locations (`http://…?xsd=1`) resolve to local files through an XML catalog
/// (`catalog.xml` next to the WSDL, or `--catalog`); nothing is fetched while generating.
#[derive(Debug, Parser)]
#[command(name = "codegen", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate Rust code: one module per WSDL file.
    ///
    /// Example: `codegen generate wsdl/dpd --out src/generated` writes one `<service>.rs` per
    /// WSDL and `_all.rs` declaring them; with `--out file.rs` and a single WSDL, one file.
    Generate {
        /// WSDL files or folders (searched recursively for *.wsdl).
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Output folder, or a `.rs` file when exactly one module is generated.
        #[arg(short, long)]
        out: PathBuf,
        /// Extra XML catalog files mapping remote locations to local files.
        #[arg(short, long)]
        catalog: Vec<PathBuf>,
        /// Path of the runtime crate in generated code.
        #[arg(long, default_value = "::soap_runtime")]
        runtime_path: String,
    },
    /// Generate every case of a WSDL/XSD corpus (`INDEX.tsv` + one folder per case) and
    /// type-check each result with `cargo check`; prints one line per case and the pass rate.
    Conformance {
        /// The corpus folder (with `INDEX.tsv`).
        corpus: PathBuf,
        /// Scratch folder for the generated crates (kept for inspection).
        #[arg(long, default_value = "target/conformance")]
        scratch: PathBuf,
        /// The `soap-runtime` crate the generated code compiles against.
        #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../runtime"))]
        runtime: PathBuf,
        /// Run only this case.
        #[arg(long)]
        only: Option<String>,
        /// Exit with failure when fewer than this percentage of the cases in scope compile
        /// (cases refused as rpc/encoded or WSDL 2.0, which may stay unsupported, are not in scope).
        #[arg(long, default_value_t = 0.0)]
        min_pass_rate: f64,
    },
    /// Download a WSDL and everything it imports (WSDLs and XSDs, transitively) into a folder,
    /// byte for byte, and map the imported URLs to the local files in its `catalog.xml`.
    ///
    /// Example: `codegen fetch 'http://ws.dpd.ru/services/geography2?wsdl' --into wsdl/dpd/geography2`.
    /// All or nothing: on any error the folder is left as it was. Unchanged files are not
    /// rewritten. Files the new set no longer uses are listed, never deleted.
    #[cfg(feature = "fetch")]
    Fetch {
        /// URL of the WSDL (or XSD), e.g. `http://ws.dpd.ru/services/geography2?wsdl`.
        url: String,
        /// Target folder (created if missing).
        #[arg(long)]
        into: PathBuf,
        /// Most documents to download.
        #[arg(long, default_value_t = 200)]
        max_documents: usize,
        /// Largest accepted document, in bytes.
        #[arg(long, default_value_t = 16 * 1024 * 1024)]
        max_bytes: u64,
        /// Timeout per request, in seconds.
        #[arg(long, default_value_t = 60)]
        timeout: u64,
    },
    /// Report the change in the generated Rust API between two WSDL sets, classified as
    /// breaking or compatible (see `soap_codegen::diff` for the rules).
    ///
    /// Examples: `codegen diff old/geography wsdl/dpd/geography2`;
    /// `codegen diff --git HEAD~1..HEAD wsdl/dpd` (two revisions);
    /// `codegen diff --git origin/main wsdl/dpd` (a revision against the working tree).
    /// Exit code: 0 = nothing that `--fail-on` selects, 1 = changes selected by `--fail-on`
    /// found, 2 = error.
    Diff {
        /// Old and new WSDL file or folder; with `--git`, the one path to compare.
        #[arg(required = true, num_args = 1..=2)]
        paths: Vec<PathBuf>,
        /// Compare `<path>` between two git revisions `rev1..rev2` (or `rev1` against the
        /// working tree).
        #[arg(long, value_name = "REV1..REV2")]
        git: Option<String>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// Which changes make the exit code 1.
        #[arg(long, value_enum, default_value_t = FailOn::Breaking)]
        fail_on: FailOn,
    },
    /// Parse and resolve everything and report problems, writing nothing.
    Check {
        /// WSDL files or folders (searched recursively for *.wsdl).
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Extra XML catalog files mapping remote locations to local files.
        #[arg(short, long)]
        catalog: Vec<PathBuf>,
    },
}

/// Writes to stdout; a closed pipe (`codegen diff | head`) is not an error.
fn print_out(text: &str) -> Result<(), String> {
    use std::io::Write as _;
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(format!("stdout: {e}")),
        _ => Ok(()),
    }
}

/// Which changes `codegen diff` treats as a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FailOn {
    /// Breaking changes only (the default: compatible changes pass CI).
    Breaking,
    /// Any change, compatible or breaking.
    Any,
    /// Never: always exit 0 unless an error occurs.
    Never,
}

/// `codegen diff`: exit 0, 1 (changes selected by `--fail-on`) or 2 (error).
fn diff(paths: &[PathBuf], git: Option<&str>, json: bool, fail_on: FailOn) -> Result<bool, String> {
    let report = match (git, paths) {
        (Some(range), [path]) => {
            soap_codegen::diff::diff_git(std::path::Path::new("."), range, path)
        }
        (Some(_), _) => return Err("with --git, give exactly one path".to_owned()),
        (None, [old, new]) => soap_codegen::diff::diff_paths(old, new),
        (None, _) => return Err("give the old and the new WSDL file or folder".to_owned()),
    }
    .map_err(|e| e.to_string())?;
    let text = if json {
        report.to_json().map_err(|e| e.to_string())? + "\n"
    } else {
        report.to_string()
    };
    print_out(&text)?;
    Ok(match fail_on {
        FailOn::Breaking => report.has_breaking(),
        FailOn::Any => !report.is_empty(),
        FailOn::Never => false,
    })
}

fn builder(inputs: Vec<PathBuf>, catalogs: Vec<PathBuf>) -> Builder {
    let mut b = Builder::new().emit_rerun_if_changed(false);
    for i in inputs {
        b = b.wsdl(i);
    }
    for c in catalogs {
        b = b.catalog(c);
    }
    b
}

fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Generate {
            inputs,
            out,
            catalog,
            runtime_path,
        } => {
            let b = builder(inputs, catalog).runtime_path(runtime_path);
            if out.extension().is_some_and(|e| e == "rs") {
                let modules = b.render().map_err(|e| e.to_string())?;
                let [m] = modules.as_slice() else {
                    return Err(format!(
                        "{} modules generated; give a folder to --out to write them all",
                        modules.len()
                    ));
                };
                std::fs::write(&out, &m.code).map_err(|e| format!("{}: {e}", out.display()))?;
                eprintln!("wrote {} ({} bytes)", out.display(), m.code.len());
            } else {
                let modules = b.out_dir(&out).generate().map_err(|e| e.to_string())?;
                for m in &modules {
                    eprintln!(
                        "wrote {}/{}.rs ({} bytes)",
                        out.display(),
                        m.name,
                        m.code.len()
                    );
                }
            }
            Ok(())
        }
        Command::Conformance {
            corpus,
            scratch,
            runtime,
            only,
            min_pass_rate,
        } => {
            let results =
                soap_codegen::conformance::run(&corpus, &scratch, &runtime, only.as_deref())?;
            let (table, rate) = soap_codegen::conformance::report(&results);
            print!("{table}");
            if rate < min_pass_rate {
                return Err(format!(
                    "pass rate {rate:.1}% is below the required {min_pass_rate}%"
                ));
            }
            Ok(())
        }
        #[cfg(feature = "fetch")]
        Command::Fetch {
            url,
            into,
            max_documents,
            max_bytes,
            timeout,
        } => {
            let options = soap_codegen::fetch::FetchOptions {
                max_documents,
                max_bytes,
                timeout: std::time::Duration::from_secs(timeout),
                ..Default::default()
            };
            let report =
                soap_codegen::fetch::fetch(&url, &into, &options).map_err(|e| e.to_string())?;
            let mut text = String::new();
            for d in &report.documents {
                text.push_str(&format!(
                    "{:<9} {}/{} <- {}\n",
                    d.status,
                    into.display(),
                    d.file,
                    d.url
                ));
            }
            if let Some(status) = report.catalog {
                text.push_str(&format!(
                    "{status:<9} {}/{}\n",
                    into.display(),
                    soap_codegen::fetch::CATALOG_FILE
                ));
            }
            for s in &report.stale {
                text.push_str(&format!(
                    "stale     {}/{s} (not used by the fetched set; delete it if it is obsolete)\n",
                    into.display()
                ));
            }
            for w in &report.warnings {
                text.push_str(&format!("warning: {w}\n"));
            }
            if !report.changed() {
                text.push_str("nothing changed\n");
            }
            print_out(&text)
        }
        // Handled in `main` (its own exit codes).
        Command::Diff { .. } => Ok(()),
        Command::Check { inputs, catalog } => {
            let modules = builder(inputs, catalog)
                .render()
                .map_err(|e| e.to_string())?;
            for m in &modules {
                println!("ok: {} -> module `{}`", m.wsdl.display(), m.name);
                for w in &m.warnings {
                    println!("warning: {w}");
                }
            }
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Diff {
        paths,
        git,
        json,
        fail_on,
    } = &cli.command
    {
        return match diff(paths, git.as_deref(), *json, *fail_on) {
            Ok(false) => ExitCode::SUCCESS,
            Ok(true) => ExitCode::from(1),
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        };
    }
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
