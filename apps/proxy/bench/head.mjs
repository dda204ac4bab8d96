// `pnpm --filter @ipos/auth-proxy bench:head`: CPU per exchange of the proxy's own header work, in
// one process with no sockets: a typical upstream response head parsed by ResponseParser, its
// headers filtered by responseHeaders, the answer counted by scope, and a client's request headers
// filtered by requestHeaders. A figure, never an assertion.
//
// BENCH_HEAD_DIST  a build's `dist` folder to measure instead of this one's (an A/B against another
//                  build: run once with each).
// BENCH_HEAD_N     exchanges per measured round (default 300,000; 5 rounds, the median printed).
import { existsSync } from "node:fs"
import { dirname, resolve } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const here = dirname(fileURLToPath(import.meta.url))
const dist = resolve(process.env.BENCH_HEAD_DIST ?? resolve(here, "..", "dist"))
if (!existsSync(resolve(dist, "ResponseParser.js"))) {
  process.stderr.write(`bench:head: no build at ${dist}: run \`pnpm build\` first\n`)
  process.exit(1)
}
const load = (name) => import(pathToFileURL(resolve(dist, name)).href)
const { ResponseParser } = await load("ResponseParser.js")
const { requestHeaders, responseHeaders } = await load("HopByHop.js")
const { ProxyMetrics } = await load("Metrics.js")

const n = Number(process.env.BENCH_HEAD_N ?? 300_000)
// What the proxybench upstream (a node:http server) sends, and what curl sends.
const response = Buffer.from(
  "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 101\r\n" +
    "Date: Tue, 01 Dec 2026 05:00:00 GMT\r\nConnection: keep-alive\r\nKeep-Alive: timeout=65\r\n\r\n" +
    "x".repeat(101),
  "latin1"
)
const request = ["Host", "127.0.0.1:8787", "User-Agent", "curl/8.5.0", "Accept", "*/*", "X-Request-Id", "r-1"]

const metrics = new ProxyMetrics()
let kept = 0
const parser = new ResponseParser({
  onHead: (status, _text, raw) => {
    kept += responseHeaders(raw, "token").length
    metrics.answered(status, "PaymentTokenization")
  },
  onBody: () => {},
  onEnd: () => {}
})
const round = () => {
  for (let i = 0; i < n; i++) {
    parser.expect("GET")
    const error = parser.feed(response)
    if (error !== undefined) throw error
    kept += requestHeaders(request, "api.ipospays.com", "token", "jwt").headers.length
  }
}
round() // warm-up: optimized code from here on
const rounds = []
for (let r = 0; r < 5; r++) {
  const start = process.cpuUsage()
  round()
  const used = process.cpuUsage(start)
  rounds.push(((used.user + used.system) * 1000) / n)
}
rounds.sort((a, b) => a - b)
process.stdout.write(
  `header work per exchange (${dist}): median ${rounds[2].toFixed(0)} ns CPU over 5 rounds of ${n.toLocaleString("en")} ` +
    `(range ${rounds[0].toFixed(0)}–${rounds[4].toFixed(0)} ns); ${kept > 0 ? "headers kept" : "no header kept"}\n`
)
