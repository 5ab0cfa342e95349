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
}

impl Command {
    pub fn run(self) -> ExitCode {
        let Command::Parse { file } = self;
        let body = match read_input(&file) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("fenestra webhook parse: cannot read {file}: {e}");
                return ExitCode::from(2);
            }
        };
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
