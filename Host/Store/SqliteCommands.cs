using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Slardar.Scriptable.Host.Store;

/// <summary>
/// Builds parameterized commands. SQL text comes only from the constants of the query classes;
/// values always travel as parameters.
/// </summary>
internal static class SqliteCommands
{
    /// <summary>
    /// A command on <paramref name="connection"/>, enlisted in its open transaction if any (what
    /// <see cref="SqliteConnection.CreateCommand"/> does; Microsoft.Data.Sqlite refuses a command
    /// that is not enlisted while a transaction is pending).
    /// </summary>
    public static SqliteCommand Create(SqliteConnection connection, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    public static int Execute(SqliteConnection connection, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using var command = Create(connection, sql, parameters);
        return command.ExecuteNonQuery();
    }

    public static T Scalar<T>(SqliteConnection connection, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using var command = Create(connection, sql, parameters);
        var value = command.ExecuteScalar();
        return (T)Convert.ChangeType(value!, typeof(T), CultureInfo.InvariantCulture);
    }

    /// <summary>Runs a query and maps every row; the reader is closed before returning.</summary>
    public static List<T> Query<T>(SqliteConnection connection, string sql, Func<SqliteDataReader, T> map, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using var command = Create(connection, sql, parameters);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    public static T? QuerySingle<T>(SqliteConnection connection, string sql, Func<SqliteDataReader, T> map, params ReadOnlySpan<(string Name, object? Value)> parameters)
        where T : class
    {
        using var command = Create(connection, sql, parameters);
        using var reader = command.ExecuteReader();
        return reader.Read() ? map(reader) : null;
    }
}
