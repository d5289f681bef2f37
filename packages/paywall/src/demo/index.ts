export { startDemo } from "./start-demo.js";
export type { DemoOptions, RunningDemo, DemoSeedView } from "./start-demo.js";
export { runDemoScript } from "./demo-script.js";
export { createPaidExampleServer } from "./paid-example.js";
export { clientConfigs } from "./client-configs.js";
