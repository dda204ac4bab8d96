import { vitestConfig } from "./src/vitest.js"

export default vitestConfig()
