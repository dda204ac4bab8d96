import { describe, expect, it } from "vitest"
import { readFastArgs } from "../src/FastArgs.js"

describe("readFastArgs", () => {
  it.each([
    [
      ["token"],
      { command: "token", scope: undefined, expiry: undefined, env: undefined, authUrl: undefined, json: false }
    ],
    [
      [
        "token",
        "--scope",
        "Recurring",
        "--expiry=60",
        "--env",
        "production",
        "--auth-url",
        "http://127.0.0.1:1",
        "--json"
      ],
      {
        command: "token",
        scope: "Recurring",
        expiry: "60",
        env: "production",
        authUrl: "http://127.0.0.1:1",
        json: true
      }
    ],
    [
      ["refresh", "--token", "a.b.c"],
      { command: "refresh", token: "a.b.c", env: undefined, authUrl: undefined, json: false }
    ],
    [["refresh", "--json"], { command: "refresh", token: undefined, env: undefined, authUrl: undefined, json: true }],
    [
      ["refresh", "a.b.c", "--json"],
      { command: "refresh", token: "a.b.c", env: undefined, authUrl: undefined, json: true }
    ],
    [["decode", "a.b.c", "--json"], { command: "decode", jwt: "a.b.c", json: true }],
    [["decode"], { command: "decode", jwt: undefined, json: false }],
    [["decode", "-"], { command: "decode", jwt: "-", json: false }]
  ])("runs %j on the fast path", (argv, want) => {
    expect(readFastArgs(argv)).toEqual(want)
  })

  it.each([
    [[]],
    [["--help"]],
    [["--version"]],
    [["sandbox"]],
    [["token", "--help"]],
    [["token", "-h"]],
    [["token", "--scope"]],
    [["token", "--scope", "--json"]],
    [["token", "--scope", "A", "--scope", "B"]],
    [["token", "--json", "--json"]],
    [["token", "--token", "x"]],
    [["token", "extra"]],
    [["refresh", "--scope", "Recurring"]],
    [["refresh", "a.b.c", "--token", "d.e.f"]],
    [["refresh", "a.b.c", "d.e.f"]],
    [["decode", "a", "b"]],
    [["decode", "--completions", "bash"]],
    [["tokens"]]
  ])("leaves %j to effect/cli", (argv) => {
    expect(readFastArgs(argv)).toBeUndefined()
  })
})
