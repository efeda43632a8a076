//! `mesa-bench-seed N`: bulk-loads N realistic cases for the performance bench (tests/bench/).
//! A binary of its own so the bench's generator stays out of the `mesa` library and server.
use std::process::ExitCode;

use clap::Parser;

mod load;

#[derive(Parser)]
#[command(
    name = "mesa-bench-seed",
    version,
    about = "Bulk-load realistic cases for the performance bench (tests/bench/), on top of `mesa seed --demo`. Bench databases only: it takes the case tables for itself while it loads"
)]
struct Cli {
    /// How many cases to load.
    #[arg(value_name = "N")]
    cases: u64,
    /// Extra requesters to create (usernames `nombre.apellido.0001`, the demo password).
    #[arg(long, default_value_t = load::Options::default().requesters)]
    requesters: u32,
    /// Cases per INSERT; progress is logged after each.
    #[arg(long, default_value_t = load::Options::default().batch, value_parser = clap::value_parser!(u64).range(1..))]
    batch: u64,
    /// How many days back the cases go.
    #[arg(long, default_value_t = load::Options::default().days, value_parser = clap::value_parser!(u32).range(1..))]
    days: u32,
}

#[tokio::main]
async fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mesa-bench-seed: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let url = std::env::var("DATABASE_URL").ok().filter(|u| !u.trim().is_empty()).ok_or_else(|| anyhow::anyhow!("DATABASE_URL is required (postgres://user@host:port/db)"))?;
    mesa::db::migrate(&url).await?;
    let pool = mesa::db::connect(&url, 1);
    let mut conn = pool.get().await?;
    let options = load::Options { requesters: cli.requesters, batch: cli.batch, days: cli.days, ..Default::default() };
    load::load(&mut conn, cli.cases, &options).await
}
