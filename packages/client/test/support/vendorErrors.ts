/**
 * The error table of the vendor's guide, typed in by hand: the spec's named examples are checked
 * against it, so a wrong message in `spec/openapi.yaml` fails a test instead of being mirrored
 * back by Prism.
 */
export const vendorErrors = {
  "/v1/authenticate-token": {
    AUTH_ERR_001: "API Key is required.",
    AUTH_ERR_002: "Secret Key is required.",
    AUTH_ERR_003: "Scope is required.",
    AUTH_ERR_004: "Invalid Credentials, Please Contact Support Team.",
    AUTH_ERR_005: "Invalid scope provided. Please use a valid scope.",
    AUTH_ERR_011: "Minimum expiry time cannot be less than 30 minutes.",
    AUTH_ERR_012: "Maximum expiry time cannot be more than 24 hours."
  },
  "/v1/refresh-token": {
    AUTH_ERR_006: "Invalid Token, Please try with a Valid Token.",
    AUTH_ERR_007: "Invalid Token, Please try with a Valid Token.",
    AUTH_ERR_008: "Invalid Signature.",
    AUTH_ERR_009: "Refresh Token needs to be true in the Header."
  }
} as const

/** Every documented refusal as `[operation, code, message]`. */
export const vendorErrorRows = Object.entries(vendorErrors).flatMap(([operation, codes]) =>
  Object.entries(codes).map(([code, message]) => [operation, code, message] as const)
)
