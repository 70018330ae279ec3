/**
 * Generated code for each golden case equals the reviewed files under
 * golden/<case>/. After a deliberate change: `UPDATE_GOLDENS=1 npx vitest run
 * tests/backends/typescript/golden.test.ts`, then review the diff.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { cases, generate, goldenDir } from "./golden-cases.js";

const update = process.env.UPDATE_GOLDENS === "1";

describe("TypeScript goldens", () => {
  for (const [name, entries] of Object.entries(cases)) {
    it(`${name}: generated modules match golden/${name}/`, () => {
      const out = generate(entries);
      const dir = join(goldenDir, name);
      if (update) {
        for (const [path, text] of out) {
          mkdirSync(dirname(join(dir, path)), { recursive: true });
          writeFileSync(join(dir, path), text);
        }
      }
      expect(existsSync(dir)).toBe(true);
      const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
      expect(files.map((f) => f.split(sep).join("/")).sort()).toEqual([...out.keys()].sort());
      for (const [path, text] of out) expect(text, path).toBe(readFileSync(join(dir, path), "utf8"));
    });
  }
});
