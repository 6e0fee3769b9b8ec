import { readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(__dirname, "../../..");
const doc = readFileSync(join(root, "docs/architecture.md"), "utf8");

/** Each TypeScript example with the last source file the text before it names. */
function examples(): { file: string; lines: string[] }[] {
  const found: { file: string; lines: string[] }[] = [];
  const block = /```ts\n([\s\S]*?)```/g;
  let m: RegExpExecArray | null;
  while ((m = block.exec(doc))) {
    const before = doc.slice(0, m.index);
    const named = [...before.matchAll(/`(lib\/[\w/.-]+\.ts)`/g)].pop();
    const lines = m[1]
      .split("\n")
      .map(l => l.trim())
      .filter(l => l && l !== "…" && !l.startsWith("//"));
    found.push({ file: named?.[1] ?? "(no file named)", lines });
  }
  return found;
}

const squash = (s: string) => s.replace(/\s+/g, " ").trim();

describe("docs/architecture.md", () => {
  it("has examples", () => {
    expect(examples().length).toBeGreaterThanOrEqual(3);
  });

  it.each(examples().map(e => [e.file, e] as const))(
    "quotes %s as the code is",
    (file, { lines }) => {
      const code = squash(readFileSync(join(root, file), "utf8"));
      // Each line of the example appears in the file, in order.
      let from = 0;
      for (const line of lines) {
        const at = code.indexOf(squash(line), from);
        expect({ line, found: at >= 0 }).toEqual({ line, found: true });
        from = at + 1;
      }
    },
  );
});
