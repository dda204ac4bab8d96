/**
 * The settings flags of `ipos-auth sandbox`: each stands for one `IPOS_SANDBOX_*` variable (same
 * format, same checks, errors naming the flag) and wins over it. Credentials stay environment-only: a flag's value would
 * show in `ps`. Kept apart from `sandbox.ts` so that `--help` does not load the sandbox itself.
 */
import type { sandboxEnv } from "@ipos/auth-sandbox"

/** One flag: its name, the option of `sandboxEnv` it sets, and its help line. */
export interface SandboxFlag {
  readonly flag: string
  readonly setting: keyof typeof sandboxEnv
  readonly description: string
}

/**
 * The flags, in help order.
 *
 * @example
 * ```ts
 * sandboxFlags.find((f) => f.flag === "fail-next")?.setting // "failNext"
 * ```
 */
export const sandboxFlags: ReadonlyArray<SandboxFlag> = [
  { flag: "port", setting: "port", description: "Port to listen on; 0 picks a free one (default 0)" },
  {
    flag: "host",
    setting: "host",
    description:
      "Interface to bind (default 127.0.0.1); 0.0.0.0 makes the sandbox and its control API reachable from the network"
  },
  {
    flag: "error-status",
    setting: "errorStatus",
    description: "HTTP status of AUTH_ERR answers: 200 (as the vendor documents) or 400…499 (default 200)"
  },
  {
    flag: "token-lifetime-seconds",
    setting: "tokenLifetimeSeconds",
    description: "Issue tokens that live this many seconds, whatever minutes are asked (to watch expiry)"
  },
  { flag: "cors-origin", setting: "corsOrigin", description: "Origins allowed by CORS, comma-separated, or *" },
  {
    flag: "log-format",
    setting: "logFormat",
    description: "Log lines on stderr (listening, each request, reset, stopped): text or json (default: none)"
  },
  {
    flag: "allowed-origins",
    setting: "allowedOrigins",
    description: "Pages allowed to use the control API besides loopback ones (any port), comma-separated origins"
  },
  {
    flag: "allowed-hosts",
    setting: "allowedHosts",
    description:
      "Host names the control API answers under besides loopback names and IP addresses (e.g. a Compose service name), comma-separated"
  },
  {
    flag: "refresh-expired",
    setting: "refreshExpired",
    description: "Whether an expired token may be refreshed: true (default, as the vendor's sample) or false"
  },
  { flag: "delay-ms", setting: "delayMs", description: "Delay every auth answer by this many milliseconds" },
  {
    flag: "outage-seconds",
    setting: "outageSeconds",
    description: "Answer HTML 503 to every auth request for this many seconds from start"
  },
  {
    flag: "fail-next",
    setting: "failNext",
    description: "Fail the next auth requests: COUNT, COUNT:STATUS or COUNT:reset (e.g. 3:503)"
  },
  {
    flag: "rate-limit",
    setting: "rateLimit",
    description: "Answer 429 to the next requests: COUNT or COUNT:RETRY_AFTER_SECONDS (e.g. 2:30)"
  },
  {
    flag: "malformed",
    setting: "malformed",
    description: "Malformed bodies for the next requests: COUNT or COUNT:KIND"
  },
  {
    flag: "auth-error",
    setting: "authError",
    description: "An undocumented refusal for the next requests: COUNT, COUNT:CODE or COUNT:CODE:MESSAGE"
  }
]
