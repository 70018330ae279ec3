/**
 * Golden tests: each folder of tests/compiler/golden holds IDL (entry
 * `main.idl`) and its expected `ir.json` and `layout.txt`. Update with
 * `npx vitest run tests/compiler/golden.test.ts -u` and review the diff.
 */
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compile } from "../../compiler/compile.js";
import { layoutText } from "../../compiler/ir/layout-view.js";
import { fsHost } from "../../cli/fs-host.js";

const root = "tests/compiler/golden";

describe("golden", () => {
  for (const name of readdirSync(root).sort()) {
    it(name, async () => {
      const result = compile([`${root}/${name}/main.idl`], fsHost);
      expect(result.diagnostics).toEqual([]);
      await expect(`${JSON.stringify(result.ir, null, 2)}\n`).toMatchFileSnapshot(`golden/${name}/ir.json`);
      await expect(layoutText(result.ir!)).toMatchFileSnapshot(`golden/${name}/layout.txt`);
    });
  }
});
