using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Slardar.Scriptable.Host.Store;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Store;

/// <summary>
/// A temp folder holding a real store file, the stores opened on it and a manual clock; removed on
/// dispose. The file sits in a subfolder that does not exist yet, so every test also exercises that.
/// </summary>
internal sealed class StoreFolder : IDisposable
{
    private readonly List<GatewayStore> _opened = [];

    public StoreFolder()
    {
        Root = Directory.CreateTempSubdirectory("slardar-store-").FullName;
        DatabasePath = Path.Combine(Root, "data", "slardar.db");
    }

    public string Root { get; }

    public string DatabasePath { get; }

    public FakeTimeProvider Time { get; } = new();

    public GatewayStore Open(string? path = null)
    {
        var store = GatewayStore.Open(path ?? DatabasePath, Time, NullLogger<GatewayStore>.Instance);
        _opened.Add(store);
        return store;
    }

    /// <summary>A connection of the test's own, unpooled so it lets go of the file when disposed.</summary>
    public SqliteConnection Raw()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public object? Scalar(string sql)
    {
        using var connection = Raw();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public void Dispose()
    {
        foreach (var store in _opened)
        {
            store.Dispose();
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test over.
        }
    }
}
