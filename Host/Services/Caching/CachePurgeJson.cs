using System.Text.Json.Serialization;

namespace Slardar.Scriptable.Host.Services.Caching;

[JsonSerializable(typeof(PurgeMessage))]
[JsonSerializable(typeof(PurgeLog))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class CachePurgeJson : JsonSerializerContext
{
}
