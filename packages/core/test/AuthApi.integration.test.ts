/**
 * The AuthApi against Prism mocking spec/openapi.yaml (the foundation's harness, 127.0.0.1 on a
 * free port): every named example maps to its error class (or to a token), under 200 and under a
 * forced 4xx, through every way of sending: the generated client over `globalThis.fetch` and over
 * `nodeFetch`, and the plain `nodeTransport`.
 */

import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { namedExamples, type Prism, startPrism } from "@ipos/testing"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { AuthApi, type Fetch, makeAuthApi } from "../src/AuthApi.js"
import { authErrorTags, type DocumentedAuthErrorCode } from "../src/AuthError.js"
import { nodeFetch } from "../src/node/nodeFetch.js"
import { nodeTransport } from "../src/node/nodeTransport.js"
import { makeTokenManager } from "../src/TokenManager.js"

let prism: Prism
beforeAll(async () => {
  prism = await startPrism({ mode: "mock" })
})
afterAll(() => prism?.stop())

const credentials = { apiKey: "prism-fake-api-key", secretKey: "prism-fake-secret" } as const
// A syntactically valid JWT for the refresh endpoint (Prism validates the header's pattern).
const anyJwt = "eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjF9.c2lnbmF0dXJl"

type Sender = { readonly fetch: Fetch } | { readonly transport: typeof nodeTransport } | undefined
const transports: ReadonlyArray<readonly [string, Sender]> = [
  ["globalThis.fetch", undefined],
  ["nodeFetch", { fetch: nodeFetch }],
  ["nodeTransport", { transport: nodeTransport }]
]

const call = (operation: string, prefer: string, sender: Sender) =>
  Effect.gen(function* () {
    const api = yield* makeAuthApi({
      credentials,
      baseUrl: prism.url,
      headers: { Prefer: prefer },
      retry: { maxAttempts: 1 },
      ...sender
    })
    return yield* operation === "/v1/authenticate-token"
      ? api.authenticate({ scope: "PaymentTokenization", expiryMinutes: 60 })
      : api.refresh(anyJwt)
  })

// The vendor's samples, and the long-lived fakes Prism serves by default.
const tokenExamples = ["LongLived", "LongLivedRefreshed", "Refreshed", "Success"]

describe.each(transports)("AuthApi against Prism (%s)", (_, sender) => {
  const examples = namedExamples()

  it("has every documented code and both successes to check", () => {
    expect(examples.map((e) => e.name).sort()).toEqual([...Object.keys(authErrorTags), ...tokenExamples].sort())
  })

  it.each(examples.map((e) => [`${e.operation} ${e.name}`, e] as const))("maps %s", async (__, example) => {
    const result = await Effect.runPromise(Effect.result(call(example.operation, `example=${example.name}`, sender)))
    if (tokenExamples.includes(example.name)) {
      expect(result._tag).toBe("Success")
      if (result._tag !== "Success") return
      expect(Redacted.value(result.success.token)).toBe(example.value.token)
      expect(result.success.claimScope).toBe("paymentTokenize")
      expect(result.success.expirySource).toBe("exp")
      expect(result.success.createdDt).toBe(example.value.createdDt)
      expect(result.success.expiresAt - (result.success.issuedAt ?? 0)).toBe(86_400_000)
      return
    }
    expect(result._tag).toBe("Failure")
    if (result._tag !== "Failure") return
    const code = example.name as DocumentedAuthErrorCode
    expect(result.failure).toMatchObject({
      _tag: authErrorTags[code],
      code,
      serverMessage: example.value.errorMessage,
      status: 200,
      kind: "rejected",
      retryable: false
    })
  })

  it.each([
    ["/v1/refresh-token", "code=401, example=AUTH_ERR_008", "InvalidSignature", 401],
    ["/v1/authenticate-token", "code=400, example=AUTH_ERR_004", "InvalidCredentials", 400],
    ["/v1/authenticate-token", "code=403, example=AUTH_ERR_005", "InvalidScope", 403]
  ] as const)("maps %s with %s under a 4xx", async (operation, prefer, tag, status) => {
    const error = await Effect.runPromise(Effect.flip(call(operation, prefer, sender)))
    expect(error).toMatchObject({ _tag: tag, status, kind: "rejected" })
  })

  it("maps Prism's own refusal of a request without apiKey (422 with the spec's AUTH_ERR_001 body)", async () => {
    // A transport that drops the apiKey header on the way: Prism's validation refuses the request
    // and answers with the 4XX example of the spec; the body decides, whatever the status.
    const base = fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init))
    const dropApiKey: Fetch = (input, init) => {
      const request = new Request(input, init)
      const headers = new Headers(request.headers)
      headers.delete("apiKey")
      return base(new Request(request, { headers }))
    }
    const api = await Effect.runPromise(
      makeAuthApi({ credentials, baseUrl: prism.url, fetch: dropApiKey, retry: { maxAttempts: 1 } })
    )
    const error = await Effect.runPromise(Effect.flip(api.authenticate({ scope: "Recurring" })))
    expect(error).toMatchObject({ _tag: "ApiKeyRequired", code: "AUTH_ERR_001", status: 422, kind: "rejected" })
  })
})

describe("TokenManager against Prism", () => {
  it("refuses the vendor's static sample token: it expired in 2025, and the Date header says so", async () => {
    const program = Effect.gen(function* () {
      const api = yield* makeAuthApi({ credentials, baseUrl: prism.url, headers: { Prefer: "example=Success" } })
      const manager = yield* makeTokenManager().pipe(Effect.provideService(AuthApi, api))
      return yield* Effect.flip(manager.getToken())
    }).pipe(Effect.scoped)
    const error = await Effect.runPromise(program)
    expect(error).toMatchObject({ _tag: "MalformedResponse", kind: "malformed" })
    expect(error.message).toContain("expired")
  })
})
