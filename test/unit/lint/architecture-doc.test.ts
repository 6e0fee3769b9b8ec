import { readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(__dirname, "../../..");
const doc = readFileSync(join(root, "docs/architecture.md"), "utf8");

/** Each TypeScript example with the last source file the text before it names. */
function examples(): { file: string; parts: string[] }[] {
  const found: { file: string; parts: string[] }[] = [];
  const block = /```ts\n([\s\S]*?)```/g;
  let m: RegExpExecArray | null;
  while ((m = block.exec(doc))) {
    const before = doc.slice(0, m.index);
    const named = [...before.matchAll(/`(lib\/[\w/.-]+\.ts)`/g)].pop();
    // A line "…" leaves code out: the parts around it are quoted each as a whole, in order.
    const parts = withoutComments(m[1])
      .split(/^\s*…\s*$/m)
      .map(squash)
      .filter(p => p);
    found.push({ file: named?.[1] ?? "(no file named)", parts });
  }
  return found;
}

/** Whole-line `//` comments go: an example may leave out (or keep) the code's comments. */
const withoutComments = (s: string) =>
  s
    .split("\n")
    .filter(l => !l.trim().startsWith("//"))
    .join("\n");
const squash = (s: string) => s.replace(/\s+/g, " ").trim();

describe("docs/architecture.md", () => {
  it("has examples", () => {
    expect(examples().length).toBeGreaterThanOrEqual(3);
  });

  it.each(examples().map(e => [e.file, e] as const))(
    "quotes %s as the code is",
    (file, { parts }) => {
      const code = squash(withoutComments(readFileSync(join(root, file), "utf8")));
      // Each part of the example is one stretch of the file (whitespace aside), in order.
      let from = 0;
      for (const part of parts) {
        const at = code.indexOf(part, from);
        expect({ part, found: at >= 0 }).toEqual({ part, found: true });
        from = at + part.length;
      }
    },
  );
});
