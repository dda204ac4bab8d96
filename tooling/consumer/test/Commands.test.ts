/** The command lines of the check, exactly as they will run. */
import { describe, expect, it } from "vitest"
import {
  attwCommand,
  binCommand,
  buildCommand,
  cliEnv,
  consumerEnv,
  npmInstallCommand,
  packCommand,
  publintCommand,
  tscCommand
} from "../src/Commands.js"

describe("consumerEnv", () => {
  it("drops what npm and pnpm put in a script's environment, keeps the rest, puts the Node first on PATH", () => {
    const env = {
      PATH: "/repo/node_modules/.bin:/node/bin:/usr/bin",
      HOME: "/home/u",
      HTTPS_PROXY: "http://proxy:3128",
      npm_config_frozen_lockfile: "true",
      NPM_CONFIG_REGISTRY: "http://elsewhere",
      npm_package_name: "ipos-auth-toolkit",
      pnpm_config_verify_deps_before_run: "false",
      INIT_CWD: "/repo",
      UNSET: undefined
    }
    expect(consumerEnv(env, "/node/bin")).toEqual({
      PATH: "/node/bin:/repo/node_modules/.bin:/usr/bin",
      HOME: "/home/u",
      HTTPS_PROXY: "http://proxy:3128"
    })
  })

  it("makes a PATH when there is none", () => {
    expect(consumerEnv({}, "/node/bin")).toEqual({ PATH: "/node/bin" })
  })
})

describe("cliEnv", () => {
  it("gives ipos-auth only the IPOS_* variables of the check, none of the caller's", () => {
    const env = { PATH: "/usr/bin", IPOS_SCOPE: "Recurring", IPOS_SECRET_KEY: "callers", npm_lifecycle_event: "test" }
    expect(cliEnv(env, "/node/bin", { IPOS_AUTH_URL: "http://127.0.0.1:4010", IPOS_SECRET_KEY: "demo" })).toEqual({
      PATH: "/node/bin:/usr/bin",
      IPOS_AUTH_URL: "http://127.0.0.1:4010",
      IPOS_SECRET_KEY: "demo"
    })
  })
})

describe("commands", () => {
  const env = { PATH: "/node/bin" }
  it.each([
    [
      "build: the packages and their dependencies, through the turbo wrapper",
      buildCommand("/repo", ["@ipos/auth-core", "@ipos/auth-cli"]),
      {
        program: "bash",
        args: [
          "tooling/scripts/turbo.sh",
          "run",
          "build",
          "--filter=@ipos/auth-core...",
          "--filter=@ipos/auth-cli...",
          "--output-logs=errors-only"
        ],
        cwd: "/repo"
      }
    ],
    [
      "pack: pnpm, into the destination, with the tarball's path as JSON",
      packCommand("/repo/packages/core", "/tmp/w/tarballs"),
      { program: "pnpm", args: ["pack", "--pack-destination", "/tmp/w/tarballs", "--json"], cwd: "/repo/packages/core" }
    ],
    [
      "install: plain npm in the project, the cache under the repository",
      npmInstallCommand("/tmp/w/project", "/repo/.cache/npm-consumer", env),
      {
        program: "npm",
        args: [
          "install",
          "--cache",
          "/repo/.cache/npm-consumer",
          "--prefer-offline",
          "--no-audit",
          "--no-fund",
          "--loglevel=warn"
        ],
        cwd: "/tmp/w/project",
        env
      }
    ],
    [
      "tsc: one tsconfig of the project, plain output",
      tscCommand("/node/bin/node", "/repo/tsc", "/tmp/w/project", "tsconfig.bundler.json"),
      {
        program: "/node/bin/node",
        args: ["/repo/tsc", "-p", "tsconfig.bundler.json", "--pretty", "false"],
        cwd: "/tmp/w/project"
      }
    ],
    [
      "publint: the tarball, warnings as errors",
      publintCommand("/node/bin/node", "/repo/publint.js", "/tmp/w/tarballs/a-1.0.0.tgz"),
      {
        program: "/node/bin/node",
        args: ["/repo/publint.js", "run", "--strict", "/tmp/w/tarballs/a-1.0.0.tgz"],
        cwd: "/tmp/w/tarballs"
      }
    ],
    [
      "attw: the tarball, ESM-only profile",
      attwCommand("/node/bin/node", "/repo/attw.js", "/tmp/w/tarballs/a-1.0.0.tgz"),
      {
        program: "/node/bin/node",
        args: ["/repo/attw.js", "/tmp/w/tarballs/a-1.0.0.tgz", "--profile", "esm-only", "--format", "ascii"],
        cwd: "/tmp/w/tarballs"
      }
    ],
    [
      "an installed command: node_modules/.bin of the project",
      binCommand("/tmp/w/project", "ipos-auth", ["--version"], env),
      { program: "/tmp/w/project/node_modules/.bin/ipos-auth", args: ["--version"], cwd: "/tmp/w/project", env }
    ]
  ])("%s", (_, command, want) => {
    expect(command).toEqual(want)
  })
})
