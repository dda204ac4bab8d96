/** npm's warnings, read from a real install of the tarballs on Node 20 (fixtures/npm-install-node20.stderr.txt). */
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { engineWarnings, otherWarnings } from "../src/NpmOutput.js"

const stderr = readFileSync(new URL("./fixtures/npm-install-node20.stderr.txt", import.meta.url), "utf8")

describe("engineWarnings", () => {
  it("names each package whose engines exclude the running Node, with the range it wants", () => {
    expect(engineWarnings(stderr)).toEqual([
      { pkg: "@effect/opentelemetry@4.1.0", required: ">=22.19.0" },
      { pkg: "@effect/platform-node@4.1.0", required: ">=22.19.0" },
      { pkg: "@effect/platform-node-shared@4.1.0", required: ">=22.19.0" },
      { pkg: "undici@8.13.1", required: ">=22.19.0" }
    ])
  })

  it("finds none in a quiet install", () => {
    expect(engineWarnings("")).toEqual([])
  })
})

describe("otherWarnings", () => {
  it("gives each other warning code once, its lines joined", () => {
    expect(otherWarnings(stderr)).toEqual([
      "install-scripts: 1 package has install scripts not yet covered by allowScripts: protobufjs@7.6.6 (postinstall: node scripts/postinstall) Run `npm install-scripts ls` to review, or `npm install-scripts approve <pkg>` to allow."
    ])
  })

  it("ignores lines that are not npm warnings", () => {
    expect(otherWarnings("added 48 packages in 14s\nnpm error code E404")).toEqual([])
  })
})
