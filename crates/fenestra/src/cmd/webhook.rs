use std::io::{Read, Write};
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Print the events in one webhook body as JSON lines.
    ///
    /// Reads the full `{"object":"page","entry":[…]}` envelope from FILE (or `-` for stdin) and
    /// prints one line per event: {"kind","page_id","sender","time",…}. Kinds this version does
    /// not know are printed as `unknown` with the reason. Exit 0 for any envelope; 2 when the
    /// body is not JSON or not an envelope.
    Parse {
        /// A file with the body, or `-` for standard input.
        file: String,
    },
    /// Print the X-Hub-Signature-256 header value Meta would send with a body.
    ///
    /// Example: curl localhost:8080/webhook -d @body.json \
    ///   -H "X-Hub-Signature-256: $(fenestra webhook sign body.json)"
    Sign {
        /// A file with the body, or `-` for standard input.
        file: String,
        /// The app secret that keys the HMAC.
        #[arg(long, env = "FENESTRA_APP_SECRET", hide_env_values = true)]
        app_secret: String,
    },
}

impl Command {
    pub fn run(self) -> ExitCode {
        let file = match &self {
            Command::Parse { file } | Command::Sign { file, .. } => file.clone(),
        };
        let body = match read_input(&file) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("fenestra webhook: cannot read {file}: {e}");
                return ExitCode::from(2);
            }
        };
        if let Command::Sign { app_secret, .. } = self {
            println!(
                "{}",
                messenger::signature::sign(app_secret.as_bytes(), &body)
            );
            return ExitCode::SUCCESS;
        }
        match messenger::parse_body(&body) {
            Ok(events) => {
                let mut out = std::io::stdout().lock();
                for event in events {
                    let _ = writeln!(out, "{}", event.to_json());
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("fenestra webhook parse: {file}: {e}");
                ExitCode::from(2)
            }
        }
    }
}

/// The bytes of FILE, or of standard input for `-`.
pub fn read_input(file: &str) -> std::io::Result<Vec<u8>> {
    if file == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf)?;
        Ok(buf)
    } else {
        std::fs::read(file)
    }
}
