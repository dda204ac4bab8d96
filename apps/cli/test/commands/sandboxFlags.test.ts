import { sandboxEnv } from "@ipos/auth-sandbox"
import { describe, expect, it } from "vitest"
import { withFlags } from "../../src/commands/sandbox.js"
import { sandboxFlags } from "../../src/commands/sandboxFlags.js"

describe("sandbox settings flags", () => {
  it("name each flag after its IPOS_SANDBOX_* variable, and never stand for a credential", () => {
    for (const { flag, setting } of sandboxFlags) {
      expect(`IPOS_SANDBOX_${flag.toUpperCase().replaceAll("-", "_")}`).toBe(sandboxEnv[setting])
      expect(setting).not.toMatch(/Key$/)
    }
  })

  it("put given flags in place of their variables, and leave the rest of the environment as it is", () => {
    const env = { IPOS_SANDBOX_FAIL_NEXT: "1", IPOS_SANDBOX_DELAY_MS: "5", PATH: "/bin" }
    const merged = withFlags(env, { "fail-next": "3:503", "delay-ms": undefined })
    expect(merged.env).toEqual({ IPOS_SANDBOX_FAIL_NEXT: "3:503", IPOS_SANDBOX_DELAY_MS: "5", PATH: "/bin" })
  })

  it("cover where it listens and who may use its control API", () => {
    expect(sandboxFlags.map(({ flag }) => flag)).toEqual(
      expect.arrayContaining(["port", "host", "allowed-origins", "allowed-hosts"])
    )
  })

  it("cover the log format, which wins over IPOS_LOG_FORMAT like its variable", () => {
    expect(sandboxFlags.find(({ flag }) => flag === "log-format")?.setting).toBe("logFormat")
    expect(withFlags({ IPOS_LOG_FORMAT: "text" }, { "log-format": "json" }).env).toEqual({
      IPOS_LOG_FORMAT: "text",
      IPOS_SANDBOX_LOG_FORMAT: "json"
    })
  })

  it("name the flag, not the variable, in an error about a given flag", () => {
    const { rename } = withFlags({}, { "fail-next": "x" })
    expect(rename("IPOS_SANDBOX_FAIL_NEXT must be COUNT")).toBe("--fail-next must be COUNT")
    expect(rename("IPOS_SANDBOX_DELAY_MS must be a whole number")).toBe("IPOS_SANDBOX_DELAY_MS must be a whole number")
  })
})
