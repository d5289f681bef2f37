// Stand-in for the `xmcp` package in tests: the seed's tool imports only types from it.
export {};
export type InferSchema<T> = { [K in keyof T]: unknown };
export type ToolMetadata = { name: string; description: string };
