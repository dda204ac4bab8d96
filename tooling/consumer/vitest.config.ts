import { vitestConfig } from "@ipos/testing/vitest"

export default vitestConfig()
