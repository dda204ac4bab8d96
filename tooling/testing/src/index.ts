/** Test tooling shared by every package: Prism harness, the spec's named examples, free ports. */
export { freePort } from "./freePort.js"
export { type Prism, type PrismMode, specPath, startPrism } from "./prism.js"
export { type NamedExample, namedExamples } from "./specExamples.js"
export { specServers } from "./specServers.js"
