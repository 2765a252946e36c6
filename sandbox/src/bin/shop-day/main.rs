//! `shop-day`: a shop's day with the real DPD and CDEK clients against the in-process
//! carrier sandbox, offline.
//!
//! Every call goes over HTTP on 127.0.0.1 through `dpd_client::DpdClient` and
//! `cdek_client::CdekClient`, the same code a shop runs against the carriers: quote → create
//! orders → print labels to files → track until delivered → reports → cancel one order.
//! Time is the sandbox's simulated clock, so the day takes seconds. Files are written to
//! `$CARGO_TARGET_DIR/shop-day` (default `target/shop-day`).

use std::path::PathBuf;
use std::process::ExitCode;

use sandbox::{Config, Sandbox};

mod cdek;
mod dpd;
mod print;

/// Every step reports its failure as text; the day stops at the first one.
pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

async fn run() -> Result<()> {
    let (addr, handle) = Sandbox::start(Config::default()).await?;
    let base_url = format!("http://{addr}");
    let out = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| PathBuf::from("target"), PathBuf::from)
        .join("shop-day");
    println!(
        "Carrier sandbox listening on {base_url}; files go to {}",
        out.display()
    );

    println!("\n== DPD ==");
    dpd::day(&handle, &base_url, &out).await?;
    println!("\n== CDEK ==");
    cdek::day(&handle, &base_url, &out).await?;
    handle.stop();
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => {
            println!("\nshop day finished");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("shop day failed: {e}");
            ExitCode::FAILURE
        }
    }
}
