/** Maps a path to its endpoint and its handler; the only place that knows the URL layout. */
import type { Endpoint } from "../Counters.js"
import type { Context } from "../internal/Context.js"
import { byMethod, problem, type Reply, type SandboxRequest } from "../internal/http.js"
import { authenticate } from "./authenticate.js"
import { control, controlPrefix } from "./control.js"
import { echo } from "./echo.js"
import { withFaults } from "./faults.js"
import { jwks } from "./keys.js"
import { refresh } from "./refresh.js"

/** Where a path belongs: a counted endpoint, or the (uncounted) control API. */
export const endpointOf = (path: string): Endpoint | "control" => {
  if (path === "/v1/authenticate-token" || path === "/v1/refresh-token" || path === "/.well-known/jwks.json") {
    return path
  }
  if (path === "/api" || path.startsWith("/api/")) return "/api"
  if (path === controlPrefix || path.startsWith(`${controlPrefix}/`)) return "control"
  return "other"
}

const faultedAuthenticate = withFaults(authenticate)
const faultedRefresh = withFaults(refresh)

/** Answers a request whose body has been read. Faults touch only `POST` to the two auth endpoints. */
export const route = (request: SandboxRequest, ctx: Context): Reply | Promise<Reply> => {
  switch (endpointOf(request.path)) {
    case "/v1/authenticate-token":
      return byMethod(request, { POST: () => faultedAuthenticate(request, ctx) })
    case "/v1/refresh-token":
      return byMethod(request, { POST: () => faultedRefresh(request, ctx) })
    case "/.well-known/jwks.json":
      return jwks(request, ctx)
    case "/api":
      return echo(request, ctx)
    case "control":
      return control(request, ctx)
    case "other":
      return problem(404)
  }
}
