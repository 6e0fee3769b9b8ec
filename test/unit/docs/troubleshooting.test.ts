import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

// docs/troubleshooting.md lists every status condition reason the operator writes, and only those:
// the reasons are read out of lib/ with the TypeScript parser, the page's tables are read as text.

const root = join(__dirname, "../../..");
const PAGE = "docs/troubleshooting.md";
const page = readFileSync(join(root, PAGE), "utf8");

/** Helpers with a `reason` parameter that is not a condition's reason. */
const NOT_CONDITION_HELPERS = new Set([
  "recordEvent", // an Event's reason (lib/engine/events.ts)
  "fieldMessage", // words of an admission message (lib/extend/index.ts)
]);

/** `reason:` properties that are Events' reasons (and never a condition's). */
const EVENT_REASONS = new Set([
  // Generated Secrets (lib/dependencies/tls, lib/render/credentials, lib/render/generated.ts,
  // lib/engine/generated-secret.ts).
  "CAIssued",
  "CARenewed",
  "CAPruned",
  "CertificateIssued",
  "CertificateRenewed",
  "CredentialsIssued",
  "RotationStarted",
  "CredentialsRotated",
  "PasswordRetired",
  "SecretUpdated",
  "HttpSecretGenerated",
  "SecretsGenerated",
  // A pruner's run that ended (lib/controllers/pruner.ts).
  "PruneSucceeded",
  "PruneFailed",
]);

/**
 * Reasons that reach a condition through a variable rather than at the place it is written: a
 * list whose elements are reasons, or tuples holding one at `index`.
 */
const INDIRECT: { file: string; variable: string; index?: number }[] = [
  // [applies, reason, message]: the first that applies is Ready's reason.
  { file: "lib/render/status/registry-status.ts", variable: "blockers", index: 1 },
  // Container waiting reasons passed on as Degraded's (and Ready's) reason.
  { file: "lib/render/status/pod-trouble.ts", variable: "STUCK" },
];

interface Found {
  reason: string;
  /** `file:line`, for messages. */
  at: string;
}

/**
 * The string values an expression can take, as far as its literals show (none when computed; an
 * empty string is a fallback, never a reason).
 */
function literals(e: ts.Expression | undefined): string[] {
  if (!e) return [];
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text ? [e.text] : [];
  if (ts.isConditionalExpression(e)) return [...literals(e.whenTrue), ...literals(e.whenFalse)];
  if (
    ts.isBinaryExpression(e) &&
    [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(e.operatorToken.kind)
  )
    return [...literals(e.left), ...literals(e.right)];
  if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e))
    return literals(e.expression);
  return [];
}

/** Functions (by name) with a parameter named `reason`, and its position. */
function reasonHelpers(source: ts.SourceFile): Map<string, number> {
  const helpers = new Map<string, number>();
  const add = (name: string, params: ts.NodeArray<ts.ParameterDeclaration>) => {
    const i = params.findIndex(p => ts.isIdentifier(p.name) && p.name.text === "reason");
    if (i >= 0) helpers.set(name, i);
  };
  const visit = (node: ts.Node) => {
    if (ts.isFunctionDeclaration(node) && node.name) add(node.name.text, node.parameters);
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.initializer &&
      (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))
    )
      add(node.name.text, node.initializer.parameters);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return helpers;
}

const parse = (file: string, text: string) =>
  ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);

/**
 * Every reason a source writes: the values of `reason:` properties, and the `reason` argument of
 * calls to helpers that take one (`cond(type, ok, reason, message)`, `state(ready, reason, …)`),
 * declared in this file or in `shared`. Event reasons are not told apart here.
 */
function writtenReasons(file: string, text: string, shared: Map<string, number>): Found[] {
  const source = parse(file, text);
  const helpers = new Map([...shared, ...reasonHelpers(source)]);
  const found: Found[] = [];
  const at = (node: ts.Node) =>
    `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node) => {
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === "reason")
      for (const reason of literals(node.initializer)) found.push({ reason, at: at(node) });
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
      const name = node.expression.text;
      const i = helpers.get(name);
      if (i !== undefined && !NOT_CONDITION_HELPERS.has(name))
        for (const reason of literals(node.arguments[i])) found.push({ reason, at: at(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The reasons an INDIRECT entry names. */
function indirectReasons({ file, variable, index }: (typeof INDIRECT)[number]): Found[] {
  const source = parse(file, readFileSync(join(root, file), "utf8"));
  const found: Found[] = [];
  const visit = (node: ts.Node) => {
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.name.text === variable &&
      node.initializer &&
      ts.isArrayLiteralExpression(node.initializer)
    )
      for (const element of node.initializer.elements) {
        const value =
          index === undefined
            ? element
            : ts.isArrayLiteralExpression(element)
              ? element.elements[index]
              : undefined;
        for (const reason of literals(value)) found.push({ reason, at: `${file} ${variable}` });
      }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const libFiles = (readdirSync(join(root, "lib"), { recursive: true }) as string[])
  .filter(f => f.endsWith(".ts") && !f.endsWith(".d.ts"))
  .map(f => join("lib", f).split("\\").join("/"))
  .sort();
const sources = libFiles.map(file => ({ file, text: readFileSync(join(root, file), "utf8") }));

/** Helpers exported from one file and called in another (by the same name). */
const sharedHelpers = new Map(sources.flatMap(s => [...reasonHelpers(parse(s.file, s.text))]));

/** Every reason written in lib/ (Events' included) and where. */
const scanned: Found[] = [
  ...sources.flatMap(s => writtenReasons(s.file, s.text, sharedHelpers)),
  ...INDIRECT.flatMap(indirectReasons),
];
/** The condition reasons the code writes. */
const written = new Set(scanned.map(f => f.reason).filter(r => !EVENT_REASONS.has(r)));

/** Every string literal in lib/: what a reason on the page must at least be. */
const libLiterals = new Set(
  sources.flatMap(({ file, text }) => {
    const out: string[] = [];
    const visit = (node: ts.Node) => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) out.push(node.text);
      ts.forEachChild(node, visit);
    };
    visit(parse(file, text));
    return out;
  }),
);

/** The cells of a Markdown table row (`\|` inside a cell is text). */
const cells = (line: string) =>
  line
    .trim()
    .replace(/^\||\|$/g, "")
    .split(/(?<!\\)\|/)
    .map(c => c.trim());

/**
 * The reasons in the page's condition tables: the `code` spans of the Reason column of each table
 * whose header has Condition and Reason columns, with the heading each table is under.
 */
function pageReasons(text: string): { reason: string; section: string }[] {
  const out: { reason: string; section: string }[] = [];
  const lines = text.split("\n");
  let section = "";
  for (let i = 0; i < lines.length; i++) {
    const heading = /^##\s+(.*)/.exec(lines[i]);
    if (heading) section = heading[1];
    if (!lines[i].startsWith("|") || lines[i - 1]?.startsWith("|")) continue;
    const header = cells(lines[i]).map(c => c.toLowerCase());
    const column = header.indexOf("reason");
    if (column < 0 || !header.some(c => c.startsWith("condition"))) continue;
    for (let j = i + 2; j < lines.length && lines[j].startsWith("|"); j++)
      for (const m of (cells(lines[j])[column] ?? "").matchAll(/`([^`]+)`/g))
        out.push({ reason: m[1], section });
  }
  return out;
}

const listed = pageReasons(page);
const listedSet = new Set(listed.map(l => l.reason));

describe(PAGE, () => {
  it("finds the reasons of the code and of the page", () => {
    // A broken scan must not pass for a page that agrees with it.
    expect(written.size).toBeGreaterThan(50);
    expect(listed.length).toBeGreaterThan(50);
    for (const source of INDIRECT)
      expect({ source, found: indirectReasons(source).length > 0 }).toEqual({
        source,
        found: true,
      });
  });

  it("lists every condition reason the code writes", () => {
    const missing = scanned.filter(f => !EVENT_REASONS.has(f.reason) && !listedSet.has(f.reason));
    expect(missing.map(f => `${f.reason} (${f.at})`)).toEqual([]);
  });

  it("lists only reasons the code has (string literals in lib/) and writes as conditions", () => {
    const wrong = listed.flatMap(({ reason, section }) =>
      !libLiterals.has(reason)
        ? [`${reason} (## ${section}): not in lib/`]
        : !written.has(reason)
          ? [`${reason} (## ${section}): not a condition reason the code writes`]
          : [],
    );
    expect(wrong).toEqual([]);
  });

  it("keeps its exclusions current: each is still written somewhere", () => {
    const all = new Set(scanned.map(f => f.reason));
    expect([...EVENT_REASONS].filter(r => !all.has(r))).toEqual([]);
    const declared = new Set(sharedHelpers.keys());
    expect([...NOT_CONDITION_HELPERS].filter(h => !declared.has(h))).toEqual([]);
  });

  it("has a section for each kind, and the links to it from README.md and docs/api.md resolve", () => {
    const anchors = new Set(
      [...page.matchAll(/^#+\s+(.*)$/gm)].map(m =>
        m[1]
          .toLowerCase()
          .replace(/[^\w\- ]/g, "")
          .replace(/ /g, "-"),
      ),
    );
    for (const kind of [
      "registry",
      "registrytemplate",
      "cache",
      "imagepullsecret-and-imagepushsecret",
      "imagepruner",
    ])
      expect({ kind, found: anchors.has(kind) }).toEqual({ kind, found: true });
    for (const file of ["README.md", "docs/api.md"]) {
      const links = [
        ...readFileSync(join(root, file), "utf8").matchAll(/troubleshooting\.md(?:#([\w-]+))?\)/g),
      ].map(m => m[1]);
      expect(links.length).toBeGreaterThan(0);
      expect(links.filter(a => a && !anchors.has(a)).map(a => `${file}: #${a}`)).toEqual([]);
    }
  });

  it("would catch a new reason: the scan finds each way a reason is written", () => {
    const helpers = new Map([
      ["cond", 2],
      ["recordEvent", 2],
    ]);
    const code = [
      `const ready = (status: string, reason: string, message: string) => ({ status, reason, message });`,
      `ready("False", "ByLocalHelper", "m");`,
      `cond("Ready", false, "BySharedHelper", "m");`,
      `const c = { type: "Ready", reason: ok ? "ByTernaryA" : ("ByTernaryB" as string) };`,
      `const d = { reason: problem?.reason ?? "ByFallback" };`,
      `recordEvent(obj, "Normal", "NotACondition", "m");`,
      `const e = { reason: \`computed \${x}\` };`,
    ].join("\n");
    const found = writtenReasons("lib/probe.ts", code, helpers).map(f => f.reason);
    expect(found.sort()).toEqual(
      ["ByFallback", "ByLocalHelper", "BySharedHelper", "ByTernaryA", "ByTernaryB"].sort(),
    );
    // None of them is on the page: the check above would name each.
    expect(found.filter(r => listedSet.has(r))).toEqual([]);
  });
});
