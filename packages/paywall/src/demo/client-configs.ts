/** Ready-to-paste MCP client configurations for a paid server at `url`. */
export function clientConfigs(url: string, licenseKey: string): string {
  const cursor = JSON.stringify(
    { mcpServers: { "polar-paid-demo": { url, headers: { "license-key": licenseKey } } } },
    null,
    2,
  );
  const desktop = JSON.stringify(
    {
      mcpServers: {
        "polar-paid-demo": {
          command: "npx",
          args: ["-y", "mcp-remote", url, "--header", `license-key:${licenseKey}`],
        },
      },
    },
    null,
    2,
  );
  return [
    "Claude Code:",
    `  claude mcp add --transport http polar-paid-demo ${url} --header "license-key: ${licenseKey}"`,
    "",
    "Cursor (.cursor/mcp.json):",
    cursor,
    "",
    "Claude Desktop (claude_desktop_config.json, through mcp-remote):",
    desktop,
  ].join("\n");
}
