// A type nested 2,000 generic levels deep: List<List<...<int>...>>.
// Must: refused (nesting limit or compile timeout: it compiled for about a minute in-process on a busy 2-core machine), or compiled within the limits and served; the process lives.
