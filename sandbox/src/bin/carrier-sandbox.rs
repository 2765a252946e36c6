//! `carrier-sandbox --port 8080 [--seed N] [--start 2026-12-01T09:00]`: serves the sandbox
//! until Ctrl-C; `--start` sets the simulated calendar's start (Moscow local time).

use sandbox::{Config, Sandbox};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut config = Config::default();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--port" => {
                config.port = args
                    .next()
                    .and_then(|p| p.parse().ok())
                    .ok_or_else(|| std::io::Error::other("--port needs a number"))?;
            }
            "--seed" => {
                config.seed = args
                    .next()
                    .and_then(|p| p.parse().ok())
                    .ok_or_else(|| std::io::Error::other("--seed needs a number"))?;
            }
            "--start" => {
                config.start = args
                    .next()
                    .and_then(|s| chrono::NaiveDateTime::parse_from_str(&s, "%Y-%m-%dT%H:%M").ok())
                    .ok_or_else(|| std::io::Error::other("--start needs YYYY-MM-DDTHH:MM"))?;
            }
            other => return Err(std::io::Error::other(format!("unknown argument `{other}`"))),
        }
    }
    let (number, key) = (config.client_number, config.client_key.clone());
    let (addr, handle) = Sandbox::start(config).await?;
    println!(
        "DPD sandbox on http://{addr}/services/{{geography2,calculator2,order2,tracing,\
         tracing1-1,nl,label-print,inquiry-desk}}"
    );
    println!("credentials: clientNumber={number} clientKey={key}");
    tokio::signal::ctrl_c().await?;
    handle.stop();
    Ok(())
}
