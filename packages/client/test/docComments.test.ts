import { describe, expect, it } from "vitest"
import { addDocComments, commentFor } from "../scripts/docComments.mjs"

// Proves scripts/docComments.mjs: the comments generate.mjs adds so that every public name of the
// generated output is documented in the API reference.
describe("commentFor", () => {
  it.each([
    [
      "AuthenticateTokenData",
      "The request of `authenticateToken`: its headers, body, path and query, as the spec describes them."
    ],
    ["RefreshTokenResponses", "The bodies `refreshToken` answers with, by HTTP status."],
    ["RefreshTokenResponse", "The body of any response `refreshToken` documents as a success."],
    ["AuthenticateTokenErrors", "The error bodies `authenticateToken` answers with, by HTTP status."],
    ["AuthenticateTokenError", "The body of any response `authenticateToken` documents as an error."],
    ["ClientOptions", "The base URLs the spec lists as servers; any other URL is accepted too."]
  ])("describes %s of sdk/types.gen.ts", (name, want) => {
    expect(commentFor("sdk/types.gen.ts", name)).toBe(want)
  })

  it("describes openapi-typescript's interfaces by name, and nothing it does not know", () => {
    expect(commentFor("paths.gen.ts", "paths")).toBe(
      "Every path of the API with its operations, typed from the spec (openapi-typescript's `paths`)."
    )
    expect(commentFor("paths.gen.ts", "AuthenticateTokenData")).toBeUndefined()
    expect(commentFor("sdk/types.gen.ts", "Scope")).toBeUndefined()
  })
})

describe("addDocComments", () => {
  it("puts a comment above each undocumented export it knows, and keeps the spec's own comments", () => {
    const source = [
      "// generated",
      "",
      "/**",
      " * A token scope.",
      " */",
      "export type Scope = 'Recurring';",
      "",
      "export type RefreshTokenData = {",
      "    body?: never;",
      "};",
      "",
      "export type Unknown = string;",
      ""
    ].join("\n")
    expect(addDocComments("sdk/types.gen.ts", source)).toBe(
      [
        "// generated",
        "",
        "/**",
        " * A token scope.",
        " */",
        "export type Scope = 'Recurring';",
        "",
        "/** The request of `refreshToken`: its headers, body, path and query, as the spec describes them. */",
        "export type RefreshTokenData = {",
        "    body?: never;",
        "};",
        "",
        "export type Unknown = string;",
        ""
      ].join("\n")
    )
  })

  it("is idempotent: a documented declaration gets no second comment", () => {
    const once = addDocComments("paths.gen.ts", "export interface paths {\n}\n")
    expect(once).toBe(
      "/** Every path of the API with its operations, typed from the spec (openapi-typescript's `paths`). */\nexport interface paths {\n}\n"
    )
    expect(addDocComments("paths.gen.ts", once)).toBe(once)
  })
})
