/**
 * The shape every teaching catalog has: the English one's keys, every leaf a string. A missing
 * or extra key in another language is a type error.
 */
import type en from './en.js';

type Strings<T> = { [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };

export type TeachCatalog = Strings<typeof en>;
