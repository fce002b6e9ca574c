using System.Data;

namespace Voting.Storage.Sql;

/// <summary>A typed SQL parameter value; typed so that nulls bind the same on every provider.</summary>
public readonly record struct SqlArg(object? Value, DbType Type)
{
    public static SqlArg Text(string? value) => new(value, DbType.String);
    public static SqlArg Int(long? value) => new(value, DbType.Int64);

    /// <summary>Wraps a plain CLR value, inferring its type.</summary>
    public static SqlArg From(object? value) => value switch
    {
        SqlArg a => a,
        null => Text(null),
        string s => Text(s),
        long l => Int(l),
        int i => Int(i),
        bool b => Int(b ? 1 : 0),
        _ => throw new ArgumentException($"unsupported SQL argument type {value.GetType()}", nameof(value)),
    };
}

/// <summary>Conversions of provider values (SQLite long/string, PostgreSQL long/decimal/string).</summary>
public static class SqlValue
{
    public static long Long(object? v) => v switch
    {
        null => 0,
        long l => l,
        int i => i,
        decimal d => (long)d,
        _ => Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture),
    };

    public static long? NullableLong(object? v) => v is null ? null : Long(v);

    public static string? Text(object? v) => v as string;

    public static DateTimeOffset? Time(object? v) => v is null ? null : FromMs(Long(v));

    public static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
