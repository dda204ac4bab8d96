import { describe, expect, it } from "vitest"
import { failClosedAnswer, rawRejection, rejectAnswer, upstreamFailureAnswer } from "../src/Answers.js"

describe("failClosedAnswer", () => {
  it.each([
    [
      "no token yet: 503 with Retry-After",
      { given: undefined, want: { status: 503, retryAfter: 3, class: "starting" } }
    ],
    [
      "iPOSpays refused the credentials: 502 naming the code",
      {
        given: {
          _tag: "InvalidCredentials",
          kind: "rejected",
          code: "AUTH_ERR_004",
          retryable: false,
          message: "AUTH_ERR_004: bad"
        },
        want: { status: 502, retryAfter: undefined, class: "rejected", code: "AUTH_ERR_004" }
      }
    ],
    [
      "auth service unreachable: 503 with Retry-After",
      {
        given: { _tag: "Unavailable", kind: "unavailable", retryable: true, message: "down" },
        want: { status: 503, retryAfter: 3, class: "unavailable" }
      }
    ]
  ] as const)("%s", (_, { given, want }) => {
    const answer = failClosedAnswer(given, 3)
    expect(answer.status).toBe(want.status)
    expect(answer.retryAfter).toBe(want.retryAfter)
    expect(answer.body).toMatchObject({ error: "token_unavailable", class: want.class })
    expect(answer.body.code).toBe("code" in want ? want.code : undefined)
  })
})

describe("upstream and local refusals", () => {
  it("maps timeouts to 504 and connection failures to 502", () => {
    expect(upstreamFailureAnswer("connect_timeout").status).toBe(504)
    expect(upstreamFailureAnswer("response_timeout").status).toBe(504)
    expect(upstreamFailureAnswer("refused").status).toBe(502)
    expect(upstreamFailureAnswer("reset").status).toBe(502)
  })

  it("answers an unreadable upstream response 502 upstream_invalid_response", () => {
    expect(upstreamFailureAnswer("invalid_response")).toEqual({
      status: 502,
      body: { error: "upstream_invalid_response", message: "the upstream's response could not be read as HTTP/1.1" }
    })
  })

  it("answers refused requests with the matching 4xx", () => {
    expect(
      ["absolute_form", "connect", "body_too_large", "header_too_large"].map((r) => rejectAnswer(r as never).status)
    ).toEqual([400, 405, 413, 431])
    expect(rawRejection("header_too_large")).toMatch(
      /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n[\s\S]*connection: close\r\n\r\n\{"error":"header_too_large"/
    )
  })
})
