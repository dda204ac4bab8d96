import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import { afterAll } from "vitest"
import { loadAuthConfig } from "../src/Config.js"
import { readSecretFile, resolveCredentialFiles } from "../src/CredentialFiles.js"

const dir = mkdtempSync(join(tmpdir(), "ipos-credfiles-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const file = (name: string, content: string) => {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}
const apiKeyFile = file("apiKey", "file-fake-api-key\n")
const secretKeyFile = file("secretKey", "file-fake-secret\r\n")

describe("CredentialFiles", () => {
  it("reads a file and trims exactly one trailing newline", () => {
    expect(readSecretFile(apiKeyFile, "IPOS_API_KEY_FILE")).toEqual(Result.succeed("file-fake-api-key"))
    expect(readSecretFile(secretKeyFile, "IPOS_SECRET_KEY_FILE")).toEqual(Result.succeed("file-fake-secret"))
    expect(readSecretFile(file("two", "k\n\n"), "IPOS_API_KEY_FILE")).toEqual(Result.succeed("k\n"))
  })

  it("names the variable, never the content, when a file cannot be read", () => {
    const read = readSecretFile(join(dir, "absent"), "IPOS_API_KEY_FILE")
    expect(Result.isFailure(read) && read.failure.message).toBe("Invalid IPOS_API_KEY_FILE: cannot be read (ENOENT)")
  })

  it("replaces the _FILE variables by the keys", () => {
    expect(
      resolveCredentialFiles({ IPOS_API_KEY_FILE: apiKeyFile, IPOS_SECRET_KEY_FILE: secretKeyFile, IPOS_SCOPE: "X" })
    ).toEqual(
      Result.succeed({ IPOS_API_KEY: "file-fake-api-key", IPOS_SECRET_KEY: "file-fake-secret", IPOS_SCOPE: "X" })
    )
  })

  it("refuses a variable and its _FILE twin together", () => {
    const both = resolveCredentialFiles({ IPOS_SECRET_KEY: "x", IPOS_SECRET_KEY_FILE: secretKeyFile })
    expect(Result.isFailure(both) && both.failure.message).toBe(
      "Invalid IPOS_SECRET_KEY: must not be set together with IPOS_SECRET_KEY_FILE (use one)"
    )
  })

  it("lets the core's config loader read the files", () => {
    const load = (env: Record<string, string>) =>
      Effect.runSyncExit(
        loadAuthConfig().pipe(Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnvRecord(env)))
      )
    const loaded = load({ IPOS_API_KEY_FILE: apiKeyFile, IPOS_SECRET_KEY_FILE: secretKeyFile })
    expect(loaded._tag).toBe("Success")
    if (loaded._tag === "Success") {
      expect(Redacted.value(loaded.value.credentials!.apiKey)).toBe("file-fake-api-key")
      expect(Redacted.value(loaded.value.credentials!.secretKey)).toBe("file-fake-secret")
    }
    const both = load({ IPOS_API_KEY: "a", IPOS_API_KEY_FILE: apiKeyFile, IPOS_SECRET_KEY: "s" })
    expect(both._tag).toBe("Failure")
    expect(JSON.stringify(both)).toContain(
      '"field":"IPOS_API_KEY","reason":"must not be set together with IPOS_API_KEY_FILE (use one)"'
    )
  })
})
