"use strict"
// Loads dist/fast.cjs the way Node loads a CommonJS module, but through vm.Script with the V8
// code cache that `node build.mjs` wrote next to it: compiling the bundle is most of a cold
// start, and Node 20 has no compile cache of its own (module.enableCompileCache is Node 22+).
// A cache from another Node version is rejected by V8 and the bundle simply compiles as usual.
const { readFileSync, writeFileSync } = require("node:fs")
const { createRequire } = require("node:module")
const { join } = require("node:path")
const vm = require("node:vm")

const file = join(__dirname, "..", "dist", "fast.cjs")
const cacheFile = `${file}.cache`

/**
 * Returns the bundle's exports. With `fresh` (build time), ignores any old cache and also returns
 * `saveCache()`, which writes the code of every function compiled so far into the cache file.
 */
exports.loadFast = ({ fresh = false } = {}) => {
  const source = readFileSync(file, "utf8")
  let cachedData
  if (!fresh) {
    try {
      cachedData = readFileSync(cacheFile)
    } catch {}
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData
  })
  const module = { exports: {} }
  script.runInThisContext()(module.exports, createRequire(file), module, file, join(file, ".."))
  if (!fresh) return module.exports
  return { ...module.exports, saveCache: () => writeFileSync(cacheFile, script.createCachedData()) }
}
