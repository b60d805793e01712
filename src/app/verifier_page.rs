//! `export verifier`: the offline verifier page with a plan's public verification package inside.

use std::path::Path;

use anyhow::{Result, bail};

use super::Service;
use crate::io::verifier_page;

impl Service {
    /// Writes the verifier page (docs/verifier/verifier.html) with the plan's package embedded.
    pub fn export_verifier(&self, plan_id: i64, path: &Path) -> Result<()> {
        let package = self.verifier_package_json(plan_id)?;
        crate::io::write_atomic(path, verifier_page::with_package(&package).as_bytes())
    }

    /// The package the page embeds: the public verification package, which holds no inspector
    /// data. Never the audit package: the page is meant to be published.
    fn verifier_package_json(&self, plan_id: i64) -> Result<String> {
        let _ = plan_id;
        bail!(
            "{}",
            self.t(
                "公开验证包（export public）尚未实现，无法嵌入验证页",
                "the public verification package (export public) does not exist yet: nothing to embed"
            )
        )
    }
}
