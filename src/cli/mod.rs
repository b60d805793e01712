//! The command line (clap). Every command calls the `app` layer; nothing here touches SQL or files' formats.

mod output;

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::{Args, Parser, Subcommand};

use crate::app::rosters::{ImportOptions, RosterKind};
use crate::app::{self, Config, Service};
use crate::i18n::Lang;

const AFTER_HELP: &str = "数据库位置 / database: --db PATH，否则环境变量 CHOUCHA_DB，否则系统数据目录下的 choucha/choucha.db\n\
(Linux: ~/.local/share/choucha/choucha.db; macOS: ~/Library/Application Support/cn.choucha.choucha/choucha.db;\n\
Windows: %APPDATA%\\choucha\\choucha\\data\\choucha.db)。`choucha info` 显示实际路径 / shows the actual path.";

#[derive(Parser, Debug)]
#[command(name = "choucha", version, about = "医保基金监管“双随机、一公开”抽查 / random inspections of medical-insurance fund use", after_help = AFTER_HELP)]
pub struct Cli {
    /// SQLite 数据库文件 / database file
    #[arg(long, global = true, env = "CHOUCHA_DB")]
    pub db: Option<PathBuf>,
    /// 用户配置文件（覆盖 config/default.toml）/ user configuration file
    #[arg(long, global = true, env = "CHOUCHA_CONFIG")]
    pub config: Option<PathBuf>,
    /// 记入审计日志的操作人（默认为系统用户名）/ actor recorded in the audit log
    #[arg(long, global = true)]
    pub actor: Option<String>,
    /// 界面语言 / interface language
    #[arg(long, global = true, value_enum, default_value = "zh")]
    pub lang: Lang,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// 打开终端界面（默认）/ open the terminal UI (the default)
    Tui,
    /// 导入名录或检查结果（xlsx 或 CSV：UTF-8 / GBK）/ import a roster or filled-in results
    Import(ImportArgs),
    /// 导出名录、任务表、公示文件、记分、审计包 / export rosters, task sheets, disclosures, points, audit packages
    #[command(subcommand)]
    Export(ExportCommand),
    /// 加载示例数据（临江市）/ load the bundled example data
    Demo {
        /// 数据库已有数据时仍然加载 / load even into a database that holds data
        #[arg(long)]
        force: bool,
    },
    /// 抽查计划 / plans
    #[command(subcommand)]
    Plan(PlanCommand),
    /// 以种子抽取 / run the draw of a frozen plan
    Draw(DrawArgs),
    /// 任务调整 / task adjustments
    #[command(subcommand)]
    Task(TaskCommand),
    /// 检查结果：列表、详情、统计、记分 / inspection results
    #[command(subcommand)]
    Result(ResultCommand),
    /// 跟踪：逾期整改、公示期限、记分预警、屡查屡犯 / follow-up lists
    Followup {
        /// 按此日期计算（默认今天），如 2026-04-30 / evaluate as of this date (default: today)
        #[arg(long)]
        today: Option<String>,
    },
    /// 复核审计包或公开验证包（无需数据库）/ rerun an audit or public package (no database needed)
    Verify { file: PathBuf },
    /// 审计日志 / the audit log
    #[command(subcommand)]
    Audit(AuditCommand),
    /// 用 SQLite 在线备份接口备份数据库 / back up the database (online backup API)
    Backup { file: PathBuf },
    /// 显示数据库与配置位置及数据量 / show where things are and how much is in them
    Info,
}

/// What `choucha import` reads: one of the three rosters, or a filled-in results workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportKind {
    /// 检查对象名录库
    Institutions,
    /// 执法检查人员名录库
    Inspectors,
    /// 抽查事项清单
    Items,
    /// 检查结果（`export tasks` 导出并填写的任务表）/ results (a filled-in task sheet)
    Results,
}

impl ImportKind {
    pub fn roster(self) -> Option<RosterKind> {
        match self {
            Self::Institutions => Some(RosterKind::Institutions),
            Self::Inspectors => Some(RosterKind::Inspectors),
            Self::Items => Some(RosterKind::Items),
            Self::Results => None,
        }
    }
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    #[arg(value_enum)]
    pub kind: ImportKind,
    pub file: PathBuf,
    /// 只校验，不写入 / validate only, write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// xlsx 工作表名（默认第一个）/ worksheet name (default: the first)
    #[arg(long)]
    pub sheet: Option<String>,
    /// 文件中没有的记录标记为停用（保留历史）/ mark records missing from the file inactive
    #[arg(long)]
    pub deactivate_missing: bool,
}

#[derive(Subcommand, Debug)]
pub enum ExportCommand {
    /// 检查对象名录 / institutions
    Institutions { file: PathBuf },
    /// 检查人员名录 / inspectors
    Inspectors { file: PathBuf },
    /// 抽查事项清单 / items
    Items { file: PathBuf },
    /// 审计包（JSON）/ audit package
    Audit { plan: i64, file: PathBuf },
    /// 公开验证包（JSON，不含人员信息）/ public verification package (no personal data)
    Public { plan: i64, file: PathBuf },
    /// 检查任务表（xlsx：结果、事项、问题、记分、填写说明；CSV 仅结果表），填写后 `import results` / task sheet to fill in
    Tasks { plan: i64, file: PathBuf },
    /// 抽查结果公示（.xlsx / .csv / .json / .html），记入审计日志；CSV 另写 FILE-evidence.csv（抽取凭证）/ the public disclosure (logged)
    Disclosure { plan: i64, file: PathBuf },
    /// 抽查计划公告（.html / .xlsx / .json）：冻结的输入、范围、事项、比例、检查组规则、输入摘要 / the plan announcement
    Announcement { plan: i64, file: PathBuf },
    /// 驾照式记分（内部，不公开）/ points per person for a year (internal)
    Points { year: i32, file: PathBuf },
    /// 离线验证网页（.html，内含公开验证包，可公开）/ the offline verifier page with the public package
    Verifier { plan: i64, file: PathBuf },
}

#[derive(Subcommand, Debug)]
pub enum PlanCommand {
    /// 由 PLAN.toml 建立计划，打印编号 / create a plan, print its id
    Create { file: PathBuf },
    /// 修改草稿计划 / replace a draft plan's file
    Update { id: i64, file: PathBuf },
    /// 列出计划 / list plans
    List,
    /// 显示计划、抽取结果与调整 / show a plan with its draw
    Show { id: i64 },
    /// 冻结：确定可抽取名单，打印输入摘要（须在种子产生前公布）/ freeze and print the inputs digest
    Freeze { id: i64 },
    /// 公示：此后抽取结果不可更改 / publish
    Publish { id: i64 },
}

#[derive(Args, Debug)]
pub struct DrawArgs {
    pub plan: i64,
    /// 种子（字符串，逐字保留："007" ≠ "7"）/ the seed, kept byte for byte
    #[arg(long, conflicts_with = "generate_seed", required_unless_present = "generate_seed")]
    pub seed: Option<String>,
    /// 由操作系统熵源生成种子 / generate a seed from OS entropy
    #[arg(long)]
    pub generate_seed: bool,
    /// 重新抽取的理由 / reason for a redraw
    #[arg(long)]
    pub reason: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum TaskCommand {
    /// 以同等级下一个候补替换任务（注销、查无下落等）/ replace a task by the next alternate
    Replace {
        plan: i64,
        task: u32,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum ResultCommand {
    /// 计划的检查结果列表 / a plan's results, task by task
    List { plan: i64 },
    /// 一个任务的检查结果（含内部备注、问题、记分）/ one task's result in full
    Show {
        plan: i64,
        task: u32,
        /// 被替换机构的结果 / the result of a replaced institution
        #[arg(long)]
        institution: Option<String>,
    },
    /// 统计：各类结果数、处理措施、追回与罚款金额 / counts and amounts
    Stats {
        /// 按计划 / for a plan
        #[arg(long, conflicts_with = "year", required_unless_present = "year")]
        plan: Option<i64>,
        /// 按年度（检查完成日期）/ for a calendar year
        #[arg(long)]
        year: Option<i32>,
    },
    /// 驾照式记分：年度累计（≥9 暂停、≥12 终止医保支付资格）/ points per person
    Points {
        /// 年度（默认今年）/ calendar year (default: this year)
        #[arg(long)]
        year: Option<i32>,
    },
    /// 删除一条检查结果（记入审计日志）/ remove a result (logged)
    Clear {
        plan: i64,
        task: u32,
        #[arg(long)]
        institution: Option<String>,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// 校验审计日志哈希链，并按抽取结果与日志核对任务表、检查结果 / walk the hash chain and check the
    /// tasks and results against the draws and the log
    Verify {
        /// 已公布的日志锚点 SEQ:HASH（公示文件、审计包中所载），核对日志是否仍延续它 / a published log
        /// anchor (quoted in disclosures and audit packages): does the log still extend it?
        #[arg(long, value_name = "SEQ:HASH")]
        head: Option<String>,
    },
    /// 显示最近的审计日志 / show recent entries
    Log {
        #[arg(short = 'n', long, default_value_t = 20)]
        count: usize,
    },
}

fn load_config(cli: &Cli) -> Result<Config> {
    match &cli.config {
        Some(p) => Config::load(p),
        None => match app::default_config_path().filter(|p| p.exists()) {
            Some(p) => Config::load(&p),
            None => Ok(Config::default_config()),
        },
    }
}

pub fn db_path(cli: &Cli) -> PathBuf {
    cli.db.clone().unwrap_or_else(app::default_db_path)
}

/// Runs the command line; returns the process exit code.
pub fn run(cli: Cli) -> Result<i32> {
    let lang = cli.lang;
    // `verify` needs no database at all.
    if let Some(Command::Verify { file }) = &cli.command {
        return output::verify(file, lang);
    }
    let config = load_config(&cli)?;
    let mut svc = Service::open(&db_path(&cli), config, cli.actor.clone(), lang)?;
    let command = cli.command.unwrap_or(Command::Tui);
    match command {
        Command::Tui => {
            crate::tui::run(svc)?;
            Ok(0)
        }
        Command::Import(a) if a.kind == ImportKind::Results => {
            if a.deactivate_missing || a.sheet.is_some() {
                bail!(
                    "{}",
                    lang.pick(
                        "导入检查结果时不能使用 --deactivate-missing 或 --sheet（按工作表名称读取各表）",
                        "--deactivate-missing and --sheet do not apply to results (sheets are read by name)"
                    )
                );
            }
            let out = svc.import_results(&a.file, a.dry_run)?;
            Ok(output::import_results(&out, a.dry_run, lang))
        }
        Command::Import(a) => {
            let kind = a.kind.roster().expect("results are handled above");
            let opts = ImportOptions {
                dry_run: a.dry_run,
                sheet: a.sheet.clone(),
                deactivate_missing: a.deactivate_missing,
            };
            let bar = std::io::stderr().is_terminal().then(|| {
                let b = indicatif::ProgressBar::new_spinner();
                let style = indicatif::ProgressStyle::with_template(svc.t(
                    "{spinner} 正在校验并导入… 已读 {human_pos} 行（{per_sec}）",
                    "{spinner} validating and importing… {human_pos} rows read ({per_sec})",
                ));
                if let Ok(style) = style {
                    b.set_style(style);
                }
                b.enable_steady_tick(std::time::Duration::from_millis(120));
                b
            });
            let out = svc.import_roster(kind, &a.file, &opts, &mut |n| {
                if let Some(b) = &bar {
                    b.set_position(n as u64);
                }
            })?;
            if let Some(b) = bar {
                b.finish_and_clear();
            }
            Ok(output::import(&out, a.dry_run, lang))
        }
        Command::Export(e) => {
            match e {
                ExportCommand::Institutions { file } => {
                    output::exported(svc.export_roster(RosterKind::Institutions, &file)?, &file, lang)
                }
                ExportCommand::Inspectors { file } => {
                    output::exported(svc.export_roster(RosterKind::Inspectors, &file)?, &file, lang)
                }
                ExportCommand::Items { file } => {
                    output::exported(svc.export_roster(RosterKind::Items, &file)?, &file, lang)
                }
                ExportCommand::Audit { plan, file } => {
                    svc.export_audit_package(plan, &file)?;
                    println!(
                        "{} {}",
                        lang.pick("已写出审计包", "audit package written to"),
                        file.display()
                    );
                }
                ExportCommand::Public { plan, file } => {
                    svc.export_public_package(plan, &file)?;
                    println!(
                        "{} {}",
                        lang.pick("已写出公开验证包", "public package written to"),
                        file.display()
                    );
                }
                ExportCommand::Tasks { plan, file } => {
                    let n = svc.export_task_sheet(plan, &file)?;
                    output::exported(n, &file, lang);
                }
                ExportCommand::Disclosure { plan, file } => {
                    let out = svc.export_disclosure(plan, &file)?;
                    output::disclosure(&out, &file, lang);
                }
                ExportCommand::Announcement { plan, file } => {
                    let out = svc.export_plan_announcement(plan, &file)?;
                    output::announcement(&out, &file, lang);
                }
                ExportCommand::Points { year, file } => {
                    let n = svc.export_points(year, &file)?;
                    output::exported(n, &file, lang);
                }
                ExportCommand::Verifier { plan, file } => {
                    svc.export_verifier(plan, &file)?;
                    println!(
                        "{} {}",
                        lang.pick("已写出验证网页", "verifier page written to"),
                        file.display()
                    );
                }
            }
            Ok(0)
        }
        Command::Demo { force } => {
            let out = svc.load_demo(force)?;
            for (kind, o) in &out.imports {
                println!(
                    "{}: {} {}",
                    lang.pick(kind.zh(), kind.en()),
                    o.added,
                    lang.pick("条", "records")
                );
            }
            println!(
                "{} {}",
                lang.pick("已建立示例计划（草稿），编号", "example plan created (draft), id"),
                out.plan_id
            );
            Ok(0)
        }
        Command::Plan(p) => output::plan(&mut svc, p),
        Command::Draw(d) => {
            let seed = match (&d.seed, d.generate_seed) {
                (Some(s), _) => s.clone(),
                (None, true) => Service::generate_seed(),
                (None, false) => bail!("--seed or --generate-seed"),
            };
            let draw = svc.draw_plan(d.plan, &seed, d.reason.as_deref())?;
            output::draw(&svc, d.plan, &draw)?;
            Ok(0)
        }
        Command::Task(TaskCommand::Replace { plan, task, reason }) => {
            let a = svc.replace_task(plan, task, &reason)?;
            println!(
                "{} {}: {} → {}（{} {}）",
                lang.pick("任务", "task"),
                a.task_seq,
                a.replaced,
                a.replacement,
                lang.pick("检查组", "team"),
                a.team.join("、")
            );
            Ok(0)
        }
        Command::Result(r) => output::result(&mut svc, r),
        Command::Followup { today } => {
            let today = match today {
                Some(t) => crate::domain::results::parse_date(&t)
                    .ok_or_else(|| anyhow::anyhow!("{}: {t}", lang.pick("不是有效日期", "not a date")))?,
                None => svc.now().date(),
            };
            output::followup(&svc.followup(today)?, lang);
            Ok(0)
        }
        Command::Audit(AuditCommand::Verify { head }) => output::audit_verify(&svc, head.as_deref()),
        Command::Audit(AuditCommand::Log { count }) => {
            for e in svc.audit_log(count)? {
                println!(
                    "{:>6}  {}  {:<10} {:<14} {:<16} {}",
                    e.seq, e.at, e.actor, e.action, e.object, e.details
                );
            }
            Ok(0)
        }
        Command::Backup { file } => {
            svc.backup(&file)?;
            println!("{} {}", lang.pick("已备份到", "backed up to"), file.display());
            Ok(0)
        }
        Command::Info => {
            let (a, b, c) = svc.roster_counts()?;
            println!("{}: {}", lang.pick("数据库", "database"), svc.db_path());
            println!(
                "{}: {a}  {}: {b}  {}: {c}",
                lang.pick("检查对象", "institutions"),
                lang.pick("检查人员", "inspectors"),
                lang.pick("抽查事项", "items")
            );
            Ok(0)
        }
        Command::Verify { .. } => unreachable!("handled above"),
    }
}
