// Every vector in tests/vectors (and in tests/vectors/v2, once present) against the page's code.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("fs");
const path = require("path");
const { load, ROOT } = require("./load.js");

const V = load();
const DIR = path.join(ROOT, "tests", "vectors");

// Vector files relative to tests/vectors: the v1 ones at the top, the v2 ones in v2/ (if present).
function vectorFiles() {
  const top = fs.readdirSync(DIR).filter((f) => f.endsWith(".json")).sort();
  const v2 = fs.existsSync(path.join(DIR, "v2"))
    ? fs.readdirSync(path.join(DIR, "v2")).filter((f) => f.endsWith(".json")).sort().map((f) => "v2/" + f)
    : [];
  return top.concat(v2);
}

test("there are vectors to check", () => {
  assert.ok(vectorFiles().length >= 8, "expected the v1 vectors a-h");
});

function words(key, stream, n) {
  const s = new V.Stream(key, stream);
  return Array.from({ length: n }, () => s.nextWord().toString());
}

for (const file of vectorFiles()) {
  test("vector " + file, () => {
    const v = JSON.parse(fs.readFileSync(path.join(DIR, file), "utf8"));
    const here = path.dirname(path.join(DIR, file));
    const read = (f) => V.decodeUtf8Strict(new Uint8Array(fs.readFileSync(path.join(here, f))));
    if (v.protocol === 1) {
      const r = V.runVector(v, read(v.inputs_file));
      assert.equal(r.inputsDigest, v.inputs_digest, "inputs digest");
      assert.equal(V.hex(r.key), v.key_hex, "key");
      assert.deepEqual(words(r.key, 0, v.stream0_first_words.length), v.stream0_first_words, "stream 0");
      assert.deepEqual(words(r.key, 1, v.stream1_first_words.length), v.stream1_first_words, "stream 1");
      if (v.error !== undefined) {
        assert.equal(r.error, v.error);
        assert.equal(r.errorInstitution, v.error_institution);
        assert.equal(r.errorClass, v.error_class);
        assert.equal(r.resultText, undefined);
      } else {
        assert.equal(r.resultText, v.result_text, "result text");
        assert.equal(r.resultDigest, v.result_digest, "result digest");
        assert.equal(V.sha256Hex(v.result_text), v.result_digest, "digest of the vector's own text");
      }
      return;
    }
    assert.equal(v.protocol, 2, "protocol");
    const pub = read(v.public_file), sealed = read(v.sealed_file);
    const r = V.runVector(v, pub + sealed);
    assert.equal(r.publicDigest, v.public_digest, "public digest");
    assert.equal(r.sealedDigest, v.sealed_digest, "sealed digest");
    assert.equal(r.inputsDigest, v.inputs_digest, "inputs digest");
    assert.equal(V.hex(r.institutionKey), v.institution_key_hex, "institution key");
    assert.equal(V.hex(r.teamKey), v.team_key_hex, "team key");
    assert.deepEqual(words(r.institutionKey, 0, v.institution_stream_first_words.length), v.institution_stream_first_words, "institution stream");
    assert.deepEqual(words(r.teamKey, 1, v.team_stream_first_words.length), v.team_stream_first_words, "team stream");
    assert.equal(r.institutionPart, v.institution_part, "institution part");
    assert.equal(r.institutionsDigest, v.institutions_digest, "institutions digest");
    if (v.error !== undefined) {
      assert.equal(r.error, v.error);
      assert.equal(r.errorInstitution, v.error_institution);
      assert.equal(r.errorClass, v.error_class);
    } else {
      assert.equal(r.error, undefined, "the draw succeeds");
      assert.equal(r.teamPart, v.team_part, "team part");
      assert.equal(r.teamsDigest, v.teams_digest, "teams digest");
      assert.equal(r.resultDigest, v.result_digest, "result digest");
    }
    // The public section alone gives the same institution part (what a public package checks).
    const x = V.parsePublicV2(pub);
    if (x.classMode === "published") {
      const inst = V.drawInstitutionsV2(x, r.institutionKey);
      assert.equal(V.institutionPartV2(x, r.publicDigest, v.seed, inst), v.institution_part, "institution part from the public section");
    }
  });
}

test("rng/below.json: keystream of the zero key and below(n) with rejections", () => {
  const b = JSON.parse(fs.readFileSync(path.join(DIR, "rng", "below.json"), "utf8"));
  const zero = new Uint8Array(32);
  let s = new V.Stream(zero, 0);
  assert.deepEqual(b.zero_key_stream0_first_words.map(() => s.nextWord().toString()), b.zero_key_stream0_first_words);
  s = new V.Stream(zero, 1);
  assert.deepEqual(b.zero_key_stream1_first_words.map(() => s.nextWord().toString()), b.zero_key_stream1_first_words);
  assert.equal(V.hex(V.deriveKey("choucha-draw-key-v1", zero, "rejection")), b.key_hex);
  const key = V.unhex(b.key_hex);
  s = new V.Stream(key, b.stream);
  assert.deepEqual(b.words.map(() => s.nextWord().toString()), b.words);
  s = new V.Stream(key, b.stream);
  let rejections = 0;
  for (const c of b.calls) {
    const trace = { rejected: [] };
    const value = V.below(s, BigInt(c.n), trace);
    assert.equal(value.toString(), c.value);
    assert.equal(trace.accepted.toString(), c.accepted);
    assert.deepEqual(trace.rejected.map(String), c.rejected);
    assert.equal(s.wordsRead, c.words_read_after);
    rejections += c.rejected.length;
  }
  assert.ok(rejections > 0, "the vector exercises rejection");
});

test("SHA-256 and ChaCha20 check values", () => {
  assert.equal(V.sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assert.equal(V.sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // 1,000,000 × "a": several blocks and the length field
  assert.equal(V.sha256Hex("a".repeat(1000000)), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  for (let n = 50; n < 70; n++) {
    const crypto = require("crypto");
    const data = "x".repeat(n);
    assert.equal(V.sha256Hex(data), crypto.createHash("sha256").update(data).digest("hex"), "length " + n);
  }
  const s = new V.Stream(new Uint8Array(32), 0);
  const w = s.nextWord();
  assert.equal(w.toString(16), "903df1a0ade0b876"); // bytes 76 b8 e0 ad a0 f1 3d 90, little-endian
});

test("code point order, not UTF-16 order", () => {
  assert.equal(V.cmp("医学", "法律"), -1);
  assert.equal(V.cmp("\uFF21", "\u{1F600}"), -1); // U+FF21 < U+1F600, though "\uD83D" < "\uFF21" in UTF-16
  assert.equal(V.cmp("a", "ab"), -1);
  assert.equal(V.cmp("ab", "ab"), 0);
});

test("inputs are sorted by code point, also beyond U+FFFF", () => {
  const text = fs.readFileSync(path.join(DIR, "a-worked-example.inputs.txt"), "utf8");
  const add = (a, b) => text.replace(/(institution\tP45990200008[^\n]*\n)/, "$1institution\t" + a + "\t医疗机构\t江北区\tA\ninstitution\t" + b + "\t医疗机构\t江北区\tA\n");
  V.parseInputsV1(add("X\uFF21", "X\u{1F600}")); // U+FF21 < U+1F600
  assert.throws(() => V.parseInputsV1(add("X\u{1F600}", "X\uFF21")), V.VerifyError);
});

test("seed rules (§1.3)", () => {
  for (const good of ["7", "007", "36 51 02 骰子", "７", "x".repeat(256), "😀".repeat(256)]) V.checkSeed(good);
  const bad = ["", "x".repeat(257), "a\tb", "a\u200bb", "a\u00adb", "a\ufeff", " 7", "7 ", "7\u3000", "\u00a07", "a\u0085b"];
  for (const s of bad) assert.throws(() => V.checkSeed(s), V.VerifyError, JSON.stringify(s));
});

test("non-canonical inputs are refused (§2.7)", () => {
  const text = fs.readFileSync(path.join(DIR, "a-worked-example.inputs.txt"), "utf8");
  V.parseInputsV1(text);
  const variants = {
    bom: "\ufeff" + text,
    crlf: text.replace(/\n/g, "\r\n"),
    "no final LF": text.slice(0, -1),
    "leading zero": text.replace("year\t2026", "year\t02026"),
    "lower-case class": text.replace("江北区\tA\n", "江北区\ta\n"),
    "unsorted lines": text.replace(/(institution\tH45990100001[^\n]*\n)(institution\tH45990100002[^\n]*\n)/, "$2$1"),
    "unsorted list": text.replace("医学,法律", "法律,医学"),
    "duplicate list element": text.replace("医学,法律", "医学,医学"),
    "duplicate institution": text.replace(/(institution\tH45990100001[^\n]*\n)/, "$1$1"),
    "extra TAB": text.replace("team_size\t2", "team_size\t2\t"),
    "missing TAB": text.replace("药学\t\n", "药学\n"),
    "empty line": text.replace("year\t2026\n", "year\t2026\n\n"),
    "version 2": text.replace("choucha-draw-inputs\t1", "choucha-draw-inputs\t2"),
    "rate above 10000": text.replace("rate\tD\t5000", "rate\tD\t10001"),
    "team of 1": text.replace("team_size\t2", "team_size\t1"),
    "more requirements than team size": text.replace("expertise\t零售药店\t药学\n", "expertise\t零售药店\t法律\nexpertise\t零售药店\t药学\n"),
  };
  for (const [name, t] of Object.entries(variants)) {
    assert.notEqual(t, text, name + " changes the text");
    assert.throws(() => V.parseInputsV1(t), V.VerifyError, name);
  }
  assert.throws(() => V.decodeUtf8Strict(new Uint8Array([0x61, 0xff, 0x0a])), V.VerifyError);
  assert.throws(() => V.utf8("a\ud800b"), V.VerifyError);
});
