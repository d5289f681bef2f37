export { GatewayError } from "./errors.js";
