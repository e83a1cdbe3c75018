using System.Text.Json.Serialization;

namespace Slardar.Scriptable.Host.Errors;

[JsonSerializable(typeof(ErrorBody))]
internal sealed partial class ErrorJsonContext : JsonSerializerContext;
