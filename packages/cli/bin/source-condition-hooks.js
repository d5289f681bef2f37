// Module hooks for running the CLI from its TypeScript sources in a checkout: resolve every
// import with the "polar-mcp-source" export condition, so the workspace packages load their
// src/ instead of a build. Registered by polar-mcp.js before anything else is imported.
export async function resolve(specifier, context, nextResolve) {
  const conditions = context.conditions.includes("polar-mcp-source")
    ? context.conditions
    : [...context.conditions, "polar-mcp-source"];
  return nextResolve(specifier, { ...context, conditions });
}
