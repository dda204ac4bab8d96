/**
 * What the consumer steps accept as the installed commands' right answers.
 */

/**
 * Whether `--version` printed exactly the package's version: `1.2.3`, `v1.2.3`, or either after
 * the command's name (`ipos-auth v1.2.3`), on one line.
 *
 * @example
 * printsVersion("ipos-auth v0.1.0\n", "ipos-auth", "0.1.0") // true
 * printsVersion("ipos-auth v0.1.0\n", "ipos-auth", "0.0.0") // false
 */
export const printsVersion = (stdout: string, bin: string, version: string): boolean => {
  const printed = stdout.trim()
  return [version, `v${version}`].some((v) => printed === v || printed === `${bin} ${v}`)
}

/**
 * The token `ipos-auth token` printed: stdout must be one JWT (three base64url segments) and a
 * newline, nothing else; `undefined` otherwise.
 *
 * @example
 * printedToken("aaa.bbb.ccc\n") // "aaa.bbb.ccc"
 * printedToken("token: aaa.bbb.ccc\n") // undefined
 */
export const printedToken = (stdout: string): string | undefined =>
  /^[\w-]+\.[\w-]+\.[\w-]+\n$/.test(stdout) ? stdout.slice(0, -1) : undefined

/**
 * What the consumer's sandbox program prints on its first line: where the sandbox listens and the
 * demo credentials to mint with; `undefined` when the line is not that.
 *
 * @example
 * sandboxLine('{"url":"http://127.0.0.1:4010","apiKey":"k","secretKey":"s"}') // { url: "http://127.0.0.1:4010", apiKey: "k", secretKey: "s" }
 */
export const sandboxLine = (
  line: string
): { readonly url: string; readonly apiKey: string; readonly secretKey: string } | undefined => {
  try {
    const value = JSON.parse(line) as Record<string, unknown>
    const { url, apiKey, secretKey } = value
    return typeof url === "string" && typeof apiKey === "string" && typeof secretKey === "string"
      ? { url, apiKey, secretKey }
      : undefined
  } catch {
    return undefined
  }
}
