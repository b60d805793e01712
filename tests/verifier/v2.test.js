// Protocol v2 packages built here from the v1 worked example (both class modes): the public and the
// audit package verify, and tampered copies are refused. This checks the verification rules of
// §21–§22; the v2 vectors (vectors.test.js) check the draw itself against the Rust program.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("fs");
const path = require("path");
const { load, ROOT } = require("./load.js");
const { publicTampers, auditTampers } = require("./tampers.js");

const V = load();
const v1 = V.parseInputsV1(fs.readFileSync(path.join(ROOT, "tests", "vectors", "h-medium.inputs.txt"), "utf8"));

function salt(i) {
  return V.sha256Hex("salt " + i).slice(0, 32);
}
function sections(x, mode) {
  const b = (f) => (f ? "1" : "0");
  const pub = ["choucha-draw-public\t2", "classes\t" + mode, "title\t" + x.title, "year\t" + x.year];
  for (const c of "ABCD") pub.push("rate\t" + c + "\t" + x.rate[c]);
  pub.push("team_size\t" + x.team_size, "require_certified\t" + b(x.require_certified), "cross_region\t" + b(x.cross_region),
    "max_tasks_per_inspector\t" + x.max_tasks_per_inspector, "alternates_per_class\t" + x.alternates_per_class);
  for (const e of x.expertise) pub.push("expertise\t" + e.kind + "\t" + e.expertise);
  for (const it of x.items) pub.push("item\t" + it.code + "\t" + it.applies_to.join(","));
  const sealed = ["choucha-draw-sealed\t2"];
  x.institutions.forEach((i, n) => {
    const last = mode === "published" ? i.cls : V.commitment(i.code, i.cls, salt(n));
    pub.push("institution\t" + i.code + "\t" + i.kind + "\t" + i.region + "\t" + last);
    if (mode === "committed") sealed.push("class\t" + i.code + "\t" + i.cls + "\t" + salt(n));
  });
  for (const p of x.inspectors) sealed.push("inspector\t" + p.id + "\t" + p.region + "\t" + b(p.certified) + "\t" + p.expertise.join(",") + "\t" + p.conflicts.join(","));
  return { pub: pub.join("\n") + "\n", sealed: sealed.join("\n") + "\n" };
}
function spec(x) {
  const pct = (bp) => (bp / 100) + "%";
  const kinds = {};
  for (const e of x.expertise) (kinds[e.kind] = kinds[e.kind] || []).push(e.expertise);
  return `title = ${JSON.stringify(x.title)}\nyear = ${x.year}\n\n[scope]\nregions = []\ninstitution_types = []\nitems = []\n\n[rates]\n` +
    "ABCD".split("").map((c) => `${c} = "${pct(x.rate[c])}"`).join("\n") +
    `\n\n[team]\nsize = ${x.team_size}\nrequire_certified = ${x.require_certified}\ncross_region = ${x.cross_region}\nmax_tasks_per_inspector = ${x.max_tasks_per_inspector}\n\n[team.expertise]\n` +
    Object.keys(kinds).map((k) => `${JSON.stringify(k)} = ${JSON.stringify(kinds[k])}`).join("\n") +
    `\n\n[alternates]\nper_class = ${x.alternates_per_class}\n`;
}
function packages(mode) {
  const s = sections(v1, mode);
  const inputs = s.pub + s.sealed;
  const seeds = ["2026-v2-1", "36 51 02 骰子"];
  const runs = seeds.map((seed) => V.runV2(inputs, seed));
  const plan = { id: 3, title: v1.title, year: v1.year, status: "drawn", spec: spec(v1) };
  const last = runs[runs.length - 1];
  // one replacement: task 1 by the first alternate of its class that has a team
  const t1 = last.teams.tasks[0];
  const alt = last.teams.alternates.filter((a) => a.cls === t1.cls && a.team.length > 0)[0];
  const audit = {
    format: "choucha-audit-package", format_version: 1, plan, protocol: 2, inputs, inputs_digest: runs[0].inputsDigest,
    frozen_at: "2026-03-01T09:00:00", frozen_by: "tester",
    draws: runs.map((r, i) => ({ protocol: 2, seed: seeds[i], result: r.resultText, result_digest: r.resultDigest,
      reason: i === 0 ? "" : "种子录入有误", drawn_at: "2026-03-15T10:0" + i + ":00", drawn_by: "tester" })),
    adjustments: [{ task: 1, replaced: t1.inst.code, replacement: alt.inst.code, replacement_rank: alt.rank,
      team: alt.team.map((p) => p.id), reason: "已注销", at: "2026-03-20T08:00:00", actor: "tester" }],
    audit_log_head: { seq: 9, hash: "ab".repeat(32) }, how_to_verify: "…"
  };
  const pub = {
    format: "choucha-public-package", format_version: 1, plan, protocol: 2, public_inputs: s.pub,
    public_digest: runs[0].publicDigest, sealed_digest: runs[0].sealedDigest, inputs_digest: runs[0].inputsDigest,
    frozen_at: audit.frozen_at,
    draws: runs.map((r, i) => ({ protocol: 2, seed: seeds[i], reason: audit.draws[i].reason, drawn_at: audit.draws[i].drawn_at,
      institutions: r.institutionPart, institutions_digest: r.institutionsDigest, teams_digest: r.teamsDigest,
      result_digest: r.resultDigest,
      alternates_without_team: r.teams.alternates.filter((a) => a.team.length === 0).map((a) => ({ class: a.cls, rank: a.rank })) })),
    adjustments: [{ task: 1, replaced: t1.inst.code, replacement: alt.inst.code, replacement_rank: alt.rank, reason_category: "closed", at: "2026-03-20T08:00:00" }],
    audit_log_head: audit.audit_log_head, how_to_verify: "…"
  };
  return { audit, pub, runs };
}
const clone = (x) => JSON.parse(JSON.stringify(x));
for (const mode of ["published", "committed"]) {
  test("v2 " + mode + ": public and audit packages verify; tampered copies are refused", () => {
    const { audit, pub } = packages(mode);
    let r = V.verifyPackage(audit);
    assert.equal(r.error, null, JSON.stringify(r.error));
    assert.equal(r.kind, "audit");
    assert.ok(r.checked.includes("teams"));
    r = V.verifyPackage(pub);
    assert.equal(r.error, null, JSON.stringify(r.error));
    assert.equal(r.kind, "public");
    assert.ok(!r.checked.includes("teams") && r.notChecked.includes("teams_public"), "a public package cannot check teams");
    assert.equal(r.notChecked.includes("pool"), mode === "committed");
    assert.ok(r.current.drawn.A.length + r.current.drawn.B.length + r.current.drawn.C.length + r.current.drawn.D.length > 0);
    for (const [name, t] of Object.entries(auditTampers(audit))) {
      assert.equal(V.verifyPackage(t).ok, false, mode + ": tampered audit package (" + name + ") was accepted");
    }
    for (const [name, t] of Object.entries(publicTampers(pub))) {
      const bad = V.verifyPackage(t);
      assert.equal(bad.ok, false, mode + ": tampered " + name + " was accepted");
    }
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(JSON.stringify(pub))]);
    assert.equal(V.verifyPackageBytes(bom).ok, false, "a BOM is refused");
    assert.equal(V.verifyPackageBytes(bom.subarray(3)).ok, true);
    const lone = JSON.stringify(pub).replace('"seed":"2026-v2-1"', '"seed":"2026-v2-1\\ud800"');
    assert.equal(V.verifyPackageText(lone).ok, false, "a lone surrogate is refused");
  });
}

test("committed mode: a salt in the audit inputs that does not open its commitment is refused", () => {
  const { audit } = packages("committed");
  const t = clone(audit);
  t.inputs = t.inputs.replace(/^(class\t[^\t]+\t[ABCD]\t)([0-9a-f]{32})$/m, (_, h) => h + "f".repeat(32));
  assert.equal(V.verifyPackage(t).ok, false);
});


test("§16.4: an institution checks its own class and fate with its salt", () => {
  const { pub } = packages("committed");
  const part = pub.draws[pub.draws.length - 1].institutions;
  const listed = part.split("\n").find((l) => l.startsWith("task\t")).split("\t");
  let r = V.institutionSelfCheck(pub, listed[4], listed[2], listed[6]);
  assert.ok(r.ok, r.en);
  r = V.institutionSelfCheck(pub, listed[4], listed[2] === "A" ? "B" : "A", listed[6]);
  assert.ok(!r.ok, "a wrong class does not open the commitment");
  // an institution not listed: its class and salt from the sealed inputs used to build the package
  const codes = new Set(part.split("\n").filter((l) => /^(task|alternate)\t/.test(l)).map((l) => l.split("\t")[l.startsWith("task") ? 4 : 3]));
  const i = v1.institutions.findIndex((it) => !codes.has(it.code));
  r = V.institutionSelfCheck(pub, v1.institutions[i].code, v1.institutions[i].cls, salt(i));
  assert.ok(r.ok, r.en);
  assert.ok(!V.institutionSelfCheck(pub, v1.institutions[i].code, v1.institutions[i].cls, salt(i + 1)).ok);
});

test("the TOML reader of plan.spec (§22.8) reads the shipped plan file and configuration", () => {
  const plan = V.parseToml(fs.readFileSync(path.join(ROOT, "data", "plans", "2026-batch1.toml"), "utf8"));
  assert.equal(plan.rates.A, "5%");
  assert.equal(plan.alternates.per_class, 2);
  assert.equal(JSON.stringify(plan.exclusion.except_classes), '["D"]');
  V.parseToml(fs.readFileSync(path.join(ROOT, "config", "default.toml"), "utf8"));
  assert.equal(JSON.stringify(V.parseToml('a = [\n  "x", # c\n  "y",\n]\n[t."医疗机构"]\nk = { b = true, n = -1_000 }\n')),
    JSON.stringify({ a: ["x", "y"], t: { "医疗机构": { k: { b: true, n: -1000 } } } }));
  for (const bad of ["a = 1\na = 2\n", "a = 1979-05-27\n", 'a = """x"""\n', "a = \n", "[t]\n[t]x\n"]) {
    assert.throws(() => V.parseToml(bad), V.VerifyError, bad);
  }
  assert.equal(V.percentToBp("12.5%"), 1250);
  assert.equal(V.percentToBp("12.25"), 1225);
  assert.equal(V.percentToBp("100%"), 10000);
  assert.equal(V.percentToBp("5.123%"), null);
  assert.equal(V.percentToBp(5), null);
});
