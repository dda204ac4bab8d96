import { describe, expect, it } from "vitest"
import type { FastArgs } from "../src/FastArgs.js"
import { tokenOnCommandLineWarning } from "../src/TokenOnCommandLine.js"

// A token typed as an argument shows in `ps`: say so on stderr, and how to pipe it instead.
const warning = (command: string) =>
  `ipos-auth: warning: a token on the command line is visible to every user of this machine (ps, /proc/*/cmdline): pipe it on stdin instead, e.g. echo "$TOKEN" | ipos-auth ${command}`
const refresh = (token: string | undefined): FastArgs => ({
  command: "refresh",
  token,
  env: undefined,
  authUrl: undefined,
  json: false
})
const decode = (jwt: string | undefined): FastArgs => ({ command: "decode", jwt, json: true })
const token: FastArgs = {
  command: "token",
  scope: undefined,
  expiry: undefined,
  env: undefined,
  authUrl: undefined,
  json: false
}

describe("tokenOnCommandLineWarning", () => {
  it.each([
    ["refresh --token JWT", refresh("a.b.c"), warning("refresh")],
    ["decode JWT", decode("a.b.c"), warning("decode")],
    ["refresh (stdin)", refresh(undefined), undefined],
    ["decode (stdin)", decode(undefined), undefined],
    ["decode - (stdin)", decode("-"), undefined],
    ["refresh --token '' (no token at all)", refresh(""), undefined],
    ["token", token, undefined]
  ])("%s", (_, args, want) => {
    expect(tokenOnCommandLineWarning(args)).toBe(want)
  })
})
