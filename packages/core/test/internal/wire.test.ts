import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { decodeTokenResponse, environments, isAuthErrorBody, scopes } from "../../src/internal/wire.js"
import { AuthErrorBody, Environment, Scope, TokenResponse } from "../../src/Schemas.js"

// Values near the rules' edges, so that both sides see accepted and refused inputs often.
const segment = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{1,4}$/), fc.stringMatching(/^[A-Za-z0-9_.=+/-]{0,3}$/))
const nearJwt = fc.oneof(
  { arbitrary: fc.tuple(segment, segment, segment).map((parts) => parts.join(".")), weight: 4 },
  { arbitrary: fc.string({ maxLength: 12 }), weight: 1 }
)
const nearDigits = fc.oneof(
  { arbitrary: fc.stringMatching(/^[0-9]{1,14}$/), weight: 4 },
  { arbitrary: fc.string({ maxLength: 6 }), weight: 1 }
)
const nearCode = fc.oneof(
  fc.stringMatching(/^AUTH_ERR_\d{0,4}$/),
  fc.constantFrom("AUTH_ERR_12a", "auth_err_001", "AUTH_ERR_001\n"),
  fc.string({ maxLength: 10 })
)
const anyField = fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.constant(null), fc.constant(undefined))
const field = <A>(near: fc.Arbitrary<A>) =>
  fc.oneof(
    { arbitrary: near, weight: 8 },
    { arbitrary: anyField, weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 }
  )
const extra = fc.dictionary(fc.string({ maxLength: 5 }), anyField, { maxKeys: 2 })
const withFields = (fields: fc.Arbitrary<Record<string, unknown>>) =>
  fc.tuple(fields, extra).map(([known, more]) => {
    const value: Record<string, unknown> = { ...more }
    for (const [key, v] of Object.entries(known)) if (v !== undefined) value[key] = v
    return value
  })
const tokenLike = withFields(
  fc.record({
    responseCode: field(fc.constantFrom("00", "00", "00", "01", " 00", "")),
    responseMessage: field(fc.string({ maxLength: 8 })),
    createdDt: field(nearDigits),
    token: field(nearJwt)
  })
)
const errorLike = withFields(
  fc.record({ errorCode: field(nearCode), errorMessage: field(fc.string({ maxLength: 8 })) })
)
const anything = fc.oneof(tokenLike, errorLike, fc.anything(), fc.array(fc.string()), fc.constant(null))

describe("wire decoders agree with the public Schemas", () => {
  it("decodeTokenResponse accepts what TokenResponse accepts, with the same value", () => {
    const schema = Schema.decodeUnknownResult(TokenResponse)
    fc.assert(
      fc.property(fc.oneof(tokenLike, tokenLike, anything), (value) => {
        const expected = schema(value)
        expect(decodeTokenResponse(value)).toStrictEqual(Result.isSuccess(expected) ? expected.success : undefined)
      }),
      { numRuns: 2000 }
    )
  })

  it("isAuthErrorBody accepts what AuthErrorBody accepts", () => {
    const schema = Schema.is(AuthErrorBody)
    fc.assert(
      fc.property(fc.oneof(errorLike, errorLike, anything), (value) => {
        expect(isAuthErrorBody(value)).toBe(schema(value))
      }),
      { numRuns: 2000 }
    )
  })

  it("both sides see accepted values (the generators reach the edges)", () => {
    const samples = fc.sample(tokenLike, 500).filter((v) => decodeTokenResponse(v) !== undefined)
    const errors = fc.sample(errorLike, 500).filter(isAuthErrorBody)
    expect(samples.length).toBeGreaterThan(5)
    expect(errors.length).toBeGreaterThan(5)
  })

  it.each([
    ["a token body", { responseCode: "00", responseMessage: "ok", createdDt: "1749532846158", token: "a.b.c", x: 1 }],
    [
      "an array with the fields",
      Object.assign(["a"], { responseCode: "00", responseMessage: "", createdDt: "1", token: "a.b.c" })
    ],
    [
      "fields on the prototype",
      Object.create({ responseCode: "00", responseMessage: "", createdDt: "1", token: "a.b.c" })
    ],
    ["a token with a dot too many", { responseCode: "00", responseMessage: "", createdDt: "1", token: "a.b.c.d" }]
  ])("%s is decoded as TokenResponse decodes it", (_, value) => {
    const expected = Schema.decodeUnknownResult(TokenResponse)(value)
    expect(decodeTokenResponse(value)).toStrictEqual(Result.isSuccess(expected) ? expected.success : undefined)
  })

  it("the scopes and environments are the Schemas' literals", () => {
    expect(scopes).toEqual(Scope.literals)
    expect(environments).toEqual(Environment.literals)
  })
})
