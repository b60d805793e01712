use clap::Parser;

fn main() {
    let cli = choucha::cli::Cli::parse();
    let lang = cli.lang;
    match choucha::cli::run(cli) {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("{}: {e:#}", lang.pick("错误", "error"));
            std::process::exit(1);
        }
    }
}
