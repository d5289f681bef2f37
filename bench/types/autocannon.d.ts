// autocannon ships no type declarations; the benches use a small part of its API.
declare module "autocannon";
