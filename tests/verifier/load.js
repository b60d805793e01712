// Loads the verifier's protocol code from the shipped page (docs/verifier/verifier.html), so that
// the tests check exactly the script the browser runs. The page may also be an exported one.
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const ROOT = path.resolve(__dirname, "..", "..");
const PAGE = path.join(ROOT, "docs", "verifier", "verifier.html");

function coreSource(html) {
  const m = /<script id="choucha-verifier-core">([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error("no <script id=\"choucha-verifier-core\"> block in the page");
  return m[1];
}

function load(pagePath) {
  const html = fs.readFileSync(pagePath || PAGE, "utf8");
  const sandbox = { TextEncoder, TextDecoder, BigInt, console };
  sandbox.globalThis = sandbox;
  vm.createContext(sandbox);
  vm.runInContext(coreSource(html), sandbox, { filename: "verifier.html#core" });
  return sandbox.ChouchaVerifier;
}

// The package embedded in an exported page, parsed as the page parses it.
function embeddedPackage(html) {
  const m = /<script type="application\/json" id="choucha-package">([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error("no embedded package block");
  return m[1];
}

module.exports = { load, ROOT, PAGE, coreSource, embeddedPackage };
