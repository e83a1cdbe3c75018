// JsonSerializer on a script's own (anonymous) type: the serializer's cache keeps the script's code loaded after unload.
// Must: refused at compile time (400 naming the API or the rule).
return Exit(200, System.Text.Json.JsonSerializer.Serialize(new { A = 1 }));
