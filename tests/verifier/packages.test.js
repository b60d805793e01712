// Packages written by the program (the Rust test tests/verifier_js.rs writes them into the directory
// named by CHOUCHA_VERIFIER_PACKAGES): each verifies, and every tampered copy is refused.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("fs");
const path = require("path");
const { load, embeddedPackage, ROOT } = require("./load.js");
const { tampers } = require("./tampers.js");

const V = load();
const DIR = process.env.CHOUCHA_VERIFIER_PACKAGES;

// Packages kept in the repository (tests/fixtures/packages: e.g. written by an earlier release).
const FIXTURES = path.join(ROOT, "tests", "fixtures", "packages");
const files = (DIR ? fs.readdirSync(DIR).filter((f) => f.endsWith(".json")).sort().map((f) => path.join(DIR, f)) : []).concat(
  fs.existsSync(FIXTURES) ? fs.readdirSync(FIXTURES).filter((f) => f.endsWith(".json")).sort().map((f) => path.join(FIXTURES, f)) : []);
const pages = DIR ? fs.readdirSync(DIR).filter((f) => f.endsWith(".html")).sort() : [];

test("packages written by the program are present", { skip: !DIR && "CHOUCHA_VERIFIER_PACKAGES is not set (run by tests/verifier_js.rs)" }, () => {
  assert.ok(files.length > 0, "no package in " + DIR);
});

for (const file of files) {
  const f = path.basename(file);
  test("package " + f + " verifies, tampered copies are refused", () => {
    const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
    const r = V.verifyPackage(pkg);
    assert.equal(r.error, null, JSON.stringify(r.error));
    assert.ok(r.ok);
    assert.equal(r.kind, pkg.format === "choucha-audit-package" ? "audit" : "public");
    for (const [name, t] of Object.entries(tampers(pkg))) {
      const bad = V.verifyPackage(t);
      assert.equal(bad.ok, false, f + ": tampered " + name + " was accepted");
      assert.ok(bad.error && bad.error.zh && bad.error.en, name + " names the difference");
    }
  });
}

for (const f of pages) {
  test("exported page " + f + ": its own script and embedded package", () => {
    const html = fs.readFileSync(path.join(DIR, f), "utf8");
    assert.ok(!/<script[^>]*\ssrc=|<link[^>]*\shref=|https?:\/\//i.test(html.replace(/<script type="application\/json"[\s\S]*?<\/script>/, "")),
      "the page loads nothing from elsewhere");
    const raw = embeddedPackage(html);
    assert.ok(!raw.includes("<"), "'<' in the embedded JSON is escaped");
    const PV = load(path.join(DIR, f));
    const r = PV.verifyPackage(JSON.parse(raw));
    assert.equal(r.error, null, JSON.stringify(r.error));
  });
}
