//! The configurable entry point: inputs, catalog, output, options → generated modules.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;

use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::model::Definitions;
use crate::{client, names, server, wsdl, xsd};

/// One generated Rust module: the types and clients of one WSDL document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedModule {
    /// The module name (`snake_case`, from the first service's name unless overridden).
    pub name: String,
    /// The WSDL file it was generated from.
    pub wsdl: PathBuf,
    /// Formatted Rust source.
    pub code: String,
    /// Every local file read to produce it (WSDLs, XSDs, catalogs).
    pub inputs: Vec<PathBuf>,
    /// Things that were skipped on purpose (e.g. a port with an unsupported binding whose
    /// port type is also bound by a supported one).
    pub warnings: Vec<String>,
}

/// Configures and runs code generation; see the [crate docs](crate) for an example.
///
/// Every WSDL file becomes one module (`<name>.rs` in the output folder), because
/// separate services declare types with the same names in different namespaces.
#[derive(Debug, Clone)]
#[must_use]
pub struct Builder {
    inputs: Vec<PathBuf>,
    catalogs: Vec<PathBuf>,
    catalog: Catalog,
    out_dir: Option<PathBuf>,
    runtime_path: String,
    emit_rerun_if_changed: bool,
    module_names: BTreeMap<PathBuf, String>,
    include_file: Option<String>,
    server: bool,
}

impl Default for Builder {
    fn default() -> Self {
        Self::new()
    }
}

impl Builder {
    /// A builder with no inputs, output to `$OUT_DIR`, runtime at `::soap_runtime`.
    pub fn new() -> Self {
        Self {
            inputs: Vec::new(),
            catalogs: Vec::new(),
            catalog: Catalog::new(),
            out_dir: None,
            runtime_path: "::soap_runtime".to_owned(),
            emit_rerun_if_changed: true,
            module_names: BTreeMap::new(),
            include_file: Some("_all.rs".to_owned()),
            server: false,
        }
    }

    /// Adds a WSDL file, or a folder searched recursively for `*.wsdl` files. An XSD file
    /// (`*.xsd`) given here becomes a module of types only.
    pub fn wsdl(mut self, path: impl Into<PathBuf>) -> Self {
        self.inputs.push(path.into());
        self
    }

    /// Adds an XML catalog mapping remote schema/WSDL locations to local files. A
    /// `catalog.xml` or `jax-ws-catalog.xml` next to a WSDL is always used; this adds more.
    pub fn catalog(mut self, path: impl Into<PathBuf>) -> Self {
        self.catalogs.push(path.into());
        self
    }

    /// Adds catalog entries built in code (see [`Catalog::with_mapping`]).
    pub fn with_catalog(mut self, catalog: Catalog) -> Self {
        self.catalog.extend(catalog);
        self
    }

    /// Where to write the generated files. Default: the `OUT_DIR` environment variable.
    pub fn out_dir(mut self, path: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(path.into());
        self
    }

    /// The path generated code uses to reach the runtime crate. Default: `::soap_runtime`.
    pub fn runtime_path(mut self, path: impl Into<String>) -> Self {
        self.runtime_path = path.into();
        self
    }

    /// Whether [`generate`](Self::generate) prints `cargo:rerun-if-changed` for every input
    /// file read. Default: `true` (meant for build scripts).
    pub fn emit_rerun_if_changed(mut self, yes: bool) -> Self {
        self.emit_rerun_if_changed = yes;
        self
    }

    /// Names the module generated from WSDL file `wsdl` (default: the first service's name
    /// in `snake_case`). Use it to keep two versions of one service side by side.
    pub fn module_name(mut self, wsdl: impl Into<PathBuf>, name: impl Into<String>) -> Self {
        self.module_names.insert(wsdl.into(), name.into());
        self
    }

    /// Name of the file that declares every generated module (`pub mod x { include!(…) }`),
    /// or `None` for no such file. Default: `_all.rs`.
    pub fn include_file(mut self, name: Option<&str>) -> Self {
        self.include_file = name.map(str::to_owned);
        self
    }

    /// Whether to also render, per SOAP port, a server trait and dispatcher (see
    /// [`server`]); generated code then needs `soap-runtime`'s `server`
    /// feature. Default: `false`.
    pub fn server(mut self, yes: bool) -> Self {
        self.server = yes;
        self
    }

    /// The WSDL files the inputs stand for, sorted.
    fn wsdl_files(&self) -> Result<Vec<PathBuf>> {
        let mut files = Vec::new();
        for input in &self.inputs {
            if input.is_dir() {
                collect_wsdls(input, &mut files)?;
            } else {
                files.push(input.clone());
            }
        }
        files.sort();
        files.dedup();
        Ok(files)
    }

    /// Generates every module in memory, without writing anything.
    ///
    /// # Errors
    /// The first input that cannot be read, parsed, resolved or rendered.
    pub fn render(&self) -> Result<Vec<GeneratedModule>> {
        let mut catalog = self.catalog.clone();
        for c in &self.catalogs {
            catalog.merge_file(c)?;
        }
        let runtime: syn::Path = syn::parse_str(&self.runtime_path).map_err(|e| Error::Schema {
            message: format!(
                "runtime path `{}` is not a Rust path: {e}",
                self.runtime_path
            ),
        })?;
        let mut loaded = Vec::new();
        for file in self.wsdl_files()? {
            let defs = wsdl::load(std::slice::from_ref(&file), &catalog)?;
            // A WSDL without services is only imported by others and rendered as part of them;
            // a schema given as an input becomes a module of types.
            if defs.services.is_empty() && !is_schema_file(&file) {
                continue;
            }
            loaded.push((file, defs));
        }
        let module_names = self.module_names_for(&loaded)?;
        let mut modules: Vec<GeneratedModule> = Vec::new();
        for ((file, defs), name) in loaded.into_iter().zip(module_names) {
            let code = render_definitions(&defs, &file, &runtime, self.server)?;
            let mut inputs = defs.files.clone();
            inputs.extend(self.catalogs.iter().cloned());
            inputs.sort();
            inputs.dedup();
            modules.push(GeneratedModule {
                name,
                wsdl: file,
                code,
                inputs,
                warnings: defs.warnings.clone(),
            });
        }
        Ok(modules)
    }

    /// Module names: explicit ones first; otherwise the first service's name in `snake_case`,
    /// and when two WSDLs share it (two versions of one service side by side) each gets the
    /// last segment of its target namespace appended (`…_2015_05_20`).
    fn module_names_for(&self, loaded: &[(PathBuf, Definitions)]) -> Result<Vec<String>> {
        let base: Vec<String> = loaded
            .iter()
            .map(
                |(file, defs)| match (self.module_names.get(file), defs.services.first()) {
                    (Some(n), _) => n.clone(),
                    (None, Some(service)) => names::snake(&service.name),
                    (None, None) => {
                        names::snake(&file.file_stem().unwrap_or_default().to_string_lossy())
                    }
                },
            )
            .collect();
        let mut out = Vec::with_capacity(base.len());
        for (i, (file, defs)) in loaded.iter().enumerate() {
            let clashes = base.iter().filter(|b| **b == base[i]).count() > 1;
            if clashes && !self.module_names.contains_key(file) {
                let ns = defs
                    .services
                    .first()
                    .map(|s| s.target_ns.clone())
                    .or_else(|| defs.schemas.first().and_then(|s| s.target_ns.clone()))
                    .unwrap_or_default();
                let ns = &ns;
                let last = ns
                    .trim_end_matches('/')
                    .rsplit(['/', ':'])
                    .next()
                    .unwrap_or(ns);
                out.push(format!(
                    "{}_{}",
                    base[i],
                    names::snake(last).trim_start_matches('_')
                ));
            } else {
                out.push(base[i].clone());
            }
        }
        for (i, name) in out.iter().enumerate() {
            if let Some(j) = out[..i].iter().position(|n| n == name) {
                return Err(Error::Schema {
                    message: format!(
                        "`{}` and `{}` would both generate module `{name}`; name one with `module_name`",
                        loaded[j].0.display(),
                        loaded[i].0.display()
                    ),
                });
            }
        }
        Ok(out)
    }

    /// Generates every module and writes `<module>.rs` (and the include file) to the output
    /// folder, rewriting a file only when its content changed.
    ///
    /// # Errors
    /// See [`render`](Self::render); also an unset `OUT_DIR` or an unwritable folder.
    pub fn generate(&self) -> Result<Vec<GeneratedModule>> {
        let out_dir = match &self.out_dir {
            Some(d) => d.clone(),
            None => std::env::var_os("OUT_DIR").map(PathBuf::from).ok_or_else(|| Error::Schema {
                message: "OUT_DIR is not set: call `out_dir(..)` when not running from a build script".into(),
            })?,
        };
        if self.emit_rerun_if_changed {
            for input in &self.inputs {
                println!("cargo:rerun-if-changed={}", input.display());
            }
        }
        let modules = self.render()?;
        std::fs::create_dir_all(&out_dir).map_err(|source| Error::Io {
            path: out_dir.clone(),
            source,
        })?;
        for m in &modules {
            if self.emit_rerun_if_changed {
                for f in &m.inputs {
                    println!("cargo:rerun-if-changed={}", f.display());
                }
                for w in &m.warnings {
                    println!("cargo:warning={w}");
                }
            }
            write_if_changed(&out_dir.join(format!("{}.rs", m.name)), &m.code)?;
        }
        if let Some(include) = &self.include_file {
            write_if_changed(&out_dir.join(include), &include_file(&modules))?;
        }
        Ok(modules)
    }
}

/// An XSD given directly as an input (`*.xsd`).
fn is_schema_file(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xsd"))
}

fn collect_wsdls(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
        path: dir.to_owned(),
        source,
    })?;
    for entry in entries {
        let path = entry
            .map_err(|source| Error::Io {
                path: dir.to_owned(),
                source,
            })?
            .path();
        if path.is_dir() {
            collect_wsdls(&path, out)?;
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("wsdl"))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// The include file: one `pub mod` per generated module.
fn include_file(modules: &[GeneratedModule]) -> String {
    let mut s = String::from(HEADER);
    for m in modules {
        s.push_str(&format!(
            "\n/// Types and clients generated from `{file}`.\npub mod {name} {{\n    include!(\"{name}.rs\");\n}}\n",
            name = m.name,
            file = m.wsdl.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default(),
        ));
    }
    s
}

const HEADER: &str =
    "// @generated by soap-codegen. Do not edit: change the WSDL/XSD and rebuild.\n";

fn write_if_changed(path: &Path, content: &str) -> Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == content) {
        return Ok(());
    }
    std::fs::write(path, content).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })
}

/// Renders and formats the module for one loaded WSDL document.
fn render_definitions(
    defs: &Definitions,
    wsdl: &Path,
    runtime: &syn::Path,
    with_server: bool,
) -> Result<String> {
    let types = xsd::generate(&defs.schemas, &defs.catalog, &xsd::TypesOptions::default())?;
    let mut clients = TokenStream::new();
    for service in &defs.services {
        clients.extend(client::render_service(service, &types)?);
    }
    if with_server {
        for service in &defs.services {
            clients.extend(server::render_service(service, &types)?);
        }
    }
    let types_tokens = &types.tokens;
    let file_name = wsdl
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tokens = quote! {
        #[allow(unused_imports)]
        use #runtime::codegen as _rt;

        #types_tokens

        #clients
    };
    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::Schema {
        message: format!("generated code for `{file_name}` does not parse (a generator bug): {e}"),
    })?;
    Ok(format!(
        "{HEADER}// Source: {file_name}\n\n{}",
        prettyplease::unparse(&file)
    ))
}
