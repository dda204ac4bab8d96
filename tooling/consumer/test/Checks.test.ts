/** What counts as the right answer of the installed commands. */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { printedToken, printsVersion, sandboxLine } from "../src/Checks.js"

const version = fc.tuple(fc.nat({ max: 99 }), fc.nat({ max: 99 }), fc.nat({ max: 99 })).map((parts) => parts.join("."))

describe("printsVersion", () => {
  it.each([
    ["the name and v-version, as ipos-auth prints it", "ipos-auth v0.1.0\n", true],
    ["the bare version, as ipos-auth-proxy prints it", "0.1.0\n", true],
    ["v-version", "v0.1.0", true],
    ["the name and the bare version", "ipos-auth 0.1.0", true],
    ["another version", "ipos-auth v0.1.1\n", false],
    ["a version that only starts the same", "ipos-auth v0.1.0-rc.1\n", false],
    ["another command's name", "other v0.1.0\n", false],
    ["more than one line", "ipos-auth v0.1.0\nupdate available\n", false],
    ["nothing", "", false]
  ] as const)("%s: %s", (_, stdout, want) => {
    expect(printsVersion(stdout, "ipos-auth", "0.1.0")).toBe(want)
  })

  it("accepts the package's version in every form, and no other version", () => {
    fc.assert(
      fc.property(version, version, fc.constantFrom("", "v"), (actual, printed, v) => {
        expect(printsVersion(`ipos-auth ${v}${printed}\n`, "ipos-auth", actual)).toBe(printed === actual)
      })
    )
  })
})

describe("printedToken", () => {
  it.each([
    ["one JWT and a newline", "eyJh.eyJz.c2ln\n", "eyJh.eyJz.c2ln"],
    ["base64url characters", "a-_b.c_-d.e-f_\n", "a-_b.c_-d.e-f_"],
    ["no newline", "eyJh.eyJz.c2ln", undefined],
    ["two segments", "eyJh.eyJz\n", undefined],
    ["text around it", "token: eyJh.eyJz.c2ln\n", undefined],
    ["two lines", "eyJh.eyJz.c2ln\neyJh.eyJz.c2ln\n", undefined]
  ] as const)("%s", (_, stdout, want) => {
    expect(printedToken(stdout)).toBe(want)
  })
})

describe("sandboxLine", () => {
  it("reads the URL and the credentials", () => {
    expect(sandboxLine('{"url":"http://127.0.0.1:4010","apiKey":"k","secretKey":"s"}')).toEqual({
      url: "http://127.0.0.1:4010",
      apiKey: "k",
      secretKey: "s"
    })
  })

  it.each([
    ["not JSON", "listening on http://127.0.0.1:4010"],
    ["a field missing", '{"url":"http://127.0.0.1:4010","apiKey":"k"}'],
    ["a field of another type", '{"url":4010,"apiKey":"k","secretKey":"s"}'],
    ["not an object", "null"]
  ])("refuses %s", (_, line) => {
    expect(sandboxLine(line)).toBeUndefined()
  })
})
