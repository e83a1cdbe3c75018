// A benign script: the harness itself must let good code through.
// Must: accepted; 200 with its body.
return Exit(200, "fine");
