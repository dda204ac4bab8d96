import { describe, expect, it } from "vitest"
import {
  describeFaults,
  FaultState,
  type FaultsSnapshot,
  parseFaultsPatch,
  undocumentedErrorMessage
} from "../src/Faults.js"
import { SandboxConfigError } from "../src/SandboxConfigError.js"

const start = Date.parse("2026-01-01T00:00:00.000Z")
const clock = () => {
  let now = start
  return { now: () => now, advance: (ms: number) => (now += ms) }
}
const drain = (faults: FaultState, times: number) => Array.from({ length: times }, () => faults.next())

describe("parseFaultsPatch", () => {
  it.each<[string, unknown, unknown]>([
    ["nothing", undefined, {}],
    ["an outage", { outage: { seconds: 1.5 } }, { outage: { seconds: 1.5 } }],
    ["failNext with defaults", { failNext: {} }, { failNext: { count: 1, status: 502, reset: false } }],
    [
      "failNext by reset",
      { failNext: { count: 2, reset: true } },
      { failNext: { count: 2, status: 502, reset: true } }
    ],
    ["a delay", { delayMs: 250 }, { delayMs: 250 }],
    ["rateLimit with defaults", { rateLimit: {} }, { rateLimit: { count: 1, retryAfterSeconds: 1 } }],
    ["malformed with defaults", { malformed: {} }, { malformed: { count: 1, kind: "truncated-json" } }],
    [
      "an undocumented code by default",
      { authError: {} },
      { authError: { count: 1, errorCode: "AUTH_ERR_013", errorMessage: undocumentedErrorMessage } }
    ],
    [
      "a documented code with its documented message",
      { authError: { errorCode: "AUTH_ERR_007", count: 3 } },
      {
        authError: {
          count: 3,
          errorCode: "AUTH_ERR_007",
          errorMessage: "Invalid Token, Please try with a Valid Token."
        }
      }
    ],
    ["a lifetime override", { tokenLifetimeSeconds: 2 }, { tokenLifetimeSeconds: 2 }],
    ["nulls that switch faults off", { outage: null, delayMs: null }, { outage: null, delayMs: null }]
  ])("accepts %s", (_, input, want) => {
    expect(parseFaultsPatch(input)).toEqual(want)
  })

  it.each<[string, unknown, string]>([
    ["a non-object", [], "faults must be an object"],
    ["an unknown fault", { outages: {} }, "faults.outages is not a known setting"],
    ["an unknown field", { failNext: { times: 2 } }, "faults.failNext.times is not a known setting"],
    [
      "a zero outage",
      { outage: { seconds: 0 } },
      "faults.outage.seconds must be a number of seconds above 0 and at most 86400"
    ],
    ["a 3xx failure", { failNext: { status: 302 } }, "faults.failNext.status must be an integer from 400 to 599"],
    [
      "a fractional count",
      { rateLimit: { count: 1.5 } },
      "faults.rateLimit.count must be an integer from 1 to 1000000"
    ],
    ["a string delay", { delayMs: "100" }, "faults.delayMs must be an integer from 0 to 60000"],
    ["a delay above a minute", { delayMs: 60_001 }, "faults.delayMs must be an integer from 0 to 60000"],
    [
      "an unknown malformation",
      { malformed: { kind: "xml" } },
      "faults.malformed.kind must be truncated-json, empty, html"
    ],
    [
      "a code of another shape",
      { authError: { errorCode: "ERR_13" } },
      "faults.authError.errorCode must look like AUTH_ERR_ and three digits"
    ],
    [
      "an empty message",
      { authError: { errorMessage: "" } },
      "faults.authError.errorMessage must be a string of 1 to 500 characters"
    ],
    ["a zero lifetime", { tokenLifetimeSeconds: 0 }, "faults.tokenLifetimeSeconds must be an integer from 1 to 86400"],
    ["a non-boolean reset", { failNext: { reset: "yes" } }, "faults.failNext.reset must be a boolean"]
  ])("refuses %s", (_, input, message) => {
    expect(() => parseFaultsPatch(input)).toThrow(new SandboxConfigError(message))
  })
})

describe("FaultState", () => {
  it("starts with nothing active", () => {
    expect(new FaultState(clock().now).snapshot()).toEqual({
      outage: null,
      failNext: null,
      delayMs: 0,
      rateLimit: null,
      malformed: null,
      authError: null,
      tokenLifetimeSeconds: null
    })
  })

  it("fails the next N requests, then answers normally", () => {
    const faults = new FaultState(clock().now)
    faults.apply({ failNext: { count: 2, status: 503 } })
    expect(drain(faults, 3)).toEqual([{ _tag: "Fail", status: 503 }, { _tag: "Fail", status: 503 }, undefined])
  })

  it("reports what remains of a count", () => {
    const faults = new FaultState(clock().now)
    faults.apply({ rateLimit: { count: 3, retryAfterSeconds: 7 } })
    faults.next()
    expect(faults.snapshot().rateLimit).toEqual({ count: 2, retryAfterSeconds: 7 })
  })

  it("runs an outage window on its clock, and reports its end", () => {
    const time = clock()
    const faults = new FaultState(time.now)
    faults.apply({ outage: { seconds: 2 } })
    expect(faults.snapshot().outage).toEqual({ endsAt: "2026-01-01T00:00:02.000Z" })
    time.advance(1999)
    expect(faults.next()).toEqual({ _tag: "Outage" })
    time.advance(1)
    expect(faults.next()).toBeUndefined()
    expect(faults.snapshot().outage).toBeNull()
  })

  it("answers with one fault per request, in the documented precedence", () => {
    const time = clock()
    const faults = new FaultState(time.now)
    faults.apply({
      outage: { seconds: 1 },
      failNext: { reset: true },
      rateLimit: { retryAfterSeconds: 3 },
      authError: { errorCode: "AUTH_ERR_099", errorMessage: "Ninety-nine." },
      malformed: { kind: "empty" }
    })
    expect(faults.next()).toEqual({ _tag: "Outage" })
    time.advance(1000)
    expect(drain(faults, 5)).toEqual([
      { _tag: "Reset" },
      { _tag: "RateLimit", retryAfterSeconds: 3 },
      { _tag: "AuthError", errorCode: "AUTH_ERR_099", errorMessage: "Ninety-nine." },
      { _tag: "Malformed", kind: "empty" },
      undefined
    ])
  })

  it("merges patches: absent keys stay, null switches one off", () => {
    const faults = new FaultState(clock().now)
    faults.apply({ delayMs: 100, tokenLifetimeSeconds: 5 })
    faults.apply({ delayMs: null, malformed: { kind: "html", count: 2 } })
    expect(faults.snapshot()).toMatchObject({
      delayMs: 0,
      tokenLifetimeSeconds: 5,
      malformed: { count: 2, kind: "html" }
    })
    expect(faults.delayMs).toBe(0)
    expect(faults.tokenLifetimeSeconds).toBe(5)
  })

  it("leaves the state untouched when a patch is invalid", () => {
    const faults = new FaultState(clock().now)
    faults.apply({ delayMs: 100 })
    expect(() => faults.apply({ delayMs: 5, failNext: { status: 200 } })).toThrow(SandboxConfigError)
    expect(faults.delayMs).toBe(100)
  })

  it("clears everything, the lifetime override included", () => {
    const faults = new FaultState(clock().now)
    faults.apply({ delayMs: 100, tokenLifetimeSeconds: 5, failNext: {} })
    expect(faults.clear()).toEqual(new FaultState(clock().now).snapshot())
    expect(faults.next()).toBeUndefined()
  })
})

describe("describeFaults", () => {
  const none: FaultsSnapshot = new FaultState(clock().now).snapshot()

  it("describes nothing when no fault is active", () => {
    expect(describeFaults(none)).toEqual([])
    expect(describeFaults({ ...none, delayMs: 0 })).toEqual([])
  })

  it.each<[string, Partial<FaultsSnapshot>, string]>([
    ["a delay", { delayMs: 250 }, "delay: every auth request waits 250 ms"],
    [
      "an outage",
      { outage: { endsAt: "2026-01-01T00:00:30.000Z" } },
      "outage: every auth request gets an HTML 503 until 2026-01-01T00:00:30.000Z"
    ],
    [
      "one failure",
      { failNext: { count: 1, status: 502, reset: false } },
      "failNext: the next auth request gets an HTML 502"
    ],
    [
      "failures",
      { failNext: { count: 3, status: 503, reset: false } },
      "failNext: the next 3 auth requests get an HTML 503"
    ],
    [
      "resets",
      { failNext: { count: 2, status: 502, reset: true } },
      "failNext: the next 2 auth requests get a connection reset"
    ],
    [
      "a rate limit",
      { rateLimit: { count: 2, retryAfterSeconds: 30 } },
      "rateLimit: the next 2 auth requests get 429 with Retry-After: 30"
    ],
    [
      "an injected code",
      { authError: { count: 1, errorCode: "AUTH_ERR_013", errorMessage: undocumentedErrorMessage } },
      'authError: the next auth request gets AUTH_ERR_013 "Undocumented error injected by the sandbox."'
    ],
    [
      "malformed answers",
      { malformed: { count: 4, kind: "html" } },
      "malformed: the next 4 auth requests get a malformed 200 (html)"
    ],
    [
      "a lifetime override",
      { tokenLifetimeSeconds: 5 },
      "tokenLifetimeSeconds: tokens live 5 s, whatever minutes are asked"
    ]
  ])("describes %s in one line", (_, active, line) => {
    expect(describeFaults({ ...none, ...active })).toEqual([line])
  })

  it("describes every active fault, in the order they act", () => {
    const time = clock()
    const faults = new FaultState(time.now)
    faults.apply({
      tokenLifetimeSeconds: 2,
      malformed: { kind: "empty" },
      authError: { count: 2, errorCode: "AUTH_ERR_004" },
      rateLimit: { retryAfterSeconds: 7 },
      failNext: { count: 3, reset: true },
      outage: { seconds: 1.5 },
      delayMs: 40
    })
    expect(describeFaults(faults.snapshot())).toEqual([
      "delay: every auth request waits 40 ms",
      "outage: every auth request gets an HTML 503 until 2026-01-01T00:00:01.500Z",
      "failNext: the next 3 auth requests get a connection reset",
      "rateLimit: the next auth request gets 429 with Retry-After: 7",
      'authError: the next 2 auth requests get AUTH_ERR_004 "Invalid Credentials, Please Contact Support Team."',
      "malformed: the next auth request gets a malformed 200 (empty)",
      "tokenLifetimeSeconds: tokens live 2 s, whatever minutes are asked"
    ])
    time.advance(1500)
    faults.next()
    expect(describeFaults(faults.snapshot()).slice(0, 3)).toEqual([
      "delay: every auth request waits 40 ms",
      "failNext: the next 2 auth requests get a connection reset",
      "rateLimit: the next auth request gets 429 with Retry-After: 7"
    ])
  })
})
