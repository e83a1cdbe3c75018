// An else-if chain of 20,000 branches (each else nests the next if in the syntax tree).
// Must: refused (nesting limit or timeout), or compiled and served; the process lives.
