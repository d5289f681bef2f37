import { describe, expect, it } from "vitest";
import { listOperations, loadDocument } from "../src/index.js";
import { RequestValidator } from "../src/openapi/validator.js";
import { demoEmulator } from "./helpers.js";

describe("the request validator coerces query strings itself", () => {
  const document = loadDocument();
  const validator = new RequestValidator(document);
  const op = (id: string) => listOperations(document).find((o) => o.operationId === id)!;
  const query = (id: string, values: Record<string, string[]>) =>
    validator.validate(op(id), {
      path: { id: "00000000-0000-4000-8000-000000000000" },
      query: values,
      body: undefined,
      hasBody: false,
    }).query;

  it("keeps false as false in anyOf [boolean, null] (ajv's coercion made it null)", () => {
    expect(query("benefits:grants", { is_granted: ["false"] }).is_granted).toBe(false);
    expect(query("benefits:grants", { is_granted: ["true"] }).is_granted).toBe(true);
    expect(query("benefits:grants", {}).is_granted).toBeUndefined();
  });

  it("reads integers, lists and defaults as declared", () => {
    const q = query("products:list", {
      limit: ["5"],
      id: ["00000000-0000-4000-8000-000000000000"],
    });
    expect(q).toMatchObject({ limit: 5, page: 1, sorting: ["-created_at"] });
    expect(q.id).toEqual(["00000000-0000-4000-8000-000000000000"]);
  });
});

describe("query parameters: coerced per the declared schema", () => {
  it("reads ?is_granted=false as false (anyOf [boolean, null]), not as no filter", async () => {
    const { call, seed } = demoEmulator();
    const id = seed.benefitIds.licenseKeys;
    const target = { customer_id: seed.customerId, benefit_id: id };
    expect((await call("POST", "/__emulator/benefit-grants/revoke", { body: target })).status).toBe(
      200,
    );
    const revoked = await call("GET", `/v1/benefits/${id}/grants?is_granted=false`);
    expect(revoked.body.items).toHaveLength(1);
    expect(revoked.body.items[0]).toMatchObject({ is_granted: false });
    const granted = await call("GET", `/v1/benefits/${id}/grants?is_granted=true`);
    expect(granted.body.items).toEqual([]);
    const all = await call("GET", `/v1/benefits/${id}/grants`);
    expect(all.body.items).toHaveLength(1);
  });

  it("accepts pydantic's boolean words and rejects others with bool_type", async () => {
    const { call } = demoEmulator();
    for (const word of ["0", "no", "off", "False"]) {
      const res = await call("GET", `/v1/products/?is_archived=${word}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeGreaterThan(0);
    }
    const archived = await call("GET", "/v1/products/?is_archived=1");
    expect(archived.body.items).toEqual([]);
    const bad = await call("GET", "/v1/products/?is_archived=maybe");
    expect(bad.status).toBe(422);
    expect(bad.body.detail).toEqual([
      expect.objectContaining({ type: "bool_type", loc: ["query", "is_archived"] }),
    ]);
  });

  it("still coerces integers and rejects non-numbers", async () => {
    const { call } = demoEmulator();
    const page = await call("GET", "/v1/products/?limit=1&page=1");
    expect(page.body.items).toHaveLength(1);
    const bad = await call("GET", "/v1/products/?limit=ten");
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0]).toMatchObject({ type: "int_type", loc: ["query", "limit"] });
  });
});

describe("sorting: Polar's own check, for every list", () => {
  const invalid = (input: string) => ({
    error: "RequestValidationError",
    detail: [{ type: "enum", loc: ["query", "sorting"], msg: "Invalid sorting criterion.", input }],
  });

  it("answers one issue at loc [query, sorting], input without its minus", async () => {
    const { call } = demoEmulator();
    for (const path of ["/v1/customers/", "/v1/products/", "/v1/benefits/"]) {
      const bad = await call("GET", `${path}?sorting=-nope`);
      expect(bad.status).toBe(422);
      expect(bad.body).toEqual(invalid("nope"));
    }
    const second = await call("GET", "/v1/customers/?sorting=email&sorting=bogus");
    expect(second.body).toEqual(invalid("bogus"));
  });

  it("still sorts by known criteria in both directions", async () => {
    const { call } = demoEmulator();
    for (const email of ["b@example.com", "a@example.com"])
      await call("POST", "/v1/customers/", { body: { email } });
    const emails = async (sorting: string) =>
      (await call("GET", `/v1/customers/?sorting=${sorting}&limit=100`)).body.items
        .map((c: { email: string }) => c.email)
        .filter((e: string) => e.endsWith("@example.com") && e.length === 13);
    expect(await emails("email")).toEqual(["a@example.com", "b@example.com"]);
    expect(await emails("-email")).toEqual(["b@example.com", "a@example.com"]);
  });
});
