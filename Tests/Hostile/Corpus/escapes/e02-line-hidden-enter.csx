// #line hidden hides a local function __Enter, removing the stack guard; then unbounded recursion (issue 11, point 1).
// Must: refused (#line or reserved name); today the process dies of a stack overflow.
#line hidden
void __Enter(int l) { }
#line default
int F(int n) => F(n + 1) + 1;
return Exit(200, F(0).ToString());
