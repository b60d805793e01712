//! `export verifier`: the offline verifier page with a plan's public verification package inside.

use std::path::Path;

use anyhow::Result;

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
        Ok(serde_json::to_string(&self.public_package(plan_id)?)?)
    }
}
