import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import { resolveTarget } from "../../src/commands/issue.js"

// Where token and refresh send: flags over IPOS_*, and an explicit --env over a stray IPOS_AUTH_URL.
const local = "http://127.0.0.1:8080"
const target = (args: { env?: string; authUrl?: string }, env: Record<string, string>) =>
  resolveTarget({ env: args.env, authUrl: args.authUrl }, env)

describe("resolveTarget", () => {
  it.each([
    ["defaults to the sandbox server", {}, {}, { env: "sandbox", baseUrl: undefined }],
    ["reads IPOS_ENV", {}, { IPOS_ENV: "production" }, { env: "production", baseUrl: undefined }],
    ["reads IPOS_AUTH_URL", {}, { IPOS_AUTH_URL: local }, { env: "sandbox", baseUrl: local }],
    [
      "treats empty variables as unset",
      {},
      { IPOS_ENV: "", IPOS_AUTH_URL: "" },
      { env: "sandbox", baseUrl: undefined }
    ],
    [
      "lets --env override IPOS_ENV",
      { env: "sandbox" },
      { IPOS_ENV: "production" },
      { env: "sandbox", baseUrl: undefined }
    ],
    [
      "ignores IPOS_AUTH_URL when --env is given",
      { env: "production" },
      { IPOS_AUTH_URL: local },
      { env: "production", baseUrl: undefined }
    ],
    [
      "lets --auth-url win over everything",
      { env: "production", authUrl: "http://127.0.0.1:9999" },
      { IPOS_AUTH_URL: local },
      { env: "production", baseUrl: "http://127.0.0.1:9999" }
    ]
  ] as const)("%s", (_, args, env, want) => {
    expect(Effect.runSync(target(args, env))).toEqual(want)
  })

  it.each([
    [{ env: "staging" }, {}, "env"],
    [{}, { IPOS_ENV: "staging" }, "IPOS_ENV"],
    [{ authUrl: "ftp://x" }, {}, "baseUrl"],
    [{}, { IPOS_AUTH_URL: "not a url" }, "IPOS_AUTH_URL"]
  ] as const)("names where a bad value came from: %j %j → %s", (args, env, field) => {
    expect(Effect.runSync(Effect.flip(target(args, env))).field).toBe(field)
  })
})
