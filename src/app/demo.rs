//! The bundled example city (临江市): rosters, catalogue and a draft plan, for a first look.

use anyhow::{Result, bail};

use super::Service;
use super::rosters::{ImportOptions, ImportOutcome, RosterKind};

pub const DEMO_FILES: [(RosterKind, &str, &[u8]); 3] = [
    (RosterKind::Items, "items.csv", include_bytes!("../../data/items.csv")),
    (
        RosterKind::Institutions,
        "institutions.csv",
        include_bytes!("../../data/institutions.csv"),
    ),
    (
        RosterKind::Inspectors,
        "inspectors.csv",
        include_bytes!("../../data/inspectors.csv"),
    ),
];

pub const DEMO_PLAN: &str = include_str!("../../data/plans/2026-batch1.toml");

pub struct DemoOutcome {
    pub imports: Vec<(RosterKind, ImportOutcome)>,
    pub plan_id: i64,
}

impl Service {
    /// Loads the example data. A database that already holds rosters is refused unless `force`.
    pub fn load_demo(&mut self, force: bool) -> Result<DemoOutcome> {
        let (a, b, c) = self.roster_counts()?;
        if a + b + c > 0 && !force {
            bail!(
                "{}",
                self.t(
                    "数据库中已有名录数据；示例数据会与之混合。确需加载请加 --force",
                    "the database already holds rosters; the example data would mix with them. Use --force to load anyway"
                )
            );
        }
        let tmp = tempfile::tempdir()?;
        let dir = tmp.path();
        let mut imports = Vec::new();
        for (kind, name, bytes) in DEMO_FILES {
            let path = dir.join(name);
            std::fs::write(&path, bytes)?;
            let out = self.import_roster(kind, &path, &ImportOptions::default(), &mut |_| {})?;
            if !out.errors.is_empty() {
                bail!("bundled {name} was refused: {}", out.errors[0]);
            }
            imports.push((kind, out));
        }
        let plan_id = self.create_plan(DEMO_PLAN)?;
        Ok(DemoOutcome { imports, plan_id })
    }
}
