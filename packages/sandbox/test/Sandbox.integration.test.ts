import { namedExamples, type Prism, startPrism } from "@ipos/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Sandbox, startSandbox } from "../src/Sandbox.js"
import { call, claimsOf, keysOf, merchant, mint } from "./support.js"

// The sandbox behind Prism's validation proxy for spec/openapi.yaml. Spec-valid requests go
// through a proxy with `--errors`: a response that breaks the contract comes back as a 500 with
// `sl-violations`, so the test fails. Requests that themselves break the contract (a missing
// header, expiry 29) would be stopped by that proxy with a 422, so they go through a proxy
// without `--errors` and the test asserts that every violation Prism reports is the request's.
// Both error-status modes: 200 as the vendor documents, and a 4xx (the spec's `4XX` response).

type Operation = "/v1/authenticate-token" | "/v1/refresh-token"
interface Case {
  readonly name: string
  readonly operation: Operation
  /** `true` when the request itself violates the spec. */
  readonly invalidRequest: boolean
  readonly headers: (sandbox: Sandbox) => Promise<Record<string, string>> | Record<string, string>
  /** A named example of the spec: the exact body for errors, the shape for successes. */
  readonly want: string
}

const examples = new Map(namedExamples().map((e) => [e.name, e.value]))
const vendorSample = examples.get("Success")?.token ?? ""
const auth = (name: string, invalidRequest: boolean, headers: Record<string, string>, want: string): Case => ({
  name,
  operation: "/v1/authenticate-token",
  invalidRequest,
  headers: () => headers,
  want
})
const renew = (name: string, invalidRequest: boolean, headers: Case["headers"], want: string): Case => ({
  name,
  operation: "/v1/refresh-token",
  invalidRequest,
  headers,
  want
})

const cases: ReadonlyArray<Case> = [
  auth("merchant PaymentTokenization", false, merchant, "Success"),
  auth(
    "merchant Recurring for 30 minutes",
    false,
    { ...merchant, scope: "Recurring", jwtTokenExpiryMinutes: "30" },
    "Success"
  ),
  auth(
    "merchant BatchReport for 1440 minutes",
    false,
    { ...merchant, scope: "BatchReport", jwtTokenExpiryMinutes: "1440" },
    "Success"
  ),
  auth("ISO ExternalApi", false, { ...keysOf("iso"), scope: "ExternalApi" }, "Success"),
  // Success examples give the shape of a token answer: the vendor's samples and the spec's default fakes alike.
  auth("ISO PaymentTokenization", false, { ...keysOf("iso"), scope: "PaymentTokenization" }, "LongLived"),
  auth("agent office ExternalApi", false, { ...keysOf("agentOffice"), scope: "ExternalApi" }, "Success"),
  auth("no apiKey", true, { secretKey: merchant.secretKey, scope: "Recurring" }, "AUTH_ERR_001"),
  auth("an empty apiKey", true, { ...merchant, apiKey: "" }, "AUTH_ERR_001"),
  auth("no secretKey", true, { apiKey: merchant.apiKey, scope: "Recurring" }, "AUTH_ERR_002"),
  auth("no scope", true, { apiKey: merchant.apiKey, secretKey: merchant.secretKey }, "AUTH_ERR_003"),
  auth("a wrong secretKey", false, { ...merchant, secretKey: "not-the-secret" }, "AUTH_ERR_004"),
  auth("an unknown apiKey", false, { ...merchant, apiKey: "nobody-api-key" }, "AUTH_ERR_004"),
  auth("merchant asking for ExternalApi", false, { ...merchant, scope: "ExternalApi" }, "AUTH_ERR_005"),
  auth(
    "agent office asking for BatchReport",
    false,
    { ...keysOf("agentOffice"), scope: "BatchReport" },
    "AUTH_ERR_005"
  ),
  auth("an unknown scope", true, { ...merchant, scope: "Settlement" }, "AUTH_ERR_005"),
  auth("expiry 29", true, { ...merchant, jwtTokenExpiryMinutes: "29" }, "AUTH_ERR_011"),
  auth("expiry abc", true, { ...merchant, jwtTokenExpiryMinutes: "abc" }, "AUTH_ERR_011"),
  auth("expiry 1441", true, { ...merchant, jwtTokenExpiryMinutes: "1441" }, "AUTH_ERR_012"),
  renew("a token it issued", false, async (s) => ({ refreshToken: "true", token: await mint(s.url) }), "Refreshed"),
  renew(
    "a token it issued, again",
    false,
    async (s) => ({ refreshToken: "true", token: await mint(s.url) }),
    "LongLivedRefreshed"
  ),
  renew("no refreshToken", true, async (s) => ({ token: await mint(s.url) }), "AUTH_ERR_009"),
  renew("refreshToken false", true, async (s) => ({ refreshToken: "false", token: await mint(s.url) }), "AUTH_ERR_009"),
  renew("no token", true, () => ({ refreshToken: "true" }), "AUTH_ERR_006"),
  renew("a token that is not a JWT", true, () => ({ refreshToken: "true", token: "not-a-jwt" }), "AUTH_ERR_006"),
  renew("JWT-shaped nonsense", false, () => ({ refreshToken: "true", token: "abc.def.ghi" }), "AUTH_ERR_006"),
  renew(
    "a revoked token",
    false,
    async (s) => {
      const token = await mint(s.url)
      s.revoke(claimsOf(token).uniqueId)
      return { refreshToken: "true", token }
    },
    "AUTH_ERR_007"
  ),
  renew("the vendor's sample token", false, () => ({ refreshToken: "true", token: vendorSample }), "AUTH_ERR_008")
]

interface Violation {
  readonly location: ReadonlyArray<string>
  readonly severity: string
  readonly code?: string
  readonly message: string
}

const modes = [200, 401] as const
const rigs = new Map<number, { sandbox: Sandbox; strict: Prism; lenient: Prism }>()

beforeAll(async () => {
  await Promise.all(
    modes.map(async (errorStatus) => {
      const sandbox = await startSandbox({ errorStatus })
      rigs.set(errorStatus, { sandbox } as { sandbox: Sandbox; strict: Prism; lenient: Prism })
      const [strict, lenient] = await Promise.all([
        startPrism({ mode: "proxy", upstream: sandbox.url, errors: true }),
        startPrism({ mode: "proxy", upstream: sandbox.url, errors: false })
      ])
      rigs.set(errorStatus, { sandbox, strict, lenient })
    })
  )
})

afterAll(async () => {
  await Promise.all([...rigs.values()].flatMap((rig) => [rig.strict?.stop(), rig.lenient?.stop(), rig.sandbox?.stop()]))
})

describe("the sandbox behind Prism's validation proxy", () => {
  it("reaches every named example of the spec", () => {
    expect([...new Set(cases.map((c) => c.want))].sort()).toEqual([...examples.keys()].sort())
  })

  describe.each(modes)("with errors under %s", (errorStatus) => {
    it.each(cases.map((c) => [`${c.operation} ${c.name} → ${c.want}`, c] as const))("%s", async (_, testCase) => {
      const rig = rigs.get(errorStatus)!
      const proxy = testCase.invalidRequest ? rig.lenient : rig.strict
      const answer = await call(`${proxy.url}${testCase.operation}`, {
        method: "POST",
        headers: await testCase.headers(rig.sandbox)
      })
      const violations = JSON.parse(answer.headers.get("sl-violations") ?? "[]") as Array<Violation>
      if (testCase.invalidRequest) {
        expect(violations.length).toBeGreaterThan(0)
        expect(violations.filter((v) => v.location[0] !== "request")).toEqual([])
      } else {
        expect(violations).toEqual([])
      }
      const example = examples.get(testCase.want)
      if (testCase.want.startsWith("AUTH_ERR_")) {
        expect([answer.status, answer.body]).toEqual([errorStatus, example])
      } else {
        expect(answer.status).toBe(200)
        const body = answer.body as Record<string, string>
        expect(Object.keys(body)).toEqual(Object.keys(example ?? {}))
        expect(body).toMatchObject({ responseCode: "00", responseMessage: "Success" })
        expect(body.token?.split(".")[0]).toBe(example?.token?.split(".")[0])
      }
    })
  })

  it("passes an injected undocumented AUTH_ERR_013 as an AuthError in both modes", async () => {
    for (const errorStatus of modes) {
      const rig = rigs.get(errorStatus)!
      rig.sandbox.setFaults({ authError: { errorCode: "AUTH_ERR_013", errorMessage: "Merchant is not active." } })
      const answer = await call(`${rig.strict.url}/v1/authenticate-token`, { method: "POST", headers: merchant })
      expect([answer.status, answer.headers.get("sl-violations"), answer.body]).toEqual([
        errorStatus,
        null,
        { errorCode: "AUTH_ERR_013", errorMessage: "Merchant is not active." }
      ])
    }
  })
})
