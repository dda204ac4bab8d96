import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import { parseCommand } from "../src/Config.js"
import { makeRouter, parseRoute } from "../src/Routes.js"
import type { TokenSource } from "../src/TokenSource.js"

const source = (scope: string) => ({ scope }) as TokenSource
const routesOf = (argv: ReadonlyArray<string>, env: Record<string, string> = {}) => {
  const parsed = parseCommand(["--upstream", "http://127.0.0.1:9", ...argv], env)
  if (Result.isFailure(parsed)) return parsed.failure.message
  return parsed.success._tag === "Run" ? parsed.success.config.routes : "not a run"
}

describe("Routes", () => {
  it("parses PREFIX=SCOPE", () => {
    expect(parseRoute("/reports/=BatchReport", "--route")).toEqual(
      Result.succeed({ prefix: "/reports/", scope: "BatchReport" })
    )
    expect(parseRoute("reports=BatchReport", "--route")).toEqual(
      Result.fail("--route: expected PREFIX=SCOPE, e.g. /reports/=BatchReport")
    )
    expect(parseRoute("/_ipos/x=BatchReport", "--route")).toEqual(Result.fail("--route: /_ipos/x is reserved"))
    expect(parseRoute("/r/=Reports", "--route")).toEqual(
      Result.fail("--route: scope must be one of PaymentTokenization, Recurring, BatchReport, ExternalApi")
    )
  })

  it("is repeatable on the command line, comma-separated in IPOS_PROXY_ROUTES, none by default", () => {
    expect(routesOf([])).toEqual([])
    expect(routesOf(["--route", "/reports/=BatchReport", "--route=/recurring/=Recurring"])).toEqual([
      { prefix: "/reports/", scope: "BatchReport" },
      { prefix: "/recurring/", scope: "Recurring" }
    ])
    expect(routesOf([], { IPOS_PROXY_ROUTES: "/reports/=BatchReport, /recurring/=Recurring" })).toEqual([
      { prefix: "/reports/", scope: "BatchReport" },
      { prefix: "/recurring/", scope: "Recurring" }
    ])
    expect(routesOf(["--route", "/a/=Recurring", "--route", "/a/=BatchReport"])).toBe(
      "--route: /a/ given twice (see --help)"
    )
    // The single-scope flags are unchanged: --scope still may not be given twice.
    expect(routesOf(["--scope", "Recurring", "--scope", "Recurring"])).toBe("--scope given twice (see --help)")
  })

  it("picks the longest matching prefix, else the default", () => {
    const fallback = source("PaymentTokenization")
    const sources = new Map([
      ["BatchReport", source("BatchReport")],
      ["Recurring", source("Recurring")]
    ])
    const route = makeRouter(
      [
        { prefix: "/r/", scope: "Recurring" },
        { prefix: "/r/reports/", scope: "BatchReport" }
      ],
      sources,
      fallback
    )
    expect(route("/r/reports/daily?x=1").scope).toBe("BatchReport")
    expect(route("/r/plan").scope).toBe("Recurring")
    expect(route("/pay").scope).toBe("PaymentTokenization")
    expect(route("/r").scope).toBe("PaymentTokenization")
  })
})
