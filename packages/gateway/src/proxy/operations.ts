import type { CatalogTool, ToolCatalog } from "@polar-mcp/server";

interface Route {
  method: string;
  pattern: RegExp;
  literals: number;
  tool: CatalogTool;
}

const routesByCatalog = new WeakMap<ToolCatalog, Route[]>();

/**
 * The catalogue operation a REST call targets: same method, path matching the operation's
 * template (`{id}` matches one segment; a trailing slash is optional). When several match
 * (`/v1/customers/external/{external_id}` and `/v1/customers/{id}/state`…), the one with
 * the most literal segments wins, as a router would pick it.
 */
export function operationFor(
  catalog: ToolCatalog,
  method: string,
  path: string,
): CatalogTool | undefined {
  let routes = routesByCatalog.get(catalog);
  if (!routes) {
    routes = catalog.tools.map(route).sort((a, b) => b.literals - a.literals);
    routesByCatalog.set(catalog, routes);
  }
  const upper = method.toUpperCase();
  return routes.find((r) => r.method === upper && r.pattern.test(path))?.tool;
}

function route(tool: CatalogTool): Route {
  const segments = tool.path.replace(/\/+$/, "").split("/");
  const source = segments
    .map((segment) =>
      /^\{[^}]+\}$/.test(segment) ? "[^/]+" : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
    )
    .join("/");
  return {
    method: tool.method.toUpperCase(),
    pattern: new RegExp(`^${source}/?$`),
    literals: segments.filter((s) => s && !s.startsWith("{")).length,
    tool,
  };
}
