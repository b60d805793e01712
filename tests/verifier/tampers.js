// Tampered copies of packages: name → package. Every one must be refused by the verifier.
"use strict";
const { load } = require("./load.js");

const V = load();
const clone = (x) => JSON.parse(JSON.stringify(x));

function flipHex(h) {
  return (h[0] === "0" ? "1" : "0") + h.slice(1);
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
  // class: an institution moves to another stratum (v1 and v2 published: its institution line;
  // v2 committed: its sealed class line), with matching digests
  t = clone(pkg);
  const other = (c) => (c === "A" ? "B" : "A");
  const moved = t.inputs.replace(/^(institution\t[^\n]*\t)([ABCD])$/m, (_, head, c) => head + other(c));
  t.inputs = moved !== t.inputs ? moved : t.inputs.replace(/^(class\t[^\t\n]+\t)([ABCD])\t/m, (_, head, c) => head + other(c) + "\t");
  if (t.inputs === pkg.inputs) throw new Error("no class to tamper with");
  if (pkg.protocol === 1) t.inputs_digest = V.sha256Hex(t.inputs);
  else {
    const sec = V.splitSectionsV2(t.inputs);
    t.inputs_digest = V.inputsDigestV2(V.sha256Hex(sec.public), V.sha256Hex(sec.sealed));
  }
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

// Tampered copies of either package.
function tampers(pkg) {
  return pkg.format === "choucha-public-package" ? publicTampers(pkg) : auditTampers(pkg);
}

function lineEdit(text, tag, nth, f) {
  let seen = 0;
  return text.split("\n").map((l) => {
    if (!l.startsWith(tag + "\t")) return l;
    return seen++ === nth ? f(l.split("\t")).join("\t") : l;
  }).join("\n");
}
function publicTampers(pkg) {
  const out = {};
  const last = pkg.draws.length - 1;
  const edit = (name, f, fixDigests) => {
    const t = clone(pkg);
    f(t, t.draws[last]);
    if (fixDigests) {
      const d = t.draws[last];
      d.institutions_digest = V.sha256Hex(d.institutions);
      d.result_digest = V.resultDigestV2(t.inputs_digest, d.institutions_digest, d.teams_digest);
    }
    out[name] = t;
  };
  const codes = pkg.public_inputs.split("\n").filter((l) => l.startsWith("institution\t")).map((l) => l.split("\t")[1]);
  edit("seed", (t, d) => { d.seed += "1"; });
  edit("seed in the part", (t, d) => { d.institutions = d.institutions.replace("\nseed\t" + d.seed + "\n", "\nseed\t" + d.seed + "1\n"); }, true);
  edit("institution", (t, d) => { d.institutions = lineEdit(d.institutions, "task", 0, (f) => { f[4] = codes.find((c) => c !== f[4]); return f; }); }, true);
  edit("order", (t, d) => {
    const ls = d.institutions.split("\n");
    const ti = ls.map((l, i) => (l.startsWith("task\t") ? i : -1)).filter((i) => i >= 0);
    const a = ls[ti[0]].split("\t"), b = ls[ti[1]].split("\t");
    [a[1], b[1]] = [b[1], a[1]];
    ls[ti[0]] = b.join("\t"); ls[ti[1]] = a.join("\t");
    d.institutions = ls.join("\n");
  }, true);
  edit("class of a listed institution", (t, d) => { d.institutions = lineEdit(d.institutions, "task", 0, (f) => { f[2] = f[2] === "A" ? "B" : "A"; return f; }); }, true);
  edit("class in the pool", (t) => {
    t.public_inputs = t.public_inputs.replace(/^(institution\t[^\n]*\t)([^\t\n]+)$/m, (_, h, c) => h + (c === "A" ? "B" : c.length === 1 ? "A" : V.commitment("x", "A", "0".repeat(32))));
    t.public_digest = V.sha256Hex(t.public_inputs);
    t.inputs_digest = V.inputsDigestV2(t.public_digest, t.sealed_digest);
  });
  edit("ticket", (t, d) => { d.institutions = lineEdit(d.institutions, "task", 0, (f) => { f[5] = String(BigInt(f[5]) + 1n); return f; }); }, true);
  edit("salt", (t, d) => { d.institutions = lineEdit(d.institutions, "alternate", 0, (f) => { f[5] = f[5] ? "0".repeat(32) : "0"; return f; }); }, true);
  edit("stratum count", (t, d) => { d.institutions = lineEdit(d.institutions, "stratum", 0, (f) => { f[2] = String(+f[2] + 1); return f; }); }, true);
  edit("dropped alternate", (t, d) => { d.institutions = d.institutions.replace(/alternate\t[^\n]*\n$/, ""); }, true);
  edit("items", (t, d) => { d.institutions = lineEdit(d.institutions, "task", 0, (f) => { f[7] = ""; return f; }); }, true);
  edit("public_digest", (t) => { t.public_digest = V.sha256Hex("x"); });
  edit("sealed_digest", (t) => { t.sealed_digest = V.sha256Hex("x"); });
  edit("inputs_digest", (t) => { t.inputs_digest = V.sha256Hex("x"); });
  edit("institutions_digest", (t, d) => { d.institutions_digest = V.sha256Hex("x"); });
  edit("teams_digest", (t, d) => { d.teams_digest = V.sha256Hex("x"); });
  edit("result_digest", (t, d) => { d.result_digest = V.sha256Hex("x"); });
  edit("rate in the spec", (t) => { t.plan.spec = t.plan.spec.replace(/^A = "[^"]*"/m, 'A = "99%"'); });
  edit("unknown field", (t) => { t.note = "x"; });
  edit("missing field", (t) => { delete t.audit_log_head; });
  edit("drawn before frozen", (t) => { t.draws[0].drawn_at = "2026-02-01T00:00:00"; });
  edit("duplicated draw", (t) => { t.draws.push(clone(t.draws[t.draws.length - 1])); });
  edit("first draw with a reason", (t) => { t.draws[0].reason = "x"; });
  edit("adjustment rank", (t) => { t.adjustments[0].replacement_rank += 1; });
  edit("adjustment category", (t) => { t.adjustments[0].reason_category = "because"; });
  edit("adjustment to an alternate without team", (t, d) => {
    d.alternates_without_team = [{ class: t.draws[last].institutions.split("\n").find((l) => l.startsWith("alternate\t") && l.split("\t")[3] === t.adjustments[0].replacement).split("\t")[1], rank: t.adjustments[0].replacement_rank }];
  });
  return out;
}

module.exports = { tampers, auditTampers, publicTampers };
