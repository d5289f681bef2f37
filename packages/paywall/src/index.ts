export { PaywallError } from "./errors.js";
