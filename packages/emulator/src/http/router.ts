import type { OperationSpec } from "../openapi/document.js";

interface Node {
  static: Map<string, Node>;
  /** Parameters at this place; operations may name the same place differently. */
  params: { name: string; node: Node }[];
  operation?: OperationSpec;
}

const newNode = (): Node => ({ static: new Map(), params: [] });

export interface RouteMatch {
  operation: OperationSpec;
  params: Record<string, string>;
}

const segmentsOf = (path: string) => path.split("/").filter((s) => s !== "");

/**
 * Finds the operation of a request by method and path: one tree of path segments per
 * method, built once from the document (cheaper at start than registering 186 routes with
 * Hono, and one lookup per request). A static segment wins over a parameter at the same
 * place (`/v1/customers/export` before `/v1/customers/{id}`); a trailing slash is optional.
 */
export class OperationRouter {
  private readonly roots = new Map<string, Node>();

  constructor(operations: readonly OperationSpec[]) {
    for (const op of operations) {
      const method = op.method.toUpperCase();
      let node: Node = this.roots.get(method) ?? newNode();
      this.roots.set(method, node);
      for (const segment of segmentsOf(op.path)) {
        const param = /^\{([^}]+)\}$/.exec(segment)?.[1];
        if (param !== undefined) {
          let next: { name: string; node: Node } | undefined = node.params.find(
            (p) => p.name === param,
          );
          if (!next) node.params.push((next = { name: param, node: newNode() }));
          node = next.node;
        } else {
          let next: Node | undefined = node.static.get(segment);
          if (!next) node.static.set(segment, (next = newNode()));
          node = next;
        }
      }
      // Document order decides between duplicates, as the first registered route did.
      node.operation ??= op;
    }
  }

  match(method: string, pathname: string): RouteMatch | undefined {
    const root = this.roots.get(method);
    if (!root) return undefined;
    const segments = segmentsOf(pathname);
    const values: string[] = [];
    const names: string[] = [];
    const found = walk(root, segments, 0, names, values);
    if (!found) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < names.length; i++) params[names[i]!] = decode(values[i]!);
    return { operation: found, params };
  }
}

function walk(
  node: Node,
  segments: string[],
  index: number,
  names: string[],
  values: string[],
): OperationSpec | undefined {
  if (index === segments.length) return node.operation;
  const segment = segments[index]!;
  const next = node.static.get(segment);
  if (next) {
    const found = walk(next, segments, index + 1, names, values);
    if (found) return found;
  }
  for (const param of node.params) {
    names.push(param.name);
    values.push(segment);
    const found = walk(param.node, segments, index + 1, names, values);
    if (found) return found;
    names.pop();
    values.pop();
  }
  return undefined;
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
