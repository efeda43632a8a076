use std::net::TcpListener;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use mesa::auth::password;
use mesa::config::{Config, ConfigError};
use mesa::users::domain::{normalize_username, validate_username, AuthSource, Role};
use mesa::users::queries::{upsert_local, NewUser};
use mesa::{db, seed, startup, state::AppState};

#[derive(Parser)]
#[command(name = "mesa", version, about = "Mesa service desk: API server and administration commands")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Apply pending migrations, then serve the API (and the SPA when MESA_SPA_DIR is set).
    Serve,
    /// Run only the background jobs (SLA checks, recomputations, mail); any number may run.
    Worker,
    /// Recompute every case's SLA due dates now (as after a calendar change), logging progress.
    RecomputeSla,
    /// Apply pending database migrations.
    Migrate,
    /// Load the demo data into the database (bench cases: the `mesa-bench-seed` binary).
    Seed {
        /// Demo organizations and accounts for every role (password in README).
        #[arg(long, required = true)]
        demo: bool,
    },
    /// Print the OpenAPI document (JSON) to stdout.
    Openapi,
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a local account, or reset its password and role if it exists.
    Create {
        #[arg(long)]
        username: String,
        #[arg(long, env = "MESA_NEW_USER_PASSWORD", hide_env_values = true)]
        password: String,
        /// requester, agent, supervisor or admin
        #[arg(long, default_value = "admin")]
        role: Role,
        #[arg(long)]
        display_name: Option<String>,
        #[arg(long)]
        email: Option<String>,
    },
}

fn database_url() -> Result<String, ConfigError> {
    let url = std::env::var("DATABASE_URL").unwrap_or_default();
    if url.trim().is_empty() {
        return Err(ConfigError { var: "DATABASE_URL", message: "is required (postgres://user@host:port/db)".into() });
    }
    Ok(url)
}

/// The mail settings of `mesa worker` (it reads no other configuration).
fn worker_mail_env() -> Result<mesa::notify::MailEnv, ConfigError> {
    let get = |k: &str| std::env::var(k).ok();
    let public_url = mesa::config::public_url_from(&get)?;
    let settings = mesa::config::mail_settings(&get, &public_url)?;
    let env = mesa::notify::MailEnv::new(public_url, settings.mail_from, settings.smtp_url.as_ref()).map_err(|m| ConfigError { var: "MESA_SMTP_URL", message: m })?;
    // The solution mail's survey link must verify on the servers: the same secret signs it.
    let dev = get("MESA_DEV_MODE").is_some_and(|v| v == "true" || v == "1");
    let secret = match get("MESA_JWT_SECRET") {
        Some(s) if s.len() >= mesa::config::MIN_SECRET_LEN => s.into_bytes(),
        Some(_) => return Err(ConfigError { var: "MESA_JWT_SECRET", message: format!("must be at least {} characters", mesa::config::MIN_SECRET_LEN) }),
        None if dev => mesa::config::DEV_JWT_SECRET.as_bytes().to_vec(),
        None => return Err(ConfigError { var: "MESA_JWT_SECRET", message: "is required: it signs the survey links of the solution mail (or set MESA_DEV_MODE=true)".into() }),
    };
    Ok(env.with_survey_secret(&secret))
}

#[tokio::main]
async fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let cli = Cli::parse();
    match run(cli.command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if let Some(c) = e.downcast_ref::<ConfigError>() {
                eprintln!("mesa: {c}");
                return ExitCode::from(2);
            }
            eprintln!("mesa: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Openapi => {
            println!("{}", startup::openapi().to_pretty_json()?);
        }
        Command::Migrate => {
            let applied = db::migrate(&database_url()?).await?;
            log::info!("migrations applied: {}", if applied.is_empty() { "none pending".into() } else { applied.join(", ") });
        }
        Command::Seed { demo } => {
            anyhow::ensure!(demo, "nothing to seed: pass --demo");
            let url = database_url()?;
            db::migrate(&url).await?;
            let pool = db::connect(&url, 2);
            let mut conn = pool.get().await?;
            seed::demo(&mut conn).await?;
            log::info!("demo data loaded (password of the demo accounts: see README)");
        }
        Command::User { command: UserCommand::Create { username, password: pw, role, display_name, email } } => {
            let username = normalize_username(&username);
            validate_username(&username).map_err(|m| anyhow::anyhow!("--username: {m}"))?;
            password::check_strength(&pw).map_err(|m| anyhow::anyhow!("--password: {m}"))?;
            let url = database_url()?;
            db::migrate(&url).await?;
            let pool = db::connect(&url, 1);
            let mut conn = pool.get().await?;
            let hash = tokio::task::spawn_blocking(move || password::hash(&pw)).await?;
            let user = upsert_local(
                &mut conn,
                NewUser {
                    display_name: display_name.unwrap_or_else(|| username.clone()),
                    username,
                    email,
                    phone: None,
                    role,
                    auth_source: AuthSource::Local,
                    password_hash: Some(hash),
                    locale: "es-CO".into(),
                    organization_id: None,
                    area_id: None,
                    location_id: None,
                },
            )
            .await?;
            println!("user {} ({}) ready, id {}", user.username, user.role, user.id);
        }
        Command::Worker => {
            let url = database_url()?;
            db::migrate(&url).await?;
            let pool = db::connect(&url, 4);
            let mail = worker_mail_env()?;
            // The worker reads no server settings: only what its jobs need.
            let files = mesa::config::IntakeConfig::from_env()?;
            let public_url = std::env::var("MESA_PUBLIC_URL").unwrap_or_else(|_| "http://127.0.0.1:8080".into());
            let intake = mesa::mailbox::Intake::new(&files, mesa::config::SecretLookup::env(), &public_url).map_err(|e| anyhow::anyhow!("MESA_ATTACHMENTS_DIR: {e}"))?;
            log::info!("worker running jobs");
            let services = {
                let mail = std::sync::Arc::new(mail);
                mesa::jobs::Services { mail: Some(mail.clone()), intake: Some(std::sync::Arc::new(intake.with_mail(mail))) }
            };
            mesa::jobs::run_forever(pool, services).await;
        }
        Command::RecomputeSla => {
            let url = database_url()?;
            db::migrate(&url).await?;
            let pool = db::connect(&url, 2);
            let mut conn = pool.get().await?;
            let id = mesa::jobs::enqueue_recompute(&mut conn, "mesa recompute-sla").await?;
            let started = std::time::Instant::now();
            // Run the queue here until this job is done, so it behaves exactly as in the background.
            loop {
                use diesel::prelude::*;
                use diesel_async::RunQueryDsl;
                let done: Option<chrono::DateTime<chrono::Utc>> = mesa::db::schema::jobs::table.find(id).select(mesa::db::schema::jobs::done_at).first(&mut conn).await?;
                if done.is_some() {
                    break;
                }
                if mesa::jobs::run_one(&pool, chrono::Utc::now()).await?.is_none() {
                    anyhow::bail!("the recomputation job is held by another runner; it will finish there");
                }
            }
            log::info!("SLA due dates recomputed in {:.1} s", started.elapsed().as_secs_f64());
        }
        Command::Serve => {
            let config = Config::from_env()?;
            let applied = db::migrate(&config.database_url).await?;
            if !applied.is_empty() {
                log::info!("migrations applied: {}", applied.join(", "));
            }
            // The job runner's; each HTTP worker has its own (`with_worker_pools`).
            let pool = db::connect(&config.database_url, 4);
            let listener = TcpListener::bind(config.bind).map_err(|e| anyhow::anyhow!("MESA_BIND {}: {e}", config.bind))?;
            log::info!("listening on http://{} (public URL {})", config.bind, config.public_url);
            let mail = mesa::notify::MailEnv::from_config(&config).map_err(|m| ConfigError { var: "MESA_SMTP_URL", message: m })?;
            if config.smtp_url.is_none() {
                log::warn!("MESA_SMTP_URL is not set: mail is queued in the outbox and not sent");
            }
            let intake = mesa::mailbox::Intake::from_config(&config).map_err(|e| anyhow::anyhow!("MESA_ATTACHMENTS_DIR: {e}"))?;
            let services = {
                let mail = std::sync::Arc::new(mail);
                mesa::jobs::Services { mail: Some(mail.clone()), intake: Some(std::sync::Arc::new(intake.with_mail(mail))) }
            };
            tokio::spawn(mesa::jobs::run_forever(pool.clone(), services));
            let state = AppState::new(pool, config).map_err(|e| anyhow::anyhow!("MESA_ATTACHMENTS_DIR: {e}"))?.with_worker_pools(8);
            startup::build_server(state, listener)?.await?;
        }
    }
    Ok(())
}
