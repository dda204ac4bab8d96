/**
 * The main entry runs in browsers: neither it nor anything it imports (dependencies included) may
 * import a `node:` module. Proved by bundling it with esbuild for the browser platform (which fails
 * on any Node built-in), by a negative control (the Node entry does fail), and by walking the
 * import graph of the sources. Also pins the public runtime API.
 */

import { readFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { build } from "esbuild"

const src = resolve(dirname(fileURLToPath(import.meta.url)), "../src")

const bundle = (entry: string) =>
  build({
    entryPoints: [join(src, entry)],
    bundle: true,
    platform: "browser",
    format: "esm",
    minify: true,
    write: false,
    logLevel: "silent",
    metafile: true
  })

/** Every module reachable from `entry` through relative imports, and every bare import they make. */
const importGraph = (entry: string) => {
  const files = new Set<string>()
  const bare = new Set<string>()
  const visit = (file: string) => {
    if (files.has(file)) return
    files.add(file)
    // Comments (doc examples import the package itself) are not imports.
    const text = readFileSync(file, "utf8")
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/^\s*\/\/.*$/gm, "")
    for (const match of text.matchAll(
      /(?:import|export)\s[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g
    )) {
      const specifier = match[1] ?? match[2] ?? ""
      if (specifier.startsWith(".")) visit(resolve(dirname(file), specifier.replace(/\.js$/, ".ts")))
      else bare.add(specifier)
    }
  }
  visit(join(src, entry))
  return { files: [...files].map((f) => f.slice(src.length + 1)).sort(), bare: [...bare].sort() }
}

describe("the main entry", () => {
  it("bundles for the browser (no node: import anywhere in its graph, dependencies included)", async () => {
    const result = await bundle("index.ts")
    expect(result.errors).toEqual([])
    const inputs = Object.keys(result.metafile.inputs)
    expect(inputs.some((input) => input.startsWith("node:"))).toBe(false)
    expect(inputs.some((input) => input.includes("src/node/"))).toBe(false)
    const size = result.outputFiles[0]?.contents.byteLength ?? 0
    expect(size).toBeGreaterThan(10_000)
  }, 30_000)

  it("is a real check: the Node entry does not bundle for the browser", async () => {
    await expect(bundle("node/index.ts")).rejects.toThrow(/node:http|node:https/)
  }, 30_000)

  it("imports only effect subpaths and the generated client", () => {
    const { files, bare } = importGraph("index.ts")
    expect(files.some((f) => f.startsWith("node/"))).toBe(false)
    expect(bare.filter((s) => s.startsWith("node:"))).toEqual([])
    expect(bare.filter((s) => s !== "@ipos/auth-client" && !s.startsWith("effect/"))).toEqual([])
  })

  it("keeps Jwt importable on its own, without the rest of the core", async () => {
    expect(importGraph("Jwt.ts")).toEqual({ files: ["Jwt.ts", "JwtReader.ts"], bare: ["effect/Data", "effect/Result"] })
    const result = await bundle("Jwt.ts")
    const inputs = Object.keys(result.metafile.inputs)
    expect(inputs.filter((input) => input.startsWith("src/"))).toEqual(["src/JwtReader.ts", "src/Jwt.ts"])
    expect(inputs.some((input) => input.includes("auth-client") || input.includes("openapi-fetch"))).toBe(false)
  }, 30_000)

  it("keeps JwtReader free of any import, Effect included", async () => {
    expect(importGraph("JwtReader.ts")).toEqual({ files: ["JwtReader.ts"], bare: [] })
    const result = await bundle("JwtReader.ts")
    expect(Object.keys(result.metafile.inputs)).toEqual(["src/JwtReader.ts"])
  }, 30_000)

  it("exports the public API", async () => {
    const api = await import("../src/index.js")
    expect(Object.keys(api).sort()).toEqual(
      [
        "ApiKeyRequired",
        "AuthApi",
        "AuthErrorBody",
        "Environment",
        "ExpiryTooLong",
        "ExpiryTooShort",
        "InvalidCredentials",
        "InvalidScope",
        "InvalidSignature",
        "InvalidToken",
        "JwtDecodeError",
        "JwtString",
        "MalformedResponse",
        "ManagerClosed",
        "Metrics",
        "RateLimited",
        "RefreshFlagRequired",
        "ResponseBodyTooLarge",
        "Scope",
        "ScopeRequired",
        "SecretKeyRequired",
        "Timeout",
        "TokenManager",
        "TokenStore",
        "TokenNotRefreshable",
        "TokenResponse",
        "Unavailable",
        "UnknownAuthError",
        "ValidationError",
        "authConfigVariables",
        "authErrorHints",
        "authErrorTags",
        "backgroundRetryDelay",
        "bothSet",
        "createRotatingTokenManager",
        "createTokenManager",
        "credentialFileNames",
        "credentialsId",
        "decodeJwt",
        "readJwt",
        "readSecretFile",
        "defaultRefreshPolicy",
        "defaultRetryPolicy",
        "environments",
        "envNames",
        "estimateOffset",
        "exitCodeOf",
        "exitCodes",
        "expiryMinutesRange",
        "failureKind",
        "fingerprint",
        "formatEvent",
        "hintFor",
        "isAuthFailure",
        "isAuthRejection",
        "isExpired",
        "isTransportError",
        "isResponseBodyTooLarge",
        "isTokenRefused",
        "loadAuthConfig",
        "makeAuthApi",
        "makeAuthConfig",
        "makeCredentials",
        "makeRejection",
        "makeTokenManager",
        "maxResponseBodyBytes",
        "maxTokenLifetimeMs",
        "memoryTokenStore",
        "noOffset",
        "noRetry",
        "parseHttpDate",
        "planRefresh",
        "requireCredentials",
        "resolveCredentialFiles",
        "retryDelay",
        "sampleResolutionMs",
        "scopes",
        "summarize",
        "validateBaseUrl",
        "validateCredential",
        "validateEnvironment",
        "validateExpiryMinutes",
        "validateRefreshPolicy",
        "validateRetryPolicy",
        "validateScope",
        "validateToken",
        "withCallContext",
        "withRetry"
      ].sort()
    )
  })
})
