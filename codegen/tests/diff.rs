//! `codegen diff` on realistic version pairs (fixtures under `tests/fixtures/versions/`,
//! written for this project in the shape of DPD's JAX-WS WSDL/XSD):
//! - `geography` → `geography2`: the integration guide's v1 → v2 change (namespace
//!   2012-04-17 → 2015-05-20, getTerminalsSelfDelivery → getTerminalsSelfDelivery2, new fields,
//!   new service name, new endpoint);
//! - `calculator-v1` → `calculator-v2`: same service, an operation removed, a type renamed, an
//!   optional and a required field added, a field retyped, a cardinality and a nillability
//!   change, an enumeration value added, the endpoint moved to HTTPS.

use std::path::{Path, PathBuf};
use std::process::Command;

use soap_codegen::diff::{
    api_of, diff, diff_git, diff_paths, Api, Bump, ChangeKind, Impact, MatchRule,
};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/versions")
        .join(name)
}

fn lines(list: &[(Impact, &str)]) -> Vec<(Impact, String)> {
    list.iter().map(|(i, m)| (*i, (*m).to_owned())).collect()
}

const STRUCT_LITERALS: &str =
    "(optional; breaks struct literals only, not decoding, field access or `..Default::default()`)";

#[test]
fn geography_v1_to_geography2() {
    let report = diff_paths(&fixture("geography"), &fixture("geography2")).unwrap();
    assert_eq!(report.modules.len(), 1);
    let pair = &report.modules[0];
    assert_eq!(pair.old.as_deref(), Some("dpd_geography_service"));
    assert_eq!(pair.new.as_deref(), Some("dpd_geography2_service"));
    assert_eq!(pair.rule, Some(MatchRule::SameNameWithoutVersion));
    use Impact::{Breaking as B, Compatible as C};
    let lit = |s: &str| format!("{s} {STRUCT_LITERALS}");
    let expected = [
        (B, "module renamed: dpd_geography_service -> dpd_geography2_service (DPDGeographyService.wsdl -> DPDGeography2Service.wsdl)".to_owned()),
        (B, "client renamed: DpdGeographyClient -> DpdGeography2Client".to_owned()),
        (B, "enum renamed: DpdGeographyFault -> DpdGeography2Fault".to_owned()),
        (B, lit("field added: Address.country_name: Option<String>")),
        (B, lit("field added: City.city_code: Option<String>")),
        (B, lit("field added: TerminalSelf.address: Option<Address>")),
        (B, lit("field added: TerminalSelf.geo_coordinates: Option<GeoCoordinates>")),
        (B, lit("field added: TerminalSelf.schedule: Vec<String>")),
        (B, "field removed: TerminalSelf.city: Option<City>".to_owned()),
        (B, "field removed: TerminalSelf.geo_x: Option<String>".to_owned()),
        (B, "field removed: TerminalSelf.geo_y: Option<String>".to_owned()),
        (B, "field removed: TerminalSelf.terminal_address: Option<String>".to_owned()),
        (B, "operation removed: DpdGeography2Client::get_terminals_self_delivery".to_owned()),
        (B, "struct removed: GetTerminalsSelfDeliveryResponse".to_owned()),
        // Same fields (`auth: Option<Auth>`): reported once, as a rename.
        (B, "struct renamed: GetTerminalsSelfDelivery -> GetTerminalsSelfDelivery2".to_owned()),
        // Identical once the fault enum's rename is followed.
        (B, "type alias renamed: DpdGeographyResult -> DpdGeography2Result".to_owned()),
        (C, "endpoint changed: DpdGeography2Client::DEFAULT_ENDPOINT: http://ws.dpd.ru:80/services/geography -> http://ws.dpd.ru:80/services/geography2".to_owned()),
        (C, "operation added: DpdGeography2Client::get_terminals_self_delivery2".to_owned()),
        (C, "struct added: GeoCoordinates".to_owned()),
        (C, "struct added: GetTerminalsSelfDelivery2Response".to_owned()),
        (C, "struct added: SelfTerminals".to_owned()),
    ];
    assert_eq!(report.lines(), expected.to_vec(), "{report}");
    assert_eq!(report.bump(), Bump::Major);
    // Unchanged operations whose types were only renamed are not reported.
    assert!(!report
        .lines()
        .iter()
        .any(|(_, m)| m.contains("get_cities_cash_pay") || m.contains("get_parcel_shops")));

    // The structured form carries the details.
    let added = report
        .changes
        .iter()
        .find_map(|c| match &c.kind {
            ChangeKind::OperationAdded {
                client,
                method,
                signature,
            } => Some((client, method, signature)),
            _ => None,
        })
        .unwrap();
    assert_eq!(added.0, "DpdGeography2Client");
    assert_eq!(added.1, "get_terminals_self_delivery2");
    assert_eq!(
        added.2,
        "async fn get_terminals_self_delivery2(&self, auth: impl Into<Option<Auth>>) -> DpdGeography2Result<Option<SelfTerminals>>"
    );
}

#[test]
fn calculator_v1_to_v2() {
    let report = diff_paths(&fixture("calculator-v1"), &fixture("calculator-v2")).unwrap();
    assert_eq!(report.modules.len(), 1);
    assert_eq!(report.modules[0].rule, Some(MatchRule::SameName));
    use Impact::{Breaking as B, Compatible as C};
    let expected = lines(&[
        (B, &format!("field added: ParcelInfo.length: Option<_rt::Nillable<f64>> {STRUCT_LITERALS}")),
        (B, &format!("field added: ServiceCostRequest.declared_value: Option<f64> {STRUCT_LITERALS}")),
        (B, "field added: ServiceCostRequest.pickup_date: _rt::Date (required)"),
        (B, "field cardinality/nillability changed: ServiceCostRequest.service_code: Option<String> -> Vec<String>"),
        (B, "field retyped: ParcelInfo.quantity: Option<i32> -> Option<i64>"),
        (B, "operation removed: DpdCalculatorClient::get_service_cost_by_parcels2"),
        (B, "struct removed: GetServiceCostByParcels2"),
        (B, "struct removed: GetServiceCostByParcels2Response"),
        (B, "struct removed: ServiceCostParcelsRequest"),
        (B, "struct renamed: ServiceCost -> ServiceCostResult"),
        (C, "endpoint changed: DpdCalculatorClient::DEFAULT_ENDPOINT: http://ws.dpd.ru:80/services/calculator2 -> https://ws.dpd.ru/services/calculator2"),
        (C, "variant added: Currency::Amd (the value was decoded as `Unknown` before)"),
    ]);
    assert_eq!(report.lines(), expected, "{report}");
    // get_service_cost2 now returns Vec<ServiceCostResult>: covered by the rename, not an
    // operation change.
    assert!(!report
        .lines()
        .iter()
        .any(|(_, m)| m.contains("get_service_cost2")));

    // The reverse direction: removals become additions and vice versa.
    let back = diff_paths(&fixture("calculator-v2"), &fixture("calculator-v1")).unwrap();
    let back = back.lines();
    assert!(back.contains(&(
        C,
        "operation added: DpdCalculatorClient::get_service_cost_by_parcels2".to_owned()
    )));
    assert!(back.contains(&(B, "variant removed: Currency::Amd".to_owned())));
    assert!(back.contains(&(
        B,
        "field removed: ServiceCostRequest.pickup_date: _rt::Date".to_owned()
    )));
    assert!(back.contains(&(B, "field cardinality/nillability changed: ServiceCostRequest.service_code: Vec<String> -> Option<String>".to_owned())));
    assert!(back.contains(&(
        B,
        "struct renamed: ServiceCostResult -> ServiceCost".to_owned()
    )));
}

#[test]
fn identical_sets_and_added_or_removed_modules() {
    let geo2 = api_of(&fixture("geography2")).unwrap();
    let calc = api_of(&fixture("calculator-v1")).unwrap();
    let same = diff(&geo2, &geo2);
    assert!(same.is_empty());
    assert_eq!(same.bump(), Bump::None);
    assert_eq!(same.to_string(), "no change in the generated API\n");

    let both = Api {
        modules: [calc.modules.clone(), geo2.modules.clone()].concat(),
    };
    let added = diff(&calc, &both);
    assert_eq!(
        added.lines(),
        lines(&[(
            Impact::Compatible,
            "module added: dpd_geography2_service (DPDGeography2Service.wsdl)"
        )])
    );
    assert_eq!(added.bump(), Bump::Minor);
    let removed = diff(&both, &calc);
    assert_eq!(
        removed.lines(),
        lines(&[(
            Impact::Breaking,
            "module removed: dpd_geography2_service (DPDGeography2Service.wsdl)"
        )])
    );

    // The API extraction itself: the client, its operations and endpoint, an enumeration.
    let module = &calc.modules[0];
    assert_eq!(module.name, "dpd_calculator_service");
    assert_eq!(module.wsdl, "DPDCalculatorService.wsdl");
    let client = &module.types["DpdCalculatorClient"];
    assert!(client.is_client());
    assert_eq!(
        client.consts["DEFAULT_ENDPOINT"],
        "http://ws.dpd.ru:80/services/calculator2"
    );
    let ops: Vec<&str> = client
        .methods
        .iter()
        .filter(|(_, m)| m.is_async)
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(ops, ["get_service_cost2", "get_service_cost_by_parcels2"]);
}

#[test]
fn json_report() {
    let report = diff_paths(&fixture("calculator-v1"), &fixture("calculator-v2")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&report.to_json().unwrap()).unwrap();
    assert_eq!(json["bump"], "major");
    assert_eq!(json["breaking"], 10);
    assert_eq!(json["compatible"], 2);
    let changes = json["changes"].as_array().unwrap();
    let renamed = changes
        .iter()
        .find(|c| c["kind"] == "type_renamed")
        .unwrap();
    assert_eq!(renamed["old"], "ServiceCost");
    assert_eq!(renamed["new"], "ServiceCostResult");
    assert_eq!(renamed["impact"], "breaking");
    assert_eq!(renamed["module"], "dpd_calculator_service");
    let field = changes
        .iter()
        .find(|c| c["kind"] == "field_added" && c["field"] == "declared_value")
        .unwrap();
    assert_eq!(field["optional"], true);
    assert_eq!(field["rust_type"], "Option<f64>");
    let endpoint = changes
        .iter()
        .find(|c| c["kind"] == "endpoint_changed")
        .unwrap();
    assert_eq!(endpoint["impact"], "compatible");
    assert_eq!(endpoint["new"], "https://ws.dpd.ru/services/calculator2");
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("soap-codegen-diff-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// calculator-v1 with only its endpoint changed: compatible changes only.
fn endpoint_only(dir: &Path) -> PathBuf {
    let out = dir.join("calculator-endpoint");
    copy_dir(&fixture("calculator-v1"), &out);
    let wsdl = out.join("DPDCalculatorService.wsdl");
    let text = std::fs::read_to_string(&wsdl).unwrap();
    std::fs::write(
        &wsdl,
        text.replace(
            "http://ws.dpd.ru:80/services/calculator2\"",
            "http://wstest.dpd.ru/services/calculator2\"",
        ),
    )
    .unwrap();
    out
}

#[test]
fn cli_exit_codes() {
    let codegen = env!("CARGO_BIN_EXE_codegen");
    let run = |args: &[&std::ffi::OsStr]| {
        let out = Command::new(codegen)
            .arg("diff")
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let v1 = fixture("calculator-v1");
    let v2 = fixture("calculator-v2");
    let compat = endpoint_only(&temp_dir("cli"));

    let (code, out) = run(&[v1.as_os_str(), v1.as_os_str()]);
    assert_eq!(
        (code, out.as_str()),
        (Some(0), "no change in the generated API\n")
    );

    let (code, out) = run(&[v1.as_os_str(), v2.as_os_str()]);
    assert_eq!(code, Some(1));
    assert!(
        out.starts_with(
            "module dpd_calculator_service\n  breaking:\n    ! field added: ParcelInfo.length"
        ),
        "{out}"
    );
    assert!(
        out.ends_with(
            "12 change(s): 10 breaking, 2 compatible; version bump: major (minor before 1.0)\n"
        ),
        "{out}"
    );
    let (code, _) = run(&[
        v1.as_os_str(),
        v2.as_os_str(),
        "--fail-on".as_ref(),
        "never".as_ref(),
    ]);
    assert_eq!(code, Some(0));

    // Compatible changes only: pass by default, fail with --fail-on any.
    let (code, out) = run(&[v1.as_os_str(), compat.as_os_str()]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("+ endpoint changed: DpdCalculatorClient::DEFAULT_ENDPOINT: http://ws.dpd.ru:80/services/calculator2 -> http://wstest.dpd.ru/services/calculator2"), "{out}");
    assert!(out.contains("version bump: minor"), "{out}");
    let (code, _) = run(&[
        v1.as_os_str(),
        compat.as_os_str(),
        "--fail-on".as_ref(),
        "any".as_ref(),
    ]);
    assert_eq!(code, Some(1));

    let (code, out) = run(&[v1.as_os_str(), v2.as_os_str(), "--json".as_ref()]);
    assert_eq!(code, Some(1));
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["bump"], "major");

    // Errors exit 2.
    let missing = fixture("no-such-version");
    let (code, _) = run(&[v1.as_os_str(), missing.as_os_str()]);
    assert_eq!(code, Some(2));
}

fn git(repo: &Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args([
            "-c",
            "user.name=test",
            "-c",
            "user.email=test@example.test",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

#[test]
fn git_revisions() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("git not installed: skipped");
        return;
    }
    let repo = temp_dir("git");
    git(&repo, &["init", "-q"]);
    let path = Path::new("wsdl/dpd/calculator2");
    copy_dir(&fixture("calculator-v1"), &repo.join(path));
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-qm", "v1"]);
    std::fs::remove_dir_all(repo.join(path)).unwrap();
    copy_dir(&fixture("calculator-v2"), &repo.join(path));
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "v2"]);

    let expected = diff_paths(&fixture("calculator-v1"), &fixture("calculator-v2")).unwrap();
    let report = diff_git(&repo, "HEAD~1..HEAD", path).unwrap();
    assert_eq!(report.lines(), expected.lines());

    // One revision: against the working tree.
    assert!(diff_git(&repo, "HEAD", path).unwrap().is_empty());
    let wsdl = repo.join(path).join("DPDCalculatorService.wsdl");
    let text = std::fs::read_to_string(&wsdl).unwrap();
    std::fs::write(
        &wsdl,
        text.replace(
            "https://ws.dpd.ru/services/calculator2",
            "https://ws2.dpd.ru/services/calculator2",
        ),
    )
    .unwrap();
    let report = diff_git(&repo, "HEAD", path).unwrap();
    assert_eq!(
        report.lines(),
        lines(&[(Impact::Compatible, "endpoint changed: DpdCalculatorClient::DEFAULT_ENDPOINT: https://ws.dpd.ru/services/calculator2 -> https://ws2.dpd.ru/services/calculator2")])
    );

    let err = diff_git(&repo, "HEAD~5..HEAD", path)
        .unwrap_err()
        .to_string();
    assert!(err.contains("git"), "{err}");
    let err = diff_git(&repo, "HEAD~1..HEAD", Path::new("wsdl/none"))
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "schema error: `wsdl/none` exists neither at `HEAD~1` nor at `HEAD`"
    );

    // A service that appears in a revision: every module added.
    let new_service = Path::new("wsdl/dpd/geography2");
    copy_dir(&fixture("geography2"), &repo.join(new_service));
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "geography2"]);
    let report = diff_git(&repo, "HEAD~1..HEAD", new_service).unwrap();
    assert_eq!(
        report.lines(),
        lines(&[(
            Impact::Compatible,
            "module added: dpd_geography2_service (DPDGeography2Service.wsdl)"
        )])
    );
}
