/**
 * Imports every protocol module so it registers in the dispatch tables. One line per protocol;
 * the order does not matter.
 */
import './data.js';
