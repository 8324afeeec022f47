//! `dev-backend`: run Herald's reference backend.

use std::path::PathBuf;

use clap::Parser;
use dev_backend::Options;

/// Herald's reference backend: the production contract, a test-control API and demo traffic.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Port to listen on (0: any free port; the chosen one is printed).
    #[arg(long, default_value_t = 8000)]
    port: u16,
    /// SQLite file holding users, history and the blacklist.
    #[arg(long)]
    data: Option<PathBuf>,
    /// Access token lifetime in seconds.
    #[arg(long, default_value_t = 2700)]
    access_ttl: i64,
    /// Refresh token lifetime in seconds.
    #[arg(long, default_value_t = 86400)]
    refresh_ttl: i64,
    /// Also serve the built app from this folder, with an SPA fallback.
    #[arg(long)]
    dist: Option<PathBuf>,
    /// Generate live demo traffic for every connected user.
    #[arg(long)]
    demo: bool,
    /// Enable the loopback-only test-control API under /test/.
    #[arg(long)]
    control: bool,
    /// Frames buffered per socket before new ones are dropped.
    #[arg(long, default_value_t = 100)]
    channel_capacity: usize,
    /// Do not log requests and socket events.
    #[arg(long)]
    quiet: bool,
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let defaults = Options::default();
    let options = Options {
        host: args.host,
        port: args.port,
        data: args.data.unwrap_or(defaults.data),
        access_ttl: args.access_ttl,
        refresh_ttl: args.refresh_ttl,
        dist: args.dist,
        demo: args.demo,
        control: args.control,
        channel_capacity: args.channel_capacity,
        log: !args.quiet,
    };
    let server = match dev_backend::start(options.clone()).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!(
                "dev-backend: cannot start on {}:{}: {e}",
                options.host, options.port
            );
            std::process::exit(1);
        }
    };
    // One machine-readable line for scripts that started us on port 0.
    println!("listening on {}", server.url());
    eprintln!(
        "dev-backend: data {}{}{}{}",
        options.data.display(),
        if options.control {
            ", test-control API on"
        } else {
            ""
        },
        if options.demo {
            ", demo traffic on"
        } else {
            ""
        },
        options
            .dist
            .as_ref()
            .map(|d| format!(", serving {}", d.display()))
            .unwrap_or_default(),
    );
    let state = server.state.clone();
    shutdown_signal().await;
    eprintln!("dev-backend: shutting down");
    state.hub.close_all(1001);
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    server.stop();
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(t) => t,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}
