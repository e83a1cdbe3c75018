// A 200 KB expression 1+1+...+1 (issue 11, point 7: still compiling after 120 s).
// Must: refused (limit or compile timeout), or compiled within the limits and served; the process lives.
