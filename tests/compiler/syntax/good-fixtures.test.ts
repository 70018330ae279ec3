import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseFile } from "../../../compiler/syntax/index.js";

const idlDir = fileURLToPath(new URL("../../../idl/", import.meta.url));

describe("the project's own IDL parses cleanly", () => {
  const files = readdirSync(idlDir).filter((f) => f.endsWith(".idl")).sort();
  it("has files", () => expect(files.length).toBeGreaterThan(0));
  for (const name of files) {
    it(name, () => {
      const { file, diagnostics } = parseFile(name, readFileSync(idlDir + name, "utf8"));
      expect(diagnostics).toEqual([]);
      expect(file.declarations.length).toBeGreaterThan(0);
    });
  }
});
