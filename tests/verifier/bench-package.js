// Writes a synthetic public package of N institutions (default 200,000) for the page's benchmark:
//   node tests/verifier/bench-package.js OUT.json [N] [published|committed]
// Then embed it (`choucha`'s exporter does the same) and open the page in headless Chromium; the
// page writes its verification time into #elapsed (data-ms). Not a test: figures go into README.
"use strict";
const fs = require("fs");
const { load } = require("./load.js");

const V = load();
const out = process.argv[2];
const N = Number(process.argv[3] || 200000);
const mode = process.argv[4] || "committed";
if (!out) throw new Error("usage: bench-package.js OUT.json [N] [published|committed]");

const regions = ["江北区", "江南区", "白石县", "高新区", "东湖县", "临溪县"];
const lines = ["choucha-draw-public\t2", "classes\t" + mode, "title\t基准计划", "year\t2026",
  "rate\tA\t500", "rate\tB\t1000", "rate\tC\t2000", "rate\tD\t5000", "team_size\t2", "require_certified\t1",
  "cross_region\t1", "max_tasks_per_inspector\t5", "alternates_per_class\t2",
  "expertise\t医疗机构\t医学", "expertise\t零售药店\t药学",
  "item\tYB-01\t医疗机构", "item\tYB-04\t医疗机构,零售药店", "item\tYB-10\t零售药店"];
const inst = [];
for (let i = 0; i < N; i++) {
  const kind = i % 3 === 0 ? "零售药店" : "医疗机构";
  const code = (kind === "零售药店" ? "P" : "H") + String(45990000000 + i);
  const cls = "ABCD"[i % 10 < 4 ? 0 : i % 10 < 7 ? 1 : i % 10 < 9 ? 2 : 3];
  inst.push({ code, kind, region: regions[i % 6], cls, salt: V.sha256Hex("salt" + i).slice(0, 32) });
}
inst.sort((a, b) => V.cmp(a.code, b.code));
for (const i of inst) lines.push(["institution", i.code, i.kind, i.region, mode === "published" ? i.cls : V.commitment(i.code, i.cls, i.salt)].join("\t"));
const pub = lines.join("\n") + "\n";
const x = V.parsePublicV2(pub);
x.institutions.forEach((it, j) => { it.cls = inst[j].cls; it.salt = mode === "committed" ? inst[j].salt : ""; });
const publicRaw = V.sha256(V.utf8(pub));
const publicDigest = V.hex(publicRaw);
const sealedDigest = V.sha256Hex("choucha-draw-sealed\t2\n");
const inputsDigest = V.inputsDigestV2(publicDigest, sealedDigest);
const seed = "20261203-bench";
const key = V.deriveKey("choucha-draw-institutions-v2", publicRaw, seed);
const part = V.institutionPartV2(x, publicDigest, seed, V.drawInstitutionsV2(x, key));
const institutionsDigest = V.sha256Hex(part);
const teamsDigest = V.sha256Hex("team part not published");
const spec = `title = "基准计划"\nyear = 2026\n\n[scope]\nregions = []\ninstitution_types = ["医疗机构", "零售药店"]\nitems = ["YB-01", "YB-04", "YB-10"]\n\n[rates]\nA = "5%"\nB = "10%"\nC = "20%"\nD = "50%"\n\n[team]\nsize = 2\nrequire_certified = true\ncross_region = true\nmax_tasks_per_inspector = 5\n\n[team.expertise]\n"医疗机构" = ["医学"]\n"零售药店" = ["药学"]\n\n[alternates]\nper_class = 2\n`;
const pkg = {
  format: "choucha-public-package", format_version: 1,
  plan: { id: 1, title: "基准计划", year: 2026, status: "drawn", spec },
  protocol: 2, public_inputs: pub, public_digest: publicDigest, sealed_digest: sealedDigest, inputs_digest: inputsDigest,
  frozen_at: "2026-12-01T09:00:00",
  draws: [{ protocol: 2, seed, reason: "", drawn_at: "2026-12-03T10:00:00", institutions: part,
    institutions_digest: institutionsDigest, teams_digest: teamsDigest,
    result_digest: V.resultDigestV2(inputsDigest, institutionsDigest, teamsDigest), alternates_without_team: [] }],
  adjustments: [], audit_log_head: { seq: 1, hash: "0".repeat(64) }, how_to_verify: "-"
};
const r = V.verifyPackage(pkg);
if (!r.ok) throw new Error("the benchmark package does not verify: " + r.error.en);
fs.writeFileSync(out, JSON.stringify(pkg));
console.log(out + ": " + N + " institutions, classes " + mode + ", " + fs.statSync(out).size + " bytes");
