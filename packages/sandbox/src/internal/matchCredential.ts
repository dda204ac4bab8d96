/** Finds the credential an `apiKey` / `secretKey` pair belongs to. */
import { createHash, timingSafeEqual } from "node:crypto"
import type { SandboxCredential } from "../Credentials.js"

// Comparing digests keeps the comparison constant-time whatever the lengths; a sandbox does not
// need it, but code that gets copied should not teach the wrong habit.
const digest = (value: string): Buffer => createHash("sha256").update(value, "utf8").digest()

/** The credential whose keys both match, or `undefined` (answered `AUTH_ERR_004` either way). */
export const matchCredential = (
  table: ReadonlyArray<SandboxCredential>,
  apiKey: string,
  secretKey: string
): SandboxCredential | undefined => {
  const credential = table.find((c) => c.apiKey === apiKey)
  if (credential === undefined) return undefined
  return timingSafeEqual(digest(credential.secretKey), digest(secretKey)) ? credential : undefined
}
