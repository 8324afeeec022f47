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
    /// Blacklist a refresh token once it was used (SimpleJWT's BLACKLIST_AFTER_ROTATION;
    /// off by default, as in SimpleJWT).
    #[arg(long)]
    blacklist_after_rotation: bool,
    /// Reproduce production's `?user_id=` socket fallback (a hole: never on a reachable host).
    #[arg(long)]
    user_id_query_hole: bool,
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
        blacklist_after_rotation: args.blacklist_after_rotation,
        user_id_query_hole: args.user_id_query_hole,
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
    if options.blacklist_after_rotation {
        eprintln!("dev-backend: refresh tokens are blacklisted after rotation");
    }
    for warning in exposure_warnings(&options) {
        eprintln!("dev-backend: WARNING: {warning}");
    }
    let state = server.state.clone();
    shutdown_signal().await;
    eprintln!("dev-backend: shutting down");
    state.hub.close_all(1001);
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    server.stop();
}

/// What is reachable beyond this machine that should not be.
fn exposure_warnings(options: &Options) -> Vec<String> {
    if dev_backend::is_loopback_host(&options.host) {
        return Vec::new();
    }
    let mut warnings = vec![format!(
        "listening on {} (beyond loopback): anyone who can reach it can sign in with the seeded \
         users' published passwords",
        options.host
    )];
    if options.control {
        warnings.push(
            "--control on a non-loopback --host: /test/ still answers only loopback callers \
             naming a loopback Host, but do not run the control API on a shared network"
                .into(),
        );
    }
    if options.user_id_query_hole {
        warnings.push(
            "--user-id-query-hole on a non-loopback --host: anyone who can reach this port can \
             open any user's notification socket with ?user_id="
                .into(),
        );
    }
    warnings
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
