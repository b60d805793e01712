// Packages written by the program (the Rust test tests/verifier_js.rs writes them into the directory
// named by CHOUCHA_VERIFIER_PACKAGES): each verifies, and every tampered copy is refused.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("fs");
const path = require("path");
const { load, embeddedPackage, ROOT } = require("./load.js");

const V = load();
const DIR = process.env.CHOUCHA_VERIFIER_PACKAGES;

function flipHex(h) {
  return (h[0] === "0" ? "1" : "0") + h.slice(1);
}
function clone(x) {
  return JSON.parse(JSON.stringify(x));
}
// Rewrites field `col` of the result lines with tag `tag` (the first `limit` of them) by f.
function editLines(text, tag, f) {
  return text
    .split("\n")
    .map((l, i, all) => (l.startsWith(tag + "\t") ? f(l.split("\t"), i, all).join("\t") : l))
    .join("\n");
}

// Tampered copies of an audit package: name → package. Each must be refused.
function auditTampers(pkg) {
  const out = {};
  const last = pkg.draws.length - 1;
  let t = clone(pkg);
  t.draws[last].seed += "1";
  out.seed = t;
  t = clone(pkg);
  t.inputs_digest = flipHex(t.inputs_digest);
  out.inputs_digest = t;
  t = clone(pkg);
  t.draws[last].result_digest = flipHex(t.draws[last].result_digest);
  out.result_digest = t;
  // institution: the first task names another institution of the inputs
  const codes = pkg.inputs.split("\n").filter((l) => l.startsWith("institution\t")).map((l) => l.split("\t")[1]);
  t = clone(pkg);
  let done = false;
  t.draws[last].result = editLines(t.draws[last].result, "task", (f) => {
    if (!done) {
      f[4] = codes.find((c) => c !== f[4]);
      done = true;
    }
    return f;
  });
  t.draws[last].result_digest = V.sha256Hex(t.draws[last].result);
  out.institution = t;
  // order: the first two tasks swap institutions
  t = clone(pkg);
  const lines = t.draws[last].result.split("\n");
  const ti = lines.map((l, i) => (l.startsWith("task\t") ? i : -1)).filter((i) => i >= 0);
  if (ti.length >= 2) {
    const a = lines[ti[0]].split("\t"), b = lines[ti[1]].split("\t");
    [a[4], b[4]] = [b[4], a[4]];
    lines[ti[0]] = a.join("\t");
    lines[ti[1]] = b.join("\t");
    t.draws[last].result = lines.join("\n");
    t.draws[last].result_digest = V.sha256Hex(t.draws[last].result);
    out.order = t;
  }
  // class: an institution moves to another stratum, with a matching inputs digest
  t = clone(pkg);
  t.inputs = t.inputs.replace(/^(institution\t[^\n]*\t)([ABCD])$/m, (_, head, c) => head + (c === "A" ? "B" : "A"));
  t.inputs_digest = V.sha256Hex(t.inputs);
  out.class = t;
  if (pkg.adjustments.length > 0) {
    t = clone(pkg);
    t.adjustments[0].replacement_rank += 1;
    out.adjustment_rank = t;
    t = clone(pkg);
    t.adjustments[0].reason = " \u3000";
    out.adjustment_reason = t;
  }
  return out;
}

function tampers(pkg) {
  if (pkg.format === "choucha-audit-package") return auditTampers(pkg);
  if (V.publicTampers) return V.publicTampers(pkg);
  throw new Error("no tamper set for " + pkg.format);
}

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
