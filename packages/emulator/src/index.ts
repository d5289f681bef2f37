export { EmulatorError } from "./errors.js";
