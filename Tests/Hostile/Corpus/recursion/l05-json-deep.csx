// Parses JSON nested 100,000 arrays deep.
// Must: the process stays alive and other hosts serve; the request answers (200 or 500 with 50000001/50000002) within the client's timeout.
var node = System.Text.Json.Nodes.JsonNode.Parse(new string('[', 100000) + new string(']', 100000));
return Exit(200, node!.ToJsonString().Length.ToString());
