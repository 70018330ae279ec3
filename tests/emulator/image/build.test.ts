import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { rmSync } from "node:fs";
import { main } from "../../../cli/main.js";
import { BuildError, type BuildProgress, buildImage } from "../../../emulator/image/build.js";
import { readImage } from "../../../emulator/image/read.js";
import { capture } from "../../support/capture-io.js";

const fixture = fileURLToPath(new URL("./fixtures/hello/", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "doorkit-image-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));


/** A copy of the fixture whose manifest has been changed by `edit`. */
function variant(name: string, edit: (m: any) => void): string {
  const dir = join(work, name);
  mkdirSync(dir);
  cpSync(fixture, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
  edit(manifest);
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest));
  return join(dir, "manifest.json");
}

describe("buildImage", () => {
  it("bundles every program with its imports and carries the files", async () => {
    const steps: BuildProgress[] = [];
    const bytes = await buildImage(join(fixture, "manifest.json"), { onProgress: (p) => steps.push(p) });
    const result = readImage(bytes);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { manifest, programs, files } = result.image;
    expect(manifest.programs.map((p) => p.name)).toEqual(["hello", "helper"]);
    expect(programs[0]).toContain('"hello"');
    expect(programs[0]).not.toMatch(/\bimport\b.*greeting/);
    expect(new TextDecoder().decode(files[0])).toBe("welcome to doorkit\n");
    expect(steps.map((s) => `${s.done}/${s.total} ${s.step} ${s.subject}`).slice(0, 3)).toEqual([
      "1/4 bundle hello",
      "2/4 bundle helper",
      "3/4 file /etc/motd",
    ]);
    const mod = await import(`data:text/javascript;base64,${Buffer.from(programs[0]).toString("base64")}`);
    expect(await mod.default()).toBe(5);
  });

  it("names the program whose source is missing", async () => {
    const path = variant("missing-source", (m) => (m.programs[1].source = "nothere.ts"));
    await expect(buildImage(path)).rejects.toThrow(BuildError);
    await expect(buildImage(path)).rejects.toThrow(/^\$\.programs\[1\] \(helper\): cannot bundle nothere\.ts:/);
  });

  it("names the program that does not compile", async () => {
    const path = variant("syntax", (m) => (m.programs[0].source = "broken.ts"));
    writeFileSync(join(path, "..", "broken.ts"), "export default async function (: number {}\n");
    await expect(buildImage(path)).rejects.toThrow(/broken\.ts:1:\d+: /);
  });

  it("names a missing RAM-disk file", async () => {
    const path = variant("missing-file", (m) => (m.files[0].source = "gone.txt"));
    await expect(buildImage(path)).rejects.toThrow(/^\$\.files\[0\]\.source: cannot read .*gone\.txt: no such file$/);
  });

  it("refuses a served interface that no IDL file declares", async () => {
    const path = variant("serves", (m) => (m.programs[0].serves = { "/user/hello": "Hello" }));
    await expect(buildImage(path)).rejects.toThrow(
      '$.programs[0].serves["/user/hello"]: unknown interface \'Hello\' (compiled interfaces: none: add its IDL file to $.interfaces)',
    );
  });

  it("refuses interfaces when no compiler is given", async () => {
    const path = variant("interfaces", (m) => (m.interfaces = ["x.idl"]));
    await expect(buildImage(path)).rejects.toThrow("$.interfaces: this build has no IDL compiler to compile them with");
  });
});

describe("doorkit image", () => {
  it("builds an image and shows it", async () => {
    const out = join(work, "hello.img");
    const io = capture();
    expect(await main(["image", "build", join(fixture, "manifest.json"), "--out", out, "--progress"], io)).toBe(0);
    expect(io.out).toMatch(/^wrote .*hello\.img \(\d+ bytes\)\n$/);
    expect(io.err).toContain("[1/4] bundle hello");
    const show = capture();
    expect(await main(["image", "show", out], show)).toBe(0);
    expect(show.out).toMatch(/^image hello \(\d+ bytes\), init hello\nprograms:\n {2}hello +domain user/);
    expect(show.out).toContain("helper");
    expect(show.out).toContain("(on request)");
    expect(show.out).toMatch(/\/etc\/motd +19 bytes/);
  });

  it("compiles the manifest's interfaces into the image, or reports their diagnostics", async () => {
    const good = variant("cli-idl", (m) => {
      m.interfaces = ["hello.idl"];
      m.programs[0].serves = { "/user/hello": "Hello" };
    });
    const out = join(work, "idl.img");
    const io = capture();
    expect(await main(["image", "build", good, "--out", out], io)).toBe(0);
    const show = capture();
    expect(await main(["image", "show", out], show)).toBe(0);
    expect(show.out).toContain("interfaces: Hello\n");
    const bad = variant("cli-bad-idl", (m) => (m.interfaces = ["broken.idl"]));
    writeFileSync(join(bad, "..", "broken.idl"), "interface Broken : user {\n    f(x: nosuchtype);\n}\n");
    const io2 = capture();
    expect(await main(["image", "build", bad, "--out", out], io2)).toBe(1);
    expect(io2.err).toMatch(/^doorkit image: \$\.interfaces: cannot compile:\n.*broken\.idl:2:10: error\[DK\d{4}\]: unknown type 'nosuchtype'\n/);
  });

  it.each([
    [["image"], "missing subcommand"],
    [["image", "burn"], "unknown subcommand 'burn'"],
    [["image", "build"], "missing MANIFEST"],
    [["image", "build", "m.json"], "missing --out FILE"],
    [["image", "build", "m.json", "--out"], "--out needs a file name"],
    [["image", "build", "m.json", "--fast", "--out", "x"], "unknown option '--fast'"],
  ])("%j is a usage error", async (args, message) => {
    const io = capture();
    expect(await main(args, io)).toBe(2);
    expect(io.err).toContain(message);
    expect(io.err).toContain("usage: doorkit image build");
  });

  it("reports a bad manifest with paths and no stack trace", async () => {
    const path = variant("cli-bad", (m) => {
      m.programs[0].domain = "root";
      m.policy.domains.user.names = ["user"];
    });
    const io = capture();
    expect(await main(["image", "build", path, "--out", join(work, "bad.img")], io)).toBe(1);
    expect(io.err).toBe(
      `doorkit image: ${path}: invalid manifest:\n` +
        "$.policy.domains.user.names[0]: 'user' is not a valid name prefix (like /user/echo)\n" +
        "$.programs[0].domain: unknown domain 'root' (declared: user)\n",
    );
  });

  it("reports a manifest that is not JSON, or not there", async () => {
    const path = join(work, "not-json.json");
    writeFileSync(path, "{ nope");
    const io = capture();
    expect(await main(["image", "build", path, "--out", join(work, "x.img")], io)).toBe(1);
    expect(io.err).toMatch(/^doorkit image: .*not-json\.json: not valid JSON: /);
    const io2 = capture();
    expect(await main(["image", "build", join(work, "none.json"), "--out", join(work, "x.img")], io2)).toBe(1);
    expect(io2.err).toMatch(/^doorkit image: manifest: cannot read .*none\.json: no such file\n$/);
  });

  it("shows a broken image as a one-line error", async () => {
    const path = join(work, "junk.img");
    writeFileSync(path, "DOORKIMG but not really an image at all");
    const io = capture();
    expect(await main(["image", "show", path], io)).toBe(1);
    expect(io.err).toBe(`doorkit image: ${path}: image format version 25120 is not supported (this doorkit reads version 1)\n`);
  });
});
