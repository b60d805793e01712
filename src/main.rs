use clap::Parser;

// Imports hand millions of small strings from the reading thread to the writing one; glibc's
// allocator spends a third of the time on that, mimalloc a fraction of it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // `choucha plan show 1 | head` should end quietly, as other command-line tools do, instead
    // of panicking when the reader goes away: restore the default SIGPIPE action.
    #[cfg(unix)]
    // SAFETY: called before any other thread exists; SIG_DFL is a valid disposition.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
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
