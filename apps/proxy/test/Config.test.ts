import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import { defaults, parseCommand } from "../src/Config.js"

const run = (argv: ReadonlyArray<string>, env: Record<string, string> = {}) => {
  const parsed = parseCommand(argv, env)
  if (Result.isFailure(parsed) || parsed.success._tag !== "Run") throw new Error("expected a Run")
  return parsed.success.config
}
const usage = (argv: ReadonlyArray<string>, env: Record<string, string> = {}) => {
  const parsed = parseCommand(argv, env)
  return Result.isFailure(parsed) ? parsed.failure.message : "parsed"
}

describe("parseCommand", () => {
  it("takes defaults: 127.0.0.1:8787, header token, 5 s connect and 30 s response timeouts", () => {
    const config = run(["--upstream", "https://api.example.com"])
    expect(config.upstream.origin).toBe("https://api.example.com")
    expect([config.listenHost, config.listenPort]).toEqual(["127.0.0.1", 8787])
    expect(config.tokenHeader).toBe("token")
    expect(config.connectTimeoutMs).toBe(defaults.connectTimeoutMs)
    expect(config.responseTimeoutMs).toBe(30_000)
    expect(config.bodyTimeoutMs).toBe(300_000)
    expect(run(["--upstream", "https://api.example.com", "--body-timeout", "0"]).bodyTimeoutMs).toBe(0)
  })

  it("reads IPOS_PROXY_UPSTREAM and IPOS_PROXY_LISTEN; flags win", () => {
    const env = { IPOS_PROXY_UPSTREAM: "http://127.0.0.1:9000", IPOS_PROXY_LISTEN: "0.0.0.0:0" }
    expect(run([], env)).toMatchObject({ listenHost: "0.0.0.0", listenPort: 0 })
    expect(run([], env).upstream.href).toBe("http://127.0.0.1:9000/")
    expect(run(["--listen", "127.0.0.1:1234", "--upstream=http://10.0.0.1"], env)).toMatchObject({
      listenPort: 1234
    })
  })

  it("passes token settings on and lower-cases the token header", () => {
    expect(
      run([
        "--upstream",
        "http://u",
        "--scope",
        "Recurring",
        "--expiry",
        "60",
        "--env",
        "production",
        "--auth-url",
        "http://127.0.0.1:1",
        "--token-header",
        "X-Token"
      ])
    ).toMatchObject({
      scope: "Recurring",
      expiryMinutes: 60,
      env: "production",
      authUrl: "http://127.0.0.1:1",
      tokenHeader: "x-token"
    })
  })

  it.each([
    [[], "--upstream (or IPOS_PROXY_UPSTREAM) is required (see --help)"],
    [["--upstream", "http://u/path"], "--upstream: must be an origin (no path, query or fragment) (see --help)"],
    [["--upstream", "ftp://u"], "--upstream: must be http: or https: (see --help)"],
    [["--upstream", "http://user:pw@u"], "--upstream: must not carry user information (see --help)"],
    [["--upstream", "nope"], "--upstream: not an absolute URL (see --help)"],
    [["--upstream", "http://u", "--listen", "8787"], "--listen: expected HOST:PORT (see --help)"],
    [["--upstream", "http://u", "--listen", "h:70000"], "--listen: port must be 0…65535 (see --help)"],
    [["--upstream", "http://u", "--drain", "-1"], "--drain: expected an integer ≥ 0 (see --help)"],
    [["--upstream", "http://u", "--max-header", "10"], "--max-header: expected an integer ≥ 1024 (see --help)"],
    [["--upstream", "http://u", "--token-header", "host"], "--token-header: host is reserved (see --help)"],
    [["--upstream", "http://u", "--token-header", "a b"], "--token-header: not a header name (see --help)"],
    [["--upstream", "http://u", "--bogus", "1"], "unknown flag --bogus (see --help)"],
    [["--upstream", "http://u", "--upstream", "http://v"], "--upstream given twice (see --help)"],
    [["--upstream"], "--upstream needs a value (see --help)"],
    [["extra"], 'unexpected argument "extra" (see --help)']
  ])("refuses %j", (argv, message) => {
    expect(usage(argv)).toBe(message)
  })

  it("answers --help and --version before anything else", () => {
    expect(parseCommand(["--bogus", "--help"], {})).toEqual(
      Result.fail({ _tag: "UsageError", message: "unknown flag --bogus (see --help)" })
    )
    expect(parseCommand(["--help"], {})).toEqual(Result.succeed({ _tag: "Help" }))
    expect(parseCommand(["--version"], {})).toEqual(Result.succeed({ _tag: "Version" }))
  })
})

describe("parseCommand --redis", () => {
  it("takes --redis, else IPOS_REDIS_URL, else no shared store", () => {
    const upstream = ["--upstream", "http://u"]
    expect(run([...upstream, "--redis", "rediss://app:pw@r:6380"]).redisUrl).toBe("rediss://app:pw@r:6380")
    expect(run(upstream, { IPOS_REDIS_URL: "redis://127.0.0.1:6379" }).redisUrl).toBe("redis://127.0.0.1:6379")
    expect(run([...upstream, "--redis", "redis://a:1"], { IPOS_REDIS_URL: "redis://b:2" }).redisUrl).toBe("redis://a:1")
    expect(run(upstream, { IPOS_REDIS_URL: "" }).redisUrl).toBeUndefined()
  })

  it("refuses a URL that is not redis:// or rediss://", () => {
    expect(usage(["--upstream", "http://u", "--redis", "http://r"])).toBe(
      "--redis: expected a redis:// or rediss:// URL (see --help)"
    )
    expect(usage(["--upstream", "http://u"], { IPOS_REDIS_URL: "127.0.0.1:6379" })).toBe(
      "IPOS_REDIS_URL: expected a redis:// or rediss:// URL (see --help)"
    )
  })
})
