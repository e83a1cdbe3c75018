using System.Text.Json.Serialization;

namespace Slardar.Scriptable.Host.Proxy;

[JsonSerializable(typeof(ErrorBody))]
internal sealed partial class ProxyJsonContext : JsonSerializerContext;
