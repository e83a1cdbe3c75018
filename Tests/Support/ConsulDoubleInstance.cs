namespace Slardar.Scriptable.Tests.Support;

/// <summary>A registered service instance in the <see cref="ConsulDouble"/>, with its one check's status.</summary>
internal sealed record ConsulDoubleInstance(
    string Service,
    string Id,
    string Node,
    string NodeAddress,
    string ServiceAddress,
    int Port,
    IReadOnlyDictionary<string, string> Meta,
    int PassingWeight,
    int WarningWeight,
    string Status);
