using Microsoft.Data.Sqlite;

namespace Slardar.Scriptable.Host.Store;

/// <summary>Statements on <c>compiled_scripts</c>: one compiled image per script name, replaced on every activation.</summary>
internal static class ImageQueries
{
    private const string Select = """
        SELECT name, cache_key, image, pdb, warnings, modules FROM compiled_scripts WHERE name = $name
        """;

    private const string Upsert = """
        INSERT INTO compiled_scripts (name, cache_key, image, pdb, warnings, modules, created_at)
        VALUES ($name, $cache_key, $image, $pdb, $warnings, $modules, $created_at)
        ON CONFLICT (name) DO UPDATE SET
            cache_key = excluded.cache_key, image = excluded.image, pdb = excluded.pdb,
            warnings = excluded.warnings, modules = excluded.modules, created_at = excluded.created_at
        """;

    private const string DeleteByName = "DELETE FROM compiled_scripts WHERE name = $name";

    public static StoredImage? Get(SqliteConnection connection, string name) =>
        SqliteCommands.QuerySingle(connection, Select, static reader => new StoredImage(
            reader.GetString(0), reader.GetString(1), (byte[])reader[2], (byte[])reader[3], reader.GetString(4)) { Modules = reader.GetString(5) }, ("$name", name));

    public static void Put(SqliteConnection connection, StoredImage image, DateTimeOffset at) =>
        SqliteCommands.Execute(connection, Upsert,
            ("$name", image.Name), ("$cache_key", image.CacheKey), ("$image", image.Image), ("$pdb", image.Pdb),
            ("$warnings", image.WarningsJson), ("$modules", image.Modules), ("$created_at", StoreTime.ToText(at)));

    public static int Delete(SqliteConnection connection, string name) =>
        SqliteCommands.Execute(connection, DeleteByName, ("$name", name));
}
