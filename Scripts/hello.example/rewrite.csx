#load "../_editor/rewrite.globals.csx"
// The example host: curl -H 'Host: hello.example' localhost:8080/
// Edit and save: the next request runs the new code. Its spec: rewrite.spec beside this file.
// Line 1 is for editors (completion, diagnostics; `./run.sh --editor` writes what it loads); the gateway ignores it.
using Hello.Greetings;

// /hi?name=Ada is answered here, from the module.
if (Request.Path == "/hi")
{
    return Exit(200, Greeting.For(Request.Query["name"]));
}

// Everything else goes on to the demo upstream (an echo), with a header it shows back.
Request.Headers["X-Greeting"] = Greeting.For(null);
return Next;
