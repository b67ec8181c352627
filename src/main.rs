//! `huurtoezicht`: runs the API server (default), creates the first admin, prints the OpenAPI
//! document, or fills a demo database.
//!
//! Exit codes: 0 success; 2 a configuration error (one line naming the variable; also clap's
//! usage errors); 1 any other failure (database unreachable, port taken, …).

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use huurtoezicht::clock::Clock;
use huurtoezicht::config::{Config, ConfigError};

#[derive(Parser)]
#[command(name = "huurtoezicht", version, about = "Wet goed verhuurderschap API")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the API server (the default).
    Serve,
    /// Manage admin accounts.
    Admin {
        #[command(subcommand)]
        action: AdminAction,
    },
    /// Print the OpenAPI document (as committed in openapi/openapi.json).
    Openapi,
    /// Fill the configured database with a demo municipality and print the accounts to log in with.
    Demo,
}

#[derive(Subcommand)]
enum AdminAction {
    /// Create an admin account; the password is read from a prompt, or from stdin when piped.
    Create {
        #[arg(long)]
        email: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::Openapi) = cli.command {
        print!("{}", huurtoezicht::openapi::document_json());
        return ExitCode::SUCCESS;
    }
    let (config, unread) = match huurtoezicht::config::unread::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("huurtoezicht: {e}");
            return ExitCode::from(2);
        }
    };
    huurtoezicht::telemetry::init(config.json_logs);
    for u in unread {
        match u.did_you_mean {
            Some(meant) => tracing::warn!(
                "{} is set but is not read by this configuration; did you mean {meant}?",
                u.name
            ),
            None => tracing::warn!("{} is set but is not read by this configuration; it is ignored", u.name),
        }
    }
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("huurtoezicht: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = rt.block_on(async move {
        match cli.command {
            None | Some(Command::Serve) => serve(config).await,
            Some(Command::Admin { action: AdminAction::Create { email } }) => {
                create_admin(config, &email).await
            }
            Some(Command::Openapi) => Ok(()),
            Some(Command::Demo) => demo(config).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("huurtoezicht: {e:#}");
            if e.chain().any(|cause| cause.is::<ConfigError>()) {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let drain = config.server.shutdown_drain;
    let ip = config.bind.ip();
    let clock = Clock::system();
    let app = huurtoezicht::build(config.clone(), clock.clone()).await?;
    let bind = std::net::SocketAddr::new(ip, app.port);
    tracing::info!(%bind, port = app.port, "Huurtoezicht listening");
    huurtoezicht::banner::log(&config, bind, &app.db, &clock).await;
    huurtoezicht::shutdown::serve(app, drain).await
}

async fn demo(config: Config) -> anyhow::Result<()> {
    match huurtoezicht::demo::run(&config, &Clock::system()).await? {
        huurtoezicht::demo::Outcome::Written(text) | huurtoezicht::demo::Outcome::AlreadyThere(text) => {
            print!("{text}")
        }
    }
    Ok(())
}

async fn create_admin(config: Config, email: &str) -> anyhow::Result<()> {
    let password = if std::io::stdin().is_terminal() {
        rpassword::prompt_password("Password for the new admin: ")?
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_string()
    };
    let db = huurtoezicht::cli::open_database(&config)?;
    let passwords = huurtoezicht::http::passwords::PasswordPool::from_settings(&config.resources)?;
    huurtoezicht::cli::create_admin(&db, &Clock::system(), &passwords, email, &password, false).await?;
    println!("admin {email} created");
    Ok(())
}
