import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { DashboardAssets, hashSources } from "../../src/dashboard/assets.js";
import { registerDashboardRoutes } from "../../src/dashboard/routes.js";
import { createEmulator } from "../../src/index.js";

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "polar-dashboard-"));
  dirs.push(dir);
  return dir;
}

/** A published build (no sources beside it): what an installed package serves. */
function publishedBuild(): string {
  const root = tempDir();
  const published = join(root, "published");
  mkdirSync(join(published, "assets"), { recursive: true });
  writeFileSync(join(published, "index.html"), "<!doctype html><title>built</title>");
  writeFileSync(join(published, "assets", "app.js"), "console.log('app')");
  writeFileSync(join(root, "secret.txt"), "not for the browser");
  return published;
}

describe("dashboard assets", () => {
  it("serves a published build's files with their types and never a file outside it", async () => {
    const published = publishedBuild();
    const assets = new DashboardAssets({ sources: join(published, "no-sources"), published });
    const emulator = createEmulator();
    const app = new Hono();
    registerDashboardRoutes(app, emulator.context, assets);

    const page = await app.request("/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain("built");
    const script = await app.request("/__emulator/ui/assets/app.js");
    expect(script.headers.get("content-type")).toContain("text/javascript");
    for (const path of [
      "/__emulator/ui/..%2Fsecret.txt",
      "/__emulator/ui/assets/..%2F..%2Fsecret.txt",
      "/__emulator/ui/%2E%2E/secret.txt",
    ]) {
      const response = await app.request(path);
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).not.toContain("not for the browser");
    }
    await emulator.close();
  });

  it("says how to build when there is neither a build nor its sources", async () => {
    const root = tempDir();
    const assets = new DashboardAssets({
      sources: join(root, "ui"),
      published: join(root, "dist", "ui"),
    });
    await expect(assets.read("index.html")).rejects.toThrow(/npm run build/);
  });

  it("hashes the sources so that an edited file means a new build", () => {
    const sources = tempDir();
    mkdirSync(join(sources, "src"));
    writeFileSync(join(sources, "index.html"), "<div id=app></div>");
    writeFileSync(join(sources, "src", "main.tsx"), "export {};");
    const before = hashSources(sources);
    expect(hashSources(sources)).toBe(before);
    writeFileSync(join(sources, "src", "main.tsx"), "export const edited = 1;");
    expect(hashSources(sources)).not.toBe(before);
  });
});

describe("dashboard session", () => {
  it("gives each organization one reused token that reads /v1, and is refused to other sites", async () => {
    const emulator = createEmulator({ seed: "demo" });
    const session = async (headers: Record<string, string> = {}) =>
      emulator.fetch(
        new Request("http://127.0.0.1:8787/__emulator/dashboard/session", { headers }),
      );
    const first = (await (await session()).json()) as {
      organizations: { id: string; token: string }[];
    };
    expect(first.organizations.map((o) => o.id)).toEqual([emulator.seed!.organizationId]);
    const second = (await (await session()).json()) as typeof first;
    expect(second.organizations[0]!.token).toBe(first.organizations[0]!.token);
    const products = await emulator.fetch(
      new Request("http://127.0.0.1:8787/v1/products/", {
        headers: { Authorization: `Bearer ${first.organizations[0]!.token}` },
      }),
    );
    expect(products.status).toBe(200);
    const crossSite = await session({ Origin: "https://evil.example" });
    expect(crossSite.status).toBe(403);
    await emulator.close();
  });
});
