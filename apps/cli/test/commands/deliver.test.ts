import { type IssuedToken, MalformedResponse, noOffset } from "@ipos/auth-core"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { deliver } from "../../src/commands/issue.js"

// What `token` / `refresh` make of an issued token: printed, refused as dead on arrival (exit 5,
// nothing printed), or printed with exit 5 when its expiry is no time.
const now = Date.UTC(2026, 10, 30, 12)
const day = 86_400_000
const issued = (fields: Partial<IssuedToken> = {}): IssuedToken => ({
  token: Redacted.make("aaa.bbb.ccc"),
  operation: "authenticate",
  scope: "PaymentTokenization",
  claimScope: "paymentTokenize",
  fingerprint: "…bbbccc",
  createdDt: String(now),
  issuedAt: now,
  expiresAt: now + day,
  expirySource: "exp",
  requestedAt: now,
  requestedAtMonotonic: 0,
  receivedAt: now,
  clockOffset: noOffset,
  localExpiresAt: now + day,
  localIssuedAt: now,
  attempts: 1,
  ...fields
})
const dead = new MalformedResponse({
  operation: "authenticate",
  status: 200,
  reason: "a token that is already expired (or within its safety margin) on arrival; check both clocks",
  excerpt: ""
})

describe("deliver", () => {
  it("prints a fresh token", () => {
    expect(deliver(issued(), false, now)).toEqual(Result.succeed("aaa.bbb.ccc\n"))
  })

  it.each([
    [
      "expired a year before it arrived",
      { issuedAt: now - 366 * day, localIssuedAt: now - 366 * day, localExpiresAt: now - 365 * day }
    ],
    ["expiring as it arrives", { localExpiresAt: now }],
    [
      "inside its 30 s safety margin (24-hour token)",
      { issuedAt: now - day + 29_000, localIssuedAt: now - day + 29_000, localExpiresAt: now + 29_000 }
    ]
  ])("refuses a token %s, printing nothing", (_, fields) => {
    expect(deliver(issued(fields), false, now)).toEqual(Result.fail(dead))
  })

  it("refuses a 24-hour token exactly when 30 s or less are left on arrival, as the TokenManager does", () => {
    fc.assert(
      fc.property(fc.integer({ min: -day, max: day }), (left) => {
        const result = deliver(
          issued({ issuedAt: now - day + left, localIssuedAt: now - day + left, localExpiresAt: now + left }),
          false,
          now
        )
        expect(Result.isFailure(result)).toBe(left <= 30_000)
      })
    )
  })

  it("prints a token whose exp is no time, but fails it with exit 5 and says why", () => {
    const exp = (now / 1000 + 3_600) * 1_000_000
    const result = deliver(issued({ expiresAt: exp * 1000 }), true, now)
    expect(result).toEqual(
      Result.fail({
        _tag: "FailureWithOutput",
        failure: new MalformedResponse({
          operation: "authenticate",
          status: 200,
          reason: `the token's exp claim (${exp}) is not a time in seconds since the epoch; the token is printed on stdout, its expiry unknown`,
          excerpt: ""
        }),
        stdout: `${JSON.stringify(
          {
            token: "aaa.bbb.ccc",
            scope: "PaymentTokenization",
            issuedAt: new Date(now).toISOString(),
            expiresAt: null,
            createdDt: new Date(now).toISOString()
          },
          null,
          2
        )}\n`
      })
    )
  })

  it("says so when the expiry came from a createdDt that is no time", () => {
    const createdDt = "99999999999999999999"
    const result = deliver(issued({ createdDt, expirySource: "createdDt", expiresAt: 1e20 }), false, now)
    expect(Result.isFailure(result) && result.failure).toMatchObject({
      _tag: "FailureWithOutput",
      stdout: "aaa.bbb.ccc\n",
      failure: {
        reason: `the token has no exp claim and its createdDt (${createdDt}) is not a time in milliseconds since the epoch; the token is printed on stdout, its expiry unknown`
      }
    })
  })
})
