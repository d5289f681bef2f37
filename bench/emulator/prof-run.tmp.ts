import autocannon from "autocannon";
import { spawnChild } from "./spawn.js";
const c = await spawnChild("./prof-child.tmp.mjs");
const r = await autocannon({
  url: `${c.url}/v1/license-keys/validate`,
  method: "POST",
  headers: { "content-type": "application/json", authorization: `Bearer ${c.seed!.accessToken}` },
  body: JSON.stringify({ key: c.seed!.licenseKey, organization_id: c.seed!.organizationId }),
  connections: 20,
  duration: 5,
});
console.log(r.requests.average, r.non2xx);
c.stop();
await new Promise((r) => setTimeout(r, 1000));
