/**
 * The proxy's configuration: flags over `IPOS_PROXY_*` variables over defaults, checked before
 * anything starts. The token settings (`--scope`, `--expiry`, `--env`, `--auth-url` and the
 * `IPOS_*` variables) are handed to the core's token manager, which validates them itself.
 *
 * @since 0.1.0
 */
import * as Result from "effect/Result"
import { type LogFormat, logFormats } from "./Log.js"
import { parseRoute, type Route } from "./Routes.js"

/**
 * Everything the proxy needs to start.
 *
 * @since 0.1.0
 * @category models
 */
export interface ProxyConfig {
  /** The one origin requests go to, e.g. `https://api.ipospays.com` (no path, query or fragment). */
  readonly upstream: URL
  readonly listenHost: string
  /** 0 = an ephemeral port. */
  readonly listenPort: number
  /** Lower-case name of the header the token travels in (default `token`). */
  readonly tokenHeader: string
  readonly scope: string | undefined
  readonly expiryMinutes: number | undefined
  readonly env: string | undefined
  readonly authUrl: string | undefined
  /** Redis shared with the other proxies (`--redis` / `IPOS_REDIS_URL`): one token for all of them. */
  readonly redisUrl: string | undefined
  readonly connectTimeoutMs: number
  readonly responseTimeoutMs: number
  /** Longest silence between two chunks of a response body, then the response is cut; 0 = none. */
  readonly bodyTimeoutMs: number
  readonly maxBodyBytes: number
  readonly maxHeaderBytes: number
  /** Request bodies up to this size are kept so that a 401 can be replayed with a new token. */
  readonly replayBufferBytes: number
  /** How long a request waits for a token acquisition that is under way before failing closed. */
  readonly tokenWaitMs: number
  readonly drainMs: number
  /** Path prefixes served with another scope's token (`--route`); empty: one scope for all. */
  readonly routes: ReadonlyArray<Route>
  /** How often the credential files are re-read besides watching them. */
  readonly credentialsPollMs: number
  readonly logFormat: LogFormat
  /** One log line per answered request. */
  readonly accessLog: boolean
}

/**
 * Defaults of the tunable limits.
 *
 * @example
 * ```ts
 * import { defaults } from "@ipos/auth-proxy"
 * defaults.connectTimeoutMs // 5000
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export const defaults = {
  listen: "127.0.0.1:8787",
  tokenHeader: "token",
  connectTimeoutMs: 5000,
  responseTimeoutMs: 30_000,
  bodyTimeoutMs: 300_000,
  maxBodyBytes: 10 * 1024 * 1024,
  maxHeaderBytes: 16 * 1024,
  replayBufferBytes: 64 * 1024,
  tokenWaitMs: 5000,
  drainMs: 10_000,
  credentialsPollMs: 2000
} as const

/**
 * A usage error: a message for stderr (never a key: no flag or variable here holds one).
 *
 * @since 0.1.0
 * @category errors
 */
export interface UsageError {
  readonly _tag: "UsageError"
  readonly message: string
}

/**
 * What the command line asks for.
 *
 * @since 0.1.0
 * @category models
 */
export type Command =
  | { readonly _tag: "Run"; readonly config: ProxyConfig }
  | { readonly _tag: "Help" }
  | { readonly _tag: "Version" }

interface FlagSpec {
  readonly name: string
  /** `""` for a switch that takes no value. */
  readonly value: string
  readonly env?: string
  readonly help: string
}

/**
 * Every flag, for parsing and for `--help`.
 *
 * @since 0.1.0
 * @category models
 */
export const flags: ReadonlyArray<FlagSpec> = [
  {
    name: "upstream",
    value: "ORIGIN",
    env: "IPOS_PROXY_UPSTREAM",
    help: "the one origin requests are forwarded to (required), e.g. https://api.ipospays.com"
  },
  {
    name: "listen",
    value: "HOST:PORT",
    env: "IPOS_PROXY_LISTEN",
    help: `address to listen on (default ${defaults.listen}; port 0 = ephemeral)`
  },
  { name: "scope", value: "S", env: "IPOS_SCOPE", help: "token scope (default PaymentTokenization)" },
  {
    name: "route",
    value: "PREFIX=SCOPE",
    env: "IPOS_PROXY_ROUTES",
    help: "repeatable: paths starting with PREFIX get a token of SCOPE, e.g. /reports/=BatchReport (variable: comma-separated)"
  },
  { name: "expiry", value: "MIN", env: "IPOS_TOKEN_EXPIRY_MINUTES", help: "requested token lifetime, 30…1440 minutes" },
  { name: "env", value: "E", env: "IPOS_ENV", help: "sandbox (default) or production" },
  { name: "auth-url", value: "URL", env: "IPOS_AUTH_URL", help: "auth service base URL override (a local sandbox)" },
  {
    name: "redis",
    value: "URL",
    env: "IPOS_REDIS_URL",
    help: "share one token with the other proxies through this Redis (redis:// or rediss://)"
  },
  {
    name: "token-header",
    value: "NAME",
    help: `header the token is set in (default ${defaults.tokenHeader}); a client's own value is replaced`
  },
  {
    name: "connect-timeout",
    value: "MS",
    help: `upstream connect timeout, then 504 (default ${defaults.connectTimeoutMs})`
  },
  {
    name: "response-timeout",
    value: "MS",
    help: `wait for the upstream's response headers, then 504 (default ${defaults.responseTimeoutMs})`
  },
  {
    name: "body-timeout",
    value: "MS",
    help: `longest pause in a response body (the upstream not sending, or the client not reading), then the response is cut; 0 = none (default ${defaults.bodyTimeoutMs})`
  },
  { name: "max-body", value: "BYTES", help: `largest request body, else 413 (default ${defaults.maxBodyBytes})` },
  { name: "max-header", value: "BYTES", help: `largest request head, else 431 (default ${defaults.maxHeaderBytes})` },
  {
    name: "replay-buffer",
    value: "BYTES",
    help: `bodies up to this size are kept to replay a 401 once with a new token (default ${defaults.replayBufferBytes})`
  },
  {
    name: "token-wait",
    value: "MS",
    help: `how long a request waits for a token acquisition under way, then fails closed (default ${defaults.tokenWaitMs})`
  },
  {
    name: "drain",
    value: "MS",
    help: `on SIGTERM/SIGINT, how long in-flight requests may take to finish (default ${defaults.drainMs})`
  },
  {
    name: "credentials-poll",
    value: "MS",
    help: `re-read IPOS_API_KEY_FILE/IPOS_SECRET_KEY_FILE this often besides watching them (default ${defaults.credentialsPollMs})`
  },
  {
    name: "log-format",
    value: "text|json",
    env: "IPOS_LOG_FORMAT",
    help: "stderr lines as text (default) or one JSON object per line; both with ISO time and level"
  },
  {
    name: "access-log",
    value: "",
    env: "IPOS_PROXY_ACCESS_LOG",
    help: "one line per request: method, path without query, status, upstream latency, scope (variable: 1)"
  }
]

/**
 * The `--help` text.
 *
 * @example
 * ```ts
 * import { helpText } from "@ipos/auth-proxy"
 * process.stdout.write(helpText)
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export const helpText = [
  "ipos-auth-proxy: a token-injecting sidecar for iPOSpays APIs",
  "",
  "Usage: ipos-auth-proxy --upstream ORIGIN [--listen HOST:PORT] [--scope S] [--expiry MIN] [--env E]",
  "                       [--auth-url URL] [--token-header token] [options]",
  "",
  "Forwards plain HTTP from 127.0.0.1 to one upstream origin with a valid token set; never forwards",
  "without one (503/502 JSON). Credentials come from IPOS_API_KEY and IPOS_SECRET_KEY, or from the",
  "files named by IPOS_API_KEY_FILE and IPOS_SECRET_KEY_FILE: changed files (or SIGHUP) rotate them",
  "without a restart, keeping the current token until one minted with the new ones is in hand.",
  "",
  "Options (flag, then environment variable where there is one):",
  ...flags.map(
    (f) => `  --${`${f.name} ${f.value}`.trimEnd().padEnd(24)} ${f.help}${f.env === undefined ? "" : ` [${f.env}]`}`
  ),
  `  ${"--help".padEnd(26)} this text`,
  `  ${"--version".padEnd(26)} the version`,
  "",
  "With --route, each scope has its own token from the one manager; /_ipos/token and /_ipos/ready",
  "report each scope under `scopes`.",
  "",
  "Reserved paths: GET /_ipos/health, GET /_ipos/ready, GET /_ipos/token, POST /_ipos/refresh,",
  "GET /_ipos/metrics (Prometheus). Prints `listening on http://HOST:PORT` once it listens;",
  "SIGTERM/SIGINT drain in-flight requests and exit 0; SIGHUP re-reads the credentials.",
  ""
].join("\n")

const usage = (message: string): Result.Result<never, UsageError> =>
  Result.fail({ _tag: "UsageError", message: `${message} (see --help)` })

const parseOrigin = (value: string, name: string): Result.Result<URL, UsageError> => {
  if (!URL.canParse(value)) return usage(`${name}: not an absolute URL`)
  const url = new URL(value)
  if (url.protocol !== "http:" && url.protocol !== "https:") return usage(`${name}: must be http: or https:`)
  if (url.username !== "" || url.password !== "") return usage(`${name}: must not carry user information`)
  if ((url.pathname !== "/" && url.pathname !== "") || url.search !== "" || url.hash !== "")
    return usage(`${name}: must be an origin (no path, query or fragment)`)
  return Result.succeed(new URL(url.origin))
}

const parseListen = (value: string, name: string): Result.Result<{ host: string; port: number }, UsageError> => {
  const at = value.lastIndexOf(":")
  if (at <= 0) return usage(`${name}: expected HOST:PORT`)
  const host = value.slice(0, at).replace(/^\[(.*)\]$/, "$1")
  const port = Number(value.slice(at + 1))
  if (!/^\d+$/.test(value.slice(at + 1)) || port > 65_535) return usage(`${name}: port must be 0…65535`)
  return Result.succeed({ host, port })
}

const parseCount = (value: string, name: string, min: number): Result.Result<number, UsageError> => {
  const n = Number(value)
  return /^\d+$/.test(value) && Number.isSafeInteger(n) && n >= min
    ? Result.succeed(n)
    : usage(`--${name}: expected an integer ≥ ${min}`)
}

const nonEmpty = (v: string | undefined): string | undefined => (v === undefined || v === "" ? undefined : v)

/**
 * Parses the command line and the environment. Flags win over variables.
 *
 * @example
 * ```ts
 * import { parseCommand } from "@ipos/auth-proxy"
 * parseCommand(["--upstream", "http://127.0.0.1:9000", "--listen", "127.0.0.1:0"], {})
 * // Success({ _tag: "Run", config: { upstream: URL(http://127.0.0.1:9000), listenPort: 0, ... } })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const parseCommand = (
  argv: ReadonlyArray<string>,
  env: Readonly<Record<string, string | undefined>>
): Result.Result<Command, UsageError> => {
  const given = new Map<string, string>()
  const routeTexts: Array<string> = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === "--help" || arg === "-h") return Result.succeed({ _tag: "Help" })
    if (arg === "--version") return Result.succeed({ _tag: "Version" })
    if (!arg.startsWith("--")) return usage(`unexpected argument ${JSON.stringify(arg)}`)
    const eq = arg.indexOf("=")
    const name = arg.slice(2, eq === -1 ? undefined : eq)
    if (!flags.some((f) => f.name === name)) return usage(`unknown flag --${name}`)
    if (given.has(name) && name !== "route") return usage(`--${name} given twice`)
    if (name === "access-log") {
      if (eq !== -1) return usage("--access-log takes no value")
      given.set(name, "1")
      continue
    }
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1)
    if (value === undefined || (eq === -1 && value.startsWith("--"))) return usage(`--${name} needs a value`)
    given.set(name, value)
    if (name === "route") routeTexts.push(value)
  }
  const upstreamText = given.get("upstream") ?? nonEmpty(env.IPOS_PROXY_UPSTREAM)
  if (upstreamText === undefined) return usage("--upstream (or IPOS_PROXY_UPSTREAM) is required")
  const upstream = parseOrigin(upstreamText, given.has("upstream") ? "--upstream" : "IPOS_PROXY_UPSTREAM")
  if (Result.isFailure(upstream)) return Result.fail(upstream.failure)
  const listenText = given.get("listen") ?? nonEmpty(env.IPOS_PROXY_LISTEN) ?? defaults.listen
  const listen = parseListen(listenText, given.has("listen") ? "--listen" : "IPOS_PROXY_LISTEN")
  if (Result.isFailure(listen)) return Result.fail(listen.failure)
  const tokenHeader = (given.get("token-header") ?? defaults.tokenHeader).toLowerCase()
  if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(tokenHeader)) return usage("--token-header: not a header name")
  if (tokenHeader === "host" || tokenHeader === "connection") return usage(`--token-header: ${tokenHeader} is reserved`)

  const numbers: Record<string, number> = {}
  const numeric: ReadonlyArray<readonly [string, number, number]> = [
    ["connect-timeout", defaults.connectTimeoutMs, 1],
    ["response-timeout", defaults.responseTimeoutMs, 1],
    ["body-timeout", defaults.bodyTimeoutMs, 0],
    ["max-body", defaults.maxBodyBytes, 0],
    ["max-header", defaults.maxHeaderBytes, 1024],
    ["replay-buffer", defaults.replayBufferBytes, 0],
    ["token-wait", defaults.tokenWaitMs, 0],
    ["drain", defaults.drainMs, 0],
    ["credentials-poll", defaults.credentialsPollMs, 10]
  ]
  for (const [name, fallback, min] of numeric) {
    const text = given.get(name)
    if (text === undefined) {
      numbers[name] = fallback
      continue
    }
    const n = parseCount(text, name, min)
    if (Result.isFailure(n)) return Result.fail(n.failure)
    numbers[name] = n.success
  }
  const redisUrl = given.get("redis") ?? nonEmpty(env.IPOS_REDIS_URL)
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) {
    return usage(`${given.has("redis") ? "--redis" : "IPOS_REDIS_URL"}: expected a redis:// or rediss:// URL`)
  }
  const fromRouteEnv = routeTexts.length === 0 ? (nonEmpty(env.IPOS_PROXY_ROUTES)?.split(",") ?? []) : []
  const routes: Array<Route> = []
  for (const text of [...routeTexts, ...fromRouteEnv]) {
    const route = parseRoute(text.trim(), routeTexts.length > 0 ? "--route" : "IPOS_PROXY_ROUTES")
    if (Result.isFailure(route)) return usage(route.failure)
    if (routes.some((r) => r.prefix === route.success.prefix))
      return usage(`--route: ${route.success.prefix} given twice`)
    routes.push(route.success)
  }
  const logFormatText = given.get("log-format") ?? nonEmpty(env.IPOS_LOG_FORMAT) ?? "text"
  const logFormat = logFormats.find((f) => f === logFormatText)
  if (logFormat === undefined)
    return usage(`${given.has("log-format") ? "--log-format" : "IPOS_LOG_FORMAT"}: expected text or json`)
  const accessLogText = given.get("access-log") ?? nonEmpty(env.IPOS_PROXY_ACCESS_LOG) ?? "0"
  if (!["0", "1", "true", "false"].includes(accessLogText)) return usage("IPOS_PROXY_ACCESS_LOG: expected 1 or 0")
  const expiryText = given.get("expiry")
  const expiryMinutes = expiryText === undefined ? undefined : Number(expiryText)
  if (expiryText !== undefined && !/^\d+$/.test(expiryText)) return usage("--expiry: expected whole minutes")

  return Result.succeed({
    _tag: "Run",
    config: {
      upstream: upstream.success,
      listenHost: listen.success.host,
      listenPort: listen.success.port,
      tokenHeader,
      scope: given.get("scope"),
      expiryMinutes,
      env: given.get("env"),
      authUrl: given.get("auth-url"),
      redisUrl,
      connectTimeoutMs: numbers["connect-timeout"]!,
      responseTimeoutMs: numbers["response-timeout"]!,
      bodyTimeoutMs: numbers["body-timeout"]!,
      maxBodyBytes: numbers["max-body"]!,
      maxHeaderBytes: numbers["max-header"]!,
      replayBufferBytes: numbers["replay-buffer"]!,
      tokenWaitMs: numbers["token-wait"]!,
      drainMs: numbers.drain!,
      routes,
      credentialsPollMs: numbers["credentials-poll"]!,
      logFormat,
      accessLog: accessLogText === "1" || accessLogText === "true"
    }
  })
}
