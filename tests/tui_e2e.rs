//! The real `choucha` binary in a real terminal (tmux): welcome → example data → freeze → digest
//! → draw with a typed seed → tasks → a result for task 1 (with Chinese text) → the disclosure
//! file → quit, with the terminal restored. Without tmux the test prints a note and passes.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// How long one step may take to show its text.
const STEP: Duration = Duration::from_secs(10);

/// A tmux server of our own (its own socket), killed however the test ends.
struct Tmux {
    socket: String,
    session: String,
    /// The socket file, removed at the end (tmux leaves it behind when the session ends).
    socket_path: Option<String>,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-u")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs")
    }

    /// Keys by tmux name (`Enter`, `Escape`, `C-s`, `Tab`) or single characters.
    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.session];
        args.extend_from_slice(keys);
        let out = self.run(&args);
        assert!(
            out.status.success(),
            "send-keys {keys:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Text typed literally (UTF-8).
    fn text(&self, s: &str) {
        let out = self.run(&["send-keys", "-t", &self.session, "-l", s]);
        assert!(out.status.success(), "send-keys -l {s:?}");
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", &self.session]).stdout).into_owned()
    }

    fn alive(&self) -> bool {
        self.run(&["has-session", "-t", &self.session]).status.success()
    }

    /// Waits until the screen shows `text`; panics with the screen otherwise.
    fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(text) {
                return s;
            }
            if start.elapsed() > STEP {
                panic!("waited {STEP:?} for {text:?}; the screen shows:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Tmux {
    /// Waits until the screen no longer shows `text`.
    fn wait_gone(&self, text: &str) {
        let start = Instant::now();
        while self.screen().contains(text) {
            assert!(start.elapsed() < STEP, "{text:?} is still shown:\n{}", self.screen());
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
        if let Some(p) = &self.socket_path {
            let _ = std::fs::remove_file(p);
        }
    }
}

fn tmux_available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn quote(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', r"'\''"))
}

#[test]
fn results_flow_in_a_real_terminal() {
    if !tmux_available() {
        eprintln!("note: tmux is not installed; the end-to-end terminal test did nothing");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.db");
    let id = format!(
        "choucha-e2e-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    );
    let mut t = Tmux {
        socket: id.clone(),
        session: "e2e".into(),
        socket_path: None,
    };
    // After the program ends the shell says how, then the session closes by itself.
    let cmd = format!(
        "env CHOUCHA_DB={} LANG=C.UTF-8 {}; echo \"choucha exited $?\"; sleep 2",
        quote(&db),
        quote(Path::new(env!("CARGO_BIN_EXE_choucha")))
    );
    let cwd = dir.path().display().to_string();
    let out = t.run(&[
        "new-session",
        "-d",
        "-s",
        &t.session,
        "-x",
        "100",
        "-y",
        "30",
        "-c",
        &cwd,
        &cmd,
    ]);
    assert!(out.status.success(), "tmux: {}", String::from_utf8_lossy(&out.stderr));
    let path = t.run(&["display-message", "-p", "-t", &t.session, "#{socket_path}"]);
    t.socket_path = Some(String::from_utf8_lossy(&path.stdout).trim().to_string()).filter(|p| !p.is_empty());

    // Welcome, then the example data.
    t.wait_for("欢迎使用");
    t.keys(&["d"]);
    t.wait_for("已加载示例数据");
    // The plans tab: freeze (confirmed) and the digest to read out.
    t.keys(&["4"]);
    t.wait_for("2026年第一批");
    t.keys(&["f"]);
    t.wait_for("冻结后计划不能再修改");
    t.keys(&["y"]);
    let s = t.wait_for("请宣读并公布以下输入摘要");
    assert!(s.contains("SHA-256") && s.contains("完整："), "{s}");
    // Escape alone (a key right after it could read as Alt-key): wait for the popup to close.
    t.keys(&["Escape"]);
    t.wait_gone("请宣读");
    // The draw with a typed seed; the tasks tab follows.
    t.keys(&["r"]);
    t.wait_for("种子 ›");
    t.text("36 51 02");
    t.keys(&["Enter"]);
    t.wait_for("请核对种子");
    t.keys(&["Enter"]);
    t.wait_for("抽取完成");
    let s = t.wait_for("未录入");
    assert!(s.contains("5 任务与结果") && s.contains("种子 36 51 02"), "{s}");
    // A result for task 1: today's date, the category chosen, a public remark in Chinese.
    t.keys(&["r"]);
    t.wait_for("登记检查结果");
    t.keys(&["C-o", "Tab", "Tab", "C-o"]);
    t.wait_for("未发现开展本次抽查涉及的经营活动");
    t.keys(&["Enter"]);
    for _ in 0..6 {
        t.keys(&["Tab"]);
    }
    t.text("现场检查未见异常");
    t.wait_for("现场检查未见异常");
    t.keys(&["C-s"]);
    t.wait_for("任务 1 的检查结果已登记");
    t.wait_for("未发现问题");
    // The disclosure, with the offered file name, into the working directory.
    t.keys(&["d"]);
    t.wait_for("disclosure-plan-1.xlsx");
    t.keys(&["Enter"]);
    t.wait_for("审计日志第");
    assert!(dir.path().join("disclosure-plan-1.xlsx").exists());
    t.keys(&["Enter"]);
    t.wait_gone("审计日志第");
    // Quit: the program ends with 0, the terminal is back from the alternate screen, and the
    // session closes.
    t.keys(&["q"]);
    let s = t.wait_for("choucha exited 0");
    assert!(!s.contains("任务与结果"), "the TUI screen is still shown:\n{s}");
    let start = Instant::now();
    while t.alive() {
        assert!(start.elapsed() < STEP, "the session did not end");
        std::thread::sleep(Duration::from_millis(100));
    }
}
