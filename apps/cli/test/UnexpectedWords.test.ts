import { describe, expect, it } from "vitest"
import { positionsOf, unexpectedArguments, unknownSubcommand } from "../src/UnexpectedWords.js"

// A stray word may be a secret typed in the wrong place: described by position and length, not shown.
describe("positionsOf", () => {
  it.each([
    [["MySecretValue456"], ["token", "MySecretValue456"], [2]],
    [["y"], ["refresh", "x", "y", "--json"], [3]],
    [
      ["b", "c"],
      ["decode", "a", "b", "c"],
      [3, 4]
    ],
    [["same"], ["token", "--scope", "same", "same"], [4]],
    [
      ["same", "same"],
      ["decode", "same", "same", "same"],
      [2, 3]
    ],
    [["after-json"], ["token", "--json", "after-json"], [3]],
    [["gone"], ["token"], [undefined]]
  ])("finds %j in %j at %j", (values, argv, want) => {
    expect(positionsOf(values, argv)).toEqual(want)
  })
})

describe("unexpectedArguments", () => {
  it.each([
    [
      ["MySecretValue456"],
      ["token", "MySecretValue456"],
      "Unexpected positional argument (position 2, 16 characters; not shown, it could be a secret)"
    ],
    [
      ["b", "ccc"],
      ["decode", "a", "b", "ccc"],
      "Unexpected positional arguments (position 3, 1 character; position 4, 3 characters; not shown, they could be secrets)"
    ]
  ])("describes %j", (values, argv, want) => {
    expect(unexpectedArguments(values, argv)).toBe(want)
  })
})

describe("unknownSubcommand", () => {
  it.each([
    ["tokn", ["tokn"], ["token"], 'Unknown subcommand "tokn" for "ipos-auth"\n\n  Did you mean this?\n    token'],
    ["frobnicate", ["frobnicate"], [], 'Unknown subcommand "frobnicate" for "ipos-auth"'],
    [
      "MySecretValue456",
      ["MySecretValue456", "--json"],
      [],
      'Unknown subcommand (position 1, 16 characters; not shown, it could be a secret) for "ipos-auth"'
    ]
  ])("shows %j only when it looks like a mistyped command", (word, argv, suggestions, want) => {
    expect(unknownSubcommand(word, argv, ["ipos-auth"], suggestions)).toBe(want)
  })
})
